/* tests/programs/bad_pointers.c — every pointer-taking syscall used by the other programs, given a
 * bad pointer through raw syscall(): (void *)1, an unmapped page, a PROT_NONE page and a kernel
 * address. Each must fail with Linux's errno (EFAULT mostly) and never crash the process. */
#include "check.h"
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <time.h>

#define NBAD 4
static void *bad[NBAD];
static const char *bad_name[NBAD] = { "(void *)1", "an unmapped page", "a PROT_NONE page", "a kernel address" };

/* Evaluates `expr` once per bad pointer B; it must return -1 with errno `err`. */
#define each_bad(expr, err, what) do { for (int i_ = 0; i_ < NBAD; i_++) { void *B = bad[i_]; \
	(void)B; errno = 0; long r_ = (long)(expr); int e_ = errno; \
	if (r_ != -1 || e_ != (err)) fail("%s with %s: expected -1 %s, got %ld (%s)", (what), \
		bad_name[i_], errname(err), r_, r_ == -1 ? errname(e_) : "no error"); } \
	ok("%s with a bad pointer is %s", (what), errname(err)); } while (0)

/* Same, but with the user-space bad pointers only (not the kernel address), and the call must
 * succeed and return `want`. */
#define each_bad_ret(expr, want, what, says) do { for (int i_ = 0; i_ < NBAD - 1; i_++) { void *B = bad[i_]; \
	errno = 0; long r_ = (long)(expr); \
	if (r_ != (long)(want)) fail("%s with %s: expected %ld, got %ld (%s)", (what), bad_name[i_], \
		(long)(want), r_, errname(errno)); } \
	ok("%s", (says)); } while (0)

