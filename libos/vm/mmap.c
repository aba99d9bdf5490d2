/* libos/vm/mmap.c — mmap, munmap, mprotect, madvise, brk: argument checks as Linux makes them,
 * then the host call. MAP_FIXED may never land on the runtime's own memory (uaccess ranges). */
#include "vm.h"
#include "../errno.h"
#include "../log.h"
#include "../config.h"
#include "../entry/usercopy.h"
#include "../fs/fs.h"
#include "../../lib/spinlock.h"
#include <linux/mman.h>

static struct {
	struct spinlock lock;
	uint64_t brk_base, brk_cur, brk_mapped;	/* brk_mapped: end of pages mapped for brk */
	uint64_t stack_start, stack_end;
	uint64_t mapped_bytes;
} vm;

#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM | PROT_GROWSDOWN | PROT_GROWSUP)
#define MAP_TYPE_MASK 0x0f
#define MAP_KNOWN (MAP_TYPE_MASK | MAP_FIXED | MAP_ANONYMOUS | MAP_32BIT | MAP_GROWSDOWN | \
		   MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | \
		   MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | MAP_SYNC | MAP_FIXED_NOREPLACE | \
		   (0x3fu << 26) /* huge page size bits */)

long vm_map(uint64_t addr, size_t len, int prot, int flags, int host_fd, long off)
{
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && !uaccess_ok(addr, len)) {
		log_warn("mmap: fixed mapping at %#lx+%#lx overlaps the runtime: -ENOMEM",
			 (unsigned long)addr, (unsigned long)len);
		return -ENOMEM;
	}
	long r = pal_mmap((void *)addr, len, prot, flags, host_fd, off);
	if (r >= 0)
		vm_forget_exec_maps((uint64_t)r, PAGE_ALIGN(len));	/* whatever was there is gone */
	if (r >= 0 && !uaccess_ok((uint64_t)r, len)) {
		/* A hint the host honoured inside the runtime cannot happen (the host never
		 * reuses live ranges), but be strict. */
		pal_munmap((void *)r, len);
		return -ENOMEM;
	}
	if (r >= 0)
		__atomic_add_fetch(&vm.mapped_bytes, PAGE_ALIGN(len), __ATOMIC_RELAXED);
	return r;
}

long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
	      int fd, unsigned long off)
{
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len == 0 || PAGE_ALIGN(len) < len || PAGE_ALIGN(len) == 0)
		return len == 0 ? -EINVAL : -ENOMEM;
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	unsigned type = flags & MAP_TYPE_MASK;
	if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE && (flags & ~(unsigned long)MAP_KNOWN))
		return -EOPNOTSUPP;
	if (PAGE_ALIGN(len) > cfg->user_space_size)
		return -ENOMEM;
	if (prot & ~(unsigned long)PROT_ALL)
		return -EINVAL;
	int hfd = -1;
	struct file *f = NULL;
	if (!(flags & MAP_ANONYMOUS)) {
		f = fd_get(fd);
		if (!f)
			return -EBADF;
		long r = 0;
		int acc = f->flags & 3;
		if (f->host_fd < 0 || f->type == NODE_DIR)
			r = -ENODEV;
		else if (acc == 1 /* O_WRONLY */ || (f->flags & 010000000 /* O_PATH */))
			r = -EACCES;
		else if ((type == MAP_SHARED || type == MAP_SHARED_VALIDATE) && (prot & PROT_WRITE) &&
			 acc != 2)
			r = -EACCES;
		if (r < 0) {
			file_put(f);
			return r;
		}
		hfd = f->host_fd;
	}
	unsigned long hflags = flags & ~(unsigned long)(MAP_GROWSDOWN | MAP_LOCKED | MAP_HUGETLB | (0x3fu << 26));
	if (type == MAP_SHARED_VALIDATE)
		hflags = (hflags & ~(unsigned long)MAP_TYPE_MASK) | MAP_SHARED;
	if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && addr && !uaccess_ok(addr, len))
		addr = 0;	/* a hint inside the runtime is ignored, as Linux ignores unusable hints */
	long r = vm_map(addr, len, (int)prot, (int)hflags, hfd, (long)off);
	if (r >= 0 && f && (prot & PROT_EXEC) && f->manifest_index >= 0)
		vm_note_exec_map((uint64_t)r, PAGE_ALIGN(len), (int)prot, f->manifest_index, off);
	file_put(f);
	return r;
}

