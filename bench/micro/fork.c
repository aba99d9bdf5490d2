/* bench/micro/fork.c — fork, the child _exits at once, the parent waits for it. */
#include "bench.h"
#include <sys/wait.h>
#include <unistd.h>
static void fork_wait(void)
{
	pid_t p = fork();
	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
}
int main(int argc, char **argv)
{
	BENCH(argc, argv, 500, fork_wait());
	return 0;
}
