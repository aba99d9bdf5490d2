/* libos/vm/sys_mmap.c — mmap, munmap and mremap: Linux's argument checks in Linux's order, then
 * one host call at an address the VM manager chose and the matching tree update, under vm.lock.
 * A fresh range is mapped with MAP_FIXED_NOREPLACE (the host agrees it is free); a range over app
 * VMAs with MAP_FIXED, which replaces them atomically. Runtime ranges are never touched.
 * A failed call changes nothing: every check comes before the host call, and the tree follows the
 * host only once that call succeeded (mremap moves before it unmaps a shrunk tail). */
#include "vm_internal.h"
#include "../config.h"
#include "../errno.h"
#include "../log.h"
#include "../fs/fs.h"
#include "../process/cred.h"
#include "../process/process.h"
#include "../../pal/pal.h"
#include <linux/mman.h>
#include <linux/resource.h>

#define MAP_TYPE_MASK 0x0f
#define MAP_DROPPABLE_ 0x08
#define MAP_ABOVE4G_ 0x80
#define MAP_UNINITIALIZED_ 0x4000000
#define MAP_HUGE_2MB_ (21ul << 26)
#define MAP_HUGE_1GB_ (30ul << 26)
/* Linux's LEGACY_MAP_MASK: what MAP_SHARED keeps and MAP_SHARED_VALIDATE accepts (MAP_SYNC only
 * where the file system supports it, which none here does; MAP_FIXED_NOREPLACE is not in it). */
#define MAP_LEGACY (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | \
		    MAP_EXECUTABLE | MAP_UNINITIALIZED_ | MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | \
		    MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | MAP_32BIT | MAP_ABOVE4G_ | \
		    MAP_HUGE_2MB_ | MAP_HUGE_1GB_)
#define O_ACCMODE_ 3
#define O_PATH_ 010000000
#define LLONG_MAX_ 0x7fffffffffffffffull

static uint32_t vma_flags_for(unsigned long flags, struct file *f)
{
	uint32_t vf = 0;
	unsigned type = flags & MAP_TYPE_MASK;
	if (type == MAP_SHARED || type == MAP_SHARED_VALIDATE)
		vf |= VMA_SHARED;
	if (!(vf & VMA_SHARED) || !f || (f->flags & O_ACCMODE_) == 2 /* O_RDWR */)
		vf |= VMA_MAYWRITE;
	if (type == MAP_DROPPABLE_)
		vf |= VMA_DROPPABLE | VMA_NORESERVE;	/* nothing to reserve for pages that may go */
	if (flags & MAP_GROWSDOWN)
		vf |= VMA_GROWSDOWN;
	if (flags & MAP_LOCKED)
		vf |= VMA_LOCKED;
	if (flags & MAP_NORESERVE)
		vf |= VMA_NORESERVE;
	if (flags & MAP_STACK)
		vf |= VMA_STACK;
	return vf;
}

/* vm_mmap with late_err: what Linux finds wrong with the flags and the file only after it chose
 * the address (do_mmap checks the map type after get_unmapped_area and MAP_FIXED_NOREPLACE):
 * returned in that place, before anything changed. */
