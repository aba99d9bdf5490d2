/* tests/programs/sticky.c — sticky directories: in a 1777 directory only the file's owner, the
 * directory's owner or CAP_FOWNER may unlink, rmdir or rename a name away; /tmp is root's 1777. */
#include "as_user.h"

static const char *p(const char *name)
{
	return scratch_path(name);
}

static void user_a(void)	/* uid 1000: makes its files */
{
	int fd = expect_ok(open(p("st/a"), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666), "A creates st/a");
	close(fd);
	fd = expect_ok(open(p("st/a2"), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666), "A creates st/a2");
	close(fd);
	expect_ok(mkdir(p("st/adir"), 0777), "A makes st/adir");
	expect_ok(chmod(p("st/a"), 0666), "A opens st/a to all");
	ok("anyone may create in a 1777 directory");
}

static void user_b(void)	/* uid 1001: may not remove A's names */
{
	expect_err(unlink(p("st/a")), EPERM, "B unlinks A's file");
	expect_err(rename(p("st/a"), p("st/b")), EPERM, "B renames A's file");
	expect_err(rmdir(p("st/adir")), EPERM, "B removes A's directory");
	int fd = expect_ok(open(p("st/b"), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644), "B creates st/b");
	close(fd);
	expect_err(rename(p("st/b"), p("st/a")), EPERM, "B renames over A's file");
	fd = expect_ok(open(p("st/a"), O_WRONLY | O_CLOEXEC), "B writes A's 0666 file");
	close(fd);
	expect_ok(rename(p("st/b"), p("st/b2")), "B renames its own file");
	expect_ok(unlink(p("st/b2")), "B unlinks its own file");
	ok("in a sticky directory a non-owner gets EPERM for unlink, rmdir and rename, even of a writable file");
}

static void user_a_again(void)
{
	expect_ok(unlink(p("st/a")), "A unlinks its own file");
	ok("the file's owner may remove it");
}

static void dir_owner(void)	/* uid 1001 owns st2 (sticky): may remove A's name there */
{
	expect_ok(unlink(p("st2/a")), "the directory's owner unlinks A's file");
	ok("the sticky directory's owner may remove others' names");
}

static void nonsticky(void)	/* uid 1001 in a plain 0777 directory */
{
	expect_ok(unlink(p("plain/a")), "B unlinks A's file in a 0777 directory");
	ok("without the sticky bit, write on the directory is enough");
}

int main(void)
{
	umask(0);
	expect_ok(chmod(scratch(), 0755), "chmod scratch");
	struct stat st;
	expect_ok(stat("/tmp", &st), "stat /tmp");
	expect_eq(st.st_mode & 07777, 01777, "/tmp's mode");
	expect_eq(st.st_uid, 0, "/tmp's owner");
	expect_eq(st.st_gid, 0, "/tmp's group");
	ok("/tmp is root's, mode 1777");

	expect_ok(mkdir(p("st"), 01777), "mkdir st");
	expect_ok(stat(p("st"), &st), "stat st");
	expect_eq(st.st_mode & 07777, 01777, "mkdir keeps the sticky bit");
	gid_t ga = 1000, gb = 1001;
	as_user(1000, 1000, &ga, 1, user_a);
	as_user(1001, 1001, &gb, 1, user_b);
	as_user(1000, 1000, &ga, 1, user_a_again);
	expect_ok(unlink(p("st/a2")), "root unlinks A's file");
	expect_ok(rmdir(p("st/adir")), "root removes A's directory");
	ok("CAP_FOWNER may remove any name in a sticky directory");

	expect_ok(mkdir(p("st2"), 01777), "mkdir st2");
	expect_ok(chown(p("st2"), 1001, 1001), "chown st2");
	int fd = expect_ok(open(p("st2/a"), O_WRONLY | O_CREAT | O_CLOEXEC, 0644), "create st2/a");
	close(fd);
	expect_ok(chown(p("st2/a"), 1000, 1000), "chown st2/a");
	as_user(1001, 1001, &gb, 1, dir_owner);

	expect_ok(mkdir(p("plain"), 0777), "mkdir plain");
	fd = expect_ok(open(p("plain/a"), O_WRONLY | O_CREAT | O_CLOEXEC, 0644), "create plain/a");
	close(fd);
	expect_ok(chown(p("plain/a"), 1000, 1000), "chown plain/a");
	as_user(1001, 1001, &gb, 1, nonsticky);
	return 0;
}
