/* bench/micro/pipe1.c — write 1 byte into a pipe and read it back (two syscalls per operation). */
#include "bench.h"
#include <unistd.h>
int main(int argc, char **argv)
{
	int p[2];
	char c = 'x';
	if (pipe(p))
		return 1;
	BENCH(argc, argv, 100000, (write(p[1], &c, 1), read(p[0], &c, 1)));
	return 0;
}
