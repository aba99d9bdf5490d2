/* tests/programs/vm_model.c — model-based test of the memory map: seeded random sequences of mmap,
 * munmap, mremap, mprotect, madvise and brk inside a private arena, checked page by page against a model. */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>

/* Older libc headers may lack these; the values are the kernel ABI's. */
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define PG 4096UL
#define NP 128			/* arena pages; pages 0 and NP-1 are guards the ops never touch */
#define BRK_MAX 40		/* brk pages the model may use above the initial break */
#define STEPS 700
#define WORDS (PG / 8)

enum { P_NONE = 1, P_R, P_RW };	/* 0: unmapped */

/* What the model knows of one page. Pages with the same `vma` that are contiguous and mapped are
 * known to be inside one kernel VMA (merges only grow VMAs, and every operation that may split or
 * re-home pages gives them a fresh id), which is what decides whether an mremap may succeed. */
struct page {
	uint8_t prot;		/* 0 unmapped, P_* */
	uint8_t shared;		/* MAP_SHARED|MAP_ANONYMOUS (shmem): DONTNEED keeps it, no mremap growth */
	uint32_t vma;
	uint32_t tag;		/* content: 0 all zero, else the pattern of fill_page() */
};

static struct page model[NP];
static char *arena;
static uint32_t next_vma, next_tag;
static uint64_t rng;

/* brk: the break is moved only upwards of the page-aligned initial break, and restored at the end
 * of a seed. No malloc may run meanwhile (libc caches the break), so the checks use static buffers. */
static uintptr_t brk0, brk_base, brk_cur;
static uint32_t brk_tag[BRK_MAX + 1];
static int brk_pages;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned rnd(unsigned n)
{
	return (unsigned)(next_rand() % n);
}

static inline uint64_t word_of(uint32_t tag, size_t w)
{
	return tag ? (tag * 0x9E3779B97F4A7C15ULL) ^ (w * 0x100000001ULL) ^ 0x5a5a : 0;
}

static void fill_page(char *p, uint32_t tag)
{
	uint64_t *q = (uint64_t *)p;
	for (size_t w = 0; w < WORDS; w++)
		q[w] = word_of(tag, w);
}

static void check_page(const char *p, uint32_t tag, const char *what, long idx)
{
	const uint64_t *q = (const uint64_t *)p;
	for (size_t w = 0; w < WORDS; w++)
		if (q[w] != word_of(tag, w))
			fail("%s page %ld word %zu: expected %#llx (tag %u), got %#llx", what, idx, w,
			     (unsigned long long)word_of(tag, w), tag, (unsigned long long)q[w]);
}

static char *pg(long i)
{
	return arena + i * PG;
}

static void set_pages(long s, long n, int prot, int shared, uint32_t vma, uint32_t tag)
{
	for (long i = s; i < s + n; i++)
		model[i] = (struct page){ .prot = (uint8_t)prot, .shared = (uint8_t)shared, .vma = vma, .tag = tag };
}

static int all_free(long s, long n)
{
	if (s < 0 || s + n > NP)
		return 0;
	for (long i = s; i < s + n; i++)
		if (model[i].prot)
			return 0;
	return 1;
}

static int all_mapped(long s, long n)
{
	for (long i = s; i < s + n; i++)
		if (!model[i].prot)
			return 0;
	return 1;
}

static int prot_bits(int p)
{
	return p == P_RW ? PROT_READ | PROT_WRITE : p == P_R ? PROT_READ : PROT_NONE;
}

static int rand_prot(void)
{
	return 1 + (int)rnd(3);
}

/* A range of interior pages: start in [1, NP-1), 1..maxlen pages, clipped before the last guard. */
static void rand_range(long *s, long *n, unsigned maxlen)
{
	*s = 1 + rnd(NP - 2);
	*n = 1 + rnd(maxlen);
	if (*s + *n > NP - 1)
		*n = NP - 1 - *s;
}

/* A random mapped interior page (or -1), then how many pages from it share its vma and prot. */
static long rand_mapped(void)
{
	long s = 1 + rnd(NP - 2);
	for (long k = 0; k < NP - 2; k++, s = s + 1 < NP - 1 ? s + 1 : 1)
		if (model[s].prot)
			return s;
	return -1;
}

