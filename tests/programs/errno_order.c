/* tests/programs/errno_order.c — which errno wins when a call has several faults, as Linux orders
 * its checks: process, limit, timer, scheduling, futex and signal calls (fd and path calls are in
 * errno_order_fd.c). Raw syscall() throughout so no libc wrapper checks anything first. */
#include "check.h"
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <stdint.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_FD 2
#define FUTEX_WAIT_BITSET 9
#define FUTEX_CLOCK_REALTIME 256

#define KADDR ((void *)0xffff888000000000ul)	/* a kernel address: fails every access_ok */

static void *unmapped_page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || munmap(p, 4096))
		fail("mmap/munmap: %s", errname(errno));
	return p;
}

static void test_waitid(void *bad)
{
	expect_err(syscall(SYS_waitid, P_ALL, 0, bad, WEXITED | WNOHANG, NULL), EFAULT,
		   "waitid(no children, bad infop)");
	expect_err(syscall(SYS_waitid, P_ALL, 0, bad, 0, NULL), EFAULT, "waitid(no options, bad infop)");
	expect_err(syscall(SYS_waitid, 99, 0, bad, WEXITED, NULL), EFAULT, "waitid(bad idtype, bad infop)");
	expect_err(syscall(SYS_waitid, P_ALL, 0, NULL, 0, NULL), EINVAL, "waitid(no options, NULL infop)");
	ok("waitid with a bad infop is EFAULT even when the wait itself fails (ECHILD, EINVAL)");
	siginfo_t si;
	memset(&si, 0x55, sizeof(si));
	expect_err(syscall(SYS_waitid, P_ALL, 0, &si, WEXITED | WNOHANG, NULL), ECHILD, "waitid ECHILD");
	expect_eq(si.si_signo, 0, "si_signo zeroed on ECHILD");
	expect_eq(si.si_pid, 0, "si_pid zeroed on ECHILD");
	ok("waitid that fails with ECHILD still zeroes infop's signo and pid");
	pid_t c = xfork();
	if (c == 0)
		_exit(3);
	int st;
	/* wait for it to be a zombie without reaping it */
	expect_ok(syscall(SYS_waitid, P_PID, c, &si, WEXITED | WNOWAIT, NULL), "waitid WNOWAIT");
	expect_err(syscall(SYS_waitid, P_PID, c, bad, WEXITED, NULL), EFAULT, "waitid child, bad infop");
	expect_err(waitpid(c, &st, WNOHANG), ECHILD, "child already reaped");
	ok("waitid with a bad infop reaps the child, then answers EFAULT");
}

static void test_rlimit(void *bad)
{
	struct rlimit rl, cur;
	expect_err(syscall(SYS_setrlimit, RLIMIT_NOFILE, bad), EFAULT, "setrlimit(bad ptr)");
	expect_err(syscall(SYS_setrlimit, 999, bad), EFAULT, "setrlimit(bad res, bad ptr)");
	expect_ok(syscall(SYS_getrlimit, RLIMIT_CORE, &cur), "getrlimit");
	rl.rlim_cur = 2;
	rl.rlim_max = 1;
	expect_err(syscall(SYS_setrlimit, 999, &rl), EINVAL, "setrlimit(bad res, cur > max)");
	expect_err(syscall(SYS_setrlimit, RLIMIT_CORE, &rl), EINVAL, "setrlimit(cur > max)");
	ok("setrlimit copies the limit first: a bad pointer is EFAULT even for a bad resource");
	expect_err(syscall(SYS_getrlimit, RLIMIT_NOFILE, NULL), EFAULT, "getrlimit(NULL)");
	expect_err(syscall(SYS_getrlimit, 999, NULL), EINVAL, "getrlimit(bad res, NULL)");
	expect_err(syscall(SYS_getrlimit, RLIMIT_NOFILE, bad), EFAULT, "getrlimit(bad ptr)");
	ok("getrlimit(res, NULL) is EFAULT, but a bad resource is EINVAL first");
	expect_err(syscall(SYS_prlimit64, 0, 999, bad, NULL), EFAULT, "prlimit64(bad res, bad new)");
	expect_err(syscall(SYS_prlimit64, -1, RLIMIT_CORE, bad, NULL), EFAULT, "prlimit64(pid -1, bad new)");
	expect_err(syscall(SYS_prlimit64, -1, RLIMIT_CORE, NULL, &rl), ESRCH, "prlimit64(pid -1)");
	expect_err(syscall(SYS_prlimit64, 999999, 999, NULL, &rl), ESRCH, "prlimit64(no pid, bad res)");
	expect_err(syscall(SYS_prlimit64, 0, 999, NULL, NULL), EINVAL, "prlimit64(bad res)");
	expect_err(syscall(SYS_prlimit64, 0, RLIMIT_CORE, NULL, bad), EFAULT, "prlimit64(bad old)");
	ok("prlimit64: new limit copied first (EFAULT), then the pid (ESRCH), then the resource (EINVAL)");
	rl.rlim_cur = 0;
	rl.rlim_max = cur.rlim_max;
	expect_err(syscall(SYS_prlimit64, 0, RLIMIT_CORE, &rl, bad), EFAULT, "prlimit64(new, bad old)");
	struct rlimit now;
	expect_ok(syscall(SYS_getrlimit, RLIMIT_CORE, &now), "getrlimit after");
	expect_eq(now.rlim_cur, 0, "new limit applied before the old one was written");
	expect_ok(syscall(SYS_setrlimit, RLIMIT_CORE, &cur), "restore RLIMIT_CORE");
	ok("prlimit64 with a bad old pointer sets the new limit, then answers EFAULT");
}

