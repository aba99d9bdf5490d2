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

/* The instance has the host's CPUs; an affinity request must name at least one of them. */
long sys_sched_setaffinity(int pid, size_t len, const void *umask)
{
	uint64_t mask[16] = { 0 }, host[16] = { 0 };
	if (pid < 0 || (pid != 0 && pid != proc.pid))
		return -ESRCH;
	size_t n = len < sizeof(mask) ? len : sizeof(mask);
	if (copy_from_user(mask, umask, n) < 0)
		return -EFAULT;
	long r = pal_sched_getaffinity(0, sizeof(host), host);
	if (r < 0)
		return r;
	for (int i = 0; i < 16; i++)
		if (mask[i] & host[i])
			return 0;
	return -EINVAL;
}

long sys_sched_getscheduler(int pid)
{
	if (pid < 0)
		return -EINVAL;
	if (pid != 0 && pid != proc.pid)
		return -ESRCH;
	return 0;	/* SCHED_OTHER */
}

long sys_sched_getparam(int pid, void *uparam)
{
	int prio = 0;
	if (pid < 0 || !uparam)
		return -EINVAL;
	if (pid != 0 && pid != proc.pid)
		return -ESRCH;
	return copy_to_user(uparam, &prio, sizeof(prio));
}

long sys_sched_get_priority_max(int policy)
{
	return policy == 1 || policy == 2 ? 99 : policy == 0 || policy == 3 || policy == 5 ? 0 : -EINVAL;
}

long sys_sched_get_priority_min(int policy)
{
	return policy == 1 || policy == 2 ? 1 : policy == 0 || policy == 3 || policy == 5 ? 0 : -EINVAL;
}
