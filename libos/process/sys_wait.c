/* libos/process/sys_wait.c — wait4 and waitid, after Linux's kernel/exit.c: argument checks, the
 * child selection (ptree.c), sleeping on the process's child_event futex until a child ends or a
 * signal comes, and the status, siginfo and rusage written back. Stopped and continued children
 * never show: there is no job control yet. */
#include "process.h"
#include "ptree.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/mem.h"

#define WUNTRACED_ 2
#define WCONTINUED_ 8
#define P_PIDFD_ 3

static long do_wait(int idtype, int id, unsigned options, struct wait_result *w)
{
	for (;;) {
		uint32_t seq = __atomic_load_n(&sh_self->child_event, __ATOMIC_ACQUIRE);
		ptree_collect_host_exits();
		long r = ptree_wait_once(idtype, id, options, w);
		if (r != 0 || (options & WNOHANG_))
			return r;
		if ((r = sig_block_begin()) < 0)
			return r;
		/* The timeout only bounds how long a child killed from the host goes unnoticed. */
		int64_t ts[2] = { 1, 0 };
		r = sig_block_end(pal_block_futex(&sh_self->child_event, 0 /* FUTEX_WAIT, shared */,
						  seq, (long)ts, 0, 0));
		if (r == -ERESTARTSYS)
			return r;
		if (r == -ETIMEDOUT)
			ptree_reap_vanished();
	}
}

long sys_wait4(int pid, int *ustatus, unsigned options, void *urusage)
{
	if (options & ~(WNOHANG_ | WUNTRACED_ | WCONTINUED_ | WNOTHREAD_ | WCLONE_ | WALL_))
		return -EINVAL;
	if (pid == (int)0x80000000)	/* -INT_MIN is no group */
		return -ESRCH;
	int idtype = P_PID_, id = pid;
	if (pid == -1)
		idtype = P_ALL_;
	else if (pid < 0)
		idtype = P_PGID_, id = -pid;
	else if (pid == 0)
		idtype = P_PGID_, id = (int)ptree_getpgid(0);
	struct wait_result w;
	long r = do_wait(idtype, id, options | WEXITED_, &w);
	if (r > 0 && ustatus && copy_to_user(ustatus, &w.ws, sizeof(w.ws)) < 0)
		return -EFAULT;
	if (r > 0 && urusage && rusage_put(urusage, w.utime_us, w.stime_us, w.maxrss_kb) < 0)
		return -EFAULT;
	return r;
}

/* Linux's argument checks of waitid (kernel_waitid_prepare): 0, or -errno. */
static long waitid_args(int idtype, int *id, unsigned options)
{
	if (options & ~(WNOHANG_ | WNOWAIT_ | WEXITED_ | WUNTRACED_ | WCONTINUED_ | WNOTHREAD_ |
			WCLONE_ | WALL_))
		return -EINVAL;
	if (!(options & (WEXITED_ | WUNTRACED_ | WCONTINUED_)))
		return -EINVAL;
	switch (idtype) {
	case P_ALL_:
		return 0;
	case P_PID_:
		return *id <= 0 ? -EINVAL : 0;
	case P_PGID_:
		if (*id < 0)
			return -EINVAL;
		if (*id == 0)
			*id = (int)ptree_getpgid(0);
		return 0;
	case P_PIDFD_:
		return -EBADF;	/* no descriptor of the instance refers to a process yet */
	default:
		return -EINVAL;
	}
}

long sys_waitid(int idtype, int id, void *uinfo, unsigned options, void *urusage)
{
	struct wait_result w;
	memset(&w, 0, sizeof(w));
	long r = waitid_args(idtype, &id, options);
	if (r == 0)
		r = do_wait(idtype, id, options, &w);
	if (r > 0 && urusage && rusage_put(urusage, w.utime_us, w.stime_us, w.maxrss_kb) < 0)
		return -EFAULT;
	if (!uinfo)
		return r < 0 ? r : 0;
	/* Linux writes these fields whatever the outcome (zero when no child was ready or the call
	 * failed), so a bad infop is EFAULT even after an error; the child is reaped by then. */
	int32_t head[4] = { r > 0 ? 17 /* SIGCHLD */ : 0, 0, r > 0 ? w.code : 0, 0 };
	int32_t who[3] = { r > 0 ? w.pid : 0, r > 0 ? (int32_t)w.uid : 0, r > 0 ? w.status : 0 };
	if (copy_to_user(uinfo, head, 12) < 0 || copy_to_user((char *)uinfo + 16, who, 12) < 0)
		return -EFAULT;
	return r < 0 ? r : 0;
}