static void test_itimer(void *bad)
{
	struct itimerval v = { { 0, 0 }, { 0, 0 } }, o;
	expect_err(syscall(SYS_setitimer, 99, bad, NULL), EFAULT, "setitimer(bad which, bad ptr)");
	expect_err(syscall(SYS_setitimer, 99, &v, NULL), EINVAL, "setitimer(bad which)");
	v.it_value.tv_usec = 1000000;
	expect_err(syscall(SYS_setitimer, 99, &v, NULL), EINVAL, "setitimer(bad which, bad usec)");
	expect_err(syscall(SYS_setitimer, ITIMER_REAL, &v, NULL), EINVAL, "setitimer(bad usec)");
	v.it_value.tv_usec = 0;
	expect_err(syscall(SYS_setitimer, ITIMER_REAL, &v, bad), EFAULT, "setitimer(bad old)");
	expect_err(syscall(SYS_getitimer, 99, bad), EINVAL, "getitimer(bad which, bad ptr)");
	expect_err(syscall(SYS_getitimer, ITIMER_REAL, bad), EFAULT, "getitimer(bad ptr)");
	expect_ok(syscall(SYS_getitimer, ITIMER_REAL, &o), "getitimer");
	ok("setitimer copies the new value first (EFAULT), then checks it and `which` (EINVAL)");
}

static void test_affinity(void *bad)
{
	unsigned long m[16];
	memset(m, 0, sizeof(m));
	long n = expect_ok(syscall(SYS_sched_getaffinity, 0, sizeof(m), m), "getaffinity");
	expect_true(n > 0 && n <= (long)sizeof(m), "getaffinity returns the mask size");
	expect_eq(syscall(SYS_sched_getaffinity, 0, (1ul << 32) | sizeof(m), m), n,
		  "getaffinity length is 32 bits");
	expect_err(syscall(SYS_sched_getaffinity, -1, 4, m), EINVAL, "getaffinity(pid -1, len 4)");
	expect_err(syscall(SYS_sched_getaffinity, 999999, 0, m), EINVAL, "getaffinity(no pid, len 0)");
	expect_err(syscall(SYS_sched_getaffinity, 0, 12, m), EINVAL, "getaffinity(len 12)");
	expect_err(syscall(SYS_sched_getaffinity, -1, sizeof(m), bad), ESRCH, "getaffinity(pid -1, bad)");
	expect_err(syscall(SYS_sched_getaffinity, 0, sizeof(m), bad), EFAULT, "getaffinity(bad mask)");
	ok("sched_getaffinity checks the length (EINVAL), then the pid (ESRCH), then the buffer (EFAULT)");
	unsigned long zero[16];
	memset(zero, 0, sizeof(zero));
	expect_err(syscall(SYS_sched_setaffinity, -1, sizeof(m), bad), EFAULT, "setaffinity(pid -1, bad)");
	expect_err(syscall(SYS_sched_setaffinity, 999999, sizeof(m), bad), EFAULT, "setaffinity(no pid, bad)");
	expect_err(syscall(SYS_sched_setaffinity, -1, sizeof(m), m), ESRCH, "setaffinity(pid -1)");
	expect_err(syscall(SYS_sched_setaffinity, 999999, 0, bad), ESRCH, "setaffinity(no pid, len 0)");
	expect_err(syscall(SYS_sched_setaffinity, 0, 0, bad), EINVAL, "setaffinity(len 0)");
	expect_err(syscall(SYS_sched_setaffinity, 0, sizeof(zero), zero), EINVAL, "setaffinity(empty)");
	expect_ok(syscall(SYS_sched_setaffinity, 0, sizeof(m), m), "setaffinity(own mask)");
	ok("sched_setaffinity copies the mask (EFAULT), then the pid (ESRCH), then an empty set is EINVAL");
}

