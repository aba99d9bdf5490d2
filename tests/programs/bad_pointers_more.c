/* tests/programs/bad_pointers_more.c — the pointer-taking syscalls bad_pointers.c does not cover
 * (tree changes, statfs, xattrs, vectored positional I/O, poll, futex, identity and accounting
 * queries), each given the same four bad pointers through raw syscall(). */
#include "check.h"
#define FUTEX_WAKE 1		/* <linux/futex.h>, which musl-gcc does not see */
#define ARCH_GET_FS 0x1003	/* <asm/prctl.h> */
#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>

#define NBAD 4
static void *bad[NBAD];
static const char *bad_name[NBAD] = { "(void *)1", "an unmapped page", "a PROT_NONE page", "a kernel address" };

/* Evaluates `expr` once per bad pointer B; it must return -1 with errno `err`. */
#define each_bad(expr, err, what) do { for (int i_ = 0; i_ < NBAD; i_++) { void *B = bad[i_]; \
	(void)B; errno = 0; long r_ = (long)(expr); int e_ = errno; \
	if (r_ != -1 || e_ != (err)) fail("%s with %s: expected -1 %s, got %ld (%s)", (what), \
		bad_name[i_], errname(err), r_, r_ == -1 ? errname(e_) : "no error"); } \
	ok("%s with a bad pointer is %s", (what), errname(err)); } while (0)

