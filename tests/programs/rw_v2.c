/* tests/programs/rw_v2.c — preadv2/pwritev2: offset -1 uses and advances the file position, a
 * real offset leaves it alone, RWF_APPEND appends whatever the offset, the sync and HIPRI hints
 * succeed, RWF_NOWAIT on an empty pipe is EAGAIN, unknown flags EOPNOTSUPP (after EBADF, and not
 * for 0 bytes), /proc files refuse flags as Linux's seq files do; sync and syncfs. */
#include "check.h"
#include <sys/uio.h>

#ifndef RWF_HIPRI
#define RWF_HIPRI 0x1
#define RWF_DSYNC 0x2
#define RWF_SYNC 0x4
#define RWF_NOWAIT 0x8
#define RWF_APPEND 0x10
#endif
#define RWF_UNKNOWN 0x10000

static long rv2(int fd, struct iovec *v, int n, long off, int flags)
{
	return syscall(SYS_preadv2, fd, v, n, off, 0L, flags);
}

static long wv2(int fd, struct iovec *v, int n, long off, int flags)
{
	return syscall(SYS_pwritev2, fd, v, n, off, 0L, flags);
}

int main(void)
{
	int f = expect_ok(open(scratch_file("f", "abcdefgh", 0644), O_RDWR), "open f");
	char a[4], b[4];
	struct iovec v[2] = { { a, 2 }, { b, 3 } };
	expect_eq(rv2(f, v, 2, -1, 0), 5, "preadv2 at -1");
	expect_mem(a, "ab", 2, "first iovec");
	expect_mem(b, "cde", 3, "second iovec");
	expect_eq(lseek(f, 0, SEEK_CUR), 5, "position advanced");
	ok("preadv2 with offset -1 reads at the file position and advances it");

	expect_eq(rv2(f, v, 1, 6, 0), 2, "preadv2 at 6");
	expect_mem(a, "gh", 2, "read at 6");
	expect_eq(lseek(f, 0, SEEK_CUR), 5, "position unchanged");
	ok("preadv2 at an offset leaves the file position alone");

	struct iovec w = { "XY", 2 };
	expect_eq(wv2(f, &w, 1, 0, RWF_APPEND), 2, "pwritev2 RWF_APPEND");
	struct stat st;
	expect_ok(fstat(f, &st), "fstat");
	expect_eq(st.st_size, 10, "file grew by 2");
	char all[16] = { 0 };
	expect_eq(pread(f, all, sizeof all, 0), 10, "read back");
	expect_str(all, "abcdefghXY", "appended at the end");
	ok("pwritev2 with RWF_APPEND writes at the end whatever the offset");

	expect_eq(wv2(f, &w, 1, 1, RWF_DSYNC | RWF_SYNC | RWF_HIPRI), 2, "sync hints");
	expect_eq(rv2(f, v, 1, 0, RWF_HIPRI | RWF_DSYNC), 2, "read hints");
	expect_mem(a, "aX", 2, "written at 1");
	expect_eq(rv2(f, v, 1, 0, RWF_NOWAIT), 2, "RWF_NOWAIT on a cached file");
	expect_eq(wv2(f, &w, 1, -1, 0), 2, "pwritev2 at -1");
	expect_eq(lseek(f, 0, SEEK_CUR), 7, "pwritev2 at -1 advances");
	ok("RWF_HIPRI, RWF_DSYNC, RWF_SYNC and RWF_NOWAIT succeed on a regular file");

	expect_err(rv2(f, v, 1, 0, RWF_UNKNOWN), EOPNOTSUPP, "unknown flag");
	expect_err(wv2(f, &w, 1, 0, RWF_UNKNOWN), EOPNOTSUPP, "unknown flag write");
	struct iovec z = { a, 0 };
	expect_eq(rv2(f, &z, 1, 0, RWF_UNKNOWN), 0, "0 bytes, unknown flag");
	ok("an unknown RWF_ flag is EOPNOTSUPP, except for a transfer of 0 bytes");

	expect_err(rv2(9999, v, 1, 0, RWF_UNKNOWN), EBADF, "bad fd first");
	expect_err(rv2(9999, v, 1, -2, 0), EINVAL, "offset -2 before the fd");
	expect_err(rv2(f, v, 1, -2, RWF_UNKNOWN), EINVAL, "offset -2 before the flags");
	int ro = expect_ok(open(scratch_path("f"), O_RDONLY), "open ro");
	expect_err(wv2(ro, &w, 1, 0, RWF_UNKNOWN), EBADF, "read-only fd");
	expect_err(rv2(f, (void *)1, 1, 0, 0), EFAULT, "bad iovec");
	expect_err(rv2(f, v, -1, 0, 0), EINVAL, "negative count");
	ok("an offset below -1 is EINVAL before EBADF, which comes before the flags");

	int p[2];
	xpipe(p);
	expect_err(rv2(p[0], v, 1, -1, RWF_NOWAIT), EAGAIN, "empty pipe NOWAIT");
	expect_err(rv2(p[0], v, 1, 0, 0), ESPIPE, "pipe at offset");
	expect_eq(wv2(p[1], &w, 1, -1, RWF_NOWAIT), 2, "pipe write NOWAIT");
	expect_eq(rv2(p[0], v, 1, -1, RWF_NOWAIT), 2, "pipe read NOWAIT");
	expect_mem(a, "XY", 2, "pipe data");
	ok("RWF_NOWAIT on an empty pipe is EAGAIN; a pipe at an offset ESPIPE");

	int dn = expect_ok(open("/dev/null", O_RDWR), "open /dev/null");
	int dz = expect_ok(open("/dev/zero", O_RDONLY), "open /dev/zero");
	expect_eq(rv2(dn, v, 1, -1, RWF_NOWAIT), 0, "/dev/null read");
	expect_eq(wv2(dn, &w, 1, -1, RWF_NOWAIT | RWF_DSYNC), 2, "/dev/null write");
	expect_eq(rv2(dz, v, 1, -1, RWF_NOWAIT), 2, "/dev/zero read");
	expect_err(wv2(dn, &w, 1, -1, RWF_UNKNOWN), EOPNOTSUPP, "/dev/null unknown");
	ok("/dev/null and /dev/zero take RWF_NOWAIT");

	int pr = expect_ok(open("/proc/self/status", O_RDONLY), "open status");
	expect_err(rv2(pr, v, 1, -1, RWF_NOWAIT), EOPNOTSUPP, "/proc NOWAIT");
	expect_err(rv2(pr, v, 1, -1, RWF_DSYNC), EOPNOTSUPP, "/proc DSYNC");
	expect_eq(rv2(pr, v, 1, 0, 0), 2, "/proc flags 0");
	expect_mem(a, "Na", 2, "status starts with Name");
	ok("a /proc file is read with flags 0 and refuses the others");

	sync();
	ok("sync returns");
	expect_ok(syscall(SYS_syncfs, f), "syncfs file");
	expect_ok(syscall(SYS_syncfs, p[0]), "syncfs pipe");
	int op = expect_ok(open(scratch(), O_PATH), "O_PATH");
	expect_err(syscall(SYS_syncfs, op), EBADF, "syncfs O_PATH");
	expect_err(syscall(SYS_syncfs, 9999), EBADF, "syncfs bad fd");
	ok("syncfs succeeds on any open file and is EBADF for O_PATH and closed fds");
	return 0;
}
