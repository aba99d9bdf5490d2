/* tests/programs/kill_groups.c — signals between processes and process groups as Linux has them:
 * kill, tgkill and sigqueue to a child with the sender's siginfo, kill's errors and zombies,
 * getpgid/getsid/getpgrp, setpgid and setsid with their EPERM/ESRCH/EACCES rules, kill(-pgid) and
 * kill(0) reaching exactly one group, and SIGKILL's status. Children report through pipes. */
#include "check.h"
#include <signal.h>
#include <sys/wait.h>

/* Forked children run the same checks but must leave with _exit: exit() would run the parent's
 * atexit handlers and flush stdio twice. */
static int is_child;
#undef fail
#define fail(...) do { fflush(stdout); fprintf(stderr, "FAIL %s:%d%s: ", __FILE__, __LINE__, \
	is_child ? " (in a child)" : ""); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); \
	(is_child ? _exit : exit)(is_child ? 99 : 1); } while (0)

static const char *argv0;

/* xfork, and the child knows it is one (its failures must _exit). */
static pid_t child_fork(void)
{
	pid_t p = xfork();
	if (p == 0)
		is_child = 1;
	return p;
}

static void write_byte(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		fail("write to a pipe: %s", errname(errno));
}

static void wait_eof(int fd)
{
	char b;
	ssize_t r;
	while ((r = read(fd, &b, 1)) != 0)
		if (r < 0 && errno != EINTR)
			break;
}

/* A pid that no process has: one just reaped. */
static pid_t gone_pid(void)
{
	pid_t c = child_fork();
	if (c == 0)
		_exit(0);
	expect_exit(c, 0, "a short-lived child");
	return c;
}

/* ---- listeners: children whose handlers report each signal as a record on a shared pipe ---- */

struct rec { int who, sig, pid, code, value, uid; };
static int rep_fd = -1;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	int e = errno;
	struct rec r = { getpid(), sig, si->si_pid, si->si_code, si->si_value.sival_int, (int)si->si_uid };
	(void)!write(rep_fd, &r, sizeof r);
	errno = e;
}

static int test_sigs[3];

/* The parent keeps the test signals blocked: a child starts with them blocked and holds any
 * that come early until its handlers are in place, and a stray one to the parent stays pending. */
