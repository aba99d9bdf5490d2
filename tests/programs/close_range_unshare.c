/* tests/programs/close_range_unshare.c — CLOSE_RANGE_UNSHARE and unshare(CLONE_FILES): a thread
 * that closes or marks descriptors in a table of its own leaves its siblings' open and working,
 * its new descriptors are its own, a fork from it inherits its table; unshare's flag rules. */
#include "check.h"
#include <poll.h>
#include <pthread.h>
#include <sched.h>

#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#define CR_UNSHARE (1U << 1)
#define CR_CLOEXEC (1U << 2)

static int is_open(int fd) { return fcntl(fd, F_GETFD) != -1; }

static int pfd[2], keep, mine;
static int result;

static void *closer(void *arg)
{
	(void)arg;
	if (syscall(SYS_close_range, pfd[0], pfd[1], CR_UNSHARE) != 0)
		return (void *)1;
	if (is_open(pfd[0]) || is_open(pfd[1]))
		return (void *)2;	/* closed in the thread's own table */
	if (!is_open(keep))
		return (void *)3;	/* the rest of the copy is intact */
	return NULL;
}

static void *marker(void *arg)
{
	(void)arg;
	if (syscall(SYS_close_range, keep, keep, CR_UNSHARE | CR_CLOEXEC) != 0)
		return (void *)1;
	return fcntl(keep, F_GETFD) == FD_CLOEXEC ? NULL : (void *)2;
}

static void *own_table(void *arg)
{
	(void)arg;
	if (syscall(SYS_unshare, CLONE_FILES) != 0)
		return (void *)1;
	mine = open("/dev/null", O_RDONLY);
	if (mine < 0)
		return (void *)2;
	close(keep);	/* only in this thread's table */
	return NULL;
}

static void *multi_unshare(void *arg)
{
	(void)arg;
	errno = 0;
	long a = syscall(SYS_unshare, CLONE_THREAD);
	int ea = errno;
	errno = 0;
	long b = syscall(SYS_unshare, CLONE_VM);
	int eb = errno;
	result = a == -1 && ea == EINVAL && b == -1 && eb == EINVAL;
	return NULL;
}

/* Unshares, closes the pipe's write end in its own table, then forks: the child holds only what
 * the thread's table holds, so the parent sees EOF once it closes its own write end. */
static void *forker(void *arg)
{
	int *q = arg;
	if (syscall(SYS_unshare, CLONE_FILES) != 0)
		return (void *)1;
	close(pfd[1]);
	pid_t c = xfork();
	if (c == 0) {
		char b;
		int ok_ = !is_open(pfd[1]) && is_open(pfd[0]);
		close(q[1]);
		read(q[0], &b, 1);	/* hold on until the parent has looked for EOF */
		_exit(ok_ ? 0 : 1);
	}
	return (void *)(long)c;
}

static void run(void *(*fn)(void *), void *arg, void **ret, const char *what)
{
	pthread_t t;
	if (pthread_create(&t, NULL, fn, arg))
		fail("%s: pthread_create", what);
	pthread_join(t, ret);
}

int main(void)
{
	void *ret;
	xpipe(pfd);
	keep = expect_ok(open("/dev/null", O_RDONLY), "open keep");
	run(closer, NULL, &ret, "closer");
	expect_eq((long)ret, 0, "thread's view after close_range UNSHARE");
	expect_true(is_open(pfd[0]) && is_open(pfd[1]), "still open in the main thread");
	expect_eq(write(pfd[1], "x", 1), 1, "write to the pipe");
	char b;
	expect_eq(read(pfd[0], &b, 1), 1, "read from the pipe");
	ok("close_range with CLOSE_RANGE_UNSHARE in a thread closes only in its own table");

	run(marker, NULL, &ret, "marker");
	expect_eq((long)ret, 0, "thread's view after CLOEXEC|UNSHARE");
	expect_eq(fcntl(keep, F_GETFD), 0, "main thread's flag unchanged");
	ok("CLOSE_RANGE_CLOEXEC|CLOSE_RANGE_UNSHARE marks only the thread's copy");

	run(own_table, NULL, &ret, "own_table");
	expect_eq((long)ret, 0, "unshare(CLONE_FILES) in a thread");
	expect_true(is_open(keep), "closed only in the thread's table");
	int probe = expect_ok(open("/dev/null", O_RDONLY), "open probe");
	expect_eq(probe, mine, "the thread's new fd number is free here");
	close(probe);
	ok("after unshare(CLONE_FILES) a thread's opens and closes are its own");

	int q[2];
	xpipe(q);
	run(forker, q, &ret, "forker");
	pid_t c = (pid_t)(long)ret;
	expect_true(c > 0, "fork from the thread");
	close(q[0]);
	close(pfd[1]);
	struct pollfd pp = { pfd[0], POLLIN, 0 };
	expect_eq(poll(&pp, 1, 5000), 1, "pipe readable");
	expect_eq(read(pfd[0], &b, 1), 0, "EOF: no other write end");
	close(q[1]);
	int ws;
	expect_eq(waitpid(c, &ws, 0), c, "waitpid");
	expect_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "child has the thread's table");
	ok("a fork from a thread with its own table inherits that table only");

	run(multi_unshare, NULL, &ret, "multi_unshare");
	expect_true(result, "CLONE_THREAD and CLONE_VM with two threads are EINVAL");
	expect_ok(syscall(SYS_unshare, 0), "unshare(0)");
	expect_ok(syscall(SYS_unshare, CLONE_FILES), "single-threaded CLONE_FILES");
	expect_ok(syscall(SYS_unshare, CLONE_FS), "CLONE_FS");
	expect_ok(syscall(SYS_unshare, CLONE_SYSVSEM), "CLONE_SYSVSEM");
	expect_ok(syscall(SYS_unshare, CLONE_THREAD | CLONE_SIGHAND | CLONE_VM), "single-threaded VM");
	expect_err(syscall(SYS_unshare, CLONE_VFORK), EINVAL, "CLONE_VFORK");
	expect_err(syscall(SYS_unshare, CLONE_PARENT), EINVAL, "CLONE_PARENT");
	expect_err(syscall(SYS_unshare, 17 /* SIGCHLD */), EINVAL, "a signal number");
	ok("unshare: CLONE_THREAD/VM EINVAL with threads, fine alone; unknown flags EINVAL");
	return 0;
}
