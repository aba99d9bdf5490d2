/* tests/programs/cred_groups.c — getgroups and setgroups as Linux has them: the count query, the
 * list sorted with duplicates kept, NGROUPS_MAX (65536), EINVAL for a short buffer or a bad size,
 * EFAULT, EPERM without CAP_SETGID (checked first), inheritance over fork. */
#include "check.h"
#include <sys/mman.h>

static long setg(long n, const void *l) { return syscall(SYS_setgroups, n, l); }
static long getg(long n, void *l) { return syscall(SYS_getgroups, n, l); }

int main(void)
{
	expect_ok(setg(0, NULL), "setgroups(0, NULL)");
	expect_eq(getg(0, NULL), 0, "getgroups(0, NULL) after clearing");
	ok("setgroups(0, NULL) clears the groups; getgroups(0, NULL) counts them");

	gid_t in[4] = { 30, 10, 20, 10 }, out[8] = { 0 };
	expect_ok(setg(4, in), "setgroups of four");
	expect_eq(getg(0, NULL), 4, "count");
	expect_eq(getg(8, out), 4, "getgroups(8)");
	expect_true(out[0] == 10 && out[1] == 10 && out[2] == 20 && out[3] == 30, "sorted, duplicates kept");
	memset(out, 0, sizeof(out));
	expect_eq(getg(4, out), 4, "getgroups with an exact buffer");
	ok("getgroups returns the groups sorted, duplicates kept");
	expect_err(getg(3, out), EINVAL, "getgroups with a buffer too small");
	expect_err(getg(-1, out), EINVAL, "getgroups(-1)");
	expect_err(getg(4, (void *)8), EFAULT, "getgroups at a bad pointer");
	expect_eq(getg(0, (void *)8), 4, "getgroups(0) ignores the pointer");
	ok("getgroups: EINVAL for a short buffer or a negative size, EFAULT for a bad buffer");

	expect_err(setg(65537, in), EINVAL, "setgroups over NGROUPS_MAX");
	expect_err(setg(-1, in), EINVAL, "setgroups(-1)");
	expect_err(setg(2, (void *)8), EFAULT, "setgroups from a bad pointer");
	gid_t bad[2] = { 5, (gid_t)-1 };
	expect_err(setg(2, bad), EINVAL, "a gid of -1");
	expect_eq(getg(0, NULL), 4, "refused calls leave the groups");
	ok("setgroups: EINVAL over 65536 or for gid -1, EFAULT for a bad list, refusals change nothing");

	size_t big = 65536 * sizeof(gid_t);
	gid_t *many = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_true(many != MAP_FAILED, "mmap");
	for (int i = 0; i < 65536; i++)
		many[i] = (gid_t)(65536 - i);
	expect_ok(setg(65536, many), "setgroups of NGROUPS_MAX");
	memset(many, 0, big);
	expect_eq(getg(65536, many), 65536, "getgroups of NGROUPS_MAX");
	int sorted = 1;
	for (int i = 0; i < 65536; i++)
		sorted &= many[i] == (gid_t)(i + 1);
	expect_true(sorted, "65536 groups sorted");
	munmap(many, big);
	ok("65536 groups are accepted and come back sorted");

	gid_t two[2] = { 7, 3 };
	expect_ok(setg(2, two), "setgroups of two");
	pid_t p = xfork();
	if (p == 0) {
		gid_t c[4];
		expect_eq(getg(4, c), 2, "child count");
		expect_true(c[0] == 3 && c[1] == 7, "child groups");
		gid_t one = 9;
		expect_ok(setg(1, &one), "child setgroups");
		exit(0);
	}
	expect_exit(p, 0, "fork child");
	expect_eq(getg(4, out), 2, "parent keeps its groups");
	expect_true(out[0] == 3 && out[1] == 7, "parent groups unchanged");
	ok("a fork child inherits the groups; its setgroups leaves the parent's");

	p = xfork();
	if (p == 0) {
		expect_ok(syscall(SYS_setresuid, 1000, 1000, 1000), "drop to uid 1000");
		expect_err(setg(1, two), EPERM, "setgroups without CAP_SETGID");
		expect_err(setg(-1, two), EPERM, "EPERM comes before the size check");
		expect_err(setg(0, NULL), EPERM, "even clearing");
		expect_eq(getg(0, NULL), 2, "the groups stay after the uid drop");
		exit(0);
	}
	expect_exit(p, 0, "unprivileged child");
	ok("setgroups needs CAP_SETGID (EPERM first); the groups survive a uid drop");
	return 0;
}
