/* tests/programs/vm_failed.c — a failed memory call changes nothing: for each way mmap, mremap,
 * munmap, mprotect, madvise, msync, mlock, mincore and brk fail, Linux's errno, and /proc/self/maps
 * and the contents of every mapping of a fixed layout are byte for byte what they were before. */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/auxv.h>
#include <sys/resource.h>

/* Older libc headers may lack these; the values are the kernel ABI's. */
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE 0x08
#endif
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef O_PATH
#define O_PATH 010000000
#endif

#define PG 4096UL
#define NA 40
#define TASK_TOP 0x7ffffffff000UL

/* The layout, in arena pages. Holes are unmapped pages; the rest of the arena (pages 0 and the
 * tail) stays the PROT_NONE reservation it was mapped as. */
struct region {
	const char *name;
	long at, n;
	int prot;
	int kind;	/* 0 private anonymous, 1 shared anonymous, 2 shared read-only file, 3 locked */
};
static const struct region layout[] = {
	{ "A", 1, 4, PROT_READ | PROT_WRITE, 0 },	/* page 5: hole */
	{ "B", 6, 3, PROT_READ, 0 },
	{ "C1", 9, 2, PROT_READ | PROT_WRITE, 0 },	/* C1 and C2: adjacent, two VMAs */
	{ "C2", 11, 2, PROT_READ, 0 },			/* page 13: hole */
	{ "D", 14, 6, PROT_READ | PROT_WRITE, 0 },	/* the destination that must survive; 20: hole */
	{ "F", 21, 2, PROT_READ, 2 },			/* 23: hole */
	{ "L", 24, 2, PROT_READ | PROT_WRITE, 3 },	/* 26: hole */
	{ "S", 27, 4, PROT_READ | PROT_WRITE, 1 },	/* 31..NA-2: holes; NA-1: reservation */
};
#define NREG (sizeof layout / sizeof layout[0])
static const long holes[] = { 5, 13, 20, 23, 26 };

static char *arena;
static int ro_fd, rw_fd, wo_fd, path_fd, dir_fd;

static char *pg(long i)
{
	return arena + i * PG;
}

static const struct region *reg(const char *name)
{
	for (size_t i = 0; i < NREG; i++)
		if (strcmp(layout[i].name, name) == 0)
			return &layout[i];
	fail("no region %s", name);
}

static char *at(const char *name)
{
	return pg(reg(name)->at);
}

/* ---- snapshots: /proc/self/maps read with raw read() (no allocation), and a checksum ---- */

static char maps_before[1 << 16], maps_after[1 << 16];

static void read_maps(char *buf, size_t size)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail("open /proc/self/maps: %s", errname(errno));
	size_t len = 0;
	ssize_t r;
	while ((r = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)r;
	if (r < 0)
		fail("read /proc/self/maps: %s", errname(errno));
	if (len >= size - 1)
		fail("/proc/self/maps larger than %zu bytes", size);
	buf[len] = 0;
	close(fd);
}

/* FNV-1a over every page of every region (all of them are readable). */
static uint64_t contents(void)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < NREG; i++) {
		const unsigned char *p = (const unsigned char *)pg(layout[i].at);
		for (size_t b = 0; b < (size_t)layout[i].n * PG; b++)
			h = (h ^ p[b]) * 0x100000001b3ULL;
	}
	return h;
}

static uint64_t sum_before;

static void snap(void)
{
	read_maps(maps_before, sizeof maps_before);
	sum_before = contents();
}

/* The first line that differs, for the failure message. */
static void first_diff(const char *a, const char *b, char *out, size_t size)
{
	while (*a && *a == *b) {
		const char *na = strchr(a, '\n'), *nb = strchr(b, '\n');
		if (!na || !nb || na - a != nb - b || memcmp(a, b, (size_t)(na - a)) != 0)
			break;
		a = na + 1;
		b = nb + 1;
	}
	const char *e = strchr(a, '\n');
	size_t n = e ? (size_t)(e - a) : strlen(a);
	snprintf(out, size, "before \"%.*s\"", (int)(n < 200 ? n : 200), a);
	e = strchr(b, '\n');
	n = e ? (size_t)(e - b) : strlen(b);
	size_t l = strlen(out);
	snprintf(out + l, size - l, ", after \"%.*s\"", (int)(n < 200 ? n : 200), b);
}

