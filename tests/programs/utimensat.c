/* tests/programs/utimensat.c — utimensat and futimens: times set and touched, AT_EMPTY_PATH and
 * AT_SYMLINK_NOFOLLOW, and Linux's order of errors: the times are copied first (EFAULT), both
 * UTIME_OMIT returns before the path is looked at, then flags, descriptor and path (EINVAL,
 * EBADF, ENOENT), the nanoseconds last (EINVAL), EROFS on a read-only file system. */
#include "as_user.h"

static struct stat st_of(const char *p)
{
	struct stat st;
	if (lstat(p, &st) != 0)
		fail("lstat %s: %s", p, errname(errno));
	return st;
}

static long ut(int dfd, const char *path, const void *times, int flags)
{
	return syscall(SYS_utimensat, dfd, path, times, flags);
}

static void readonly(const char *dir, const char *file)
{
	(void)dir;
	expect_err(ut(AT_FDCWD, file, NULL, 0), EROFS, "utimensat NULL on a read-only file system");
	struct timespec t[2] = { { 5, 0 }, { 6, 0 } };
	expect_err(ut(AT_FDCWD, file, t, 0), EROFS, "explicit times on a read-only file system");
	ok("utimensat on a read-only file system: EROFS");
}

int main(void)
{
	const char *f = scratch_file("f", "x", 0644);
	const char *missing = scratch_path("missing");
	struct timespec t[2] = { { 1000, 5 }, { 2000, 7 } };
	expect_ok(ut(AT_FDCWD, f, t, 0), "utimensat explicit");
	struct stat st = st_of(f);
	expect_eq(st.st_atim.tv_sec, 1000, "atime");
	expect_eq(st.st_mtim.tv_sec, 2000, "mtime");
	expect_eq(st.st_mtim.tv_nsec, 7, "mtime nsec");
	struct timespec keep_now[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
	expect_ok(ut(AT_FDCWD, f, keep_now, 0), "utimensat OMIT,NOW");
	st = st_of(f);
	expect_eq(st.st_atim.tv_sec, 1000, "atime kept by UTIME_OMIT");
	expect_true(st.st_mtim.tv_sec > 2000, "mtime now");
	ok("utimensat sets explicit times, UTIME_OMIT keeps one, UTIME_NOW takes the clock");

	int fd = expect_ok(open(f, O_RDONLY | O_CLOEXEC), "open");
	expect_ok(ut(fd, NULL, t, 0), "futimens");
	expect_eq(st_of(f).st_mtim.tv_sec, 2000, "mtime after futimens");
	struct timespec t3[2] = { { 3000, 0 }, { 3000, 0 } };
	expect_ok(ut(fd, "", t3, AT_EMPTY_PATH), "utimensat(fd, \"\", AT_EMPTY_PATH)");
	expect_eq(st_of(f).st_mtim.tv_sec, 3000, "mtime after AT_EMPTY_PATH");
	const char *l = scratch_path("l");
	expect_ok(symlink(f, l), "symlink");
	struct timespec t4[2] = { { 4000, 0 }, { 4000, 0 } };
	expect_ok(ut(AT_FDCWD, l, t4, AT_SYMLINK_NOFOLLOW), "utimensat NOFOLLOW of a symlink");
	expect_eq(st_of(l).st_mtim.tv_sec, 4000, "the link's mtime");
	expect_eq(st_of(f).st_mtim.tv_sec, 3000, "the target's mtime untouched");
	ok("futimens, AT_EMPTY_PATH and AT_SYMLINK_NOFOLLOW reach the descriptor or the link");

	struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
	struct timespec omit2[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
	expect_err(ut(AT_FDCWD, f, (void *)1, 0), EFAULT, "a bad times pointer");
	expect_err(ut(999, "x", (void *)1, 0), EFAULT, "a bad times pointer and a bad dirfd");
	expect_err(ut(AT_FDCWD, f, (void *)1, 0x4000), EFAULT, "a bad times pointer and a bad flag");
	ok("utimensat copies the times first: a bad pointer is EFAULT before anything else");
	expect_ok(ut(999, missing, omit2, 0x4000), "UTIME_OMIT twice with a bad dirfd, path and flag");
	ok("UTIME_OMIT for both returns 0 before the path is looked at");
	expect_err(ut(AT_FDCWD, f, NULL, 0x4000), EINVAL, "an unknown flag");
	expect_err(ut(999, "x", NULL, 0), EBADF, "a bad dirfd with a relative path");
	expect_err(ut(999, NULL, NULL, 0), EBADF, "futimens of a bad fd");
	expect_err(ut(fd, NULL, NULL, AT_SYMLINK_NOFOLLOW), EINVAL, "futimens with a flag");
	expect_err(ut(AT_FDCWD, NULL, NULL, 0), EFAULT, "a NULL path with AT_FDCWD");
	expect_err(ut(AT_FDCWD, missing, bad, 0), ENOENT, "bad nanoseconds on a missing path");
	expect_err(ut(AT_FDCWD, f, bad, 0), EINVAL, "bad nanoseconds");
	expect_err(ut(fd, NULL, bad, 0), EINVAL, "bad nanoseconds on a descriptor");
	close(fd);
	ok("then flags (EINVAL), descriptor (EBADF), path (ENOENT, NULL: EFAULT), nanoseconds (EINVAL)");

	on_readonly_fs(readonly);
	return 0;
}
