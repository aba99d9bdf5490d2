/* libos/vm/sys_mprotect.c — calls that change or inspect attributes of mapped ranges: mprotect,
 * mlock and friends, madvise, msync, mincore. Like Linux, a hole (or runtime memory, which the
 * app cannot see) in the range gives ENOMEM, after the mapped part before it was changed. */
#include "vm_internal.h"
#include "../errno.h"
#include "../log.h"
#include "../entry/usercopy.h"
#include "../process/process.h"
#include "../process/cred.h"
#include "../../pal/pal.h"
#include <linux/mman.h>
#include <linux/resource.h>

#define MCL_ONFAULT_ 4
#define MLOCK_ONFAULT_ 1

/* Applies (prot, flags) to every app VMA in [start, end), splitting at the ends and merging
 * afterwards. prot < 0 keeps each VMA's prot. Stops at the first hole with -ENOMEM. */
static long change_range(struct vm_op *op, uint64_t start, uint64_t end, long prot,
			 uint32_t set, uint32_t clear)
{
	uint64_t at = start;
	while (at < end) {
		struct vma *v = vma_find(&vm.tree, at);
		if (!v || v->start > at || (v->flags & VMA_RESERVED))
			return -ENOMEM;
		uint64_t e = v->end < end ? v->end : end;
		uint32_t nprot = prot < 0 ? v->prot : (uint32_t)prot;
		uint32_t nflags = (v->flags | set) & ~clear;
		if (nprot != v->prot || nflags != v->flags) {
			if ((nprot & PROT_WRITE) && !(v->flags & VMA_MAYWRITE))
				return -EACCES;
			struct vma probe = *v;
			probe.start = at;
			probe.end = e;
			uint64_t before = vma_data_bytes(&probe);
			probe.prot = nprot;
			probe.flags = nflags;
			uint64_t after = vma_data_bytes(&probe);
			if (after > before && vm_may_expand(0, after - before) < 0)
				return -ENOMEM;
			if (nprot != v->prot) {
				long r = pal_mprotect((void *)at, e - at, (int)nprot);
				if (r < 0)
					return r;
			}
			if (at > v->start)
				v = vm_split(v, at);
			if (e < v->end)
				vm_split(v, e);
			vma_set_attrs(&vm.tree, v, nprot, nflags);
			vm_merge(op, v);
		}
		at = e;
	}
	return 0;
}

long sys_mprotect(unsigned long addr, size_t len, unsigned long prot)
{
	unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	prot &= ~grows;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) || (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	uint64_t end = addr + len;
	if (end <= addr)
		return -ENOMEM;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	struct vm_op op;
	long r = vm_begin(&op, "mprotect", 2);
	if (r < 0)
		return r;
	struct vma *v = vma_find(&vm.tree, addr);
	if (!v || v->start >= end || (v->flags & VMA_RESERVED)) {
		r = -ENOMEM;
	} else if (grows & PROT_GROWSDOWN) {
		if (!(v->flags & VMA_GROWSDOWN))
			r = -EINVAL;
		else
			addr = v->start;	/* PROT_GROWSDOWN: down to the start of the stack */
	} else if (v->start > addr) {
		r = -ENOMEM;
	} else if (grows & PROT_GROWSUP) {
		r = -EINVAL;	/* nothing grows up on x86-64 */
	}
	if (r == 0)
		r = change_range(&op, addr, end, (long)(prot & 7), 0, 0);
	vm_end(&op);
	return r;
}

/* mlock, mlock2 and munlock record VMA_LOCKED (shown in smaps); the host does not pin pages.
 * Linux's do_mlock: EPERM with RLIMIT_MEMLOCK 0, then the limit (pages already locked in the range
 * count once), then the range itself (a wrapped end EINVAL, a hole ENOMEM) — all without
 * CAP_IPC_LOCK only; so a wrapped range is ENOMEM for most users and EINVAL for root. */
static long lock_range(uint64_t start, size_t len, int on)
{
	len = PAGE_ALIGN(len + (start & (PAGE_SIZE - 1)));
	start &= ~(PAGE_SIZE - 1);
	uint64_t end = start + len;
	int capable = !on || cred_capable(CAP_IPC_LOCK);
	uint64_t limit = proc.rlim[RLIMIT_MEMLOCK].cur;
	if (!capable && !limit)
		return -EPERM;
	struct vm_op op;
	long r = vm_begin(&op, on ? "mlock" : "munlock", 2);
	if (r < 0)
		return r;
	if (!capable) {
		uint64_t locked = vm_locked_bytes(0, ~0ull);
		if (len > limit || locked > limit - len)
			locked -= vm_locked_bytes(start, end);
		if (len > limit || locked > limit - len) {
			r = -ENOMEM;
			goto out;
		}
	}
	if (end < start) {
		r = -EINVAL;
		goto out;
	}
	if (end == start)
		goto out;
	struct vma *v = vma_find(&vm.tree, start);
	if (!v || v->start > start)
		r = -ENOMEM;
	else
		r = change_range(&op, start, end, -1, on ? VMA_LOCKED : 0, on ? 0 : VMA_LOCKED);
out:
	vm_end(&op);
	return r;
}

long sys_mlock(unsigned long start, size_t len)
{
	return lock_range(start, len, 1);
}

long sys_mlock2(unsigned long start, size_t len, int flags)
{
	if (flags & ~MLOCK_ONFAULT_)
		return -EINVAL;
	return lock_range(start, len, 1);
}

long sys_munlock(unsigned long start, size_t len)
{
	return lock_range(start, len, 0);
}

