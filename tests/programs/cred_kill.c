/* tests/programs/cred_kill.c — who may signal whom, as Linux's rule: the sender's real or
 * effective uid equal to the target's real or saved uid, or CAP_KILL; SIGCONT within the session
 * always; signal 0 checked the same; kill of a group or of -1 with Linux's answers; si_uid is the
 * sender's real uid. */
#include "check.h"
#include <signal.h>

/* A child with uids r/e/s that waits until its pipe closes. */
static pid_t target(unsigned r, unsigned e, unsigned s, int *release)
{
	int ready[2], hold[2];
	xpipe(ready);
	xpipe(hold);
	pid_t p = xfork();
	if (p == 0) {
		close(ready[0]);
		close(hold[1]);
		signal(SIGCONT, SIG_IGN);
		setpgid(0, 0);	/* a group of its own */
		if (syscall(SYS_setresuid, r, e, s))
			fail("target setresuid: %s", errname(errno));
		char b = 1;
		write(ready[1], &b, 1);
		read(hold[0], &b, 1);
		exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	char b;
	read_full(ready[0], &b, 1, "target ready");
	close(ready[0]);
	*release = hold[1];
	return p;
}

/* Runs fn in a child with uids r/e/s; fn's checks decide its exit status. */
static void as(unsigned r, unsigned e, unsigned s, void (*fn)(pid_t), pid_t t, const char *what)
{
	pid_t p = xfork();
	if (p == 0) {
		if (syscall(SYS_setresuid, r, e, s))
			fail("sender setresuid: %s", errname(errno));
		fn(t);
		exit(0);
	}
	expect_exit(p, 0, what);
}

static void refused(pid_t t)
{
	expect_err(kill(t, 0), EPERM, "signal 0 to another user's process");
	expect_err(kill(t, SIGUSR1), EPERM, "SIGUSR1 to another user's process");
	expect_err(syscall(SYS_tgkill, t, t, SIGUSR1), EPERM, "tgkill to another user's process");
	expect_err(syscall(SYS_tkill, t, 0), EPERM, "tkill 0 to another user's process");
	expect_ok(kill(t, SIGCONT), "SIGCONT within the session");
	expect_err(kill(-t, 0), EPERM, "kill of a group none of which it may signal");
	expect_err(kill(99999 % 32768, 0), ESRCH, "ESRCH before EPERM for no process");
}

static void refused0(pid_t t)
{
	expect_err(kill(t, 0), EPERM, "signal 0");
}

static void allowed(pid_t t)
{
	expect_ok(kill(t, 0), "signal 0");
	expect_ok(kill(t, SIGCONT), "SIGCONT");
}

static void kill_all(pid_t t)
{
	(void)t;
	expect_ok(kill(-1, 0), "kill(-1, 0) where every target refuses");
}

int main(void)
{
	int rel;
	pid_t t = target(1000, 1000, 1000, &rel);
	as(2000, 2000, 2000, refused, t, "uid 2000 to uid 1000");
	ok("another user's process: EPERM for signal 0, kill, tgkill, tkill, its group; SIGCONT passes in the session");
	as(2000, 1000, 2000, allowed, t, "effective uid 1000");
	as(1000, 2000, 2000, allowed, t, "real uid 1000");
	ok("the sender's real or effective uid matching the target's real uid");
	as(2000, 2000, 2000, kill_all, t, "kill(-1)");
	ok("kill(-1) succeeds when every target refuses (Linux counts them)");
	close(rel);
	expect_exit(t, 0, "target");

	t = target(3000, 3000, 1000, &rel);
	as(1000, 1000, 1000, allowed, t, "to a saved uid 1000");
	as(2000, 2000, 3000, refused0, t, "the sender's saved uid does not count");
	close(rel);
	expect_exit(t, 0, "target 2");
	ok("the target's saved uid counts, the sender's does not");

	t = target(1000, 1000, 1000, &rel);
	expect_ok(kill(t, 0), "root has CAP_KILL");
	close(rel);
	expect_exit(t, 0, "target 3");
	ok("CAP_KILL reaches every process");

	/* The receiver is not init: Linux's init takes no signal whose action is the default. */
	pid_t recv = xfork();
	if (recv == 0) {
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
		pid_t c = xfork();
		if (c == 0) {
			if (syscall(SYS_setresuid, 1234, 0, 0))
				fail("setresuid: %s", errname(errno));
			kill(getppid(), SIGUSR1);
			exit(0);
		}
		siginfo_t si;
		expect_eq(sigwaitinfo(&set, &si), SIGUSR1, "sigwaitinfo");
		expect_eq(si.si_uid, 1234, "si_uid");
		expect_eq(si.si_pid, c, "si_pid");
		expect_exit(c, 0, "sender");
		exit(0);
	}
	expect_exit(recv, 0, "receiver");
	ok("si_uid is the sender's real uid");
	return 0;
}