static long same_run(long s, long maxlen)
{
	long n = 1;
	while (n < maxlen && s + n < NP - 1 && model[s + n].prot == model[s].prot &&
	       model[s + n].vma == model[s].vma)
		n++;
	return n;
}

static int in_arena(uintptr_t a, size_t len)
{
	return a < (uintptr_t)arena + NP * PG && a + len > (uintptr_t)arena;
}

/* A mapping the kernel placed (no MAP_FIXED): either wholly in free arena pages (then modelled,
 * the caller sets the pages) or wholly outside; outside ones are checked against `tags` and
 * unmapped at once. Returns the arena page index, or -1 if it was outside. */
static long placed(void *r, long n, int prot, const uint32_t *tags, const char *what)
{
	uintptr_t a = (uintptr_t)r;
	if (r == MAP_FAILED)
		fail("%s: expected success, got %s", what, errname(errno));
	if (a % PG)
		fail("%s: result %p not page aligned", what, r);
	if (in_arena(a, n * PG)) {
		long s = (long)((a - (uintptr_t)arena) / PG);
		if (a < (uintptr_t)arena || !all_free(s, n))
			fail("%s: placed at %p over memory the model holds mapped", what, r);
		return s;
	}
	if (prot != P_NONE)
		for (long i = 0; i < n; i++)
			check_page((char *)r + i * PG, tags ? tags[i] : 0, what, i);
	expect_ok(munmap(r, n * PG), "munmap of a mapping placed outside the arena");
	return -1;
}

/* ---- the checks after every step ---- */

static char maps_buf[1 << 17];
static uint8_t seen_prot[NP], seen_shared[NP];

static unsigned long hexnum(const char **p)
{
	unsigned long v = 0;
	for (;; (*p)++) {
		char c = **p;
		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (unsigned long)(c - 'a' + 10);
		else
			return v;
	}
}

/* /proc/self/maps is the authority for mapped-ness and protection (read with raw read(): no
 * stdio, no malloc). VMA boundaries are not compared: merging is the kernel's business. */
static void check_maps(void)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail("open /proc/self/maps: %s", errname(errno));
	size_t len = 0;
	for (;;) {
		ssize_t r = read(fd, maps_buf + len, sizeof maps_buf - 1 - len);
		if (r < 0)
			fail("read /proc/self/maps: %s", errname(errno));
		if (r == 0)
			break;
		len += (size_t)r;
		if (len >= sizeof maps_buf - 1)
			fail("/proc/self/maps larger than %zu bytes", sizeof maps_buf);
	}
	close(fd);
	maps_buf[len] = 0;
	memset(seen_prot, 0, sizeof seen_prot);
	memset(seen_shared, 0, sizeof seen_shared);
	uintptr_t lo = (uintptr_t)arena, hi = lo + NP * PG;
	for (const char *p = maps_buf; *p;) {
		unsigned long start = hexnum(&p);
		if (*p++ != '-')
			fail("/proc/self/maps: malformed line");
		unsigned long end = hexnum(&p);
		if (*p++ != ' ' || !p[0] || !p[1] || !p[2] || !p[3])
			fail("/proc/self/maps: malformed line");
		int prot = p[0] == 'r' ? (p[1] == 'w' ? P_RW : P_R) : P_NONE;
		if (p[0] != 'r' && p[1] == 'w')
			fail("/proc/self/maps: write-only range %#lx-%#lx", start, end);
		int shared = p[3] == 's';
		for (unsigned long a = start < lo ? lo : start; a < end && a < hi; a += PG) {
			seen_prot[(a - lo) / PG] = (uint8_t)prot;
			seen_shared[(a - lo) / PG] = (uint8_t)shared;
		}
		while (*p && *p != '\n')
			p++;
		if (*p)
			p++;
	}
	for (long i = 0; i < NP; i++) {
		if (seen_prot[i] != model[i].prot)
			fail("/proc/self/maps, arena page %ld: expected %s, got %s", i,
			     model[i].prot == 0 ? "unmapped" : model[i].prot == P_NONE ? "---" : model[i].prot == P_R ? "r--" : "rw-",
			     seen_prot[i] == 0 ? "unmapped" : seen_prot[i] == P_NONE ? "---" : seen_prot[i] == P_R ? "r--" : "rw-");
		if (model[i].prot && seen_shared[i] != model[i].shared)
			fail("/proc/self/maps, arena page %ld: expected %s, got %s", i,
			     model[i].shared ? "shared" : "private", seen_shared[i] ? "shared" : "private");
	}
}

