/* libos/vm/vma.c — the VMA tree: an AVL tree keyed by start, each node also carrying the free gap
 * before it and the largest gap of its subtree, so lookups and hole searches are O(log n).
 *
 * Invariants (vma_tree_check verifies them; vm_check adds the host's side after every operation
 * when CELLA_VM_CHECK=1):
 *  1. every VMA is page aligned and non-empty: start < end, both multiples of PAGE_SIZE;
 *  2. VMAs are sorted by start and disjoint: prev->end <= start;
 *  3. gap == start - prev->end (the first VMA is the reserved page-zero sentinel, gap 0), and
 *     max_gap is the largest gap in the subtree; heights are AVL-balanced;
 *  4. no two adjacent app VMAs with identical attributes (vma_mergeable) are left unmerged;
 *  5. app_bytes and data_bytes are the sums over app VMAs; app_bytes <= user_space_size;
 *  6. (host, vm_check) every app VMA is mapped on the host with exactly its permissions (the
 *     patcher opens code for writing only while it holds vm.lock), and nothing the tree calls
 *     free is mapped on the host. */
#include "vma.h"
#include "vm.h"
#include <linux/mman.h>

static int height(const struct vma *n) { return n ? n->height : 0; }
static uint64_t maxgap(const struct vma *n) { return n ? n->max_gap : 0; }
static uint64_t max2(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* Recomputes n's height and max_gap from its children. */
static void pull(struct vma *n)
{
	int hl = height(n->left), hr = height(n->right);
	n->height = 1 + (hl > hr ? hl : hr);
	n->max_gap = max2(n->gap, max2(maxgap(n->left), maxgap(n->right)));
}

static void replace_child(struct vma_tree *t, struct vma *parent, struct vma *old, struct vma *new)
{
	if (!parent)
		t->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
	if (new)
		new->parent = parent;
}

static struct vma *rotate_left(struct vma_tree *t, struct vma *x)
{
	struct vma *y = x->right;
	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	replace_child(t, x->parent, x, y);
	y->left = x;
	x->parent = y;
	pull(x);
	pull(y);
	return y;
}

static struct vma *rotate_right(struct vma_tree *t, struct vma *x)
{
	struct vma *y = x->left;
	x->left = y->right;
	if (y->right)
		y->right->parent = x;
	replace_child(t, x->parent, x, y);
	y->right = x;
	x->parent = y;
	pull(x);
	pull(y);
	return y;
}

/* Walks from n to the root, recomputing and rebalancing every node on the way. */
static void retrace(struct vma_tree *t, struct vma *n)
{
	while (n) {
		pull(n);
		int bf = height(n->left) - height(n->right);
		if (bf > 1) {
			if (height(n->left->left) < height(n->left->right))
				rotate_left(t, n->left);
			n = rotate_right(t, n);
		} else if (bf < -1) {
			if (height(n->right->right) < height(n->right->left))
				rotate_right(t, n->right);
			n = rotate_left(t, n);
		}
		n = n->parent;
	}
}

struct vma *vma_find(struct vma_tree *t, uint64_t addr)
{
	struct vma *n = t->root, *best = NULL;
	while (n) {
		if (n->end > addr) {
			best = n;
			if (n->start <= addr)
				break;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct vma *vma_first(struct vma_tree *t)
{
	struct vma *n = t->root;
	while (n && n->left)
		n = n->left;
	return n;
}

struct vma *vma_next(struct vma *v)
{
	if (v->right) {
		v = v->right;
		while (v->left)
			v = v->left;
		return v;
	}
	while (v->parent && v->parent->right == v)
		v = v->parent;
	return v->parent;
}

struct vma *vma_prev(struct vma *v)
{
	if (v->left) {
		v = v->left;
		while (v->right)
			v = v->right;
		return v;
	}
	while (v->parent && v->parent->left == v)
		v = v->parent;
	return v->parent;
}

uint64_t vma_data_bytes(const struct vma *v)
{
	if ((v->flags & (VMA_RESERVED | VMA_SHARED | VMA_STACK | VMA_GROWSDOWN)) || !(v->prot & PROT_WRITE))
		return 0;
	return v->end - v->start;
}

static void account(struct vma_tree *t, const struct vma *v, int sign)
{
	if (v->flags & VMA_RESERVED)
		return;
	t->app_bytes += (uint64_t)sign * (v->end - v->start);
	t->data_bytes += (uint64_t)sign * vma_data_bytes(v);
}

/* Sets v's gap from its predecessor and fixes the augmentation above it. */
static void refresh_gap(struct vma_tree *t, struct vma *v)
{
	struct vma *p = vma_prev(v);
	v->gap = v->start - (p ? p->end : 0);
	retrace(t, v);
}

void vma_insert(struct vma_tree *t, struct vma *v)
{
	struct vma **link = &t->root, *parent = NULL;
	while (*link) {
		parent = *link;
		link = v->start < parent->start ? &parent->left : &parent->right;
	}
	v->left = v->right = NULL;
	v->parent = parent;
	v->height = 1;
	*link = v;
	account(t, v, 1);
	t->count++;
	refresh_gap(t, v);
	struct vma *s = vma_next(v);
	if (s)
		refresh_gap(t, s);
}

void vma_remove(struct vma_tree *t, struct vma *v)
{
	struct vma *succ = vma_next(v), *from;
	if (!v->left || !v->right) {
		from = v->parent;
		replace_child(t, v->parent, v, v->left ? v->left : v->right);
	} else {
		struct vma *s = succ;	/* leftmost of the right subtree: no left child */
		if (s->parent != v) {
			from = s->parent;
			replace_child(t, s->parent, s, s->right);
			s->right = v->right;
			s->right->parent = s;
		} else {
			from = s;
		}
		s->left = v->left;
		s->left->parent = s;
		replace_child(t, v->parent, v, s);
	}
	retrace(t, from);
	account(t, v, -1);
	t->count--;
	if (succ)
		refresh_gap(t, succ);
	v->left = v->right = v->parent = NULL;
}

void vma_set_range(struct vma_tree *t, struct vma *v, uint64_t start, uint64_t end)
{
	account(t, v, -1);
	v->start = start;
	v->end = end;
	account(t, v, 1);
	refresh_gap(t, v);
	struct vma *s = vma_next(v);
	if (s)
		refresh_gap(t, s);
}

void vma_set_attrs(struct vma_tree *t, struct vma *v, uint32_t prot, uint32_t flags)
{
	account(t, v, -1);
	v->prot = prot;
	v->flags = flags;
	account(t, v, 1);
}

int vma_mergeable(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags || a->file != b->file ||
	    (a->flags & VMA_RESERVED) || a->label != b->label)
		return 0;
	if (a->file)
		return a->off + (a->end - a->start) == b->off;
	/* Each MAP_SHARED|MAP_ANONYMOUS mapping is an object of its own. */
	return !(a->flags & VMA_SHARED);
}

/* Searches n's subtree, highest addresses first. */
static uint64_t hole_in(struct vma *n, uint64_t len, uint64_t low, uint64_t high, uint64_t guard)
{
	if (!n || n->max_gap < len)
		return 0;
	if (n->end < high) {
		uint64_t r = hole_in(n->right, len, low, high, guard);
		if (r)
			return r;
	}
	uint64_t lo = n->start - n->gap, hi = n->start;
	if ((n->flags & VMA_GROWSDOWN) && !(n->flags & VMA_RESERVED))
		hi = hi > guard ? hi - guard : 0;
	if (lo < low)
		lo = low;
	if (hi > high)
		hi = high;
	if (hi > lo && hi - lo >= len)
		return hi - len;
	if (n->start - n->gap > low)
		return hole_in(n->left, len, low, high, guard);
	return 0;
}

uint64_t vma_find_hole_topdown(struct vma_tree *t, uint64_t len, uint64_t low, uint64_t high,
			       uint64_t guard)
{
	if (!len || high < low || high - low < len)
		return 0;
	/* Above the last VMA no node records the gap: look there first. */
	struct vma *last = t->root;
	while (last && last->right)
		last = last->right;
	uint64_t top_lo = last ? last->end : 0;
	if (top_lo < low)
		top_lo = low;
	if (top_lo < high && high - top_lo >= len)
		return high - len;
	return hole_in(t->root, len, low, high, guard);
}

/* Recomputes n's subtree: height and max gap, checking them on the way. */
static const char *check_node(const struct vma *n, int *h, uint64_t *mg, const struct vma **bad)
{
	*h = 0;
	*mg = 0;
	if (!n)
		return NULL;
	int hl, hr;
	uint64_t gl, gr;
	const char *why;
	if ((n->left && n->left->parent != n) || (n->right && n->right->parent != n)) {
		*bad = n;
		return "a child's parent link is wrong";
	}
	if ((why = check_node(n->left, &hl, &gl, bad)) || (why = check_node(n->right, &hr, &gr, bad)))
		return why;
	*h = 1 + (hl > hr ? hl : hr);
	*mg = max2(n->gap, max2(gl, gr));
	*bad = n;
	if (n->height != *h)
		return "stored height is wrong";
	if (hl - hr > 1 || hr - hl > 1)
		return "the tree is out of balance";
	if (n->max_gap != *mg)
		return "stored max_gap is wrong";
	return NULL;
}

const char *vma_tree_check(struct vma_tree *t, const struct vma **bad)
{
	int h;
	uint64_t mg, app = 0, data = 0;
	long count = 0;
	const char *why = check_node(t->root, &h, &mg, bad);
	if (why)
		return why;
	const struct vma *prev = NULL;
	for (struct vma *v = vma_first(t); v; v = vma_next(v)) {
		*bad = v;
		count++;
		if ((v->start | v->end) & (PAGE_SIZE - 1))
			return "not page aligned";
		if (v->start >= v->end)
			return "empty or inverted";
		if (prev && prev->end > v->start)
			return "overlaps the previous VMA";
		if (v->gap != v->start - (prev ? prev->end : 0))
			return "stored gap is wrong";
		if (prev && vma_mergeable(prev, v))
			return "left unmerged with an identical neighbour";
		if (!(v->flags & VMA_RESERVED)) {
			app += v->end - v->start;
			data += vma_data_bytes(v);
		}
		prev = v;
	}
	*bad = NULL;
	if (count != t->count)
		return "count differs from the VMAs in the tree";
	if (app != t->app_bytes || data != t->data_bytes)
		return "app_bytes or data_bytes differs from the sum of the VMAs";
	return NULL;
}
