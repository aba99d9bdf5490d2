/* tests/unit/rt_alloc.c — lib/alloc.c on the host over one static arena: 16-byte alignment,
 * no overlap between live blocks under a seeded random alloc/free mix (also from 4 threads),
 * reuse after free, realloc, zalloc, and NULL (never a short block) when a request cannot be met. */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../../lib/alloc.c"

#define ARENA_SIZE (8u << 20)
static _Alignas(4096) char arena[ARENA_SIZE];

#include "unit.h"


static int in_arena(const void *p, size_t n)
{
	return (const char *)p >= arena && (const char *)p + n <= arena + ARENA_SIZE;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static void test_alignment(void)
{
	int bad = 0;
	void *first_bad = NULL;
	for (size_t n = 1; n <= 5000; n += 7) {
		void *p = heap_alloc(n);
		if (!p || ((uintptr_t)p & 15) || !in_arena(p, n)) {
			bad++;
			first_bad = p;
		}
		heap_free(p);
	}
	result(bad == 0, "every block is 16-byte aligned and inside the arena",
	      "0 bad blocks, got %d (e.g. %p)", bad, first_bad);
	void *z = heap_alloc(0);
	result(z && ((uintptr_t)z & 15) == 0 && in_arena(z, 1), "heap_alloc(0) returns an aligned block",
	      "aligned pointer, got %p", z);
	heap_free(z);
	heap_free(NULL);	/* must simply return */
}

static void test_reuse(void)
{
	void *p = heap_alloc(100);
	heap_free(p);
	void *q = heap_alloc(100);
	result(q == p, "a freed block is reused for the same size", "%p, got %p", p, q);
	void *r = heap_alloc(90);
	result(r != q, "a live block is not handed out twice", "a block other than %p, got %p", q, r);
	heap_free(r);
	void *s = heap_alloc(80);
	result(s == r, "a freed block is reused for a smaller request of its class", "%p, got %p", r, s);
	size_t before = heap_used();
	heap_free(q);
	heap_free(s);
	result(heap_used() == before, "heap_used does not shrink on free", "%zu, got %zu", before,
	      heap_used());
	void *t = heap_alloc(100);
	result(heap_used() == before, "reuse takes nothing new from the arena", "%zu, got %zu", before,
	      heap_used());
	heap_free(t);
}

static void test_zalloc(void)
{
	unsigned char *p = heap_alloc(700);
	memset(p, 0xaa, 700);
	heap_free(p);
	unsigned char *q = heap_zalloc(700);
	int zero = q != NULL;
	for (size_t i = 0; q && i < 700; i++)
		zero &= q[i] == 0;
	result(q == p && zero, "zalloc zeroes a reused dirty block", "the dirty block %p zeroed, got %p (zero=%d)",
	      (void *)p, (void *)q, zero);
	heap_free(q);
}

static void test_realloc(void)
{
	unsigned char *p = heap_realloc(NULL, 20);
	result(p != NULL && in_arena(p, 20), "realloc(NULL, n) allocates", "a block, got %p", (void *)p);
	fill(p, 20, 7);
	unsigned char *q = heap_realloc(p, 10);
	result(q == p && intact(q, 10, 7), "realloc to a smaller size keeps the block and content",
	      "%p intact, got %p", (void *)p, (void *)q);
	q = heap_realloc(p, 5000);
	result(q && intact(q, 20, 7), "realloc to a larger size preserves the content",
	      "first 20 bytes intact at %p", (void *)q);
	fill(q, 5000, 8);
	unsigned char *r = heap_realloc(q, 100000);
	result(r && intact(r, 5000, 8), "a second growth preserves all 5000 bytes", "intact at %p",
	      (void *)r);
	heap_free(r);
}

/* A broken realloc(p, SIZE_MAX) corrupts the heap, so it runs in a child. */
static void test_realloc_impossible(void)
{
	unsigned char *p = heap_alloc(5000);
	fill(p, 5000, 9);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		unsigned char *q = heap_realloc(p, SIZE_MAX);
		_exit(q == NULL && intact(p, 5000, 9) ? 0 : 1);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	result(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "realloc to an impossible size returns NULL and keeps the block",
	      "exit 0, got %s %d", WIFEXITED(st) ? "exit" : "signal",
	      WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	heap_free(p);
}

/* Random alloc/free over a fixed number of slots; every live block carries a pattern. */
#define SLOTS 256
static void test_random_mix(void)
{
	struct { unsigned char *p; size_t n; unsigned tag; } slot[SLOTS] = { { 0 } };
	int overlaps = 0, corrupt = 0, misaligned = 0, nulls = 0;
	for (unsigned op = 1; op <= 20000; op++) {
		unsigned i = (unsigned)(xorshift64(&rng) % SLOTS);
		if (slot[i].p) {
			if (!intact(slot[i].p, slot[i].n, slot[i].tag))
				corrupt++;
			heap_free(slot[i].p);
			slot[i].p = NULL;
			continue;
		}
		uint64_t r = xorshift64(&rng);
		size_t n = (r & 7) == 0 ? 1 + (r >> 8) % 20000 : 1 + (r >> 8) % 600;
		unsigned char *p = heap_alloc(n);
		if (!p) {
			nulls++;
			continue;
		}
		if ((uintptr_t)p & 15)
			misaligned++;
		for (unsigned j = 0; j < SLOTS; j++)
			if (slot[j].p && p < slot[j].p + slot[j].n && slot[j].p < p + n)
				overlaps++;
		fill(p, n, op);
		slot[i].p = p, slot[i].n = n, slot[i].tag = op;
	}
	for (unsigned j = 0; j < SLOTS; j++) {
		if (slot[j].p && !intact(slot[j].p, slot[j].n, slot[j].tag))
			corrupt++;
		heap_free(slot[j].p);
	}
	result(nulls == 0, "random mix: no allocation fails in a roomy arena", "0 NULLs, got %d", nulls);
	result(misaligned == 0, "random mix: all blocks 16-byte aligned", "0, got %d", misaligned);
	result(overlaps == 0, "random mix: live blocks never overlap", "0 overlaps, got %d", overlaps);
	result(corrupt == 0, "random mix: no live block's content changes", "0 corrupted, got %d",
	      corrupt);
}

static int thread_errors;
static void *thread_mix(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg;
	unsigned char *live[16] = { 0 };
	size_t len[16];
	for (unsigned op = 0; op < 20000; op++) {
		unsigned i = (op * 7 + id) % 16;
		if (live[i]) {
			if (!intact(live[i], len[i], id))
				__atomic_add_fetch(&thread_errors, 1, __ATOMIC_RELAXED);
			heap_free(live[i]);
			live[i] = NULL;
		} else {
			len[i] = 16 + (op * 13 + id * 101) % 400;
			live[i] = heap_alloc(len[i]);
			if (!live[i])
				__atomic_add_fetch(&thread_errors, 1, __ATOMIC_RELAXED);
			else
				fill(live[i], len[i], id);
		}
	}
	for (unsigned i = 0; i < 16; i++)
		heap_free(live[i]);
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[4];
	for (uintptr_t i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, thread_mix, (void *)(i + 1));
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	result(thread_errors == 0, "4 threads allocating at once never share or lose a block",
	      "0 errors, got %d", thread_errors);
}

static void test_impossible_sizes(void)
{
	size_t used = heap_used();
	void *p = heap_alloc((size_t)1 << 41);
	result(p == NULL, "a request above the largest class returns NULL", "NULL, got %p", p);
	p = heap_alloc(SIZE_MAX);
	result(p == NULL, "heap_alloc(SIZE_MAX) returns NULL, not a short block", "NULL, got %p", p);
	p = heap_alloc(SIZE_MAX - 8);
	result(p == NULL, "heap_alloc(SIZE_MAX - 8) returns NULL (size + header must not wrap)",
	      "NULL, got %p", p);
	p = heap_alloc(ARENA_SIZE);
	result(p == NULL, "a request larger than the arena returns NULL", "NULL, got %p", p);
	result(heap_used() == used, "failed requests take nothing from the arena", "%zu, got %zu", used,
	      heap_used());
}

/* Last: uses up the arena. */
static void test_exhaustion(void)
{
	void *blocks[4096];
	int n = 0;
	while (n < 4096 && (blocks[n] = heap_alloc(60000)) != NULL)
		n++;
	result(n > 0 && n < 4096, "allocation returns NULL once the arena is used up",
	      "NULL after fewer than 4096 blocks, got %d blocks", n);
	result(heap_used() <= ARENA_SIZE, "heap_used never exceeds the arena", "<= %u, got %zu",
	      ARENA_SIZE, heap_used());
	int inside = 1;
	for (int i = 0; i < n; i++)
		inside &= in_arena(blocks[i], 60000);
	result(inside, "every block of a full arena lies inside it", "all inside");
	heap_free(blocks[n / 2]);
	void *again = heap_alloc(60000);
	result(again == blocks[n / 2], "a block freed in a full arena can be allocated again",
	      "%p, got %p", blocks[n / 2], again);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	heap_init(arena, ARENA_SIZE);
	result(heap_used() == 0, "a fresh heap has used nothing", "0, got %zu", heap_used());
	void *first = heap_alloc(100);
	result(first == arena + 16, "the first block's data follows its 16-byte header at the arena start",
	      "%p, got %p", (void *)(arena + 16), first);
	result(heap_used() == 128, "100 bytes + header take one 128-byte class block", "128, got %zu",
	      heap_used());
	heap_free(first);
	test_alignment();
	test_reuse();
	test_zalloc();
	test_realloc();
	test_realloc_impossible();
	test_random_mix();
	test_threads();
	test_impossible_sizes();
	test_exhaustion();
	return finish();
}
