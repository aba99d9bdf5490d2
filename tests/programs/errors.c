/* tests/programs/errors.c — the errno a path or fd mistake gives: ENOENT, ENOTDIR, ENAMETOOLONG,
 * ELOOP, EBADF, EINVAL, EEXIST, ENOTEMPTY, and ENOSYS for a syscall number Linux does not have. */
#include "check.h"

int main(void)
{
	struct stat st;
	expect_err(open("/no/such/file", O_RDONLY), ENOENT, "missing path");
	expect_err(open(scratch_path("missing"), O_RDONLY), ENOENT, "missing file in /tmp");
	expect_err(open("/nonexistent-dir/x", O_RDWR | O_CREAT, 0644), ENOENT, "create in missing dir");
	ok("opening a missing path, or creating in a missing directory, is ENOENT");
	expect_err(open("/etc/passwd/x", O_RDONLY), ENOTDIR, "/etc/passwd/x");
	expect_err(stat("/etc/passwd/", &st), ENOTDIR, "/etc/passwd/ with trailing slash");
	expect_err(mkdir("/etc/passwd/d", 0755), ENOTDIR, "mkdir under a file");
	ok("using a regular file as a directory is ENOTDIR (/etc/passwd/x, /etc/passwd/)");

	static char longpath[5001];
	memset(longpath, 'a', 5000);
	longpath[0] = '/';
	expect_err(open(longpath, O_RDONLY), ENAMETOOLONG, "5000-char path");
	expect_err(stat(longpath, &st), ENAMETOOLONG, "stat 5000-char path");
	ok("a 5000-character path is ENAMETOOLONG");
	char comp[400];
	snprintf(comp, sizeof comp, "/tmp/");
	memset(comp + 5, 'b', 300);
	comp[305] = 0;
	expect_err(open(comp, O_RDONLY), ENAMETOOLONG, "300-char component");
	expect_err(open(comp, O_RDWR | O_CREAT, 0644), ENAMETOOLONG, "create 300-char component");
	ok("a 300-character path component is ENAMETOOLONG");
	/* exactly 4096 bytes with the NUL is too long; 4095 is resolved (and missing) */
	static char p4096[4097];
	memset(p4096, '/', 4096);
	p4096[4096] = 0;
	expect_err(stat(p4096, &st), ENAMETOOLONG, "4096 slashes");
	p4096[4095] = 0;
	expect_ok(stat(p4096, &st), "4095 slashes");
	ok("a path of 4096 bytes is ENAMETOOLONG, 4095 bytes is resolved");

	expect_ok(symlink("loop_b", scratch_path("loop_a")), "symlink a->b");
	expect_ok(symlink("loop_a", scratch_path("loop_b")), "symlink b->a");
	expect_err(open(scratch_path("loop_a"), O_RDONLY), ELOOP, "open symlink loop");
	expect_err(stat(scratch_path("loop_a"), &st), ELOOP, "stat symlink loop");
	expect_ok(lstat(scratch_path("loop_a"), &st), "lstat does not follow");
	ok("a symlink loop is ELOOP (lstat of it succeeds)");
	expect_ok(symlink("f", scratch_path("lf")), "symlink to file");
	scratch_file("f", "x", 0644);
	expect_err(open(scratch_path("lf"), O_RDONLY | O_NOFOLLOW), ELOOP, "O_NOFOLLOW on link");
	ok("O_NOFOLLOW on a symlink is ELOOP");
	/* a chain of 41 links exceeds Linux's limit of 40 */
	char name[32], target[32];
	for (int i = 0; i < 41; i++) {
		snprintf(name, sizeof name, "c%d", i);
		snprintf(target, sizeof target, "c%d", i + 1);
		expect_ok(symlink(target, scratch_path(name)), "chain link");
	}
	scratch_file("c41", "end", 0644);
	expect_err(open(scratch_path("c0"), O_RDONLY), ELOOP, "41 links");
	close(expect_ok(open(scratch_path("c1"), O_RDONLY), "40 links"));
	ok("a chain of 40 symlinks resolves, 41 is ELOOP");

	char c;
	expect_err(read(-1, &c, 1), EBADF, "read(-1)");
	expect_err(read(9999, &c, 1), EBADF, "read(9999)");
	expect_err(write(9999, &c, 1), EBADF, "write(9999)");
	expect_err(close(-1), EBADF, "close(-1)");
	expect_err(close(1 << 30), EBADF, "close(huge)");
	ok("read, write and close on a bad fd are EBADF");
	int fd = expect_ok(open("/etc/passwd", O_RDONLY), "open /etc/passwd");
	expect_err(lseek(fd, 0, 99), EINVAL, "lseek whence 99");
	expect_err(write(fd, "x", 1), EBADF, "write to read-only");
	expect_err(open("/etc/passwd", O_RDONLY | O_CREAT | O_EXCL, 0644), EEXIST, "O_EXCL existing");
	close(fd);
	ok("lseek whence 99 is EINVAL, O_EXCL on an existing file EEXIST");
	expect_ok(mkdir(scratch_path("d"), 0755), "mkdir");
	expect_err(mkdir(scratch_path("d"), 0755), EEXIST, "mkdir existing");
	scratch_file("d/in", "x", 0644);
	expect_err(rmdir(scratch_path("d")), ENOTEMPTY, "rmdir non-empty");
	expect_err(rmdir(scratch_path("f")), ENOTDIR, "rmdir file");
	ok("mkdir existing is EEXIST, rmdir non-empty ENOTEMPTY, rmdir of a file ENOTDIR");
	expect_err(syscall(1000), ENOSYS, "syscall 1000");
	expect_err(syscall(-1L), ENOSYS, "syscall -1");
	ok("syscall numbers 1000 and -1 are ENOSYS");
	return 0;
}
