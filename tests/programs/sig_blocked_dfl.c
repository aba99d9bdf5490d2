/* tests/programs/sig_blocked_dfl.c — a blocked signal is never ignored (Linux's sig_ignored):
 * SIGCHLD at its default action, and in init (pid 1, as this test is natively in its pid
 * namespace and under cella) any signal at its default action, stays pending while blocked and
 * sigtimedwait takes it, whether it comes from the kernel or from another process. */
#include "check.h"
#include <signal.h>
#include <time.h>

static int wait_for(int sig)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	struct timespec ts = { 5, 0 };
	siginfo_t si;
	return sigtimedwait(&set, &si, &ts);
}

int main(void)
{
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGUSR1);
	expect_ok(sigprocmask(SIG_BLOCK, &block, NULL), "block SIGCHLD and SIGUSR1");

	pid_t c = xfork();
	if (c == 0)
		_exit(0);
	expect_eq(wait_for(SIGCHLD), SIGCHLD, "sigtimedwait for a child's SIGCHLD");
	reap(c, "the child");
	ok("a blocked SIGCHLD at its default action stays pending for sigtimedwait");

	c = xfork();
	if (c == 0)
		_exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
	expect_eq(wait_for(SIGUSR1), SIGUSR1, "sigtimedwait for SIGUSR1 from another process");
	expect_exit(c, 0, "the sender");
	ok("a blocked SIGUSR1 at its default action sent by another process stays pending for %s",
	   getpid() == 1 ? "sigtimedwait (init)" : "sigtimedwait");
	return 0;
}