static void test_groups(void)
{
	expect_err(syscall(SYS_getpgid, -1), ESRCH, "getpgid(-1)");
	expect_err(syscall(SYS_getsid, -1), ESRCH, "getsid(-1)");
	expect_err(syscall(SYS_getpgid, 0x80000000), ESRCH, "getpgid(INT_MIN)");
	expect_err(syscall(SYS_getsid, 999999), ESRCH, "getsid(no such pid)");
	ok("getpgid and getsid of a negative pid are ESRCH");
	expect_err(syscall(SYS_setpgid, -1, 0), EINVAL, "setpgid(-1, 0)");
	expect_err(syscall(SYS_setpgid, -1, 5), ESRCH, "setpgid(-1, 5)");
	expect_err(syscall(SYS_setpgid, 0, -1), EINVAL, "setpgid(0, -1)");
	ok("setpgid(-1, 0) is EINVAL (pgid becomes pid), setpgid(-1, 5) ESRCH");
}

static void test_sched_policy(void)
{
	expect_eq(syscall(SYS_sched_get_priority_max, 7), 0, "priority_max(SCHED_EXT)");
	expect_eq(syscall(SYS_sched_get_priority_min, 7), 0, "priority_min(SCHED_EXT)");
	expect_eq(syscall(SYS_sched_get_priority_max, 6), 0, "priority_max(SCHED_DEADLINE)");
	expect_eq(syscall(SYS_sched_get_priority_min, 6), 0, "priority_min(SCHED_DEADLINE)");
	expect_eq(syscall(SYS_sched_get_priority_max, SCHED_FIFO), 99, "priority_max(SCHED_FIFO)");
	expect_eq(syscall(SYS_sched_get_priority_min, SCHED_RR), 1, "priority_min(SCHED_RR)");
	expect_err(syscall(SYS_sched_get_priority_max, 4), EINVAL, "priority_max(4)");
	expect_err(syscall(SYS_sched_get_priority_min, 8), EINVAL, "priority_min(8)");
	expect_err(syscall(SYS_sched_get_priority_max, -1), EINVAL, "priority_max(-1)");
	ok("sched_get_priority_max/min: 0 for SCHED_DEADLINE and SCHED_EXT, EINVAL for 4 and 8");
}

