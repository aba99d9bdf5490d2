/* tests/programs/pidfd.c — pidfd_open (close-on-exec, PIDFD_NONBLOCK, PIDFD_THREAD, EINVAL and
 * ESRCH), pidfd_send_signal (a child killed through it, signal 0, zombies, ESRCH once reaped,
 * siginfo rules, flags) and pidfd_getfd on the caller's own descriptors. */
#include "check.h"
#include <pthread.h>
#include <signal.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#define PIDFD_THREAD_ O_EXCL

static long p_open(int pid, unsigned flags) { return syscall(SYS_pidfd_open, pid, flags); }
static long p_send(int fd, int sig, void *info, unsigned flags)
{
	return syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}

static pid_t child_pausing(void)
{
	pid_t c = xfork();
	if (c == 0) {
		for (;;)
			pause();
	}
	return c;
}

static volatile int thread_tid;
static volatile int thread_stop;

static void *spin(void *arg)
{
	(void)arg;
	thread_tid = (int)syscall(SYS_gettid);
	while (!thread_stop)
		usleep(1000);
	return NULL;
}

int main(void)
{
	pid_t c = child_pausing();
	int pfd = expect_ok(p_open(c, 0), "pidfd_open child");
	expect_eq(fcntl(pfd, F_GETFD), FD_CLOEXEC, "pidfd is close-on-exec");
	expect_eq(fcntl(pfd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR, "pidfd is O_RDWR");
	int nb = expect_ok(p_open(c, O_NONBLOCK), "pidfd_open PIDFD_NONBLOCK");
	expect_eq(fcntl(nb, F_GETFL) & O_NONBLOCK, O_NONBLOCK, "PIDFD_NONBLOCK");
	close(nb);
	ok("pidfd_open gives an O_RDWR close-on-exec descriptor, O_NONBLOCK with PIDFD_NONBLOCK");

	expect_err(p_open(0, 0), EINVAL, "pid 0");
	expect_err(p_open(-1, 0), EINVAL, "pid -1");
	expect_err(p_open(c, 1), EINVAL, "unknown flag");
	expect_err(p_open(-1, 1), EINVAL, "flags first");
	expect_err(p_open(30000, 0), ESRCH, "no such pid");
	ok("pidfd_open: a pid <= 0 or unknown flags EINVAL, a pid not in use ESRCH");

	pthread_t th;
	if (pthread_create(&th, NULL, spin, NULL))
		fail("pthread_create");
	while (!thread_tid)
		usleep(1000);
	expect_err(p_open(thread_tid, 0), ENOENT, "a thread without PIDFD_THREAD");
	int tfd = expect_ok(p_open(thread_tid, PIDFD_THREAD_), "PIDFD_THREAD");
	expect_ok(p_send(tfd, 0, NULL, 0), "signal 0 to the thread");
	close(tfd);
	thread_stop = 1;
	pthread_join(th, NULL);
	ok("a thread's tid needs PIDFD_THREAD (ENOENT without it)");

	expect_ok(p_send(pfd, 0, NULL, 0), "signal 0");
	expect_err(p_send(pfd, 0, NULL, 8), EINVAL, "unknown flag");
	expect_err(p_send(pfd, 0, NULL, 3), EINVAL, "two scopes");
	expect_err(p_send(9999, 0, NULL, 0), EBADF, "closed fd");
	int devnull = expect_ok(open("/dev/null", O_RDONLY), "open /dev/null");
	expect_err(p_send(devnull, 0, NULL, 0), EBADF, "not a pidfd");
	expect_err(p_send(pfd, 100, NULL, 0), EINVAL, "signal 100");
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	expect_err(p_send(pfd, SIGUSR2, &si, 0), EINVAL, "si_signo differs");
	si.si_code = SI_USER;
	expect_err(p_send(pfd, SIGUSR1, &si, 0), EPERM, "forged SI_USER to another process");
	expect_err(p_send(pfd, SIGUSR1, (void *)8, 0), EFAULT, "bad siginfo");
	ok("pidfd_send_signal: flags EINVAL, a non-pidfd EBADF, a bad signal EINVAL, forged siginfo EPERM");

	expect_ok(p_send(pfd, SIGTERM, NULL, 0), "SIGTERM");
	int ws;
	expect_eq(waitpid(c, &ws, 0), c, "waitpid");
	expect_true(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGTERM, "killed by SIGTERM");
	ok("pidfd_send_signal delivers to the pidfd's process");
	expect_err(p_send(pfd, 0, NULL, 0), ESRCH, "reaped");
	expect_err(p_send(pfd, 100, NULL, 0), ESRCH, "reaped before the signal check");
	expect_err(syscall(SYS_pidfd_getfd, pfd, 0, 0), ESRCH, "getfd of a reaped process");
	ok("once the process is reaped its pidfd answers ESRCH");
	close(pfd);

	pid_t z = xfork();
	if (z == 0)
		_exit(3);
	int zfd = expect_ok(p_open(z, 0), "pidfd_open");
	siginfo_t wi;
	memset(&wi, 0, sizeof wi);
	expect_ok(waitid(P_PID, z, &wi, WEXITED | WNOWAIT), "wait for the zombie");
	expect_ok(p_send(zfd, SIGTERM, NULL, 0), "SIGTERM to a zombie");
	int z2 = expect_ok(p_open(z, 0), "pidfd_open of a zombie");
	expect_err(syscall(SYS_pidfd_getfd, zfd, 0, 0), ESRCH, "pidfd_getfd of a zombie");
	expect_eq(waitpid(z, &ws, 0), z, "reap");
	expect_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 3, "exit status kept");
	close(z2);
	close(zfd);
	ok("a zombie takes signals without error and can still be opened; pidfd_getfd on it is ESRCH");

	int me = expect_ok(p_open(getpid(), 0), "pidfd of self");
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	memset(&si, 0, sizeof si);
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	si.si_value.sival_int = 42;
	expect_ok(p_send(me, SIGUSR1, &si, 0), "siginfo to itself");
	siginfo_t got;
	expect_eq(sigwaitinfo(&set, &got), SIGUSR1, "sigwaitinfo");
	expect_eq(got.si_code, SI_QUEUE, "si_code kept");
	expect_eq(got.si_value.sival_int, 42, "si_value kept");
	ok("a process may send itself any siginfo through its own pidfd");

	const char *path = scratch_file("g", "0123456789", 0644);
	int g = expect_ok(open(path, O_RDONLY), "open g");
	int dup = expect_ok(syscall(SYS_pidfd_getfd, me, g, 0), "pidfd_getfd own");
	expect_true(dup != g, "a new descriptor");
	expect_eq(fcntl(dup, F_GETFD), FD_CLOEXEC, "FD_CLOEXEC");
	expect_eq(lseek(g, 4, SEEK_SET), 4, "seek the original");
	expect_eq(lseek(dup, 0, SEEK_CUR), 4, "offset shared");
	ok("pidfd_getfd on the caller's own fd gives a close-on-exec descriptor of the same file");
	expect_err(syscall(SYS_pidfd_getfd, me, g, 1), EINVAL, "flags");
	expect_err(syscall(SYS_pidfd_getfd, me, 9999, 0), EBADF, "target fd not open");
	expect_err(syscall(SYS_pidfd_getfd, devnull, g, 0), EBADF, "not a pidfd");
	expect_err(syscall(SYS_pidfd_getfd, 9999, g, 1), EINVAL, "flags before the pidfd");
	ok("pidfd_getfd: flags EINVAL, a closed target fd or a non-pidfd EBADF");
	return 0;
}