static long mmap_checked(uint64_t addr, uint64_t len, int prot, unsigned long flags, struct file *f,
			 uint64_t off, long late_err)
{
	struct vm_op op;
	len = PAGE_ALIGN(len);
	uint32_t vflags = vma_flags_for(flags, f);
	long r = vm_begin(&op, "mmap", 3);
	if (r < 0)
		return r;
	int fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
	if (fixed) {
		/* MAP_FIXED_NOREPLACE over anything (the vDSO included, as on Linux) is EEXIST; only a
		 * replacing MAP_FIXED over the runtime's memory is refused, with ENOMEM. */
		if ((flags & MAP_FIXED_NOREPLACE) && !vm_range_free(addr, addr + len)) {
			r = -EEXIST;
			goto out;
		}
		if (vm_range_reserved(addr, addr + len)) {
			log_warn("mmap: fixed mapping at %#lx+%#lx overlaps the runtime's memory: -ENOMEM",
				 (unsigned long)addr, (unsigned long)len);
			r = -ENOMEM;
			goto out;
		}
	} else {
		addr = vm_get_area(addr, len, flags);
		if (!addr) {
			r = -ENOMEM;
			goto out;
		}
	}
	if (flags & MAP_LOCKED) {	/* can_do_mlock, then mlock_future_ok */
		if (!proc.rlim[RLIMIT_MEMLOCK].cur && !cred_capable(CAP_IPC_LOCK)) {
			r = -EPERM;
			goto out;
		}
		if ((r = vm_mlock_ok(len)) < 0)
			goto out;
	}
	if ((r = late_err) < 0)
		goto out;
	struct vma probe = { .start = addr, .end = addr + len, .prot = (uint32_t)prot, .flags = vflags };
	uint64_t old_app, old_data;
	vm_range_bytes(addr, addr + len, &old_app, &old_data);
	uint64_t add_data = vma_data_bytes(&probe);
	r = vm_may_expand(len - old_app, add_data > old_data ? add_data - old_data : 0);
	if (r < 0)
		goto out;

	/* Host flags: the type, anonymous-ness and the hints the host can act on. GROWSDOWN is the
	 * VM manager's (a host GROWSDOWN mapping would grow behind its back); LOCKED is recorded,
	 * not pinned; huge pages are a hint the host may not be able to honour. */
	unsigned type = flags & MAP_TYPE_MASK;
	int hflags = (type == MAP_PRIVATE || type == MAP_DROPPABLE_ ? (int)type : MAP_SHARED) |
		     (int)(flags & (MAP_ANONYMOUS | MAP_NORESERVE));
	hflags |= vm_range_free(addr, addr + len) ? MAP_FIXED_NOREPLACE : MAP_FIXED;
	r = pal_mmap((void *)addr, len, prot & 7, hflags, f ? f->host_fd : -1, (long)off);
	if (r == -EEXIST)
		libos_panic("vm: the host has a mapping at %#lx+%#lx that the VM manager calls free",
			    (unsigned long)addr, (unsigned long)len);
	if (r < 0)
		goto out;
	vm_unmap_tree(&op, addr, addr + len);
	struct vma *v = vm_new_node();
	*v = probe;
	v->file = f;
	v->off = f ? off : 0;
	if (f)
		file_get(f);
	vma_insert(&vm.tree, v);
	vm_merge(&op, v);
	if (f && f->manifest_index >= 0 && (prot & PROT_EXEC)) {
		op.exec_start = addr;
		op.exec_len = len;
		op.exec_prot = prot;
		op.exec_index = f->manifest_index;
		op.exec_off = off;
	}
	r = (long)addr;
out:
	vm_end(&op);
	/* MAP_POPULATE faults the pages in after the lock is dropped (it can take long); Linux
	 * populates private writable memory for writing, the rest for reading. */
	if (r >= 0 && (flags & MAP_POPULATE) && !(flags & MAP_NONBLOCK))
		pal_madvise((void *)r, len, ((type == MAP_PRIVATE || type == MAP_DROPPABLE_) && (prot & PROT_WRITE)) ?
						    23 /* MADV_POPULATE_WRITE */ : 22 /* MADV_POPULATE_READ */);
	return r;
}

long vm_mmap(uint64_t addr, uint64_t len, int prot, unsigned long flags, struct file *f, uint64_t off)
{
	return mmap_checked(addr, len, prot, flags, f, off, 0);
}

/* What is wrong with mapping f (NULL: anonymous) with these flags, in the order of Linux's do_mmap
 * after it chose the address; 0 if nothing. */
