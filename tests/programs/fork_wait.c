/* tests/programs/fork_wait.c — fork and the wait family as Linux does them: fork's two returns,
 * pids, copied memory and an inherited pipe; exit and signal statuses through wait4, waitpid and
 * waitid (WNOHANG, WNOWAIT, rusage, errors); SIGCHLD's siginfo and SIG_IGN's automatic reaping;
 * orphans adopted by pid 1; and fork as a raw syscall, from a patched and from a trapped site. */
#include "check.h"
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

/* A forked child must leave with _exit: exit() would run the parent's atexit handlers and flush
 * a copy of its stdio buffers. */
#define cfail(...) do { dprintf(2, "FAIL %s:%d (child %d): ", __FILE__, __LINE__, (int)getpid()); \
	dprintf(2, __VA_ARGS__); dprintf(2, "\n"); _exit(99); } while (0)

/* long fork_xxx(long *changed): fork with known values in every register a syscall preserves;
 * in both processes *changed gets one bit per register that differs afterwards (bits 0-5: rbx,
 * rbp, r12-r15, callee-saved; bits 6-11: rdi, rsi, rdx, r8-r10, which Linux also keeps). */
#define FORK_FN(name, load_nr) \
	".globl " name "\n.type " name ",@function\n" name ":\n.cfi_startproc\n" \
	"push %rbx\npush %rbp\npush %r12\npush %r13\npush %r14\npush %r15\npush %rdi\n" \
	"movabs $0x1111111111111111, %rbx\nmovabs $0x2222222222222222, %rbp\n" \
	"movabs $0x3333333333333333, %r12\nmovabs $0x4444444444444444, %r13\n" \
	"movabs $0x5555555555555555, %r14\nmovabs $0x6666666666666666, %r15\n" \
	"movabs $0x7777777777777777, %rdi\nmovabs $0x8888888888888888, %rsi\n" \
	"movabs $0x9999999999999999, %rdx\nmovabs $0xaaaaaaaaaaaaaaaa, %r8\n" \
	"movabs $0xbbbbbbbbbbbbbbbb, %r9\nmovabs $0xcccccccccccccccc, %r10\n" \
	load_nr "\nsyscall\n" \
	"xor %ecx, %ecx\n" \
	"movabs $0x1111111111111111, %r11\ncmp %r11, %rbx\nje 1f\nor $0x1, %ecx\n1:\n" \
	"movabs $0x2222222222222222, %r11\ncmp %r11, %rbp\nje 1f\nor $0x2, %ecx\n1:\n" \
	"movabs $0x3333333333333333, %r11\ncmp %r11, %r12\nje 1f\nor $0x4, %ecx\n1:\n" \
	"movabs $0x4444444444444444, %r11\ncmp %r11, %r13\nje 1f\nor $0x8, %ecx\n1:\n" \
	"movabs $0x5555555555555555, %r11\ncmp %r11, %r14\nje 1f\nor $0x10, %ecx\n1:\n" \
	"movabs $0x6666666666666666, %r11\ncmp %r11, %r15\nje 1f\nor $0x20, %ecx\n1:\n" \
	"movabs $0x7777777777777777, %r11\ncmp %r11, %rdi\nje 1f\nor $0x40, %ecx\n1:\n" \
	"movabs $0x8888888888888888, %r11\ncmp %r11, %rsi\nje 1f\nor $0x80, %ecx\n1:\n" \
	"movabs $0x9999999999999999, %r11\ncmp %r11, %rdx\nje 1f\nor $0x100, %ecx\n1:\n" \
	"movabs $0xaaaaaaaaaaaaaaaa, %r11\ncmp %r11, %r8\nje 1f\nor $0x200, %ecx\n1:\n" \
	"movabs $0xbbbbbbbbbbbbbbbb, %r11\ncmp %r11, %r9\nje 1f\nor $0x400, %ecx\n1:\n" \
	"movabs $0xcccccccccccccccc, %r11\ncmp %r11, %r10\nje 1f\nor $0x800, %ecx\n1:\n" \
	"pop %rdi\nmov %rcx, (%rdi)\n" \
	"pop %r15\npop %r14\npop %r13\npop %r12\npop %rbp\npop %rbx\nret\n" \
	".cfi_endproc\n.size " name ", .-" name "\n"

