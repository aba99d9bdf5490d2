/* tests/programs/stat_family.c — fstat, stat, lstat, newfstatat (AT_EMPTY_PATH,
 * AT_SYMLINK_NOFOLLOW) and statx on files, directories and symlinks, and their errors. */
#include "check.h"
#include <sys/sysmacros.h>

#ifndef STATX_BASIC_STATS
struct statx_timestamp { long long tv_sec; unsigned tv_nsec; int pad; };
struct statx {
	unsigned stx_mask, stx_blksize;
	unsigned long long stx_attributes;
	unsigned stx_nlink, stx_uid, stx_gid;
	unsigned short stx_mode, pad1;
	unsigned long long stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	unsigned stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	unsigned long long spare[14];
};
#define STATX_TYPE 1U
#define STATX_MODE 2U
#define STATX_SIZE 0x200U
#define STATX_BASIC_STATS 0x7ffU
#endif

static long sys_statx(int dfd, const char *path, int flags, unsigned mask, struct statx *sx)
{
	return syscall(SYS_statx, dfd, path, flags, mask, sx);
}

int main(void)
{
	const char *f = scratch_file("f", "0123456789", 0640);
	const char *d = scratch_path("dir");
	const char *l = scratch_path("link");
	expect_ok(mkdir(d, 0750), "mkdir");
	expect_ok(symlink("f", l), "symlink");

	struct stat st, st2;
	expect_ok(stat(f, &st), "stat file");
	expect_true(S_ISREG(st.st_mode), "S_ISREG");
	expect_eq(st.st_mode & 07777, 0640, "file mode");
	expect_eq(st.st_size, 10, "file size");
	expect_eq(st.st_nlink, 1, "nlink");
	expect_eq(st.st_uid, 0, "uid");
	expect_eq(st.st_gid, 0, "gid");
	expect_true(st.st_blksize > 0, "blksize > 0");
	expect_true(st.st_ino != 0, "ino != 0");
	ok("stat on a file: regular, mode 0640, size 10, nlink 1, owner 0:0");
	int fd = expect_ok(open(f, O_RDONLY), "open");
	expect_ok(fstat(fd, &st2), "fstat");
	expect_eq(st2.st_ino, st.st_ino, "fstat ino");
	expect_eq(st2.st_dev, st.st_dev, "fstat dev");
	expect_eq(st2.st_size, 10, "fstat size");
	ok("fstat agrees with stat (dev, ino, size)");
	memset(&st2, 0, sizeof st2);
	expect_ok(fstatat(fd, "", &st2, AT_EMPTY_PATH), "newfstatat AT_EMPTY_PATH");
	expect_eq(st2.st_ino, st.st_ino, "AT_EMPTY_PATH ino");
	ok("newfstatat(fd, \"\", AT_EMPTY_PATH) stats the fd");
	expect_err(fstatat(fd, "", &st2, 0), ENOENT, "empty path without AT_EMPTY_PATH");
	expect_err(stat("", &st2), ENOENT, "stat(\"\")");
	ok("an empty path without AT_EMPTY_PATH is ENOENT");
	close(fd);

	expect_ok(stat(d, &st), "stat dir");
	expect_true(S_ISDIR(st.st_mode), "S_ISDIR");
	expect_eq(st.st_mode & 07777, 0750, "dir mode");
	expect_true(st.st_nlink >= 2, "dir nlink >= 2");
	ok("stat on a directory: directory, mode 0750, nlink >= 2");

	expect_ok(lstat(l, &st), "lstat link");
	expect_true(S_ISLNK(st.st_mode), "S_ISLNK");
	expect_eq(st.st_size, 1, "symlink size is target length");
	ok("lstat on a symlink: symlink, size = length of target");
	expect_ok(stat(l, &st2), "stat through link");
	expect_true(S_ISREG(st2.st_mode), "stat follows the link");
	expect_eq(st2.st_size, 10, "size through link");
	ok("stat follows a symlink");
	int dfd = expect_ok(open(scratch(), O_RDONLY | O_DIRECTORY), "open scratch");
	expect_ok(fstatat(dfd, "link", &st, AT_SYMLINK_NOFOLLOW), "fstatat NOFOLLOW");
	expect_true(S_ISLNK(st.st_mode), "NOFOLLOW gives the link");
	expect_ok(fstatat(dfd, "link", &st, 0), "fstatat follow");
	expect_true(S_ISREG(st.st_mode), "follow gives the file");
	ok("newfstatat relative to a dirfd, with and without AT_SYMLINK_NOFOLLOW");
	expect_err(fstatat(dfd, "link", &st, 0x4), EINVAL, "fstatat bad flag");
	ok("newfstatat with an unknown flag is EINVAL");

	struct statx sx;
	memset(&sx, 0, sizeof sx);
	expect_ok(sys_statx(AT_FDCWD, f, 0, STATX_BASIC_STATS, &sx), "statx file");
	expect_true((sx.stx_mask & (STATX_TYPE | STATX_MODE | STATX_SIZE)) == (STATX_TYPE | STATX_MODE | STATX_SIZE), "statx mask");
	expect_true(S_ISREG(sx.stx_mode), "statx S_ISREG");
	expect_eq(sx.stx_mode & 07777, 0640, "statx mode");
	expect_eq(sx.stx_size, 10, "statx size");
	expect_ok(stat(f, &st), "stat");
	expect_eq(sx.stx_ino, st.st_ino, "statx ino");
	expect_eq(makedev(sx.stx_dev_major, sx.stx_dev_minor), st.st_dev, "statx dev");
	ok("statx on a file agrees with stat (type, mode, size, ino, dev)");
	expect_ok(sys_statx(dfd, "link", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx), "statx link");
	expect_true(S_ISLNK(sx.stx_mode), "statx NOFOLLOW gives link");
	expect_ok(sys_statx(dfd, "dir", 0, STATX_BASIC_STATS, &sx), "statx dir");
	expect_true(S_ISDIR(sx.stx_mode), "statx dir type");
	ok("statx on a symlink (AT_SYMLINK_NOFOLLOW) and a directory");
	fd = expect_ok(open(f, O_RDONLY), "open");
	expect_ok(sys_statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx), "statx AT_EMPTY_PATH");
	expect_eq(sx.stx_size, 10, "statx fd size");
	close(fd);
	ok("statx(fd, \"\", AT_EMPTY_PATH) stats the fd");
	expect_err(sys_statx(AT_FDCWD, scratch_path("none"), 0, STATX_BASIC_STATS, &sx), ENOENT, "statx missing");
	expect_err(sys_statx(AT_FDCWD, "", 0, STATX_BASIC_STATS, &sx), ENOENT, "statx empty");
	expect_err(sys_statx(AT_FDCWD, f, 0, 0x80000000U, &sx), EINVAL, "statx reserved mask bit");
	ok("statx: missing path and empty path are ENOENT, a reserved mask bit is EINVAL");

	expect_err(stat(scratch_path("none"), &st), ENOENT, "stat missing");
	expect_err(lstat(scratch_path("none"), &st), ENOENT, "lstat missing");
	ok("stat/lstat of a missing path are ENOENT");
	char p[300];
	snprintf(p, sizeof p, "%s/x", f);
	expect_err(stat(p, &st), ENOTDIR, "stat file/x");
	ok("stat through a regular file as a directory is ENOTDIR");
	expect_err(fstat(-1, &st), EBADF, "fstat(-1)");
	expect_err(fstat(9999, &st), EBADF, "fstat(9999)");
	ok("fstat on a bad fd is EBADF");
	expect_ok(symlink("nowhere", scratch_path("dangling")), "dangling symlink");
	expect_err(stat(scratch_path("dangling"), &st), ENOENT, "stat dangling");
	expect_ok(lstat(scratch_path("dangling"), &st), "lstat dangling");
	ok("a dangling symlink: stat is ENOENT, lstat succeeds");
	expect_ok(stat("/", &st), "stat /");
	expect_true(S_ISDIR(st.st_mode), "/ is a dir");
	expect_ok(stat("/etc/passwd", &st), "stat /etc/passwd");
	expect_true(S_ISREG(st.st_mode) && st.st_size > 0, "/etc/passwd regular, non-empty");
	ok("stat / and /etc/passwd");
	close(dfd);
	return 0;
}
