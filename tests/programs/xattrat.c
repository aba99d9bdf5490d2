/* tests/programs/xattrat.c — what extended attributes became in Linux 6.13: the *xattrat calls
 * (struct xattr_args, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW) and the order in which every xattr call
 * now copies its arguments before it resolves the path or descriptor. Natively this needs a 6.13+
 * kernel (older ones answer ENOSYS and resolve the path first): there the native run skips. */
#include "check.h"
#include <stdint.h>
#include <sys/xattr.h>

#define NR_setxattrat 463
#define NR_getxattrat 464
#define NR_listxattrat 465
#define NR_removexattrat 466

struct xattr_args {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

static char *const BAD = (char *)1;

static long get_at(int dfd, const char *path, int at_flags, const char *name, char *buf, size_t n)
{
	struct xattr_args a = { (uint64_t)(uintptr_t)buf, (uint32_t)n, 0 };
	return syscall(NR_getxattrat, dfd, path, at_flags, name, &a, sizeof a);
}

static long set_at(int dfd, const char *path, int at_flags, const char *name, const char *v,
		   int flags)
{
	struct xattr_args a = { (uint64_t)(uintptr_t)v, (uint32_t)strlen(v), (uint32_t)flags };
	return syscall(NR_setxattrat, dfd, path, at_flags, name, &a, sizeof a);
}

static void at_calls(const char *f)
{
	char buf[64];
	int dfd = expect_ok(open(scratch(), O_RDONLY | O_DIRECTORY), "open scratch");
	expect_ok(set_at(dfd, "file", 0, "user.at", "one", 0), "setxattrat");
	expect_eq(get_at(dfd, "file", 0, "user.at", buf, sizeof buf), 3, "getxattrat");
	expect_mem(buf, "one", 3, "getxattrat value");
	expect_eq(syscall(SYS_getxattr, f, "user.at", NULL, 0), 3, "getxattr sees it");
	expect_eq(syscall(NR_listxattrat, dfd, "file", 0, buf, sizeof buf), 8, "listxattrat");
	expect_str(buf, "user.at", "listxattrat name");
	expect_ok(syscall(NR_removexattrat, dfd, "file", 0, "user.at"), "removexattrat");
	expect_err(get_at(dfd, "file", 0, "user.at", buf, sizeof buf), ENODATA, "removed");
	ok("setxattrat, getxattrat, listxattrat and removexattrat relative to a directory fd");
	expect_err(set_at(dfd, "file", 0, "user.at", "two", XATTR_REPLACE), ENODATA, "replace missing");
	expect_ok(set_at(dfd, "file", 0, "user.at", "two", XATTR_CREATE), "create");
	expect_err(set_at(dfd, "file", 0, "user.at", "two", 4), EINVAL, "unknown flag");
	ok("setxattrat takes XATTR_CREATE and XATTR_REPLACE in xattr_args.flags");
	int fd = expect_ok(open(f, O_RDONLY), "open file");
	expect_eq(get_at(fd, "", AT_EMPTY_PATH, "user.at", buf, sizeof buf), 3, "AT_EMPTY_PATH");
	expect_eq(get_at(fd, NULL, AT_EMPTY_PATH, "user.at", buf, sizeof buf), 3, "AT_EMPTY_PATH NULL");
	expect_err(get_at(fd, "", 0, "user.at", buf, sizeof buf), ENOENT, "empty path");
	close(fd);
	ok("AT_EMPTY_PATH with an empty or NULL path acts on the descriptor; without it \"\" is ENOENT");
	int pfd = expect_ok(open(f, O_PATH), "open O_PATH");
	expect_err(get_at(pfd, "", AT_EMPTY_PATH, "user.at", buf, sizeof buf), EBADF, "O_PATH get");
	expect_err(set_at(pfd, "", AT_EMPTY_PATH, "user.b", "x", 0), EBADF, "O_PATH set");
	expect_err(syscall(NR_removexattrat, pfd, "", AT_EMPTY_PATH, "user.at"), EBADF, "O_PATH remove");
	close(pfd);
	ok("an O_PATH descriptor with AT_EMPTY_PATH is EBADF");
	expect_ok(symlink("file", scratch_path("link")), "symlink");
	expect_eq(get_at(dfd, "link", 0, "user.at", buf, sizeof buf), 3, "through the link");
	expect_err(get_at(dfd, "link", AT_SYMLINK_NOFOLLOW, "user.at", buf, sizeof buf), ENODATA,
		   "the link itself");
	expect_err(set_at(dfd, "link", AT_SYMLINK_NOFOLLOW, "user.at", "x", 0), EPERM, "set on the link");
	ok("AT_SYMLINK_NOFOLLOW acts on a symlink itself");
	expect_err(get_at(dfd, "file", 0x2, "user.at", buf, sizeof buf), EINVAL, "unknown at flag");
	expect_err(syscall(NR_listxattrat, dfd, "file", 0x2, buf, sizeof buf), EINVAL, "list at flag");
	expect_err(syscall(NR_removexattrat, dfd, "file", 0x2, "user.at"), EINVAL, "remove at flag");
	ok("an unknown AT_* flag is EINVAL");
	struct xattr_args a = { (uint64_t)(uintptr_t)buf, sizeof buf, 0 };
	expect_err(syscall(NR_getxattrat, dfd, "file", 0, "user.at", &a, 8), EINVAL, "short args");
	char longer[32] = { 0 };
	memcpy(longer, &a, sizeof a);
	expect_eq(syscall(NR_getxattrat, dfd, "file", 0, "user.at", longer, sizeof longer), 3,
		  "zero tail");
	longer[20] = 1;
	expect_err(syscall(NR_getxattrat, dfd, "file", 0, "user.at", longer, sizeof longer), E2BIG,
		   "non-zero tail");
	expect_err(syscall(NR_getxattrat, dfd, "file", 0, "user.at", &a, 8192), E2BIG, "over a page");
	expect_err(syscall(NR_getxattrat, dfd, "file", 0, "user.at", BAD, sizeof a), EFAULT, "bad args");
	a.flags = 1;
	expect_err(syscall(NR_getxattrat, dfd, "file", 0, "user.at", &a, sizeof a), EINVAL, "get flags");
	ok("xattr_args: shorter than 16 bytes EINVAL, unknown non-zero bytes or over a page E2BIG, "
	   "flags on get EINVAL");
	close(dfd);
}

/* Linux 6.13+ copies the name (and setxattr's flags and value) before it looks at the path or
 * descriptor; fgetxattr and fsetxattr read AT_FDCWD as the working directory. */
static void copy_first(const char *f)
{
	const char *none = scratch_path("none");
	char buf[16];
	expect_err(syscall(SYS_getxattr, none, BAD, buf, sizeof buf), EFAULT, "get: name first");
	expect_err(syscall(SYS_getxattr, none, "", buf, sizeof buf), ERANGE, "get: empty name first");
	expect_err(syscall(SYS_removexattr, none, BAD), EFAULT, "remove: name first");
	expect_err(syscall(SYS_setxattr, none, "user.x", "x", 1, 4), EINVAL, "set: flags first");
	expect_err(syscall(SYS_setxattr, none, BAD, "x", 1, 0), EFAULT, "set: name before path");
	expect_err(syscall(SYS_setxattr, none, "user.x", BAD, 1, 0), EFAULT, "set: value before path");
	expect_err(syscall(SYS_setxattr, none, "user.x", "x", 65537, 0), E2BIG, "set: size before path");
	ok("the name, flags, size and value are checked before the path (EFAULT/ERANGE/EINVAL/E2BIG, "
	   "not ENOENT)");
	expect_err(syscall(SYS_fgetxattr, 999, BAD, buf, sizeof buf), EFAULT, "fget: name first");
	expect_err(syscall(SYS_fsetxattr, 999, "user.x", "x", 1, 4), EINVAL, "fset: flags first");
	expect_err(syscall(SYS_fremovexattr, 999, BAD), EFAULT, "fremove: name first");
	ok("the f* calls check their arguments before the descriptor (not EBADF)");
	expect_ok(chdir(scratch()), "chdir");
	expect_ok(syscall(SYS_fsetxattr, AT_FDCWD, "user.cwd", "c", 1, 0), "fsetxattr AT_FDCWD");
	expect_eq(syscall(SYS_getxattr, scratch(), "user.cwd", NULL, 0), 1, "set on the cwd");
	expect_eq(syscall(SYS_fgetxattr, AT_FDCWD, "user.cwd", NULL, 0), 1, "fgetxattr AT_FDCWD");
	expect_err(syscall(SYS_flistxattr, AT_FDCWD, buf, sizeof buf), EBADF, "flistxattr AT_FDCWD");
	expect_err(syscall(SYS_fremovexattr, AT_FDCWD, "user.cwd"), EBADF, "fremovexattr AT_FDCWD");
	ok("fgetxattr and fsetxattr take AT_FDCWD for the working directory, flistxattr and "
	   "fremovexattr do not (EBADF)");
	(void)f;
}

int main(void)
{
	const char *f = scratch_file("file", "", 0644);
	errno = 0;
	if (syscall(NR_listxattrat, AT_FDCWD, f, 0, NULL, 0) < 0 && errno == ENOSYS)
		skip("this kernel has no listxattrat: the *xattrat calls need Linux 6.13 or later");
	at_calls(f);
	copy_first(f);
	return 0;
}
