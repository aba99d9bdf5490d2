/* libos/signal/sys_sigaction.c — rt_sigaction, rt_sigprocmask and rt_sigpending with Linux's
 * checks. Masks are the LibOS's: the host mask of app threads stays empty, since the LibOS needs
 * SIGSYS, the fault signals and its kick unblocked on every thread. */
#include "frame.h"
#include "remote.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../process/process.h"
#include "../../lib/mem.h"

#define UNBLOCKABLE (SIGBIT(9) | SIGBIT(19))	/* SIGKILL, SIGSTOP */

long sys_rt_sigaction(int sig, const void *uact, void *uoact, size_t sigsetsize)
{
	struct k_sigaction act;
	/* Linux's order: size, copy in, validity, update, copy out (after the update). */
	if (sigsetsize != 8)
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)) < 0)
		return -EFAULT;
	if (sig < 1 || sig > SIG_NUM || (uact && (sig == 9 || sig == 19)))
		return -EINVAL;
	spin_lock(&sigs.lock);
	struct k_sigaction old = sigs.actions[sig];
	if (uact) {
		act.mask &= ~UNBLOCKABLE;
		sigs.actions[sig] = act;
	}
	spin_unlock(&sigs.lock);
	if (uact)
		sig_publish_actions();
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
		spin_lock(&sigs.lock);
		switch (how) {
		case 0: t->sigmask |= set; break;	/* SIG_BLOCK */
		case 1: t->sigmask &= ~set; break;	/* SIG_UNBLOCK */
		case 2: t->sigmask = set; break;	/* SIG_SETMASK */
		default: spin_unlock(&sigs.lock); return -EINVAL;
		}
		spin_unlock(&sigs.lock);
		/* Senders drop what the process ignores unless it blocks it: tell them. */
		if (t == proc.main_thread && ((old ^ t->sigmask) & sig_ignored_candidates()))
			sig_publish_actions();
	}
	/* Newly unblocked signals are delivered on the way out of this call. */
	if (uoset && copy_to_user(uoset, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

/* The signals pending for the caller that it blocks (Linux's definition). */
long sys_rt_sigpending(void *uset, size_t sigsetsize)
{
	if (sigsetsize > 8)
		return -EINVAL;
	struct libos_thread *t = thread_current();
	sig_take_incoming();
	spin_lock(&sigs.lock);
	uint64_t set = (t->sigpending | sigs.pending) & t->sigmask;
	spin_unlock(&sigs.lock);
	return copy_to_user(uset, &set, sigsetsize);
}
