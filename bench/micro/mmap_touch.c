/* bench/micro/mmap_touch.c — mmap, write one byte in every page, munmap, of anonymous private
 * memory; the size in bytes is argv[2] (4096 if absent). Includes the page faults. */
#include "bench.h"
#include <sys/mman.h>

static void once(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		exit(1);
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	munmap(p, len);
}

int main(int argc, char **argv)
{
	size_t len = argc > 2 ? (size_t)atol(argv[2]) : 4096;
	BENCH(argc, argv, 20000, once(len));
	return 0;
}
