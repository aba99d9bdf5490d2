/* tests/programs/personality.c — personality: 0xffffffff only queries, the previous value comes
 * back, flag bits (ADDR_NO_RANDOMIZE) and other domains are stored as given, a fork child
 * inherits the value, and execve keeps it (less READ_IMPLIES_EXEC). */
#include "check.h"
#include <sys/personality.h>

static long pers(unsigned long v) { return syscall(SYS_personality, v); }

int main(int argc, char **argv)
{
	if (argc > 1) {	/* after execve: print what survived */
		printf("%lx\n", pers(0xffffffff));
		return 0;
	}
	expect_eq(pers(0xffffffff), PER_LINUX, "initial personality");
	ok("the initial personality is PER_LINUX");
	expect_eq(pers(PER_LINUX | ADDR_NO_RANDOMIZE), PER_LINUX, "set returns old");
	expect_eq(pers(0xffffffff), PER_LINUX | ADDR_NO_RANDOMIZE, "query after set");
	ok("personality returns the previous value and stores ADDR_NO_RANDOMIZE");

	expect_eq(pers(PER_BSD), PER_LINUX | ADDR_NO_RANDOMIZE, "set PER_BSD");
	expect_eq(pers(0xffffffff), PER_BSD, "PER_BSD stored");
	expect_eq(pers(PER_LINUX32 | UNAME26), PER_BSD, "set PER_LINUX32|UNAME26");
	expect_eq(pers(0xffffffff), PER_LINUX32 | UNAME26, "stored as given");
	ok("other execution domains and flag bits are stored as given");

	expect_eq(pers(PER_LINUX | ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC), PER_LINUX32 | UNAME26, "set for fork");
	pid_t c = xfork();
	if (c == 0)
		_exit(pers(0xffffffff) == (PER_LINUX | ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC) ? 0 : 1);
	int ws;
	expect_eq(waitpid(c, &ws, 0), c, "waitpid");
	expect_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "child saw the parent's personality");
	ok("a fork child inherits the personality");

	int p[2];
	xpipe(p);
	fflush(stdout);
	c = xfork();
	if (c == 0) {
		dup2(p[1], 1);
		execl("/proc/self/exe", argv[0], "child", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char out[64];
	read_to_eof(p[0], out, sizeof out, "exec child output");
	expect_eq(waitpid(c, &ws, 0), c, "waitpid exec");
	expect_str(out, "40000\n", "personality after execve");
	ok("execve keeps the personality and clears READ_IMPLIES_EXEC");
	expect_eq(pers(PER_LINUX), PER_LINUX | ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC, "reset");
	return 0;
}