/* mincore: success over every mapped run, ENOMEM at each end of every hole. */
static void check_mincore(void)
{
	static unsigned char vec[NP];
	for (long i = 0; i < NP;) {
		long j = i;
		while (j < NP && !model[j].prot == !model[i].prot)
			j++;
		if (model[i].prot) {
			if (mincore(pg(i), (j - i) * PG, vec) != 0)
				fail("mincore over mapped arena pages %ld..%ld: %s", i, j - 1, errname(errno));
		} else {
			expect_err(mincore(pg(i), PG, vec), ENOMEM, "mincore at the start of a hole");
			expect_err(mincore(pg(j - 1), PG, vec), ENOMEM, "mincore at the end of a hole");
			expect_err(mincore(pg(i - 1), 2 * PG, vec), ENOMEM, "mincore from a mapped page into a hole");
		}
		i = j;
	}
	if (brk_pages && mincore((void *)brk_base, brk_pages * PG, vec) != 0)
		fail("mincore over the brk area: %s", errname(errno));
	expect_err(mincore((void *)(brk_base + brk_pages * PG), PG, vec), ENOMEM, "mincore just past the break");
}

/* The kernel copies from and to user memory only as the protection allows: write() from a
 * PROT_NONE or unmapped page and read() into a non-writable page are EFAULT. */
static int probe_pipe[2];

static void drain(void)
{
	static char sink[64];
	while (read(probe_pipe[0], sink, sizeof sink) > 0)
		;
}

static void probe_page(long i)
{
	int p = model[i].prot;
	errno = 0;
	ssize_t r = write(probe_pipe[1], pg(i), 8);
	if (p == 0 || p == P_NONE) {
		if (r != -1 || errno != EFAULT)
			fail("write() from %s arena page %ld: expected EFAULT, got %zd (%s)",
			     p ? "PROT_NONE" : "unmapped", i, r, errname(errno));
	} else if (r != 8) {
		fail("write() from readable arena page %ld: expected 8, got %zd (%s)", i, r, errname(errno));
	}
	drain();
	uint64_t first = p ? word_of(model[i].tag, 0) : 0;	/* what the page holds: a no-op store */
	if (write(probe_pipe[1], &first, 8) != 8)
		fail("write to the probe pipe: %s", errname(errno));
	errno = 0;
	r = read(probe_pipe[0], pg(i), 8);
	if (p != P_RW) {
		if (r != -1 || errno != EFAULT)
			fail("read() into %s arena page %ld: expected EFAULT, got %zd (%s)",
			     p == 0 ? "unmapped" : p == P_NONE ? "PROT_NONE" : "read-only", i, r, errname(errno));
	} else if (r != 8) {
		fail("read() into writable arena page %ld: expected 8, got %zd (%s)", i, r, errname(errno));
	}
	drain();
}

static void check_all(void)
{
	check_maps();
	check_mincore();
	for (int k = 0; k < 3; k++)
		probe_page(1 + rnd(NP - 2));
	for (long i = 0; i < NP; i++)
		if (model[i].prot == P_R || model[i].prot == P_RW)
			check_page(pg(i), model[i].tag, "arena", i);
	for (long i = 0; i < brk_pages; i++)
		check_page((char *)brk_base + i * PG, brk_tag[i], "brk area", i);
}

/* ---- the operations ---- */

