/* tests/programs/cred_exec.c — credentials across fork and execve as Linux has them: ids and
 * groups kept, the fs ids reset to the effective ones, keepcaps cleared, root's capability rule
 * (permitted = bounding | inheritable, effective if the effective uid is 0), a non-root image
 * gets only its ambient set, AT_SECURE when the ids differ, no_new_privs kept; and execve's
 * permission check (EACCES without an x bit for the caller, for a directory). The program
 * execs itself with "check" and what it must find. */
#include "check.h"
#include <stdint.h>
#include <grp.h>
#include <sys/auxv.h>
#include <sys/prctl.h>

struct cap_hdr { uint32_t version; int pid; };
struct cap_dat { uint32_t eff, prm, inh; };

static unsigned long long capset_of(int which)
{
	struct cap_hdr h = { 0x20080522, 0 };
	struct cap_dat d[2] = { { 0 } };
	if (syscall(SYS_capget, &h, d))
		fail("capget: %s", errname(errno));
	return which == 0 ? (d[0].eff | (unsigned long long)d[1].eff << 32)
			  : (d[0].prm | (unsigned long long)d[1].prm << 32);
}

static long cap_set(unsigned long long eff, unsigned long long prm, unsigned long long inh)
{
	struct cap_hdr h = { 0x20080522, 0 };
	struct cap_dat d[2] = { { (unsigned)eff, (unsigned)prm, (unsigned)inh },
				{ (unsigned)(eff >> 32), (unsigned)(prm >> 32), (unsigned)(inh >> 32) } };
	return syscall(SYS_capset, &h, d);
}

static unsigned long long bounding(void)
{
	unsigned long long b = 0;
	for (int i = 0; i < 64; i++)
		if (prctl(PR_CAPBSET_READ, i, 0, 0, 0) == 1)
			b |= 1ULL << i;
	return b;
}

/* "bnd" (the bounding set), or a number. */
static unsigned long long caps_arg(const char *s)
{
	return strcmp(s, "bnd") == 0 ? bounding() : strtoull(s, NULL, 0);
}

/* The exec'ed image: argv = check r e s fs gr ge gs ngroups prm eff secure nnp secbits */
static int check(char **a)
{
	unsigned r, e, s, gr, ge, gs;
	syscall(SYS_getresuid, &r, &e, &s);
	syscall(SYS_getresgid, &gr, &ge, &gs);
	long fs = syscall(SYS_setfsuid, -1);
	expect_true(r == strtoul(a[0], 0, 0) && e == strtoul(a[1], 0, 0) && s == strtoul(a[2], 0, 0),
		    "uids after execve");
	expect_eq(fs, strtol(a[3], 0, 0), "fs uid after execve");
	expect_true(gr == strtoul(a[4], 0, 0) && ge == strtoul(a[5], 0, 0) && gs == strtoul(a[6], 0, 0),
		    "gids after execve");
	expect_eq(syscall(SYS_getgroups, 0, NULL), strtol(a[7], 0, 0), "groups after execve");
	expect_eq(capset_of(1), caps_arg(a[8]), "permitted after execve");
	expect_eq(capset_of(0), caps_arg(a[9]), "effective after execve");
	expect_eq(getauxval(AT_SECURE), strtoul(a[10], 0, 0), "AT_SECURE");
	expect_eq(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), strtol(a[11], 0, 0), "no_new_privs");
	expect_eq(prctl(PR_GET_SECUREBITS, 0, 0, 0, 0), strtol(a[12], 0, 0), "securebits");
	return 0;
}

static void exec_check(const char *r, const char *e, const char *s, const char *fs, const char *gr,
		       const char *ge, const char *gs, const char *ng, const char *prm, const char *eff,
		       const char *secure, const char *nnp, const char *secbits)
{
	char *argv[] = { "cred_exec", "check", (char *)r, (char *)e, (char *)s, (char *)fs,
			 (char *)gr, (char *)ge, (char *)gs, (char *)ng, (char *)prm, (char *)eff,
			 (char *)secure, (char *)nnp, (char *)secbits, NULL };
	execv("/proc/self/exe", argv);
	fail("execv: %s", errname(errno));
}

static void case_root(void)
{
	gid_t g[3] = { 5, 6, 7 };
	expect_ok(setgroups(3, g), "setgroups");
	syscall(SYS_setfsuid, 1234);
	expect_ok(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), "keepcaps");
	expect_ok(cap_set(0, capset_of(1), 0), "empty effective");
	exec_check("0", "0", "0", "0", "0", "0", "0", "3", "bnd", "bnd", "0", "0", "0");
}

