/* libos/vm/sys_mmap.c — mmap and munmap: Linux's argument checks in Linux's order, then
 * one host call at an address the VM manager chose and the matching tree update, under vm.lock.
 * A fresh range is mapped with MAP_FIXED_NOREPLACE (the host agrees it is free); a range over app
 * VMAs with MAP_FIXED, which replaces them atomically. Runtime ranges are never touched.
 * A failed call changes nothing: every check comes before the host call, and the tree follows the
 * host only once that call succeeded. mremap is in sys_mremap.c. */
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
