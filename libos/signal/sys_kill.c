/* libos/signal/sys_kill.c — kill, tkill, tgkill, rt_sigqueueinfo and rt_tgsigqueueinfo with
 * Linux's argument checks, targets and permission rule: a process (any of its tids names it), a
 * process group, or every process but init and the caller; another process only if the sender's
 * real or effective uid is its real or saved uid (its slot's), or with CAP_KILL, or SIGCONT within
 * the session. Other processes are reached through remote.c. */
#include "signal.h"
#include "remote.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../process/process.h"
#include "../process/cred.h"
#include "../process/pidfd.h"

static struct ksiginfo from_user(int sig, int code)
{
	struct ksiginfo info = { .signo = sig, .code = code };
	info.kill.pid = proc.pid;
	info.kill.uid = proc.uid;
	return info;
}

#define SIGCONT_ 18

/* Linux's check_kill_permission for a signal from a process to p: its own threads always. */
static int may_signal(struct sh_proc *p, int sig)
{
	if (p == sh_self)
		return 1;
	uint32_t uid = __atomic_load_n(&p->uid, __ATOMIC_RELAXED);
	uint32_t suid = __atomic_load_n(&p->suid, __ATOMIC_RELAXED);
	if (proc.euid == suid || proc.euid == uid || proc.uid == suid || proc.uid == uid ||
	    cred_capable(CAP_KILL))
		return 1;
	return sig == SIGCONT_ &&
	       __atomic_load_n(&p->sid, __ATOMIC_RELAXED) == __atomic_load_n(&sh_self->sid, __ATOMIC_RELAXED);
}

/* Linux checks the signal number per target, after finding it (check_kill_permission): a
 * missing target is ESRCH even with a bad signal. */
static int bad_signal(const struct ksiginfo *info)
{
	return info->signo < 0 || info->signo > SIG_NUM;
}

/* Process p with pid `pid` (this one or another) gets info; signal 0 only checks that it
 * exists and may be signalled. */
static long send_process(struct sh_proc *p, int pid, const struct ksiginfo *info)
{
	if (bad_signal(info))
		return -EINVAL;
	if (!may_signal(p, info->signo))
		return -EPERM;
	if (!info->signo)
		return 0;
	if (p == sh_self)
		return sig_send(0, info->signo, info);
	return remote_send(p, pid, 0, info);
}

/* kill(0), kill(-pgid) and kill(-1): every member, the caller last (it may not come back).
 * A group's answer is success if any member took the signal, else the error (EPERM); kill(-1)
 * is success when there was anyone to try, unless an error other than EPERM came (Linux's). */
static long send_many(int pgid, const struct ksiginfo *info)
{
	struct sh_proc *list[SH_PROCS];
	int pids[SH_PROCS];
	int n = 0, self = 0;
	sh_lock();
	for (int i = 0; i < shr->nprocs; i++) {
		struct sh_proc *p = &shr->procs[i];
		if (!p->pid || (pgid ? p->pgid != pgid : (p->pid == 1 || p == sh_self)))
			continue;
		if (p == sh_self) {
			self = 1;
		} else {
			pids[n] = p->pid;
			list[n++] = p;
		}
	}
	sh_unlock();
	if (!n && !self)
		return -ESRCH;
	long r = pgid ? -ESRCH : 0, err = -ESRCH;
	for (int i = 0; i < n; i++) {
		long e = send_process(list[i], pids[i], info);
		if (pgid ? e == 0 : e != -EPERM)
			r = e;
		err = e;
	}
	if (self) {	/* the caller last, counted as any member */
		long e = send_process(sh_self, proc.pid, info);
		if (pgid ? e == 0 : e != -EPERM)
			r = e;
		err = e;
	}
	return pgid && r ? err : r;
}

long sys_kill(int pid, int sig)
{
	struct ksiginfo info = from_user(sig, SI_USER_);
	if (pid > 0) {
		int tgid;
		struct sh_proc *p = sh_lookup(pid, &tgid);	/* a thread's id names its process */
		return p ? send_process(p, tgid, &info) : -ESRCH;
	}
	if (pid == -1)
		return send_many(0, &info);
	if (pid == (int)0x80000000)
		return -ESRCH;
	return send_many(pid ? -pid : __atomic_load_n(&sh_self->pgid, __ATOMIC_RELAXED), &info);
}