__asm__(".text\n"
	FORK_FN("fork_patched", "mov $57, %eax")
	FORK_FN("fork_trapped", "mov fork_nr(%rip), %eax")
	".data\nfork_nr: .long 57\n.text\n");
long fork_patched(long *changed);
long fork_trapped(long *changed);

/* Blocks until the pipe's write ends are all closed, then exits with `code`. */
static void child_wait_gate(int gate[2], int code)
{
	char b;
	close(gate[1]);
	while (read(gate[0], &b, 1) < 0 && errno == EINTR)
		;
	_exit(code);
}

static void no_children(const char *what)
{
	int st;
	expect_err(waitpid(-1, &st, WNOHANG), ECHILD, what);
}

static volatile int global = 5;

static void basics(void)
{
	struct { pid_t pid, ppid; int global_seen, global_after; } h;
	pid_t parent = getpid();
	int p[2];
	xpipe(p);
	pid_t c = xfork();
	if (c == 0) {
		close(p[0]);
		h.pid = getpid();
		h.ppid = getppid();
		h.global_seen = global;
		global = 77;
		h.global_after = global;
		if (write(p[1], &h, sizeof h) != sizeof h)
			cfail("write to the inherited pipe: %s", errname(errno));
		_exit(0);
	}
	close(p[1]);
	memset(&h, 0, sizeof h);
	read_full(p[0], &h, sizeof h, "the child's report");
	expect_exit(c, 0, "the first child");
	if (c == parent || h.pid != c)
		fail("fork returned %d to the parent (pid %d), the child calls itself %d", (int)c, (int)parent, (int)h.pid);
	expect_eq(h.ppid, parent, "the child's getppid");
	ok("fork returns 0 in the child and its pid in the parent; the child's getppid is the parent");
	expect_eq(h.global_seen, 5, "a global the child inherited");
	expect_eq(h.global_after, 77, "the child's own write");
	expect_eq(global, 5, "the parent's global after the child wrote its copy");
	ok("the child's memory is a copy: its write is not seen by the parent");
	char b;
	expect_eq(read(p[0], &b, 1), 0, "EOF once the child exited");
	close(p[0]);
	ok("a pipe created before fork carries the child's data to the parent, then EOF");
}

static void statuses(void)
{
	static const int codes[] = { 0, 1, 42, 127, 255, 256, -1, 1000 };
	for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		pid_t c = xfork();
		if (c == 0)
			_exit(codes[i]);
		int st = 0;
		pid_t r = (i & 1) ? wait4(c, &st, 0, NULL) : waitpid(c, &st, 0);
		if (r != c)
			fail("%s(%d) returned %d (%s)", (i & 1) ? "wait4" : "waitpid", (int)c, (int)r, errname(errno));
		if (!WIFEXITED(st) || WIFSIGNALED(st) || WEXITSTATUS(st) != (codes[i] & 0xff))
			fail("_exit(%d): status %#x, expected exited with %d", codes[i], st, codes[i] & 0xff);
	}
	ok("_exit(N) reaches waitpid and wait4 as WIFEXITED with WEXITSTATUS == N & 0xff");

	int gate[2];
	xpipe(gate);
	pid_t c = xfork();
	if (c == 0)
		child_wait_gate(gate, 98);
	close(gate[0]);
	expect_ok(kill(c, SIGTERM), "kill(child, SIGTERM)");
	int st = reap(c, "the child killed by SIGTERM");
	close(gate[1]);
	if (!WIFSIGNALED(st) || WIFEXITED(st) || WTERMSIG(st) != SIGTERM || WCOREDUMP(st))
		fail("child killed by SIGTERM: status %#x", st);
	ok("a child killed by SIGTERM is WIFSIGNALED with WTERMSIG SIGTERM");

	c = xfork();
	if (c == 0) {
		raise(SIGKILL);
		_exit(98);
	}
	st = reap(c, "the child that raised SIGKILL");
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
		fail("child that raised SIGKILL: status %#x", st);
	ok("a child that raises SIGKILL on itself is WIFSIGNALED with WTERMSIG SIGKILL");
}

