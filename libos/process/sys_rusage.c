/* libos/process/sys_rusage.c — getrusage, times, getgroups, getpriority, getcpu: a process's own
 * accounting comes from its host process (one LibOS process is one host process); its reaped
 * children's from the process tree, since the host reaps host children without a wait. */
#include "process.h"
#include "ptree.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/mem.h"

long rusage_put(void *uru, int64_t utime_us, int64_t stime_us, int64_t maxrss_kb)
{
	int64_t ru[18] = { 0 };	/* struct rusage: two timevals, then maxrss and 13 more longs */
	ru[0] = utime_us / 1000000, ru[1] = utime_us % 1000000;
	ru[2] = stime_us / 1000000, ru[3] = stime_us % 1000000;
	ru[4] = maxrss_kb;
	return copy_to_user(uru, ru, sizeof(ru)) < 0 ? -EFAULT : 0;
}

long sys_getrusage(int who, void *uru)
{
	char ru[144];
	if (who != 0 && who != -1 && who != 1)	/* SELF, CHILDREN, THREAD */
		return -EINVAL;
	if (who == -1)	/* RUSAGE_CHILDREN: the children waited for, and theirs */
		return rusage_put(uru, sh_self->cutime_us, sh_self->cstime_us, sh_self->cmaxrss_kb);
	long r = pal_getrusage(who, ru);
	if (r < 0)
		return r;
	return copy_to_user(uru, ru, sizeof(ru));
}

long sys_times(void *ubuf)
{
	long t[4];
	long r = pal_times(t);
	t[2] = sh_self->cutime_us / 10000;	/* clock ticks, USER_HZ 100 */
	t[3] = sh_self->cstime_us / 10000;
	if (ubuf && copy_to_user(ubuf, t, sizeof(t)) < 0)
		return -EFAULT;
	return r;
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
