/* libos/signal/sys_sigwait.c — pause and rt_sigsuspend: sleep until a signal the thread does not
 * block arrives; the handler runs on the way out and the call returns EINTR, as under Linux.
 * rt_sigtimedwait takes a signal of a set without running its handler.
 * rt_sigsuspend's temporary mask stays in force until that handler's frame is built (the frame
 * records the caller's own mask, which rt_sigreturn brings back). */
#include "frame.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../process/process.h"

long sys_pause(void)
{
	sig_wait();
	return -EINTR;
}

long sys_rt_sigsuspend(const void *umask, size_t sigsetsize)
{
	uint64_t mask;
	if (sigsetsize != 8)
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)) < 0)
		return -EFAULT;
	struct libos_thread *t = thread_current();
	spin_lock(&sigs.lock);
	t->saved_mask = t->sigmask;
	t->restore_mask = 1;
	t->sigmask = mask & ~(SIGBIT(9) | SIGBIT(19));
	spin_unlock(&sigs.lock);
	sig_wait();
	return -EINTR;
}

long sys_rt_sigtimedwait(const void *uset, void *uinfo, const void *uts, size_t sigsetsize)
{
	uint64_t set;
	int64_t ts[2];
	if (sigsetsize != 8)
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)) < 0)
		return -EFAULT;
	if (uts) {
		if (copy_from_user(ts, uts, sizeof(ts)) < 0)
			return -EFAULT;
		if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000ll)
			return -EINVAL;
	}
	struct ksiginfo info;
	long r = sig_take(set & ~(SIGBIT(9) | SIGBIT(19)), &info, uts ? ts : 0);
	if (r > 0 && uinfo && copy_to_user(uinfo, &info, sizeof(info)) < 0)
		return -EFAULT;
	return r;
}
