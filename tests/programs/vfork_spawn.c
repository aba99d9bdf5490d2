/* tests/programs/vfork_spawn.c — vfork and the spawn family as Linux does them: the parent stays
 * suspended until the child exits or execs (libc's vfork, raw vfork from a patched and from a
 * trapped site, clone(CLONE_VM|CLONE_VFORK) on its own stack); the exec'd image sees its argv and
 * its parent; posix_spawn/posix_spawnp with dup2, signal attributes, PATH and a missing program. */
#include "check.h"
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

/* vfork children share the parent's memory and stack: they only write and leave. */
#define vchild_fail(msg) do { static const char m_[] = "FAIL (vfork child): " msg "\n"; \
	(void)!write(2, m_, sizeof m_ - 1); _exit(99); } while (0)

/* long vfork_write_exit_xxx(int fd, const void *buf, long len): the child writes buf to fd and
 * exit_groups with status len, touching neither memory nor the shared stack; the parent gets the
 * pid. long vfork_exec_xxx(path, argv, envp, int fd): the child writes path's first byte to fd,
 * then execs, or exit_groups with 127. Both rely on the child seeing the parent's registers, as
 * Linux gives them (all but rax, rcx and r11). */
#define VFORK_FNS(sfx, vfork_nr, write_nr, exit_nr, exec_nr) \
	".globl vfork_write_exit_" sfx "\n.type vfork_write_exit_" sfx ",@function\n" \
	"vfork_write_exit_" sfx ":\n.cfi_startproc\n" \
	vfork_nr "\nsyscall\ntest %rax, %rax\njnz 1f\n" \
	write_nr "\nsyscall\n" \
	"mov %rdx, %rdi\n" exit_nr "\nsyscall\nud2\n" \
	"1: ret\n.cfi_endproc\n.size vfork_write_exit_" sfx ", .-vfork_write_exit_" sfx "\n" \
	".globl vfork_exec_" sfx "\n.type vfork_exec_" sfx ",@function\n" \
	"vfork_exec_" sfx ":\n.cfi_startproc\n" \
	"mov %rdi, %r8\nmov %rsi, %r9\nmov %rdx, %r10\nmov %rcx, %rdi\n" \
	vfork_nr "\nsyscall\ntest %rax, %rax\njnz 1f\n" \
	"mov %r8, %rsi\nmov $1, %edx\n" write_nr "\nsyscall\n" \
	"mov %r8, %rdi\nmov %r9, %rsi\nmov %r10, %rdx\n" exec_nr "\nsyscall\n" \
	"mov $127, %edi\n" exit_nr "\nsyscall\nud2\n" \
	"1: ret\n.cfi_endproc\n.size vfork_exec_" sfx ", .-vfork_exec_" sfx "\n"

__asm__(".text\n"
	VFORK_FNS("patched", "mov $58, %eax", "mov $1, %eax", "mov $231, %eax", "mov $59, %eax")
	VFORK_FNS("trapped", "mov vfork_nr(%rip), %eax", "mov write_nr(%rip), %eax",
		  "mov exit_group_nr(%rip), %eax", "mov execve_nr(%rip), %eax")
	".data\nvfork_nr: .long 58\nwrite_nr: .long 1\nexit_group_nr: .long 231\nexecve_nr: .long 59\n.text\n");
long vfork_write_exit_patched(long fd, const void *buf, long len);
long vfork_write_exit_trapped(long fd, const void *buf, long len);
long vfork_exec_patched(const char *path, char *const *argv, char *const *envp, long fd);
long vfork_exec_trapped(const char *path, char *const *argv, char *const *envp, long fd);

static const char *argv0;
static char parent_pid[16];

/* A pipe whose read end does not block: what it holds when the parent resumes shows what the
 * child did before. */
static void nb_pipe(int p[2], int flags)
{
	if (pipe2(p, flags))
		fail("pipe2: %s", errname(errno));
	fcntl(p[0], F_SETFL, O_NONBLOCK);
}

/* The child wrote one byte just before its execve: it must be there when the parent resumes.
 * (Linux wakes the parent when execve drops the old memory, before it closes the close-on-exec
 * descriptors, so whether the child still holds those is not something to check.) */
