/* tests/programs/mknod.c — mknod and mknodat: FIFOs that work as FIFOs, sockets, regular files
 * (type 0 too), the umask, and Linux's errors (EINVAL for a bad type, EPERM for a directory or,
 * without CAP_MKNOD, a device, EEXIST, ENOENT, EROFS). */
#include "as_user.h"
#include <sys/sysmacros.h>

static const char *p(const char *name)
{
	return scratch_path(name);
}

static void readonly(const char *dir, const char *file)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/newfifo", dir);
	expect_err(mknod(path, S_IFIFO | 0644, 0), EROFS, "mknod on a read-only file system");
	expect_err(mknod(file, S_IFIFO | 0644, 0), EEXIST, "mknod over an existing name there");
	ok("mknod on a read-only file system: EROFS, but EEXIST first");
}

static void unprivileged(void)
{
	expect_err(mknod(p("open/c"), S_IFCHR | 0644, makedev(1, 3)), EPERM, "a character device");
	expect_ok(mknod(p("open/f"), S_IFIFO | 0644, 0), "a FIFO");
	struct stat st;
	expect_ok(stat(p("open/f"), &st), "stat");
	expect_eq(st.st_uid, 1000, "the FIFO's owner");
	ok("an unprivileged user makes FIFOs it owns, no devices (EPERM)");
}

int main(void)
{
	umask(022);
	expect_ok(chmod(scratch(), 0755), "chmod scratch");
	struct stat st;
	expect_ok(mknod(p("fifo"), S_IFIFO | 0666, 0), "mknod FIFO");
	expect_ok(stat(p("fifo"), &st), "stat FIFO");
	expect_true(S_ISFIFO(st.st_mode), "S_ISFIFO");
	expect_eq(st.st_mode & 07777, 0644, "the FIFO's mode after umask 022");
	expect_eq(st.st_uid, 0, "the FIFO's owner");
	int r = expect_ok(open(p("fifo"), O_RDONLY | O_NONBLOCK | O_CLOEXEC), "open the FIFO for reading");
	int w = expect_ok(open(p("fifo"), O_WRONLY | O_CLOEXEC), "open the FIFO for writing");
	expect_eq(write(w, "through", 7), 7, "write into the FIFO");
	char buf[16] = { 0 };
	expect_eq(read(r, buf, sizeof(buf)), 7, "read from the FIFO");
	expect_str(buf, "through", "what the FIFO carried");
	close(w);
	expect_eq(read(r, buf, sizeof(buf)), 0, "EOF once the writer is gone");
	close(r);
	ok("mknod S_IFIFO makes a FIFO (umask applied) that carries data");

	expect_ok(mknod(p("sock"), S_IFSOCK | 0755, 0), "mknod S_IFSOCK");
	expect_ok(stat(p("sock"), &st), "stat socket");
	expect_true(S_ISSOCK(st.st_mode), "S_ISSOCK");
	expect_ok(mknod(p("reg"), S_IFREG | 0600, 0), "mknod S_IFREG");
	expect_ok(stat(p("reg"), &st), "stat regular");
	expect_true(S_ISREG(st.st_mode) && st.st_size == 0 && (st.st_mode & 07777) == 0600, "an empty 0600 file");
	expect_ok(mknod(p("zero"), 0644, 0), "mknod type 0");
	expect_ok(stat(p("zero"), &st), "stat type 0");
	expect_true(S_ISREG(st.st_mode), "type 0 is a regular file");
	int dfd = expect_ok(open(scratch(), O_RDONLY | O_DIRECTORY | O_CLOEXEC), "open scratch");
	expect_ok(mknodat(dfd, "at", S_IFIFO | 0600, 0), "mknodat");
	expect_ok(stat(p("at"), &st), "stat mknodat's node");
	expect_true(S_ISFIFO(st.st_mode), "mknodat made a FIFO");
	close(dfd);
	ok("mknod makes sockets and regular files (type 0 too); mknodat works from a dirfd");

	expect_err(mknod(p("bad"), 0170000 | 0644, 0), EINVAL, "a bad type");
	expect_err(mknod(p("bad"), 0030000 | 0644, 0), EINVAL, "another bad type");
	expect_err(mknod(p("dir"), S_IFDIR | 0755, 0), EPERM, "a directory");
	expect_err(mknod(p("fifo"), S_IFIFO | 0644, 0), EEXIST, "an existing name");
	expect_err(mknod(p("fifo"), 0170000, 0), EINVAL, "a bad type over an existing name");
	expect_err(mknod(p("missing/x"), S_IFIFO | 0644, 0), ENOENT, "a missing directory");
	expect_err(mknod(p("reg/x"), S_IFIFO | 0644, 0), ENOTDIR, "under a file");
	ok("mknod: EINVAL for a bad type before EEXIST, EPERM for a directory, ENOENT, ENOTDIR");

	on_readonly_fs(readonly);

	expect_ok(mkdir(p("open"), 0777), "mkdir open");
	expect_ok(chmod(p("open"), 0777), "chmod open");
	gid_t g = 1000;
	as_user(1000, 1000, &g, 1, unprivileged);
	return 0;
}
