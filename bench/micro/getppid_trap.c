/* bench/micro/getppid_trap.c — the null syscall from a site no patcher may touch (the number comes
 * from a register), so under cella it always takes the trap path. */
#include "bench.h"
static inline long raw_getppid(long nr)
{
	long r;
	__asm__ volatile("mov %1, %%rax\n\tsyscall" : "=a"(r) : "r"(nr) : "rcx", "r11", "memory");
	return r;
}
int main(int argc, char **argv) { BENCH(argc, argv, 100000, raw_getppid(110)); return 0; }
