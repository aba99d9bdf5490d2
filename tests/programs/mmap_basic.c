/* tests/programs/mmap_basic.c — the memory map: anonymous and file mappings, munmap, mprotect,
 * madvise(MADV_DONTNEED), MAP_FIXED, and the EINVAL cases of mmap/munmap/mprotect. */
#include "check.h"
#include <sys/mman.h>

#define PG 4096UL

int main(void)
{
	char *a = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_true(a != MAP_FAILED, "anonymous mmap");
	expect_eq((unsigned long)a % PG, 0, "mmap result page aligned");
	for (size_t i = 0; i < 4 * PG; i++)
		if (a[i] != 0)
			fail("anonymous byte %zu: expected 0, got %d", i, a[i]);
	ok("anonymous mmap returns page-aligned zeroed memory");
	memset(a, 0xab, 4 * PG);
	expect_eq((unsigned char)a[4 * PG - 1], 0xab, "write last byte");
	ok("anonymous memory is writable");
	expect_ok(madvise(a, PG, MADV_DONTNEED), "madvise DONTNEED");
	expect_eq(a[0], 0, "DONTNEED zeroes private anon");
	expect_eq((unsigned char)a[PG], 0xab, "next page untouched");
	ok("madvise(MADV_DONTNEED) zeroes private anonymous pages in range only");
	expect_ok(madvise(a, PG, MADV_WILLNEED), "madvise WILLNEED");
	expect_err(syscall(SYS_madvise, a + 1, PG, MADV_DONTNEED), EINVAL, "madvise unaligned");
	ok("madvise(MADV_WILLNEED) succeeds; an unaligned address is EINVAL");
	expect_ok(mprotect(a + PG, PG, PROT_READ), "mprotect read-only");
	expect_eq((unsigned char)a[PG], 0xab, "still readable");
	expect_ok(mprotect(a + PG, PG, PROT_READ | PROT_WRITE), "mprotect back");
	a[PG] = 1;
	ok("mprotect to read-only and back keeps contents");
	expect_err(syscall(SYS_mprotect, a + 1, PG, PROT_READ), EINVAL, "mprotect unaligned");
	expect_err(syscall(SYS_mprotect, a, PG, 0x1000), EINVAL, "mprotect bad prot");
	ok("mprotect with an unaligned address or unknown prot bit is EINVAL");
	expect_ok(munmap(a + PG, PG), "munmap middle page");
	expect_eq((unsigned char)a[2 * PG], 0xab, "page after hole intact");
	ok("munmap of a middle page leaves its neighbours");
	expect_ok(munmap(a, 4 * PG), "munmap whole range with hole");
	ok("munmap over a range that includes a hole succeeds");
	expect_ok(munmap(a, 4 * PG), "munmap unmapped range");
	ok("munmap of an unmapped range succeeds");

	expect_true(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL, "mmap len 0");
	ok("mmap with length 0 is EINVAL");
	expect_true(mmap((void *)(0x200000000UL + 1), PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED && errno == EINVAL, "mmap unaligned fixed");
	ok("mmap MAP_FIXED at an unaligned address is EINVAL");
	expect_true(mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL, "mmap no share type");
	ok("mmap without MAP_PRIVATE or MAP_SHARED is EINVAL");
	expect_true(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, -1, 0) == MAP_FAILED && errno == EBADF, "mmap file bad fd");
	ok("mmap of a file with fd -1 is EBADF");
	expect_err(syscall(SYS_munmap, 0x200000000UL + 1, PG), EINVAL, "munmap unaligned");
	expect_err(syscall(SYS_munmap, a, 0), EINVAL, "munmap len 0");
	ok("munmap with an unaligned address or length 0 is EINVAL");

	/* a hint is only a hint; MAP_FIXED at that address must land there */
	char *h = mmap(NULL, 2 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_true(h != MAP_FAILED, "reserve");
	char *f = mmap(h + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	expect_true(f == h + PG, "MAP_FIXED lands at the address");
	f[0] = 7;
	expect_eq(f[0], 7, "fixed page writable");
	ok("MAP_FIXED over a reserved PROT_NONE range maps exactly there");
	char *n = mmap(h + PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	expect_true(n == MAP_FAILED && errno == EEXIST, "MAP_FIXED_NOREPLACE on mapped range");
	ok("MAP_FIXED_NOREPLACE over a mapped range is EEXIST");
	munmap(h, 2 * PG);
	char *hint = mmap(h, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_true(hint != MAP_FAILED, "hinted mmap");
	munmap(hint, PG);
	ok("mmap with a free hint address succeeds");

	const char *p = scratch_path("m");
	int fd = expect_ok(open(p, O_RDWR | O_CREAT, 0644), "create");
	static char page[2 * PG];
	for (size_t i = 0; i < sizeof page; i++)
		page[i] = 'a' + i % 26;
	expect_eq(write(fd, page, PG + 100), PG + 100, "write file");
	char *m = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	expect_true(m != MAP_FAILED, "file mmap");
	expect_mem(m, page, PG + 100, "file contents visible");
	for (size_t i = PG + 100; i < 2 * PG; i++)
		if (m[i] != 0)
			fail("byte %zu past EOF in last page: expected 0, got %d", i, m[i]);
	ok("a private file mapping shows the contents, zero-filled past EOF in the last page");
	munmap(m, 2 * PG);
	m = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, PG);
	expect_true(m != MAP_FAILED, "file mmap at offset");
	expect_mem(m, page + PG, 100, "offset mapping");
	munmap(m, PG);
	ok("a file mapping at a page offset");
	expect_true(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 1) == MAP_FAILED && errno == EINVAL, "unaligned offset");
	ok("a file mapping at an unaligned offset is EINVAL");
	m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	expect_true(m != MAP_FAILED, "shared file mmap");
	memcpy(m, "SHARED", 6);
	char back[6];
	expect_eq(pread(fd, back, 6, 0), 6, "pread");
	expect_mem(back, "SHARED", 6, "shared write visible through read");
	expect_eq(pwrite(fd, "WRITE!", 6, 10), 6, "pwrite");
	expect_mem(m + 10, "WRITE!", 6, "write visible through shared map");
	munmap(m, PG);
	ok("a shared file mapping and read/write see each other's changes");
	m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	memcpy(m, "PRIV", 4);
	expect_eq(pread(fd, back, 4, 0), 4, "pread");
	expect_mem(back, "SHAR", 4, "private write not in file");
	munmap(m, PG);
	ok("a write to a private file mapping does not reach the file");
	close(fd);
	int rfd = expect_ok(open(p, O_RDONLY), "open ro");
	expect_true(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0) == MAP_FAILED && errno == EACCES, "shared writable on ro fd");
	ok("a shared writable mapping of a read-only fd is EACCES");
	close(rfd);
	return 0;
}
