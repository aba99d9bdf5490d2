/* libos/process/sys_prctl.c — prctl with the options, argument checks and answers of Linux 6.x on
 * x86-64 (kernel/sys.c): capability options first (sys_caps.c, as Linux asks its security hook
 * first), then the process's own state. Options of other architectures, of kernel features an
 * instance has not (seccomp, syscall user dispatch, which the LibOS itself uses, memory-deny-
 * write-execute, anonymous-mapping names) and unknown ones are EINVAL, as such a kernel answers. */
#include "process.h"
#include "cred.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../loader/stack.h"
#include "../../lib/mem.h"
#include <linux/prctl.h>

#define pr (proc.prctl)	/* the process's own: a vfork child's changes stay its own */

/* Options newer than the kernel headers the LibOS is built with. */
#define PR_GET_AUXV_ 0x41555856
#define PR_SET_MEMORY_MERGE_ 67
#define PR_GET_MEMORY_MERGE_ 68
#define PR_TIMER_CREATE_RESTORE_IDS_ 77
#define PR_FUTEX_HASH_ 78
#define PR_THP_DISABLE_EXCEPT_ADVISED_ (1 << 1)
#define DEFAULT_TIMER_SLACK_NS 50000
#define PRCTL_MM_MAP_SIZE 104	/* sizeof(struct prctl_mm_map) */

static long put_int(unsigned long uaddr, int v)
{
	return copy_to_user((void *)uaddr, &v, sizeof(v)) < 0 ? -EFAULT : 0;
}

/* PR_SET_NAME reads at most 15 bytes, as Linux's strncpy_from_user into comm: a name that
 * ends unterminated at the end of readable memory is still taken. */
static long set_name(unsigned long uname)
{
	char n[16] = { 0 };
	for (int i = 0; i < 15; i++) {
		if (copy_from_user(&n[i], (const char *)uname + i, 1) < 0)
			return -EFAULT;
		if (!n[i])
			break;
	}
	memcpy(pr.name, n, sizeof(n));
	return 0;
}

static long get_name(unsigned long uname)
{
	if (!pr.name[0]) {
		const char *s = strrchr(proc.exe_path, '/');
		strlcpy(pr.name, s ? s + 1 : proc.exe_path, sizeof(pr.name));
	}
	return copy_to_user((void *)uname, pr.name, sizeof(pr.name)) < 0 ? -EFAULT : 0;
}

/* PR_MCE_KILL: the process's machine-check policy (kept, for PR_MCE_KILL_GET). */
static long mce_kill(unsigned long how, unsigned long policy, unsigned long a4, unsigned long a5)
{
	if (a4 | a5)
		return -EINVAL;
	if (how == PR_MCE_KILL_CLEAR) {
		if (policy)
			return -EINVAL;
		pr.mce_kill = 0;
		return 0;
	}
	if (how != PR_MCE_KILL_SET || policy > PR_MCE_KILL_DEFAULT)
		return -EINVAL;
	pr.mce_kill = policy == PR_MCE_KILL_DEFAULT ? 0 : (int)policy + 1;	/* 0: the default */
	return 0;
}

/* PR_SET_MM: the sizes and checks Linux makes before it changes anything. Changing the
 * memory layout's recorded addresses is not supported: EINVAL, as for an address Linux
 * refuses. */
static long set_mm(unsigned long op, unsigned long addr, unsigned long a4, unsigned long a5)
{
	if (a5 || (a4 && op != PR_SET_MM_AUXV && op != PR_SET_MM_MAP && op != PR_SET_MM_MAP_SIZE))
		return -EINVAL;
	if (op == PR_SET_MM_MAP_SIZE)
		return put_int(addr, PRCTL_MM_MAP_SIZE);
	if (op == PR_SET_MM_MAP)
		return -EINVAL;
	if (!cred_capable(CAP_SYS_RESOURCE))
		return -EPERM;
	return -EINVAL;
}

/* PR_GET_AUXV: the auxiliary vector the program started with, in Linux's fixed-size array. */
static long get_auxv(unsigned long uaddr, unsigned long len)
{
	const uint64_t *a = stack_saved_auxv();
	size_t size = len < STACK_AUXV_BYTES ? len : STACK_AUXV_BYTES;
	if (size && copy_to_user((void *)uaddr, a, size) < 0)
		return -EFAULT;
	return STACK_AUXV_BYTES;
}

/* PR_FUTEX_HASH: the process's private futex hash size (kept; futexes need no hash here). */
static long futex_hash(unsigned long op, unsigned long slots, unsigned long flags, unsigned long a5)
{
	if (a5)
		return -EINVAL;
	if (op == 2 /* PR_FUTEX_HASH_GET_SLOTS */)
		return slots || flags ? -EINVAL : (long)pr.futex_slots;
	if (op != 1 /* PR_FUTEX_HASH_SET_SLOTS */ || flags ||
	    (slots && (slots == 1 || (slots & (slots - 1)) || slots > (1u << 16))))
		return -EINVAL;
	pr.futex_slots = (uint32_t)slots;
	return 0;
}

