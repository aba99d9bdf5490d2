/* bench/micro/access.c — access(R_OK) of an image file. */
#include "bench.h"
#include <unistd.h>
int main(int argc, char **argv)
{
	const char *path = argc > 2 ? argv[2] : "/etc/passwd";
	BENCH(argc, argv, 50000, access(path, R_OK));
	return 0;
}