static void unchanged(const char *what)
{
	read_maps(maps_after, sizeof maps_after);
	if (strcmp(maps_before, maps_after) != 0) {
		char d[512];
		first_diff(maps_before, maps_after, d, sizeof d);
		fail("%s: /proc/self/maps changed: %s", what, d);
	}
	if (contents() != sum_before)
		fail("%s: the contents of the mappings changed", what);
}

/* A call that must fail with err and change nothing. */
#define FAILS(call, err, what) do { snap(); expect_err(call, err, what); unchanged(what); \
	ok("%s: %s, maps and contents unchanged", what, errname(err)); } while (0)

/* ---- the layout ---- */

static void fill(char *p, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (char)(seed * 131 + i * 7 + (i >> 12));
}

static void build(void)
{
	void *r = mmap(arena, NA * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
	if (r != arena)
		fail("mmap the arena: %s", errname(errno));
	for (size_t i = 0; i < NREG; i++) {
		const struct region *g = &layout[i];
		size_t len = (size_t)g->n * PG;
		if (g->kind == 2) {
			r = mmap(pg(g->at), len, PROT_READ, MAP_SHARED | MAP_FIXED, ro_fd, 0);
		} else {
			r = mmap(pg(g->at), len, PROT_READ | PROT_WRITE,
				 (g->kind == 1 ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			if (r == pg(g->at))
				fill(r, len, (unsigned)i + 1);
		}
		if (r != pg(g->at))
			fail("mmap region %s: %s", g->name, errname(errno));
		if (g->prot != (PROT_READ | PROT_WRITE) && g->kind != 2)
			expect_ok(mprotect(r, len, g->prot), "mprotect a region");
		if (g->kind == 3)
			expect_ok(mlock(r, len), "mlock region L");
	}
	for (size_t i = 0; i < sizeof holes / sizeof holes[0]; i++)
		expect_ok(munmap(pg(holes[i]), PG), "munmap a hole");
	expect_ok(munmap(pg(31), (NA - 32) * PG), "munmap the free tail");
}

static long sys_mmap_(void *addr, unsigned long len, int prot, unsigned long flags, int fd, unsigned long off)
{
	return syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

static long sys_mremap_(void *old, unsigned long n, unsigned long m, unsigned long flags, void *new)
{
	return syscall(SYS_mremap, old, n, m, flags, new);
}

/* ---- mmap ---- */

static void test_mmap(void)
{
	char *d = at("D");
	const unsigned long anon = MAP_ANONYMOUS | MAP_FIXED, rw = PROT_READ | PROT_WRITE;
	FAILS(sys_mmap_(d, 2 * PG, rw, 0 | anon, -1, 0), EINVAL,
	      "mmap MAP_FIXED anonymous with neither MAP_SHARED nor MAP_PRIVATE");
	FAILS(sys_mmap_(d, 2 * PG, rw, MAP_SHARED | MAP_PRIVATE | anon, -1, 0), EINVAL,
	      "mmap MAP_FIXED anonymous with MAP_SHARED|MAP_PRIVATE (MAP_SHARED_VALIDATE)");
	FAILS(sys_mmap_(d, 2 * PG, rw, 0x0f | anon, -1, 0), EINVAL, "mmap MAP_FIXED anonymous with map type 0xf");
	FAILS(sys_mmap_(d, 2 * PG, rw, 0 | MAP_FIXED, rw_fd, 0), EINVAL,
	      "mmap MAP_FIXED of a file with neither MAP_SHARED nor MAP_PRIVATE");
	FAILS(sys_mmap_(d, 2 * PG, rw, MAP_SHARED_VALIDATE | MAP_FIXED | 0x200000, rw_fd, 0), EOPNOTSUPP,
	      "mmap MAP_FIXED|MAP_SHARED_VALIDATE of a file with an unknown flag");
	FAILS(sys_mmap_(pg(32), 2 * PG, rw, MAP_SHARED_VALIDATE | MAP_FIXED_NOREPLACE, rw_fd, 0), EOPNOTSUPP,
	      "mmap MAP_SHARED_VALIDATE|MAP_FIXED_NOREPLACE of a file (not a legacy flag)");
	FAILS(sys_mmap_(d, 2 * PG, rw, MAP_SHARED_VALIDATE | MAP_FIXED | (34UL << MAP_HUGE_SHIFT), rw_fd, 0),
	      EOPNOTSUPP, "mmap MAP_FIXED|MAP_SHARED_VALIDATE of a file with MAP_HUGE_16GB (not a legacy flag)");
	FAILS(sys_mmap_(d, 2 * PG, rw, MAP_DROPPABLE | MAP_LOCKED | anon, -1, 0), EINVAL,
	      "mmap MAP_FIXED|MAP_DROPPABLE|MAP_LOCKED");
	FAILS(sys_mmap_(d, 2 * PG, rw, MAP_DROPPABLE | MAP_GROWSDOWN | anon, -1, 0), EINVAL,
	      "mmap MAP_FIXED|MAP_DROPPABLE|MAP_GROWSDOWN");
	FAILS(sys_mmap_(d, 2 * PG, rw, MAP_DROPPABLE | MAP_FIXED, rw_fd, 0), EINVAL, "mmap MAP_FIXED|MAP_DROPPABLE of a file");
	FAILS(sys_mmap_(d, 0, rw, MAP_PRIVATE | anon, -1, 0), EINVAL, "mmap MAP_FIXED of length 0");
	FAILS(sys_mmap_(d, 2 * PG, rw, MAP_PRIVATE | MAP_FIXED, rw_fd, 100), EINVAL,
	      "mmap MAP_FIXED at a file offset not page aligned");
	FAILS(sys_mmap_(d, 2 * PG, rw, MAP_PRIVATE | MAP_FIXED | MAP_GROWSDOWN, rw_fd, 0), EINVAL,
	      "mmap MAP_FIXED|MAP_GROWSDOWN of a file");
	FAILS(sys_mmap_(d, 2 * PG, rw, MAP_SHARED | MAP_FIXED | MAP_GROWSDOWN, rw_fd, 0), EINVAL,
	      "mmap MAP_FIXED|MAP_SHARED|MAP_GROWSDOWN of a file");
	FAILS(sys_mmap_(d, 2 * PG, rw, MAP_SHARED | MAP_GROWSDOWN | anon, -1, 0), EINVAL,
	      "mmap MAP_FIXED|MAP_SHARED|MAP_GROWSDOWN anonymous");
	FAILS(sys_mmap_(d, 1UL << 47, rw, MAP_PRIVATE | anon, -1, 0), ENOMEM, "mmap MAP_FIXED of 128 TiB");
	FAILS(sys_mmap_(d, -PG + 1, rw, MAP_PRIVATE | anon, -1, 0), ENOMEM,
	      "mmap MAP_FIXED of a length that wraps when page aligned");
	FAILS(sys_mmap_((void *)(TASK_TOP - PG), 2 * PG, rw, MAP_PRIVATE | anon, -1, 0), ENOMEM,
	      "mmap MAP_FIXED reaching past the top of the user half");
	FAILS(sys_mmap_((void *)-PG, 2 * PG, rw, MAP_PRIVATE | anon, -1, 0), ENOMEM,
	      "mmap MAP_FIXED whose end wraps");
	FAILS(sys_mmap_(d + 1, 2 * PG, rw, MAP_PRIVATE | anon, -1, 0), EINVAL, "mmap MAP_FIXED at an unaligned address");
	FAILS(sys_mmap_(d, 2 * PG, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), EEXIST,
	      "mmap MAP_FIXED_NOREPLACE over a mapping");
	FAILS(sys_mmap_(pg(20 - 1), 2 * PG, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), EEXIST,
	      "mmap MAP_FIXED_NOREPLACE over a mapping's last page and a hole");
	FAILS(sys_mmap_((void *)getauxval(AT_SYSINFO_EHDR), PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			-1, 0), EEXIST, "mmap MAP_FIXED_NOREPLACE over the vDSO");
	FAILS(sys_mmap_(d, 2 * PG, rw, MAP_PRIVATE | anon | MAP_HUGETLB | (20UL << MAP_HUGE_SHIFT), -1, 0), EINVAL,
	      "mmap MAP_FIXED|MAP_HUGETLB of a huge page size x86-64 lacks (1 MiB)");
	FAILS(sys_mmap_(d, -PG, rw, MAP_PRIVATE | anon | MAP_HUGETLB, -1, 0), EINVAL,
	      "mmap MAP_FIXED|MAP_HUGETLB of a length that wraps when rounded to huge pages");
	FAILS(sys_mmap_(d, 2 * PG, rw, MAP_SHARED | MAP_FIXED, ro_fd, 0), EACCES,
	      "mmap MAP_FIXED|MAP_SHARED writable of a read-only descriptor");
	FAILS(sys_mmap_(d, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, wo_fd, 0), EACCES,
	      "mmap MAP_FIXED of a write-only descriptor");
	FAILS(sys_mmap_(d, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, path_fd, 0), EBADF,
	      "mmap MAP_FIXED of an O_PATH descriptor");
	FAILS(sys_mmap_(d, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, dir_fd, 0), ENODEV,
	      "mmap MAP_FIXED of a directory");
	FAILS(sys_mmap_(d, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, 9999, 0), EBADF,
	      "mmap MAP_FIXED of a descriptor that is not open");
	FAILS(sys_mmap_(d, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, rw_fd, 0x7ffffffffffff000UL), EOVERFLOW,
	      "mmap MAP_FIXED of a file past the largest offset");
}

/* ---- mremap ---- */

static void test_mremap(void)
{
	char *a = at("A"), *c = at("C1"), *d = at("D");
	const unsigned long mv = MREMAP_MAYMOVE, fx = MREMAP_MAYMOVE | MREMAP_FIXED;
	FAILS(sys_mremap_(c, 4 * PG, 5 * PG, fx, d), EFAULT,
	      "mremap MREMAP_FIXED growing a range that spans two mappings");
	FAILS(sys_mremap_(c, 4 * PG, 5 * PG, mv, 0), EFAULT, "mremap MAYMOVE growing a range that spans two mappings");
	FAILS(sys_mremap_(a, 5 * PG, 6 * PG, fx, d), EFAULT,
	      "mremap MREMAP_FIXED growing a range that runs into a hole");
	FAILS(sys_mremap_(pg(5), PG, 2 * PG, fx, d), EFAULT, "mremap MREMAP_FIXED of a hole");
	FAILS(sys_mremap_(pg(5), PG, PG, fx, d), EFAULT, "mremap MREMAP_FIXED moving a hole");
	FAILS(sys_mremap_(a, 0, 2 * PG, fx, d), EINVAL,
	      "mremap MREMAP_FIXED of old length 0 (a copy) of a private mapping");
	FAILS(sys_mremap_(a, 2 * PG, 2 * PG, MREMAP_FIXED, d), EINVAL, "mremap MREMAP_FIXED without MREMAP_MAYMOVE");
	FAILS(sys_mremap_(a, 2 * PG, 2 * PG, MREMAP_DONTUNMAP | MREMAP_FIXED, d), EINVAL,
	      "mremap MREMAP_DONTUNMAP|MREMAP_FIXED without MREMAP_MAYMOVE");
	FAILS(sys_mremap_(a, 2 * PG, 3 * PG, fx | MREMAP_DONTUNMAP, d), EINVAL,
	      "mremap MREMAP_DONTUNMAP changing the length");
	FAILS(sys_mremap_(a, 2 * PG, 2 * PG, mv | MREMAP_DONTUNMAP, a + 1), EINVAL,
	      "mremap MREMAP_DONTUNMAP with an unaligned hint");
	FAILS(sys_mremap_(a, 2 * PG, 2 * PG, mv | MREMAP_DONTUNMAP, a + PG), EINVAL,
	      "mremap MREMAP_DONTUNMAP with a hint overlapping the old range");
	FAILS(sys_mremap_(a, 2 * PG, 2 * PG, fx | 8, d), EINVAL, "mremap with an unknown flag");
	FAILS(sys_mremap_(a + 1, PG, 2 * PG, fx, d), EINVAL, "mremap of an unaligned address");
	FAILS(sys_mremap_(a, 2 * PG, 0, fx, d), EINVAL, "mremap to length 0");
	FAILS(sys_mremap_(a, 2 * PG, 1UL << 47, mv, 0), EINVAL, "mremap to 128 TiB");
	FAILS(sys_mremap_(a, 2 * PG, 2 * PG, fx, d + 1), EINVAL, "mremap MREMAP_FIXED to an unaligned address");
	FAILS(sys_mremap_(a, 2 * PG, 2 * PG, fx, a + PG), EINVAL, "mremap MREMAP_FIXED onto an overlapping range");
	FAILS(sys_mremap_(a, 2 * PG, 2 * PG, fx, (void *)(TASK_TOP - PG)), EINVAL,
	      "mremap MREMAP_FIXED reaching past the top of the user half");
	FAILS(sys_mremap_(a, 4 * PG, 6 * PG, 0, 0), ENOMEM, "mremap growing in place into a mapping without MAYMOVE");
	FAILS(sys_mremap_(c, 2 * PG, 3 * PG, 0, 0), ENOMEM,
	      "mremap growing in place into an adjacent mapping without MAYMOVE");
	FAILS(sys_mremap_(pg(5), PG, PG, 0, 0), EFAULT, "mremap of a hole to the same length");
}

/* ---- the other calls ---- */

static void test_others(void)
{
	char *a = at("A"), *l = at("L"), *f = at("F");
	unsigned char vec[64];
	FAILS(syscall(SYS_munmap, a + 1, PG), EINVAL, "munmap of an unaligned address");
	FAILS(syscall(SYS_munmap, a, 0), EINVAL, "munmap of length 0");
	FAILS(syscall(SYS_munmap, a, -PG), EINVAL, "munmap of a range that wraps");
	FAILS(syscall(SYS_munmap, a, 1UL << 47), EINVAL, "munmap reaching past the top of the user half");
	FAILS(syscall(SYS_munmap, TASK_TOP + PG, PG), EINVAL, "munmap above the user half");

	FAILS(syscall(SYS_mprotect, a + 1, PG, PROT_READ), EINVAL, "mprotect of an unaligned address");
	FAILS(syscall(SYS_mprotect, a, PG, 0x100 | PROT_READ), EINVAL, "mprotect with an unknown protection bit");
	FAILS(syscall(SYS_mprotect, a, -PG, PROT_READ), ENOMEM, "mprotect of a range that wraps");
	FAILS(syscall(SYS_mprotect, pg(5), PG, PROT_READ), ENOMEM, "mprotect of a hole");
	FAILS(syscall(SYS_mprotect, pg(5), 2 * PG, PROT_READ), ENOMEM, "mprotect starting in a hole");
	FAILS(syscall(SYS_mprotect, f, 2 * PG, PROT_READ | PROT_WRITE), EACCES,
	      "mprotect PROT_WRITE of a shared mapping of a read-only descriptor");
	FAILS(syscall(SYS_mprotect, a, PG, PROT_READ | PROT_GROWSDOWN), EINVAL,
	      "mprotect PROT_GROWSDOWN of a mapping that does not grow");
	FAILS(syscall(SYS_mprotect, a, PG, PROT_READ | PROT_GROWSUP), EINVAL, "mprotect PROT_GROWSUP");
	FAILS(syscall(SYS_mprotect, pg(5), PG, PROT_READ | PROT_GROWSUP), ENOMEM, "mprotect PROT_GROWSUP of a hole");
	FAILS(syscall(SYS_mprotect, a, PG, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), EINVAL,
	      "mprotect PROT_GROWSDOWN|PROT_GROWSUP");

	FAILS(syscall(SYS_madvise, a, PG, 999), EINVAL, "madvise with an unknown advice");
	FAILS(syscall(SYS_madvise, a + 1, PG, MADV_DONTNEED), EINVAL, "madvise of an unaligned address");
	FAILS(syscall(SYS_madvise, a, -PG + 1, MADV_DONTNEED), EINVAL, "madvise of a length that wraps when page aligned");
	FAILS(syscall(SYS_madvise, a, -2 * PG, MADV_DONTNEED), EINVAL, "madvise of a range that wraps");
	FAILS(syscall(SYS_madvise, pg(5), PG, MADV_DONTNEED), ENOMEM, "madvise MADV_DONTNEED of a hole");
	FAILS(syscall(SYS_madvise, l, 2 * PG, MADV_DONTNEED), EINVAL, "madvise MADV_DONTNEED of a locked mapping");
	FAILS(syscall(SYS_madvise, a, PG, MADV_REMOVE), EINVAL, "madvise MADV_REMOVE of private anonymous memory");

	FAILS(syscall(SYS_msync, a, PG, 8), EINVAL, "msync with an unknown flag");
	FAILS(syscall(SYS_msync, a + 1, PG, MS_SYNC), EINVAL, "msync of an unaligned address");
	FAILS(syscall(SYS_msync, a, PG, MS_SYNC | MS_ASYNC), EINVAL, "msync with MS_SYNC|MS_ASYNC");
	FAILS(syscall(SYS_msync, a, -PG, MS_SYNC), ENOMEM, "msync of a range that wraps");
	FAILS(syscall(SYS_msync, pg(5), PG, MS_SYNC), ENOMEM, "msync of a hole");
	FAILS(syscall(SYS_msync, l, PG, MS_INVALIDATE), EBUSY, "msync MS_INVALIDATE of a locked mapping");

	/* As root (CAP_IPC_LOCK), RLIMIT_MEMLOCK does not apply and the wrapped end is EINVAL. */
	FAILS(syscall(SYS_mlock, a, -PG), EINVAL, "mlock of a range that wraps, with CAP_IPC_LOCK");
	FAILS(syscall(SYS_munlock, a, -PG), EINVAL, "munlock of a range that wraps");
	FAILS(syscall(SYS_mlock, pg(5), PG), ENOMEM, "mlock of a hole");
	FAILS(syscall(SYS_mlock2, a, PG, 2), EINVAL, "mlock2 with an unknown flag");
	FAILS(syscall(SYS_mlockall, 0), EINVAL, "mlockall with no flag");

	FAILS(syscall(SYS_mincore, a + 1, PG, vec), EINVAL, "mincore of an unaligned address");
	FAILS(syscall(SYS_mincore, pg(5), PG, vec), ENOMEM, "mincore of a hole");
	FAILS(syscall(SYS_mincore, a, PG, (void *)8), EFAULT, "mincore into a bad vector");
	FAILS(syscall(SYS_mincore, a, -PG, vec), ENOMEM, "mincore of a range that wraps");
}

/* The address-space limit: set to exactly what is mapped, growth fails and changes nothing,
 * while a move that replaces as much as it adds still succeeds (in a child: it changes RLIMIT_AS). */
static void test_limits(void)
{
	pid_t pid = xfork();
	if (pid == 0) {
		static char status[8192];
		int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : read(fd, status, sizeof status - 1);
		if (n <= 0)
			fail("read /proc/self/status: %s", errname(errno));
		status[n] = 0;
		close(fd);
		const char *v = strstr(status, "VmSize:");
		if (!v)
			fail("no VmSize in /proc/self/status");
		struct rlimit rl = { strtoul(v + 7, NULL, 10) << 10, RLIM_INFINITY };
		expect_ok(setrlimit(RLIMIT_AS, &rl), "setrlimit RLIMIT_AS to VmSize");
		char *a = at("A"), *c = at("C1"), *d = at("D");
		FAILS(sys_mmap_(d, 7 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM,
		      "mmap MAP_FIXED over a mapping and one more page, at RLIMIT_AS");
		FAILS(sys_mmap_(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM,
		      "mmap of one page at RLIMIT_AS");
		FAILS(sys_mremap_(c, 2 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, d), ENOMEM,
		      "mremap MREMAP_FIXED growing onto a mapping, at RLIMIT_AS");
		FAILS(sys_mremap_(a, 4 * PG, 5 * PG, 0, 0), ENOMEM, "mremap growing in place, at RLIMIT_AS");
		FAILS(sys_mremap_(c, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), ENOMEM,
		      "mremap MREMAP_DONTUNMAP to free space, at RLIMIT_AS");
		long r = sys_mremap_(c, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, d);
		expect_eq(r, (long)d, "mremap MREMAP_DONTUNMAP onto as many mapped pages, at RLIMIT_AS");
		ok("mremap MREMAP_DONTUNMAP onto as many mapped pages succeeds at RLIMIT_AS (the target is replaced)");
		exit(0);
	}
	expect_exit(pid, 0, "the RLIMIT_AS child");
}

/* Linux 6.17+: MREMAP_FIXED of the same length moves every mapping in the range, holes kept
 * (in a child: it changes the layout). */
static void test_moves(void)
{
	pid_t pid = xfork();
	if (pid == 0) {
		char *t = pg(31);
		uint64_t before = contents();
		expect_eq(sys_mremap_(at("A"), 8 * PG, 8 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, t), (long)t,
			  "mremap MREMAP_FIXED of A, a hole and B");
		unsigned char v;
		expect_err(syscall(SYS_mincore, at("A"), PG, &v), ENOMEM, "the old range is gone");
		expect_err(syscall(SYS_mincore, t + 4 * PG, PG, &v), ENOMEM, "the hole moved along");
		for (long i = 0; i < 8; i++)
			if (i != 4)
				expect_ok(syscall(SYS_mincore, t + i * PG, PG, &v), "a moved page is mapped");
		expect_err(syscall(SYS_mprotect, t, 8 * PG, PROT_READ), ENOMEM, "mprotect over the moved hole");
		expect_ok(sys_mremap_(t, 8 * PG, 8 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, at("A")),
			  "mremap MREMAP_FIXED back");
		expect_eq(contents(), before, "the contents after moving there and back");
		ok("mremap MREMAP_FIXED of the same length moves two mappings and the hole between them");
		char *c = at("C1");
		expect_eq(sys_mremap_(c, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, t),
			  (long)t, "mremap MREMAP_DONTUNMAP|MREMAP_FIXED of C1 and C2");
		char zero[PG] = { 0 };
		expect_mem(c, zero, PG, "the old range stays mapped, emptied");
		expect_eq(t[PG + 5], (char)(3 * 131 + (PG + 5) * 7 + 1), "C1's second page at the target");
		expect_eq(t[2 * PG + 5], (char)(4 * 131 + 5 * 7), "C2's first page at the target");
		ok("mremap MREMAP_DONTUNMAP|MREMAP_FIXED moves two mappings, the old ones stay");
		exit(0);
	}
	expect_exit(pid, 0, "the moving child");
}

/* The neighbours that succeed: flags MAP_SHARED ignores and MAP_SHARED_VALIDATE accepts (Linux's
 * legacy mask), and MAP_DROPPABLE memory, which a fork child gets wiped. */
static void test_accepted(void)
{
	pid_t pid = xfork();
	if (pid == 0) {
		const int rw = PROT_READ | PROT_WRITE;
		long r = expect_ok(sys_mmap_(NULL, 2 * PG, rw, MAP_SHARED_VALIDATE | MAP_32BIT, rw_fd, 0),
				   "mmap MAP_SHARED_VALIDATE|MAP_32BIT of a file");
		expect_true(r >= 1L << 30 && r + 2 * PG <= 1UL << 31, "MAP_32BIT places in the second GiB");
		expect_ok(sys_mmap_(NULL, 2 * PG, rw, MAP_SHARED | 0x200000, rw_fd, 0),
			  "mmap MAP_SHARED with an unknown flag");
		expect_ok(sys_mmap_(NULL, 2 * PG, rw, MAP_SHARED_VALIDATE | (21UL << MAP_HUGE_SHIFT), rw_fd, 0),
			  "mmap MAP_SHARED_VALIDATE|MAP_HUGE_2MB of a file");
		expect_ok(sys_mmap_(NULL, 2 * PG, rw, MAP_SHARED_VALIDATE | 0x80 /* MAP_ABOVE4G */, rw_fd, 0),
			  "mmap MAP_SHARED_VALIDATE|MAP_ABOVE4G of a file");
		ok("mmap MAP_SHARED ignores unknown flags; MAP_SHARED_VALIDATE takes MAP_32BIT, MAP_HUGE_2MB, MAP_ABOVE4G");
		char *p = (char *)expect_ok(sys_mmap_(NULL, 2 * PG, rw, MAP_DROPPABLE | MAP_ANONYMOUS, -1, 0),
					    "mmap MAP_DROPPABLE");
		p[5] = 0x55;
		pid_t c = xfork();
		if (c == 0)
			_exit(p[5] == 0 ? 0 : 1);
		expect_exit(c, 0, "a fork child sees MAP_DROPPABLE memory wiped");
		expect_eq(p[5], 0x55, "the parent keeps its MAP_DROPPABLE page");
		ok("mmap MAP_DROPPABLE: private memory a fork child gets zeroed");
		exit(0);
	}
	expect_exit(pid, 0, "the accepting child");
}

/* brk never fails with an errno: a request it cannot meet returns the old break, changing nothing. */
static void test_brk(void)
{
	long cur = syscall(SYS_brk, 0);
	snap();
	expect_eq(syscall(SYS_brk, 4096), cur, "brk below the start of the heap");
	expect_eq(syscall(SYS_brk, (unsigned long)-PG), cur, "brk to the top of the address space");
	expect_eq(syscall(SYS_brk, (unsigned long)arena + PG), cur, "brk onto the arena's mappings");
	unchanged("brk requests that cannot be met");
	ok("brk below the heap, past the user half or onto mappings returns the old break; nothing changed");
	pid_t pid = xfork();
	if (pid == 0) {	/* the break moves: in a child */
		unsigned long base = ((unsigned long)cur + PG - 1) & ~(PG - 1);
		void *m = (void *)(base + 16 * PG);
		expect_eq(sys_mmap_(m, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), (long)m,
			  "a mapping 16 pages above the break");
		snap();
		expect_eq(syscall(SYS_brk, base + 16 * PG), cur, "brk up to a mapping");
		unchanged("brk up to a mapping");
		expect_eq(syscall(SYS_brk, base + 15 * PG), (long)(base + 15 * PG), "brk to a page below a mapping");
		ok("brk keeps a free page below the next mapping: up to it fails, one page short succeeds");
		exit(0);
	}
	expect_exit(pid, 0, "the brk child");
}

int main(void)
{
	static char stack_room[64 << 10];	/* the stack grows before the first snapshot, not during */
	memset(stack_room, 1, sizeof stack_room);
	ok("vm_failed: %d arena pages, %zu regions", NA, NREG);
	fflush(stdout);
	const char *file = scratch_file("data", "", 0600);
	rw_fd = open(file, O_RDWR | O_CLOEXEC);
	if (rw_fd < 0 || ftruncate(rw_fd, 8 * PG) != 0)
		fail("file: %s", errname(errno));
	ro_fd = open(file, O_RDONLY | O_CLOEXEC);
	wo_fd = open(file, O_WRONLY | O_CLOEXEC);
	path_fd = open(file, O_PATH | O_CLOEXEC);
	dir_fd = open(scratch(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ro_fd < 0 || wo_fd < 0 || path_fd < 0 || dir_fd < 0)
		fail("open: %s", errname(errno));
	arena = mmap(NULL, NA * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED)
		fail("reserving the arena: %s", errname(errno));
	build();
	test_mmap();
	test_mremap();
	test_others();
	test_brk();
	test_limits();
	test_moves();
	test_accepted();
	fflush(stdout);
	return 0;
}
