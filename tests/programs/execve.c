/* tests/programs/execve.c — execve of this program itself (/proc/self/exe) and what Linux keeps
 * across it: pid, argv and envp as given, cwd, umask, an rlimit, the signal mask, an ignored signal
 * (a handled one is back to SIG_DFL), descriptors without FD_CLOEXEC (with their offset; a dup'ed
 * pair still shares it) while FD_CLOEXEC ones are closed; and execve's errors before the point of
 * no return. Stage 1 sets things up and execs stage 2, which checks them. */
#include "check.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

static void on_usr2(int sig) { (void)sig; }

static int stage2(int argc, char **argv)
{
	if (argc != 4 || strcmp(argv[2], "two words") || strcmp(argv[3], ""))
		fail("argv after execve: %d args", argc);
	if (!getenv("EXEC_TEST") || strcmp(getenv("EXEC_TEST"), "kept") || getenv("HOME_SHOULD_BE_GONE"))
		fail("envp after execve");
	if (atoi(argv[1]) != getpid())
		fail("pid %d after execve, %s before", getpid(), argv[1]);
	ok("pid, argv and envp are the ones execve was given");

	char cwd[256];
	if (!getcwd(cwd, sizeof(cwd)) || strcmp(cwd + strlen(cwd) - 6, "/exdir"))
		fail("cwd after execve: %s", cwd);
	mode_t um = umask(0);
	if (um != 027)
		fail("umask after execve: %o", um);
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur != 100)
		fail("RLIMIT_NOFILE after execve: %lu", (unsigned long)rl.rlim_cur);
	ok("cwd, umask and limits survive execve");

	sigset_t m;
	sigprocmask(SIG_BLOCK, NULL, &m);
	struct sigaction a1, a2;
	sigaction(SIGUSR1, NULL, &a1);
	sigaction(SIGUSR2, NULL, &a2);
	if (!sigismember(&m, SIGTERM) || a1.sa_handler != SIG_IGN || a2.sa_handler != SIG_DFL)
		fail("signals after execve: TERM blocked %d, USR1 ignored %d, USR2 default %d",
		     sigismember(&m, SIGTERM), a1.sa_handler == SIG_IGN, a2.sa_handler == SIG_DFL);
	ok("the signal mask and ignored signals survive; handled ones are reset to SIG_DFL");

	char buf[16] = "";
	if (fcntl(10, F_GETFD) < 0 || read(10, buf, 5) != 5 || memcmp(buf, "56789", 5))
		fail("fd 10 (kept, offset 5) after execve: %s", buf);
	if (lseek(11, 0, SEEK_CUR) != 10)
		fail("fd 11, a dup of fd 10, no longer shares its offset");
	errno = 0;
	if (fcntl(12, F_GETFD) != -1 || errno != EBADF)
		fail("fd 12 had FD_CLOEXEC but is still open");
	if (fcntl(13, F_GETFD) < 0)
		fail("fd 13 (/dev/null, no FD_CLOEXEC) was lost");
	ok("descriptors without FD_CLOEXEC stay open with their offsets; FD_CLOEXEC ones are closed");
	/* The scratch directory is the parent of the cwd: cleaned up here. */
	char *slash = strrchr(cwd, '/');
	*slash = 0;
	strcpy(scratch_root, cwd);
	chdir("/");
	scratch_cleanup();
	/* Stage 3 through glibc's and musl's syscall() (a site cella cannot prove: the trap path;
	 * stage 2 came through the execve wrapper, a patched site). */
	char *a3[] = { "stage3", NULL };
	char *e3[] = { NULL };
	fflush(stdout);
	syscall(SYS_execve, "/proc/self/exe", a3, e3);
	fail("execve through syscall(): %s", errname(errno));
}

int main(int argc, char **argv)
{
	if (argc == 1 && !strcmp(argv[0], "stage3")) {
		ok("execve works from a trapped site as from a patched one");
		return 0;
	}
	if (argc > 1)
		return stage2(argc, argv);
	/* Errors before the point of no return. */
	char *args[] = { "x", NULL };
	char *env[] = { NULL };
	struct { const char *path; int err; } bad[] = {
		{ "/nonexistent/prog", ENOENT }, { "/", EACCES }, { "", ENOENT },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		if (execve(bad[i].path, args, env) != -1 || errno != bad[i].err)
			fail("execve(\"%s\"): expected %s, got %s", bad[i].path, errname(bad[i].err), errname(errno));
	}
	char p[256];
	snprintf(p, sizeof(p), "%s", scratch_path("plain"));
	int fd = open(p, O_WRONLY | O_CREAT, 0644);
	write(fd, "just text\n", 10);
	close(fd);
	errno = 0;
	if (execve(p, args, env) != -1 || errno != EACCES)
		fail("execve of a file without x: expected EACCES, got %s", errname(errno));
	chmod(p, 0755);
	errno = 0;
	if (execve(p, args, env) != -1 || errno != ENOEXEC)
		fail("execve of an executable text file: expected ENOEXEC, got %s", errname(errno));
	errno = 0;
	if (syscall(SYS_execve, "/proc/self/exe", 8, env) != -1 || errno != EFAULT)
		fail("execve with a bad argv: expected EFAULT, got %s", errname(errno));
	ok("execve errors: ENOENT, EACCES (directory, no x), ENOEXEC, EFAULT");

	/* Set up what stage 2 checks. */
	snprintf(p, sizeof(p), "%s", scratch_path("exdir"));
	mkdir(p, 0755);
	if (chdir(p))
		fail("chdir");
	umask(027);
	struct rlimit rl = { 100, 100 };
	setrlimit(RLIMIT_NOFILE, &rl);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGTERM);
	sigprocmask(SIG_BLOCK, &m, NULL);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, on_usr2);
	int d = open("data", O_RDWR | O_CREAT, 0644);
	write(d, "0123456789", 10);
	lseek(d, 5, SEEK_SET);
	dup2(d, 10);
	dup2(d, 11);
	close(d);
	d = open("data", O_RDONLY | O_CLOEXEC);
	dup3(d, 12, O_CLOEXEC);
	close(d);
	d = open("/dev/null", O_RDWR);
	dup2(d, 13);
	close(d);
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", getpid());
	/* Stage 2 removes the scratch directory: this image's atexit does not run after execve. */
	scratch_root[0] = 0;	/* and a failing execve below must not remove it either */
	char *a2[] = { "stage2", pid, "two words", "", NULL };
	char *e2[] = { "EXEC_TEST=kept", NULL };
	fflush(stdout);
	execve("/proc/self/exe", a2, e2);
	fail("execve of itself: %s", errname(errno));
}
