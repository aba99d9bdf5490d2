/* tests/programs/vm_edges.c — edge cases of the memory calls with Linux's exact errno, file and
 * memfd mappings, mlock/membarrier/mempolicy, and the /proc/self/maps lines a VM manager writes. */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#define MEMBARRIER_QUERY 0
#define MPOL_DEFAULT_ 0
#define MPOL_F_ADDR_ 2
#define MLOCK_ONFAULT_ 1

#define PG 4096UL
#define TASK_END 0x7ffffffff000UL	/* x86-64 user address space with 4-level paging */
#define ARENA_PAGES 64

static char *arena;			/* a PROT_NONE reservation: every fixed-address test lands here */
static int probe[2];			/* a non-blocking pipe for EFAULT probes */

static char *P(long i)
{
	return arena + i * PG;
}

/* Back to one PROT_NONE reservation, so that no mapping the kernel places (libc's or a test's
 * own mmap(NULL)) can land in a hole a test relies on; the tests punch their holes explicitly. */
static void reset_arena(void)
{
	if (mmap(arena, ARENA_PAGES * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) != arena)
		fail("resetting the arena: %s", errname(errno));
}

static void hole(long i, long n)
{
	expect_ok(munmap(P(i), n * PG), "munmap a hole in the arena");
}

/* Raw mmap/munmap/mprotect/mremap: libc wrappers differ in their own checks (musl's mremap
 * rejects huge lengths itself), and the kernel's answer is what is under test. */
static long sc_mmap(uintptr_t a, size_t len, int prot, int flags, int fd, long off)
{
	return syscall(SYS_mmap, a, len, prot, flags, fd, off);
}

static long sc_mremap(void *old, size_t ol, size_t nl, int flags, void *na)
{
	return syscall(SYS_mremap, old, ol, nl, flags, na);
}

static void fill(char *p, size_t n, int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (char)(seed + i * 7 + i / PG);
}

static void check_fill(const char *p, size_t n, int seed, const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (char)(seed + i * 7 + i / PG))
			fail("%s: byte %zu: expected %d, got %d", what, i, (char)(seed + i * 7 + i / PG), p[i]);
}

static void check_zero(const char *p, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			fail("%s: byte %zu: expected 0, got %d", what, i, p[i]);
}

static int mapped(void *p)
{
	unsigned char v;
	errno = 0;
	if (mincore(p, PG, &v) == 0)
		return 1;
	if (errno != ENOMEM)
		fail("mincore %p: expected 0 or ENOMEM, got %s", p, errname(errno));
	return 0;
}

/* Whether the kernel may read (write() from it) and write (read() into it) the page. */
static int can_read(void *p)
{
	char sink[8];
	errno = 0;
	ssize_t r = write(probe[1], p, 1);
	if (r < 0 && errno != EFAULT)
		fail("write() probe: %s", errname(errno));
	while (read(probe[0], sink, sizeof sink) > 0)
		;
	return r == 1;
}

static int can_write(void *p)
{
	char c = *(volatile char *)p, sink[8];	/* callers only probe readable pages */
	if (write(probe[1], &c, 1) != 1)
		fail("probe pipe write: %s", errname(errno));
	errno = 0;
	ssize_t r = read(probe[0], p, 1);
	if (r < 0 && errno != EFAULT)
		fail("read() probe: %s", errname(errno));
	while (read(probe[0], sink, sizeof sink) > 0)
		;
	return r == 1;
}

/* ---- /proc/self/maps, read without stdio (no malloc: the brk test moves the break) ---- */

static char maps[1 << 17];
static char line[512];

static void read_maps(void)
{
	int fd = expect_ok(open("/proc/self/maps", O_RDONLY | O_CLOEXEC), "open /proc/self/maps");
	size_t n = 0;
	ssize_t r;
	while ((r = read(fd, maps + n, sizeof maps - 1 - n)) > 0)
		n += (size_t)r;
	if (r < 0)
		fail("read /proc/self/maps: %s", errname(errno));
	close(fd);
	maps[n] = 0;
}