static void nohang_and_errors(void)
{
	int gate[2], st = -1;
	xpipe(gate);
	pid_t c = xfork();
	if (c == 0)
		child_wait_gate(gate, 3);
	close(gate[0]);
	expect_eq(waitpid(c, &st, WNOHANG), 0, "waitpid(child, WNOHANG) while it runs");
	expect_eq(waitpid(-1, &st, WNOHANG), 0, "waitpid(-1, WNOHANG) while the child runs");
	siginfo_t si;
	memset(&si, 0xff, sizeof si);
	expect_eq(waitid(P_PID, c, &si, WEXITED | WNOHANG), 0, "waitid(WNOHANG) while the child runs");
	expect_eq(si.si_pid, 0, "waitid(WNOHANG) with nothing ready: si_pid");
	memset(&si, 0xff, sizeof si);
	expect_eq(waitid(P_ALL, 0, &si, WEXITED | WNOHANG), 0, "waitid(P_ALL, WNOHANG) while the child runs");
	expect_eq(si.si_pid, 0, "waitid(P_ALL, WNOHANG) with nothing ready: si_pid");
	close(gate[1]);
	/* WNOWAIT blocks until the child is a zombie without reaping it: then WNOHANG must see it. */
	expect_eq(waitid(P_PID, c, &si, WEXITED | WNOWAIT), 0, "waitid(WNOWAIT) for the exit");
	st = -1;
	expect_eq(waitpid(c, &st, WNOHANG), c, "waitpid(WNOHANG) after the child exited");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 3)
		fail("waitpid(WNOHANG): status %#x, expected exit 3", st);
	ok("waitpid and waitid with WNOHANG return 0 (si_pid 0) while the child runs, the pid once it exited");

	expect_err(waitpid(-1, &st, 0), ECHILD, "waitpid(-1) without children");
	expect_err(wait(&st), ECHILD, "wait without children");
	expect_err(waitid(P_ALL, 0, &si, WEXITED), ECHILD, "waitid(P_ALL) without children");
	expect_err(waitpid(c, &st, 0), ECHILD, "waitpid of a child already reaped");
	expect_err(waitpid(getpid(), &st, 0), ECHILD, "waitpid of oneself");
	ok("waitpid(-1), wait and waitid without children, and waitpid of a non-child are ECHILD");

	expect_err(waitpid(-1, &st, 0x100000), EINVAL, "waitpid with an unknown option bit");
	expect_err(wait4(-1, &st, 0x100000, NULL), EINVAL, "wait4 with an unknown option bit");
	expect_err(waitid(P_ALL, 0, &si, 0), EINVAL, "waitid without WEXITED/WSTOPPED/WCONTINUED");
	expect_err(waitid(P_ALL, 0, &si, WNOHANG), EINVAL, "waitid with only WNOHANG");
	expect_err(waitid((idtype_t)42, 0, &si, WEXITED), EINVAL, "waitid with an unknown idtype");
	ok("invalid wait options and idtypes are EINVAL");

	c = xfork();
	if (c == 0)
		_exit(4);
	struct rusage ru;
	memset(&ru, 0xff, sizeof ru);
	st = -1;
	expect_eq(wait4(c, &st, 0, &ru), c, "wait4 with a rusage");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 4)
		fail("wait4 with a rusage: status %#x, expected exit 4", st);
	if (ru.ru_utime.tv_sec < 0 || ru.ru_utime.tv_usec < 0 || ru.ru_utime.tv_usec >= 1000000 ||
	    ru.ru_stime.tv_sec < 0 || ru.ru_stime.tv_usec < 0 || ru.ru_stime.tv_usec >= 1000000 ||
	    ru.ru_maxrss < 0 || ru.ru_minflt < 0 || ru.ru_nvcsw < 0)
		fail("wait4 left the rusage unfilled: utime %ld.%06ld maxrss %ld", (long)ru.ru_utime.tv_sec,
		     (long)ru.ru_utime.tv_usec, ru.ru_maxrss);
	ok("wait4 with a rusage returns the pid and status and fills the rusage");

	c = xfork();
	if (c == 0)
		_exit(6);
	for (int round = 0; round < 2; round++) {
		memset(&si, 0, sizeof si);
		expect_eq(waitid(P_PID, c, &si, WEXITED | (round ? 0 : WNOWAIT)), 0, round ? "waitid" : "waitid(WNOWAIT)");
		if (si.si_signo != SIGCHLD || si.si_pid != c || si.si_code != CLD_EXITED || si.si_status != 6 ||
		    si.si_uid != getuid())
			fail("waitid%s: signo %d pid %d (child %d) code %d status %d uid %d", round ? "" : "(WNOWAIT)",
			     si.si_signo, (int)si.si_pid, (int)c, si.si_code, si.si_status, (int)si.si_uid);
	}
	expect_err(waitpid(c, &st, 0), ECHILD, "waitpid after waitid reaped the child");
	ok("waitid(WNOWAIT) reports CLD_EXITED, pid and status without reaping; waitid then reaps");
}