int main(void)
{
	bad[0] = (void *)1;
	bad[1] = (void *)0xdead0000UL;
	expect_err(msync(bad[1], 4096, MS_ASYNC), ENOMEM, "0xdead0000 is unmapped");
	bad[2] = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_true(bad[2] != MAP_FAILED, "PROT_NONE page");
	bad[3] = (void *)0xffff800000000000UL;

	const char *f = scratch_file("f", "0123456789", 0644);
	const char *l = scratch_path("l");
	expect_ok(symlink("f", l), "symlink");
	int fd = expect_ok(open(f, O_RDWR), "open file");
	int dfd = expect_ok(open(scratch(), O_RDONLY | O_DIRECTORY), "open dir");
	int zero = expect_ok(open("/dev/zero", O_RDONLY), "open /dev/zero");
	int null = expect_ok(open("/dev/null", O_RDWR), "open /dev/null");
	int p[2];
	expect_ok(pipe(p), "pipe");
	expect_eq(write(p[1], "abc", 3), 3, "fill pipe");

	/* file I/O */
	each_bad(syscall(SYS_read, zero, B, 16), EFAULT, "read(/dev/zero)");
	each_bad(syscall(SYS_read, fd, B, 16), EFAULT, "read(file)");
	each_bad(syscall(SYS_read, p[0], B, 2), EFAULT, "read(pipe)");
	expect_eq(read(p[0], (char[4]){ 0 }, 4), 3, "pipe data still there after EFAULT reads");
	ok("a failed read into a bad buffer consumes nothing from a pipe");
	each_bad(syscall(SYS_write, fd, B, 16), EFAULT, "write(file)");
	each_bad(syscall(SYS_write, p[1], B, 16), EFAULT, "write(pipe)");
	each_bad_ret(syscall(SYS_write, fd, B, 0), 0, "write(file, bad, 0)", "write of 0 bytes from a bad user pointer returns 0");
	each_bad_ret(syscall(SYS_read, fd, B, 0), 0, "read(file, bad, 0)", "read of 0 bytes into a bad user pointer returns 0");
	each_bad_ret(syscall(SYS_write, null, B, 16), 16, "write(/dev/null)", "write to /dev/null from a bad user pointer returns the count");
	each_bad_ret(syscall(SYS_read, null, B, 16), 0, "read(/dev/null)", "read from /dev/null into a bad user pointer returns 0");
	expect_err(syscall(SYS_write, fd, bad[3], 0), EFAULT, "write(file, kernel address, 0)");
	expect_err(syscall(SYS_read, fd, bad[3], 0), EFAULT, "read(file, kernel address, 0)");
	expect_err(syscall(SYS_write, null, bad[3], 16), EFAULT, "write(/dev/null, kernel address)");
	expect_err(syscall(SYS_read, null, bad[3], 16), EFAULT, "read(/dev/null, kernel address)");
	ok("read/write with a kernel address are EFAULT even for 0 bytes or /dev/null");
	each_bad(syscall(SYS_pread64, fd, B, 4, 0), EFAULT, "pread64");
	each_bad(syscall(SYS_pwrite64, fd, B, 4, 0), EFAULT, "pwrite64");
	each_bad(syscall(SYS_readv, fd, B, 1), EFAULT, "readv(iov array)");
	each_bad(syscall(SYS_writev, fd, B, 1), EFAULT, "writev(iov array)");
	struct iovec iv[NBAD];
	for (int i = 0; i < NBAD; i++)
		iv[i] = (struct iovec){ bad[i], 8 };
	for (int i = 0; i < NBAD; i++) {
		lseek(fd, 0, SEEK_SET);
		expect_err(syscall(SYS_readv, fd, &iv[i], 1), EFAULT, "readv(iov_base bad)");
		expect_err(syscall(SYS_writev, fd, &iv[i], 1), EFAULT, "writev(iov_base bad)");
	}
	ok("readv/writev with a bad iov_base are EFAULT");
	char fbuf[16] = { 0 };
	expect_eq(pread(fd, fbuf, 10, 0), 10, "file intact");
	expect_mem(fbuf, "0123456789", 10, "file content after bad writes");
	ok("failed writes from bad buffers leave the file unchanged");

	/* paths */
	each_bad(syscall(SYS_open, B, O_RDONLY), EFAULT, "open(path)");
	each_bad(syscall(SYS_openat, AT_FDCWD, B, O_RDONLY), EFAULT, "openat(path)");
	each_bad(syscall(SYS_openat, dfd, B, O_RDWR | O_CREAT, 0644), EFAULT, "openat(path, O_CREAT)");
	each_bad(syscall(SYS_creat, B, 0644), EFAULT, "creat(path)");
	each_bad(syscall(SYS_unlink, B), EFAULT, "unlink(path)");
	each_bad(syscall(SYS_mkdir, B, 0755), EFAULT, "mkdir(path)");
	each_bad(syscall(SYS_symlink, B, scratch_path("s")), EFAULT, "symlink(target)");
	each_bad(syscall(SYS_symlink, "f", B), EFAULT, "symlink(linkpath)");
	each_bad(syscall(SYS_chdir, B), EFAULT, "chdir(path)");
	each_bad(syscall(SYS_access, B, F_OK), EFAULT, "access(path)");
	each_bad(syscall(SYS_faccessat, AT_FDCWD, B, F_OK), EFAULT, "faccessat(path)");
	each_bad(syscall(439, AT_FDCWD, B, F_OK, 0), EFAULT, "faccessat2(path)");
	each_bad(syscall(SYS_readlink, B, fbuf, sizeof fbuf), EFAULT, "readlink(path)");

	/* results written to user memory */
	each_bad(syscall(SYS_stat, f, B), EFAULT, "stat(buf)");
	each_bad(syscall(SYS_stat, B, fbuf), EFAULT, "stat(path)");
	each_bad(syscall(SYS_lstat, l, B), EFAULT, "lstat(buf)");
	each_bad(syscall(SYS_fstat, fd, B), EFAULT, "fstat(buf)");
	each_bad(syscall(SYS_newfstatat, dfd, "f", B, 0), EFAULT, "newfstatat(buf)");
	each_bad(syscall(SYS_newfstatat, dfd, B, fbuf, 0), EFAULT, "newfstatat(path)");
	each_bad(syscall(SYS_statx, AT_FDCWD, f, 0, 0x7ff, B), EFAULT, "statx(buf)");
	each_bad(syscall(SYS_statx, AT_FDCWD, B, 0, 0x7ff, fbuf), EFAULT, "statx(path)");
	each_bad(syscall(SYS_readlink, l, B, 64), EFAULT, "readlink(buf)");
	each_bad(syscall(SYS_readlinkat, dfd, "l", B, 64), EFAULT, "readlinkat(buf)");
	each_bad(syscall(SYS_readlink, "/proc/self/exe", B, 64), EFAULT, "readlink(/proc/self/exe, buf)");
	lseek(dfd, 0, SEEK_SET);
	each_bad(syscall(SYS_getdents64, dfd, B, 4096), EFAULT, "getdents64(buf)");
	each_bad(syscall(SYS_getcwd, B, 4096), EFAULT, "getcwd(buf)");
	each_bad(syscall(SYS_pipe2, B, 0), EFAULT, "pipe2(fds)");
	each_bad(syscall(SYS_pipe, B), EFAULT, "pipe(fds)");
	expect_eq(open("/dev/null", O_RDONLY), p[1] + 1, "no fd leaked by failed pipe2");
	close(p[1] + 1);
	ok("a failed pipe2 leaks no fds");
	each_bad(syscall(SYS_uname, B), EFAULT, "uname(buf)");
	each_bad(syscall(SYS_sysinfo, B), EFAULT, "sysinfo(info)");
	each_bad(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, B), EFAULT, "clock_gettime(MONOTONIC, tp)");
	each_bad(syscall(SYS_clock_gettime, CLOCK_REALTIME, B), EFAULT, "clock_gettime(REALTIME, tp)");
	each_bad(syscall(SYS_clock_getres, CLOCK_MONOTONIC, B), EFAULT, "clock_getres(res)");
	each_bad(syscall(SYS_gettimeofday, B, NULL), EFAULT, "gettimeofday(tv)");
	each_bad(syscall(SYS_time, B), EFAULT, "time(tloc)");
	each_bad(syscall(SYS_nanosleep, B, NULL), EFAULT, "nanosleep(req)");
	each_bad(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, B, NULL), EFAULT, "clock_nanosleep(req)");
	each_bad(syscall(SYS_getrandom, B, 16, 0), EFAULT, "getrandom(buf)");
	each_bad(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, B), EFAULT, "prlimit64(old)");
	each_bad(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, B, NULL), EFAULT, "prlimit64(new)");
	each_bad(syscall(SYS_getrlimit, RLIMIT_NOFILE, B), EFAULT, "getrlimit(rlim)");
	each_bad(syscall(SYS_sched_getaffinity, 0, 128, B), EFAULT, "sched_getaffinity(mask)");
	each_bad(syscall(SYS_sched_setaffinity, 0, 128, B), EFAULT, "sched_setaffinity(mask)");
	each_bad(syscall(SYS_getresuid, B, B, B), EFAULT, "getresuid");

	/* signals */
	each_bad(syscall(SYS_rt_sigaction, SIGUSR1, B, NULL, 8), EFAULT, "rt_sigaction(act)");
	each_bad(syscall(SYS_rt_sigaction, SIGUSR1, NULL, B, 8), EFAULT, "rt_sigaction(oldact)");
	each_bad(syscall(SYS_rt_sigprocmask, SIG_BLOCK, B, NULL, 8), EFAULT, "rt_sigprocmask(set)");
	each_bad(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, B, 8), EFAULT, "rt_sigprocmask(oldset)");
	each_bad(syscall(SYS_rt_sigpending, B, 8), EFAULT, "rt_sigpending(set)");
	unsigned long mask = 0;
	expect_ok(syscall(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &mask, 8), "mask");
	expect_eq(mask, 0, "mask unchanged by failed calls");
	ok("failed rt_sigprocmask calls leave the mask unchanged");

	/* ioctl */
	each_bad(syscall(SYS_ioctl, p[0], FIONREAD, B), EFAULT, "ioctl(FIONREAD, arg)");
	each_bad(syscall(SYS_ioctl, fd, 0x5401 /* TCGETS */, B), ENOTTY, "ioctl(file, TCGETS, arg)");
	each_bad(syscall(SYS_ioctl, fd, FIONREAD, B), EFAULT, "ioctl(file, FIONREAD, arg)");

	/* memory calls given bad addresses */
	expect_err(syscall(SYS_munmap, bad[0], 4096), EINVAL, "munmap((void *)1)");
	expect_err(syscall(SYS_munmap, bad[3], 4096), EINVAL, "munmap(kernel address)");
	ok("munmap of an unaligned or kernel address is EINVAL");
	expect_err(syscall(SYS_mprotect, bad[1], 4096, PROT_READ), ENOMEM, "mprotect(unmapped)");
	expect_err(syscall(SYS_mprotect, bad[3], 4096, PROT_READ), ENOMEM, "mprotect(kernel address)");
	ok("mprotect of an unmapped or kernel address is ENOMEM");
	expect_true(mmap(bad[3], 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED
		    && errno == ENOMEM, "mmap MAP_FIXED at a kernel address");
	ok("mmap MAP_FIXED at a kernel address is ENOMEM");
	return 0;
}
