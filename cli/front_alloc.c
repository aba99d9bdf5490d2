/* cli/front_alloc.c — malloc for the `cella` front only: a bump allocator over one arena whose
 * pages are made present 32 KiB at a time, and free that gives back only the latest block.
 * Why: the front lives a millisecond and frees nothing that matters; musl's allocator maps and
 * unmaps small groups and faults their pages in one by one, and a first touch of an anonymous
 * page (zero page, then copy) costs ~10 us on a virtual machine, so a run spent ~0.1 ms there.
 * Invariants: blocks are 16-byte aligned with their size stored just before them; only the
 * front links this file (cli.mk), cella-cli keeps glibc's malloc. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_SIZE	(4u << 20)	/* reserved, not committed: a huge stamp still fits */
#define POPULATE_STEP	(32u << 10)

static uint8_t *arena, *bump, *present;
static uint8_t *last;	/* the latest block: free and realloc can roll it back */

/* The bytes a block of n takes: its size word and n rounded up to 16; 0 if n never fits. */
static size_t block_size(size_t n)
{
	return n > ARENA_SIZE ? 0 : ((n + 15) & ~(size_t)15) + 16;
}

/* Makes room for `need` bytes at bump (present, or being made so); 0, or -1 if they do not fit. */
static int arena_grow(size_t need)
{
	if (!need)
		return -1;
	if (!arena) {
		void *p = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return -1;
		arena = bump = present = p;
	}
	if ((size_t)(arena + ARENA_SIZE - bump) < need)
		return -1;
	while (present < bump + need) {
		/* One call for many pages; a kernel without it faults them in on first use. */
		size_t step = POPULATE_STEP;
		if (present + step > arena + ARENA_SIZE)
			step = (size_t)(arena + ARENA_SIZE - present);
		madvise(present, step, 23 /* MADV_POPULATE_WRITE */);
		present += step;
	}
	return 0;
}

/* Not named malloc: the compiler turns malloc followed by a zeroing memset into a call to
 * calloc, which here would call itself. */
static void *arena_alloc(size_t n)
{
	size_t need = block_size(n);

	if (arena_grow(need) < 0) {
		errno = ENOMEM;
		return NULL;
	}
	*(size_t *)(bump + 8) = n;
	last = bump + 16;
	bump += need;
	return last;
}

void *malloc(size_t n)
{
	return arena_alloc(n);
}

void free(void *p)
{
	if (p && p == last) {
		bump = last - 16;
		last = NULL;
	}
}

void *calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	/* Fresh arena memory is zero; a rolled-back block may not be. */
	void *p = arena_alloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *old, size_t n)
{
	size_t had = old ? *(size_t *)((uint8_t *)old - 8) : 0;
	void *p;

	if (old && old == last) {	/* the latest block grows in place */
		uint8_t *was = bump;
		bump = last - 16;
		if (arena_grow(block_size(n)) == 0) {
			*(size_t *)(bump + 8) = n;
			bump += block_size(n);
			return old;
		}
		bump = was;
	}
	p = arena_alloc(n);
	if (p && old)
		memcpy(p, old, had < n ? had : n);
	return p;
}

void *aligned_alloc(size_t align, size_t n)
{
	uint8_t *raw, *p;

	if (align <= 16)
		return arena_alloc(n);
	if (align & (align - 1) || n > SIZE_MAX - align) {
		errno = EINVAL;
		return NULL;
	}
	raw = arena_alloc(n + align);
	if (!raw)
		return NULL;
	p = (uint8_t *)(((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1));
	if (p != raw)	/* then p - raw >= 16: room for the size */
		*(size_t *)(p - 8) = n;
	return p;
}

int posix_memalign(void **out, size_t align, size_t n)
{
	void *p = aligned_alloc(align < 16 ? 16 : align, n);

	if (!p)
		return errno;
	*out = p;
	return 0;
}
