/* tests/programs/reopen.c — opening a file again after closing it is a new open file: offset 0,
 * the flags asked for, nothing shared with a fork child's opens, and a close still drops the
 * process's POSIX locks (cella keeps a closed image file's host descriptor for the next open). */
#include "check.h"

#define FILE_PATH "/etc/passwd"

static void read_head(int fd, char *buf, size_t n, const char *what)
{
	expect_eq(read(fd, buf, n), (long)n, what);
}

/* A child asks F_GETLK what a write lock of the whole file would meet; it exits 0 if that is
 * `want` (F_RDLCK: our lock; F_UNLCK: none). Returns its pid. */
static pid_t lock_seen_by_child(short want)
{
	pid_t c = xfork();
	if (c == 0) {
		int cfd = open(FILE_PATH, O_RDONLY);
		struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		if (cfd < 0 || fcntl(cfd, F_GETLK, &q) < 0)
			_exit(2);
		_exit(q.l_type == want ? 0 : 3);
	}
	return c;
}

int main(void)
{
	char first[8], again[8];
	int fd = expect_ok(open(FILE_PATH, O_RDONLY), "open");
	read_head(fd, first, sizeof(first), "read the head");
	expect_ok(close(fd), "close");
	fd = expect_ok(open(FILE_PATH, O_RDONLY), "open again");
	expect_eq(lseek(fd, 0, SEEK_CUR), 0, "offset of the new open");
	read_head(fd, again, sizeof(again), "read the head again");
	expect_mem(again, first, sizeof(first), "the head read again");
	ok("a file opened again after a read and a close starts at offset 0");

	int d = expect_ok(dup(fd), "dup");
	expect_eq(lseek(d, 0, SEEK_CUR), (long)sizeof(again), "dup shares the offset");
	close(fd);
	close(d);
	fd = expect_ok(open(FILE_PATH, O_RDONLY), "open after closing a dup'ed file");
	expect_eq(lseek(fd, 0, SEEK_CUR), 0, "offset after dup+close");
	close(fd);
	ok("closing every dup of a file and opening it again starts at offset 0");

	fd = expect_ok(open(FILE_PATH, O_RDONLY | O_NONBLOCK), "open O_NONBLOCK");
	close(fd);
	fd = expect_ok(open(FILE_PATH, O_RDONLY), "open plain");
	expect_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0, "O_NONBLOCK of a plain open");
	close(fd);
	ok("a plain open after an O_NONBLOCK one has no O_NONBLOCK");

	/* Parent and child each open the file after the parent closed it: neither moves the other. */
	fd = expect_ok(open(FILE_PATH, O_RDONLY), "open before fork");
	read_head(fd, again, 4, "read before fork");
	close(fd);
	int up[2], down[2];	/* child -> parent, parent -> child */
	xpipe(up);
	xpipe(down);
	pid_t c = xfork();
	if (c == 0) {
		char buf[8];
		int cfd = open(FILE_PATH, O_RDONLY);
		if (cfd < 0 || read(cfd, buf, sizeof(buf)) != (long)sizeof(buf) ||
		    memcmp(buf, first, sizeof(buf)) != 0)
			_exit(2);
		char go;
		if (write(up[1], "r", 1) != 1 || read(down[0], &go, 1) != 1)	/* parent reads now */
			_exit(3);
		_exit(lseek(cfd, 0, SEEK_CUR) == (long)sizeof(buf) ? 0 : 4);
	}
	char sig;
	read_full(up[0], &sig, 1, "child has read");
	fd = expect_ok(open(FILE_PATH, O_RDONLY), "open after fork");
	expect_eq(lseek(fd, 0, SEEK_CUR), 0, "parent's new open after the child read");
	read_head(fd, again, sizeof(again), "parent reads");
	expect_mem(again, first, sizeof(first), "parent's head");
	expect_eq(write(down[1], "g", 1), 1, "let the child check");
	expect_exit(c, 0, "child's open kept its own offset");
	close(fd);
	ok("opens in a fork child and its parent after a close keep their own offsets");

	/* A close of any descriptor of the file drops the process's POSIX locks. */
	int l1 = expect_ok(open(FILE_PATH, O_RDONLY), "open for the lock");
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	expect_ok(fcntl(l1, F_SETLK, &fl), "read lock");
	int l2 = expect_ok(open(FILE_PATH, O_RDONLY), "second open");
	expect_exit(lock_seen_by_child(F_RDLCK), 0, "the lock is seen from another process");
	close(l2);
	expect_exit(lock_seen_by_child(F_UNLCK), 0, "the lock is gone after closing another descriptor of the file");
	close(l1);
	ok("closing any descriptor of a file drops the process's POSIX locks on it");
	return 0;
}
