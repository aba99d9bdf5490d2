/* tests/programs/cwd.c — the working directory: getcwd, chdir, fchdir, relative paths after a
 * change, "..", ERANGE for a short buffer, ENOTDIR/ENOENT for bad targets. */
#include "check.h"

int main(void)
{
	char buf[4096], want[4096];
	const char *s = scratch();
	expect_ok(mkdir(scratch_path("sub"), 0755), "mkdir sub");
	scratch_file("sub/file", "in sub", 0644);
	scratch_file("top", "in top", 0644);

	expect_ok(chdir(s), "chdir scratch");
	expect_true(getcwd(buf, sizeof buf) != NULL, "getcwd");
	expect_str(buf, s, "getcwd after chdir");
	ok("getcwd after chdir to an absolute path names it");
	expect_ok(chdir("sub"), "chdir relative");
	snprintf(want, sizeof want, "%s/sub", s);
	expect_str(getcwd(buf, sizeof buf), want, "getcwd after relative chdir");
	ok("chdir to a relative path");
	int fd = expect_ok(open("file", O_RDONLY), "open relative");
	expect_eq(read(fd, buf, sizeof buf), 6, "read relative");
	expect_mem(buf, "in sub", 6, "relative content");
	close(fd);
	fd = expect_ok(open("../top", O_RDONLY), "open ../top");
	close(fd);
	ok("relative opens resolve against the new cwd, including ..");
	expect_ok(chdir(".."), "chdir ..");
	expect_str(getcwd(buf, sizeof buf), s, "getcwd after ..");
	ok("chdir .. goes up one level");

	int dfd = expect_ok(open(scratch_path("sub"), O_RDONLY | O_DIRECTORY), "open sub");
	expect_ok(fchdir(dfd), "fchdir");
	expect_str(getcwd(buf, sizeof buf), want, "getcwd after fchdir");
	ok("fchdir to a directory fd");
	close(dfd);
	int ffd = expect_ok(open("file", O_RDONLY), "open file");
	expect_err(fchdir(ffd), ENOTDIR, "fchdir to file");
	close(ffd);
	expect_err(fchdir(ffd), EBADF, "fchdir closed fd");
	ok("fchdir to a file fd is ENOTDIR, to a closed fd EBADF");

	size_t len = strlen(want);
	errno = 0;
	expect_true(getcwd(buf, len) == NULL, "getcwd short buffer fails");
	expect_eq(errno, ERANGE, "getcwd short buffer errno");
	expect_err(syscall(SYS_getcwd, buf, len), ERANGE, "raw getcwd exact-length buffer (no room for NUL)");
	long r = expect_ok(syscall(SYS_getcwd, buf, len + 1), "raw getcwd just big enough");
	expect_eq(r, len + 1, "raw getcwd returns length including NUL");
	ok("getcwd with a buffer too small is ERANGE; the raw call returns the length with NUL");
	expect_err(syscall(SYS_getcwd, buf, 0), ERANGE, "raw getcwd size 0");
	ok("raw getcwd with size 0 is ERANGE");

	expect_err(chdir(scratch_path("top")), ENOTDIR, "chdir to file");
	expect_err(chdir(scratch_path("none")), ENOENT, "chdir to missing");
	expect_err(chdir(""), ENOENT, "chdir empty");
	ok("chdir to a file is ENOTDIR, to a missing path or \"\" ENOENT");
	expect_str(getcwd(buf, sizeof buf), want, "cwd unchanged by failures");
	ok("a failed chdir leaves the cwd alone");
	expect_ok(chdir("/"), "chdir /");
	expect_str(getcwd(buf, sizeof buf), "/", "getcwd at /");
	expect_ok(chdir(".."), "chdir .. at /");
	expect_str(getcwd(buf, sizeof buf), "/", "getcwd after .. at /");
	ok("chdir / and .. at / stays at /");
	expect_ok(chdir("tmp"), "chdir relative from /");
	expect_str(getcwd(buf, sizeof buf), "/tmp", "getcwd /tmp");
	ok("chdir tmp from / gives /tmp");
	return 0;
}
