/* libos/process/sys_caps.c — capget, capset and the capability options of prctl (bounding set,
 * securebits, keepcaps, ambient set) with the checks of Linux's kernel/capability.c and
 * security/commoncap.c. The sets are the instance's own: nothing here reaches the host. */
#include "process.h"
#include "cred.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/spinlock.h"
#include <linux/prctl.h>
#include <linux/securebits.h>

/* Linux 6.14 added the exec-restriction bits (8-11) to the securebits a process may set. */
#define SECBITS_ALL (SECURE_ALL_BITS | (1u << 8) | (1u << 10))
#define SECBITS_LOCKS (SECBITS_ALL << 1)
#define CAP_VALID CRED_CAP_ALL

struct cap_header {
	uint32_t version;
	int32_t pid;
};

struct cap_data {
	uint32_t effective, permitted, inheritable;
};

/* The number of 32-bit words of version *uhdr, or -EINVAL after writing back the version this
 * kernel prefers (what libcap probes with), or -EFAULT. */
static long validate_version(struct cap_header *uhdr)
{
	uint32_t v;
	if (copy_from_user(&v, &uhdr->version, sizeof(v)) < 0)
		return -EFAULT;
	if (v == _LINUX_CAPABILITY_VERSION_1)
		return _LINUX_CAPABILITY_U32S_1;
	if (v == _LINUX_CAPABILITY_VERSION_2 || v == _LINUX_CAPABILITY_VERSION_3)
		return _LINUX_CAPABILITY_U32S_3;
	v = _LINUX_CAPABILITY_VERSION_3;
	if (copy_to_user(&uhdr->version, &v, sizeof(v)) < 0)
		return -EFAULT;
	return -EINVAL;
}

/* Whether pid names the caller (0, or its own thread id, as Linux's task_pid_vnr). */
static int is_self(int pid)
{
	return pid == 0 || pid == thread_current()->tid;
}

long sys_capget(void *uhdr, void *udata)
{
	long words = validate_version(uhdr);
	if (!udata || words < 0)
		return !udata && words == -EINVAL ? 0 : words < 0 ? words : 0;
	int32_t pid;
	if (copy_from_user(&pid, &((struct cap_header *)uhdr)->pid, sizeof(pid)) < 0)
		return -EFAULT;
	if (pid < 0)
		return -EINVAL;
	uint64_t eff, prm, inh;
	if (is_self(pid)) {
		eff = proc.cap_eff, prm = proc.cap_prm, inh = proc.cap_inh;
	} else {
		int tgid;
		struct sh_proc *p = sh_lookup(pid, &tgid);
		if (!p)
			return -ESRCH;
		eff = __atomic_load_n(&p->cap_eff, __ATOMIC_RELAXED);
		prm = __atomic_load_n(&p->cap_prm, __ATOMIC_RELAXED);
		inh = __atomic_load_n(&p->cap_inh, __ATOMIC_RELAXED);
	}
	struct cap_data d[2] = {
		{ (uint32_t)eff, (uint32_t)prm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(prm >> 32), (uint32_t)(inh >> 32) },
	};
	return copy_to_user(udata, d, (size_t)words * sizeof(d[0])) < 0 ? -EFAULT : 0;
}

/* Linux's cap_capset: without CAP_SETPCAP the new inheritable set stays within the old
 * inheritable and permitted sets; it never goes beyond the old inheritable and bounding sets;
 * permitted may only shrink; effective stays within the new permitted. */
