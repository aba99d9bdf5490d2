/* bench/micro/mprotect.c — mprotect of one touched page, alternating read-write and read-only
 * (each call splits or re-merges the VMA around it). */
#include "bench.h"
#include <sys/mman.h>
int main(int argc, char **argv)
{
	/* the page sits inside a bigger mapping, so every toggle splits or merges a VMA */
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	p[4096] = 1;
	int k = 0;
	BENCH(argc, argv, 20000, mprotect(p + 4096, 4096, (k++ & 1) ? PROT_READ | PROT_WRITE : PROT_READ));
	return 0;
}