/* tgkill/tkill/rt_tgsigqueueinfo: thread tid (of process tgid, if > 0). */
static long send_thread(int tgid, int tid, const struct ksiginfo *info)
{
	int owner;
	struct sh_proc *p = sh_lookup(tid, &owner);
	if (!p || (tgid > 0 && owner != tgid))
		return -ESRCH;
	if (p == sh_self && !thread_by_tid(tid))
		return -ESRCH;
	if (bad_signal(info))
		return -EINVAL;
	if (!may_signal(p, info->signo))
		return -EPERM;
	if (!info->signo)
		return 0;
	if (p == sh_self)
		return sig_send(tid, info->signo, info);
	return remote_send(p, owner, tid, info);
}

long sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	struct ksiginfo info = from_user(sig, SI_TKILL_);
	return send_thread(tgid, tid, &info);
}

long sys_tkill(int tid, int sig)
{
	if (tid <= 0)
		return -EINVAL;
	struct ksiginfo info = from_user(sig, SI_TKILL_);
	return send_thread(0, tid, &info);
}

/* The app's own siginfo: it may not pretend to be the kernel or kill() when sending to
 * another process (si_code >= 0, or SI_TKILL). */
static long queued_info(int to_itself, int sig, const void *uinfo, struct ksiginfo *info)
{
	if (copy_from_user(info, uinfo, sizeof(*info)) < 0)
		return -EFAULT;
	if ((info->code >= 0 || info->code == SI_TKILL_) && !to_itself)
		return -EPERM;
	info->signo = sig;	/* checked once the target is found */
	return 0;
}

long sys_rt_sigqueueinfo(int pid, int sig, const void *uinfo)
{
	struct ksiginfo info;
	/* Linux compares the caller's own thread id with the target (a sibling thread is not
	 * "itself"). */
	long r = queued_info(pid == thread_current()->tid, sig, uinfo, &info);
	if (r < 0)
		return r;
	int tgid;
	struct sh_proc *p = sh_lookup(pid, &tgid);
	return p ? send_process(p, tgid, &info) : -ESRCH;
}

long sys_rt_tgsigqueueinfo(int tgid, int tid, int sig, const void *uinfo)
{
	/* Linux copies the siginfo before it looks at the ids. */
	struct ksiginfo info;
	if (copy_from_user(&info, uinfo, sizeof(info)) < 0)
		return -EFAULT;
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	long r = queued_info(tid == thread_current()->tid, sig, uinfo, &info);
	return r < 0 ? r : send_thread(tgid, tid, &info);
}

#define PIDFD_SIGNAL_THREAD		1
#define PIDFD_SIGNAL_THREAD_GROUP	2
#define PIDFD_SIGNAL_PROCESS_GROUP	4

/* pidfd_send_signal in Linux's order: flags (one scope at most), the pidfd, the siginfo (its
 * signo must be sig; a forged one only to oneself), then whether the target is still there, and
 * the signal number last. The scope is the pidfd's kind unless a flag says otherwise. */
long sys_pidfd_send_signal(int pidfd, int sig, const void *uinfo, unsigned flags)
{
	unsigned scope = flags & (PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP |
				  PIDFD_SIGNAL_PROCESS_GROUP);
	if (flags != scope || (scope & (scope - 1)))
		return -EINVAL;
	struct pidfd_ref ref;
	long r = pidfd_target(pidfd, &ref);
	if (r < 0)
		return r;
	if (!scope)
		scope = ref.thread ? PIDFD_SIGNAL_THREAD : PIDFD_SIGNAL_THREAD_GROUP;
	struct ksiginfo info;
	if (uinfo) {
		if (copy_from_user(&info, uinfo, sizeof(info)) < 0)
			return -EFAULT;
		if (info.signo != sig)
			return -EINVAL;
		int itself = ref.pid == thread_current()->tid && scope != PIDFD_SIGNAL_PROCESS_GROUP;
		if (!itself && (info.code >= 0 || info.code == SI_TKILL_))
			return -EPERM;
	} else {
		info = from_user(sig, scope == PIDFD_SIGNAL_THREAD ? SI_TKILL_ : SI_USER_);
	}
	int tgid;
	struct sh_proc *p = pidfd_proc(&ref, &tgid);
	if (!p)
		return -ESRCH;
	if (sig < 0 || sig > SIG_NUM)
		return -EINVAL;
	if (scope == PIDFD_SIGNAL_THREAD)
		return send_thread(tgid, ref.pid, &info);
	if (scope == PIDFD_SIGNAL_PROCESS_GROUP)
		return send_many(__atomic_load_n(&p->pgid, __ATOMIC_RELAXED), &info);
	return send_process(p, tgid, &info);
}
