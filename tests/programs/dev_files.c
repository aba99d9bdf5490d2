/* tests/programs/dev_files.c — the device files every program may use: /dev/null swallows writes
 * and reads as EOF, /dev/zero reads zeros, /dev/urandom gives varying bytes. */
#include "check.h"
#include <sys/sysmacros.h>

int main(void)
{
	char buf[4096];
	int fd = expect_ok(open("/dev/null", O_RDWR), "open /dev/null");
	expect_eq(read(fd, buf, sizeof buf), 0, "read /dev/null");
	ok("read from /dev/null returns 0");
	expect_eq(write(fd, buf, sizeof buf), sizeof buf, "write /dev/null");
	expect_eq(write(fd, buf, 0), 0, "write 0 to /dev/null");
	ok("write to /dev/null returns the full count");
	struct stat st;
	expect_ok(fstat(fd, &st), "fstat /dev/null");
	expect_true(S_ISCHR(st.st_mode), "/dev/null is a char device");
	expect_eq(major(st.st_rdev), 1, "/dev/null major");
	expect_eq(minor(st.st_rdev), 3, "/dev/null minor");
	ok("/dev/null is character device 1:3");
	expect_eq(lseek(fd, 100, SEEK_SET), 0, "lseek /dev/null");
	ok("lseek on /dev/null returns 0");
	close(fd);

	fd = expect_ok(open("/dev/zero", O_RDONLY), "open /dev/zero");
	memset(buf, 0x55, sizeof buf);
	expect_eq(read(fd, buf, sizeof buf), sizeof buf, "read /dev/zero");
	for (size_t i = 0; i < sizeof buf; i++)
		if (buf[i] != 0)
			fail("/dev/zero byte %zu: expected 0, got %d", i, buf[i]);
	ok("/dev/zero reads a full buffer of zeros");
	expect_ok(fstat(fd, &st), "fstat /dev/zero");
	expect_true(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 5, "/dev/zero 1:5");
	ok("/dev/zero is character device 1:5");
	close(fd);
	fd = expect_ok(open("/dev/zero", O_WRONLY), "open /dev/zero for writing");
	expect_eq(write(fd, "abc", 3), 3, "write /dev/zero");
	close(fd);
	ok("write to /dev/zero returns the full count");

	fd = expect_ok(open("/dev/urandom", O_RDONLY), "open /dev/urandom");
	unsigned char a[64], b[64];
	expect_eq(read(fd, a, sizeof a), sizeof a, "read urandom");
	expect_eq(read(fd, b, sizeof b), sizeof b, "read urandom again");
	expect_true(memcmp(a, b, sizeof a) != 0, "two reads differ");
	int nonzero = 0;
	for (size_t i = 0; i < sizeof a; i++)
		nonzero += a[i] != 0;
	expect_true(nonzero > 32, "urandom mostly non-zero");
	ok("/dev/urandom gives full reads that differ from each other");
	expect_ok(fstat(fd, &st), "fstat /dev/urandom");
	expect_true(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 9, "/dev/urandom 1:9");
	ok("/dev/urandom is character device 1:9");
	close(fd);
	expect_err(open("/dev/does-not-exist", O_RDONLY), ENOENT, "missing device");
	ok("a missing /dev entry is ENOENT");
	return 0;
}
