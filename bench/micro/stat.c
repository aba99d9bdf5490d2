/* bench/micro/stat.c — stat of an image file. */
#include "bench.h"
#include <sys/stat.h>
int main(int argc, char **argv)
{
	struct stat st;
	const char *path = argc > 2 ? argv[2] : "/etc/passwd";
	BENCH(argc, argv, 50000, stat(path, &st));
	return 0;
}
