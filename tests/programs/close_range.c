/* tests/programs/close_range.c — close_range: closing every fd above 2, a bounded range, and
 * CLOSE_RANGE_CLOEXEC, which marks instead of closing; EINVAL for first > last or bad flags. */
#include "check.h"

#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#define CR_CLOEXEC (1U << 2)

static int is_open(int fd) { return fcntl(fd, F_GETFD) != -1; }

int main(void)
{
	int fds[6];
	for (int i = 0; i < 6; i++)
		fds[i] = expect_ok(open("/dev/null", O_RDONLY), "open /dev/null");
	expect_eq(dup2(fds[0], 100), 100, "dup2 to 100");
	expect_ok(syscall(SYS_close_range, fds[1], fds[2], 0), "close_range bounded");
	expect_true(is_open(fds[0]) && !is_open(fds[1]) && !is_open(fds[2]) && is_open(fds[3]), "bounded range");
	ok("close_range(a, b, 0) closes exactly a..b");
	expect_ok(syscall(SYS_close_range, fds[3], fds[5], CR_CLOEXEC), "close_range CLOEXEC");
	for (int i = 3; i < 6; i++) {
		expect_true(is_open(fds[i]), "still open after CLOEXEC");
		expect_eq(fcntl(fds[i], F_GETFD), FD_CLOEXEC, "FD_CLOEXEC set");
	}
	expect_eq(fcntl(fds[0], F_GETFD), 0, "fd outside range untouched");
	ok("close_range with CLOSE_RANGE_CLOEXEC sets FD_CLOEXEC and closes nothing");
	expect_err(syscall(SYS_close_range, 10, 5, 0), EINVAL, "first > last");
	ok("close_range with first > last is EINVAL");
	expect_err(syscall(SYS_close_range, 3, 5, 0x1000), EINVAL, "bad flags");
	ok("close_range with an unknown flag is EINVAL");
	expect_ok(syscall(SYS_close_range, 5000, 6000, 0), "range with nothing open");
	ok("close_range over a range with nothing open succeeds");
	fflush(stdout);
	expect_ok(syscall(SYS_close_range, 3, ~0U, 0), "close_range(3, ~0U)");
	int still = 0;
	for (int fd = 3; fd < 1024; fd++)
		still += is_open(fd);
	expect_eq(still, 0, "fds above 2 left open");
	expect_true(is_open(0) && is_open(1) && is_open(2), "0, 1, 2 stay open");
	ok("close_range(3, ~0U, 0) closes every fd above 2 and keeps 0, 1, 2");
	expect_eq(open("/dev/null", O_RDONLY), 3, "lowest free fd is 3 again");
	ok("the lowest free fd is 3 afterwards");
	return 0;
}
