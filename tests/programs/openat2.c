/* tests/programs/openat2.c — openat2: struct open_how's size rules (EINVAL below 24 bytes, E2BIG
 * for non-zero bytes past the struct), its strict flag checks, and each RESOLVE_ flag: escapes
 * from a BENEATH dirfd refused with EXDEV, IN_ROOT treating dirfd as "/", NO_SYMLINKS and
 * NO_MAGICLINKS ELOOP, NO_XDEV refusing to cross into or out of /proc, CACHED refusing O_CREAT. */
#include "check.h"
#include <stdint.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#define R_NO_XDEV 0x01
#define R_NO_MAGICLINKS 0x02
#define R_NO_SYMLINKS 0x04
#define R_BENEATH 0x08
#define R_IN_ROOT 0x10
#define R_CACHED 0x20

struct how { uint64_t flags, mode, resolve; };

static long o2(int dfd, const char *p, uint64_t flags, uint64_t mode, uint64_t resolve)
{
	struct how h = { flags, mode, resolve };
	return syscall(SYS_openat2, dfd, p, &h, sizeof h);
}

/* Opens p under dfd with `resolve` and checks it is the file holding `text`. */
static void opens(int dfd, const char *p, uint64_t resolve, const char *text, const char *what)
{
	int fd = expect_ok(o2(dfd, p, O_RDONLY, 0, resolve), what);
	char b[32] = { 0 };
	if (read(fd, b, sizeof b - 1) < 0)
		fail("%s: read: %s", what, errname(errno));
	expect_str(b, text, what);
	close(fd);
}

