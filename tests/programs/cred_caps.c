/* tests/programs/cred_caps.c — capabilities as Linux has them: capget/capset versions 1-3 and
 * their checks, the bounding set (PR_CAPBSET_READ/DROP), keepcaps and the securebits with their
 * locks, the ambient set, and the capability changes of uid changes (dropped on setuid to a
 * non-root uid, effective restored on seteuid(0), the fs capabilities following the fs uid).
 * Compared with the sets root starts with, whatever they are. Each case runs in a forked child. */
#include "check.h"
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>

/* The kernel's capability ABI (musl has no <linux/capability.h>). */
struct __user_cap_header_struct { uint32_t version; int pid; };
struct __user_cap_data_struct { uint32_t effective, permitted, inheritable; };
#define _LINUX_CAPABILITY_VERSION_1 0x19980330
#define _LINUX_CAPABILITY_VERSION_2 0x20071026
#define _LINUX_CAPABILITY_VERSION_3 0x20080522
enum { CAP_CHOWN = 0, CAP_DAC_OVERRIDE = 1, CAP_DAC_READ_SEARCH = 2, CAP_FOWNER = 3, CAP_FSETID = 4,
       CAP_KILL = 5, CAP_SETGID = 6, CAP_SETUID = 7, CAP_SETPCAP = 8, CAP_LINUX_IMMUTABLE = 9,
       CAP_NET_RAW = 13, CAP_MKNOD = 27, CAP_MAC_OVERRIDE = 32, CAP_LAST_CAP = 40 };
#define SECBIT_NOROOT (1 << 0)
#define SECBIT_NO_SETUID_FIXUP (1 << 2)
#define SECBIT_KEEP_CAPS (1 << 4)
#define SECBIT_KEEP_CAPS_LOCKED (1 << 5)
#define SECBIT_NO_CAP_AMBIENT_RAISE (1 << 6)

struct caps { unsigned long long eff, prm, inh; };

static long cap_get(int pid, unsigned version, struct caps *c)
{
	struct __user_cap_header_struct h = { version, pid };
	struct __user_cap_data_struct d[2] = { { 0 } };
	long r = syscall(SYS_capget, &h, d);
	if (r == 0 && c)
		*c = (struct caps){ d[0].effective | (unsigned long long)d[1].effective << 32,
				    d[0].permitted | (unsigned long long)d[1].permitted << 32,
				    d[0].inheritable | (unsigned long long)d[1].inheritable << 32 };
	return r;
}

static struct caps caps(void)
{
	struct caps c;
	expect_ok(cap_get(0, _LINUX_CAPABILITY_VERSION_3, &c), "capget v3");
	return c;
}

static long cap_set(unsigned long long eff, unsigned long long prm, unsigned long long inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {
		{ (unsigned)eff, (unsigned)prm, (unsigned)inh },
		{ (unsigned)(eff >> 32), (unsigned)(prm >> 32), (unsigned)(inh >> 32) },
	};
	return syscall(SYS_capset, &h, d);
}

static long pr(long o, long a) { return syscall(SYS_prctl, o, a, 0, 0, 0); }
static long amb(long op, long cap) { return syscall(SYS_prctl, PR_CAP_AMBIENT, op, cap, 0, 0); }

#define BIT(c) (1ULL << (c))
#define FS_SET (BIT(CAP_CHOWN) | BIT(CAP_MKNOD) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_DAC_READ_SEARCH) | \
		BIT(CAP_FOWNER) | BIT(CAP_FSETID) | BIT(CAP_MAC_OVERRIDE) | BIT(CAP_LINUX_IMMUTABLE))

static unsigned long long root_set;	/* what root started with */