static void case_drop_keepcaps(void)
{
	expect_ok(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), "keepcaps");
	expect_ok(syscall(SYS_setresgid, 100, 100, 100), "setresgid");
	expect_ok(syscall(SYS_setresuid, 1000, 1000, 1000), "setresuid");
	expect_eq(capset_of(1), bounding(), "permitted kept before the exec");
	exec_check("1000", "1000", "1000", "1000", "100", "100", "100", "0", "0", "0", "0", "0", "0");
}

static void case_ambient(void)
{
	expect_ok(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), "keepcaps");
	expect_ok(syscall(SYS_setresuid, 1000, 1000, 1000), "setresuid");
	unsigned long long kill = 1ULL << 5;
	expect_ok(cap_set(0, capset_of(1), kill), "inheritable KILL");
	expect_ok(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, 5, 0, 0), "ambient KILL");
	exec_check("1000", "1000", "1000", "1000", "0", "0", "0", "0", "0x20", "0x20", "0", "0", "0");
}

static void case_setid_root(void)
{
	expect_ok(syscall(SYS_setresuid, 1000, 0, 0), "real uid 1000, effective 0");
	exec_check("1000", "0", "0", "0", "0", "0", "0", "0", "bnd", "bnd", "1", "0", "0");
}

static void case_real_root(void)
{
	expect_ok(syscall(SYS_setresgid, 0, 200, 300), "gids 0/200/300");
	expect_ok(syscall(SYS_setresuid, 0, 1000, 1000), "real uid 0, effective 1000");
	exec_check("0", "1000", "1000", "1000", "0", "200", "200", "0", "bnd", "0", "1", "0", "0");
}

static void case_nnp(void)
{
	expect_ok(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs");
	expect_ok(syscall(SYS_setresuid, 1000, 0, 0), "real uid 1000, effective 0");
	exec_check("1000", "0", "0", "0", "0", "0", "0", "0", "bnd", "bnd", "1", "1", "0");
}

static void case_noroot(void)
{
	expect_ok(prctl(PR_SET_SECUREBITS, 1 /* SECBIT_NOROOT */, 0, 0, 0), "SECBIT_NOROOT");
	exec_check("0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "1");
}

static void run(void (*fn)(void), const char *what)
{
	pid_t p = xfork();
	if (p == 0)
		fn();
	expect_exit(p, 0, what);
}

static void exec_errors(void)
{
	const char *noexec = scratch_file("noexec", "#!/bin/sh\nexit 0\n", 0644);
	const char *rootonly = scratch_file("rootonly", "#!/bin/sh\nexit 0\n", 0700);
	char *argv[] = { "x", NULL };
	expect_err(execv(noexec, argv), EACCES, "root execs a file without an x bit");
	expect_err(execv(scratch(), argv), EACCES, "execve of a directory");
	pid_t p = xfork();
	if (p == 0) {
		expect_ok(syscall(SYS_setresuid, 1000, 1000, 1000), "drop");
		expect_err(execv(rootonly, argv), EACCES, "uid 1000 execs root's 0700 file");
		expect_err(execv(noexec, argv), EACCES, "uid 1000 execs a 0644 file");
		expect_err(execv(scratch(), argv), EACCES, "uid 1000 execs a directory");
		exit(0);
	}
	expect_exit(p, 0, "unprivileged execs");
}

int main(int argc, char **argv)
{
	if (argc == 15 && strcmp(argv[1], "check") == 0)
		return check(argv + 2);
	run(case_root, "root");
	ok("root over execve: ids, groups kept; fs ids reset; keepcaps cleared; full permitted and effective");
	run(case_drop_keepcaps, "keepcaps drop");
	ok("a non-root image loses the permitted set keepcaps kept");
	run(case_ambient, "ambient");
	ok("a non-root image gets its ambient set as permitted and effective");
	run(case_setid_root, "effective root");
	ok("effective uid 0 with real uid 1000: root's sets, AT_SECURE 1");
	run(case_real_root, "real root");
	ok("real uid 0 with effective uid 1000: permitted but not effective, saved ids follow, AT_SECURE 1");
	run(case_nnp, "no_new_privs");
	ok("no_new_privs is kept over execve; ids the process already had stay");
	run(case_noroot, "noroot");
	ok("SECBIT_NOROOT: root's image gets no capabilities");
	exec_errors();
	ok("execve: EACCES without an x bit for the caller and for a directory");
	return 0;
}
