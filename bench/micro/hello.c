/* bench/micro/hello.c — start-up cost: prints one line and exits. */
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