static void block_test_signals(void)
{
	test_sigs[0] = SIGUSR1;
	test_sigs[1] = SIGUSR2;
	test_sigs[2] = SIGRTMIN;
	sigset_t s;
	sigemptyset(&s);
	for (int i = 0; i < 3; i++)
		sigaddset(&s, test_sigs[i]);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

static void expect_not_pending(const char *what)
{
	sigset_t p;
	sigpending(&p);
	for (int i = 0; i < 3; i++)
		if (sigismember(&p, test_sigs[i]))
			fail("%s: signal %d reached this process", what, test_sigs[i]);
}

struct listener { pid_t pid; int cmd; };

/* Commands on the listener's pipe: 'k' sends SIGUSR2 to its own group with kill(0), 'q' quits. */
static struct listener listener(int rep[2])
{
	int cmd[2], ready[2];
	xpipe(cmd);
	xpipe(ready);
	pid_t c = child_fork();
	if (c == 0) {
		close(cmd[1]);
		close(ready[0]);
		close(rep[0]);
		rep_fd = rep[1];
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_sig;
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sigset_t s;
		sigemptyset(&s);
		for (int i = 0; i < 3; i++) {
			sigaction(test_sigs[i], &sa, NULL);
			sigaddset(&s, test_sigs[i]);
		}
		sigprocmask(SIG_UNBLOCK, &s, NULL);
		write_byte(ready[1], 'r');
		close(ready[1]);
		for (;;) {
			char b;
			ssize_t n = read(cmd[0], &b, 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0 || b == 'q')
				_exit(0);
			if (b == 'k' && kill(0, SIGUSR2))
				fail("kill(0, SIGUSR2): %s", errname(errno));
		}
	}
	close(cmd[0]);
	close(ready[1]);
	char b;
	read_full(ready[0], &b, 1, "the listener's ready byte");
	close(ready[0]);
	return (struct listener){ c, cmd[1] };
}

static void listener_quit(struct listener l)
{
	write_byte(l.cmd, 'q');
	close(l.cmd);
	expect_exit(l.pid, 0, "a listener");
}

static void expect_rec(const struct rec *r, pid_t who, int sig, pid_t from, int code, const char *what)
{
	if (r->who != who || r->sig != sig || r->pid != from || r->code != code || r->uid != (int)getuid())
		fail("%s: process %d got signal %d from %d code %d uid %d; expected %d got %d from %d code %d",
		     what, r->who, r->sig, r->pid, r->code, r->uid, (int)who, sig, (int)from, code);
}

/* Reads one record per listener in `who` (any order) and checks each. */
static void expect_group_recs(int fd, const pid_t *who, int n, int sig, pid_t from, const char *what)
{
	int seen = 0;
	for (int i = 0; i < n; i++) {
		struct rec r;
		read_full(fd, &r, sizeof r, what);
		int k;
		for (k = 0; k < n && who[k] != r.who; k++)
			;
		if (k == n || (seen & (1 << k)))
			fail("%s: unexpected delivery to process %d", what, r.who);
		seen |= 1 << k;
		expect_rec(&r, r.who, sig, from, SI_USER, what);
	}
}

/* No listener writes any more and no record is left: nothing was delivered twice or late. */
static void expect_no_more_recs(int rep[2])
{
	struct rec r;
	ssize_t n = read(rep[0], &r, sizeof r);
	if (n != 0)
		fail("an extra delivery: %zd bytes, process %d signal %d", n, n > 0 ? r.who : 0, n > 0 ? r.sig : 0);
	close(rep[0]);
}

static void to_one_child(void)
{
	int rep[2];
	xpipe(rep);
	struct listener l = listener(rep);
	close(rep[1]);
	pid_t me = getpid();
	struct rec r;
	expect_ok(kill(l.pid, SIGUSR1), "kill(child, SIGUSR1)");
	read_full(rep[0], &r, sizeof r, "the child's report");
	expect_rec(&r, l.pid, SIGUSR1, me, SI_USER, "kill(child, SIGUSR1)");
	ok("kill(child, SIGUSR1) reaches its SA_SIGINFO handler with si_pid of the sender and SI_USER");

	expect_ok(syscall(SYS_tgkill, l.pid, l.pid, SIGUSR2), "tgkill(child, child, SIGUSR2)");
	read_full(rep[0], &r, sizeof r, "the child's report");
	expect_rec(&r, l.pid, SIGUSR2, me, SI_TKILL, "tgkill(child, child, SIGUSR2)");
	expect_err(syscall(SYS_tgkill, l.pid, me, SIGUSR2), ESRCH, "tgkill with a tid outside the group");
	ok("tgkill(child, child, SIGUSR2) reaches the child with SI_TKILL; a tid outside tgid is ESRCH");

	union sigval v = { .sival_int = 4242 };
	expect_ok(sigqueue(l.pid, SIGRTMIN, v), "sigqueue(child, SIGRTMIN)");
	read_full(rep[0], &r, sizeof r, "the child's report");
	expect_rec(&r, l.pid, SIGRTMIN, me, SI_QUEUE, "sigqueue(child, SIGRTMIN)");
	expect_eq(r.value, 4242, "si_value from sigqueue");
	ok("sigqueue(child, SIGRTMIN, value) delivers si_value with SI_QUEUE");

	expect_err(kill(l.pid, 65), EINVAL, "kill(child, 65)");
	expect_err(kill(l.pid, -1), EINVAL, "kill(child, -1)");
	expect_err(kill(me, 1000), EINVAL, "kill(self, 1000)");
	expect_err(syscall(SYS_tgkill, l.pid, l.pid, 65), EINVAL, "tgkill(child, child, 65)");
	ok("kill and tgkill with an invalid signal are EINVAL");

	pid_t pid = l.pid;
	listener_quit(l);
	expect_no_more_recs(rep);
	expect_err(kill(pid, SIGUSR1), ESRCH, "kill of a reaped child");
	expect_err(kill(pid, 0), ESRCH, "kill(reaped child, 0)");
	expect_err(kill(-pid, 0), ESRCH, "kill(-pgid of no group, 0)");
	expect_err(syscall(SYS_tgkill, pid, pid, SIGUSR1), ESRCH, "tgkill of a reaped child");
	ok("kill and tgkill of a pid no process has are ESRCH");

	pid_t z = child_fork();
	if (z == 0)
		_exit(0);
	siginfo_t si;
	expect_eq(waitid(P_PID, z, &si, WEXITED | WNOWAIT), 0, "waitid(WNOWAIT) for the zombie");
	expect_eq(kill(z, 0), 0, "kill(zombie, 0)");
	expect_eq(kill(z, SIGUSR1), 0, "kill(zombie, SIGUSR1)");
	expect_exit(z, 0, "the zombie");
	expect_err(kill(z, 0), ESRCH, "kill(reaped zombie, 0)");
	ok("a zombie can still be signalled (kill gives 0) until it is reaped, then ESRCH");

	int gate[2];
	xpipe(gate);
	pid_t c = child_fork();
	if (c == 0) {
		close(gate[1]);
		wait_eof(gate[0]);
		_exit(98);
	}
	close(gate[0]);
	expect_ok(kill(c, SIGKILL), "kill(child, SIGKILL)");
	int st = reap(c, "the child killed by SIGKILL");
	close(gate[1]);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
		fail("child killed by SIGKILL: status %#x", st);
	ok("a child killed by SIGKILL from its parent has WTERMSIG 9");
}

/* A child that waits for one byte on `go`, reports its pgrp and sid on `rep`, then waits for EOF. */
static pid_t prober(int go[2], int rep[2])
{
	pid_t c = child_fork();
	if (c == 0) {
		close(go[1]);
		close(rep[0]);
		char b;
		read_full(go[0], &b, 1, "go");
		pid_t ids[3] = { getpgrp(), getpgid(0), getsid(0) };
		if (write(rep[1], ids, sizeof ids) != sizeof ids)
			fail("report: %s", errname(errno));
		wait_eof(go[0]);
		_exit(0);
	}
	return c;
}

static void ids_and_setpgid(void)
{
	pid_t pg = getpgrp(), sid = getsid(0);
	expect_eq(getpgid(0), pg, "getpgid(0) against getpgrp()");
	expect_eq(getpgid(getpid()), pg, "getpgid(getpid())");
	expect_eq(getsid(getpid()), sid, "getsid(getpid())");
	pid_t gone = gone_pid();
	expect_err(getpgid(gone), ESRCH, "getpgid of no process");
	expect_err(getsid(gone), ESRCH, "getsid of no process");
	ok("getpgrp, getpgid and getsid agree for 0 and our pid; ESRCH for a pid no process has");

	int go[2], rep[2];
	xpipe(go);
	xpipe(rep);
	pid_t c = prober(go, rep);
	close(rep[1]);
	expect_eq(getpgid(c), pg, "getpgid(child) before setpgid");
	expect_eq(getsid(c), sid, "getsid(child)");
	expect_ok(setpgid(c, c), "setpgid(child, child)");
	expect_eq(getpgid(c), c, "getpgid(child) after setpgid(child, child)");
	expect_ok(setpgid(c, 0), "setpgid(child, 0) when it already leads its group");
	expect_eq(getpgrp(), pg, "our own group after moving the child");
	write_byte(go[1], 'g');
	pid_t ids[3];
	read_full(rep[0], ids, sizeof ids, "the child's ids");
	expect_eq(ids[0], c, "the child's getpgrp after setpgid(child, child)");
	expect_eq(ids[1], c, "the child's getpgid(0)");
	expect_eq(ids[2], sid, "the child's session");
	close(go[1]);
	close(rep[0]);
	expect_exit(c, 0, "the child moved to its own group");
	ok("a child inherits group and session; setpgid(child, child) makes it a group leader, seen by both");

	/* After the child execs, its parent may no longer move it. */
	int gate[2], rdy[2];
	xpipe(gate);
	xpipe(rdy);
	c = child_fork();
	if (c == 0) {
		dup2(gate[0], 0);
		dup2(rdy[1], 1);
		close(gate[0]);
		close(gate[1]);
		close(rdy[0]);
		close(rdy[1]);
		char *av[] = { (char *)argv0, "wait-stdin", NULL };
		execv("/proc/self/exe", av);
		fail("execv(/proc/self/exe): %s", errname(errno));
	}
	close(gate[0]);
	close(rdy[1]);
	char b;
	read_full(rdy[0], &b, 1, "the exec'd child's ready byte");
	expect_err(setpgid(c, c), EACCES, "setpgid of a child that has exec'd");
	close(gate[1]);
	close(rdy[0]);
	expect_exit(c, 0, "the exec'd child");
	ok("setpgid of a child that has called execve is EACCES");
}

/* Runs in a fresh child of the test, so the session it creates is its own whatever the test's is. */
static void sessions(void)
{
	pid_t me = getpid(), gone = gone_pid();
	expect_true(getpgrp() != me, "a fresh child is not a group leader");
	expect_err(setpgid(0, gone), EPERM, "setpgid(0, a group that does not exist)");
	expect_err(setpgid(0, -1), EINVAL, "setpgid(0, -1)");
	expect_err(setpgid(getppid(), 0), ESRCH, "setpgid of our parent");
	expect_err(setpgid(gone, 0), ESRCH, "setpgid of no process");
	ok("setpgid: EPERM to join a group that does not exist, ESRCH for neither self nor a child");

	expect_eq(setsid(), me, "setsid in a child that is not a group leader");
	expect_eq(getsid(0), me, "getsid(0) after setsid");
	expect_eq(getpgid(0), me, "getpgid(0) after setsid");
	expect_eq(getpgrp(), me, "getpgrp() after setsid");
	expect_err(setsid(), EPERM, "setsid in a session leader");
	expect_err(setpgid(0, 0), EPERM, "setpgid of a session leader");
	ok("setsid in a non-leader makes it session and group leader; setsid and setpgid there are EPERM");

	int rep[2];
	xpipe(rep);
	struct listener d1 = listener(rep), d2 = listener(rep);
	close(rep[1]);
	expect_eq(getpgid(d1.pid), me, "a new child's group");
	expect_eq(getsid(d1.pid), me, "a new child's session");
	expect_ok(setpgid(d1.pid, d1.pid), "setpgid(d1, d1)");
	expect_ok(setpgid(d2.pid, d1.pid), "setpgid(d2, d1)");
	expect_eq(getpgid(d1.pid), d1.pid, "d1's group");
	expect_eq(getpgid(d2.pid), d1.pid, "d2's group");
	pid_t both[2] = { d1.pid, d2.pid };
	expect_ok(kill(-d1.pid, SIGUSR1), "kill(-pgid, SIGUSR1)");
	expect_group_recs(rep[0], both, 2, SIGUSR1, me, "kill(-pgid, SIGUSR1)");
	expect_not_pending("kill(-pgid) of another group");
	ok("kill(-pgid, SIGUSR1) reaches every member of the group and not the sender");

	write_byte(d1.cmd, 'k');
	expect_group_recs(rep[0], both, 2, SIGUSR2, d1.pid, "kill(0, SIGUSR2) from a group member");
	expect_not_pending("kill(0) from a child in another group");
	ok("kill(0, sig) from a child in its own group reaches that group only, the sender included");

	expect_eq(kill(-d1.pid, 0), 0, "kill(-pgid, 0) of a live group");
	listener_quit(d1);
	listener_quit(d2);
	expect_no_more_recs(rep);
	expect_err(kill(-d1.pid, 0), ESRCH, "kill(-pgid, 0) once the group is gone");
	ok("kill(-pgid, 0) finds a live group, ESRCH once all its members are gone");

	/* A child in its own session is out of reach of its parent's setpgid; its children cannot
	 * join a group of the old session. */
	int go[2], rdy[2];
	xpipe(go);
	xpipe(rdy);
	pid_t e = child_fork();
	if (e == 0) {
		close(go[1]);
		close(rdy[0]);
		pid_t self = getpid();
		expect_eq(setsid(), self, "setsid in the grandchild");
		write_byte(rdy[1], 'r');
		char b;
		read_full(go[0], &b, 1, "go");
		pid_t f = child_fork();
		if (f == 0) {
			expect_err(setpgid(0, me), EPERM, "setpgid(0, a group of another session)");
			expect_ok(setpgid(0, 0), "setpgid(0, 0) in a session member");
			expect_eq(getpgrp(), getpid(), "getpgrp after setpgid(0, 0)");
			expect_eq(getsid(0), self, "the session of a child of a session leader");
			_exit(0);
		}
		expect_exit(f, 0, "the great-grandchild");
		_exit(0);
	}
	close(go[0]);
	close(rdy[1]);
	char b;
	read_full(rdy[0], &b, 1, "the grandchild's ready byte");
	expect_eq(getsid(e), e, "getsid of a child that called setsid");
	expect_err(setpgid(e, e), EPERM, "setpgid of a child in another session");
	expect_err(setpgid(e, me), EPERM, "setpgid of a child in another session into our group");
	write_byte(go[1], 'g');
	close(go[1]);
	close(rdy[0]);
	expect_exit(e, 0, "the grandchild that made its own session");
	ok("setpgid of a child in another session, or into a group of another session, is EPERM");

	pid_t g = child_fork();
	if (g == 0) {
		expect_ok(setpgid(0, 0), "setpgid(0, 0)");
		expect_err(setsid(), EPERM, "setsid in a group leader");
		_exit(0);
	}
	expect_exit(g, 0, "the child that led its group");
	ok("setsid in a process group leader is EPERM");
}

int main(int argc, char **argv)
{
	argv0 = argv[0];
	if (argc == 2 && !strcmp(argv[1], "wait-stdin")) {
		if (write(1, "r", 1) != 1)
			return 2;
		wait_eof(0);
		return 0;
	}
	block_test_signals();
	to_one_child();
	ids_and_setpgid();
	pid_t c = child_fork();
	if (c == 0) {
		sessions();
		fflush(stdout);
		_exit(0);
	}
	expect_exit(c, 0, "the child that checked sessions and groups");
	expect_not_pending("the test itself");
	int st;
	expect_err(waitpid(-1, &st, WNOHANG), ECHILD, "a child left at the end");
	return 0;
}
