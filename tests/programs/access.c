/* tests/programs/access.c — access, faccessat and faccessat2 as root: F_OK/R_OK/W_OK pass on any
 * existing file, X_OK needs some x bit, missing paths are ENOENT, bad mode and flags are EINVAL. */
#include "check.h"

#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif

int main(void)
{
	const char *f = scratch_file("noexec", "x", 0600);
	const char *z = scratch_file("nothing", "x", 0000);
	const char *x = scratch_file("gexec", "x", 0610);
	expect_ok(access(f, F_OK), "F_OK");
	expect_ok(access(f, R_OK | W_OK), "R_OK|W_OK");
	ok("access F_OK and R_OK|W_OK on a 0600 file");
	expect_ok(access(z, R_OK | W_OK), "root R_OK|W_OK on 0000");
	ok("root passes R_OK|W_OK on a 0000 file");
	expect_err(access(f, X_OK), EACCES, "X_OK on 0600");
	expect_err(access(z, X_OK), EACCES, "X_OK on 0000");
	ok("X_OK on a file with no x bit is EACCES even for root");
	expect_ok(access(x, X_OK), "X_OK on 0610");
	ok("X_OK passes for root when any x bit is set");
	expect_ok(access(scratch(), X_OK | R_OK | W_OK), "dir rwx");
	ok("a directory passes R_OK|W_OK|X_OK");
	expect_err(access(scratch_path("none"), F_OK), ENOENT, "missing F_OK");
	expect_err(access("", F_OK), ENOENT, "empty path");
	ok("access of a missing or empty path is ENOENT");
	expect_err(syscall(SYS_access, f, 8), EINVAL, "bad mode");
	ok("access with an unknown mode bit is EINVAL");
	char p[300];
	snprintf(p, sizeof p, "%s/x", f);
	expect_err(access(p, F_OK), ENOTDIR, "file as dir");
	ok("access through a file as a directory is ENOTDIR");

	int dfd = expect_ok(open(scratch(), O_RDONLY | O_DIRECTORY), "open scratch");
	expect_ok(syscall(SYS_faccessat, dfd, "noexec", R_OK), "faccessat");
	expect_err(syscall(SYS_faccessat, dfd, "noexec", X_OK), EACCES, "faccessat X_OK");
	expect_err(syscall(SYS_faccessat, dfd, "none", F_OK), ENOENT, "faccessat missing");
	ok("faccessat relative to a dirfd");
	expect_ok(syscall(SYS_faccessat2, dfd, "gexec", X_OK, 0), "faccessat2");
	expect_ok(syscall(SYS_faccessat2, dfd, "noexec", R_OK, AT_EACCESS), "faccessat2 AT_EACCESS");
	int fd = expect_ok(open(f, O_RDONLY), "open");
	expect_ok(syscall(SYS_faccessat2, fd, "", R_OK, AT_EMPTY_PATH), "faccessat2 AT_EMPTY_PATH");
	expect_err(syscall(SYS_faccessat2, fd, "", X_OK, AT_EMPTY_PATH), EACCES, "faccessat2 AT_EMPTY_PATH X_OK");
	close(fd);
	ok("faccessat2 with AT_EACCESS and AT_EMPTY_PATH");
	expect_ok(symlink("none", scratch_path("dangling")), "symlink");
	expect_err(syscall(SYS_faccessat2, dfd, "dangling", F_OK, 0), ENOENT, "follow dangling");
	expect_ok(syscall(SYS_faccessat2, dfd, "dangling", F_OK, AT_SYMLINK_NOFOLLOW), "nofollow dangling");
	ok("faccessat2 follows symlinks unless AT_SYMLINK_NOFOLLOW");
	expect_err(syscall(SYS_faccessat2, dfd, "noexec", F_OK, 0x1), EINVAL, "faccessat2 bad flag");
	ok("faccessat2 with an unknown flag is EINVAL");
	close(dfd);
	expect_err(syscall(SYS_faccessat, 9999, "noexec", F_OK), EBADF, "faccessat bad dirfd");
	ok("faccessat with a bad dirfd and relative path is EBADF");
	return 0;
}
