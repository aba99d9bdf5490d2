/* lib/alloc.c — size-class allocator. Invariant: every block starts with a 16-byte header
 * holding its class; a block on free_list[c] is exactly 1 << c bytes including the header. */
#include "alloc.h"
#include "mem.h"
#include "spinlock.h"
#include <stdint.h>

#define MIN_CLASS 5	/* 32 bytes */
#define MAX_CLASS 40
#define HDR HEAP_BLOCK_HDR

struct block {
	uint64_t cls;
	uint64_t pad;
	struct block *next;	/* valid only while free */
};

static struct {
	struct spinlock lock;
	char *base, *top, *end;
	struct block *free_list[MAX_CLASS + 1];
} heap;

void heap_init(void *base, size_t size)
{
	heap.base = base;
	heap.top = base;
	heap.end = (char *)base + size;
}

static unsigned class_of(size_t n)
{
	if (n > ((size_t)1 << MAX_CLASS) - HDR)
		return MAX_CLASS + 1;	/* too big for any class (and n + HDR could wrap) */
	unsigned c = MIN_CLASS;
	while (c <= MAX_CLASS && ((size_t)1 << c) < n + HDR)
		c++;
	return c;
}

void *heap_alloc(size_t n)
{
	unsigned c = class_of(n);
	if (c > MAX_CLASS)
		return NULL;
	spin_lock(&heap.lock);
	struct block *b = heap.free_list[c];
	if (b) {
		heap.free_list[c] = b->next;
	} else if ((size_t)(heap.end - heap.top) >= ((size_t)1 << c)) {
		b = (struct block *)heap.top;
		heap.top += (size_t)1 << c;
		b->cls = c;
	}
	spin_unlock(&heap.lock);
	return b ? (char *)b + HDR : NULL;
}

void *heap_zalloc(size_t n)
{
	void *p = heap_alloc(n);
	if (p)
		memset(p, 0, n);
	return p;
}

void heap_free(void *p)
{
	if (!p)
		return;
	struct block *b = (struct block *)((char *)p - HDR);
	spin_lock(&heap.lock);
	b->next = heap.free_list[b->cls];
	heap.free_list[b->cls] = b;
	spin_unlock(&heap.lock);
}

void *heap_realloc(void *p, size_t n)
{
	if (!p)
		return heap_alloc(n);
	struct block *b = (struct block *)((char *)p - HDR);
	size_t have = ((size_t)1 << b->cls) - HDR;
	if (n <= have)
		return p;
	void *q = heap_alloc(n);
	if (q) {
		memcpy(q, p, have);
		heap_free(p);
	}
	return q;
}

size_t heap_used(void)
{
	return (size_t)(heap.top - heap.base);
}

struct spinlock *heap_lock(void)
{
	return &heap.lock;
}
