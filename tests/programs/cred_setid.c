/* tests/programs/cred_setid.c — the set*id family as Linux has it: which of the real, effective,
 * saved and fs ids each call sets, -1 as "unchanged", what an unprivileged caller may do (EPERM
 * otherwise), the saved-id rule of setreuid, setfsuid's answers. Each case runs in a forked child
 * so that it starts as root. */
#include "check.h"

static long sys3(long nr, long a, long b, long c) { return syscall(nr, a, b, c); }

/* The four user ids (the fs uid read with setfsuid(-1), which changes nothing). */
static void expect_uids(unsigned r, unsigned e, unsigned s, unsigned fs, const char *what)
{
	uid_t gr, ge, gs;
	expect_ok(syscall(SYS_getresuid, &gr, &ge, &gs), "getresuid");
	long gfs = syscall(SYS_setfsuid, -1);
	if (gr != r || ge != e || gs != s || gfs != (long)fs)
		fail("%s: expected uids %u/%u/%u fs %u, got %u/%u/%u fs %ld", what, r, e, s, fs,
		     gr, ge, gs, gfs);
}

static void expect_gids(unsigned r, unsigned e, unsigned s, unsigned fs, const char *what)
{
	gid_t gr, ge, gs;
	expect_ok(syscall(SYS_getresgid, &gr, &ge, &gs), "getresgid");
	long gfs = syscall(SYS_setfsgid, -1);
	if (gr != r || ge != e || gs != s || gfs != (long)fs)
		fail("%s: expected gids %u/%u/%u fs %u, got %u/%u/%u fs %ld", what, r, e, s, fs,
		     gr, ge, gs, gfs);
}

static void case_setuid(void)
{
	expect_err(syscall(SYS_setuid, -1), EINVAL, "setuid(-1)");
	expect_ok(syscall(SYS_setuid, 1000), "root setuid(1000)");
	expect_uids(1000, 1000, 1000, 1000, "after root setuid(1000)");
	expect_err(syscall(SYS_setuid, 0), EPERM, "setuid(0) as uid 1000");
	expect_err(syscall(SYS_setuid, 2000), EPERM, "setuid(2000) as uid 1000");
	expect_ok(syscall(SYS_setuid, 1000), "setuid to its own uid");
	ok("root setuid sets real, effective, saved and fs uid; uid 1000 may only keep its own");
}

static void case_setuid_unpriv(void)
{
	expect_ok(sys3(SYS_setresuid, 1000, 2000, 3000), "setresuid(1000, 2000, 3000)");
	expect_uids(1000, 2000, 3000, 2000, "after setresuid");
	expect_ok(syscall(SYS_setuid, 3000), "setuid to the saved uid");
	expect_uids(1000, 3000, 3000, 3000, "setuid(saved) unprivileged");
	expect_ok(syscall(SYS_setuid, 1000), "setuid to the real uid");
	expect_uids(1000, 1000, 3000, 1000, "setuid(real) unprivileged");
	expect_err(syscall(SYS_setuid, 2000), EPERM, "setuid to an id it no longer has");
	ok("unprivileged setuid changes only the effective and fs uid, to the real or saved one");
}

static void case_seteuid_back(void)
{
	expect_ok(sys3(SYS_setresuid, -1, 1000, -1), "seteuid(1000)");
	expect_uids(0, 1000, 0, 1000, "after seteuid(1000)");
	expect_ok(sys3(SYS_setresuid, -1, 0, -1), "seteuid(0) back");
	expect_uids(0, 0, 0, 0, "after seteuid(0)");
	expect_ok(syscall(SYS_setuid, 0), "root setuid(0)");
	ok("seteuid away from 0 and back (the saved uid is still 0)");
}

static void case_setreuid(void)
{
	expect_ok(syscall(SYS_setreuid, 1000, 2000), "root setreuid(1000, 2000)");
	expect_uids(1000, 2000, 2000, 2000, "setreuid sets saved to the new effective");
	expect_ok(syscall(SYS_setreuid, -1, 1000), "setreuid(-1, real)");
	expect_uids(1000, 1000, 2000, 1000, "effective set to the old real: saved unchanged");
	expect_err(syscall(SYS_setreuid, 2000, -1), EPERM, "real to the saved uid");
	expect_ok(syscall(SYS_setreuid, -1, 2000), "effective to the saved uid");
	expect_uids(1000, 2000, 2000, 2000, "effective to saved");
	expect_ok(syscall(SYS_setreuid, 2000, -1), "real to the effective uid");
	expect_uids(2000, 2000, 2000, 2000, "setting the real uid sets saved to effective");
	expect_err(syscall(SYS_setreuid, 1000, 1000), EPERM, "setreuid to a lost id");
	expect_ok(syscall(SYS_setreuid, -1, -1), "setreuid(-1, -1)");
	ok("setreuid: real from real or effective, effective from any of the three, saved follows");
}

static void case_setreuid_swap(void)
{
	expect_ok(syscall(SYS_setresuid, 1000, 2000, 3000), "setresuid");
	expect_ok(syscall(SYS_setreuid, 2000, 1000), "swap real and effective");
	expect_uids(2000, 1000, 1000, 1000, "swapped: saved follows effective");
	expect_err(syscall(SYS_setreuid, -1, 3000), EPERM, "the old saved uid is gone");
	ok("setreuid swaps real and effective unprivileged");
}

