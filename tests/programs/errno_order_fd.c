/* tests/programs/errno_order_fd.c — which errno wins when an fd or path call has several faults,
 * as Linux orders its checks: offsets before descriptors, buffers checked over the whole count,
 * sizes before paths, dirfds only for relative paths. Raw syscall() throughout. */
#include "check.h"
#include <limits.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>

#define KADDR ((void *)0xffff888000000000ul)	/* a kernel address: fails every access_ok */
#define HUGE (1ul << 47)			/* more than any user address range */
#define O_LARGEFILE_ 0100000			/* x86-64's value; libc headers define O_LARGEFILE as 0 */

static void *unmapped_page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || munmap(p, 4096))
		fail("mmap/munmap: %s", errname(errno));
	return p;
}

static void test_offsets(const char *file, int pfd[2])
{
	char b[8];
	expect_err(syscall(SYS_pread64, -1, b, 1, -1L), EINVAL, "pread64(bad fd, off -1)");
	expect_err(syscall(SYS_pwrite64, -1, b, 1, -1L), EINVAL, "pwrite64(bad fd, off -1)");
	expect_err(syscall(SYS_pread64, -1, b, 1, 0L), EBADF, "pread64(bad fd, off 0)");
	expect_err(syscall(SYS_pread64, pfd[0], b, 1, -1L), EINVAL, "pread64(pipe, off -1)");
	expect_err(syscall(SYS_pread64, pfd[0], b, 1, 0L), ESPIPE, "pread64(pipe, off 0)");
	ok("pread64(bad fd, off -1) and pwrite64(bad fd, off -1) are EINVAL: the offset is checked first");
	expect_err(syscall(SYS_preadv, -1, NULL, 1, -1L, 0L), EINVAL, "preadv(bad fd, off -1)");
	expect_err(syscall(SYS_preadv, pfd[0], NULL, 5000, 0L, 0L), ESPIPE, "preadv(pipe, bad vlen)");
	expect_err(syscall(SYS_pwritev, pfd[1], KADDR, 2, 0L, 0L), ESPIPE, "pwritev(pipe, bad iov)");
	ok("preadv/pwritev: the offset (EINVAL), the fd (EBADF), a pipe (ESPIPE), then the iovec");
	expect_err(syscall(SYS_ftruncate, -1, -1L), EINVAL, "ftruncate(bad fd, -1)");
	expect_err(syscall(SYS_ftruncate, -1, 0L), EBADF, "ftruncate(bad fd, 0)");
	int ro = expect_ok(open(file, O_RDONLY), "open ro");
	expect_err(syscall(SYS_ftruncate, ro, 0L), EINVAL, "ftruncate(read-only fd)");
	expect_err(syscall(SYS_ftruncate, pfd[1], 0L), EINVAL, "ftruncate(pipe)");
	close(ro);
	ok("ftruncate(bad fd, -1) is EINVAL; a read-only fd or a pipe EINVAL too");
	int fd = expect_ok(open(file, O_RDONLY), "open");
	expect_err(syscall(SYS_lseek, fd, 0L, 99), EINVAL, "lseek whence 99");
	expect_err(syscall(SYS_lseek, pfd[0], 0L, 99), EINVAL, "lseek(pipe, whence 99)");
	expect_err(syscall(SYS_lseek, pfd[0], 0L, SEEK_SET), ESPIPE, "lseek(pipe)");
	expect_err(syscall(SYS_lseek, fd, -1L, SEEK_SET), EINVAL, "lseek to -1");
	expect_err(syscall(SYS_lseek, -1, 0L, 99), EBADF, "lseek(bad fd, whence 99)");
	int path = expect_ok(open(file, O_PATH), "open O_PATH");
	expect_err(syscall(SYS_lseek, path, 0L, 99), EBADF, "lseek(O_PATH, whence 99)");
	close(path);
	close(fd);
	ok("lseek: the fd (EBADF, O_PATH too), then whence (EINVAL), then a pipe (ESPIPE)");
}

