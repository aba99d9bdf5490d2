/* tests/programs/as_user.h — runs a part of a test as an unprivileged user (a forked child that
 * drops to the given ids: setgroups, setgid, setuid, so no capabilities are left), or against a
 * read-only file system (cella's image; natively a read-only bind mount in a child's private
 * mount namespace). The child exits 0 if the part passed; the parent fails if it did not. */
#ifndef CELLA_TEST_AS_USER_H
#define CELLA_TEST_AS_USER_H

#include "check.h"
#include <grp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

/* Waits for child p, which must have exited 0. */
static inline void child_passed(pid_t p, const char *what)
{
	int st;
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail("%s failed (status 0x%x)", what, st);
}

/* The child leaves with _exit: exit() would run the scratch directory's cleanup. */
static inline void child_done(void)
{
	fflush(stdout);
	_exit(0);
}

/* Runs fn() in a child with uid, gid and the supplementary groups (n of them). */
static inline void as_user(uid_t uid, gid_t gid, const gid_t *groups, int n, void (*fn)(void))
{
	pid_t p = xfork();
	if (p == 0) {
		if (setgroups((size_t)n, groups) != 0)
			fail("setgroups: %s", errname(errno));
		if (setgid(gid) != 0 || setuid(uid) != 0)
			fail("setgid/setuid(%u): %s", (unsigned)uid, errname(errno));
		fn();
		child_done();
	}
	child_passed(p, "the part run as an unprivileged user");
}

/* Runs fn(dir, file) with a directory and a regular file in it on a read-only file system. */
static inline void on_readonly_fs(void (*fn)(const char *dir, const char *file))
{
	struct statvfs sv;
	if (statvfs("/", &sv) == 0 && (sv.f_flag & ST_RDONLY)) {	/* cella: the image */
		fn("/etc", "/etc/passwd");
		return;
	}
	const char *dir = scratch_path("ro"), *file = scratch_path("ro/f");
	if (mkdir(dir, 0755) != 0)
		fail("mkdir %s: %s", dir, errname(errno));
	int fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		fail("create %s: %s", file, errname(errno));
	close(fd);
	pid_t p = xfork();
	if (p == 0) {
		if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
		    mount(dir, dir, NULL, MS_BIND, NULL) != 0 ||
		    mount(NULL, dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0)
			fail("a read-only bind mount: %s", errname(errno));
		fn(dir, file);
		child_done();
	}
	child_passed(p, "the part on a read-only file system");
}

#endif