static void op_mmap(void)
{
	long s, n;
	rand_range(&s, &n, 12);
	int prot = rand_prot(), shared = rnd(4) == 0;
	int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS;
	unsigned kind = rnd(3);
	if (kind == 0) {			/* MAP_FIXED replaces whatever was there */
		void *r = mmap(pg(s), n * PG, prot_bits(prot), flags | MAP_FIXED, -1, 0);
		if (r != pg(s))
			fail("mmap MAP_FIXED at arena page %ld: expected the address, got %p (%s)", s, r, errname(errno));
		set_pages(s, n, prot, shared, ++next_vma, 0);
	} else if (kind == 1) {			/* MAP_FIXED_NOREPLACE: EEXIST unless all free */
		int free_ = all_free(s, n);
		void *r = mmap(pg(s), n * PG, prot_bits(prot), flags | MAP_FIXED_NOREPLACE, -1, 0);
		if (free_) {
			if (r != pg(s))
				fail("mmap MAP_FIXED_NOREPLACE on free arena pages %ld+%ld: got %p (%s)", s, n, r, errname(errno));
			set_pages(s, n, prot, shared, ++next_vma, 0);
		} else if (r != MAP_FAILED || errno != EEXIST) {
			fail("mmap MAP_FIXED_NOREPLACE over mapped arena pages %ld+%ld: expected EEXIST, got %p (%s)",
			     s, n, r, errname(errno));
		}
	} else {				/* a hint: honoured exactly when the range is free */
		int free_ = all_free(s, n);
		void *r = mmap(pg(s), n * PG, prot_bits(prot), flags, -1, 0);
		if (free_ && r != pg(s))
			fail("mmap with free hint arena page %ld+%ld: expected the hint, got %p (%s)", s, n, r, errname(errno));
		long at = placed(r, n, prot, NULL, "mmap with a hint");
		if (at >= 0)
			set_pages(at, n, prot, shared, ++next_vma, 0);
	}
}

static void op_munmap(void)
{
	long s, n;
	rand_range(&s, &n, 20);
	expect_ok(munmap(pg(s), n * PG), "munmap in the arena");
	set_pages(s, n, 0, 0, 0, 0);
}

static void op_mprotect(void)
{
	long s, n;
	rand_range(&s, &n, 16);
	int prot = rand_prot();
	if (!model[s].prot) {			/* a range that starts in a hole changes nothing */
		expect_err(mprotect(pg(s), n * PG, prot_bits(prot)), ENOMEM, "mprotect starting in a hole");
		return;
	}
	while (!all_mapped(s, n))
		n--;
	expect_ok(mprotect(pg(s), n * PG, prot_bits(prot)), "mprotect of mapped arena pages");
	uint32_t last_old = 0, id = 0;
	for (long i = s; i < s + n; i++) {	/* each old VMA's part becomes its own new VMA */
		if (i == s || model[i].vma != last_old)
			id = ++next_vma;
		last_old = model[i].vma;
		model[i].vma = id;
		model[i].prot = (uint8_t)prot;
	}
}

static void op_madvise(void)
{
	long s, n;
	rand_range(&s, &n, 10);
	int full = all_mapped(s, n);
	errno = 0;
	int r = madvise(pg(s), n * PG, MADV_DONTNEED);
	if (full ? r != 0 : (r != -1 || errno != ENOMEM))
		fail("madvise(DONTNEED) arena pages %ld+%ld: expected %s, got %d (%s)", s, n,
		     full ? "0" : "ENOMEM (holes)", r, errname(errno));
	for (long i = s; i < s + n; i++)	/* applied to the mapped parts even when ENOMEM */
		if (model[i].prot && !model[i].shared)
			model[i].tag = 0;
}

static void op_write(void)
{
	for (int k = 0; k < 3; k++) {
		long i = 1 + rnd(NP - 2);
		if (model[i].prot == P_RW) {
			model[i].tag = ++next_tag;
			fill_page(pg(i), model[i].tag);
		}
	}
	if (brk_pages) {
		long i = rnd((unsigned)brk_pages);
		brk_tag[i] = ++next_tag;
		fill_page((char *)brk_base + i * PG, brk_tag[i]);
	}
}

static void op_brk(void)
{
	uintptr_t want = brk_base + rnd(BRK_MAX) * PG + (rnd(2) ? rnd(PG) : 0);
	long r = syscall(SYS_brk, want);
	if ((uintptr_t)r != want)
		fail("brk(%#lx): expected the new break, got %#lx", (unsigned long)want, (unsigned long)r);
	int pages = (int)((want - brk_base + PG - 1) / PG);
	for (int i = brk_pages; i < pages; i++)	/* fresh pages are zero; kept ones keep their bytes */
		brk_tag[i] = 0;
	brk_pages = pages;
	brk_cur = want;
	if ((uintptr_t)syscall(SYS_brk, 0) != want)
		fail("brk(0) after brk(%#lx): the break moved", (unsigned long)want);
}

