/* tests/programs/pipe_owner.c — a pipe belongs to the user who made it (Linux's pipefs inode):
 * fstat shows its creator, who may fchmod and fchown it within the usual rules.
 */
#include "check.h"
#include <sys/xattr.h>

static void check_own_pipe(uid_t uid, gid_t gid, const char *who)
{
	int p[2];
	char what[96];
	xpipe(p);
	struct stat st;
	expect_ok(fstat(p[0], &st), "fstat of the pipe");
	snprintf(what, sizeof(what), "%s: the pipe's owner", who);
	expect_eq(st.st_uid, uid, what);
	expect_eq(st.st_gid, gid, what);
	expect_ok(fchmod(p[1], 0640), "fchmod of one's own pipe");
	expect_ok(fstat(p[0], &st), "fstat after fchmod");
	expect_eq(st.st_mode & 07777, 0640, "the pipe's mode after fchmod");
	expect_ok(fchown(p[0], -1, -1), "fchown(-1, -1) of one's own pipe");
	if (uid != 0)
		expect_err(fchown(p[0], 0, -1), EPERM, "giving one's pipe away");
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	check_own_pipe(geteuid(), getegid(), "root");
	ok("a pipe made by root is root's: fchmod and fchown as Linux's");
	pid_t c = xfork();
	if (c == 0) {
		if (setgid(1000) != 0 || setuid(1000) != 0)
			fail("cannot become uid 1000");
		check_own_pipe(1000, 1000, "uid 1000");
		exit(0);
	}
	expect_exit(c, 0, "the uid 1000 child");
	ok("a pipe made by uid 1000 is its: fchmod and fchown(-1, -1) allowed, giving it away EPERM");
	return 0;
}