static void test_vectors(const char *file, void *bad)
{
	int fd = expect_ok(open(file, O_RDONLY), "open");
	int wr = expect_ok(open(file, O_WRONLY), "open wr");
	char b[16];
	struct iovec neg[2] = { { b, 1 }, { b, (size_t)-1 } };
	struct iovec far[2] = { { b, 1 }, { bad, HUGE } };
	static char low[16];	/* far below the top of user space, wherever the stack is */
	struct iovec one = { low, HUGE };
	expect_err(syscall(SYS_readv, -1, NULL, -1), EBADF, "readv(bad fd, vlen -1)");
	expect_err(syscall(SYS_readv, wr, KADDR, 5000), EBADF, "readv(write-only, bad vlen)");
	expect_err(syscall(SYS_readv, fd, NULL, 5000), EINVAL, "readv(vlen 5000)");
	expect_err(syscall(SYS_readv, fd, NULL, (1ul << 32) | 1), EFAULT, "readv(vlen 2^32+1 is 1)");
	expect_err(syscall(SYS_readv, fd, bad, 2), EFAULT, "readv(bad iov)");
	expect_err(syscall(SYS_readv, fd, neg, 2), EINVAL, "readv(negative length)");
	expect_err(syscall(SYS_readv, fd, far, 2), EFAULT, "readv(second buffer out of range)");
	expect_eq(syscall(SYS_readv, fd, NULL, 0), 0, "readv(vlen 0)");
	ok("readv: the fd and its mode (EBADF), then vlen (EINVAL), the iovec (EFAULT), lengths (EINVAL)");
	expect_eq(syscall(SYS_readv, fd, &one, 1), 6, "readv one huge segment");
	ok("readv with one segment caps its length before checking the range");
	close(fd);
	close(wr);
}

static void test_buffers(void *bad)
{
	int null = expect_ok(open("/dev/null", O_RDWR), "open /dev/null");
	int zero = expect_ok(open("/dev/zero", O_RDONLY), "open /dev/zero");
	int full = expect_ok(open("/dev/full", O_WRONLY), "open /dev/full");
	int proc = expect_ok(open("/proc/self/status", O_RDONLY), "open /proc/self/status");
	expect_err(syscall(SYS_write, null, NULL, HUGE), EFAULT, "write(/dev/null, NULL, huge)");
	expect_err(syscall(SYS_read, null, NULL, HUGE), EFAULT, "read(/dev/null, NULL, huge)");
	expect_err(syscall(SYS_write, null, bad, -1L), EFAULT, "write(/dev/null, bad, -1)");
	expect_err(syscall(SYS_read, zero, NULL, HUGE), EFAULT, "read(/dev/zero, NULL, huge)");
	expect_err(syscall(SYS_write, full, NULL, HUGE), EFAULT, "write(/dev/full, NULL, huge)");
	expect_err(syscall(SYS_read, proc, NULL, HUGE), EFAULT, "read(/proc/self/status, NULL, huge)");
	expect_err(syscall(SYS_read, null, KADDR, 0), EFAULT, "read(/dev/null, kernel addr, 0)");
	expect_err(syscall(SYS_pread64, null, NULL, HUGE, 0L), EFAULT, "pread64(/dev/null, NULL, huge)");
	ok("read and write check the buffer over the whole count, even on /dev/null (EFAULT)");
	expect_eq(syscall(SYS_write, null, NULL, 10), 10, "write(/dev/null, NULL, 10)");
	expect_eq(syscall(SYS_read, null, NULL, 10), 0, "read(/dev/null, NULL, 10)");
	expect_eq(syscall(SYS_write, null, NULL, 0x7ffff000L + 5), 0x7ffff000L, "write(/dev/null, 2 GiB)");
	ok("a NULL buffer that is in range is fine for /dev/null; counts are capped at 0x7ffff000");
	expect_err(syscall(SYS_read, full, NULL, HUGE), EBADF, "read(write-only, NULL, huge)");
	ok("the access mode (EBADF) is checked before the buffer");
	close(null);
	close(zero);
	close(full);
	close(proc);
}

static void test_sync(int pfd[2])
{
	int null = expect_ok(open("/dev/null", O_WRONLY), "open /dev/null");
	int proc = expect_ok(open("/proc/self/status", O_RDONLY), "open /proc/self/status");
	int tmp = expect_ok(open(scratch_path("f"), O_RDWR), "open tmp file");
	int dir = expect_ok(open(scratch(), O_RDONLY | O_DIRECTORY), "open tmp dir");
	int path = expect_ok(open(scratch_path("f"), O_PATH), "open O_PATH");
	expect_err(syscall(SYS_fsync, null), EINVAL, "fsync(/dev/null)");
	expect_err(syscall(SYS_fdatasync, null), EINVAL, "fdatasync(/dev/null)");
	expect_err(syscall(SYS_fsync, pfd[0]), EINVAL, "fsync(pipe)");
	expect_err(syscall(SYS_fdatasync, pfd[1]), EINVAL, "fdatasync(pipe)");
	expect_err(syscall(SYS_fsync, proc), EINVAL, "fsync(/proc file)");
	expect_err(syscall(SYS_fsync, path), EBADF, "fsync(O_PATH)");
	expect_eq(syscall(SYS_fsync, tmp), 0, "fsync(tmp file)");
	expect_eq(syscall(SYS_fdatasync, dir), 0, "fdatasync(tmp dir)");
	ok("fsync and fdatasync of /dev/null, a pipe or a /proc file are EINVAL; of tmpfs files 0");
	close(null);
	close(proc);
	close(tmp);
	close(dir);
	close(path);
}