static void case_query(void)
{
	struct caps c = caps();
	unsigned long long bnd = 0;
	for (int i = 0; i <= CAP_LAST_CAP; i++)
		if (expect_ok(pr(PR_CAPBSET_READ, i), "PR_CAPBSET_READ"))
			bnd |= BIT(i);
	expect_err(pr(PR_CAPBSET_READ, CAP_LAST_CAP + 1), EINVAL, "PR_CAPBSET_READ past the last");
	expect_err(pr(PR_CAPBSET_READ, -1), EINVAL, "PR_CAPBSET_READ(-1)");
	expect_true(c.eff == c.prm && c.inh == 0 && c.prm == bnd, "root: effective = permitted = bounding");
	expect_true(c.eff & BIT(CAP_SETUID) && c.eff & BIT(CAP_SETPCAP) && c.eff & BIT(CAP_CHOWN), "root's usual caps");
	ok("root holds its bounding set as permitted and effective; no inheritable");
	struct caps c2 = { 0 };
	expect_ok(cap_get(0, _LINUX_CAPABILITY_VERSION_2, &c2), "capget v2");
	expect_true(c2.eff == c.eff && c2.prm == c.prm, "v2 is v3");
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_1, 0 };
	struct __user_cap_data_struct d[2];
	memset(d, 0x5a, sizeof(d));
	expect_ok(syscall(SYS_capget, &h, d), "capget v1");
	expect_true(d[0].effective == (unsigned)c.eff && d[1].effective == 0x5a5a5a5a, "v1 writes one word");
	ok("capget versions 1 (one 32-bit word), 2 and 3 (two words)");
	h.version = 0x12345678;
	expect_err(syscall(SYS_capget, &h, d), EINVAL, "capget bad version");
	expect_eq(h.version, _LINUX_CAPABILITY_VERSION_3, "the preferred version written back");
	h.version = 0;
	expect_ok(syscall(SYS_capget, &h, NULL), "capget bad version, NULL data: the probe");
	expect_eq(h.version, _LINUX_CAPABILITY_VERSION_3, "probe answer");
	h.version = _LINUX_CAPABILITY_VERSION_3;
	expect_ok(syscall(SYS_capget, &h, NULL), "capget good version, NULL data");
	expect_err(syscall(SYS_capget, NULL, d), EFAULT, "capget NULL header");
	h.pid = -1;
	expect_err(syscall(SYS_capget, &h, d), EINVAL, "capget pid -1");
	h.pid = 30000;
	expect_err(syscall(SYS_capget, &h, d), ESRCH, "capget of no process");
	h.pid = getpid();
	expect_ok(syscall(SYS_capget, &h, d), "capget own pid");
	ok("capget: a bad version writes back v3 and fails EINVAL (0 with NULL data), EFAULT, ESRCH, EINVAL");
}

static void case_other(void)
{
	int p1[2], p2[2];
	xpipe(p1);
	xpipe(p2);
	pid_t c = xfork();
	if (c == 0) {
		expect_ok(syscall(SYS_setresuid, 1000, 1000, 1000), "child drop");
		char b = 1;
		write(p1[1], &b, 1);
		read(p2[0], &b, 1);
		exit(0);
	}
	char b;
	read_full(p1[0], &b, 1, "child ready");
	struct caps cc;
	expect_ok(cap_get(c, _LINUX_CAPABILITY_VERSION_3, &cc), "capget of the child");
	expect_true(cc.eff == 0 && cc.prm == 0 && cc.inh == 0, "the child's dropped sets");
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, c };
	struct __user_cap_data_struct d[2] = { { 0 } };
	expect_err(syscall(SYS_capset, &h, d), EPERM, "capset of another process");
	write(p2[1], &b, 1);
	expect_exit(c, 0, "child");
	ok("capget reads another process's sets; capset of another process is EPERM");
}