long sys_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	long r = caps_prctl(option, a2, a3, a4, a5);
	if (r != -ENOSYS)
		return r;
	switch (option) {
	case PR_SET_PDEATHSIG:
		if (a2 > 64)
			return -EINVAL;
		pr.pdeathsig = (int)a2;
		return 0;
	case PR_GET_PDEATHSIG:
		return put_int(a2, pr.pdeathsig);
	case PR_GET_DUMPABLE:
		return pr.dumpable;
	case PR_SET_DUMPABLE:
		if (a2 > 1)
			return -EINVAL;
		pr.dumpable = (int)a2;
		return 0;
	case PR_GET_TIMING:
		return PR_TIMING_STATISTICAL;
	case PR_SET_TIMING:
		return a2 != PR_TIMING_STATISTICAL ? -EINVAL : 0;
	case PR_SET_NAME:
		return set_name(a2);
	case PR_GET_NAME:
		return get_name(a2);
	case PR_GET_SECCOMP:
		return 0;	/* no filter: the instance has no seccomp (PR_SET_SECCOMP is EINVAL) */
	case PR_GET_TSC:
		return put_int(a2, PR_TSC_ENABLE);
	case PR_SET_TSC:
		/* Only "enabled": a faulting rdtsc would also stop the LibOS's own clock reads. */
		return a2 == PR_TSC_ENABLE ? 0 : -EINVAL;
	case PR_TASK_PERF_EVENTS_DISABLE:
	case PR_TASK_PERF_EVENTS_ENABLE:
		return 0;	/* no perf events in an instance: nothing to switch */
	case PR_GET_TIMERSLACK:
		return pr.timer_slack ? (long)pr.timer_slack : DEFAULT_TIMER_SLACK_NS;
	case PR_SET_TIMERSLACK:
		pr.timer_slack = a2;	/* 0 restores the default */
		return 0;
	case PR_MCE_KILL:
		return mce_kill(a2, a3, a4, a5);
	case PR_MCE_KILL_GET:
		if (a2 | a3 | a4 | a5)
			return -EINVAL;
		return pr.mce_kill ? pr.mce_kill - 1 : PR_MCE_KILL_DEFAULT;
	case PR_SET_MM:
		return set_mm(a2, a3, a4, a5);
	case PR_GET_TID_ADDRESS: {
		uint64_t t = thread_current()->clear_child_tid;
		return copy_to_user((void *)a2, &t, sizeof(t)) < 0 ? -EFAULT : 0;
	}
	case PR_SET_CHILD_SUBREAPER:
		pr.child_subreaper = !!a2;
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return put_int(a2, pr.child_subreaper);
	case PR_SET_NO_NEW_PRIVS:
		if (a2 != 1 || a3 || a4 || a5)
			return -EINVAL;
		pr.no_new_privs = 1;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		return a2 || a3 || a4 || a5 ? -EINVAL : pr.no_new_privs;
	case PR_GET_THP_DISABLE:
		return a2 || a3 || a4 || a5 ? -EINVAL : pr.thp_disable;
	case PR_SET_THP_DISABLE:
		if ((a3 & ~(unsigned long)PR_THP_DISABLE_EXCEPT_ADVISED_) || a4 || a5 || (!a2 && a3))
			return -EINVAL;
		pr.thp_disable = !a2 ? 0 : 1 | (a3 ? PR_THP_DISABLE_EXCEPT_ADVISED_ : 0);
		return 0;
	case PR_GET_SPECULATION_CTRL:
		if (a3 || a4 || a5)
			return -EINVAL;
		/* The CPU's mitigations are the host process's: ask (and set) them there. */
		return PAL_CALL5(__NR_prctl, option, a2, 0, 0, 0);
	case PR_SET_SPECULATION_CTRL:
		if (a4 || a5)
			return -EINVAL;
		return PAL_CALL5(__NR_prctl, option, a2, a3, 0, 0);
	case PR_SET_IO_FLUSHER:
		if (!cred_capable(CAP_SYS_RESOURCE))
			return -EPERM;
		if (a3 || a4 || a5 || a2 > 1)
			return -EINVAL;
		pr.io_flusher = (int)a2;
		return 0;
	case PR_GET_IO_FLUSHER:
		if (!cred_capable(CAP_SYS_RESOURCE))
			return -EPERM;
		return a2 || a3 || a4 || a5 ? -EINVAL : pr.io_flusher;
	case PR_SET_SYSCALL_USER_DISPATCH:
		/* Turning it off is a no-op (it is never on for the app); the LibOS itself runs on
		 * syscall user dispatch, so the app cannot have its own. */
		return a2 == PR_SYS_DISPATCH_OFF && !a3 && !a4 && !a5 ? 0 : -EINVAL;
	case PR_GET_AUXV_:
		return a4 || a5 ? -EINVAL : get_auxv(a2, a3);
	case PR_SET_MEMORY_MERGE_:
		if (a3 || a4 || a5)
			return -EINVAL;
		pr.memory_merge = !!a2;
		return 0;
	case PR_GET_MEMORY_MERGE_:
		return a2 || a3 || a4 || a5 ? -EINVAL : pr.memory_merge;
	case PR_TIMER_CREATE_RESTORE_IDS_:
		if (a3 || a4 || a5)
			return -EINVAL;
		/* 0 off, 1 on (checkpoint/restore: timer_create would honour the id asked for,
		 * which the LibOS's timers do not: refused), 2 query. */
		return a2 == 0 || a2 == 2 ? 0 : -EINVAL;
	case PR_FUTEX_HASH_:
		return futex_hash(a2, a3, a4, a5);
	default:
		return -EINVAL;
	}
}
