/* tests/programs/chown.c — chown, fchown, lchown, fchownat: owners stored and shown, -1 meaning
 * unchanged, the set-ID bits cleared as Linux clears them, ctime, symlinks, the AT_ flags, EROFS,
 * and the unprivileged owner's limits (EPERM). */
#include "as_user.h"
#include <time.h>

static struct stat st_of(const char *p)
{
	struct stat st;
	if (lstat(p, &st) != 0)
		fail("lstat %s: %s", p, errname(errno));
	return st;
}

static void expect_owner(const char *p, unsigned uid, unsigned gid, const char *what)
{
	struct stat st = st_of(p);
	if (st.st_uid != uid || st.st_gid != gid)
		fail("%s: expected %u:%u, got %u:%u", what, uid, gid, (unsigned)st.st_uid, (unsigned)st.st_gid);
}

static void expect_mode(const char *p, unsigned mode, const char *what)
{
	expect_eq(st_of(p).st_mode & 07777, mode, what);
}

static const char *mine, *roots, *roots_suid;

/* As uid 1000 in groups 1000 and 2000, owner of `mine`. */
static void unprivileged(void)
{
	expect_ok(chown(mine, (uid_t)-1, 2000), "chgrp to one of its groups");
	expect_owner(mine, 1000, 2000, "after chgrp");
	expect_err(chown(mine, (uid_t)-1, 3000), EPERM, "chgrp to a group it is not in");
	expect_ok(chown(mine, 1000, (gid_t)-1), "chown to itself");
	expect_err(chown(mine, 0, (gid_t)-1), EPERM, "chown of its file to another user");
	ok("an unprivileged owner may change the group to one of its groups only, the owner never");
	expect_err(chown(roots, 1000, (gid_t)-1), EPERM, "chown of root's file to itself");
	expect_err(chown(roots, (uid_t)-1, 1000), EPERM, "chgrp of root's file");
	expect_ok(chown(roots, (uid_t)-1, (gid_t)-1), "chown(-1, -1) of root's plain file");
	expect_err(chown(roots_suid, (uid_t)-1, (gid_t)-1), EPERM, "chown(-1, -1) of root's set-user-ID file");
	expect_mode(roots_suid, 04755, "root's set-user-ID file after the refused chown");
	ok("a non-owner gets EPERM, and chown(-1, -1) of a set-user-ID file is a mode change it may not make");
}

static void readonly(const char *dir, const char *file)
{
	expect_err(chown(file, 0, 0), EROFS, "chown on a read-only file system");
	expect_err(lchown(dir, (uid_t)-1, (gid_t)-1), EROFS, "lchown on a read-only file system");
	ok("chown on a read-only file system: EROFS");
}

/* Waits until the coarse clock has passed t, so a change after this gets a later timestamp
 * even on a file system with coarse timestamps. */
static void wait_past(struct timespec t)
{
	struct timespec now;
	do
		clock_gettime(CLOCK_REALTIME_COARSE, &now);
	while (now.tv_sec < t.tv_sec || (now.tv_sec == t.tv_sec && now.tv_nsec <= t.tv_nsec));
}

