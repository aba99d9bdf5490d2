/* tests/programs/proc_edges.c — process edges found in review: SIGKILL to a vfork child that runs
 * in its parent's memory, clone(CLONE_VFORK) without CLONE_VM while another thread of the parent
 * works, an orphan with a non-SIGCHLD exit signal reaped by init's plain waitpid, children's CPU
 * time in RUSAGE_CHILDREN and times(), thread ids in getpgid/setpgid, rt_sigqueueinfo's caller
 * check, clone3's CLONE_PARENT with an exit signal, signals that keep arriving while a process
 * execs again and again (an ignored signal must not end it). */
#include "check.h"
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/wait.h>

#define child_fail(...) do { fprintf(stderr, "FAIL (child) " __VA_ARGS__); fputc('\n', stderr); _exit(99); } while (0)

static int pid_pipe[2];

/* The vfork child: says who it is, then makes syscalls until it is killed. */
static int spinning_child(void *arg)
{
	(void)arg;
	pid_t me = (pid_t)syscall(SYS_getpid);
	if (write(pid_pipe[1], &me, sizeof(me)) != sizeof(me))
		_exit(98);
	for (;;) {
		int fd = open("/proc/self/exe", O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
}

static void *killer(void *arg)
{
	int rounds = *(int *)arg;
	for (int i = 0; i < rounds; i++) {
		pid_t c;
		if (read(pid_pipe[0], &c, sizeof(c)) != sizeof(c))
			return (void *)1;
		if (kill(c, SIGKILL) != 0)
			return (void *)2;
	}
	return NULL;
}

static void vfork_child_killed(void)
{
	static char stack[65536] __attribute__((aligned(16)));
	int rounds = 100;
	if (pipe(pid_pipe))
		fail("pipe: %s", errname(errno));
	pthread_t t;
	if (pthread_create(&t, NULL, killer, &rounds))
		fail("pthread_create");
	for (int i = 0; i < rounds; i++) {
		pid_t c = clone(spinning_child, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
		if (c <= 0)
			fail("clone(CLONE_VM|CLONE_VFORK): %s", errname(errno));
		int st;
		expect_eq(waitpid(c, &st, 0), c, "waitpid of the killed vfork child");
		expect_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the vfork child died by SIGKILL");
	}
	void *r;
	pthread_join(t, &r);
	expect_eq((long)(intptr_t)r, 0, "the killing thread");
	close(pid_pipe[0]);
	close(pid_pipe[1]);
	ok("SIGKILL from another thread ends a vfork child in the middle of its syscalls, %d times", rounds);
}

static int go_pipe[2];

static void *unblocker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 200; i++) {	/* syscalls that take the LibOS's locks */
		int fd = open("/proc/self/exe", O_RDONLY);
		if (fd < 0)
			return (void *)1;
		close(fd);
		free(malloc(100 + i));
	}
	return write(go_pipe[1], "g", 1) == 1 ? NULL : (void *)2;
}

/* clone(CLONE_VFORK) without CLONE_VM: the child has its own memory and waits for the parent's
 * other thread, which must be free to run meanwhile. */
static void vfork_own_memory(void)
{
	if (pipe(go_pipe))
		fail("pipe: %s", errname(errno));
	pthread_t t;
	if (pthread_create(&t, NULL, unblocker, NULL))
		fail("pthread_create");
	pid_t c = (pid_t)syscall(SYS_clone, CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
	if (c == 0) {
		char b;
		_exit(read(go_pipe[0], &b, 1) == 1 ? 6 : 97);
	}
	if (c < 0)
		fail("clone(CLONE_VFORK): %s", errname(errno));
	int st;
	expect_eq(waitpid(c, &st, 0), c, "waitpid");
	expect_true(WIFEXITED(st) && WEXITSTATUS(st) == 6, "the CLONE_VFORK child's status");
	void *r;
	pthread_join(t, &r);
	expect_eq((long)(intptr_t)r, 0, "the other thread's syscalls");
	close(go_pipe[0]);
	close(go_pipe[1]);
	ok("clone(CLONE_VFORK) without CLONE_VM: the parent's other threads go on while the child waits");
}

/* An orphan whose exit signal was SIGUSR1 is init's plain child: waitpid without __WALL. */
static void orphan_exit_signal(void)
{
	if (getpid() != 1) {
		ok("orphan reaping skipped: not pid 1");
		return;
	}
	int p[2];
	if (pipe(p))
		fail("pipe");
	pid_t c = fork();
	if (c == 0) {
		int eof[2];	/* the grandchild waits for EOF here: its parent has ended */
		if (pipe(eof))
			child_fail("pipe");
		pid_t g = (pid_t)syscall(SYS_clone, SIGUSR1, 0, 0, 0, 0);
		if (g == 0) {
			char b;
			close(eof[1]);
			close(p[1]);
			_exit(read(eof[0], &b, 1) == 0 ? 7 : 96);
		}
		if (g < 0)
			child_fail("clone(SIGUSR1): %s", errname(errno));
		if (write(p[1], &g, sizeof(g)) != sizeof(g))
			child_fail("write");
		_exit(0);
	}
	close(p[1]);
	pid_t g = 0;
	if (read(p[0], &g, sizeof(g)) != sizeof(g))
		fail("read the grandchild's pid");
	int st;
	expect_eq(waitpid(c, &st, 0), c, "waitpid of the middle child");
	close(p[0]);
	expect_eq(waitpid(g, &st, 0), g, "plain waitpid of the orphan that had exit signal SIGUSR1");
	expect_true(WIFEXITED(st) && WEXITSTATUS(st) == 7, "the orphan's status");
	ok("an orphan goes to init with SIGCHLD as its exit signal");
}

static void children_times(void)
{
	struct rusage before;
	getrusage(RUSAGE_CHILDREN, &before);
	pid_t c = fork();
	if (c == 0) {
		struct timespec a, b;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
		volatile unsigned long x = 0;
		do {
			for (int i = 0; i < 100000; i++)
				x += (unsigned long)i;
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
		} while ((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) < 120000000L);
		_exit(0);
	}
	expect_eq(waitpid(c, NULL, 0), c, "waitpid");
	struct rusage after;
	expect_ok(getrusage(RUSAGE_CHILDREN, &after), "getrusage(RUSAGE_CHILDREN)");
	long us = (after.ru_utime.tv_sec - before.ru_utime.tv_sec) * 1000000L +
		  (after.ru_utime.tv_usec - before.ru_utime.tv_usec) +
		  (after.ru_stime.tv_sec - before.ru_stime.tv_sec) * 1000000L +
		  (after.ru_stime.tv_usec - before.ru_stime.tv_usec);
	expect_true(us >= 80000, "a child's 120 ms of CPU show in RUSAGE_CHILDREN");
	struct tms t;
	times(&t);
	expect_true(t.tms_cutime + t.tms_cstime >= 8, "and in times()'s tms_cutime + tms_cstime");
	ok("a waited-for child's CPU time counts in RUSAGE_CHILDREN and times()");
}

static volatile pid_t thread_tid;
static volatile int thread_done;
static int sigqueue_from_thread_errno;

static void *tid_thread(void *arg)
{
	(void)arg;
	thread_tid = (pid_t)syscall(SYS_gettid);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_code = SI_USER;	/* pretending to be kill(): only allowed towards oneself */
	errno = 0;
	long r = syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, &si);
	sigqueue_from_thread_errno = r == -1 ? errno : 0;
	while (!thread_done)
		sched_yield();
	return NULL;
}

static void thread_ids(void)
{
	signal(SIGUSR2, SIG_IGN);
	pthread_t t;
	if (pthread_create(&t, NULL, tid_thread, NULL))
		fail("pthread_create");
	while (!thread_tid)
		sched_yield();
	expect_eq(getpgid(thread_tid), getpgid(0), "getpgid of a thread's id is its process's group");
	expect_eq(getsid(thread_tid), getsid(0), "getsid of a thread's id");
	expect_err(setpgid(thread_tid, 0), EINVAL, "setpgid of a thread that does not lead its group");
	thread_done = 1;
	pthread_join(t, NULL);
	expect_eq(sigqueue_from_thread_errno, EPERM, "rt_sigqueueinfo(SI_USER) from a thread to its own process");
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_code = SI_USER;
	expect_ok(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, &si), "rt_sigqueueinfo(SI_USER) from the main thread to itself");
	signal(SIGUSR2, SIG_DFL);
	ok("thread ids: getpgid/getsid answer for the process, setpgid is EINVAL; rt_sigqueueinfo checks the caller's tid");
}