int main(void)
{
	const char *root = scratch();
	char p[512];
	scratch_file("f", "top", 0644);
	snprintf(p, sizeof p, "%s/sub", root);
	expect_ok(mkdir(p, 0755), "mkdir sub");
	scratch_file("sub/g", "inner", 0644);
	expect_ok(symlink("sub", scratch_path("rel")), "symlink rel");
	expect_ok(symlink("/sub", scratch_path("abs")), "symlink abs");
	expect_ok(symlink("..", scratch_path("sub/up")), "symlink up");
	expect_ok(symlink("../f", scratch_path("sub/tof")), "symlink tof");
	int d = expect_ok(open(root, O_RDONLY | O_DIRECTORY), "open scratch");

	/* ---- struct open_how ---- */
	struct { struct how h; uint64_t extra; } big = { { O_RDONLY, 0, 0 }, 0 };
	expect_err(syscall(SYS_openat2, d, "f", &big, 23), EINVAL, "size 23");
	expect_err(syscall(SYS_openat2, d, "f", &big, 4097), E2BIG, "size 4097");
	close(expect_ok(syscall(SYS_openat2, d, "f", &big, sizeof big), "size 32, zero tail"));
	big.extra = 1;
	expect_err(syscall(SYS_openat2, d, "f", &big, sizeof big), E2BIG, "non-zero tail");
	expect_err(syscall(SYS_openat2, d, "f", (void *)8, 24), EFAULT, "bad how");
	expect_err(syscall(SYS_openat2, d, NULL, &big.h, 24), EFAULT, "NULL path");
	ok("open_how: under 24 bytes EINVAL, over a page or a non-zero tail E2BIG, bad pointers EFAULT");

	expect_err(o2(d, "f", O_RDONLY | 0x10000000, 0, 0), EINVAL, "unknown open flag");
	expect_err(o2(d, "f", O_RDONLY | (1ull << 32), 0, 0), EINVAL, "high open flag");
	close(expect_ok(openat(d, "f", O_RDONLY | 0x10000000), "openat ignores it"));
	expect_err(o2(d, "f", O_RDONLY, 0, 0x40), EINVAL, "unknown resolve bit");
	expect_err(o2(d, "f", O_RDONLY, 0, R_BENEATH | R_IN_ROOT), EINVAL, "BENEATH with IN_ROOT");
	expect_err(o2(d, "f", O_RDONLY, 0644, 0), EINVAL, "mode without O_CREAT");
	expect_err(o2(d, "new", O_RDWR | O_CREAT, 010644, 0), EINVAL, "mode beyond 07777");
	expect_err(o2(d, "sub", O_PATH | O_RDWR, 0, 0), EINVAL, "O_PATH with O_RDWR");
	expect_err(o2(d, "nodir", O_CREAT | O_DIRECTORY | O_RDWR, 0644, 0), EINVAL, "O_CREAT|O_DIRECTORY");
	expect_err(o2(9999, "f", O_RDONLY | 0x10000000, 0, 0), EINVAL, "flags before the dirfd");
	close(expect_ok(o2(d, "sub", O_PATH | O_CLOEXEC | O_DIRECTORY, 0, 0), "O_PATH|O_CLOEXEC"));
	ok("unknown flag or resolve bits, a stray mode and bad combinations are EINVAL, unlike openat");

	int c = expect_ok(o2(d, "made", O_RDWR | O_CREAT | O_CLOEXEC, 0600, 0), "create");
	struct stat st;
	expect_ok(fstat(c, &st), "fstat made");
	expect_eq(st.st_mode & 07777, 0600, "created mode");
	expect_eq(fcntl(c, F_GETFD), FD_CLOEXEC, "O_CLOEXEC");
	close(c);
	opens(d, "f", 0, "top", "plain openat2");
	ok("openat2 with resolve 0 opens and creates like openat");

	/* ---- RESOLVE_BENEATH ---- */
	opens(d, "sub/g", R_BENEATH, "inner", "beneath sub/g");
	opens(d, "sub/../f", R_BENEATH, "top", "beneath sub/../f");
	opens(d, "rel/g", R_BENEATH, "inner", "beneath relative symlink");
	opens(d, "sub/tof", R_BENEATH, "top", "beneath ../ link that stays inside");
	ok("RESOLVE_BENEATH allows paths, .. and relative symlinks that stay below dirfd");
	expect_err(o2(d, root, O_RDONLY, 0, R_BENEATH), EXDEV, "beneath absolute");
	expect_err(o2(d, "..", O_RDONLY, 0, R_BENEATH), EXDEV, "beneath ..");
	expect_err(o2(d, "sub/../../f", O_RDONLY, 0, R_BENEATH), EXDEV, "beneath sub/../..");
	expect_err(o2(d, "abs/g", O_RDONLY, 0, R_BENEATH), EXDEV, "beneath absolute symlink");
	expect_err(o2(d, "sub/up/..", O_RDONLY, 0, R_BENEATH), EXDEV, "beneath .. through a link");
	int sd = expect_ok(open(scratch_path("sub"), O_RDONLY | O_DIRECTORY), "open sub");
	expect_err(o2(sd, "tof", O_RDONLY, 0, R_BENEATH), EXDEV, "beneath link to ../f");
	ok("RESOLVE_BENEATH refuses absolute paths, absolute symlinks and .. above dirfd with EXDEV");

	/* ---- RESOLVE_IN_ROOT ---- */
	opens(d, "/f", R_IN_ROOT, "top", "in_root /f");
	opens(d, "../../../f", R_IN_ROOT, "top", "in_root ../../../f");
	opens(d, "abs/g", R_IN_ROOT, "inner", "in_root absolute symlink");
	expect_err(o2(sd, "tof", O_RDONLY, 0, R_IN_ROOT), ENOENT, "in_root ../f from sub");
	ok("RESOLVE_IN_ROOT treats dirfd as /: absolute paths, absolute symlinks and .. stay inside");

	/* ---- RESOLVE_NO_SYMLINKS ---- */
	opens(d, "sub/g", R_NO_SYMLINKS, "inner", "no_symlinks plain path");
	expect_err(o2(d, "rel/g", O_RDONLY, 0, R_NO_SYMLINKS), ELOOP, "no_symlinks through a link");
	expect_err(o2(d, "rel", O_RDONLY, 0, R_NO_SYMLINKS), ELOOP, "no_symlinks final link");
	close(expect_ok(o2(d, "rel", O_PATH | O_NOFOLLOW, 0, R_NO_SYMLINKS), "the link itself"));
	expect_err(o2(AT_FDCWD, "/proc/self/status", O_RDONLY, 0, R_NO_SYMLINKS), ELOOP, "/proc/self");
	ok("RESOLVE_NO_SYMLINKS refuses every symlink it would follow with ELOOP");

	/* ---- RESOLVE_NO_MAGICLINKS ---- */
	int f = expect_ok(open(scratch_path("f"), O_RDONLY), "open f");
	char fdp[64];
	snprintf(fdp, sizeof fdp, "/proc/self/fd/%d", f);
	opens(AT_FDCWD, fdp, 0, "top", "fd link without the flag");
	expect_err(o2(AT_FDCWD, fdp, O_RDONLY, 0, R_NO_MAGICLINKS), ELOOP, "no_magiclinks fd/N");
	expect_err(o2(AT_FDCWD, "/proc/self/exe", O_RDONLY, 0, R_NO_MAGICLINKS), ELOOP, "no_magiclinks exe");
	close(expect_ok(o2(AT_FDCWD, fdp, O_PATH | O_NOFOLLOW, 0, R_NO_MAGICLINKS), "the magic link itself"));
	close(expect_ok(o2(AT_FDCWD, "/proc/self/status", O_RDONLY, 0, R_NO_MAGICLINKS), "/proc/self is ordinary"));
	opens(d, "rel/g", R_NO_MAGICLINKS, "inner", "ordinary link under no_magiclinks");
	ok("RESOLVE_NO_MAGICLINKS refuses /proc/self/fd/N and /proc/self/exe with ELOOP, not /proc/self");

	int pd = expect_ok(open("/proc", O_RDONLY | O_DIRECTORY), "open /proc");
	char rel_fd[64];
	snprintf(rel_fd, sizeof rel_fd, "self/fd/%d", f);
	expect_err(o2(pd, rel_fd, O_RDONLY, 0, R_BENEATH), EXDEV, "beneath magic link");
	ok("a magic link in a RESOLVE_BENEATH walk is EXDEV");

	/* ---- RESOLVE_NO_XDEV ---- */
	opens(d, "sub/g", R_NO_XDEV, "inner", "no_xdev inside one mount");
	expect_err(o2(AT_FDCWD, "/proc/self/status", O_RDONLY, 0, R_NO_XDEV), EXDEV, "no_xdev into /proc");
	expect_err(o2(pd, "..", O_PATH, 0, R_NO_XDEV), EXDEV, "no_xdev .. out of /proc");
	expect_err(o2(AT_FDCWD, fdp, O_RDONLY, 0, R_NO_XDEV), EXDEV, "no_xdev through /proc");
	ok("RESOLVE_NO_XDEV refuses to cross into or out of a mount with EXDEV");

	/* ---- RESOLVE_CACHED ---- */
	opens(d, "f", R_CACHED, "top", "cached open of a looked-up file");
	expect_err(o2(d, "new2", O_RDWR | O_CREAT, 0600, R_CACHED), EAGAIN, "cached O_CREAT");
	expect_err(o2(d, "f", O_RDWR | O_TRUNC, 0, R_CACHED), EAGAIN, "cached O_TRUNC");
	ok("RESOLVE_CACHED opens a cached path and answers EAGAIN for O_CREAT and O_TRUNC");

	expect_err(o2(9999, "f", O_RDONLY, 0, R_BENEATH), EBADF, "bad dirfd");
	expect_err(o2(f, "x", O_RDONLY, 0, R_BENEATH), ENOTDIR, "file dirfd");
	expect_err(o2(9999, "/f", O_RDONLY, 0, R_BENEATH), EXDEV, "absolute before the dirfd");
	expect_err(o2(d, "missing", O_RDONLY, 0, R_BENEATH), ENOENT, "missing");
	ok("a bad dirfd is EBADF, a file dirfd ENOTDIR, a missing name ENOENT");
	return 0;
}
