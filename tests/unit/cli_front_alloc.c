/* tests/unit/cli_front_alloc.c — the front's bump allocator (cli/front_alloc.c), here serving
 * every allocation of this test program: 16-byte alignment, the latest block rolled back by free
 * and grown in place by realloc (past the pages already made present), copies for other blocks,
 * calloc zeroing reused memory, aligned_alloc, ENOMEM, and no overlap among many live blocks.
 * Each sequence runs without printing in between: stdio allocates too. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/front_alloc.c"
#include "unit.h"

static int aligned16(const void *p)
{
	return ((uintptr_t)p & 15) == 0;
}

static int all_are(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

int main(void)
{
	unsigned char *a, *b, *c, *d;
	uintptr_t was;	/* an address kept as a number: a freed pointer may not be compared */
	volatile size_t huge = SIZE_MAX / 2;
	int ok1, ok2, ok3, ok4;

	/* free of the latest block gives it back; calloc then zeroes the dirty bytes */
	a = malloc(64);
	memset(a, 0xaa, 64);
	was = (uintptr_t)a;
	free(a);
	b = calloc(8, 8);
	ok1 = (uintptr_t)b == was && all_are(b, 64, 0);
	CHECK("free rolls back the latest block and calloc zeroes it again", ok1);
	CHECK("blocks are 16-byte aligned", aligned16(b) && aligned16(malloc(3)) && aligned16(malloc(17)));

	/* the latest block grows in place, well past the first 32 KiB made present */
	a = malloc(100);
	fill(a, 100, 7);
	was = (uintptr_t)a;
	b = realloc(a, 300000);
	ok1 = (uintptr_t)b == was && intact(b, 100, 7);
	memset(b + 100, 0x5c, 300000 - 100);	/* every page of it can be written */
	ok2 = all_are(b + 100, 300000 - 100, 0x5c);
	CHECK("realloc grows the latest block in place and keeps its bytes", ok1);
	CHECK("a grown block is writable to its end", ok2);

	/* any other block moves, with its bytes; shrinking keeps the prefix */
	a = malloc(50);
	b = malloc(50);
	fill(a, 50, 3);
	fill(b, 50, 4);
	was = (uintptr_t)a;
	c = realloc(a, 500);
	ok1 = (uintptr_t)c != was && intact(c, 50, 3) && intact(b, 50, 4);
	d = realloc(b, 10);
	ok2 = d != NULL && intact(d, 10, 4);
	CHECK("realloc of an older block copies it and leaves the others alone", ok1);
	CHECK("realloc to a smaller size keeps the prefix", ok2);
	CHECK("realloc(NULL, n) is malloc", realloc(NULL, 40) != NULL);

	/* alignment beyond 16 */
	void *p = NULL;
	a = aligned_alloc(4096, 100);
	fill(a, 100, 9);
	was = (uintptr_t)a;
	b = realloc(a, 200);
	ok1 = (was & 4095) == 0 && intact(b, 100, 9);
	ok2 = posix_memalign(&p, 64, 1000) == 0 && ((uintptr_t)p & 63) == 0;
	errno = 0;
	ok3 = aligned_alloc(48, 10) == NULL && errno == EINVAL;
	CHECK("aligned_alloc(4096) is aligned and realloc copies its bytes", ok1);
	CHECK("posix_memalign(64) is aligned", ok2);
	CHECK("aligned_alloc with an alignment not a power of two is EINVAL", ok3);

	/* what cannot be met is NULL with ENOMEM, never a short block */
	errno = 0;
	ok1 = malloc(ARENA_SIZE + 1) == NULL && errno == ENOMEM;
	errno = 0;
	ok2 = calloc(huge, 4) == NULL && errno == ENOMEM;
	errno = 0;
	ok3 = malloc(ARENA_SIZE - 4096) == NULL && errno == ENOMEM;	/* more than is left */
	ok4 = malloc(100) != NULL;	/* and the arena still serves */
	CHECK("malloc larger than the arena is NULL with ENOMEM", ok1);
	CHECK("calloc whose size overflows is NULL with ENOMEM", ok2);
	CHECK("malloc larger than what is left is NULL with ENOMEM", ok3);
	CHECK("after a refusal smaller blocks are still served", ok4);

	/* many live blocks of mixed sizes never overlap */
	static unsigned char *blk[400];
	static size_t len[400];
	ok1 = 1;
	for (unsigned i = 0; i < 400; i++) {
		len[i] = 1 + (i * 7919u) % 700;
		blk[i] = malloc(len[i]);
		if (!blk[i] || !aligned16(blk[i]))
			ok1 = 0;
		else
			fill(blk[i], len[i], i);
	}
	for (unsigned i = 0; ok1 && i < 400; i++)
		ok1 = intact(blk[i], len[i], i);
	CHECK("400 live blocks keep their own bytes", ok1);
	return finish();
}
