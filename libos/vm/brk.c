/* libos/vm/brk.c — the program break: an anonymous read-write area that starts after the
 * program's data (randomised by up to 32 MiB, as Linux does) and may grow by
 * process.default_heap_size. Like Linux's brk, a request that cannot be met returns the old break. */
#include "vm_internal.h"
#include "../config.h"
#include "../errno.h"
#include "../process/process.h"
#include "../../pal/pal.h"
#include <linux/mman.h>
#include <linux/resource.h>

void vm_set_brk_base(uint64_t base)
{
	uint64_t start = PAGE_ALIGN(base);
	if (cfg->aslr) {
		uint64_t r = 0;
		pal_getrandom(&r, sizeof(r), 0);
		start += (r % (32ul << 20 >> 12)) * PAGE_SIZE;
	}
	vm.start_brk = vm.brk = start;
}

long sys_brk(unsigned long want)
{
	struct vm_op op;
	if (vm_begin(&op, "brk", 2) < 0)
		return (long)vm.brk;
	uint64_t oldbrk = PAGE_ALIGN(vm.brk), newbrk = PAGE_ALIGN(want);
	if (want < vm.start_brk || newbrk < want || newbrk - vm.start_brk > cfg->default_heap_size ||
	    newbrk - vm.start_brk > proc.rlim[RLIMIT_DATA].cur)
		goto out;
	if (newbrk == oldbrk) {
		vm.brk = want;
		goto out;
	}
	if (newbrk < oldbrk) {	/* shrink: unmap what is past the new break (a refusal keeps it) */
		if (vm_unmap_locked(&op, newbrk, oldbrk) < 0)
			goto out;
		vm.brk = want;
		goto out;
	}
	/* Grow: the new pages must be free, and as in Linux one page more (a mapping right at the
	 * new break refuses it), with the guard gap under a stack above. */
	if (newbrk > VM_HIGH - PAGE_SIZE || !vm_room(oldbrk, newbrk + PAGE_SIZE))
		goto out;
	if (vm_may_expand(newbrk - oldbrk, newbrk - oldbrk) < 0)
		goto out;
	if (pal_mmap((void *)oldbrk, newbrk - oldbrk, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) < 0)
		goto out;
	struct vma *v = vm_new_node();
	v->start = oldbrk;
	v->end = newbrk;
	v->prot = PROT_READ | PROT_WRITE;
	v->flags = VMA_MAYWRITE;
	vma_insert(&vm.tree, v);
	vm_merge(&op, v);
	vm.brk = want;
out:;
	long r = (long)vm.brk;
	vm_end(&op);
	return r;
}
