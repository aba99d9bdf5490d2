/* bench/micro/getppid.c — the null syscall through libc's wrapper (`mov $110,%eax; syscall`: the
 * site a patching LibOS can rewrite). */
#include "bench.h"
#include <unistd.h>
int main(int argc, char **argv) { BENCH(argc, argv, 200000, getppid()); return 0; }