static void case_capset(void)
{
	struct caps c = caps();
	expect_ok(cap_set(c.eff & ~BIT(CAP_CHOWN), c.prm, 0), "drop CHOWN from effective");
	expect_eq(caps().eff, c.eff & ~BIT(CAP_CHOWN), "effective");
	expect_ok(cap_set(c.eff, c.prm, 0), "raise it back from permitted");
	expect_ok(cap_set(c.eff & ~BIT(CAP_CHOWN), c.prm & ~BIT(CAP_CHOWN), 0), "drop from permitted");
	expect_err(cap_set(c.eff & ~BIT(CAP_CHOWN), c.prm, 0), EPERM, "permitted cannot grow");
	expect_err(cap_set(c.eff, c.prm & ~BIT(CAP_CHOWN), 0), EPERM, "effective within the new permitted");
	struct caps n = caps();
	expect_true(n.eff == (c.eff & ~BIT(CAP_CHOWN)) && n.prm == (c.prm & ~BIT(CAP_CHOWN)), "refusals changed nothing");
	expect_ok(cap_set(n.eff, n.prm, BIT(CAP_CHOWN)), "inheritable outside permitted with CAP_SETPCAP");
	expect_ok(cap_set(n.eff & ~BIT(CAP_SETPCAP), n.prm, BIT(CAP_CHOWN)), "keep it without CAP_SETPCAP");
	ok("capset: permitted only shrinks, effective within permitted, inheritable within old inheritable|permitted without CAP_SETPCAP");
	struct __user_cap_header_struct h = { 0x1, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };
	expect_err(syscall(SYS_capset, &h, d), EINVAL, "capset bad version");
	expect_eq(h.version, _LINUX_CAPABILITY_VERSION_3, "capset writes back the version");
	h.version = _LINUX_CAPABILITY_VERSION_3;
	expect_err(syscall(SYS_capset, &h, (void *)8), EFAULT, "capset bad data");
	ok("capset: EINVAL and v3 written back for a bad version, EFAULT for bad data");
}

static void case_inh_without_setpcap(void)
{
	struct caps c = caps();
	expect_ok(cap_set(c.eff & ~(BIT(CAP_KILL) | BIT(CAP_SETPCAP)), c.prm & ~(BIT(CAP_KILL) | BIT(CAP_SETPCAP)), 0),
		  "drop KILL and SETPCAP");
	struct caps n = caps();
	expect_err(cap_set(n.eff, n.prm, BIT(CAP_KILL)), EPERM, "inheritable beyond inheritable|permitted");
	expect_ok(cap_set(n.eff, n.prm, BIT(CAP_CHOWN)), "inheritable within permitted");
	expect_err(pr(PR_CAPBSET_DROP, CAP_CHOWN), EPERM, "PR_CAPBSET_DROP without CAP_SETPCAP");
	expect_err(pr(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS), EPERM, "securebits without CAP_SETPCAP");
	ok("without CAP_SETPCAP: inheritable only from permitted, no bounding drop, no securebits");
}

static void case_bounding(void)
{
	expect_ok(pr(PR_CAPBSET_DROP, CAP_NET_RAW), "PR_CAPBSET_DROP");
	expect_eq(pr(PR_CAPBSET_READ, CAP_NET_RAW), 0, "dropped");
	expect_ok(pr(PR_CAPBSET_DROP, CAP_NET_RAW), "dropping again");
	expect_err(pr(PR_CAPBSET_DROP, CAP_LAST_CAP + 1), EINVAL, "drop past the last");
	struct caps c = caps();
	expect_true(c.prm & BIT(CAP_NET_RAW), "permitted keeps it");
	expect_err(cap_set(c.eff, c.prm, BIT(CAP_NET_RAW)), EPERM, "inheritable outside the bounding set");
	expect_ok(cap_set(c.eff, c.prm, BIT(CAP_KILL)), "inheritable inside it");
	pid_t p = xfork();
	if (p == 0) {
		expect_eq(pr(PR_CAPBSET_READ, CAP_NET_RAW), 0, "a fork child's bounding set");
		exit(0);
	}
	expect_exit(p, 0, "fork child");
	ok("PR_CAPBSET_DROP removes a capability from the bounding set (inherited), not from permitted");
}

