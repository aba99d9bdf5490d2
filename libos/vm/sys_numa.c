/* libos/vm/sys_numa.c — memory-policy calls and membarrier. An instance is one NUMA node (node 0):
 * policies are checked as Linux checks them and then accepted as no-ops; membarrier is the host's,
 * since the app's threads are host threads. */
#include "vm_internal.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/mem.h"
#include "../../pal/pal.h"

#define MPOL_MAX_ 7	/* DEFAULT PREFERRED BIND INTERLEAVE LOCAL PREFERRED_MANY WEIGHTED_INTERLEAVE */
#define MPOL_MODE_FLAGS_ ((1u << 15) | (1u << 14) | (1u << 13))
#define MPOL_MF_VALID_ (1u | 2u | 4u)	/* STRICT MOVE MOVE_ALL */
#define MPOL_F_NODE_ 1
#define MPOL_F_ADDR_ 2
#define MPOL_F_MEMS_ALLOWED_ 4

/* Reads the app's node mask and checks it names no node but node 0 (when it names any). */
static long read_nodes(const unsigned long *nmask, unsigned long maxnode, int *has_node0)
{
	*has_node0 = 0;
	if (!nmask || maxnode <= 1)
		return 0;
	maxnode--;	/* Linux's off-by-one: maxnode counts one bit more than it reads */
	if (maxnode > 64 * 1024)
		return -EINVAL;
	unsigned long words = (maxnode + 63) / 64;
	for (unsigned long i = 0; i < words; i++) {
		unsigned long w;
		if (copy_from_user(&w, nmask + i, sizeof(w)) < 0)
			return -EFAULT;
		if (i == words - 1 && maxnode % 64)
			w &= (1ul << (maxnode % 64)) - 1;
		if (i == 0 && (w & 1))
			*has_node0 = 1;
		if (i == 0 ? (w & ~1ul) : w)
			return -EINVAL;	/* a node that does not exist */
	}
	return 0;
}

static long check_policy(unsigned long mode, const unsigned long *nmask, unsigned long maxnode)
{
	unsigned long m = mode & ~(unsigned long)MPOL_MODE_FLAGS_;
	if (m >= MPOL_MAX_)
		return -EINVAL;
	int node0;
	long r = read_nodes(nmask, maxnode, &node0);
	if (r < 0)
		return r;
	if (m == 0 /* DEFAULT */ || m == 4 /* LOCAL */)
		return node0 ? -EINVAL : 0;
	return node0 ? 0 : -EINVAL;	/* the others need a node */
}

long sys_set_mempolicy(int mode, const unsigned long *nmask, unsigned long maxnode)
{
	return check_policy((unsigned long)(unsigned)mode, nmask, maxnode);
}

long sys_mbind(unsigned long start, unsigned long len, unsigned long mode, const unsigned long *nmask,
	       unsigned long maxnode, unsigned flags)
{
	if ((flags & ~MPOL_MF_VALID_) || (start & (PAGE_SIZE - 1)))
		return -EINVAL;
	long r = check_policy(mode, nmask, maxnode);
	if (r < 0)
		return r;
	uint64_t end = start + PAGE_ALIGN(len);
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	spin_lock(&vm.lock);
	r = vm_range_mapped(start, end) ? 0 : -EFAULT;
	spin_unlock(&vm.lock);
	return r;
}

long sys_get_mempolicy(int *policy, unsigned long *nmask, unsigned long maxnode, unsigned long addr,
		       unsigned long flags)
{
	if (flags & ~(unsigned long)(MPOL_F_NODE_ | MPOL_F_ADDR_ | MPOL_F_MEMS_ALLOWED_))
		return -EINVAL;
	if ((flags & MPOL_F_MEMS_ALLOWED_) && (flags & (MPOL_F_NODE_ | MPOL_F_ADDR_)))
		return -EINVAL;
	if (nmask && maxnode < 1)
		return -EINVAL;
	if (flags & MPOL_F_ADDR_) {
		spin_lock(&vm.lock);
		int ok = vm_range_mapped(addr & ~(PAGE_SIZE - 1), (addr & ~(PAGE_SIZE - 1)) + PAGE_SIZE);
		spin_unlock(&vm.lock);
		if (!ok)
			return -EFAULT;
	}
	int mode = 0;	/* MPOL_DEFAULT, or node 0 for MPOL_F_NODE */
	if (policy && copy_to_user(policy, &mode, sizeof(mode)) < 0)
		return -EFAULT;
	if (nmask) {
		unsigned long words = (maxnode + 63) / 64, w;
		for (unsigned long i = 0; i < words && i < 1024; i++) {
			w = (i == 0 && (flags & MPOL_F_MEMS_ALLOWED_)) ? 1 : 0;
			if (copy_to_user(nmask + i, &w, sizeof(w)) < 0)
				return -EFAULT;
		}
	}
	return 0;
}

long sys_process_madvise(int pidfd, const void *vec, size_t vlen, int advice, unsigned flags)
{
	(void)pidfd;
	(void)advice;
	if (flags)
		return -EINVAL;
	if (vlen > 1024)
		return -EINVAL;
	if (vlen && !access_ok(vec, vlen * 16))
		return -EFAULT;
	return -EBADF;	/* the instance has no pidfds yet, so no descriptor can name a process */
}

long sys_membarrier(int cmd, unsigned flags, int cpu_id)
{
	return PAL_CALL3(__NR_membarrier, cmd, flags, cpu_id);
}
