/* tests/programs/ids.c — process and user identity inside the instance: pid 1 with parent 0, tid
 * equals pid in a single-threaded process, uid/gid 0, umask returns the previous mask. */
#include "check.h"
#include <grp.h>
#include <signal.h>
#include <sys/stat.h>

int main(void)
{
	expect_eq(getpid(), 1, "getpid");
	expect_eq(syscall(SYS_getpid), 1, "raw getpid");
	ok("getpid is 1");
	expect_eq(getppid(), 0, "getppid");
	ok("getppid is 0");
	expect_eq(syscall(SYS_gettid), 1, "gettid");
	ok("gettid equals getpid in the main thread");
	expect_eq(getuid(), 0, "getuid");
	expect_eq(geteuid(), 0, "geteuid");
	expect_eq(getgid(), 0, "getgid");
	expect_eq(getegid(), 0, "getegid");
	ok("getuid, geteuid, getgid, getegid are 0");
	uid_t r, e, s;
	expect_ok(getresuid(&r, &e, &s), "getresuid");
	expect_true(r == 0 && e == 0 && s == 0, "resuid all 0");
	gid_t gr, ge, gs;
	expect_ok(getresgid(&gr, &ge, &gs), "getresgid");
	expect_true(gr == 0 && ge == 0 && gs == 0, "resgid all 0");
	ok("getresuid and getresgid are all 0");
	expect_true(getpgid(0) >= 0, "getpgid");
	expect_eq(getpgid(0), getpgrp(), "getpgid(0) == getpgrp");
	expect_true(getsid(0) >= 0, "getsid");
	ok("getpgid(0) equals getpgrp; getsid(0) succeeds");
	expect_err(getpgid(12345), ESRCH, "getpgid of missing pid");
	expect_err(kill(12345, 0), ESRCH, "kill 0 to missing pid");
	ok("getpgid and kill(sig 0) on a missing pid are ESRCH");
	expect_ok(kill(1, 0), "kill(1, 0)");
	ok("kill(self, 0) succeeds");

	mode_t old = umask(027);
	mode_t mid = umask(old);
	expect_eq(mid, 027, "umask returns the previous mask");
	expect_eq(umask(old), old, "umask restored");
	ok("umask returns the previous mask");
	umask(077);
	int fd = expect_ok(open(scratch_path("u"), O_CREAT | O_WRONLY, 0666), "create under umask");
	struct stat st;
	expect_ok(fstat(fd, &st), "fstat");
	expect_eq(st.st_mode & 0777, 0600, "mode under umask 077");
	close(fd);
	umask(old);
	ok("umask 077 turns a 0666 create into 0600");
	gid_t groups[64];
	expect_true(getgroups(64, groups) >= 0, "getgroups");
	ok("getgroups succeeds");
	return 0;
}
