/* libos/vm/stack.c — the main thread's stack and app faults. The stack is a VMA_GROWSDOWN mapping
 * under the top vm_init chose; an access below it grows it page-wise up to RLIMIT_STACK, keeping
 * a guard gap above the next mapping down, as Linux's expand_downwards does. Other faults get
 * the si_code Linux would give, from the tree (the app cannot see runtime memory). */
#include "vm_internal.h"
#include "../errno.h"
#include "../log.h"
#include "../process/process.h"
#include "../../pal/pal.h"
#include <linux/mman.h>
#include <linux/resource.h>

#define SEGV_MAPERR_ 1
#define SEGV_ACCERR_ 2

long vm_map_main_stack(uint64_t size, uint64_t *top)
{
	size = PAGE_ALIGN(size);
	uint64_t t = vm.stack_top;
	struct vm_op op;
	long r = vm_begin(&op, "stack", 1);
	if (r < 0)
		return r;
	if (!vm_range_free(t - size, t) || (r = vm_may_expand(size, 0)) < 0) {
		r = r < 0 ? r : -ENOMEM;
		goto out;
	}
	r = pal_mmap((void *)(t - size), size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (r < 0)
		goto out;
	struct vma *v = vm_new_node();
	v->start = t - size;
	v->end = t;
	v->prot = PROT_READ | PROT_WRITE;
	v->flags = VMA_GROWSDOWN | VMA_STACK | VMA_MAYWRITE;
	vma_insert(&vm.tree, v);
	*top = t;
	r = 0;
out:
	vm_end(&op);
	return r;
}

void vm_set_start_stack(uint64_t sp)
{
	vm.start_stack = sp;
}

/* Grows the stack VMA v down to cover addr; 0 or -errno (lock held). */
static long grow_down(struct vma *v, uint64_t addr)
{
	uint64_t start = addr & ~(PAGE_SIZE - 1);
	if (start < VM_LOW || v->end - start > proc.rlim[RLIMIT_STACK].cur)
		return -ENOMEM;
	struct vma *prev = vma_prev(v);
	/* Linux keeps stack_guard_gap free above the next mapping down (another stack may touch). */
	if (prev && prev->end + ((prev->flags & VMA_GROWSDOWN) ? 0 : STACK_GUARD_GAP) > start)
		return -ENOMEM;
	if (vm_may_expand(v->start - start, 0) < 0)
		return -ENOMEM;
	long r = pal_mmap((void *)start, v->start - start, (int)v->prot,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (r < 0)
		return r;
	vma_set_range(&vm.tree, v, start, v->end);
	return 0;
}

int vm_handle_fault(uint64_t addr, int signo, int *code)
{
	if (signo != 11 /* SIGSEGV */)
		return 0;
	struct vm_op op;
	if (vm_begin(&op, "stack growth", 0) < 0)
		return 0;
	int fixed = 0;
	struct vma *v = vma_find(&vm.tree, addr);
	if (v && v->start <= addr && !(v->flags & VMA_RESERVED)) {
		*code = SEGV_ACCERR_;
	} else {
		*code = SEGV_MAPERR_;
		if (v && v->start > addr && (v->flags & VMA_GROWSDOWN) && !(v->flags & VMA_RESERVED) &&
		    grow_down(v, addr) == 0)
			fixed = 1;
	}
	vm_end(&op);
	return fixed;
}
