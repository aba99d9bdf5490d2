/* tests/programs/hello.c — the smallest program: prints one fixed line and exits 0, so that a
 * failure here means start-up, stdout or exit is broken, not a syscall. */
#include <stdio.h>

int main(void)
{
	printf("hello, world\n");
	return 0;
}
