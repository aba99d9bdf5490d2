/* libos/signal/sys_sigwait.c — pause and rt_sigsuspend: sleep until a signal the thread does not
 * block arrives; the handler runs on the way out and the call returns EINTR, as under Linux.
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
