/* libos/vm/sys_mmap.c — mmap, munmap and mremap: Linux's argument checks in Linux's order, then
 * one host call at an address the VM manager chose and the matching tree update, under vm.lock.
 * A fresh range is mapped with MAP_FIXED_NOREPLACE (the host agrees it is free); a range over app
 * VMAs with MAP_FIXED, which replaces them atomically. Runtime ranges are never touched. */
#include "vm_internal.h"
#include "../config.h"
#include "../errno.h"
#include "../log.h"
#include "../fs/fs.h"
#include "../../pal/pal.h"
#include <linux/mman.h>

#define MAP_TYPE_MASK 0x0f
#define MAP_HUGE_BITS (0x3fu << 26)
/* What MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK plus MAP_SYNC). */
#define MAP_KNOWN (MAP_TYPE_MASK | MAP_FIXED | MAP_ANONYMOUS | MAP_32BIT | MAP_GROWSDOWN | \
		   MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | \
		   MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | MAP_SYNC | MAP_FIXED_NOREPLACE | MAP_HUGE_BITS)
#define O_ACCMODE_ 3

static uint32_t vma_flags_for(unsigned long flags, struct file *f)
{
	uint32_t vf = 0;
	unsigned type = flags & MAP_TYPE_MASK;
	if (type == MAP_SHARED || type == MAP_SHARED_VALIDATE)
		vf |= VMA_SHARED;
	if (!(vf & VMA_SHARED) || !f || (f->flags & O_ACCMODE_) == 2 /* O_RDWR */)
		vf |= VMA_MAYWRITE;
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

long vm_mmap(uint64_t addr, uint64_t len, int prot, unsigned long flags, struct file *f, uint64_t off)
{
	struct vm_op op;
	len = PAGE_ALIGN(len);
	uint32_t vflags = vma_flags_for(flags, f);
	long r = vm_begin(&op, "mmap", 3);
	if (r < 0)
		return r;
	int fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
	if (fixed) {
		if (vm_range_reserved(addr, addr + len)) {
			log_warn("mmap: fixed mapping at %#lx+%#lx overlaps the runtime's memory: -ENOMEM",
				 (unsigned long)addr, (unsigned long)len);
			r = -ENOMEM;
			goto out;
		}
		if ((flags & MAP_FIXED_NOREPLACE) && !vm_range_free(addr, addr + len)) {
			r = -EEXIST;
			goto out;
		}
	} else {
		addr = vm_get_area(addr, len, flags);
		if (!addr) {
			r = -ENOMEM;
			goto out;
		}
	}
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
	int hflags = (type == MAP_PRIVATE ? MAP_PRIVATE : MAP_SHARED) |
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
		pal_madvise((void *)r, len, (type == MAP_PRIVATE && (prot & PROT_WRITE)) ?
						    23 /* MADV_POPULATE_WRITE */ : 22 /* MADV_POPULATE_READ */);
	return r;
}

long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
	      int fd, unsigned long off)
{
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	struct file *f = NULL;
	if (!(flags & MAP_ANONYMOUS)) {
		f = fd_get(fd);
		if (!f)
			return -EBADF;
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
	if (f && off + plen < off) {
		r = -EOVERFLOW;
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
	if (f) {
		int acc = f->flags & O_ACCMODE_;
		r = 0;
		switch (type) {
		case MAP_SHARED:
		case MAP_SHARED_VALIDATE:
			if (type == MAP_SHARED_VALIDATE && (flags & ~(unsigned long)MAP_KNOWN)) {
				r = -EOPNOTSUPP;
				break;
			}
			if (type == MAP_SHARED_VALIDATE && (flags & MAP_SYNC)) {
				r = -EOPNOTSUPP;	/* no DAX here */
				break;
			}
			if ((prot & PROT_WRITE) && acc != 2) {
				r = -EACCES;
				break;
			}
			/* fall through */
		case MAP_PRIVATE:
			if (acc == 1 /* O_WRONLY */ || (f->flags & 010000000 /* O_PATH */))
				r = -EACCES;
			else if (f->host_fd < 0 || f->type == NODE_DIR)
				r = -ENODEV;
			break;
		default:
			r = -EINVAL;
		}
		if (r < 0)
			goto out;
	} else {
		switch (type) {	/* anonymous: Linux knows no MAP_SHARED_VALIDATE here (EINVAL) */
		case MAP_SHARED:
			if (flags & MAP_GROWSDOWN) {
				r = -EINVAL;
				goto out;
			}
			break;
		case MAP_PRIVATE:
			break;
		default:
			r = -EINVAL;
			goto out;
		}
		off = 0;
	}
	r = vm_mmap(addr, plen, (int)(prot & 7), flags, f, off);
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
	vm_unmap_locked(&op, addr, addr + len);
	vm_end(&op);
	return 0;
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

/* Moves [addr, addr+old_len) of v to new_addr (free in the tree), as new_len bytes. */
static long move_range(struct vm_op *op, struct vma *v, uint64_t addr, uint64_t old_len,
		       uint64_t new_len, uint64_t new_addr, unsigned long flags)
{
	long r;
	int code = v->file && v->file->manifest_index >= 0 && (v->prot & PROT_EXEC) && old_len;
	if (code) {
		/* Patched code must not move: its jumps reach trampolines by displacement. The new
		 * range is mapped afresh from the file (code pages are the file's) and patched there;
		 * the old one is unmapped as a move would (or kept, still valid, for DONTUNMAP). */
		uint64_t off = v->off + (addr - v->start);
		r = pal_mmap((void *)new_addr, new_len, (int)(v->prot & 7),
			     ((v->flags & VMA_SHARED) ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED_NOREPLACE,
			     v->file->host_fd, (long)off);
		if (r >= 0 && !(flags & MREMAP_DONTUNMAP))
			pal_munmap((void *)addr, old_len);
		if (r >= 0) {
			op->exec_start = new_addr;
			op->exec_len = new_len;
			op->exec_prot = (int)v->prot;
			op->exec_index = v->file->manifest_index;
			op->exec_off = off;
		}
	} else {
		int hflags = MREMAP_MAYMOVE | MREMAP_FIXED | (int)(flags & MREMAP_DONTUNMAP);
		r = pal_mremap((void *)addr, old_len, new_len, hflags, (void *)new_addr);
	}
	if (r < 0)
		return r;
	struct vma *n = vm_new_node();
	n->start = new_addr;
	n->end = new_addr + new_len;
	n->prot = v->prot;
	n->flags = v->flags;	/* an mlock'ed mapping stays locked where it moves */
	n->file = v->file;
	if (n->file)
		file_get(n->file);
	n->off = v->file ? v->off + (addr - v->start) : 0;
	if (!(flags & MREMAP_DONTUNMAP) && old_len)
		vm_unmap_tree(op, addr, addr + old_len);
	vma_insert(&vm.tree, n);
	vm_merge(op, n);
	return (long)new_addr;
}

/* Linux's vma_to_resize: [addr, addr+old_len) within v; a zero old_len (a second mapping of
 * the same pages) only for shared mappings; the growth within the limits. */
static long check_resize(struct vma *v, uint64_t addr, uint64_t old_len, uint64_t new_len)
{
	if (old_len > v->end - addr)
		return -EFAULT;
	if (!old_len && !(v->flags & VMA_SHARED))
		return -EINVAL;
	uint64_t grow = new_len > old_len ? new_len - old_len : 0;
	return vm_may_expand(grow, vma_data_bytes(v) ? grow : 0);
}

long sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len,
		unsigned long flags, unsigned long new_addr)
{
	if (flags & ~(unsigned long)(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len)
		return -EINVAL;

	struct vm_op op;
	long r = vm_begin(&op, "mremap", 7);
	if (r < 0)
		return r;
	struct vma *v = vma_find(&vm.tree, addr);
	if (!v || v->start > addr || (v->flags & VMA_RESERVED)) {
		r = -EFAULT;
		goto out;
	}
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
		int fixed = (flags & MREMAP_FIXED) != 0;
		if (fixed) {
			if ((new_addr & (PAGE_SIZE - 1)) || new_len > VM_HIGH || new_addr > VM_HIGH - new_len ||
			    new_addr < VM_LOW) {
				r = -EINVAL;
				goto out;
			}
			if (addr + old_len > new_addr && new_addr + new_len > addr) {
				r = -EINVAL;
				goto out;
			}
			if (vm_range_reserved(new_addr, new_addr + new_len)) {
				log_warn("mremap: target %#lx+%#lx overlaps the runtime's memory: -ENOMEM",
					 new_addr, new_len);
				r = -ENOMEM;
				goto out;
			}
		}
		if (old_len > new_len && (old_len - new_len > VM_HIGH ||
					  addr + new_len > VM_HIGH - (old_len - new_len))) {
			r = -EINVAL;
			goto out;
		}
		if (fixed)	/* Linux unmaps the target first, then the tail beyond new_len */
			vm_unmap_locked(&op, new_addr, new_addr + new_len);
		if (old_len > new_len) {
			vm_unmap_locked(&op, addr + new_len, addr + old_len);
			old_len = new_len;
		}
		v = vma_find(&vm.tree, addr);	/* the unmapping may have split things */
		if (!v || v->start > addr || (v->flags & VMA_RESERVED)) {
			r = -EFAULT;
			goto out;
		}
		if ((r = check_resize(v, addr, old_len, (flags & MREMAP_DONTUNMAP) ? 2 * old_len : new_len)) < 0)
			goto out;
		if (!fixed) {
			new_addr = vm_get_area(new_addr, new_len, v->flags & VMA_SHARED ? MAP_SHARED : 0);
			if (!new_addr) {
				r = -ENOMEM;
				goto out;
			}
		}
		r = move_range(&op, v, addr, old_len, new_len, new_addr, flags);
		goto out;
	}
	if (old_len >= new_len) {	/* shrink in place: the tail must lie in the user half */
		if (old_len - new_len > VM_HIGH || addr + new_len > VM_HIGH - (old_len - new_len)) {
			r = -EINVAL;
			goto out;
		}
		if (old_len > new_len)
			vm_unmap_locked(&op, addr + new_len, addr + old_len);
		r = (long)addr;
		goto out;
	}
	if ((r = check_resize(v, addr, old_len, new_len)) < 0)
		goto out;
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
