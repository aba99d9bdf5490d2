/* tests/unit/rt_vma.c — the VMA tree (libos/vm/vma.c) on the host: thousands of random inserts,
 * removals and range changes (fixed seeds) against a page-bitmap model, with vma_tree_check after
 * every step, lookups and top-down hole searches compared with brute force. */
#include "unit.h"
#include <stdint.h>

#include "../../libos/vm/vma.c"

#define PAGES 512	/* the model's address space: [0, PAGES) pages */
#define PG 4096ull

static uint64_t rng;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static struct vma_tree tree;
static struct vma *owner[PAGES];	/* the model: which node holds each page */

static int model_free(uint64_t s, uint64_t e)
{
	for (uint64_t p = s; p < e; p++)
		if (owner[p])
			return 0;
	return 1;
}

/* The model's answer to vma_find: first node with end > addr. */
static struct vma *model_find(uint64_t page)
{
	for (uint64_t p = page; p < PAGES; p++)
		if (owner[p])
			return owner[p];
	return NULL;
}

/* The model's top-down hole: highest a with [a, a+len) free inside [low, high). */
static uint64_t model_hole(uint64_t len, uint64_t low, uint64_t high)
{
	for (uint64_t a = high - len + 1; a-- > low;)
		if (a + len <= high && model_free(a, a + len))
			return a;
	return 0;
}

static void set_owner(struct vma *v, struct vma *who)
{
	for (uint64_t p = v->start / PG; p < v->end / PG; p++)
		owner[p] = who;
}

int main(void)
{
	static const uint64_t seeds[] = { 1, 0x9e3779b97f4a7c15ull, 42, 0xdeadbeefcafeull };
	int bad_checks = 0, bad_find = 0, bad_hole = 0, steps = 0;
	for (unsigned s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
		rng = seeds[s];
		memset(&tree, 0, sizeof(tree));
		memset(owner, 0, sizeof(owner));
		for (int i = 0; i < 3000; i++, steps++) {
			uint64_t op = next_rand() % 4;
			uint64_t a = 1 + next_rand() % (PAGES - 2), n = 1 + next_rand() % 16;
			if (a + n > PAGES)
				n = PAGES - a;
			if (op <= 1) {	/* insert into a free range */
				if (model_free(a, a + n)) {
					struct vma *v = calloc(1, sizeof(*v));
					v->start = a * PG;
					v->end = (a + n) * PG;
					/* Distinct prots: neighbours never qualify for merging,
					 * which is the VM layer's job, not the tree's. */
					v->prot = (uint32_t)next_rand();
					v->flags = (next_rand() % 8 == 0) ? VMA_RESERVED : 0;
					vma_insert(&tree, v);
					set_owner(v, v);
				}
			} else if (op == 2) {	/* remove the node at or after a */
				struct vma *v = vma_find(&tree, a * PG);
				if (v) {
					set_owner(v, NULL);
					vma_remove(&tree, v);
					free(v);
				}
			} else {	/* shrink or grow a node within its free neighbourhood */
				struct vma *v = vma_find(&tree, a * PG);
				if (v) {
					uint64_t ns = v->start / PG, ne = v->end / PG;
					if (next_rand() % 2 && ns > 1 && !owner[ns - 1])
						ns--;
					else if (ne - ns > 1)
						ne--;
					set_owner(v, NULL);
					vma_set_range(&tree, v, ns * PG, ne * PG);
					set_owner(v, v);
				}
			}
			const struct vma *bad;
			const char *why = vma_tree_check(&tree, &bad);
			if (why) {
				if (bad_checks++ < 3)
					printf("seed %u step %d: %s\n", s, i, why);
			}
			uint64_t q = next_rand() % PAGES;
			if (vma_find(&tree, q * PG) != model_find(q)) {
				if (bad_find++ < 3)
					printf("seed %u step %d: vma_find(%lu) differs\n", s, i, (unsigned long)q);
			}
			uint64_t len = 1 + next_rand() % 24, low = next_rand() % PAGES, high = next_rand() % (PAGES + 1);
			uint64_t want = low < high && high - low >= len ? model_hole(len, low, high) : 0;
			uint64_t got = vma_find_hole_topdown(&tree, len * PG, low * PG, high * PG, 0) / PG;
			if (got != want && !(want == 0 && low == 0)) {
				if (bad_hole++ < 3)
					printf("seed %u step %d: hole(len %lu, [%lu,%lu)) = %lu, model %lu\n", s, i,
					       (unsigned long)len, (unsigned long)low, (unsigned long)high,
					       (unsigned long)got, (unsigned long)want);
			}
		}
		/* Accounting: app bytes are the non-reserved pages. */
		uint64_t app = 0;
		for (int p = 0; p < PAGES; p++)
			if (owner[p] && !(owner[p]->flags & VMA_RESERVED))
				app += PG;
		result(tree.app_bytes == app, "app_bytes matches the model", "%lu vs %lu",
		       (unsigned long)tree.app_bytes, (unsigned long)app);
	}
	result(bad_checks == 0, "vma_tree_check holds after every step", "%d of %d steps broke it", bad_checks, steps);
	result(bad_find == 0, "vma_find agrees with the model", "%d mismatches", bad_find);
	result(bad_hole == 0, "top-down hole search agrees with brute force", "%d mismatches", bad_hole);

	/* Merging rules. */
	struct vma a = { .start = 0, .end = PG, .prot = 3 }, b = { .start = PG, .end = 2 * PG, .prot = 3 };
	CHECK("adjacent anonymous private VMAs merge", vma_mergeable(&a, &b));
	b.prot = 1;
	CHECK("different prot does not merge", !vma_mergeable(&a, &b));
	b.prot = 3;
	a.flags = b.flags = VMA_SHARED;
	CHECK("shared anonymous mappings stay apart", !vma_mergeable(&a, &b));
	a.flags = b.flags = VMA_RESERVED;
	CHECK("reserved ranges never merge", !vma_mergeable(&a, &b));
	return finish();
}