/* mremap of part of one VMA: shrink, grow in place, move, MREMAP_FIXED, MREMAP_DONTUNMAP. */
static void op_mremap(void)
{
	long s = rand_mapped();
	if (s < 0)
		return;
	long run = same_run(s, 12);
	long on = 1 + rnd((unsigned)run);
	struct page p = model[s];
	uint32_t tags[32];
	for (long i = 0; i < on; i++)
		tags[i] = model[s + i].tag;
	unsigned kind = rnd(6);
	if (p.shared && kind != 3)
		kind = 0;	/* shmem: growing maps beyond its size (SIGBUS), DONTUNMAP keeps its pages */
	if (kind == 0) {			/* shrink in place (or same size: no-op) */
		long nn = 1 + rnd((unsigned)on);
		void *r = mremap(pg(s), on * PG, nn * PG, rnd(2) ? MREMAP_MAYMOVE : 0);
		if (r != pg(s))
			fail("mremap shrink %ld->%ld pages: expected the same address, got %p (%s)", on, nn, r, errname(errno));
		set_pages(s + nn, on - nn, 0, 0, 0, 0);
	} else if (kind == 1 || kind == 2) {	/* grow: in place if the pages after are free */
		long nn = on + 1 + rnd(6);
		int fits = all_free(s + on, nn - on) && s + nn <= NP - 1;
		void *r = mremap(pg(s), on * PG, nn * PG, kind == 2 ? MREMAP_MAYMOVE : 0);
		if (fits) {
			if (r != pg(s))
				fail("mremap grow %ld->%ld pages into free pages: expected in place, got %p (%s)",
				     on, nn, r, errname(errno));
			set_pages(s + on, nn - on, p.prot, 0, p.vma, 0);
		} else if (kind == 1) {
			if (r != MAP_FAILED || errno != ENOMEM)
				fail("mremap grow %ld->%ld pages without MAYMOVE, no room: expected ENOMEM, got %p (%s)",
				     on, nn, r, errname(errno));
		} else {
			if (r == pg(s))
				fail("mremap grow %ld->%ld pages without room stayed in place", on, nn);
			for (long i = on; i < nn; i++)
				tags[i] = 0;
			set_pages(s, on, 0, 0, 0, 0);
			long at = placed(r, nn, p.prot, tags, "mremap MAYMOVE grow");
			if (at >= 0) {
				uint32_t id = ++next_vma;
				for (long i = 0; i < nn; i++)
					set_pages(at + i, 1, p.prot, 0, id, tags[i]);
			}
		}
	} else if (kind == 3 || kind == 4) {	/* MREMAP_FIXED to a destination not overlapping */
		long nn = kind == 3 ? 1 + rnd((unsigned)on) : on + 1 + rnd(6), d, tries = 0;
		do {
			d = 1 + rnd(NP - 2);
		} while ((d + nn > NP - 1 || (d < s + on && d + nn > s)) && ++tries < 50);
		if (tries >= 50)
			return;
		void *r = mremap(pg(s), on * PG, nn * PG, MREMAP_MAYMOVE | MREMAP_FIXED, pg(d));
		if (r != pg(d))
			fail("mremap MREMAP_FIXED %ld->%ld pages to arena page %ld: got %p (%s)", on, nn, d, r, errname(errno));
		set_pages(s, on, 0, 0, 0, 0);
		uint32_t id = ++next_vma;
		for (long i = 0; i < nn; i++)
			set_pages(d + i, 1, p.prot, p.shared, id, i < on ? tags[i] : 0);
	} else {				/* MREMAP_DONTUNMAP: the old range stays, emptied */
		int fixed = rnd(2);
		long d = 0, tries = 0;
		if (fixed) {
			do {
				d = 1 + rnd(NP - 2);
			} while ((d + on > NP - 1 || (d < s + on && d + on > s)) && ++tries < 50);
			if (tries >= 50)
				return;
		}
		void *r = mremap(pg(s), on * PG, on * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP | (fixed ? MREMAP_FIXED : 0),
				 fixed ? pg(d) : NULL);
		if (r == MAP_FAILED || (fixed && r != pg(d)))
			fail("mremap MREMAP_DONTUNMAP%s of %ld pages: got %p (%s)", fixed ? "|FIXED" : "", on, r, errname(errno));
		set_pages(s, on, p.prot, 0, ++next_vma, 0);
		if (fixed) {
			set_pages(d, on, 0, 0, 0, 0);	/* whatever was at the destination is gone */
			uint32_t id = ++next_vma;
			for (long i = 0; i < on; i++)
				set_pages(d + i, 1, p.prot, 0, id, tags[i]);
		} else {
			long at = placed(r, on, p.prot, tags, "mremap DONTUNMAP");
			if (at >= 0) {
				uint32_t id = ++next_vma;
				for (long i = 0; i < on; i++)
					set_pages(at + i, 1, p.prot, 0, id, tags[i]);
			}
		}
	}
}