int main(void)
{
	bad[0] = (void *)1;
	bad[1] = (void *)0xdead0000UL;
	bad[2] = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bad[3] = (void *)0xffff800000000000UL;
	expect_true(bad[2] != MAP_FAILED, "PROT_NONE page");

	const char *f = scratch_file("f", "0123456789", 0644);
	const char *d = scratch_path("d");
	const char *n = scratch_path("new");
	expect_ok(mkdir(d, 0755), "mkdir");
	int fd = expect_ok(open(f, O_RDWR), "open file");
	char buf[64];
	struct iovec good = { buf, 4 };

	/* tree changes: the path (either of two paths) is bad */
	each_bad(syscall(SYS_chmod, B, 0644), EFAULT, "chmod(path)");
	each_bad(syscall(SYS_fchmodat, AT_FDCWD, B, 0644, 0), EFAULT, "fchmodat(path)");
	each_bad(syscall(SYS_link, B, n), EFAULT, "link(old)");
	each_bad(syscall(SYS_link, f, B), EFAULT, "link(new)");
	each_bad(syscall(SYS_linkat, AT_FDCWD, B, AT_FDCWD, n, 0), EFAULT, "linkat(old)");
	each_bad(syscall(SYS_rename, B, n), EFAULT, "rename(old)");
	each_bad(syscall(SYS_rename, f, B), EFAULT, "rename(new)");
	each_bad(syscall(SYS_renameat, AT_FDCWD, B, AT_FDCWD, n), EFAULT, "renameat(old)");
	each_bad(syscall(SYS_renameat2, AT_FDCWD, f, AT_FDCWD, B, 0), EFAULT, "renameat2(new)");
	each_bad(syscall(SYS_symlinkat, B, AT_FDCWD, n), EFAULT, "symlinkat(target)");
	each_bad(syscall(SYS_symlinkat, "x", AT_FDCWD, B), EFAULT, "symlinkat(path)");
	each_bad(syscall(SYS_rmdir, B), EFAULT, "rmdir");
	each_bad(syscall(SYS_unlinkat, AT_FDCWD, B, 0), EFAULT, "unlinkat");
	each_bad(syscall(SYS_mkdirat, AT_FDCWD, B, 0755), EFAULT, "mkdirat");
	each_bad(syscall(SYS_truncate, B, 0), EFAULT, "truncate");
	each_bad(syscall(SYS_utimensat, AT_FDCWD, f, B, 0), EFAULT, "utimensat(times)");
	expect_err(access(n, F_OK), ENOENT, "nothing was created by the failed calls");
	ok("failed calls with bad paths create nothing");

	/* file-system and attribute queries */
	each_bad(syscall(SYS_statfs, B, buf), EFAULT, "statfs(path)");
	each_bad(syscall(SYS_statfs, f, B), EFAULT, "statfs(buf)");
	each_bad(syscall(SYS_fstatfs, fd, B), EFAULT, "fstatfs(buf)");
	each_bad(syscall(SYS_getxattr, B, "user.x", buf, sizeof(buf)), EFAULT, "getxattr(path)");
	each_bad(syscall(SYS_getxattr, f, B, buf, sizeof(buf)), EFAULT, "getxattr(name)");
	each_bad(syscall(SYS_lgetxattr, B, "user.x", buf, sizeof(buf)), EFAULT, "lgetxattr(path)");
	each_bad(syscall(SYS_fgetxattr, fd, B, buf, sizeof(buf)), EFAULT, "fgetxattr(name)");
	each_bad(syscall(SYS_listxattr, B, buf, sizeof(buf)), EFAULT, "listxattr(path)");
	each_bad(syscall(SYS_llistxattr, B, buf, sizeof(buf)), EFAULT, "llistxattr(path)");

	/* vectored positional I/O: a bad iovec array, or a bad buffer inside a good one */
	each_bad(syscall(SYS_preadv, fd, B, 1, 0), EFAULT, "preadv(iov)");
	each_bad(syscall(SYS_pwritev, fd, B, 1, 0), EFAULT, "pwritev(iov)");
	each_bad(syscall(SYS_preadv2, fd, B, 1, 0, 0, 0), EFAULT, "preadv2(iov)");
	each_bad(syscall(SYS_pwritev2, fd, B, 1, 0, 0, 0), EFAULT, "pwritev2(iov)");
	each_bad(syscall(SYS_preadv, fd, (&(struct iovec){ B, 4 }), 1, 0), EFAULT, "preadv(iov base)");
	each_bad(syscall(SYS_pwritev, fd, (&(struct iovec){ B, 4 }), 1, 0), EFAULT, "pwritev(iov base)");
	expect_eq(syscall(SYS_preadv, fd, &good, 1, 0), 4, "preadv with a good iovec");
	expect_mem(buf, "0123", 4, "preadv data");

	/* poll, futex */
	each_bad(syscall(SYS_poll, B, 1, 0), EFAULT, "poll(fds)");
	for (int i = 1; i < NBAD; i += 2)	/* aligned and never mapped: the unmapped page, the kernel address */
		expect_err(syscall(SYS_futex, bad[i], FUTEX_WAKE, 1, 0, 0, 0), EFAULT, "futex wake on a bad address");
	ok("futex on an unmapped or kernel address is EFAULT");
	expect_err(syscall(SYS_futex, bad[0], FUTEX_WAKE, 1, 0, 0, 0), EINVAL, "futex on an unaligned address");
	ok("futex on an unaligned address is EINVAL");

	/* identity, accounting, limits */
	each_bad(syscall(SYS_arch_prctl, ARCH_GET_FS, B), EFAULT, "arch_prctl(ARCH_GET_FS)");
	each_bad(syscall(SYS_getresuid, B, buf, buf + 4), EFAULT, "getresuid");
	each_bad(syscall(SYS_getresgid, buf, buf + 4, B), EFAULT, "getresgid");
	each_bad(syscall(SYS_getrusage, RUSAGE_SELF, B), EFAULT, "getrusage");
	each_bad(syscall(SYS_times, B), EFAULT, "times");
	each_bad(syscall(SYS_getcpu, B, NULL, NULL), EFAULT, "getcpu");
	each_bad(syscall(SYS_get_robust_list, 0, B, buf), EFAULT, "get_robust_list(head)");
	each_bad(syscall(SYS_sched_getparam, 0, B), EFAULT, "sched_getparam");
	each_bad(syscall(SYS_setrlimit, RLIMIT_NOFILE, B), EFAULT, "setrlimit");
	each_bad(syscall(SYS_mincore, buf - ((unsigned long)buf & 4095), 4096, B), EFAULT, "mincore(vec)");
	close(fd);
	scratch_cleanup();
	return 0;
}
