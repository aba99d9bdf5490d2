/* tests/programs/readlink.c — readlink and readlinkat: /proc/self/exe names this program, links made
 * in /tmp read back exactly, a short buffer truncates without a NUL, non-links are EINVAL. */
#include "check.h"
#include <libgen.h>

int main(int argc, char **argv)
{
	(void)argc;
	char buf[4096];
	long n = expect_ok(readlink("/proc/self/exe", buf, sizeof buf - 1), "readlink /proc/self/exe");
	buf[n] = 0;
	expect_true(buf[0] == '/', "/proc/self/exe is absolute");
	char a0[4096];
	snprintf(a0, sizeof a0, "%s", argv[0]);
	expect_str(basename(buf), basename(a0), "basename of /proc/self/exe vs argv[0]");
	ok("/proc/self/exe is absolute and names this program");
	struct stat s1, s2;
	expect_ok(stat("/proc/self/exe", &s1), "stat /proc/self/exe");
	buf[n] = 0;
	n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	buf[n] = 0;
	expect_ok(stat(buf, &s2), "stat exe path");
	expect_eq(s1.st_ino, s2.st_ino, "same inode");
	ok("/proc/self/exe and its target are the same file");

	const char *target = "some/target/name";
	const char *l = scratch_path("l");
	expect_ok(symlink(target, l), "symlink");
	memset(buf, 'X', sizeof buf);
	n = expect_ok(readlink(l, buf, sizeof buf), "readlink");
	expect_eq(n, strlen(target), "readlink length");
	expect_mem(buf, target, n, "readlink content");
	expect_eq(buf[n], 'X', "readlink writes no NUL");
	ok("readlink returns the target's length and bytes, with no NUL");
	memset(buf, 'X', sizeof buf);
	expect_eq(readlink(l, buf, 4), 4, "readlink truncated");
	expect_mem(buf, "some", 4, "truncated content");
	expect_eq(buf[4], 'X', "no NUL after truncation");
	ok("readlink into a short buffer truncates, without a NUL");
	expect_err(syscall(SYS_readlink, l, buf, 0), EINVAL, "readlink size 0");
	ok("readlink with size 0 is EINVAL");
	int dfd = expect_ok(open(scratch(), O_RDONLY | O_DIRECTORY), "open scratch");
	n = expect_ok(readlinkat(dfd, "l", buf, sizeof buf), "readlinkat");
	expect_eq(n, strlen(target), "readlinkat length");
	expect_mem(buf, target, n, "readlinkat content");
	ok("readlinkat relative to a dirfd");
	int lfd = expect_ok(open(l, O_PATH | O_NOFOLLOW), "open link O_PATH|O_NOFOLLOW");
	n = expect_ok(readlinkat(lfd, "", buf, sizeof buf), "readlinkat empty path");
	expect_eq(n, strlen(target), "readlinkat(fd, \"\") length");
	close(lfd);
	ok("readlinkat(O_PATH fd of a link, \"\") reads that link");

	const char *f = scratch_file("f", "x", 0644);
	expect_err(readlink(f, buf, sizeof buf), EINVAL, "readlink regular file");
	expect_err(readlink(scratch(), buf, sizeof buf), EINVAL, "readlink dir");
	expect_err(readlinkat(dfd, "f", buf, sizeof buf), EINVAL, "readlinkat regular file");
	ok("readlink of a file or directory is EINVAL");
	expect_err(readlink(scratch_path("none"), buf, sizeof buf), ENOENT, "readlink missing");
	expect_err(readlink("", buf, sizeof buf), ENOENT, "readlink empty path");
	ok("readlink of a missing or empty path is ENOENT");
	/* a link through a link: readlink reads the last component only */
	expect_ok(symlink("l", scratch_path("l2")), "symlink to symlink");
	n = expect_ok(readlink(scratch_path("l2"), buf, sizeof buf), "readlink l2");
	expect_eq(n, 1, "l2 length");
	expect_eq(buf[0], 'l', "l2 content");
	ok("readlink does not follow the last component");
	close(dfd);
	return 0;
}