/* Errors that change nothing (check_all after each step sees the model unchanged): growing from a
 * hole is EFAULT, so is MREMAP_FIXED growing a range with a hole in it (its destination survives),
 * overlapping MREMAP_FIXED is EINVAL. */
static void op_mremap_err(void)
{
	long s, n;
	rand_range(&s, &n, 4);
	if (!model[s].prot) {
		void *r = mremap(pg(s), n * PG, (n + 1) * PG, MREMAP_MAYMOVE);
		if (r != MAP_FAILED || errno != EFAULT)
			fail("mremap grow from unmapped arena page %ld: expected EFAULT, got %p (%s)", s, r, errname(errno));
	} else if (rnd(2) && n > 1 && !all_mapped(s, n)) {
		/* The grown range runs into a hole: EFAULT, and the destination (any other pages of
		 * the arena, mapped or not) must still be as it was: Linux checks before it unmaps. */
		long d = 1 + rnd(NP - 2), tries = 0;
		while ((d + n + 1 > NP - 1 || (d < s + n && d + n + 1 > s)) && ++tries < 50)
			d = 1 + rnd(NP - 2);
		if (tries >= 50)
			return;
		void *r = mremap(pg(s), n * PG, (n + 1) * PG, MREMAP_MAYMOVE | MREMAP_FIXED, pg(d));
		if (r != MAP_FAILED || errno != EFAULT)
			fail("mremap MREMAP_FIXED growing a range with a hole: expected EFAULT, got %p (%s)", r, errname(errno));
	} else {
		void *r = mremap(pg(s), n * PG, (n + 1) * PG, MREMAP_MAYMOVE | MREMAP_FIXED, pg(s + rnd((unsigned)n)));
		if (r != MAP_FAILED || errno != EINVAL)
			fail("mremap MREMAP_FIXED onto an overlapping range: expected EINVAL, got %p (%s)", r, errname(errno));
	}
}

static void run_seed(uint64_t seed)
{
	rng = seed;
	next_vma = 1;
	next_tag = 0;
	void *r = mmap(arena, NP * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (r != arena)
		fail("mmap MAP_FIXED PROT_NONE over the whole arena: %p (%s)", r, errname(errno));
	set_pages(0, NP, P_NONE, 0, 1, 0);
	brk_pages = 0;
	brk_cur = brk0;
	check_all();
	for (int step = 0; step < STEPS; step++) {
		unsigned op = rnd(100);
		if (op < 18)
			op_mmap();
		else if (op < 30)
			op_munmap();
		else if (op < 45)
			op_mprotect();
		else if (op < 70)
			op_mremap();
		else if (op < 75)
			op_mremap_err();
		else if (op < 82)
			op_madvise();
		else if (op < 90)
			op_brk();
		else
			op_write();
		check_all();
	}
	if (syscall(SYS_brk, brk0) != (long)brk0)
		fail("brk back to the initial break %#lx", (unsigned long)brk0);
	brk_pages = 0;
	check_all();
}

int main(void)
{
	static const uint64_t seeds[] = { 0x1234567, 0xdeadbeefcafe, 0x9e3779b97f4a7c15, 42 };
	ok("vm_model: %d pages of arena, %d steps per seed", NP, STEPS);
	fflush(stdout);			/* stdio's buffer exists before the break moves */
	if (pipe2(probe_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
		fail("pipe2: %s", errname(errno));
	arena = mmap(NULL, NP * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED)
		fail("reserving the arena: %s", errname(errno));
	brk0 = (uintptr_t)syscall(SYS_brk, 0);
	brk_base = (brk0 + PG - 1) & ~(PG - 1);
	for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
		run_seed(seeds[i]);
		ok("seed %zu: %d random steps match the model", i, STEPS);
		fflush(stdout);
	}
	expect_ok(munmap(arena, NP * PG), "munmap the arena");
	return 0;
}
