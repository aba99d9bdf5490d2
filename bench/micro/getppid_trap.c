/* bench/micro/getppid_trap.c — the null syscall from a site no patcher may touch (the number is
 * loaded from memory right before the syscall: no site kind replays a memory load), so under
 * cella it always takes the trap path. */
#include "bench.h"
static inline long raw_getppid(long nr)
{
	long r;
	__asm__ volatile("mov %1, %%eax\n\tsyscall" : "=a"(r) : "m"(nr) : "rcx", "r11", "memory");
	return r;
}
int main(int argc, char **argv) { BENCH(argc, argv, 100000, raw_getppid(110)); return 0; }
