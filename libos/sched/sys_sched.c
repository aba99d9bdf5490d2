/* libos/sched/sys_sched.c — sched_yield, the affinity calls (the host's CPU set) and the policy
 * queries, with Linux's order of argument checks. */
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../process/process.h"

long sys_sched_yield(void)
{
	return pal_sched_yield();
}

/* The host's CPU set of this thread in mask (MASK_WORDS words); returns Linux's cpumask_size()
 * (how many bytes of a mask the kernel reads or writes), or -errno. */
#define MASK_WORDS 128	/* 8192 CPUs, Linux's largest NR_CPUS */
static long host_mask(uint64_t *mask)
{
	return pal_sched_getaffinity(0, MASK_WORDS * 8, mask);
}

/* Linux's order: the length (EINVAL), the pid (ESRCH), the copy (EFAULT). The length is an
 * unsigned int as in Linux's prototype, and must cover nr_cpu_ids bits (taken here as the
 * highest CPU the host lets us use). */
long sys_sched_getaffinity(int pid, size_t len64, void *umask)
{
	uint64_t mask[MASK_WORDS] = { 0 };
	unsigned len = (unsigned)len64;
	long r = host_mask(mask);
	if (r < 0)
		return r;
	unsigned ncpu = 1;
	for (unsigned i = 0; i < (unsigned)r * 8; i++)
		if (mask[i / 64] >> (i % 64) & 1)
			ncpu = i + 1;
	if (len * 8 < ncpu || (len & 7))
		return -EINVAL;
	if (pid < 0 || (pid != 0 && pid != proc.pid))
		return -ESRCH;
	size_t n = len < (unsigned long)r ? len : (size_t)r;
	if (copy_to_user(umask, mask, n) < 0)
		return -EFAULT;
	return (long)n;
}

/* The instance has the host's CPUs; an affinity request must name at least one of them. Linux
 * copies the mask first (at most cpumask_size() bytes), then looks the pid up. */
long sys_sched_setaffinity(int pid, size_t len64, const void *umask)
{
	uint64_t mask[MASK_WORDS] = { 0 }, host[MASK_WORDS] = { 0 };
	unsigned len = (unsigned)len64;
	long r = host_mask(host);
	if (r < 0)
		return r;
	size_t n = len < (unsigned long)r ? len : (size_t)r;
	if (copy_from_user(mask, umask, n) < 0)
		return -EFAULT;
	if (pid < 0 || (pid != 0 && pid != proc.pid))
		return -ESRCH;
	for (int i = 0; i < MASK_WORDS; i++)
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

/* SCHED_FIFO and SCHED_RR (1, 2) have priorities 1..99; SCHED_NORMAL, SCHED_BATCH, SCHED_IDLE,
 * SCHED_DEADLINE and SCHED_EXT (0, 3, 5, 6, 7) only 0; 4 is unused. */
static int policy_known(int policy)
{
	return policy >= 0 && policy <= 7 && policy != 4;
}

long sys_sched_get_priority_max(int policy)
{
	return policy == 1 || policy == 2 ? 99 : policy_known(policy) ? 0 : -EINVAL;
}

long sys_sched_get_priority_min(int policy)
{
	return policy == 1 || policy == 2 ? 1 : policy_known(policy) ? 0 : -EINVAL;
}
