/* bench/micro/chown.c — chown of a file in /tmp (to its own owner: no change, same work). */
#include "bench.h"
#include <fcntl.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/cella-bench-chown-%d", (int)getpid());
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 1;
	close(fd);
	BENCH(argc, argv, 50000, chown(path, 0, 0));
	unlink(path);
	return 0;
}
