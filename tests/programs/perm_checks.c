/* tests/programs/perm_checks.c — permission checks follow the credentials: as uid 1000, EACCES for
 * open, create, directory search, unlink and truncate where the bits say no; access() with the
 * real ids against faccessat(AT_EACCESS) with the effective ones; chmod by a non-owner; the
 * utimensat rules (touch vs explicit times); O_NOATIME; set-user-ID cleared by truncate. */
#include "as_user.h"
#include <sys/sysmacros.h>
#include <time.h>

#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif

static const char *D;	/* the scratch directory */

static const char *p(const char *name)
{
	return scratch_path(name);
}

static void opens(void)
{
	expect_ok(close(expect_ok(open(p("pub"), O_RDWR | O_CLOEXEC), "open rw of a 0666 file")), "close");
	expect_ok(close(expect_ok(open(p("ro"), O_RDONLY | O_CLOEXEC), "open r of a 0644 file")), "close");
	expect_err(open(p("ro"), O_WRONLY | O_CLOEXEC), EACCES, "open w of root's 0644 file");
	expect_err(open(p("ro"), O_RDWR | O_CLOEXEC), EACCES, "open rw of root's 0644 file");
	expect_err(open(p("ro"), O_RDONLY | O_TRUNC | O_CLOEXEC), EACCES, "open r with O_TRUNC of root's 0644 file");
	expect_err(open(p("secret"), O_RDONLY | O_CLOEXEC), EACCES, "open r of root's 0600 file");
	ok("open asks the bits for its access mode, O_TRUNC for write: EACCES otherwise");

	expect_err(open(p("rodir/new"), O_WRONLY | O_CREAT | O_CLOEXEC, 0644), EACCES, "create in root's 0755 dir");
	expect_err(open(p("rodir/f"), O_RDONLY | O_CLOEXEC), ENOENT, "open of a missing name in a searchable dir");
	int fd = expect_ok(open(p("opendir/new"), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644), "create in a 0777 dir");
	struct stat st;
	expect_ok(fstat(fd, &st), "fstat of the new file");
	expect_eq(st.st_uid, 1000, "the new file's uid");
	expect_eq(st.st_gid, 1000, "the new file's gid");
	close(fd);
	ok("creating needs write on the directory; a new file is its maker's (fsuid:fsgid)");

	expect_err(open(p("closed/f"), O_RDONLY | O_CLOEXEC), EACCES, "open under a 0700 root dir");
	expect_err(stat(p("closed/f"), &st), EACCES, "stat under a 0700 root dir");
	expect_err(stat(p("closed/missing"), &st), EACCES, "stat of a missing name under a 0700 root dir");
	expect_err(chdir(p("closed")), EACCES, "chdir into a 0700 root dir");
	int cfd = expect_ok(open(p("closed"), O_PATH | O_DIRECTORY | O_CLOEXEC), "O_PATH open of the 0700 dir");
	expect_err(fchdir(cfd), EACCES, "fchdir into a 0700 root dir");
	close(cfd);
	expect_ok(stat(p("closed"), &st), "stat of the 0700 dir itself");
	expect_err(stat(p("noexec/f"), &st), EACCES, "stat under a 0666 dir (read, no search)");
	expect_ok(stat(p("xonly/f"), &st), "stat under a 0711 dir (search, no read)");
	expect_err(open(p("xonly"), O_RDONLY | O_DIRECTORY | O_CLOEXEC), EACCES, "opendir of a 0711 dir");
	ok("every directory walked through needs search (x) permission, not read");

	expect_err(unlink(p("rodir/f")), ENOENT, "unlink of a missing name");
	expect_err(unlink(p("rodir/g")), EACCES, "unlink in root's 0755 dir");
	expect_err(rmdir(p("rodir/sub")), EACCES, "rmdir in root's 0755 dir");
	expect_err(mkdir(p("rodir/new"), 0755), EACCES, "mkdir in root's 0755 dir");
	expect_err(symlink("x", p("rodir/new")), EACCES, "symlink in root's 0755 dir");
	expect_err(mknod(p("rodir/new"), S_IFIFO | 0644, 0), EACCES, "mknod in root's 0755 dir");
	expect_err(rename(p("rodir/g"), p("opendir/g")), EACCES, "rename out of root's 0755 dir");
	expect_err(rename(p("opendir/new"), p("rodir/new")), EACCES, "rename into root's 0755 dir");
	expect_err(link(p("pub"), p("rodir/new")), EACCES, "link into root's 0755 dir");
	expect_err(mkdir(p("rodir/g"), 0755), EEXIST, "mkdir over an existing name");
	ok("unlink, rmdir, mkdir, symlink, mknod, rename and link need write on the directory");

	expect_err(link(p("secret"), p("opendir/l")), EPERM, "link to root's 0600 file");
	expect_ok(link(p("pub"), p("opendir/l")), "link to root's 0666 file");
	ok("a hard link to another user's file needs read and write on it (protected_hardlinks)");

	expect_err(mknod(p("opendir/c"), S_IFCHR | 0644, makedev(1, 3)), EPERM, "mknod of a character device");
	expect_err(mknod(p("opendir/b"), S_IFBLK | 0644, makedev(7, 0)), EPERM, "mknod of a block device");
	ok("device nodes: EPERM without CAP_MKNOD");

	expect_err(truncate(p("ro"), 0), EACCES, "truncate of root's 0644 file");
	expect_ok(truncate(p("pub"), 1), "truncate of a 0666 file");
	expect_ok(truncate(p("suid"), 0), "truncate of a 04777 file");
	expect_ok(stat(p("suid"), &st), "stat");
	expect_eq(st.st_mode & 07777, 0777, "a 04777 file after truncate by a non-owner");
	ok("truncate needs write permission and clears set-user-ID");

	expect_err(chmod(p("pub"), 0600), EPERM, "chmod of root's file");
	expect_ok(chmod(p("opendir/new"), 0600), "chmod of its own file");
	expect_ok(chmod(p("othergrp"), 02755), "chmod g+s of its file in a group it is not in");
	expect_ok(stat(p("othergrp"), &st), "stat");
	expect_eq(st.st_mode & 07777, 0755, "set-group-ID dropped by chmod outside the group");
	ok("chmod: the owner only (EPERM), and S_ISGID dropped outside the file's group");

	expect_err(open(p("pub"), O_RDONLY | O_NOATIME | O_CLOEXEC), EPERM, "O_NOATIME on root's file");
	expect_ok(close(expect_ok(open(p("opendir/new"), O_RDONLY | O_NOATIME | O_CLOEXEC), "O_NOATIME on its file")), "close");
	ok("O_NOATIME: the owner only (EPERM)");

	struct timespec now2[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct timespec omit2[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
	struct timespec some[2] = { { 1000, 0 }, { 2000, 0 } };
	struct timespec now_omit[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	expect_ok(utimensat(AT_FDCWD, p("pub"), NULL, 0), "utimensat NULL on root's 0666 file");
	expect_ok(utimensat(AT_FDCWD, p("pub"), now2, 0), "utimensat NOW,NOW on root's 0666 file");
	expect_err(utimensat(AT_FDCWD, p("ro"), NULL, 0), EACCES, "utimensat NULL on root's 0644 file");
	expect_err(utimensat(AT_FDCWD, p("pub"), some, 0), EPERM, "explicit times on root's 0666 file");
	expect_err(utimensat(AT_FDCWD, p("pub"), now_omit, 0), EPERM, "NOW,OMIT on root's 0666 file");
	expect_ok(utimensat(AT_FDCWD, p("ro"), omit2, 0), "OMIT,OMIT on root's 0644 file");
	expect_ok(utimensat(AT_FDCWD, p("opendir/new"), some, 0), "explicit times on its own file");
	expect_ok(stat(p("opendir/new"), &st), "stat");
	expect_eq(st.st_mtime, 2000, "mtime set");
	ok("utimensat: touching needs write permission or ownership, explicit times ownership (EPERM)");
}

static void access_checks(void)
{
	/* Real uid 1000, effective 0 (full capabilities): access() asks as 1000. */
	expect_err(access(p("secret"), R_OK), EACCES, "access R of root's 0600 file with real uid 1000");
	expect_ok(faccessat(AT_FDCWD, p("secret"), R_OK, AT_EACCESS), "faccessat AT_EACCESS as euid 0");
	expect_ok(syscall(SYS_faccessat2, AT_FDCWD, p("secret"), R_OK, AT_EACCESS), "faccessat2 AT_EACCESS");
	expect_err(syscall(SYS_faccessat2, AT_FDCWD, p("secret"), R_OK, 0), EACCES, "faccessat2 without AT_EACCESS");
	expect_err(access(p("closed/f"), F_OK), EACCES, "access F under a 0700 dir: the walk uses the real ids too");
	expect_ok(access(p("pub"), R_OK | W_OK), "access RW of a 0666 file");
	ok("access() checks with the real uid, AT_EACCESS with the effective one");
}

static void access_as_root_real(void)
{
	/* Real uid 0, effective 1000: the real check has root's capabilities (Linux's override). */
	expect_ok(access(p("secret"), R_OK | W_OK), "access RW of a 0600 file with real uid 0");
	expect_err(faccessat(AT_FDCWD, p("secret"), R_OK, AT_EACCESS), EACCES, "AT_EACCESS as euid 1000");
	expect_err(access(p("ro"), X_OK), EACCES, "access X of a file with no x bit, even for root");
	ok("access() with real uid 0 has root's capabilities; X needs some x bit");
}

static void run_with(uid_t r, uid_t e, void (*fn)(void))
{
	pid_t pid = xfork();
	if (pid == 0) {
		if (setresgid(1000, 1000, 1000) != 0 || setresuid(r, e, 0) != 0)
			fail("setresuid(%u, %u, 0): %s", (unsigned)r, (unsigned)e, errname(errno));
		fn();
		child_done();
	}
	child_passed(pid, "the part with mixed real and effective ids");
}

int main(void)
{
	umask(022);
	D = scratch();
	expect_ok(chmod(D, 0755), "chmod scratch");
	scratch_file("pub", "x", 0666);
	expect_ok(chmod(p("pub"), 0666), "chmod pub");
	scratch_file("ro", "x", 0644);
	scratch_file("secret", "x", 0600);
	scratch_file("suid", "x", 0777);
	expect_ok(chmod(p("suid"), 04777), "chmod suid");
	scratch_file("othergrp", "x", 0755);
	expect_ok(chown(p("othergrp"), 1000, 3000), "chown othergrp");
	expect_ok(mkdir(p("rodir"), 0755), "mkdir rodir");
	scratch_file("rodir/g", "", 0644);
	expect_ok(mkdir(p("rodir/sub"), 0755), "mkdir rodir/sub");
	expect_ok(mkdir(p("opendir"), 0777), "mkdir opendir");
	expect_ok(chmod(p("opendir"), 0777), "chmod opendir");
	expect_ok(mkdir(p("closed"), 0700), "mkdir closed");
	scratch_file("closed/f", "", 0644);
	expect_ok(mkdir(p("noexec"), 0777), "mkdir noexec");
	scratch_file("noexec/f", "", 0644);
	expect_ok(chmod(p("noexec"), 0666), "chmod noexec");
	expect_ok(mkdir(p("xonly"), 0711), "mkdir xonly");
	scratch_file("xonly/f", "", 0644);

	gid_t g = 1000;
	as_user(1000, 1000, &g, 1, opens);
	run_with(1000, 0, access_checks);
	run_with(0, 1000, access_as_root_real);

	/* Root passes the bits (CAP_DAC_OVERRIDE), but not x on a file without any x bit. */
	expect_ok(access(p("secret"), R_OK | W_OK), "root: access RW of a 0600 file");
	expect_ok(access(p("closed/f"), R_OK), "root: access through a 0700 dir");
	expect_err(access(p("ro"), X_OK), EACCES, "root: access X of a 0644 file");
	expect_ok(access(p("xonly"), X_OK), "root: access X of a directory");
	ok("root passes read, write and search checks; X of a file needs an x bit");
	return 0;
}
