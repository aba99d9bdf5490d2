/* libos/signal/sys_kill.c — kill, tkill, tgkill with Linux's argument checks. With one process
 * and no delivery yet, a signal can only target the caller itself: signal 0 probes, a signal
 * whose action is the default terminates it (sig_raise_sync), anything else is accepted. */
#include "signal.h"
#include "../errno.h"
#include "../process/process.h"

#define NSIG 64

/* Default action "ignore": SIGCHLD, SIGCONT, SIGURG, SIGWINCH. */
static int ignored_by_default(int sig)
{
	return sig == 17 || sig == 18 || sig == 23 || sig == 28;
}

static long send_self(int sig)
{
	if (sig == 0 || ignored_by_default(sig))
		return 0;
	sig_raise_sync(sig);
	return 0;
}

long sys_kill(int pid, int sig)
{
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	/* pid > 0: that process; 0: the caller's group; -1: all it may signal; < -1: group -pid. */
	if (pid == proc.pid || pid == 0 || pid == -1 || pid == -proc.pgid)
		return send_self(sig);
	return -ESRCH;
}

long sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > NSIG)
		return -EINVAL;
	if (tgid != proc.pid || tid != thread_current()->tid)
		return -ESRCH;
	return send_self(sig);
}

long sys_tkill(int tid, int sig)
{
	if (tid <= 0 || sig < 0 || sig > NSIG)
		return -EINVAL;
	if (tid != thread_current()->tid)
		return -ESRCH;
	return send_self(sig);
}
