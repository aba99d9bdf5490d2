/* tests/programs/file_io.c — regular-file I/O in /tmp: open/openat/creat, read/write, vectored
 * and positioned I/O, lseek's whence values, O_APPEND/O_TRUNC/O_EXCL/O_DIRECTORY, close, unlink. */
#include "check.h"
#include <sys/uio.h>

static void expect_content(int fd, const char *want, const char *what)
{
	char buf[256];
	size_t n = strlen(want);
	expect_ok(lseek(fd, 0, SEEK_SET), "lseek to 0");
	expect_eq(read(fd, buf, sizeof buf), n, what);
	expect_mem(buf, want, n, what);
}

int main(void)
{
	const char *p = scratch_path("a.txt");
	int fd = expect_ok(open(p, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644), "open O_CREAT|O_EXCL");
	ok("open O_CREAT|O_EXCL creates a new file");
	expect_eq(write(fd, "hello ", 6), 6, "write 6 bytes");
	expect_eq(write(fd, "world", 5), 5, "write 5 bytes");
	ok("write returns the byte count");
	expect_eq(lseek(fd, 0, SEEK_CUR), 11, "offset after writes");
	expect_eq(lseek(fd, 0, SEEK_SET), 0, "SEEK_SET 0");
	char buf[64] = { 0 };
	expect_eq(read(fd, buf, 5), 5, "read 5");
	expect_mem(buf, "hello", 5, "read data");
	ok("read returns what was written");
	expect_eq(lseek(fd, 1, SEEK_CUR), 6, "SEEK_CUR +1");
	expect_eq(read(fd, buf, sizeof buf), 5, "read rest");
	expect_mem(buf, "world", 5, "read rest data");
	expect_eq(read(fd, buf, sizeof buf), 0, "read at EOF");
	ok("read at EOF returns 0");
	expect_eq(lseek(fd, -3, SEEK_END), 8, "SEEK_END -3");
	expect_eq(lseek(fd, 100, SEEK_SET), 100, "seek past end");
	expect_eq(read(fd, buf, sizeof buf), 0, "read past EOF");
	ok("lseek SEEK_SET/SEEK_CUR/SEEK_END and read past EOF returns 0");
	expect_err(lseek(fd, -1, SEEK_SET), EINVAL, "lseek to -1");
	expect_err(lseek(fd, -100, SEEK_END), EINVAL, "lseek before start via SEEK_END");
	expect_err(lseek(fd, 0, 99), EINVAL, "lseek whence 99");
	ok("lseek to a negative offset or with a bad whence is EINVAL");

	/* a write past the end leaves a hole that reads as zeros */
	expect_eq(pwrite(fd, "Z", 1, 20), 1, "pwrite past end");
	memset(buf, 'x', sizeof buf);
	expect_eq(pread(fd, buf, sizeof buf, 11), 10, "pread over hole");
	expect_eq(buf[0] | buf[8], 0, "hole is zeros");
	expect_eq(buf[9], 'Z', "byte after hole");
	ok("a write past EOF leaves a hole of zeros");
	expect_eq(lseek(fd, 0, SEEK_CUR), 100, "pread/pwrite leave the offset alone");
	expect_eq(pread(fd, buf, 5, 6), 5, "pread");
	expect_mem(buf, "world", 5, "pread data");
	ok("pread64/pwrite64 use their own offset and leave the file offset alone");
	expect_err(pread(fd, buf, 1, -1), EINVAL, "pread negative offset");
	ok("pread64 with a negative offset is EINVAL");

	expect_ok(ftruncate(fd, 0), "ftruncate");
	expect_ok(lseek(fd, 0, SEEK_SET), "rewind");
	struct iovec wv[3] = { { "ab", 2 }, { "", 0 }, { "cdef", 4 } };
	expect_eq(writev(fd, wv, 3), 6, "writev");
	char x1[3] = { 0 }, x2[8] = { 0 };
	struct iovec rv[2] = { { x1, 3 }, { x2, 8 } };
	expect_ok(lseek(fd, 0, SEEK_SET), "rewind");
	expect_eq(readv(fd, rv, 2), 6, "readv");
	expect_mem(x1, "abc", 3, "readv first iov");
	expect_mem(x2, "def", 3, "readv second iov");
	ok("writev/readv gather and scatter across iovecs");
	expect_eq(preadv(fd, rv, 2, 4), 2, "preadv");
	expect_mem(x1, "ef", 2, "preadv data");
	ok("preadv reads at the given offset");
	expect_ok(close(fd), "close");
	expect_err(close(fd), EBADF, "second close");
	ok("closing an fd twice is EBADF");

	expect_err(open(p, O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST, "O_EXCL on existing");
	ok("O_CREAT|O_EXCL on an existing file is EEXIST");
	fd = expect_ok(open(p, O_WRONLY | O_APPEND), "open O_APPEND");
	expect_ok(lseek(fd, 0, SEEK_SET), "seek 0");
	expect_eq(write(fd, "XY", 2), 2, "append write");
	expect_eq(lseek(fd, 0, SEEK_CUR), 8, "offset after append");
	close(fd);
	fd = expect_ok(open(p, O_RDONLY), "reopen");
	expect_content(fd, "abcdefXY", "O_APPEND content");
	ok("O_APPEND writes at the end whatever the offset");
	expect_err(write(fd, "q", 1), EBADF, "write to O_RDONLY fd");
	ok("write to a read-only fd is EBADF");
	close(fd);
	fd = expect_ok(open(p, O_WRONLY), "open O_WRONLY");
	expect_err(read(fd, buf, 1), EBADF, "read from O_WRONLY fd");
	ok("read from a write-only fd is EBADF");
	close(fd);
	fd = expect_ok(open(p, O_RDWR | O_TRUNC), "open O_TRUNC");
	struct stat st;
	expect_ok(fstat(fd, &st), "fstat");
	expect_eq(st.st_size, 0, "size after O_TRUNC");
	ok("O_TRUNC empties the file");
	close(fd);

	int dfd = expect_ok(open(scratch(), O_RDONLY | O_DIRECTORY), "open dir");
	fd = expect_ok(openat(dfd, "b.txt", O_RDWR | O_CREAT, 0600), "openat relative");
	expect_eq(write(fd, "via openat", 10), 10, "write");
	close(fd);
	fd = expect_ok(open(scratch_path("b.txt"), O_RDONLY), "open absolute");
	expect_content(fd, "via openat", "openat content");
	close(fd);
	ok("openat creates relative to a directory fd");
	fd = expect_ok(openat(AT_FDCWD, scratch_path("b.txt"), O_RDONLY), "openat AT_FDCWD absolute");
	close(fd);
	expect_err(openat(fd, "b.txt", O_RDONLY), EBADF, "openat on closed dirfd");
	ok("openat with a closed dirfd and a relative path is EBADF");
	int ffd = expect_ok(open(scratch_path("b.txt"), O_RDONLY), "open file");
	expect_err(openat(ffd, "x", O_RDONLY), ENOTDIR, "openat relative to a file fd");
	close(ffd);
	ok("openat relative to a non-directory fd is ENOTDIR");

	fd = expect_ok(creat(scratch_path("c.txt"), 0644), "creat");
	expect_eq(write(fd, "c", 1), 1, "write after creat");
	expect_err(read(fd, buf, 1), EBADF, "creat opens write-only");
	close(fd);
	ok("creat creates a write-only fd");

	expect_err(open(p, O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY on file");
	ok("O_DIRECTORY on a regular file is ENOTDIR");
	expect_err(read(dfd, buf, 1), EISDIR, "read from directory");
	ok("read from a directory fd is EISDIR");
	expect_err(open(scratch(), O_WRONLY), EISDIR, "open dir for writing");
	ok("opening a directory for writing is EISDIR");
	close(dfd);

	expect_ok(unlink(p), "unlink");
	expect_err(open(p, O_RDONLY), ENOENT, "open after unlink");
	expect_err(unlink(p), ENOENT, "unlink twice");
	ok("unlink removes the name; a second unlink is ENOENT");
	fd = expect_ok(open(scratch_path("d.txt"), O_RDWR | O_CREAT, 0600), "create d");
	expect_ok(unlink(scratch_path("d.txt")), "unlink open file");
	expect_eq(write(fd, "still", 5), 5, "write after unlink");
	expect_eq(pread(fd, buf, 5, 0), 5, "read after unlink");
	close(fd);
	ok("an unlinked file stays usable through an open fd");
	expect_err(unlink(scratch()), EISDIR, "unlink a directory");
	ok("unlink of a directory is EISDIR");
	return 0;
}
