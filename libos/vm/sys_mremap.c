/* libos/vm/sys_mremap.c — mremap: Linux 6.18's checks (check_mremap_params, then check_prep_vma)
 * all before anything changes; then one host mremap (or, for patched code, a fresh file mapping)
 * that replaces the target atomically, and the tree after it. A shrunk tail is unmapped after the
 * move, so a failed move leaves everything in place. */
#include "vm_internal.h"
#include "../errno.h"
#include "../log.h"
#include "../fs/fs.h"
#include "../../pal/pal.h"
#include <linux/mman.h>

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