static void case_drop(void)
{
	expect_ok(pr(PR_SET_PDEATHSIG, SIGUSR1), "pdeathsig");
	expect_ok(syscall(SYS_setuid, 1000), "setuid(1000)");
	struct caps c = caps();
	expect_true(c.eff == 0 && c.prm == 0 && c.inh == 0, "all capabilities gone");
	expect_eq(pr(PR_CAPBSET_READ, CAP_SETUID), 1, "the bounding set stays");
	int sig = -1;
	expect_ok(syscall(SYS_prctl, PR_GET_PDEATHSIG, &sig, 0, 0, 0), "PR_GET_PDEATHSIG");
	expect_eq(sig, 0, "an effective uid change clears the parent-death signal");
	ok("setuid to a non-root uid drops every capability; the parent-death signal is cleared");
}

static void case_seteuid_back(void)
{
	expect_ok(syscall(SYS_setresuid, -1, 1000, -1), "seteuid(1000)");
	struct caps c = caps();
	expect_true(c.eff == 0 && c.prm == root_set, "effective cleared, permitted kept");
	expect_err(syscall(SYS_setgroups, 0, NULL), EPERM, "no CAP_SETGID now");
	expect_ok(syscall(SYS_setresuid, -1, 0, -1), "seteuid(0)");
	c = caps();
	expect_true(c.eff == root_set && c.prm == root_set, "effective restored from permitted");
	ok("seteuid(1000) clears effective only; seteuid(0) restores it from permitted");
}

static void case_fsuid(void)
{
	syscall(SYS_setfsuid, 1000);
	struct caps c = caps();
	expect_eq(c.eff, root_set & ~FS_SET, "fsuid 0 -> 1000 drops the fs capabilities");
	expect_eq(c.prm, root_set, "permitted kept");
	syscall(SYS_setfsuid, 0);
	expect_eq(caps().eff, root_set, "fsuid back to 0 restores them");
	ok("the fs capabilities follow the fs uid");
}

static void case_keepcaps(void)
{
	expect_eq(pr(PR_GET_KEEPCAPS, 0), 0, "keepcaps off");
	expect_err(pr(PR_SET_KEEPCAPS, 2), EINVAL, "PR_SET_KEEPCAPS(2)");
	expect_ok(pr(PR_SET_KEEPCAPS, 1), "PR_SET_KEEPCAPS(1)");
	expect_eq(pr(PR_GET_KEEPCAPS, 0), 1, "keepcaps on");
	expect_eq(pr(PR_GET_SECUREBITS, 0), SECBIT_KEEP_CAPS, "it is SECBIT_KEEP_CAPS");
	expect_ok(cap_set(root_set, root_set, BIT(CAP_KILL)), "inheritable KILL");
	expect_ok(amb(PR_CAP_AMBIENT_RAISE, CAP_KILL), "ambient KILL");
	expect_ok(syscall(SYS_setresuid, 1000, 1000, 1000), "drop with keepcaps");
	struct caps c = caps();
	expect_true(c.eff == 0 && c.prm == root_set, "permitted kept, effective cleared");
	expect_eq(amb(PR_CAP_AMBIENT_IS_SET, CAP_KILL), 0, "ambient cleared even with keepcaps");
	expect_ok(cap_set(BIT(CAP_SETUID), root_set, 0), "raise effective from the kept permitted");
	expect_ok(syscall(SYS_setuid, 2000), "setuid with the raised CAP_SETUID");
	ok("PR_SET_KEEPCAPS keeps permitted over a drop to non-root; effective and ambient go");
}