long sys_munmap(unsigned long addr, size_t len)
{
	if ((addr & (PAGE_SIZE - 1)) || len == 0 || PAGE_ALIGN(len) < len)
		return -EINVAL;
	if (!uaccess_ok(addr, PAGE_ALIGN(len))) {
		if (addr + len < addr || addr + len > 0x7ffffffff000ull)
			return -EINVAL;
		log_warn("munmap %#lx+%#lx overlaps the runtime: refused", addr, (unsigned long)len);
		return -EINVAL;
	}
	long r = pal_munmap((void *)addr, len);
	if (r == 0)
		vm_forget_exec_maps(addr, PAGE_ALIGN(len));
	return r;
}

long sys_mprotect(unsigned long addr, size_t len, unsigned long prot)
{
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (prot & ~(unsigned long)PROT_ALL)
		return -EINVAL;
	if (len == 0)
		return 0;
	if (PAGE_ALIGN(len) < len)
		return -ENOMEM;
	if (!uaccess_ok(addr, PAGE_ALIGN(len)))
		return -ENOMEM;
	return pal_mprotect((void *)addr, len, (int)prot);
}

long sys_madvise(unsigned long addr, size_t len, int advice)
{
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (!uaccess_ok(addr, PAGE_ALIGN(len)))
		return -ENOMEM;
	return pal_madvise((void *)addr, len, advice);
}

void vm_set_brk_base(uint64_t base)
{
	vm.brk_base = vm.brk_cur = vm.brk_mapped = PAGE_ALIGN(base);
}

void vm_set_stack(uint64_t start, uint64_t end)
{
	vm.stack_start = start;
	vm.stack_end = end;
}

const char *vm_label(uint64_t start, uint64_t end)
{
	if (start >= vm.brk_base && end <= vm.brk_mapped && vm.brk_mapped > vm.brk_base)
		return "[heap]";
	if (start >= vm.stack_start && end <= vm.stack_end)
		return "[stack]";
	return NULL;
}

uint64_t vm_app_bytes(void)
{
	return vm.mapped_bytes;
}

/* brk: grows by mapping fresh zero pages right after the current end; never over anything
 * already mapped (MAP_FIXED_NOREPLACE), so a failed grow leaves the break where it was. */
long sys_brk(unsigned long want)
{
	spin_lock(&vm.lock);
	uint64_t cur = vm.brk_cur;
	if (want < vm.brk_base || want == cur)
		goto out;
	uint64_t need = PAGE_ALIGN(want);
	if (need < want || need - vm.brk_base > cfg->default_heap_size)
		goto out;
	if (need > vm.brk_mapped) {
		long r = vm_map(vm.brk_mapped, need - vm.brk_mapped, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (r < 0)
			goto out;
		vm.brk_mapped = need;
	} else if (need < vm.brk_mapped) {
		pal_munmap((void *)need, vm.brk_mapped - need);
		vm.brk_mapped = need;
	}
	vm.brk_cur = want;
out:
	cur = vm.brk_cur;
	spin_unlock(&vm.lock);
	return (long)cur;
}

long sys_msync(unsigned long addr, size_t len, int flags)
{
	if ((addr & (PAGE_SIZE - 1)) || (flags & ~7) || ((flags & 1) && (flags & 4)))
		return -EINVAL;	/* MS_ASYNC=1, MS_INVALIDATE=2, MS_SYNC=4 */
	if (len == 0)
		return 0;
	if (!uaccess_ok(addr, PAGE_ALIGN(len)))
		return -ENOMEM;
	return pal_msync((void *)addr, len, flags);
}

long sys_mincore(unsigned long addr, size_t len, unsigned char *vec)
{
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!uaccess_ok(addr, PAGE_ALIGN(len)))
		return -ENOMEM;
	if (!uaccess_ok((uint64_t)vec, PAGE_ALIGN(len) / PAGE_SIZE))
		return -EFAULT;
	return pal_mincore((void *)addr, len, vec);
}