long sys_capset(void *uhdr, const void *udata)
{
	long words = validate_version(uhdr);
	if (words < 0)
		return words;
	int32_t pid;
	if (copy_from_user(&pid, &((struct cap_header *)uhdr)->pid, sizeof(pid)) < 0)
		return -EFAULT;
	if (!is_self(pid))
		return -EPERM;
	struct cap_data d[2] = { 0 };
	if (copy_from_user(d, udata, (size_t)words * sizeof(d[0])) < 0)
		return -EFAULT;
	uint64_t eff = (d[0].effective | (uint64_t)d[1].effective << 32) & CAP_VALID;
	uint64_t prm = (d[0].permitted | (uint64_t)d[1].permitted << 32) & CAP_VALID;
	uint64_t inh = (d[0].inheritable | (uint64_t)d[1].inheritable << 32) & CAP_VALID;
	struct cred_ids old;
	long r = -EPERM;
	spin_lock(cred_lock());
	cred_save(&old);
	if (!cred_capable(CAP_SETPCAP) && (inh & ~(proc.cap_inh | proc.cap_prm)))
		goto out;
	if ((inh & ~(proc.cap_inh | proc.cap_bnd)) || (prm & ~proc.cap_prm) || (eff & ~prm))
		goto out;
	proc.cap_eff = eff, proc.cap_prm = prm, proc.cap_inh = inh;
	proc.cap_amb &= prm & inh;	/* ambient stays within permitted and inheritable */
	cred_committed(&old);
	r = 0;
out:
	spin_unlock(cred_lock());
	return r;
}

/* A change of the securebits (lock held): locked bits stay, locks stay, no unknown bits, and
 * CAP_SETPCAP for anything (Linux's "sendmail capabilities bug" rule). */
static long set_securebits(unsigned long bits)
{
	uint32_t cur = proc.securebits;
	if ((((cur & SECBITS_LOCKS) >> 1) & (cur ^ bits)) || (cur & SECBITS_LOCKS & ~bits) ||
	    (bits & ~(unsigned long)(SECBITS_LOCKS | SECBITS_ALL)) || !cred_capable(CAP_SETPCAP))
		return -EPERM;
	proc.securebits = (uint32_t)bits;
	return 0;
}

static long ambient(unsigned long op, unsigned long cap, unsigned long a4, unsigned long a5)
{
	if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
		if (cap | a4 | a5)
			return -EINVAL;
		proc.cap_amb = 0;
		return 0;
	}
	if (cap > CAP_LAST_CAP || a4 || a5)
		return -EINVAL;
	uint64_t bit = 1ULL << cap;
	if (op == PR_CAP_AMBIENT_IS_SET)
		return (proc.cap_amb & bit) != 0;
	if (op == PR_CAP_AMBIENT_LOWER) {
		proc.cap_amb &= ~bit;
		return 0;
	}
	if (op != PR_CAP_AMBIENT_RAISE)
		return -EINVAL;
	if (!(proc.cap_prm & bit) || !(proc.cap_inh & bit) ||
	    (proc.securebits & SECBIT_NO_CAP_AMBIENT_RAISE))
		return -EPERM;
	proc.cap_amb |= bit;
	return 0;
}

/* Linux's cap_task_prctl, which prctl asks first: the result, or -ENOSYS for an option that is
 * not about capabilities. */
long caps_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	long r;
	switch (option) {
	case PR_CAPBSET_READ:
		return a2 > CAP_LAST_CAP ? -EINVAL : (long)((proc.cap_bnd >> a2) & 1);
	case PR_GET_SECUREBITS:
		return proc.securebits;
	case PR_GET_KEEPCAPS:
		return (proc.securebits & SECBIT_KEEP_CAPS) != 0;
	case PR_CAPBSET_DROP:
	case PR_SET_SECUREBITS:
	case PR_SET_KEEPCAPS:
	case PR_CAP_AMBIENT:
		break;
	default:
		return -ENOSYS;
	}
	struct cred_ids old;
	spin_lock(cred_lock());
	cred_save(&old);
	if (option == PR_CAPBSET_DROP) {
		r = !cred_capable(CAP_SETPCAP) ? -EPERM : a2 > CAP_LAST_CAP ? -EINVAL : 0;
		if (r == 0)
			proc.cap_bnd &= ~(1ULL << a2);
	} else if (option == PR_SET_SECUREBITS) {
		r = set_securebits(a2);
	} else if (option == PR_SET_KEEPCAPS) {
		r = a2 > 1 ? -EINVAL : (proc.securebits & SECBIT_KEEP_CAPS_LOCKED) ? -EPERM : 0;
		if (r == 0)
			proc.securebits = a2 ? proc.securebits | SECBIT_KEEP_CAPS
					     : proc.securebits & ~SECBIT_KEEP_CAPS;
	} else {
		r = ambient(a2, a3, a4, a5);
	}
	if (r == 0)
		cred_committed(&old);
	spin_unlock(cred_lock());
	return r;
}