static void expect_written_before_exec(int p[2], const char *what)
{
	char b;
	errno = 0;
	ssize_t r = read(p[0], &b, 1);
	if (r != 1)
		fail("%s: the parent resumed before the child reached execve (read %zd, %s)", what, r, errname(errno));
	close(p[0]);
	close(p[1]);
}

static void exec_argv(char *av[5], const char *code)
{
	av[0] = (char *)argv0;
	av[1] = "exec-check";
	av[2] = parent_pid;
	av[3] = (char *)code;
	av[4] = NULL;
}

static void libc_vfork(void)
{
	int p[2];
	nb_pipe(p, 0);
	pid_t parent = getpid();
	fflush(stdout);
	pid_t c = vfork();
	if (c == 0) {
		pid_t ids[2] = { getpid(), getppid() };
		if (write(p[1], ids, sizeof ids) != sizeof ids)
			vchild_fail("write");
		_exit(7);
	}
	if (c < 0)
		fail("vfork: %s", errname(errno));
	pid_t ids[2] = { 0, 0 };
	ssize_t r = read(p[0], ids, sizeof ids);
	if (r != sizeof ids)
		fail("vfork returned to the parent before the child wrote and exited (read %zd, %s)", r, errname(errno));
	expect_eq(ids[0], c, "the vfork child's getpid");
	expect_true(c != parent, "the vfork child is a new process");
	expect_eq(ids[1], parent, "the vfork child's getppid");
	expect_exit(c, 7, "the vfork child");
	close(p[0]);
	close(p[1]);
	ok("vfork: the parent resumes only after the child ran and _exited; waitpid gets its status");

	char *av[5];
	exec_argv(av, "42");
	int e[2];
	nb_pipe(e, O_CLOEXEC);
	fflush(stdout);
	c = vfork();
	if (c == 0) {
		if (write(e[1], "e", 1) != 1)
			vchild_fail("write");
		execve("/proc/self/exe", av, environ);
		_exit(127);
	}
	if (c < 0)
		fail("vfork: %s", errname(errno));
	expect_written_before_exec(e, "vfork + execve");
	expect_exit(c, 42, "the vfork child that exec'd /proc/self/exe");
	ok("vfork + execve: the parent resumes after the child reached execve; the new image has its argv and parent");
}

static void raw_vfork(const char *how, long (*wexit)(long, const void *, long),
		      long (*vexec)(const char *, char *const *, char *const *, long))
{
	static const char msg[] = "the child wrote";
	int p[2];
	nb_pipe(p, 0);
	fflush(stdout);
	long c = wexit(p[1], msg, sizeof msg - 1);
	if (c <= 0)
		fail("vfork through %s returned %ld", how, c);
	char buf[32] = "";
	ssize_t r = read(p[0], buf, sizeof buf);
	if (r != sizeof msg - 1 || memcmp(buf, msg, r))
		fail("vfork through %s returned before the child wrote and exited (read %zd, %s)", how, r, errname(errno));
	expect_exit(c, sizeof msg - 1, "the raw vfork child");
	close(p[0]);
	close(p[1]);

	char *av[5];
	exec_argv(av, "43");
	int e[2];
	nb_pipe(e, O_CLOEXEC);
	c = vexec("/proc/self/exe", av, environ, e[1]);
	if (c <= 0)
		fail("vfork through %s returned %ld", how, c);
	expect_written_before_exec(e, "raw vfork + execve");
	expect_exit(c, 43, "the raw vfork child that exec'd /proc/self/exe");
	ok("raw vfork through %s: the parent waits for the child's exit or execve", how);
}

static volatile pid_t clone_child_pid;

static int clone_child(void *arg)
{
	/* CLONE_VM: this store is in the parent's memory. */
	clone_child_pid = getpid();
	if (write(*(int *)arg, "x", 1) != 1)
		vchild_fail("write");
	return 9;
}

static int clone_exec_fd;

static int clone_exec_child(void *arg)
{
	if (write(clone_exec_fd, "e", 1) != 1)
		vchild_fail("write");
	execve("/proc/self/exe", arg, environ);
	_exit(127);
}

