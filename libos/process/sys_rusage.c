/* libos/process/sys_rusage.c — getrusage, times, getgroups, getpriority, getcpu: accounting comes
 * from the host process (one LibOS process is one host process). */
#include "process.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/mem.h"

long sys_getrusage(int who, void *uru)
{
	char ru[144];
	if (who != 0 && who != -1 && who != 1)	/* SELF, CHILDREN, THREAD */
		return -EINVAL;
	long r = pal_getrusage(who, ru);
	if (r < 0)
		return r;
	return copy_to_user(uru, ru, sizeof(ru));
}

long sys_times(void *ubuf)
{
	long t[4];
	long r = pal_times(t);
	if (ubuf && copy_to_user(ubuf, t, sizeof(t)) < 0)
		return -EFAULT;
	return r;
}

long sys_getgroups(int size, unsigned *ulist)
{
	if (size < 0)
		return -EINVAL;
	(void)ulist;
	return 0;	/* no supplementary groups */
}

long sys_getpriority(int which, int who)
{
	if (which < 0 || which > 2)
		return -EINVAL;
	if (who != 0 && who != proc.pid)
		return -ESRCH;
	return 20;	/* nice 0, in the kernel's 40-nice encoding */
}

long sys_getcpu(unsigned *ucpu, unsigned *unode, void *cache)
{
	(void)cache;
	unsigned zero = 0;
	if (ucpu && copy_to_user(ucpu, &zero, sizeof(zero)) < 0)
		return -EFAULT;
	if (unode && copy_to_user(unode, &zero, sizeof(zero)) < 0)
		return -EFAULT;
	return 0;
}