static long check_type(struct file *f, unsigned long flags, unsigned long prot, uint64_t off, uint64_t len)
{
	unsigned type = flags & MAP_TYPE_MASK;
	if (!f) {
		if (type == MAP_SHARED)
			return (flags & MAP_GROWSDOWN) ? -EINVAL : 0;
		if (type == MAP_DROPPABLE_)	/* locked, huge or stack-like droppable memory makes no sense */
			return (flags & (MAP_LOCKED | MAP_HUGETLB | MAP_GROWSDOWN)) ? -EINVAL : 0;
		return type == MAP_PRIVATE ? 0 : -EINVAL;	/* MAP_SHARED_VALIDATE too */
	}
	/* file_mmap_ok: regular files reach LLONG_MAX, the rest the whole unsigned range */
	uint64_t max = f->type == NODE_REG ? LLONG_MAX_ : ~0ull;
	if (len > max || off > max - len)
		return -EOVERFLOW;
	int acc = f->flags & O_ACCMODE_;
	switch (type) {
	case MAP_SHARED:
		flags &= MAP_LEGACY;	/* unknown flags are ignored with plain MAP_SHARED */
		/* fall through */
	case MAP_SHARED_VALIDATE:
		if (flags & ~(unsigned long)MAP_LEGACY)
			return -EOPNOTSUPP;
		if ((prot & PROT_WRITE) && acc != 2)
			return -EACCES;
		/* fall through */
	case MAP_PRIVATE:
		if (acc == 1 /* O_WRONLY */)
			return -EACCES;
		if (f->host_fd < 0 || f->type == NODE_DIR)
			return -ENODEV;
		if (flags & MAP_GROWSDOWN)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
	      int fd, unsigned long off)
{
	/* Linux's order: the offset, the descriptor (fget: O_PATH descriptors are not mappable), the
	 * huge page size, the length, the address; the map type and the file's mode only after the
	 * address is chosen (check_type, returned by mmap_checked). */
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	struct file *f = NULL;
	if (!(flags & MAP_ANONYMOUS)) {
		f = fd_get(fd);
		if (f && (f->flags & O_PATH_)) {
			file_put(f);
			f = NULL;
		}
		if (!f)
			return -EBADF;
	} else if (flags & MAP_HUGETLB) {
		unsigned log = (unsigned)(flags >> 26) & 0x3f;	/* x86-64 has 2 MiB and 1 GiB pages */
		if (log != 0 && log != 21 && log != 30)
			return -EINVAL;
		/* Linux sizes the hugetlbfs file to whole huge pages first: a length that wraps
		 * then is 0, EINVAL below. (The pages cella maps are ordinary ones.) */
		uint64_t huge = log == 30 ? 1ull << 30 : 2ull << 20;
		if (len > -huge)
			len = 0;
	}
	long r;
	if (len == 0) {
		r = -EINVAL;
		goto out;
	}
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	uint64_t plen = PAGE_ALIGN(len);
	if (plen == 0 || plen > VM_HIGH) {
		r = -ENOMEM;
		goto out;
	}
	if (flags & MAP_FIXED) {
		if (addr > VM_HIGH - plen) {
			r = -ENOMEM;
			goto out;
		}
		if (addr & (PAGE_SIZE - 1)) {
			r = -EINVAL;
			goto out;
		}
		if (addr < VM_LOW) {
			r = -EPERM;	/* below vm.mmap_min_addr */
			goto out;
		}
	} else if (addr < VM_LOW || addr > VM_HIGH - plen) {
		addr = 0;	/* an unusable hint is ignored */
	}
	unsigned type = flags & MAP_TYPE_MASK;
	if (f && devfs_is_zero(f) && (type == MAP_PRIVATE || type == MAP_SHARED)) {
		file_put(f);	/* /dev/zero maps as anonymous memory (shared: one object) */
		f = NULL;
		flags |= MAP_ANONYMOUS;
	}
	long late = check_type(f, flags, prot, off, plen);
	if (!f)
		off = 0;
	r = mmap_checked(addr, plen, (int)(prot & 7), flags, f, off, late);
out:
	if (f)
		file_put(f);
	return r;
}

long vm_munmap(uint64_t addr, uint64_t len)
{
	struct vm_op op;
	long r = vm_begin(&op, "munmap", 2);
	if (r < 0)
		return r;
	/* Runtime ranges inside [addr, addr+len) are holes to the app: left alone. */
	r = vm_unmap_locked(&op, addr, addr + len);
	vm_end(&op);
	return r;
}

long sys_munmap(unsigned long addr, size_t len)
{
	if ((addr & (PAGE_SIZE - 1)) || addr > VM_HIGH || len > VM_HIGH - addr)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (len == 0)
		return -EINVAL;
	return vm_munmap(addr, len);
}

/* ---- mremap ---- */

/* Moves [addr, addr+len) of v to new_addr as new_len bytes (len <= new_len; the rest of the new
 * range is v's next pages). The host call comes first and replaces whatever app mapping stood at
 * new_addr atomically (the caller checked it holds no runtime memory), so a failure changes
 * nothing; the tree follows only after it succeeded. */
static long move_range(struct vm_op *op, struct vma *v, uint64_t addr, uint64_t len,
		       uint64_t new_len, uint64_t new_addr, unsigned long flags)
{
	long r;
	int code = v->file && v->file->manifest_index >= 0 && (v->prot & PROT_EXEC) && len;
	int target_free = vm_range_free(new_addr, new_addr + new_len);
	if (code) {
		/* Patched code must not move: its jumps reach trampolines by displacement. The new
		 * range is mapped afresh from the file (code pages are the file's) and patched there;
		 * the old one is unmapped as a move would (or kept, still valid, for DONTUNMAP). */
		uint64_t off = v->off + (addr - v->start);
		r = pal_mmap((void *)new_addr, new_len, (int)(v->prot & 7),
			     ((v->flags & VMA_SHARED) ? MAP_SHARED : MAP_PRIVATE) |
				     (target_free ? MAP_FIXED_NOREPLACE : MAP_FIXED),
			     v->file->host_fd, (long)off);
		if (r >= 0 && !(flags & MREMAP_DONTUNMAP))
			pal_munmap((void *)addr, len);
		if (r >= 0) {
			op->exec_start = new_addr;
			op->exec_len = new_len;
			op->exec_prot = (int)v->prot;
			op->exec_index = v->file->manifest_index;
			op->exec_off = off;
		}
	} else {
		int hflags = MREMAP_MAYMOVE | MREMAP_FIXED | (int)(flags & MREMAP_DONTUNMAP);
		r = pal_mremap((void *)addr, len, new_len, hflags, (void *)new_addr);
	}
	if (r < 0)
		return r;
	uint32_t vflags = v->flags;	/* an mlock'ed mapping stays locked where it moves */
	uint32_t prot = v->prot;
	struct file *file = v->file;
	uint64_t off = v->file ? v->off + (addr - v->start) : 0;
	if (file)
		file_get(file);	/* v may go below */
	if (!target_free)
		vm_unmap_tree(op, new_addr, new_addr + new_len);
	if (!(flags & MREMAP_DONTUNMAP) && len)
		vm_unmap_tree(op, addr, addr + len);
	struct vma *n = vm_new_node();
	n->start = new_addr;
	n->end = new_addr + new_len;
	n->prot = prot;
	n->flags = vflags;
	n->file = file;
	n->off = off;
	vma_insert(&vm.tree, n);
	vm_merge(op, n);
	return (long)new_addr;
}

/* Linux's check_prep_vma: [addr, addr+span) within v; a zero old_len (a second mapping of the
 * same pages) only for shared mappings; growth within the lock and address-space limits. */
static long check_resize(struct vma *v, uint64_t addr, uint64_t old_len, uint64_t span, uint64_t grow)
{
	if (!old_len && !(v->flags & VMA_SHARED))
		return -EINVAL;
	if (span > v->end - addr)
		return -EFAULT;
	if (!grow)
		return 0;
	long r;
	if ((v->flags & VMA_LOCKED) && (r = vm_mlock_ok(grow)) < 0)
		return r;
	return vm_may_expand(grow, vma_data_bytes(v) ? grow : 0);
}

/* The target of a move: not below mmap_min_addr, no runtime memory in it. */
static long check_target(uint64_t new_addr, uint64_t new_len)
{
	if (new_addr < VM_LOW)
		return -EPERM;
	if (vm_range_reserved(new_addr, new_addr + new_len)) {
		log_warn("mremap: target %#lx+%#lx overlaps the runtime's memory: -ENOMEM",
			 (unsigned long)new_addr, (unsigned long)new_len);
		return -ENOMEM;
	}
	return 0;
}

/* MREMAP_FIXED without a change of length moves every mapping in [addr, addr+len) (since Linux
 * 6.17), keeping the holes between them (their part of the target is left alone); the range must
 * start in a mapping. Everything is checked before the first piece moves; a host failure after
 * that leaves the pieces moved so far moved, as Linux's own piecewise move does. */
static long move_pieces(struct vm_op *op, uint64_t addr, uint64_t len, uint64_t new_addr,
			unsigned long flags)
{
	uint64_t end = addr + len, add = 0, add_data = 0;
	long r;
	for (struct vma *v = vma_find(&vm.tree, addr); v && v->start < end; v = vma_next(v)) {
		if (v->flags & VMA_RESERVED)
			continue;	/* runtime memory is a hole to the app */
		uint64_t s = v->start > addr ? v->start : addr, e = v->end < end ? v->end : end;
		uint64_t t = new_addr + (s - addr), gone, gone_data;
		if ((r = check_target(t, e - s)) < 0)
			return r;
		/* DONTUNMAP keeps the old pages mapped: the map grows by the piece less what the
		 * move replaces at its target (Linux unmaps the target before it checks). */
		vm_range_bytes(t, t + (e - s), &gone, &gone_data);
		add += (e - s) - gone;
		add_data += (vma_data_bytes(v) ? e - s : 0) - gone_data;
	}
	if ((flags & MREMAP_DONTUNMAP) && (r = vm_may_expand(add, (int64_t)add_data > 0 ? add_data : 0)) < 0)
		return r;
	uint64_t at = addr;
	while (at < end) {
		struct vma *v = vma_find(&vm.tree, at);
		while (v && (v->flags & VMA_RESERVED))
			v = vma_next(v);
		if (!v || v->start >= end)
			break;
		uint64_t s = v->start > at ? v->start : at, e = v->end < end ? v->end : end;
		if ((r = vm_refill(7)) < 0 ||
		    (r = move_range(op, v, s, e - s, e - s, new_addr + (s - addr), flags)) < 0)
			return r;
		at = e;
	}
	return (long)new_addr;
}

long sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len,
		unsigned long flags, unsigned long new_addr)
{
	/* Linux's check_mremap_params, before it takes the lock. */
	if (flags & ~(unsigned long)(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len || new_len > VM_HIGH)
		return -EINVAL;
	int fixed = (flags & MREMAP_FIXED) != 0;
	int new_place = (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0;	/* a move to new_addr or a hint */
	if (new_place) {
		if (new_addr > VM_HIGH - new_len || (new_addr & (PAGE_SIZE - 1)) || !(flags & MREMAP_MAYMOVE))
			return -EINVAL;
		if ((flags & MREMAP_DONTUNMAP) && old_len != new_len)
			return -EINVAL;
		if (addr + old_len > new_addr && new_addr + new_len > addr)
			return -EINVAL;	/* the old and the new range overlap */
	}

	/* Then everything that needs the map, before anything changes. */
	struct vm_op op;
	long r = vm_begin(&op, "mremap", 7);
	if (r < 0)
		return r;
	struct vma *v = vma_find(&vm.tree, addr);
	if (!v || v->start > addr || (v->flags & VMA_RESERVED)) {
		r = -EFAULT;
		goto out;
	}
	if (fixed && old_len == new_len) {
		r = move_pieces(&op, addr, old_len, new_addr, flags);
		goto out;
	}
	int shrink = old_len > new_len;
	if (new_place || new_len > old_len) {	/* Linux checks only what maps something new */
		r = check_resize(v, addr, old_len, shrink ? new_len : old_len, shrink ? 0 : new_len - old_len);
		if (r < 0)
			goto out;
	}
	/* A shrink unmaps [addr+new_len, addr+old_len), which may span anything; it must end in
	 * the user half (do_vmi_munmap's EINVAL). */
	if (shrink && (old_len - new_len > VM_HIGH || addr + new_len > VM_HIGH - (old_len - new_len))) {
		r = -EINVAL;
		goto out;
	}
	if (new_place) {
		if (fixed && (r = check_target(new_addr, new_len)) < 0)
			goto out;
		if ((flags & MREMAP_DONTUNMAP) && (r = vm_may_expand(old_len, vma_data_bytes(v) ? old_len : 0)) < 0)
			goto out;
		if (!fixed && !(new_addr = vm_get_area(new_addr, new_len, v->flags & VMA_SHARED ? MAP_SHARED : 0))) {
			r = -ENOMEM;
			goto out;
		}
		/* The move first, then the tail: a failed move leaves everything in place. Linux
		 * unmaps the tail first; the end state is the same. */
		uint64_t moved = shrink ? new_len : old_len;
		r = move_range(&op, v, addr, moved, new_len, new_addr, flags);
		if (r >= 0 && shrink)
			vm_unmap_locked(&op, addr + new_len, addr + old_len);
		goto out;
	}
	if (old_len >= new_len) {	/* shrink in place, or the same length: nothing to do */
		r = shrink ? vm_unmap_locked(&op, addr + new_len, addr + old_len) : 0;
		if (r == 0)
			r = (long)addr;
		goto out;
	}
	/* Grow in place when old_len reaches the VMA's end and the room after it is free. */
	if (old_len && addr + old_len == v->end && addr + new_len <= VM_HIGH &&
	    vm_room(v->end, addr + new_len)) {
		r = pal_mremap((void *)addr, old_len, new_len, 0, 0);
		if (r >= 0) {
			vma_set_range(&vm.tree, v, v->start, addr + new_len);
			vm_merge(&op, v);
			r = (long)addr;
			goto out;
		}
	}
	if (!(flags & MREMAP_MAYMOVE)) {
		r = -ENOMEM;
		goto out;
	}
	new_addr = vm_get_area(0, new_len, v->flags & VMA_SHARED ? MAP_SHARED : 0);
	if (!new_addr) {
		r = -ENOMEM;
		goto out;
	}
	r = move_range(&op, v, addr, old_len, new_len, new_addr, flags);
out:
	vm_end(&op);
	return r;
}
