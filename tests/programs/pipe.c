/* tests/programs/pipe.c — pipe2: data flows in order, O_CLOEXEC/O_NONBLOCK flags, EAGAIN on an
 * empty non-blocking pipe, EOF once the write end is closed, EPIPE after the read end is. */
#include "check.h"
#include <signal.h>
#include <sys/ioctl.h>

int main(void)
{
	int p[2];
	expect_ok(pipe2(p, 0), "pipe2");
	expect_true(p[0] >= 0 && p[1] >= 0 && p[0] != p[1], "two distinct fds");
	expect_eq(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY, "read end O_RDONLY");
	expect_eq(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY, "write end O_WRONLY");
	ok("pipe2 returns a read end (O_RDONLY) and a write end (O_WRONLY)");
	expect_eq(write(p[1], "first ", 6), 6, "write 1");
	expect_eq(write(p[1], "second", 6), 6, "write 2");
	int avail = -1;
	expect_ok(ioctl(p[0], FIONREAD, &avail), "FIONREAD");
	expect_eq(avail, 12, "FIONREAD count");
	ok("FIONREAD on the read end counts unread bytes");
	char buf[64] = { 0 };
	expect_eq(read(p[0], buf, 4), 4, "partial read");
	expect_mem(buf, "firs", 4, "partial data");
	expect_eq(read(p[0], buf, sizeof buf), 8, "rest");
	expect_mem(buf, "t second", 8, "rest data");
	ok("bytes come out in order, a short read leaves the rest");
	expect_err(read(p[1], buf, 1), EBADF, "read from write end");
	expect_err(write(p[0], "x", 1), EBADF, "write to read end");
	ok("reading the write end or writing the read end is EBADF");
	expect_err(lseek(p[0], 0, SEEK_SET), ESPIPE, "lseek on pipe");
	ok("lseek on a pipe is ESPIPE");
	close(p[1]);
	expect_eq(read(p[0], buf, sizeof buf), 0, "read after writer closed");
	ok("read after the write end is closed returns 0");
	close(p[0]);

	expect_ok(pipe2(p, O_CLOEXEC | O_NONBLOCK), "pipe2 flags");
	expect_eq(fcntl(p[0], F_GETFD), FD_CLOEXEC, "read end cloexec");
	expect_eq(fcntl(p[1], F_GETFD), FD_CLOEXEC, "write end cloexec");
	expect_true(fcntl(p[0], F_GETFL) & O_NONBLOCK, "read end nonblock");
	expect_true(fcntl(p[1], F_GETFL) & O_NONBLOCK, "write end nonblock");
	ok("pipe2(O_CLOEXEC|O_NONBLOCK) sets both flags on both ends");
	expect_err(read(p[0], buf, 1), EAGAIN, "read empty nonblocking");
	ok("read from an empty non-blocking pipe is EAGAIN");
	/* fill it up: a non-blocking write to a full pipe is EAGAIN */
	static char chunk[4096];
	long total = 0, r;
	while ((r = write(p[1], chunk, sizeof chunk)) > 0)
		total += r;
	expect_eq(errno, EAGAIN, "write to full pipe");
	expect_true(total >= 4096, "pipe holds at least a page");
	ok("write to a full non-blocking pipe is EAGAIN");
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	expect_err(write(p[1], "x", 1), EPIPE, "write with no reader");
	ok("write with the read end closed is EPIPE (SIGPIPE ignored)");
	close(p[1]);

	expect_err(pipe2(p, 0x4), EINVAL, "pipe2 bad flags");
	ok("pipe2 with an unknown flag is EINVAL");
	expect_ok(pipe(p), "pipe");
	expect_eq(fcntl(p[0], F_GETFD), 0, "pipe no cloexec");
	close(p[0]);
	close(p[1]);
	ok("pipe() gives fds without FD_CLOEXEC");
	return 0;
}
