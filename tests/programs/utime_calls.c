/* tests/programs/utime_calls.c — utime, utimes and futimesat: explicit times land in st_atime and
 * st_mtime (microseconds as nanoseconds), NULL means now, tv_usec out of range is EINVAL, a NULL
 * path with a dirfd names the dirfd's file, and the usual path errors. */
#include "check.h"
#include <sys/time.h>
#include <time.h>
#include <utime.h>

struct ktimeval { long sec, usec; };

static void times_of(const char *p, struct stat *st)
{
	if (stat(p, st))
		fail("stat %s: %s", p, errname(errno));
}

int main(void)
{
	const char *f = scratch_file("f", "x", 0644);
	struct stat st;

	struct utimbuf ub = { .actime = 1000000, .modtime = 2000000 };
	expect_ok(syscall(SYS_utime, f, &ub), "utime explicit");
	times_of(f, &st);
	expect_eq(st.st_atime, 1000000, "utime atime");
	expect_eq(st.st_mtime, 2000000, "utime mtime");
	expect_eq(st.st_mtim.tv_nsec, 0, "utime whole seconds");
	ok("utime sets atime and mtime to whole seconds");

	time_t before = time(NULL);
	expect_ok(syscall(SYS_utime, f, NULL), "utime NULL");
	times_of(f, &st);
	expect_true(st.st_mtime >= before - 1 && st.st_atime >= before - 1, "utime NULL is now");
	ok("utime with NULL times sets both to now");

	struct ktimeval tv[2] = { { 3000000, 250000 }, { 4000000, 999999 } };
	expect_ok(syscall(SYS_utimes, f, tv), "utimes explicit");
	times_of(f, &st);
	expect_eq(st.st_atime, 3000000, "utimes atime");
	expect_eq(st.st_atim.tv_nsec, 250000000, "utimes atime usec");
	expect_eq(st.st_mtime, 4000000, "utimes mtime");
	expect_eq(st.st_mtim.tv_nsec, 999999000, "utimes mtime usec");
	ok("utimes sets atime and mtime with microseconds");

	expect_ok(syscall(SYS_utimes, f, NULL), "utimes NULL");
	times_of(f, &st);
	expect_true(st.st_mtime >= before - 1, "utimes NULL is now");
	ok("utimes with NULL times sets now");

	struct ktimeval bad[2] = { { 1, 1000000 }, { 1, 0 } };
	expect_err(syscall(SYS_utimes, f, bad), EINVAL, "usec 1000000");
	bad[0].usec = -1;
	expect_err(syscall(SYS_utimes, f, bad), EINVAL, "usec -1");
	bad[0].usec = 0;
	bad[1].usec = 1000000;
	expect_err(syscall(SYS_futimesat, AT_FDCWD, f, bad), EINVAL, "futimesat usec");
	ok("utimes and futimesat with tv_usec outside [0, 1000000) are EINVAL");

	int dfd = expect_ok(open(scratch(), O_RDONLY | O_DIRECTORY), "open scratch");
	struct ktimeval tv2[2] = { { 5000000, 1 }, { 6000000, 2 } };
	expect_ok(syscall(SYS_futimesat, dfd, "f", tv2), "futimesat relative");
	times_of(f, &st);
	expect_eq(st.st_atime, 5000000, "futimesat atime");
	expect_eq(st.st_mtime, 6000000, "futimesat mtime");
	expect_eq(st.st_mtim.tv_nsec, 2000, "futimesat mtime usec");
	ok("futimesat resolves the path relative to dirfd");

	int ffd = expect_ok(open(f, O_RDWR), "open f");
	struct ktimeval tv3[2] = { { 7000000, 0 }, { 8000000, 0 } };
	expect_ok(syscall(SYS_futimesat, ffd, NULL, tv3), "futimesat NULL path");
	times_of(f, &st);
	expect_eq(st.st_mtime, 8000000, "futimesat fd mtime");
	ok("futimesat with a NULL path sets the times of dirfd's own file");
	expect_err(syscall(SYS_futimesat, AT_FDCWD, NULL, tv3), EFAULT, "AT_FDCWD NULL");
	ok("futimesat(AT_FDCWD, NULL) is EFAULT");

	expect_err(syscall(SYS_utime, scratch_path("missing"), &ub), ENOENT, "utime missing");
	expect_err(syscall(SYS_utimes, scratch_path("missing"), NULL), ENOENT, "utimes missing");
	expect_err(syscall(SYS_utime, f, (void *)1), EFAULT, "utime bad buf");
	expect_err(syscall(SYS_utimes, f, (void *)1), EFAULT, "utimes bad tv");
	expect_err(syscall(SYS_utime, NULL, &ub), EFAULT, "utime NULL path");
	expect_err(syscall(SYS_futimesat, 9999, "f", tv3), EBADF, "futimesat bad dirfd");
	expect_err(syscall(SYS_futimesat, ffd, "f", tv3), ENOTDIR, "futimesat file dirfd");
	ok("missing paths ENOENT, bad pointers EFAULT, bad dirfds EBADF and ENOTDIR");
	return 0;
}
