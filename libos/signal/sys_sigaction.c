/* libos/signal/sys_sigaction.c — rt_sigaction and rt_sigprocmask, recorded faithfully with
 * Linux's checks. Nothing is delivered yet and the host mask is never touched: the LibOS needs
 * SIGSYS and the fault signals unblocked on every thread. */
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../process/process.h"
#include "../../lib/mem.h"
#include "signal.h"

#define NSIG 64
#define SIGKILL 9
#define SIGSTOP 19

struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

static struct k_sigaction actions[NSIG + 1];

#define UNBLOCKABLE ((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)))

long sys_rt_sigaction(int sig, const void *uact, void *uoact, size_t sigsetsize)
{
	struct k_sigaction act;
	/* Linux's order: size, copy in, validity, update, copy out (after the update). */
	if (sigsetsize != 8)
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)) < 0)
		return -EFAULT;
	if (sig < 1 || sig > NSIG || (uact && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	struct k_sigaction old = actions[sig];
	if (uact) {
		act.mask &= ~UNBLOCKABLE;
		actions[sig] = act;
	}
	if (uoact && copy_to_user(uoact, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(int how, const void *uset, void *uoset, size_t sigsetsize)
{
	struct libos_thread *t = thread_current();
	uint64_t set, old = t->sigmask;
	if (sigsetsize != 8)
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)) < 0)
			return -EFAULT;
		set &= ~UNBLOCKABLE;
		switch (how) {
		case 0: t->sigmask |= set; break;	/* SIG_BLOCK */
		case 1: t->sigmask &= ~set; break;	/* SIG_UNBLOCK */
		case 2: t->sigmask = set; break;	/* SIG_SETMASK */
		default: return -EINVAL;
		}
	}
	if (uoset && copy_to_user(uoset, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_rt_sigpending(void *uset, size_t sigsetsize)
{
	uint64_t none = 0;
	if (sigsetsize > 8)
		return -EINVAL;
	return copy_to_user(uset, &none, sigsetsize);
}

/* Pid 1 is the instance's init: as on Linux, a signal whose action is the default does nothing
 * to it when it comes from inside its own pid namespace (kill, SIGPIPE), SIGKILL included. */
void sig_raise_sync(int sig)
{
	if (proc.pid == 1)
		return;
	if (actions[sig].handler == 0 /* SIG_DFL */ && !(thread_current()->sigmask & (1ull << (sig - 1))))
		pal_die_by_signal(sig);
}