static void test_fcntl(const char *file)
{
	int fd = expect_ok(open(file, O_RDONLY), "open");
	int path = expect_ok(open(file, O_PATH), "open O_PATH");
	expect_err(syscall(SYS_fcntl, -1, 9999, 0), EBADF, "fcntl(bad fd, bad cmd)");
	expect_err(syscall(SYS_fcntl, -1, F_DUPFD, -1L), EBADF, "fcntl(bad fd, F_DUPFD -1)");
	expect_err(syscall(SYS_fcntl, fd, 9999, 0), EINVAL, "fcntl(bad cmd)");
	expect_err(syscall(SYS_fcntl, path, 9999, 0), EBADF, "fcntl(O_PATH, bad cmd)");
	expect_err(syscall(SYS_fcntl, path, F_GETLK, KADDR), EBADF, "fcntl(O_PATH, F_GETLK)");
	expect_ok(syscall(SYS_fcntl, path, F_GETFL), "fcntl(O_PATH, F_GETFL)");
	ok("fcntl: the fd (EBADF) first; on O_PATH only the dup, FD and GETFL commands; else EINVAL");
	expect_eq(syscall(SYS_fcntl, path, F_GETFL), O_PATH, "F_GETFL of an O_PATH fd");
	expect_ok(syscall(SYS_fcntl, fd, F_SETFL, -1L), "F_SETFL all bits");
	expect_eq(syscall(SYS_fcntl, fd, F_GETFL), O_RDONLY | O_LARGEFILE_ | O_APPEND | O_NONBLOCK | O_DIRECT |
		  O_NOATIME, "F_GETFL after F_SETFL -1");
	ok("F_SETFL changes O_APPEND, O_NONBLOCK, O_DIRECT, O_NOATIME only (no FASYNC on a file); O_PATH shows alone");
	expect_err(syscall(SYS_fcntl, fd, F_SETSIG, 65), EINVAL, "F_SETSIG 65");
	expect_ok(syscall(SYS_fcntl, fd, F_SETSIG, 0), "F_SETSIG 0");
	expect_err(syscall(SYS_fcntl, fd, 1024 + 11 /* F_GET_RW_HINT */, NULL), EFAULT, "F_GET_RW_HINT(NULL)");
	ok("F_SETSIG past the last signal is EINVAL; F_GET_RW_HINT writes its argument");
	struct rlimit rl;
	expect_ok(getrlimit(RLIMIT_NOFILE, &rl), "getrlimit");
	expect_err(syscall(SYS_fcntl, fd, F_DUPFD, (long)rl.rlim_cur), EINVAL, "F_DUPFD at the limit");
	expect_err(syscall(SYS_fcntl, fd, F_DUPFD, -1L), EINVAL, "F_DUPFD -1");
	long d = expect_ok(syscall(SYS_fcntl, fd, F_DUPFD, (1L << 32) | 100), "F_DUPFD 2^32+100");
	expect_eq(d, 100, "F_DUPFD's argument is an int");
	close((int)d);
	ok("F_DUPFD: an argument at RLIMIT_NOFILE is EINVAL; only its low 32 bits count");
	expect_err(syscall(SYS_dup3, -1, -1, 0), EINVAL, "dup3(-1, -1)");
	expect_err(syscall(SYS_dup3, fd, fd, 1), EINVAL, "dup3(fd, fd, bad flags)");
	expect_err(syscall(SYS_dup3, -1, 5, 0), EBADF, "dup3(bad, 5)");
	expect_err(syscall(SYS_dup3, fd, (long)rl.rlim_cur, 0), EBADF, "dup3 to the limit");
	expect_err(syscall(SYS_dup2, -1, (long)rl.rlim_cur), EBADF, "dup2(bad, limit)");
	ok("dup3: flags and equal fds (EINVAL) before the fds (EBADF)");
	close(fd);
	close(path);
}

