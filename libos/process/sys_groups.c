/* libos/process/sys_groups.c — getgroups and setgroups: the supplementary groups of the process,
 * kept sorted (cred_in_group searches them) in a heap array that only a setgroups under
 * cred_lock replaces; the old array is freed once the lock is dropped. */
#include "process.h"
#include "cred.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include "../../lib/spinlock.h"

#define NGROUPS_MAX_ 65536

/* Heap sort: no recursion, n log n for the 65536 groups setgroups may get. */
static void sift(uint32_t *a, uint32_t root, uint32_t n)
{
	for (uint32_t child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		uint32_t t = a[root];
		a[root] = a[child];
		a[child] = t;
	}
}

static void sort_ids(uint32_t *a, uint32_t n)
{
	for (uint32_t i = n / 2; i-- > 0;)
		sift(a, i, n);
	for (uint32_t end = n; end-- > 1;) {
		uint32_t t = a[0];
		a[0] = a[end];
		a[end] = t;
		sift(a, 0, end);
	}
}

/* The groups are copied out of the lock: cred_lock is a leaf, and a user copy may fault. */
long sys_getgroups(int size, uint32_t *ulist)
{
	if (size < 0)
		return -EINVAL;
	for (;;) {
		uint32_t n = __atomic_load_n(&proc.ngroups, __ATOMIC_RELAXED);
		if (!size || !n)
			return n;
		if (n > (uint32_t)size)
			return -EINVAL;
		uint32_t *g = heap_alloc((size_t)n * 4);
		if (!g)
			return -ENOMEM;
		spin_lock(cred_lock());
		int same = proc.ngroups == n;
		if (same)
			memcpy(g, proc.groups, (size_t)n * 4);
		spin_unlock(cred_lock());
		long r = !same ? -EAGAIN : copy_to_user(ulist, g, (size_t)n * 4) < 0 ? -EFAULT : (long)n;
		heap_free(g);
		if (r != -EAGAIN)
			return r;	/* (else a sibling's setgroups came between: again) */
	}
}

/* Linux's order: the capability, then the size, then the copy and each id's validity. */
long sys_setgroups(int size, const uint32_t *ulist)
{
	if (!cred_capable(CAP_SETGID))
		return -EPERM;
	if ((unsigned)size > NGROUPS_MAX_)
		return -EINVAL;
	uint32_t n = (uint32_t)size, *g = NULL;
	if (n) {
		g = heap_alloc((size_t)n * 4);
		if (!g)
			return -ENOMEM;
		if (copy_from_user(g, ulist, (size_t)n * 4) < 0) {
			heap_free(g);
			return -EFAULT;
		}
		for (uint32_t i = 0; i < n; i++)
			if (g[i] == (uint32_t)-1) {	/* no namespace maps it */
				heap_free(g);
				return -EINVAL;
			}
		sort_ids(g, n);
	}
	struct cred_ids old;
	spin_lock(cred_lock());
	cred_save(&old);
	uint32_t *prev = proc.groups;
	proc.groups = g;
	proc.ngroups = n;
	cred_committed(&old);
	spin_unlock(cred_lock());
	heap_free(prev);
	return 0;
}
