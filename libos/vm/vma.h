/* libos/vm/vma.h — one process's address space as a sorted set of VMAs (an AVL tree keyed by
 * start, augmented with the free gap before each VMA so a hole of a given size is found in
 * O(log n)). The invariants are listed at the top of vma.c. Callers hold vm_lock. */
#ifndef LIBOS_VM_VMA_H
#define LIBOS_VM_VMA_H

#include <stdint.h>
#include <stddef.h>

struct file;

/* VMA flags. App VMAs are everything but VMA_RESERVED ones. */
#define VMA_SHARED	0x001	/* MAP_SHARED: writes reach the object (and other mappers) */
#define VMA_GROWSDOWN	0x002	/* a stack: a fault just below grows it (vm_fault.c) */
#define VMA_RESERVED	0x004	/* the runtime's own memory, or host-owned: never the app's */
#define VMA_MAYWRITE	0x008	/* mprotect may add PROT_WRITE (false: shared map of a read-only fd) */
#define VMA_LOCKED	0x010	/* mlock'ed (recorded; the host does not pin it) */
#define VMA_NORESERVE	0x020	/* MAP_NORESERVE */
#define VMA_STACK	0x040	/* MAP_STACK / the main stack: not counted as data (RLIMIT_DATA) */
#define VMA_DROPPABLE	0x080	/* MAP_DROPPABLE: the host may drop its pages, a fork child gets zeros */

/* What /proc/self/maps calls a reserved range the app can see. */
enum vma_label { LBL_NONE, LBL_VDSO, LBL_VVAR, LBL_VVAR_VCLOCK };

struct vma {
	uint64_t start, end;	/* [start, end), page aligned, start < end */
	uint32_t prot;		/* PROT_READ|WRITE|EXEC as the app set them */
	uint32_t flags;		/* VMA_* */
	struct file *file;	/* the mapped file (holds a reference); NULL: anonymous */
	uint64_t off;		/* file offset of start */
	int label;		/* enum vma_label, for reserved ranges shown to the app */
	/* tree links and augmentation */
	struct vma *left, *right, *parent;
	int height;
	uint64_t gap;		/* start - end of the previous VMA */
	uint64_t max_gap;	/* the largest gap in this subtree */
};

struct vma_tree {
	struct vma *root;
	uint64_t app_bytes;	/* sum of app VMA sizes (user_space_size, RLIMIT_AS) */
	uint64_t data_bytes;	/* private writable non-stack app bytes (RLIMIT_DATA) */
	long count;
};

/* The first VMA with end > addr (it may start above addr), or NULL. */
struct vma *vma_find(struct vma_tree *t, uint64_t addr);
struct vma *vma_first(struct vma_tree *t);
struct vma *vma_next(struct vma *v);
struct vma *vma_prev(struct vma *v);
/* Inserts v (its range must be free). */
void vma_insert(struct vma_tree *t, struct vma *v);
/* Unlinks v from the tree (the caller frees it). */
void vma_remove(struct vma_tree *t, struct vma *v);
/* Moves v's bounds; the new range must keep the order and overlap nothing. */
void vma_set_range(struct vma_tree *t, struct vma *v, uint64_t start, uint64_t end);
/* Changes prot or flags of v, keeping the accounting right. */
void vma_set_attrs(struct vma_tree *t, struct vma *v, uint32_t prot, uint32_t flags);
/* The highest address a with [a, a+len) free, low <= a and a+len <= high, keeping `guard`
 * bytes free below any VMA_GROWSDOWN VMA; 0 if none. */
uint64_t vma_find_hole_topdown(struct vma_tree *t, uint64_t len, uint64_t low, uint64_t high,
			       uint64_t guard);
/* Whether a and b, adjacent (a->end == b->start), may become one VMA. */
int vma_mergeable(const struct vma *a, const struct vma *b);
/* Bytes of v counted as data. */
uint64_t vma_data_bytes(const struct vma *v);

/* Checks the tree's invariants (order, alignment, gaps, balance, merging, accounting);
 * returns NULL or a sentence naming the first one broken, with *bad the VMA concerned. */
const char *vma_tree_check(struct vma_tree *t, const struct vma **bad);

#endif
