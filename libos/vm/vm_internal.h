/* libos/vm/vm_internal.h — what the files of vm/ share: the process's VM state, the operation
 * bracket (vm_begin/vm_end) and the tree primitives every call is built from. */
#ifndef LIBOS_VM_INTERNAL_H
#define LIBOS_VM_INTERNAL_H

#include "vm.h"
#include "vma.h"
#include "../../lib/spinlock.h"

#define VM_SPARES 8

struct vm_state {
	struct spinlock lock;
	struct vma_tree tree;
	struct vma *spare[VM_SPARES];	/* preallocated nodes: an operation never fails half-way */
	int nspare;
	uint64_t mmap_base;		/* top-down placement starts here */
	uint64_t stack_top;		/* the main stack's top */
	uint64_t start_brk, brk;	/* the brk area: start and current break (unaligned) */
	uint64_t start_stack;		/* initial stack pointer ([stack] label) */
	int checks;			/* CELLA_VM_CHECK */
	int has_vsyscall;
	char vsyscall_perms[5];
};
extern struct vm_state vm;

/* One operation: taken under vm.lock; what must happen after the lock is dropped (freeing nodes
 * and their file references, telling the patcher about code that went away or arrived) is
 * collected here and done by vm_end. */
struct vm_op {
	struct vma *dead;		/* removed nodes, chained through ->left */
	uint64_t forget_start, forget_end;	/* code of image files unmapped or replaced */
	uint64_t exec_start, exec_len, exec_off;	/* a new executable image-file mapping */
	long exec_index;
	int exec_prot;
	const char *name;		/* for vm_check's message */
	int no_check;			/* runtime maps: may run while the patcher has code writable */
};

/* Takes the lock and makes sure `nodes` spare nodes exist; -ENOMEM (lock not held) if not. */
long vm_begin(struct vm_op *op, const char *name, int nodes);
void vm_end(struct vm_op *op);
/* Mid-operation (lock held): tops the spares up to `nodes` again; -ENOMEM if the heap is out. */
long vm_refill(int nodes);

/* Tree primitives (lock held). */
struct vma *vm_new_node(void);
void vm_drop_node(struct vm_op *op, struct vma *v);
/* Splits v at `at` (v->start < at < v->end); returns the upper part. Uses a spare node. */
struct vma *vm_split(struct vma *v, uint64_t at);
/* Removes the app VMAs inside [start, end) from the tree (splitting at the edges); reserved
 * ones are left alone. The host side is the caller's. */
void vm_unmap_tree(struct vm_op *op, uint64_t start, uint64_t end);
/* The same, host side included: app pieces of [start, end) are unmapped on the host too; a
 * host failure (-errno) leaves the map as it was. */
long vm_unmap_locked(struct vm_op *op, uint64_t start, uint64_t end);
/* Merges v with identical neighbours; returns the VMA that now holds v's range. */
struct vma *vm_merge(struct vm_op *op, struct vma *v);
/* Range queries. */
int vm_range_reserved(uint64_t start, uint64_t end);	/* any reserved VMA intersects */
int vm_range_free(uint64_t start, uint64_t end);	/* no VMA at all intersects */
/* Free, and not within a stack's guard gap below a VMA_GROWSDOWN mapping above it. */
int vm_room(uint64_t start, uint64_t end);
int vm_range_mapped(uint64_t start, uint64_t end);	/* app VMAs cover it without holes */
void vm_range_bytes(uint64_t start, uint64_t end, uint64_t *app, uint64_t *data);
/* -ENOMEM if adding these bytes breaks user_space_size, RLIMIT_AS or RLIMIT_DATA. */
long vm_may_expand(uint64_t add_app, uint64_t add_data);
/* Whether len more bytes may be locked (Linux's mlock_future_ok, for mmap MAP_LOCKED and mremap
 * growth of a locked mapping): -EAGAIN over RLIMIT_MEMLOCK, unless CAP_IPC_LOCK. */
long vm_mlock_ok(uint64_t len);
/* Bytes of app VMAs with VMA_LOCKED in [start, end) (the whole map: 0, ~0). */
uint64_t vm_locked_bytes(uint64_t start, uint64_t end);
/* A free range of len bytes for a mapping with these MAP_* flags, near hint if it is free;
 * 0 if there is none. */
uint64_t vm_get_area(uint64_t hint, uint64_t len, unsigned long flags);
/* Host prot for a VMA. */
static inline int vm_host_prot(const struct vma *v) { return (int)(v->prot & 7); }

#endif