static volatile sig_atomic_t chld_hits;
static volatile int chld_pid, chld_code, chld_status, chld_signo;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	chld_hits++;
	chld_signo = sig;
	chld_pid = si->si_pid;
	chld_code = si->si_code;
	chld_status = si->si_status;
}

static void sigchld(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO;
	expect_ok(sigaction(SIGCHLD, &sa, NULL), "sigaction(SIGCHLD)");
	sigset_t chld, old, pend;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	pid_t c = xfork();
	if (c == 0)
		_exit(9);
	/* Linux queues SIGCHLD before the child can be seen as a zombie. */
	siginfo_t si;
	expect_eq(waitid(P_PID, c, &si, WEXITED | WNOWAIT), 0, "waitid(WNOWAIT)");
	sigpending(&pend);
	expect_true(sigismember(&pend, SIGCHLD), "SIGCHLD pending once the child is a zombie");
	expect_eq(chld_hits, 0, "handler runs while SIGCHLD is blocked");
	sigprocmask(SIG_SETMASK, &old, NULL);
	expect_eq(chld_hits, 1, "SIGCHLD handler runs on unblock");
	if (chld_signo != SIGCHLD || chld_pid != c || chld_code != CLD_EXITED || chld_status != 9)
		fail("SIGCHLD siginfo: signo %d pid %d (child %d) code %d status %d", chld_signo, chld_pid,
		     (int)c, chld_code, chld_status);
	expect_exit(c, 9, "the child that signalled SIGCHLD");
	ok("SIGCHLD reaches an SA_SIGINFO handler with si_pid, CLD_EXITED and the exit status");
	signal(SIGCHLD, SIG_DFL);

	/* With SIGCHLD ignored, children are reaped as they exit and never become zombies. */
	signal(SIGCHLD, SIG_IGN);
	int gate[2];
	xpipe(gate);
	c = xfork();
	if (c == 0)
		child_wait_gate(gate, 0);
	close(gate[0]);
	expect_eq(kill(c, 0), 0, "kill(child, 0) while it runs");
	close(gate[1]);
	struct timespec ms = { 0, 1000000 };
	for (int i = 0; i < 5000 && kill(c, 0) == 0; i++)
		nanosleep(&ms, NULL);
	expect_err(kill(c, 0), ESRCH, "kill(child, 0) after it exited with SIGCHLD ignored (a zombie would be 0)");
	int st;
	expect_err(waitpid(-1, &st, 0), ECHILD, "waitpid(-1) after the child was reaped automatically");
	expect_err(waitpid(c, &st, 0), ECHILD, "waitpid(child) after it was reaped automatically");
	signal(SIGCHLD, SIG_DFL);
	ok("with SIGCHLD set to SIG_IGN an exiting child is reaped at once: kill gives ESRCH, waitpid ECHILD");
}

