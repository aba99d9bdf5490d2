/* bench/micro/brk.c — the break moved up 64 KiB, the first new page written, and moved back down
 * (sbrk, so libc's idea of the break stays right). */
#include "bench.h"
#include <unistd.h>

static void once(void)
{
	char *p = sbrk(65536);
	if (p == (void *)-1)
		exit(1);
	p[0] = 1;
	sbrk(-65536);
}

int main(int argc, char **argv)
{
	BENCH(argc, argv, 5000, once());
	return 0;
}