static void clone_vfork(void)
{
	static char stack[65536] __attribute__((aligned(16)));
	int p[2];
	nb_pipe(p, 0);
	clone_child_pid = 0;
	fflush(stdout);
	pid_t c = clone(clone_child, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &p[1]);
	if (c <= 0)
		fail("clone(CLONE_VM|CLONE_VFORK): %d (%s)", (int)c, errname(errno));
	char b;
	if (read(p[0], &b, 1) != 1)
		fail("clone(CLONE_VFORK) returned before the child wrote (%s)", errname(errno));
	expect_eq(clone_child_pid, c, "the pid the CLONE_VM child stored in shared memory");
	expect_exit(c, 9, "the clone(CLONE_VFORK) child");
	close(p[0]);
	close(p[1]);

	char *av[5];
	exec_argv(av, "44");
	int e[2];
	nb_pipe(e, O_CLOEXEC);
	clone_exec_fd = e[1];
	c = clone(clone_exec_child, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, av);
	if (c <= 0)
		fail("clone(CLONE_VM|CLONE_VFORK): %d (%s)", (int)c, errname(errno));
	expect_written_before_exec(e, "clone(CLONE_VFORK) + execve");
	expect_exit(c, 44, "the clone(CLONE_VFORK) child that exec'd /proc/self/exe");
	ok("clone(CLONE_VM|CLONE_VFORK|SIGCHLD) on its own stack: shared memory, the parent waits, waitpid sees it");
}

/* POSIX also allows success and a child that exits 127, but glibc (its vfork child writes the
 * error into the parent's memory) and musl (through a pipe) both report ENOENT on Linux. */
static void expect_spawn_failure(int rc, pid_t pid, const char *what)
{
	(void)pid;
	if (rc != ENOENT)
		fail("%s: expected ENOENT, got %s", what, errname(rc));
	/* The libc reaped the child that failed to exec: none is left. */
	int st;
	expect_err(waitpid(-1, &st, WNOHANG), ECHILD, "child left after a failed spawn");
}

static void spawn(void)
{
	int o[2];
	if (pipe2(o, O_CLOEXEC))
		fail("pipe2: %s", errname(errno));
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, o[1], 1);
	char *av[3] = { (char *)argv0, "spawn-out", NULL };
	pid_t pid = 0;
	int rc = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, av, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc)
		fail("posix_spawn of /proc/self/exe: %s", errname(rc));
	close(o[1]);
	char out[128], want[128];
	read_to_eof(o[0], out, sizeof out, "read the spawned child's stdout");
	close(o[0]);
	expect_exit(pid, 0, "the spawned child");
	snprintf(want, sizeof want, "spawned pid=%d ppid=%d\n", (int)pid, (int)getpid());
	expect_str(out, want, "the spawned child's stdout");
	ok("posix_spawn of /proc/self/exe with adddup2 onto stdout: the parent reads the child's output");

	/* The child starts with USR1 and USR2 ignored and INT blocked, as the parent has them. */
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
	sigset_t blk, old;
	sigemptyset(&blk);
	sigaddset(&blk, SIGINT);
	sigprocmask(SIG_BLOCK, &blk, &old);
	char sig_int[8], sig_hup[8];
	snprintf(sig_int, sizeof sig_int, "%d", SIGINT);
	snprintf(sig_hup, sizeof sig_hup, "%d", SIGHUP);
	/* sig-check arguments: SIGUSR1 disposition, a signal blocked, a signal not blocked */
	char *inherit[] = { (char *)argv0, "sig-check", "ign", sig_int, sig_hup, NULL };
	rc = posix_spawn(&pid, "/proc/self/exe", NULL, NULL, inherit, environ);
	if (rc)
		fail("posix_spawn: %s", errname(rc));
	expect_exit(pid, 0, "the spawned child that checks the inherited signal state");
	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	sigset_t def, mask;
	sigemptyset(&def);
	sigaddset(&def, SIGUSR1);
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setsigmask(&at, &mask);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	char *attr[] = { (char *)argv0, "sig-check", "dfl", sig_hup, sig_int, NULL };
	rc = posix_spawn(&pid, "/proc/self/exe", NULL, &at, attr, environ);
	posix_spawnattr_destroy(&at);
	if (rc)
		fail("posix_spawn with setsigdefault/setsigmask: %s", errname(rc));
	expect_exit(pid, 0, "the spawned child that checks the attributes' signal state");
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	ok("posix_spawn: the child inherits mask and ignored signals; setsigdefault and setsigmask change them");

	rc = posix_spawn(&pid, "/nonexistent/program", NULL, NULL, av, environ);
	expect_spawn_failure(rc, pid, "posix_spawn of a missing program");
	ok("posix_spawn of a missing program: ENOENT, and no child left");

	/* posix_spawnp searches the caller's PATH: point it past a missing directory to our own. */
	char self[4096];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len <= 0)
		fail("readlink(/proc/self/exe): %s", errname(errno));
	self[len] = 0;
	char *slash = strrchr(self, '/');
	if (!slash || slash == self)
		fail("/proc/self/exe is %s", self);
	*slash = 0;
	char *base = slash + 1;
	char *old_path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	char path[4200];
	snprintf(path, sizeof path, "/nonexistent-dir:%s", self);
	setenv("PATH", path, 1);
	char *pav[5];
	exec_argv(pav, "45");
	pav[0] = base;
	rc = posix_spawnp(&pid, base, NULL, NULL, pav, environ);
	if (rc)
		fail("posix_spawnp(\"%s\") with PATH=%s: %s", base, path, errname(rc));
	expect_exit(pid, 45, "the child posix_spawnp found through PATH");
	rc = posix_spawnp(&pid, "no-such-program-anywhere", NULL, NULL, pav, environ);
	expect_spawn_failure(rc, pid, "posix_spawnp of a name on no PATH entry");
	if (old_path)
		setenv("PATH", old_path, 1);
	else
		unsetenv("PATH");
	free(old_path);
	ok("posix_spawnp finds a program through PATH, past a missing directory; a name found nowhere fails");
}