int main(void)
{
	umask(022);
	chmod(scratch(), 0755);	/* the unprivileged part reaches into it */
	const char *f = scratch_file("f", "data", 0644);
	expect_owner(f, 0, 0, "a new file");
	ok("a file root makes is 0:0");

	expect_ok(chown(f, 1000, 1000), "chown 1000:1000");
	expect_owner(f, 1000, 1000, "after chown 1000:1000");
	expect_ok(chown(f, (uid_t)-1, 2000), "chown -1:2000");
	expect_owner(f, 1000, 2000, "after chown -1:2000");
	expect_ok(chown(f, 3000, (gid_t)-1), "chown 3000:-1");
	expect_owner(f, 3000, 2000, "after chown 3000:-1");
	expect_ok(chown(f, (uid_t)-1, (gid_t)-1), "chown -1:-1");
	expect_owner(f, 3000, 2000, "after chown -1:-1");
	ok("chown sets owner and group, -1 leaves either unchanged");

	int fd = open(f, O_RDONLY | O_CLOEXEC);
	expect_ok(fchown(fd, 4000, 4001), "fchown");
	struct stat st;
	expect_ok(fstat(fd, &st), "fstat");
	expect_eq(st.st_uid, 4000, "fstat uid after fchown");
	expect_eq(st.st_gid, 4001, "fstat gid after fchown");
	expect_owner(f, 4000, 4001, "stat after fchown");
	ok("fchown changes the owner, and fstat and stat show it");
	expect_ok(syscall(SYS_fchownat, fd, "", 0, 0, AT_EMPTY_PATH), "fchownat(fd, \"\", AT_EMPTY_PATH)");
	expect_owner(f, 0, 0, "after fchownat AT_EMPTY_PATH");
	expect_err(syscall(SYS_fchownat, fd, "", 0, 0, 0), ENOENT, "fchownat(fd, \"\") without AT_EMPTY_PATH");
	expect_err(syscall(SYS_fchownat, AT_FDCWD, f, 0, 0, 0x8000), EINVAL, "fchownat with an unknown flag");
	expect_err(fchown(-1, 0, 0), EBADF, "fchown of a bad fd");
	close(fd);
	ok("fchownat: AT_EMPTY_PATH names the fd, unknown flags EINVAL; fchown of a bad fd EBADF");

	/* Set-ID bits: a chown of a non-directory clears set-user-ID, even chown(-1, -1), and
	 * set-group-ID with group execute; without group execute it stays for a caller with
	 * CAP_FSETID. A directory keeps both. */
	expect_ok(chmod(f, 06755), "chmod 6755");
	expect_ok(chown(f, (uid_t)-1, (gid_t)-1), "chown -1:-1 of a 6755 file");
	expect_mode(f, 0755, "a 6755 file after chown(-1, -1)");
	expect_ok(chmod(f, 06745), "chmod 6745");
	expect_ok(chown(f, 0, 0), "chown 0:0 of a 6745 file");
	expect_mode(f, 02745, "a 6745 file after chown by root");
	const char *d = scratch_path("d");
	expect_ok(mkdir(d, 0755), "mkdir");
	expect_ok(chmod(d, 06755), "chmod 6755 of a directory");
	expect_ok(chown(d, 5, 5), "chown of a directory");
	expect_mode(d, 06755, "a 6755 directory after chown");
	ok("chown clears set-user-ID and group-executable set-group-ID of files, not of directories");

	/* ctime moves forward. */
	struct stat before = st_of(f);
	wait_past(before.st_ctim);
	expect_ok(chown(f, 7, 7), "chown for ctime");
	struct stat after = st_of(f);
	expect_true(after.st_ctim.tv_sec > before.st_ctim.tv_sec ||
		    (after.st_ctim.tv_sec == before.st_ctim.tv_sec && after.st_ctim.tv_nsec > before.st_ctim.tv_nsec),
		    "ctime after chown is later");
	expect_true(after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec,
		    "mtime unchanged by chown");
	ok("chown updates ctime, not mtime");

	/* Symlinks: lchown and AT_SYMLINK_NOFOLLOW change the link, chown its target. */
	const char *l = scratch_path("link");
	expect_ok(symlink(f, l), "symlink");
	expect_owner(l, 0, 0, "a new symlink");
	expect_ok(lchown(l, 1000, 1001), "lchown");
	expect_owner(l, 1000, 1001, "the symlink after lchown");
	expect_owner(f, 7, 7, "the target after lchown of the link");
	expect_ok(syscall(SYS_fchownat, AT_FDCWD, l, 1002, 1003, AT_SYMLINK_NOFOLLOW), "fchownat NOFOLLOW");
	expect_owner(l, 1002, 1003, "the symlink after fchownat NOFOLLOW");
	expect_ok(chown(l, 8, 8), "chown through the link");
	expect_owner(f, 8, 8, "the target after chown through the link");
	expect_owner(l, 1002, 1003, "the symlink after chown through it");
	expect_mode(l, 0777, "a symlink's mode");
	ok("lchown and fchownat(AT_SYMLINK_NOFOLLOW) change the link, chown follows it");

	/* A set-group-ID directory hands its group to what is made in it, and its bit to new
	 * directories. */
	const char *sg = scratch_path("sgid");
	expect_ok(mkdir(sg, 0775), "mkdir sgid");
	expect_ok(chown(sg, 0, 5000), "chown sgid");
	expect_ok(chmod(sg, 02775), "chmod g+s");
	const char *sgf = scratch_file("sgid/f", "", 0644), *sgd = scratch_path("sgid/d");
	expect_owner(sgf, 0, 5000, "a file made in a set-group-ID directory");
	expect_ok(mkdir(sgd, 0755), "mkdir in a set-group-ID directory");
	expect_owner(sgd, 0, 5000, "a directory made in a set-group-ID directory");
	expect_mode(sgd, 02755, "a directory made in a set-group-ID directory");
	expect_mode(sgf, 0644, "a file made in a set-group-ID directory");
	ok("a set-group-ID directory gives new nodes its group and new directories its bit");

	expect_err(chown(scratch_path("missing"), 0, 0), ENOENT, "chown of a missing file");
	ok("chown of a missing file: ENOENT");

	on_readonly_fs(readonly);

	/* The unprivileged owner. */
	mine = scratch_file("mine", "", 0644);
	expect_ok(chown(mine, 1000, 1000), "chown mine");
	roots = scratch_file("roots", "", 0644);
	roots_suid = scratch_file("roots_suid", "", 0755);
	expect_ok(chmod(roots_suid, 04755), "chmod 4755");
	gid_t groups[] = { 1000, 2000 };
	as_user(1000, 1000, groups, 2, unprivileged);
	return 0;
}