static void orphans(void)
{
	if (getpid() != 1) {
		ok("orphan adoption by pid 1 skipped: this test runs as pid %d, not 1", (int)getpid());
		return;
	}
	/* gate holds the grandchild until its parent is gone, gate2 holds the child until the test
	 * has tried to wait for a grandchild that is not yet its own. */
	int gate[2], gate2[2], rep_c[2], rep_g[2];
	xpipe(gate);
	xpipe(gate2);
	xpipe(rep_c);
	xpipe(rep_g);
	pid_t c = xfork();
	if (c == 0) {
		close(gate[1]);
		close(gate2[1]);
		close(rep_c[0]);
		close(rep_g[0]);
		pid_t g = fork();
		if (g < 0)
			cfail("fork of the grandchild: %s", errname(errno));
		if (g == 0) {
			close(rep_c[1]);
			int ppid = getppid();
			if (write(rep_g[1], &ppid, sizeof ppid) != sizeof ppid)
				cfail("grandchild's report: %s", errname(errno));
			char b;
			while (read(gate[0], &b, 1) < 0 && errno == EINTR)
				;
			ppid = getppid();
			if (write(rep_g[1], &ppid, sizeof ppid) != sizeof ppid)
				cfail("grandchild's report: %s", errname(errno));
			_exit(42);
		}
		if (write(rep_c[1], &g, sizeof g) != sizeof g)
			cfail("child's report: %s", errname(errno));
		char b;
		while (read(gate2[0], &b, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(gate[0]);
	close(gate2[0]);
	close(rep_c[1]);
	close(rep_g[1]);
	pid_t g;
	int st, ppid;
	read_full(rep_c[0], &g, sizeof g, "the grandchild's pid");
	read_full(rep_g[0], &ppid, sizeof ppid, "the grandchild's parent");
	expect_eq(ppid, c, "the grandchild's getppid while its parent lives");
	expect_err(waitpid(g, &st, WNOHANG), ECHILD, "waitpid of a grandchild whose parent lives");
	expect_eq(kill(g, 0), 0, "kill(grandchild, 0)");
	ok("waitpid of a live grandchild, which is not our child, is ECHILD");
	close(gate2[1]);
	expect_exit(c, 0, "the grandchild's parent");
	close(gate[1]);
	read_full(rep_g[0], &ppid, sizeof ppid, "the orphaned grandchild's parent");
	expect_eq(ppid, 1, "the orphaned grandchild's getppid");
	expect_exit(g, 42, "the adopted grandchild");
	close(rep_c[0]);
	close(rep_g[0]);
	no_children("no children after reaping the adopted grandchild");
	ok("an orphan is adopted by pid 1: its getppid becomes 1 and pid 1 reaps it with waitpid");
}

static void raw_forks(void)
{
	int p[2];
	xpipe(p);
	fflush(stdout);
	pid_t parent = getpid();
	long c = syscall(SYS_fork);
	if (c == 0) {
		long me[2] = { syscall(SYS_getpid), syscall(SYS_getppid) };
		if (write(p[1], me, sizeof me) != sizeof me)
			cfail("raw fork child's report: %s", errname(errno));
		_exit(0);
	}
	if (c < 0)
		fail("syscall(SYS_fork): %s", errname(errno));
	long me[2];
	read_full(p[0], me, sizeof me, "the raw fork child's report");
	expect_eq(me[0], c, "the raw fork child's getpid");
	expect_eq(me[1], parent, "the raw fork child's getppid");
	expect_exit(c, 0, "the raw fork child");
	ok("syscall(SYS_fork) returns 0 in the child and its pid in the parent");

	struct { const char *how; long (*fn)(long *); } sites[] = {
		{ "a patched site", fork_patched }, { "a trapped site", fork_trapped },
	};
	for (unsigned i = 0; i < 2; i++) {
		long changed = -1;
		fflush(stdout);
		c = sites[i].fn(&changed);
		if (c == 0) {
			long me[2] = { syscall(SYS_getpid), changed };
			if (write(p[1], me, sizeof me) != sizeof me)
				cfail("report: %s", errname(errno));
			_exit(0);
		}
		if (c < 0)
			fail("fork through %s: %s", sites[i].how, errname(-c));
		if (changed)
			fail("fork through %s changed the parent's registers (mask %#lx)", sites[i].how, changed);
		read_full(p[0], me, sizeof me, "the child's report");
		expect_exit(c, 0, "the child of the asm fork");
		expect_eq(me[0], c, "the child's getpid");
		if (me[1])
			fail("fork through %s: the child's registers changed (mask %#lx)", sites[i].how, me[1]);
		ok("fork through %s: 0 in the child, the pid in the parent, registers intact in both", sites[i].how);
	}
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	basics();
	statuses();
	nohang_and_errors();
	sigchld();
	orphans();
	raw_forks();
	no_children("no child left at the end");
	return 0;
}
