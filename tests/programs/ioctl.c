/* tests/programs/ioctl.c — ioctl on objects that are not terminals: TCGETS on a file, a pipe and
 * /dev/null is ENOTTY; FIONREAD counts pipe and file bytes; FIONBIO and FIOCLEX set fd flags. */
#include "check.h"
#include <sys/ioctl.h>
#include <termios.h>

int main(void)
{
	struct termios t;
	int fd = expect_ok(open(scratch_file("f", "0123456789", 0644), O_RDWR), "open");
	expect_err(ioctl(fd, TCGETS, &t), ENOTTY, "TCGETS on file");
	ok("TCGETS on a regular file is ENOTTY");
	expect_err(isatty(fd) ? 0 : -1, ENOTTY, "isatty on file");
	ok("isatty on a regular file is 0 with ENOTTY");
	int n = -1;
	expect_ok(ioctl(fd, FIONREAD, &n), "FIONREAD on file");
	expect_eq(n, 10, "FIONREAD file");
	expect_ok(lseek(fd, 4, SEEK_SET), "seek");
	expect_ok(ioctl(fd, FIONREAD, &n), "FIONREAD on file");
	expect_eq(n, 6, "FIONREAD file after seek");
	ok("FIONREAD on a file counts bytes from the offset to the end");
	int on = 1;
	expect_ok(ioctl(fd, FIONBIO, &on), "FIONBIO");
	expect_true(fcntl(fd, F_GETFL) & O_NONBLOCK, "FIONBIO sets O_NONBLOCK");
	on = 0;
	expect_ok(ioctl(fd, FIONBIO, &on), "FIONBIO off");
	expect_true(!(fcntl(fd, F_GETFL) & O_NONBLOCK), "FIONBIO clears O_NONBLOCK");
	ok("FIONBIO sets and clears O_NONBLOCK");
	expect_ok(ioctl(fd, FIOCLEX), "FIOCLEX");
	expect_eq(fcntl(fd, F_GETFD), FD_CLOEXEC, "FIOCLEX sets cloexec");
	expect_ok(ioctl(fd, FIONCLEX), "FIONCLEX");
	expect_eq(fcntl(fd, F_GETFD), 0, "FIONCLEX clears cloexec");
	ok("FIOCLEX and FIONCLEX set and clear FD_CLOEXEC");
	close(fd);

	int p[2];
	expect_ok(pipe(p), "pipe");
	expect_err(ioctl(p[0], TCGETS, &t), ENOTTY, "TCGETS on pipe");
	ok("TCGETS on a pipe is ENOTTY");
	expect_ok(ioctl(p[0], FIONREAD, &n), "FIONREAD empty pipe");
	expect_eq(n, 0, "empty pipe");
	expect_eq(write(p[1], "abc", 3), 3, "write");
	expect_ok(ioctl(p[0], FIONREAD, &n), "FIONREAD pipe");
	expect_eq(n, 3, "pipe count");
	ok("FIONREAD on a pipe counts unread bytes");
	close(p[0]);
	close(p[1]);
	int nul = expect_ok(open("/dev/null", O_RDWR), "open /dev/null");
	expect_err(ioctl(nul, TCGETS, &t), ENOTTY, "TCGETS on /dev/null");
	ok("TCGETS on /dev/null is ENOTTY");
	struct winsize ws;
	expect_err(ioctl(nul, TIOCGWINSZ, &ws), ENOTTY, "TIOCGWINSZ on /dev/null");
	ok("TIOCGWINSZ on /dev/null is ENOTTY");
	close(nul);
	expect_err(ioctl(9999, FIONREAD, &n), EBADF, "ioctl bad fd");
	ok("ioctl on a bad fd is EBADF");
	return 0;
}