static void clone3_parent(void)
{
	uint64_t args[11] = { 0 };
	args[0] = CLONE_PARENT;	/* flags */
	args[4] = SIGCHLD;	/* exit_signal */
	expect_err(syscall(SYS_clone3, args, 88), EINVAL, "clone3(CLONE_PARENT) with an exit signal");
	ok("clone3 refuses CLONE_PARENT with an exit signal");
}

/* Stage "exec N": exec again until N is 0. SIGUSR1 stays ignored across every exec. */
static int exec_chain(int n)
{
	if (n <= 0)
		return 0;
	char arg[16];
	snprintf(arg, sizeof arg, "%d", n - 1);
	char *av[] = { "proc_edges", "exec", arg, NULL };
	execv("/proc/self/exe", av);
	return 95;
}

static void signals_during_exec(void)
{
	int ready[2];
	xpipe(ready);
	pid_t c = fork();
	if (c == 0) {
		signal(SIGUSR1, SIG_IGN);
		close(ready[0]);
		if (write(ready[1], "r", 1) != 1)
			_exit(94);
		close(ready[1]);
		_exit(exec_chain(20));
	}
	close(ready[1]);
	char b;
	read_full(ready[0], &b, 1, "the exec chain's start");
	close(ready[0]);
	int st = 0, sent = 0;
	pid_t r;
	while ((r = waitpid(c, &st, WNOHANG)) == 0) {
		kill(c, SIGUSR1);
		sent++;
	}
	expect_eq(r, c, "waitpid of the exec chain");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail("a process that execs 20 times under a stream of ignored SIGUSR1: status %#x", st);
	ok("a stream of ignored signals does not end a process that execs again and again");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 3 && strcmp(argv[1], "exec") == 0)
		return exec_chain(atoi(argv[2]));
	vfork_child_killed();
	vfork_own_memory();
	orphan_exit_signal();
	children_times();
	thread_ids();
	clone3_parent();
	signals_during_exec();
	return 0;
}