static void case_setresuid(void)
{
	expect_ok(sys3(SYS_setresuid, 1000, 2000, 3000), "root setresuid");
	expect_ok(sys3(SYS_setresuid, 3000, 1000, 2000), "a permutation unprivileged");
	expect_uids(3000, 1000, 2000, 1000, "permuted");
	expect_ok(sys3(SYS_setresuid, -1, -1, -1), "all -1");
	expect_uids(3000, 1000, 2000, 1000, "all -1 changes nothing");
	expect_err(sys3(SYS_setresuid, -1, 4000, -1), EPERM, "a new id unprivileged");
	expect_err(sys3(SYS_setresuid, 1000, 4000, 2000), EPERM, "one new id among old ones");
	expect_uids(3000, 1000, 2000, 1000, "a refused call changes nothing");
	expect_ok(sys3(SYS_setresuid, 2000, 2000, 2000), "all to one of them");
	expect_uids(2000, 2000, 2000, 2000, "all to one");
	ok("setresuid: any of the current three unprivileged, -1 unchanged, a refusal changes nothing");
}

static void case_setresuid_noop(void)
{
	expect_ok(sys3(SYS_setresuid, 1000, 1000, 1000), "drop");
	expect_ok(sys3(SYS_setresuid, 1000, 1000, 1000), "the same again (a thread's repeat)");
	expect_ok(syscall(SYS_setuid, 1000), "setuid repeat");
	expect_ok(syscall(SYS_setreuid, 1000, 1000), "setreuid repeat");
	ok("repeating a set*id call unprivileged succeeds");
}

static void case_setfsuid(void)
{
	expect_eq(syscall(SYS_setfsuid, 1234), 0, "root setfsuid returns the old fs uid");
	expect_uids(0, 0, 0, 1234, "root may set any fs uid");
	expect_eq(syscall(SYS_setfsuid, 0), 1234, "and back");
	expect_ok(sys3(SYS_setresuid, 1000, 2000, 3000), "drop");
	expect_eq(syscall(SYS_setfsuid, 5000), 2000, "unprivileged setfsuid to a new id");
	expect_uids(1000, 2000, 3000, 2000, "refused: fs uid unchanged");
	expect_eq(syscall(SYS_setfsuid, 3000), 2000, "setfsuid to the saved uid");
	expect_eq(syscall(SYS_setfsuid, 1000), 3000, "setfsuid to the real uid");
	expect_uids(1000, 2000, 3000, 1000, "fs uid set to the real");
	expect_ok(sys3(SYS_setresuid, -1, 3000, -1), "an effective change");
	expect_uids(1000, 3000, 3000, 3000, "the fs uid follows the effective uid");
	expect_ok(sys3(SYS_setresuid, 1000, 1000, 1000), "drop");
	expect_ok(syscall(SYS_setfsuid, 1000), "setfsuid(own)");
	ok("setfsuid returns the old fs uid, changes it only when allowed; it follows the effective uid");
}

static void case_gids(void)
{
	expect_err(syscall(SYS_setgid, -1), EINVAL, "setgid(-1)");
	expect_ok(syscall(SYS_setgid, 100), "root setgid(100)");
	expect_gids(100, 100, 100, 100, "root setgid sets all four");
	expect_ok(sys3(SYS_setresgid, 100, 200, 300), "root setresgid");
	expect_gids(100, 200, 300, 200, "setresgid");
	expect_ok(syscall(SYS_setregid, 300, -1), "setregid(real) with CAP_SETGID");
	expect_gids(300, 200, 200, 200, "setregid real: saved follows effective");
	expect_eq(syscall(SYS_setfsgid, 777), 200, "root setfsgid");
	expect_gids(300, 200, 200, 777, "fs gid");
	expect_ok(sys3(SYS_setresuid, 1000, 1000, 1000), "uid drop (CAP_SETGID goes with it)");
	expect_err(syscall(SYS_setgid, 5), EPERM, "setgid to a new gid unprivileged");
	expect_ok(syscall(SYS_setgid, 300), "setgid to the real gid");
	expect_gids(300, 300, 200, 300, "unprivileged setgid: effective and fs only");
	expect_err(syscall(SYS_setregid, 400, -1), EPERM, "setregid real unprivileged to a new id");
	expect_err(syscall(SYS_setregid, 200, -1), EPERM, "real gid to the saved gid");
	expect_ok(syscall(SYS_setregid, -1, 200), "effective gid to the saved gid");
	expect_gids(300, 200, 200, 200, "setregid effective (not the old real): saved follows");
	expect_err(sys3(SYS_setresgid, -1, -1, 9), EPERM, "setresgid new saved gid");
	expect_ok(sys3(SYS_setresgid, 200, 300, 300), "setresgid among its own");
	expect_gids(200, 300, 300, 300, "setresgid unprivileged");
	expect_eq(syscall(SYS_setfsgid, 9), 300, "setfsgid refused");
	expect_eq(syscall(SYS_setfsgid, 200), 300, "setfsgid to the real gid");
	expect_gids(200, 300, 300, 200, "fs gid set");
	ok("the gid calls follow the same rules with CAP_SETGID");
}

static void run(void (*fn)(void), const char *what)
{
	pid_t p = xfork();
	if (p == 0) {
		fn();
		exit(0);
	}
	expect_exit(p, 0, what);
}

int main(void)
{
	run(case_setuid, "setuid");
	run(case_setuid_unpriv, "setuid unprivileged");
	run(case_seteuid_back, "seteuid back");
	run(case_setreuid, "setreuid");
	run(case_setreuid_swap, "setreuid swap");
	run(case_setresuid, "setresuid");
	run(case_setresuid_noop, "repeat");
	run(case_setfsuid, "setfsuid");
	run(case_gids, "gids");
	expect_uids(0, 0, 0, 0, "the parent is still root");
	ok("children's changes leave the parent as it was");
	return 0;
}