/* ---- the exec'd stages: checks only, results through the exit status ---- */

static int stage(int argc, char **argv)
{
	if (!strcmp(argv[1], "exec-check")) {
		if (argc != 4)
			fail("exec-check: %d args", argc);
		if (getppid() != atoi(argv[2]))
			fail("exec-check: getppid %d, expected %s", (int)getppid(), argv[2]);
		return atoi(argv[3]);
	}
	if (!strcmp(argv[1], "spawn-out")) {
		printf("spawned pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
		return 0;
	}
	if (!strcmp(argv[1], "sig-check") && argc == 5) {
		struct sigaction a1, a2;
		sigaction(SIGUSR1, NULL, &a1);
		sigaction(SIGUSR2, NULL, &a2);
		void (*want1)(int) = !strcmp(argv[2], "dfl") ? SIG_DFL : SIG_IGN;
		if (a1.sa_handler != want1)
			fail("sig-check: SIGUSR1 is %s, expected %s", a1.sa_handler == SIG_IGN ? "ignored" : "not ignored", argv[2]);
		if (a2.sa_handler != SIG_IGN)
			fail("sig-check: SIGUSR2 is no longer ignored");
		sigset_t m;
		sigprocmask(SIG_BLOCK, NULL, &m);
		if (!sigismember(&m, atoi(argv[3])) || sigismember(&m, atoi(argv[4])))
			fail("sig-check: signal %s blocked %d, signal %s blocked %d", argv[3],
			     sigismember(&m, atoi(argv[3])), argv[4], sigismember(&m, atoi(argv[4])));
		return 0;
	}
	fail("unknown stage %s (%d args)", argv[1], argc);
}

int main(int argc, char **argv)
{
	argv0 = argv[0];
	if (argc > 1)
		return stage(argc, argv);
	snprintf(parent_pid, sizeof parent_pid, "%d", (int)getpid());
	libc_vfork();
	raw_vfork("a patched site", vfork_write_exit_patched, vfork_exec_patched);
	raw_vfork("a trapped site", vfork_write_exit_trapped, vfork_exec_trapped);
	clone_vfork();
	spawn();
	int st;
	expect_err(waitpid(-1, &st, WNOHANG), ECHILD, "a child left at the end");
	return 0;
}
