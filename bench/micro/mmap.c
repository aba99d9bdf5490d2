/* bench/micro/mmap.c — mmap and munmap of 4 KiB anonymous memory, untouched. */
#include "bench.h"
#include <sys/mman.h>
int main(int argc, char **argv)
{
	BENCH(argc, argv, 50000, munmap(mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), 4096));
	return 0;
}
