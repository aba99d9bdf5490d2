/* bench/micro/spawn.c — posix_spawn of this program (which then exits at once) and waitpid: vfork
 * plus exec plus the new program's start. */
#include "bench.h"
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
extern char **environ;
static void spawn_wait(const char *self)
{
	pid_t p;
	char *av[] = { (char *)self, "child", NULL };
	if (posix_spawn(&p, self, NULL, NULL, av, environ) == 0)
		waitpid(p, NULL, 0);
}
int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return 0;
	static char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return 1;
	BENCH(argc, argv, 100, spawn_wait(self));
	return 0;
}
