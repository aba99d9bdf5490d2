/* libos/signal/sys_kill.c — kill, tkill and tgkill with Linux's argument checks. The instance has
 * one process so far: kill reaches it (pid, 0, or its group), tkill/tgkill reach its threads. */
#include "signal.h"
#include "../errno.h"
#include "../process/process.h"

static struct ksiginfo from_user(int sig, int code)
{
	struct ksiginfo info = { .signo = sig, .code = code };
	info.kill.pid = proc.pid;
	info.kill.uid = proc.uid;
	return info;
}

long sys_kill(int pid, int sig)
{
	if (sig < 0 || sig > SIG_NUM)
		return -EINVAL;
	/* pid > 0: that process; 0: the caller's group; -1: every process but init and the
	 * caller (none here); < -1: group -pid. */
	if (pid == -1)
		return -ESRCH;
	if (pid != proc.pid && pid != 0 && pid != -proc.pgid)
		return -ESRCH;
	if (sig == 0)
		return 0;
	struct ksiginfo info = from_user(sig, SI_USER_);
	return sig_send(0, sig, &info);
}

static long send_thread(int tgid, int tid, int sig)
{
	if (tgid > 0 && tgid != proc.pid)
		return -ESRCH;
	if (!thread_by_tid(tid))
		return -ESRCH;
	if (sig == 0)
		return 0;
	struct ksiginfo info = from_user(sig, SI_TKILL_);
	return sig_send(tid, sig, &info);
}

long sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > SIG_NUM)
		return -EINVAL;
	return send_thread(tgid, tid, sig);
}

long sys_tkill(int tid, int sig)
{
	if (tid <= 0 || sig < 0 || sig > SIG_NUM)
		return -EINVAL;
	return send_thread(0, tid, sig);
}
