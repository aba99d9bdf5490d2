/* bench/micro/openclose.c — open and close an image file. */
#include "bench.h"
#include <fcntl.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	const char *path = argc > 2 ? argv[2] : "/etc/passwd";
	BENCH(argc, argv, 50000, close(open(path, O_RDONLY)));
	return 0;
}