static void test_futex(void)
{
	static uint32_t word __attribute__((aligned(8)));
	struct timespec badts = { 0, -1 };
	expect_err(syscall(SYS_futex, &word, 99, 0, NULL, NULL, 0), ENOSYS, "futex op 99");
	expect_err(syscall(SYS_futex, (char *)&word + 1, 99, 0, NULL, NULL, 0), ENOSYS,
		   "futex op 99, misaligned");
	expect_err(syscall(SYS_futex, KADDR, 99, 0, NULL, NULL, 0), ENOSYS, "futex op 99, kernel addr");
	expect_err(syscall(SYS_futex, &word, FUTEX_FD, 0, NULL, NULL, 0), ENOSYS, "FUTEX_FD");
	expect_err(syscall(SYS_futex, &word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), ENOSYS,
		   "FUTEX_WAKE with CLOCK_REALTIME");
	ok("futex with an unknown op, or FUTEX_CLOCK_REALTIME on a wake, is ENOSYS");
	expect_err(syscall(SYS_futex, (char *)&word + 1, FUTEX_WAIT, 0, KADDR, NULL, 0), EFAULT,
		   "FUTEX_WAIT misaligned, bad timeout");
	expect_err(syscall(SYS_futex, KADDR, FUTEX_WAIT, 0, &badts, NULL, 0), EINVAL,
		   "FUTEX_WAIT kernel addr, bad timespec");
	expect_err(syscall(SYS_futex, (char *)&word + 1, FUTEX_WAIT, 0, NULL, NULL, 0), EINVAL,
		   "FUTEX_WAIT misaligned");
	expect_err(syscall(SYS_futex, KADDR, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT, "FUTEX_WAKE kernel addr");
	expect_err(syscall(SYS_futex, &word, FUTEX_WAIT_BITSET, 0, NULL, NULL, 0), EINVAL,
		   "FUTEX_WAIT_BITSET bitset 0");
	ok("futex reads the timeout before the address is checked (EFAULT, then EINVAL)");
}

static void test_sigpending(void *bad)
{
	uint64_t set;
	expect_eq(syscall(SYS_rt_sigpending, KADDR, 0), 0, "rt_sigpending(kernel addr, 0)");
	expect_eq(syscall(SYS_rt_sigpending, NULL, 0), 0, "rt_sigpending(NULL, 0)");
	expect_eq(syscall(SYS_rt_sigpending, &set, 4), 0, "rt_sigpending(size 4)");
	expect_err(syscall(SYS_rt_sigpending, KADDR, 8), EFAULT, "rt_sigpending(kernel addr, 8)");
	expect_err(syscall(SYS_rt_sigpending, bad, 8), EFAULT, "rt_sigpending(bad, 8)");
	expect_err(syscall(SYS_rt_sigpending, KADDR, 9), EINVAL, "rt_sigpending(kernel addr, 9)");
	ok("rt_sigpending copies sigsetsize bytes: 0 bytes anywhere succeeds, over 8 is EINVAL");
	expect_err(syscall(SYS_rt_sigprocmask, SIG_BLOCK, KADDR, NULL, 4), EINVAL, "sigprocmask size 4");
	expect_err(syscall(SYS_rt_sigprocmask, SIG_BLOCK, KADDR, NULL, 8), EFAULT, "sigprocmask bad set");
	ok("rt_sigprocmask checks the set size before the set");
}

static void test_kill(void *bad)
{
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	expect_err(syscall(SYS_kill, 999999, 99), ESRCH, "kill(no such pid, 99)");
	expect_err(syscall(SYS_kill, getpid(), 99), EINVAL, "kill(self, 99)");
	expect_err(syscall(SYS_kill, 0, 99), EINVAL, "kill(own group, 99)");
	expect_err(syscall(SYS_kill, -999999, 99), ESRCH, "kill(no such group, 99)");
	expect_err(syscall(SYS_tkill, 999999, 99), ESRCH, "tkill(no such tid, 99)");
	expect_err(syscall(SYS_tgkill, 999999, 999999, 99), ESRCH, "tgkill(no such tid, 99)");
	expect_err(syscall(SYS_tgkill, 0, 999999, 99), EINVAL, "tgkill(tgid 0)");
	expect_err(syscall(SYS_rt_sigqueueinfo, 999999, 99, &si), ESRCH, "rt_sigqueueinfo(no pid, 99)");
	expect_err(syscall(SYS_rt_tgsigqueueinfo, -1, -1, SIGUSR1, bad), EFAULT,
		   "rt_tgsigqueueinfo(bad ids, bad info)");
	ok("kill and friends find the target (ESRCH) before they check the signal number (EINVAL)");
}

static void test_sleep_poll(void *bad)
{
	struct timespec zero = { 0, 0 };
	expect_err(syscall(SYS_clock_nanosleep, 99, 0, &zero, NULL), EINVAL, "clock_nanosleep(clock 99)");
	expect_err(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, bad, NULL), EOPNOTSUPP,
		   "clock_nanosleep(thread CPU clock, bad)");
	expect_err(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, &zero, NULL), EOPNOTSUPP,
		   "clock_nanosleep(CLOCK_MONOTONIC_RAW)");
	expect_err(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, bad, NULL), EFAULT,
		   "clock_nanosleep(bad request)");
	expect_eq(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 99, &zero, NULL), 0,
		  "clock_nanosleep(unknown flags)");
	ok("clock_nanosleep: an unknown clock EINVAL, a clock that cannot sleep EOPNOTSUPP, unknown flags ignored");
	expect_err(syscall(SYS_poll, KADDR, 0, 0), EFAULT, "poll(kernel addr, 0)");
	expect_eq(syscall(SYS_poll, NULL, 0, 0), 0, "poll(NULL, 0)");
	ok("poll checks the whole array before writing it back: a kernel address is EFAULT even for 0 fds");
}

int main(void)
{
	void *bad = unmapped_page();
	test_waitid(bad);
	test_rlimit(bad);
	test_itimer(bad);
	test_affinity(bad);
	test_groups();
	test_sched_policy();
	test_futex();
	test_sigpending(bad);
	test_kill(bad);
	test_sleep_poll(bad);
	return 0;
}
