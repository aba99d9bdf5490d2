/* tests/programs/vm_filemap.c — file mappings at scale and their sharing rules: a sparse 1 GiB file
 * mapped and checksummed page by page, copy-on-write private mappings, the zeroed tail past EOF. */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>

#define PG 4096UL
#define GIB (1UL << 30)

/* Known blocks written into the sparse file: some inside a page, some across page boundaries,
 * the very first and very last bytes. */
static const struct block {
	unsigned long off;
	const char *text;
} blocks[] = {
	{ 0, "first bytes of the file" },
	{ 4096 * 1000 + 123, "inside page 1000" },
	{ 4096 * 5000 - 5, "across the page boundary 5000" },
	{ GIB / 2 - 3, "the middle" },
	{ GIB / 2 + 4096 * 7, "an 8-byte page head" },
	{ GIB - 4096, "last page" },
	{ GIB - 8, "the end!" },
};
#define NBLOCKS (sizeof blocks / sizeof blocks[0])

/* The byte at file offset `off` as the writes left it (0 in the holes). */
static unsigned char byte_at(unsigned long off)
{
	unsigned char c = 0;
	for (size_t i = 0; i < NBLOCKS; i++) {
		size_t n = strlen(blocks[i].text);
		if (off >= blocks[i].off && off < blocks[i].off + n)
			c = (unsigned char)blocks[i].text[off - blocks[i].off];
	}
	return c;
}

/* Sum over every page of the 8 bytes at its start, read as a native uint64_t. */
static uint64_t expected_sum(void)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < NBLOCKS; i++) {
		unsigned long first = blocks[i].off / PG, last = (blocks[i].off + strlen(blocks[i].text) - 1) / PG;
		for (unsigned long p = first; p <= last; p++) {
			int dup = 0;	/* count each page once, even when several blocks touch it */
			for (size_t j = 0; j < i; j++)
				if (p >= blocks[j].off / PG && p <= (blocks[j].off + strlen(blocks[j].text) - 1) / PG)
					dup = 1;
			if (dup)
				continue;
			unsigned char b[8];
			for (int k = 0; k < 8; k++)
				b[k] = byte_at(p * PG + (unsigned long)k);
			uint64_t v;
			memcpy(&v, b, 8);
			sum += v;
		}
	}
	return sum;
}

static void big_file(void)
{
	const char *path = scratch_path("big");
	int fd = expect_ok(open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), "create");
	expect_ok(ftruncate(fd, GIB), "ftruncate 1 GiB");
	for (size_t i = 0; i < NBLOCKS; i++) {
		size_t n = strlen(blocks[i].text);
		expect_eq(pwrite(fd, blocks[i].text, n, (off_t)blocks[i].off), n, "pwrite block");
	}
	const unsigned char *m = mmap(NULL, GIB, PROT_READ, MAP_PRIVATE, fd, 0);
	expect_true(m != MAP_FAILED, "mmap 1 GiB PROT_READ MAP_PRIVATE");
	uint64_t sum = 0;
	for (unsigned long off = 0; off < GIB; off += PG) {
		uint64_t v;
		memcpy(&v, m + off, 8);
		sum += v;
	}
	expect_eq(sum, expected_sum(), "sum of the first 8 bytes of every page");
	ok("a sparse 1 GiB file mapped read-only: every page's head sums as written");
	for (size_t i = 0; i < NBLOCKS; i++)
		expect_mem(m + blocks[i].off, blocks[i].text, strlen(blocks[i].text), blocks[i].text);
	ok("every written block reads back through the mapping at its offset");
	expect_ok(munmap((void *)m, GIB), "munmap 1 GiB");

	/* A window at an offset: private and writable, so stores stay in this process. */
	unsigned long woff = 4096 * 4999;
	char *w = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, (off_t)woff);
	const char *s = mmap(NULL, 4 * PG, PROT_READ, MAP_SHARED, fd, (off_t)woff);
	expect_true(w != MAP_FAILED && s != MAP_FAILED, "private and shared windows at an offset");
	expect_mem(w + PG - 5, "across the page boundary 5000", 29, "window contents");
	memcpy(w + PG - 5, "PRIVATE", 7);
	expect_mem(w + PG - 5, "PRIVATE", 7, "the private mapping sees its own store");
	char b[32];
	expect_eq(pread(fd, b, 29, (off_t)(woff + PG - 5)), 29, "pread");
	expect_mem(b, "across the page boundary 5000", 29, "file after the private store");
	expect_mem(s + PG - 5, "across the page boundary 5000", 29, "shared mapping after the private store");
	ok("stores through a MAP_PRIVATE file mapping are copy-on-write: the file and other mappings keep the old bytes");
	/* Pages the private mapping never wrote still show the file as it changes (Linux maps the
	 * page cache until the first write); the copied page does not. */
	expect_eq(pwrite(fd, "LATER", 5, (off_t)(woff + 2 * PG + 10)), 5, "pwrite an unwritten page");
	expect_mem(w + 2 * PG + 10, "LATER", 5, "private mapping, page never written");
	expect_eq(pwrite(fd, "AGAIN", 5, (off_t)(woff + PG - 5)), 5, "pwrite the copied page");
	expect_mem(w + PG - 5, "PRIVATE", 7, "private mapping, copied page");
	expect_mem(s + PG - 5, "AGAIN", 5, "shared mapping sees pwrite");
	ok("a private file mapping follows the file until a page is written, then keeps its copy");
	munmap(w, 4 * PG);
	munmap((void *)s, 4 * PG);
	close(fd);
	expect_ok(unlink(path), "unlink the big file");
}

static void past_eof(void)
{
	const char *path = scratch_path("short");
	int fd = expect_ok(open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), "create");
	static char data[5000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (char)('a' + i % 23);
	expect_eq(write(fd, data, sizeof data), sizeof data, "write 5000 bytes");
	char *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	expect_true(m != MAP_FAILED, "mmap 2 pages of a 5000-byte file");
	expect_mem(m, data, sizeof data, "file bytes");
	for (size_t i = sizeof data; i < 2 * PG; i++)
		if (m[i])
			fail("byte %zu past EOF in the last page: expected 0, got %d", i, m[i]);
	ok("the part of the last mapped page beyond EOF reads as zero");
	m[6000] = 'Z';
	m[100] = 'Y';
	expect_ok(msync(m, 2 * PG, MS_SYNC), "msync");
	struct stat st;
	expect_ok(fstat(fd, &st), "fstat");
	expect_eq(st.st_size, 5000, "size unchanged by a store past EOF");
	char c;
	expect_eq(pread(fd, &c, 1, 100), 1, "pread");
	expect_eq(c, 'Y', "store before EOF reaches the file");
	expect_eq(pread(fd, &c, 1, 6000), 0, "pread past EOF");
	ok("a store past EOF in a shared mapping does not grow the file; one before EOF reaches it");
	munmap(m, 2 * PG);
	close(fd);
}

int main(void)
{
	big_file();
	past_eof();
	return 0;
}
