/* tests/programs/rlimit.c — resource limits: getrlimit and prlimit64 agree, RLIMIT_NOFILE and
 * RLIMIT_STACK are sane, a lowered soft limit takes effect, bad resources and soft > hard fail. */
#include "check.h"
#include <sys/resource.h>

struct rl64 { unsigned long long cur, max; };

static long sys_prlimit(int pid, int res, const struct rl64 *nw, struct rl64 *old)
{
	return syscall(SYS_prlimit64, pid, res, nw, old);
}

int main(void)
{
	struct rlimit r;
	struct rl64 p;
	expect_ok(getrlimit(RLIMIT_NOFILE, &r), "getrlimit NOFILE");
	expect_true(r.rlim_cur >= 3 && r.rlim_cur <= r.rlim_max, "0 < soft <= hard");
	expect_ok(sys_prlimit(0, RLIMIT_NOFILE, NULL, &p), "prlimit64 NOFILE");
	expect_eq(p.cur, r.rlim_cur, "prlimit soft == getrlimit soft");
	expect_eq(p.max, r.rlim_max, "prlimit hard == getrlimit hard");
	ok("RLIMIT_NOFILE: getrlimit and prlimit64(0, ...) agree, 3 <= soft <= hard");
	expect_ok(sys_prlimit(1, RLIMIT_NOFILE, NULL, &p), "prlimit64 pid 1");
	expect_eq(p.cur, r.rlim_cur, "prlimit(1) soft");
	ok("prlimit64 on pid 1 (self) reads the same");
	expect_eq(sysconf(_SC_OPEN_MAX), r.rlim_cur, "sysconf(_SC_OPEN_MAX)");
	ok("sysconf(_SC_OPEN_MAX) is the RLIMIT_NOFILE soft limit");

	expect_ok(getrlimit(RLIMIT_STACK, &r), "getrlimit STACK");
	expect_true(r.rlim_cur >= 64 * 1024, "stack soft >= 64 KiB");
	expect_true(r.rlim_cur <= r.rlim_max, "stack soft <= hard");
	ok("RLIMIT_STACK: soft >= 64 KiB and <= hard");
	expect_ok(getrlimit(RLIMIT_AS, &r), "getrlimit AS");
	expect_ok(getrlimit(RLIMIT_CORE, &r), "getrlimit CORE");
	expect_ok(getrlimit(RLIMIT_NPROC, &r), "getrlimit NPROC");
	ok("getrlimit works for RLIMIT_AS, RLIMIT_CORE and RLIMIT_NPROC");

	expect_ok(getrlimit(RLIMIT_NOFILE, &r), "getrlimit NOFILE");
	struct rl64 lower = { 64, r.rlim_max }, old;
	expect_ok(sys_prlimit(0, RLIMIT_NOFILE, &lower, &old), "prlimit64 set");
	expect_eq(old.cur, r.rlim_cur, "old value returned");
	expect_ok(getrlimit(RLIMIT_NOFILE, &r), "getrlimit after set");
	expect_eq(r.rlim_cur, 64, "soft now 64");
	ok("prlimit64 sets a new soft limit and returns the old one");
	expect_err(dup2(0, 64), EBADF, "dup2 at the limit");
	expect_err(fcntl(0, F_DUPFD, 64), EINVAL, "F_DUPFD at the limit");
	ok("dup2 to fd >= RLIMIT_NOFILE is EBADF, F_DUPFD EINVAL");
	int fds[64], n = 0, fd;
	while ((fd = open("/dev/null", O_RDONLY)) >= 0 && n < 64)
		fds[n++] = fd;
	expect_eq(errno, EMFILE, "open past the limit");
	while (n > 0)
		close(fds[--n]);
	ok("open past RLIMIT_NOFILE is EMFILE");
	struct rlimit bad = { 100, 50 };
	expect_err(setrlimit(RLIMIT_NOFILE, &bad), EINVAL, "soft > hard");
	ok("setrlimit with soft > hard is EINVAL");
	expect_err(sys_prlimit(0, 999, NULL, &p), EINVAL, "bad resource");
	expect_err(getrlimit(999, &r), EINVAL, "getrlimit bad resource");
	ok("an unknown resource is EINVAL");
	expect_err(sys_prlimit(12345, RLIMIT_NOFILE, NULL, &p), ESRCH, "missing pid");
	ok("prlimit64 on a missing pid is ESRCH");
	return 0;
}
