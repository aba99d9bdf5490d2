/* tests/programs/dup_fcntl.c — fd duplication and fcntl: dup, dup2, dup3, F_DUPFD(_CLOEXEC),
 * F_GETFD/F_SETFD, F_GETFL/F_SETFL; shared offsets between duplicates; EBADF and EINVAL cases. */
#include "check.h"

int main(void)
{
	const char *p = scratch_file("f", "abcdef", 0644);
	int fd = expect_ok(open(p, O_RDWR), "open");
	int d = expect_ok(dup(fd), "dup");
	expect_true(d > fd, "dup returns a new, higher fd");
	char c;
	expect_eq(read(fd, &c, 1), 1, "read via original");
	expect_eq(lseek(d, 0, SEEK_CUR), 1, "offset seen via dup");
	ok("dup gives a new fd sharing the file offset");
	expect_eq(fcntl(d, F_GETFD), 0, "dup clears FD_CLOEXEC");
	ok("dup's fd has FD_CLOEXEC clear");

	expect_eq(dup2(fd, fd), fd, "dup2 same fd");
	ok("dup2(fd, fd) returns fd");
	expect_err(dup2(fd + 100, fd + 101), EBADF, "dup2 bad oldfd");
	expect_err(dup2(9999, 9999), EBADF, "dup2(bad, bad)");
	ok("dup2 with a closed oldfd is EBADF (even when newfd == oldfd)");
	expect_eq(dup2(fd, 50), 50, "dup2 to 50");
	expect_eq(lseek(50, 0, SEEK_CUR), 1, "offset via dup2 fd");
	expect_eq(dup2(d, 50), 50, "dup2 over an open fd");
	ok("dup2 to a chosen fd, and over an already open one");
	expect_err(dup2(fd, -1), EBADF, "dup2 to -1");
	expect_err(dup2(fd, 1 << 30), EBADF, "dup2 to a huge fd");
	ok("dup2 to a negative or huge newfd is EBADF");

	expect_err(syscall(SYS_dup3, fd, fd, 0), EINVAL, "dup3 same fd");
	ok("dup3(fd, fd, 0) is EINVAL");
	expect_err(syscall(SYS_dup3, fd, 51, 0x4), EINVAL, "dup3 bad flags");
	ok("dup3 with a flag other than O_CLOEXEC is EINVAL");
	expect_eq(dup3(fd, 51, O_CLOEXEC), 51, "dup3 O_CLOEXEC");
	expect_eq(fcntl(51, F_GETFD), FD_CLOEXEC, "dup3 sets FD_CLOEXEC");
	expect_eq(dup3(fd, 51, 0), 51, "dup3 without flags");
	expect_eq(fcntl(51, F_GETFD), 0, "dup3 without O_CLOEXEC clears it");
	ok("dup3 sets FD_CLOEXEC only with O_CLOEXEC");

	close(40); close(41);
	expect_eq(fcntl(fd, F_DUPFD, 40), 40, "F_DUPFD 40");
	expect_eq(fcntl(fd, F_DUPFD, 40), 41, "F_DUPFD 40 again");
	expect_eq(fcntl(41, F_GETFD), 0, "F_DUPFD clears cloexec");
	ok("F_DUPFD returns the lowest free fd >= arg");
	int e = expect_ok(fcntl(fd, F_DUPFD_CLOEXEC, 40), "F_DUPFD_CLOEXEC");
	expect_eq(e, 42, "F_DUPFD_CLOEXEC fd");
	expect_eq(fcntl(e, F_GETFD), FD_CLOEXEC, "F_DUPFD_CLOEXEC sets cloexec");
	ok("F_DUPFD_CLOEXEC returns the lowest free fd >= arg with FD_CLOEXEC set");
	expect_err(fcntl(fd, F_DUPFD, -1), EINVAL, "F_DUPFD negative");
	ok("F_DUPFD with a negative arg is EINVAL");
	close(40); close(41); close(42); close(50); close(51);
	int low = dup(fd);
	expect_eq(low, d + 1, "dup returns lowest free");
	close(low);
	ok("dup returns the lowest free fd");

	expect_ok(fcntl(fd, F_SETFD, FD_CLOEXEC), "F_SETFD");
	expect_eq(fcntl(fd, F_GETFD), FD_CLOEXEC, "F_GETFD after set");
	expect_eq(fcntl(d, F_GETFD), 0, "cloexec is per fd");
	expect_ok(fcntl(fd, F_SETFD, 0), "F_SETFD 0");
	expect_eq(fcntl(fd, F_GETFD), 0, "F_GETFD after clear");
	ok("F_SETFD/F_GETFD round-trip FD_CLOEXEC, per fd");

	int fl = expect_ok(fcntl(fd, F_GETFL), "F_GETFL");
	expect_eq(fl & O_ACCMODE, O_RDWR, "access mode");
	expect_eq(fl & (O_NONBLOCK | O_APPEND), 0, "no NONBLOCK/APPEND yet");
	ok("F_GETFL reports O_RDWR");
	expect_ok(fcntl(fd, F_SETFL, fl | O_NONBLOCK | O_APPEND), "F_SETFL");
	fl = fcntl(fd, F_GETFL);
	expect_eq(fl & (O_NONBLOCK | O_APPEND), O_NONBLOCK | O_APPEND, "flags after F_SETFL");
	expect_eq(fcntl(d, F_GETFL) & (O_NONBLOCK | O_APPEND), O_NONBLOCK | O_APPEND, "dup shares status flags");
	ok("F_SETFL sets O_NONBLOCK and O_APPEND, shared with the dup");
	expect_ok(fcntl(fd, F_SETFL, O_RDONLY), "F_SETFL clearing");
	fl = fcntl(fd, F_GETFL);
	expect_eq(fl & O_ACCMODE, O_RDWR, "F_SETFL cannot change access mode");
	expect_eq(fl & (O_NONBLOCK | O_APPEND), 0, "flags cleared");
	ok("F_SETFL clears flags and cannot change the access mode");

	expect_err(dup(-1), EBADF, "dup(-1)");
	expect_err(dup(9999), EBADF, "dup(9999)");
	expect_err(fcntl(9999, F_GETFD), EBADF, "F_GETFD bad fd");
	expect_err(fcntl(9999, F_GETFL), EBADF, "F_GETFL bad fd");
	expect_err(fcntl(9999, F_DUPFD, 0), EBADF, "F_DUPFD bad fd");
	expect_err(syscall(SYS_dup3, 9999, 60, 0), EBADF, "dup3 bad fd");
	ok("dup, dup3 and fcntl on a bad fd are EBADF");
	expect_err(fcntl(fd, 9999), EINVAL, "fcntl unknown cmd");
	ok("fcntl with an unknown command is EINVAL");
	close(fd);
	expect_eq(read(d, &c, 1), 1, "dup survives closing the original");
	ok("a dup stays open when the original is closed");
	close(d);
	return 0;
}