/* The maps line holding address a, copied to `line` (no newline); NULL if none. */
static const char *maps_line(uintptr_t a)
{
	read_maps();
	for (char *p = maps; *p;) {
		char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		unsigned long s, t;
		if (sscanf(p, "%lx-%lx", &s, &t) == 2 && a >= s && a < t) {
			if (len >= sizeof line)
				len = sizeof line - 1;
			memcpy(line, p, len);
			line[len] = 0;
			return line;
		}
		p = e ? e + 1 : p + len;
	}
	return NULL;
}

/* Field `k` (0-based, space separated) of a maps line; the path (k = 5) may hold spaces. */
static const char *field(const char *l, int k, char *out, size_t cap)
{
	for (int i = 0; i < k && l; i++) {
		l = strchr(l, ' ');
		while (l && *l == ' ')
			l++;
	}
	size_t n = 0;
	if (l)
		while (l[n] && (k == 5 || l[n] != ' ') && n + 1 < cap)
			n++;
	if (l)
		memcpy(out, l, n);
	out[n] = 0;
	return out;
}

/* ---- the tests ---- */

static void zero_and_unaligned(void)
{
	char *a = P(1);
	expect_err(sc_mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL, "mmap length 0");
	expect_err(syscall(SYS_munmap, a, 0), EINVAL, "munmap length 0");
	expect_eq(syscall(SYS_mprotect, a, 0, PROT_READ), 0, "mprotect length 0");
	expect_eq(syscall(SYS_mprotect, 0, 0, PROT_READ), 0, "mprotect length 0 at address 0");
	expect_eq(syscall(SYS_madvise, a, 0, MADV_DONTNEED), 0, "madvise length 0");
	unsigned char v[4];
	expect_eq(syscall(SYS_mincore, a, 0, v), 0, "mincore length 0");
	ok("length 0: mmap and munmap are EINVAL; mprotect, madvise and mincore succeed");

	expect_err(sc_mmap((uintptr_t)a + 1, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL, "mmap fixed unaligned");
	expect_err(syscall(SYS_munmap, a + 1, PG), EINVAL, "munmap unaligned");
	expect_err(syscall(SYS_mprotect, a + 1, PG, PROT_READ), EINVAL, "mprotect unaligned");
	expect_err(syscall(SYS_madvise, a + 1, PG, MADV_DONTNEED), EINVAL, "madvise unaligned");
	expect_err(syscall(SYS_mincore, a + 1, PG, v), EINVAL, "mincore unaligned");
	expect_err(syscall(SYS_msync, a + 1, PG, MS_SYNC), EINVAL, "msync unaligned");
	expect_err(sc_mremap(a + 1, PG, 2 * PG, MREMAP_MAYMOVE, NULL), EINVAL, "mremap unaligned old address");
	expect_err(sc_mremap(a, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, P(8) + 1), EINVAL, "mremap unaligned new address");
	ok("an unaligned address is EINVAL for mmap(MAP_FIXED), munmap, mprotect, madvise, mincore, msync, mremap");
}

static void overflow(void)
{
	char *a = P(1);
	expect_err(sc_mmap(0, (size_t)-100, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM, "mmap length near 2^64");
	expect_err(sc_mmap(0, (size_t)-PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM, "mmap length 2^64 - 4096");
	expect_err(sc_mmap(0, 1UL << 47, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0), ENOMEM, "mmap 128 TiB");
	ok("mmap of a length larger than the address space is ENOMEM");
	expect_err(sc_mmap(TASK_END - PG, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM, "mmap fixed across the top");
	expect_err(sc_mmap((uintptr_t)-2 * PG, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM, "mmap fixed wrapping");
	ok("mmap MAP_FIXED past the end of user space or wrapping around is ENOMEM");
	long h = sc_mmap((uintptr_t)-2 * PG, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_true(h > 0 && (uintptr_t)h + 4 * PG <= TASK_END, "an unusable hint is ignored");
	expect_ok(munmap((void *)h, 4 * PG), "munmap");
	ok("an mmap hint outside user space is ignored, not an error");
	expect_err(syscall(SYS_munmap, (uintptr_t)-2 * PG, 4 * PG), EINVAL, "munmap wrapping");
	expect_err(syscall(SYS_munmap, TASK_END - PG, 4 * PG), EINVAL, "munmap across the top");
	expect_err(syscall(SYS_munmap, a, (size_t)-PG), EINVAL, "munmap huge length");
	ok("munmap of a range that wraps or leaves user space is EINVAL");
	expect_err(syscall(SYS_mprotect, (uintptr_t)-2 * PG, 4 * PG, PROT_READ), ENOMEM, "mprotect wrapping");
	expect_err(syscall(SYS_mprotect, a, (size_t)-PG, PROT_READ), ENOMEM, "mprotect huge length");
	expect_err(syscall(SYS_madvise, a, (size_t)-PG, MADV_DONTNEED), EINVAL, "madvise huge length");
	ok("mprotect of a wrapping range is ENOMEM, madvise EINVAL");
}

static void prot_none(void)
{
	char *a = (char *)sc_mmap((uintptr_t)P(2), 2 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	expect_true(a == P(2), "PROT_NONE mmap");
	expect_true(mapped(a) && !can_read(a), "PROT_NONE page: mapped, kernel cannot read it");
	ok("a PROT_NONE page is mapped (mincore) but write() from it is EFAULT");
	expect_ok(mprotect(a, PG, PROT_READ), "mprotect R");
	expect_true(can_read(a) && !can_write(a), "read-only page");
	check_zero(a, PG, "fresh page made readable");
	expect_true(!can_read(a + PG), "the other page stays PROT_NONE");
	ok("mprotect(PROT_READ) of one page: readable and zero, not writable; its neighbour unchanged");
	expect_ok(mprotect(a, 2 * PG, PROT_READ | PROT_WRITE), "mprotect RW");
	expect_true(can_write(a) && can_write(a + PG), "writable");
	fill(a, 2 * PG, 3);
	expect_ok(mprotect(a, 2 * PG, PROT_NONE), "mprotect NONE");
	expect_true(!can_read(a) && !can_read(a + PG), "PROT_NONE again");
	expect_ok(mprotect(a, 2 * PG, PROT_READ), "mprotect R again");
	check_fill(a, 2 * PG, 3, "contents across PROT_NONE");
	ok("contents survive RW -> PROT_NONE -> R");
	expect_err(syscall(SYS_mprotect, a, PG, PROT_READ | 0x1000), EINVAL, "unknown prot bit");
	ok("mprotect with an unknown prot bit is EINVAL");
}

/* The scratch file: 4 pages, page i holding fill(seed 10 + i). */
static const char *fpath;
static int file_fd;

static void make_file(void)
{
	fpath = scratch_path("mapped");
	file_fd = expect_ok(open(fpath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), "create file");
	static char buf[4 * PG];
	for (int i = 0; i < 4; i++)
		fill(buf + i * PG, PG, 10 + i);
	expect_eq(pwrite(file_fd, buf, sizeof buf, 0), sizeof buf, "write file");
}

static void across_vmas(void)
{
	char *a = P(10);
	expect_true(sc_mmap((uintptr_t)a, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == (long)a, "private");
	expect_true(sc_mmap((uintptr_t)a + 2 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == (long)(a + 2 * PG), "shared");
	expect_true(sc_mmap((uintptr_t)a + 4 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, file_fd, 0) == (long)(a + 4 * PG), "file");
	fill(a, 4 * PG, 20);
	expect_ok(mprotect(a, 6 * PG, PROT_READ), "mprotect across three VMAs");
	char f[8];
	expect_str(field(maps_line((uintptr_t)a), 1, f, sizeof f), "r--p", "private anon perms");
	expect_str(field(maps_line((uintptr_t)a + 2 * PG), 1, f, sizeof f), "r--s", "shared anon perms");
	expect_str(field(maps_line((uintptr_t)a + 5 * PG), 1, f, sizeof f), "r--p", "file perms");
	expect_true(!can_write(a) && !can_write(a + 3 * PG) && !can_write(a + 5 * PG), "all read-only");
	check_fill(a, 4 * PG, 20, "anonymous contents");
	check_fill(a + 4 * PG, PG, 10, "file page 0");
	ok("mprotect across private, shared and file VMAs changes all three");
	expect_ok(munmap(a + 3 * PG, PG), "hole");
	expect_err(syscall(SYS_mprotect, a + 3 * PG, 2 * PG, PROT_READ | PROT_WRITE), ENOMEM, "from a hole");
	expect_true(!can_write(a + 4 * PG), "nothing changed after the hole");
	expect_err(syscall(SYS_mprotect, a + 2 * PG, 3 * PG, PROT_READ | PROT_WRITE), ENOMEM, "across a hole");
	ok("mprotect of a range that starts in or crosses a hole is ENOMEM");
	expect_err(sc_mremap(a, 3 * PG, 4 * PG, MREMAP_MAYMOVE, NULL), EFAULT, "mremap across two VMAs");
	ok("mremap growing a range that spans two VMAs is EFAULT");
	munmap(a, 6 * PG);
}

static void mremap_partial(void)
{
	char *a = P(20);
	expect_true(sc_mmap((uintptr_t)a, 6 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == (long)a, "mmap");
	fill(a, 6 * PG, 30);
	char *d = P(30);
	expect_eq(sc_mremap(a + 2 * PG, 2 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, d), (long)d, "move the middle");
	check_fill(d, 2 * PG, 30 + 2 * 7 * (int)PG + 2, "moved pages");
	check_zero(d + 2 * PG, PG, "grown page");
	expect_true(!mapped(a + 2 * PG) && !mapped(a + 3 * PG), "hole where the pages were");
	check_fill(a, 2 * PG, 30, "pages before");
	check_fill(a + 4 * PG, 2 * PG, 30 + 4 * 7 * (int)PG + 4, "pages after");
	ok("mremap MREMAP_FIXED of the middle of a VMA moves just those pages and leaves a hole");
	expect_err(sc_mremap(a, PG, 2 * PG, 0, NULL), ENOMEM, "grow in place, next page mapped");
	expect_eq(sc_mremap(a, 2 * PG - 100, 2 * PG - 1, 0, NULL), (long)a, "lengths rounded up to the same pages");
	expect_eq(sc_mremap(a, 2 * PG, 4 * PG, 0, NULL), (long)a, "grow into the hole");
	check_zero(a + 2 * PG, 2 * PG, "grown in place");
	check_fill(a, 2 * PG, 30, "kept");
	ok("mremap grows in place only into free pages (ENOMEM without MREMAP_MAYMOVE otherwise)");
	expect_eq(sc_mremap(a + 4 * PG, 2 * PG, PG, 0, NULL), (long)(a + 4 * PG), "shrink");
	expect_true(mapped(a + 4 * PG) && !mapped(a + 5 * PG), "tail unmapped");
	ok("mremap shrinking unmaps the tail");
	/* MREMAP_DONTUNMAP: the pages move, the old range stays mapped and reads as zero */
	expect_eq(sc_mremap(a, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP | MREMAP_FIXED, P(40)), (long)P(40), "dontunmap");
	check_fill(P(40), 2 * PG, 30, "moved by DONTUNMAP");
	expect_true(mapped(a) && can_write(a), "old range still mapped RW");
	check_zero(a, 2 * PG, "old range after DONTUNMAP");
	ok("mremap MREMAP_DONTUNMAP moves the pages and leaves the old range mapped, zero-filled");
	munmap(a, 10 * PG);
	munmap(d, 3 * PG);
	munmap(P(40), 2 * PG);
}

static void mremap_errors(void)
{
	char *a = P(20);
	expect_true(sc_mmap((uintptr_t)a, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == (long)a, "mmap");
	hole(30, 1);
	expect_err(sc_mremap(a, 0, PG, MREMAP_MAYMOVE, NULL), EINVAL, "old_len 0, private");
	expect_err(sc_mremap(a, PG, 2 * PG, MREMAP_FIXED, P(30)), EINVAL, "FIXED without MAYMOVE");
	expect_err(sc_mremap(a, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + PG), EINVAL, "overlapping");
	expect_err(sc_mremap(a, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a), EINVAL, "same address");
	expect_err(sc_mremap(a, PG, 0, MREMAP_MAYMOVE, NULL), EINVAL, "new_len 0");
	expect_err(sc_mremap(a, PG, 2 * PG, 0x80, NULL), EINVAL, "unknown flag");
	expect_err(sc_mremap(a, PG, PG, MREMAP_DONTUNMAP, NULL), EINVAL, "DONTUNMAP without MAYMOVE");
	expect_err(sc_mremap(a, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL), EINVAL, "DONTUNMAP resizing");
	ok("mremap: old_len 0 on a private mapping, FIXED without MAYMOVE, overlap, new_len 0, unknown flags, DONTUNMAP misuse: EINVAL");
	expect_err(sc_mremap(P(30), PG, 2 * PG, MREMAP_MAYMOVE, NULL), EFAULT, "unmapped old range");
	expect_err(sc_mremap(a, 6 * PG, 8 * PG, MREMAP_MAYMOVE, NULL), EFAULT, "old range past the VMA end");
	ok("mremap of an unmapped range or past the end of the VMA is EFAULT");
	munmap(a, 4 * PG);

	/* old_len 0 on a shared mapping makes a second mapping of the same pages */
	char *s = (char *)sc_mmap((uintptr_t)P(20), 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	expect_true(s == P(20), "shared mmap");
	fill(s, 2 * PG, 40);
	char *t = (char *)sc_mremap(s, 0, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, P(30));
	expect_true(t == P(30), "mremap old_len 0 of a shared mapping");
	check_fill(t, 2 * PG, 40, "duplicate sees the contents");
	t[5] = 'X';
	expect_eq(s[5], 'X', "a store through the duplicate shows in the original");
	ok("mremap with old_len 0 duplicates a shared mapping");
	munmap(s, 2 * PG);
	munmap(t, 2 * PG);
}

static void file_maps(void)
{
	char *m = (char *)sc_mmap((uintptr_t)P(20), 4 * PG, PROT_READ, MAP_SHARED | MAP_FIXED, file_fd, 0);
	expect_true(m == P(20), "file mmap");
	for (int i = 0; i < 4; i++)
		check_fill(m + i * PG, PG, 10 + i, "file page");
	expect_ok(munmap(m + PG, 2 * PG), "munmap the middle of a file mapping");
	expect_true(mapped(m) && !mapped(m + PG) && !mapped(m + 2 * PG) && mapped(m + 3 * PG), "hole");
	check_fill(m, PG, 10, "first page after the split");
	check_fill(m + 3 * PG, PG, 13, "last page after the split (file offset kept)");
	char o[32];
	expect_str(field(maps_line((uintptr_t)m + 3 * PG), 2, o, sizeof o), "00003000", "offset of the tail piece");
	ok("munmap of the middle of a file mapping keeps both ends at their file offsets");
	char *z = (char *)sc_mmap((uintptr_t)m + 3 * PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	expect_true(z == m + 3 * PG, "MAP_FIXED over the file mapping");
	check_zero(z, PG, "anonymous page over the file");
	z[0] = 1;
	char b[PG];
	expect_eq(pread(file_fd, b, PG, 3 * PG), PG, "pread");
	check_fill(b, PG, 13, "file under the replaced page");
	ok("MAP_FIXED over a file mapping replaces it and leaves the file alone");

	char *w = (char *)sc_mmap((uintptr_t)P(30), PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, file_fd, 2 * PG);
	expect_true(w == P(30), "shared writable file mapping");
	memcpy(w, "shared-store", 12);
	expect_ok(msync(w, PG, MS_SYNC), "msync");
	expect_eq(pread(file_fd, b, 12, 2 * PG), 12, "pread");
	expect_mem(b, "shared-store", 12, "file sees the store");
	expect_eq(pwrite(file_fd, "pwritten", 8, 2 * PG + 100), 8, "pwrite");
	expect_mem(w + 100, "pwritten", 8, "mapping sees pwrite");
	ok("a MAP_SHARED file mapping and read/write see each other");
	char path[4096];
	expect_str(field(maps_line((uintptr_t)w), 5, path, sizeof path), fpath, "maps path column");
	expect_str(field(maps_line((uintptr_t)w), 2, o, sizeof o), "00002000", "maps offset column");
	ok("/proc/self/maps shows a file mapping with the path as the program opened it and its offset");
	munmap(m, 4 * PG);
	munmap(w, PG);
}

static void fd_errors(void)
{
	int dfd = expect_ok(open(scratch(), O_RDONLY | O_DIRECTORY | O_CLOEXEC), "open dir");
	expect_err(sc_mmap(0, PG, PROT_READ, MAP_PRIVATE, dfd, 0), ENODEV, "mmap a directory");
	close(dfd);
	ok("mmap of a directory is ENODEV");
	int wfd = expect_ok(open(fpath, O_WRONLY | O_CLOEXEC), "open O_WRONLY");
	expect_err(sc_mmap(0, PG, PROT_READ, MAP_PRIVATE, wfd, 0), EACCES, "mmap a write-only fd");
	expect_err(sc_mmap(0, PG, PROT_WRITE, MAP_SHARED, wfd, 0), EACCES, "mmap a write-only fd shared");
	close(wfd);
	ok("mmap of a write-only fd is EACCES");
	int rfd = expect_ok(open(fpath, O_RDONLY | O_CLOEXEC), "open O_RDONLY");
	expect_err(sc_mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0), EACCES, "shared writable on read-only fd");
	ok("MAP_SHARED with PROT_WRITE on an O_RDONLY fd is EACCES");
	char *p = (char *)sc_mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, rfd, 0);
	expect_true((long)p > 0, "private writable mapping of a read-only fd");
	p[0] = 'Q';
	char c;
	expect_eq(pread(rfd, &c, 1, 0), 1, "pread");
	expect_true(c != 'Q', "file unchanged");
	munmap(p, PG);
	ok("MAP_PRIVATE with PROT_WRITE on an O_RDONLY fd is allowed and copy-on-write");
	expect_err(sc_mmap(0, PG, PROT_READ, MAP_PRIVATE, rfd, 100), EINVAL, "unaligned offset");
	expect_err(sc_mmap(0, PG, PROT_READ, MAP_PRIVATE, 9999, 0), EBADF, "bad fd");
	close(rfd);
	ok("mmap with an unaligned offset is EINVAL, with a closed fd EBADF");
}

static void fixed_and_hints(void)
{
	char *a = P(50);
	expect_true(sc_mmap((uintptr_t)a, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == (long)a, "mmap");
	expect_err(sc_mmap((uintptr_t)a + PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), EEXIST, "noreplace");
	expect_err(sc_mmap((uintptr_t)a - PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), EEXIST, "noreplace overlapping the start");
	ok("MAP_FIXED_NOREPLACE over an existing mapping is EEXIST");
	expect_ok(munmap(P(52), 4 * PG), "free some pages");
	expect_eq(sc_mmap((uintptr_t)P(52), 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), (long)P(52), "free hint");
	ok("a free hint address is honoured exactly");
	long r = sc_mmap((uintptr_t)P(51), 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_true(r > 0 && (r + 2 * (long)PG <= (long)P(51) || r >= (long)P(51) + 2 * (long)PG), "busy hint");
	munmap((void *)r, 2 * PG);
	ok("a busy hint address is moved elsewhere, never over the mapping there");
	munmap(a, 6 * PG);
}

static void dontneed(void)
{
	char *a = (char *)sc_mmap((uintptr_t)P(20), 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	char *s = (char *)sc_mmap((uintptr_t)P(24), 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	expect_true(a == P(20) && s == P(24), "mmaps");
	hole(23, 1);
	fill(a, 3 * PG, 50);
	fill(s, 2 * PG, 51);
	expect_ok(madvise(a + PG, PG, MADV_DONTNEED), "DONTNEED private");
	check_zero(a + PG, PG, "private page after DONTNEED");
	check_fill(a, PG, 50, "page before");
	check_fill(a + 2 * PG, PG, 50 + 2 * 7 * (int)PG + 2, "page after");
	ok("madvise(MADV_DONTNEED) zero-fills private anonymous pages, in range only");
	expect_ok(madvise(s, 2 * PG, MADV_DONTNEED), "DONTNEED shared");
	check_fill(s, 2 * PG, 51, "shared anonymous keeps its contents");
	ok("madvise(MADV_DONTNEED) keeps the contents of shared anonymous pages");
	errno = 0;
	expect_err(madvise(a, 5 * PG, MADV_DONTNEED), ENOMEM, "DONTNEED over a hole");
	check_zero(a, PG, "applied before the hole");
	check_fill(s, PG, 51, "shared after the hole");
	ok("madvise(MADV_DONTNEED) over a hole is ENOMEM, applied to the mapped parts");
	expect_err(madvise(P(23), PG, MADV_WILLNEED), ENOMEM, "madvise unmapped");
	expect_err(madvise(a, PG, 12345), EINVAL, "unknown advice");
	ok("madvise of an unmapped range is ENOMEM, an unknown advice EINVAL");
	munmap(a, 6 * PG);
}

static void locking(void)
{
	char *a = (char *)sc_mmap((uintptr_t)P(20), 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	expect_true(a == P(20), "mmap");
	hole(30, 1);
	expect_ok(mlock(a, 2 * PG), "mlock");
	expect_ok(munlock(a, 2 * PG), "munlock");
	expect_ok(mlock(a + 1, PG), "mlock of an unaligned address rounds");
	expect_ok(munlock(a, 2 * PG), "munlock");
	expect_ok(syscall(SYS_mlock2, a, 2 * PG, MLOCK_ONFAULT_), "mlock2 ONFAULT");
	expect_ok(munlock(a, 2 * PG), "munlock");
	ok("mlock, munlock, mlock2(MLOCK_ONFAULT) succeed on mapped memory");
	expect_err(mlock(P(30), PG), ENOMEM, "mlock unmapped");
	expect_err(munlock(P(30), PG), ENOMEM, "munlock unmapped");
	expect_err(syscall(SYS_mlock2, P(30), PG, 0), ENOMEM, "mlock2 unmapped");
	expect_err(syscall(SYS_mlock2, a, PG, 2), EINVAL, "mlock2 bad flags");
	ok("mlock, munlock, mlock2 of unmapped memory are ENOMEM; unknown mlock2 flags EINVAL");
	struct rlimit rl;
	expect_ok(getrlimit(RLIMIT_MEMLOCK, &rl), "getrlimit");
	if (geteuid() == 0 || rl.rlim_cur == RLIM_INFINITY) {	/* else the limit decides */
		expect_ok(mlockall(MCL_CURRENT | MCL_FUTURE), "mlockall");
		expect_ok(munlockall(), "munlockall");
	}
	expect_err(mlockall(0), EINVAL, "mlockall no flags");
	expect_err(mlockall(8), EINVAL, "mlockall unknown flag");
	ok("mlockall/munlockall succeed; mlockall without or with unknown flags is EINVAL");
	munmap(a, 2 * PG);
}

static void misc(void)
{
	unsigned char v[8];
	hole(30, 1);
	expect_err(mincore(P(30), PG, v), ENOMEM, "mincore unmapped");
	expect_err(syscall(SYS_mincore, P(0), PG, (void *)8), EFAULT, "mincore bad vector");
	ok("mincore of an unmapped page is ENOMEM, with a bad vector EFAULT");
	long mask = syscall(SYS_membarrier, MEMBARRIER_QUERY, 0, 0);
	expect_true(mask >= 0, "membarrier query");
	expect_err(syscall(SYS_membarrier, 1 << 30, 0, 0), EINVAL, "membarrier unknown command");
	ok("membarrier(MEMBARRIER_CMD_QUERY) returns a command mask; an unknown command is EINVAL");

	int fd = (int)syscall(SYS_memfd_create, "vm_edges", 1 /* MFD_CLOEXEC */);
	expect_true(fd >= 0, "memfd_create");
	expect_ok(ftruncate(fd, 3 * PG), "ftruncate");
	char *m1 = (char *)sc_mmap(0, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *m2 = (char *)sc_mmap(0, 2 * PG, PROT_READ, MAP_SHARED, fd, PG);
	expect_true((long)m1 > 0 && (long)m2 > 0, "two memfd mappings");
	check_zero(m1, 3 * PG, "fresh memfd");
	memcpy(m1 + PG + 10, "through-m1", 10);
	expect_mem(m2 + 10, "through-m1", 10, "second mapping sees the store");
	char b[16];
	expect_eq(pread(fd, b, 10, PG + 10), 10, "pread memfd");
	expect_mem(b, "through-m1", 10, "read() sees the store");
	expect_eq(pwrite(fd, "pwrite", 6, 2 * PG), 6, "pwrite memfd");
	expect_mem(m1 + 2 * PG, "pwrite", 6, "mapping sees pwrite");
	expect_mem(m2 + PG, "pwrite", 6, "second mapping sees pwrite");
	munmap(m1, 3 * PG);
	munmap(m2, 2 * PG);
	close(fd);
	ok("memfd_create + ftruncate + two MAP_SHARED mappings and read/write all see one another");

	/* NUMA policy calls: accepted with MPOL_DEFAULT on Linux built with NUMA; where the kernel
	 * has none they are ENOSYS, and the line printed says which, so both sides must agree. */
	int mode = -1;
	unsigned long nodes = 0;
	errno = 0;
	long r = syscall(SYS_get_mempolicy, &mode, &nodes, 64, 0, 0);
	if (r == -1 && errno == ENOSYS) {
		ok("get_mempolicy is ENOSYS (a kernel without NUMA)");
	} else {
		expect_eq(r, 0, "get_mempolicy");
		expect_eq(mode, MPOL_DEFAULT_, "default policy");
		expect_ok(syscall(SYS_set_mempolicy, MPOL_DEFAULT_, NULL, 0), "set_mempolicy");
		char *a = (char *)sc_mmap((uintptr_t)P(20), PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		expect_ok(syscall(SYS_mbind, a, PG, MPOL_DEFAULT_, NULL, 0, 0), "mbind");
		mode = -1;
		expect_ok(syscall(SYS_get_mempolicy, &mode, NULL, 0, a, MPOL_F_ADDR_), "get_mempolicy MPOL_F_ADDR");
		expect_eq(mode, MPOL_DEFAULT_, "policy of the page");
		expect_err(syscall(SYS_mbind, P(30), PG, MPOL_DEFAULT_, NULL, 0, 0), EFAULT, "mbind unmapped");
		munmap(a, PG);
		ok("get_mempolicy, set_mempolicy and mbind accept MPOL_DEFAULT; mbind of unmapped memory is EFAULT");
	}
}

static void maps_labels(void)
{
	char path[64];
	int sp;
	const char *l = maps_line((uintptr_t)&sp);
	expect_true(l != NULL, "stack line");
	expect_str(field(l, 5, path, sizeof path), "[stack]", "the main thread's stack");
	ok("/proc/self/maps labels the main stack [stack]");
	/* No malloc between moving the break and putting it back: libc caches the break. */
	uintptr_t b0 = (uintptr_t)syscall(SYS_brk, 0), top = ((b0 + PG - 1) & ~(PG - 1)) + 2 * PG;
	expect_eq(syscall(SYS_brk, top), (long)top, "brk grow");
	*(volatile char *)(top - 1) = 1;
	l = maps_line(top - 1);
	expect_true(l != NULL, "heap line");
	field(l, 5, path, sizeof path);
	expect_eq(syscall(SYS_brk, b0), (long)b0, "brk back");
	expect_str(path, "[heap]", "the brk area");
	ok("/proc/self/maps labels the brk area [heap] once the break has grown");
}

int main(void)
{
	expect_ok(pipe2(probe, O_NONBLOCK | O_CLOEXEC), "pipe2");
	arena = (char *)sc_mmap(0, ARENA_PAGES * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	expect_true((long)arena > 0, "reserve the arena");
	make_file();
	static void (*const tests[])(void) = { zero_and_unaligned, overflow, prot_none, across_vmas,
		mremap_partial, mremap_errors, file_maps, fd_errors, fixed_and_hints, dontneed, locking,
		misc, maps_labels };
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		reset_arena();
		tests[i]();
	}
	expect_ok(munmap(arena, ARENA_PAGES * PG), "munmap the arena");
	close(file_fd);
	return 0;
}