static void case_securebits(void)
{
	expect_eq(pr(PR_GET_SECUREBITS, 0), 0, "no securebits");
	expect_err(pr(PR_SET_SECUREBITS, 1 << 12), EPERM, "an unknown bit");
	expect_ok(pr(PR_SET_SECUREBITS, SECBIT_NO_SETUID_FIXUP), "SECBIT_NO_SETUID_FIXUP");
	expect_ok(syscall(SYS_setresuid, -1, 1000, -1), "seteuid(1000)");
	expect_eq(caps().eff, root_set, "no fixup: effective kept");
	expect_ok(syscall(SYS_setresuid, -1, 0, -1), "back");
	expect_ok(pr(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS | SECBIT_KEEP_CAPS_LOCKED), "keepcaps locked");
	expect_err(pr(PR_SET_KEEPCAPS, 0), EPERM, "locked keepcaps cannot change");
	expect_err(pr(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS), EPERM, "a lock cannot be undone");
	expect_err(pr(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS_LOCKED), EPERM, "a locked bit cannot change");
	expect_ok(pr(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS | SECBIT_KEEP_CAPS_LOCKED | SECBIT_NOROOT),
		  "other bits may still change");
	expect_eq(pr(PR_GET_SECUREBITS, 0), SECBIT_KEEP_CAPS | SECBIT_KEEP_CAPS_LOCKED | SECBIT_NOROOT, "bits");
	ok("securebits: NO_SETUID_FIXUP keeps the sets; locks fix their bit and cannot be undone");
}

static void case_ambient(void)
{
	expect_eq(amb(PR_CAP_AMBIENT_IS_SET, CAP_KILL), 0, "not set");
	expect_err(amb(PR_CAP_AMBIENT_RAISE, CAP_KILL), EPERM, "raise without inheritable");
	expect_err(amb(PR_CAP_AMBIENT_IS_SET, CAP_LAST_CAP + 1), EINVAL, "bad capability");
	expect_err(amb(99, CAP_KILL), EINVAL, "bad op");
	expect_err(syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0), EINVAL, "CLEAR_ALL with an argument");
	expect_err(syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 1, 0), EINVAL, "a stray argument");
	expect_ok(cap_set(root_set, root_set, BIT(CAP_KILL) | BIT(CAP_CHOWN)), "inheritable");
	expect_ok(amb(PR_CAP_AMBIENT_RAISE, CAP_KILL), "raise KILL");
	expect_ok(amb(PR_CAP_AMBIENT_RAISE, CAP_CHOWN), "raise CHOWN");
	expect_eq(amb(PR_CAP_AMBIENT_IS_SET, CAP_KILL), 1, "set");
	expect_ok(amb(PR_CAP_AMBIENT_LOWER, CAP_KILL), "lower");
	expect_eq(amb(PR_CAP_AMBIENT_IS_SET, CAP_KILL), 0, "lowered");
	expect_ok(cap_set(root_set, root_set, BIT(CAP_KILL)), "drop CHOWN from inheritable");
	expect_eq(amb(PR_CAP_AMBIENT_IS_SET, CAP_CHOWN), 0, "ambient follows inheritable");
	expect_ok(amb(PR_CAP_AMBIENT_RAISE, CAP_KILL), "raise KILL");
	expect_ok(syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "CLEAR_ALL");
	expect_eq(amb(PR_CAP_AMBIENT_IS_SET, CAP_KILL), 0, "cleared");
	expect_ok(pr(PR_SET_SECUREBITS, SECBIT_NO_CAP_AMBIENT_RAISE), "SECBIT_NO_CAP_AMBIENT_RAISE");
	expect_err(amb(PR_CAP_AMBIENT_RAISE, CAP_KILL), EPERM, "raise forbidden");
	ok("ambient: raise needs permitted and inheritable, follows them, CLEAR_ALL, Linux's EINVAL and EPERM");
}

static void run(void (*fn)(void), const char *what)
{
	pid_t p = xfork();
	if (p == 0) {
		fn();
		exit(0);
	}
	expect_exit(p, 0, what);
}

int main(void)
{
	root_set = caps().prm;
	run(case_query, "query");
	run(case_other, "other process");
	run(case_capset, "capset");
	run(case_inh_without_setpcap, "without CAP_SETPCAP");
	run(case_bounding, "bounding");
	run(case_drop, "drop");
	run(case_seteuid_back, "seteuid");
	run(case_fsuid, "fsuid");
	run(case_keepcaps, "keepcaps");
	run(case_securebits, "securebits");
	run(case_ambient, "ambient");
	return 0;
}
