/* libos/sched/sys_sched.c — sched_yield and sched_getaffinity (the host's CPU set). */
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../process/process.h"

long sys_sched_yield(void)
{
	return pal_sched_yield();
}

long sys_sched_getaffinity(int pid, size_t len, void *umask)
{
	uint64_t mask[16] = { 0 };
	if (pid < 0)
		return -ESRCH;
	if (pid != 0 && pid != proc.pid)
		return -ESRCH;
	if ((len & 7) || len < 8)
		return -EINVAL;
	long r = pal_sched_getaffinity(0, sizeof(mask), mask);
	if (r < 0)
		return r;
	if ((size_t)r > len)
		return -EINVAL;
	if (copy_to_user(umask, mask, (size_t)r) < 0)
		return -EFAULT;
	return r;
}
