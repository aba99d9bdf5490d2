/* bench/micro/pagefault.c — page-fault throughput: ns per first write to a fresh page of one big
 * anonymous mapping (every page is touched once, warm-up included). */
#include "bench.h"
#include <sys/mman.h>
int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 16384;
	size_t len = (size_t)(n + n / 10 + 2) * 4096;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	size_t k = 0;
	BENCH(argc, argv, 16384, p[(k++) * 4096] = 1);
	return 0;
}
