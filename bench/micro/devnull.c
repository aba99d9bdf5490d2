/* bench/micro/devnull.c — read or write of 1 byte on /dev/null ("read" or "write" as argv[2]). */
#include "bench.h"
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	int fd = open("/dev/null", O_RDWR);
	char c = 'x';
	if (argc > 2 && strcmp(argv[2], "read") == 0)
		BENCH(argc, argv, 200000, read(fd, &c, 1));
	else
		BENCH(argc, argv, 200000, write(fd, &c, 1));
	return 0;
}
