/* cli/main.c — placeholder entry of the `cella` command until the CLI lands. */
#include <stdio.h>
int main(void) { fputs("cella: not built yet\n", stderr); return 1; }