static void test_paths(const char *file)
{
	char b[16];
	const char *link = scratch_path("lnk");
	expect_ok(symlink("target", link), "symlink");
	expect_err(syscall(SYS_readlink, link, b, 0L), EINVAL, "readlink size 0");
	expect_err(syscall(SYS_readlink, link, b, 0x80000000L), EINVAL, "readlink size 2^31");
	expect_err(syscall(SYS_readlink, link, b, 1L << 32), EINVAL, "readlink size 2^32");
	expect_err(syscall(SYS_readlink, NULL, NULL, 0L), EINVAL, "readlink(NULL, size 0)");
	expect_err(syscall(SYS_readlinkat, AT_FDCWD, link, NULL, -1L), EINVAL, "readlinkat size -1");
	expect_eq(syscall(SYS_readlink, link, b, (1L << 32) | 3), 3, "readlink size 2^32+3");
	expect_err(syscall(SYS_readlinkat, -1, link, KADDR, 5L), EFAULT, "readlinkat(bad buffer)");
	expect_err(syscall(SYS_readlink, file, b, 5L), EINVAL, "readlink of a file");
	ok("readlink: a size that is 0 or negative as an int is EINVAL before the path is read");

	char cwd[4096];
	expect_ok(chdir(scratch()), "chdir");
	long len = (long)strlen(scratch()) + 1;
	expect_err(syscall(SYS_getcwd, cwd, len - 1), ERANGE, "getcwd one byte short");
	expect_err(syscall(SYS_getcwd, NULL, 1L), ERANGE, "getcwd(NULL, 1)");
	expect_err(syscall(SYS_getcwd, cwd, 0L), ERANGE, "getcwd size 0");
	expect_err(syscall(SYS_getcwd, NULL, len), EFAULT, "getcwd(NULL, enough)");
	expect_eq(syscall(SYS_getcwd, cwd, len), len, "getcwd exact size");
	ok("getcwd: a size too small for the path is ERANGE (before the buffer), else EFAULT or the length");
	expect_ok(mkdir("gone", 0755), "mkdir");
	expect_ok(chdir("gone"), "chdir gone");
	expect_ok(rmdir(scratch_path("gone")), "rmdir cwd");
	expect_err(syscall(SYS_getcwd, cwd, sizeof(cwd)), ENOENT, "getcwd of a removed directory");
	expect_ok(chdir("/"), "chdir /");
	ok("getcwd in a removed directory is ENOENT");

	struct stat st;
	char sx[256];
	int fd = expect_ok(open(file, O_RDONLY), "open");
	expect_err(syscall(SYS_newfstatat, 9999, "rel", &st, 0), EBADF, "newfstatat(closed dirfd)");
	expect_err(syscall(SYS_newfstatat, -5, "rel", &st, 0), EBADF, "newfstatat(dirfd -5)");
	expect_err(syscall(SYS_newfstatat, 9999, "", &st, AT_EMPTY_PATH), EBADF, "newfstatat(closed, \"\")");
	expect_err(syscall(SYS_newfstatat, fd, "rel", &st, 0), ENOTDIR, "newfstatat(file dirfd)");
	expect_ok(syscall(SYS_newfstatat, -5, "/", &st, 0), "newfstatat(dirfd -5, absolute)");
	expect_err(syscall(SYS_statx, 9999, "rel", 0, 0x7ffu, sx), EBADF, "statx(closed dirfd)");
	expect_err(syscall(SYS_statx, -5, "rel", 0, 0x7ffu, sx), EBADF, "statx(dirfd -5)");
	expect_err(syscall(SYS_statx, 9999, "rel", 0x80000000, 0x7ffu, sx), EINVAL,
		   "statx(closed dirfd, bad flags)");
	expect_ok(syscall(SYS_statx, -5, "/", 0, 0x7ffu, sx), "statx(dirfd -5, absolute)");
	expect_err(syscall(SYS_mkdirat, -5, "rel", 0755), EBADF, "mkdirat(dirfd -5)");
	expect_err(syscall(SYS_unlinkat, -5, "rel", 0), EBADF, "unlinkat(dirfd -5)");
	expect_err(syscall(SYS_openat, -5, "rel", O_RDONLY), EBADF, "openat(dirfd -5)");
	expect_err(syscall(SYS_readlinkat, -5, "rel", b, 5L), EBADF, "readlinkat(dirfd -5)");
	ok("newfstatat, statx and the other *at calls: a bad dirfd with a relative path is EBADF");
	expect_err(syscall(SYS_rename, scratch_path("missing"), KADDR), EFAULT, "rename(missing, bad)");
	expect_err(syscall(SYS_rename, scratch_path("no/such"), KADDR), ENOENT, "rename(missing parent, bad)");
	expect_err(syscall(SYS_rename, scratch_path("missing"), scratch_path("x")), ENOENT, "rename(missing)");
	ok("rename reads both paths before it looks the old name up (EFAULT before ENOENT)");
	expect_ok(syscall(SYS_newfstatat, fd, NULL, &st, AT_EMPTY_PATH), "newfstatat(fd, NULL, AT_EMPTY_PATH)");
	expect_ok(syscall(SYS_newfstatat, AT_FDCWD, NULL, &st, AT_EMPTY_PATH), "newfstatat(cwd, NULL)");
	expect_err(syscall(SYS_newfstatat, -5, NULL, &st, AT_EMPTY_PATH), EBADF, "newfstatat(-5, NULL)");
	expect_err(syscall(SYS_newfstatat, -5, NULL, &st, 0), EFAULT, "newfstatat(-5, NULL, 0)");
	expect_ok(syscall(SYS_statx, fd, NULL, AT_EMPTY_PATH, 0x7ffu, sx), "statx(fd, NULL, AT_EMPTY_PATH)");
	expect_err(syscall(SYS_statx, 9999, NULL, AT_EMPTY_PATH, 0x7ffu, sx), EBADF, "statx(closed, NULL)");
	expect_err(syscall(SYS_statx, fd, "", AT_EMPTY_PATH, 0x7ffu, NULL), EFAULT, "statx(NULL buffer)");
	ok("with AT_EMPTY_PATH a NULL path is the empty path (Linux 6.11): the dirfd itself, or EBADF");

	int pfd[2];
	xpipe(pfd);
	int dpath = expect_ok(open("/tmp", O_PATH), "open /tmp O_PATH");
	expect_err(syscall(SYS_fchdir, fd), ENOTDIR, "fchdir(file)");
	expect_err(syscall(SYS_fchdir, pfd[0]), ENOTDIR, "fchdir(pipe)");
	expect_err(syscall(SYS_fchdir, -1), EBADF, "fchdir(-1)");
	int fpath = expect_ok(open(file, O_PATH), "open file O_PATH");
	int null = expect_ok(open("/dev/null", O_RDONLY), "open /dev/null");
	expect_err(syscall(SYS_fchdir, fpath), ENOTDIR, "fchdir(O_PATH file)");
	expect_err(syscall(SYS_fchdir, null), ENOTDIR, "fchdir(/dev/null)");
	close(fpath);
	expect_ok(syscall(SYS_fchdir, dpath), "fchdir(O_PATH dir)");
	expect_ok(chdir("/"), "chdir /");
	ok("fchdir of a file or pipe is ENOTDIR; of an O_PATH directory fine");

	int dir = expect_ok(open(scratch(), O_RDONLY | O_DIRECTORY), "open dir");
	expect_err(syscall(SYS_getdents64, dir, b, 1), EINVAL, "getdents64 size 1");
	expect_err(syscall(SYS_getdents64, dir, KADDR, 0), EINVAL, "getdents64(kernel addr, size 0)");
	expect_err(syscall(SYS_getdents64, dir, KADDR, 4096), EFAULT, "getdents64(kernel addr)");
	expect_err(syscall(SYS_getdents64, fd, KADDR, 0), ENOTDIR, "getdents64(file, kernel addr)");
	expect_err(syscall(SYS_getdents64, dir, b, 1L << 32), EINVAL, "getdents64 size 2^32");
	static char big[65536];
	expect_err(syscall(SYS_getdents64, dir, big, 1L << 31), EINVAL, "getdents64 size 2^31");
	expect_err(syscall(SYS_getdents64, null, big, 100), ENOTDIR, "getdents64(/dev/null)");
	close(null);
	ok("getdents64: not a directory (ENOTDIR), then a size too small (EINVAL), then the buffer");
	close(dir);
	close(dpath);
	close(pfd[0]);
	close(pfd[1]);
	close(fd);
}

int main(void)
{
	void *bad = unmapped_page();
	const char *file = scratch_file("f", "abcdef", 0644);
	int pfd[2];
	xpipe(pfd);
	test_offsets(file, pfd);
	test_vectors(file, bad);
	test_buffers(bad);
	test_sync(pfd);
	test_fcntl(file);
	test_paths(file);
	return 0;
}