static long lock_all(int on)
{
	struct vm_op op;
	long r = vm_begin(&op, on ? "mlockall" : "munlockall", 0);
	if (r < 0)
		return r;
	for (struct vma *v = vma_first(&vm.tree); v; v = vma_next(v)) {
		if (v->flags & VMA_RESERVED)
			continue;
		vma_set_attrs(&vm.tree, v, v->prot, on ? v->flags | VMA_LOCKED : v->flags & ~VMA_LOCKED);
		v = vm_merge(&op, v);
	}
	vm_end(&op);
	return 0;
}

long sys_mlockall(int flags)
{
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT_)) || flags == MCL_ONFAULT_)
		return -EINVAL;
	if (cred_capable(CAP_IPC_LOCK))
		return (flags & MCL_CURRENT) ? lock_all(1) : 0;
	uint64_t limit = proc.rlim[RLIMIT_MEMLOCK].cur;
	if (!limit)
		return -EPERM;
	/* Linux compares the whole address space (total_vm) with the limit. */
	if ((flags & MCL_CURRENT) && vm_app_bytes() / PAGE_SIZE > limit / PAGE_SIZE)
		return -ENOMEM;
	return (flags & MCL_CURRENT) ? lock_all(1) : 0;
}

long sys_munlockall(void)
{
	return lock_all(0);
}

/* Runs fn on each app piece of [start, end); holes make the result -ENOMEM, as Linux's madvise
 * and msync report them after doing the rest. */
static long for_each_piece(const char *name, uint64_t start, uint64_t end,
			   long (*fn)(struct vma *v, uint64_t s, uint64_t e, long arg), long arg)
{
	struct vm_op op;
	long r = vm_begin(&op, name, 0), hole = 0;
	if (r < 0)
		return r;
	uint64_t at = start;
	while (at < end && r == 0) {
		struct vma *v = vma_find(&vm.tree, at);
		if (!v || v->start >= end) {
			hole = -ENOMEM;
			break;
		}
		if (v->start > at)
			hole = -ENOMEM;
		uint64_t s = v->start > at ? v->start : at, e = v->end < end ? v->end : end;
		if (v->flags & VMA_RESERVED)
			hole = -ENOMEM;
		else
			r = fn(v, s, e, arg);
		at = e;
	}
	vm_end(&op);
	return r ? r : hole;
}

static long madvise_piece(struct vma *v, uint64_t s, uint64_t e, long advice)
{
	if ((v->flags & VMA_LOCKED) && (advice == MADV_DONTNEED || advice == MADV_FREE ||
					 advice == MADV_COLD || advice == MADV_PAGEOUT))
		return -EINVAL;
	/* A range the host left out of a fork child would still be in the child's VMA tree: the
	 * child gets a copy instead, which only costs the copy. */
	if (advice == MADV_DONTFORK || advice == MADV_DOFORK)
		return 0;
	return pal_madvise((void *)s, e - s, (int)advice);
}

long sys_madvise(unsigned long addr, size_t len, int advice)
{
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_FREE: case MADV_REMOVE: case MADV_DONTFORK: case MADV_DOFORK:
	case MADV_HUGEPAGE: case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP:
	case MADV_WIPEONFORK: case MADV_KEEPONFORK: case MADV_COLD: case MADV_PAGEOUT:
	case MADV_POPULATE_READ: case MADV_POPULATE_WRITE: case 24 /* MADV_DONTNEED_LOCKED */:
	case 25 /* MADV_COLLAPSE */: case 102 /* MADV_GUARD_INSTALL */: case 103 /* MADV_GUARD_REMOVE */:
		break;
	case MADV_HWPOISON: case MADV_SOFT_OFFLINE:
		return -EPERM;
	default:
		return -EINVAL;	/* MADV_MERGEABLE too: no KSM for instances */
	}
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	uint64_t plen = PAGE_ALIGN(len);
	if (len && !plen)
		return -EINVAL;
	uint64_t end = addr + plen;
	if (end < addr)
		return -EINVAL;
	if (end == addr)
		return 0;
	return for_each_piece("madvise", addr, end, madvise_piece, advice);
}

static long msync_piece(struct vma *v, uint64_t s, uint64_t e, long flags)
{
	if ((flags & MS_INVALIDATE) && (v->flags & VMA_LOCKED))
		return -EBUSY;
	return pal_msync((void *)s, e - s, (int)flags);
}

long sys_msync(unsigned long addr, size_t len, int flags)
{
	if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || (addr & (PAGE_SIZE - 1)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	len = PAGE_ALIGN(len);
	uint64_t end = addr + len;
	if (end < addr)
		return -ENOMEM;
	if (end == addr)
		return 0;
	return for_each_piece("msync", addr, end, msync_piece, flags);
}

long sys_mincore(unsigned long addr, size_t len, unsigned char *vec)
{
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (addr + len < addr || addr + len > (1ull << 47) - PAGE_SIZE)
		return -ENOMEM;
	uint64_t pages = (len + PAGE_SIZE - 1) / PAGE_SIZE;
	if (!access_ok(vec, pages))
		return -EFAULT;
	unsigned char buf[512];
	while (pages) {
		spin_lock(&vm.lock);
		struct vma *v = vma_find(&vm.tree, addr);
		if (!v || v->start > addr || (v->flags & VMA_RESERVED)) {
			spin_unlock(&vm.lock);
			return -ENOMEM;
		}
		uint64_t n = (v->end - addr) / PAGE_SIZE;
		if (n > pages)
			n = pages;
		if (n > sizeof(buf))
			n = sizeof(buf);
		long r = pal_mincore((void *)addr, n * PAGE_SIZE, buf);
		spin_unlock(&vm.lock);	/* no user copy under the lock: a fault may need it */
		if (r < 0)
			return r;
		if (copy_to_user(vec, buf, n) < 0)
			return -EFAULT;
		vec += n;
		addr += n * PAGE_SIZE;
		pages -= n;
	}
	return 0;
}
