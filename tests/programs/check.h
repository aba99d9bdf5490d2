/* tests/programs/check.h — shared vocabulary of the self-checking test programs: `ok` lines on
 * stdout, failures (expected vs got) on stderr followed by exit(1), and a scratch directory in
 * /tmp that is removed at exit. Header-only, libc and raw syscall() only (glibc and musl). */
#ifndef CELLA_TEST_CHECK_H
#define CELLA_TEST_CHECK_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* One passed behaviour: "ok <what>" on stdout. */
#define ok(...) do { fputs("ok ", stdout); printf(__VA_ARGS__); putchar('\n'); } while (0)

/* A failed behaviour: message on stderr, exit status 1 (atexit handlers clean up). */
#define fail(...) do { fflush(stdout); fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); exit(1); } while (0)

static inline const char *errname(int e)
{
	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case E2BIG: return "E2BIG";
	case ENOEXEC: return "ENOEXEC";
	case EBADF: return "EBADF";
	case ECHILD: return "ECHILD";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case EXDEV: return "EXDEV";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EINVAL: return "EINVAL";
	case ENFILE: return "ENFILE";
	case EMFILE: return "EMFILE";
	case ENOTTY: return "ENOTTY";
	case EFBIG: return "EFBIG";
	case ENOSPC: return "ENOSPC";
	case ESPIPE: return "ESPIPE";
	case EROFS: return "EROFS";
	case EPIPE: return "EPIPE";
	case ERANGE: return "ERANGE";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ENOSYS: return "ENOSYS";
	case ENOTEMPTY: return "ENOTEMPTY";
	case ELOOP: return "ELOOP";
	case EOVERFLOW: return "EOVERFLOW";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENODATA: return "ENODATA";
	case ENODEV: return "ENODEV";
	default: return "E?";
	}
}

/* The host kernel lacks what the test is about (a call newer than it): the native run says why on
 * stderr and exits 77; the runner then counts the program skipped if its cella run passes. */
#define SKIP_EXIT 77
#define skip(...) do { fflush(stdout); fprintf(stderr, "SKIP: "); fprintf(stderr, __VA_ARGS__); \
	fputc('\n', stderr); exit(SKIP_EXIT); } while (0)

/* `call` must return a value >= 0; yields it. */
#define expect_ok(call, what) ({ errno = 0; long r_ = (long)(call); \
	if (r_ < 0) { fail("%s: expected success, got %ld (%s)", (what), r_, errname(errno)); } \
	r_; })

/* `call` must return -1 with errno == err (libc wrappers and syscall() alike). */
#define expect_err(call, err, what) do { errno = 0; long r_ = (long)(call); int e_ = errno; \
	if (r_ != -1 || e_ != (err)) fail("%s: expected -1 %s, got %ld (%s)", (what), \
		errname(err), r_, r_ == -1 ? errname(e_) : "no error"); } while (0)

#define expect_eq(got, exp, what) do { long long g_ = (long long)(got), x_ = (long long)(exp); \
	if (g_ != x_) fail("%s: expected %lld, got %lld", (what), x_, g_); } while (0)

#define expect_true(cond, what) do { if (!(cond)) fail("%s: expected true: %s", (what), #cond); } while (0)

#define expect_str(got, exp, what) do { const char *g_ = (got), *x_ = (exp); \
	if (!g_ || strcmp(g_, x_) != 0) fail("%s: expected \"%s\", got \"%s\"", (what), x_, g_ ? g_ : "(null)"); } while (0)

#define expect_mem(got, exp, n, what) do { if (memcmp((got), (exp), (n)) != 0) \
	fail("%s: %zu bytes differ from expected", (what), (size_t)(n)); } while (0)

/* ---- scratch directory: /tmp/cella-test-XXXXXX, removed recursively at exit ---- */

static char scratch_root[64];

static inline void scratch_rm_at(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		DIR *d = fdopendir(fd);
		struct dirent *de;
		while (d && (de = readdir(d)) != NULL)
			if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
				scratch_rm_at(dirfd(d), de->d_name);
		if (d)
			closedir(d);
		else
			close(fd);
		unlinkat(dfd, name, AT_REMOVEDIR);
	} else {
		unlinkat(dfd, name, 0);
	}
}

static inline void scratch_cleanup(void)
{
	if (scratch_root[0])
		scratch_rm_at(AT_FDCWD, scratch_root);
	scratch_root[0] = 0;
}

/* Creates the scratch directory once and returns its absolute path. */
static inline const char *scratch(void)
{
	if (!scratch_root[0]) {
		strcpy(scratch_root, "/tmp/cella-test-XXXXXX");
		if (!mkdtemp(scratch_root))
			fail("mkdtemp in /tmp: %s", errname(errno));
		atexit(scratch_cleanup);
	}
	return scratch_root;
}

/* Absolute path of `name` inside the scratch directory (heap string, never freed). */
static inline const char *scratch_path(const char *name)
{
	char b[4096];
	snprintf(b, sizeof b, "%s/%s", scratch(), name);
	return strdup(b);
}

/* Creates file `name` in the scratch directory holding `text`; returns its path. */
static inline const char *scratch_file(const char *name, const char *text, mode_t mode)
{
	const char *p = scratch_path(name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		fail("create %s: %s", p, errname(errno));
	size_t n = strlen(text);
	if (write(fd, text, n) != (ssize_t)n)
		fail("write %s: %s", p, errname(errno));
	close(fd);
	return p;
}

/* ---- processes ---- */

static inline void xpipe(int p[2])
{
	if (pipe(p))
		fail("pipe: %s", errname(errno));
}

/* Reads exactly n bytes (EOF or an error fails). */
static inline void read_full(int fd, void *buf, size_t n, const char *what)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			fail("%s: read %zu of %zu bytes (%s)", what, got, n, r ? errname(errno) : "EOF");
		got += (size_t)r;
	}
}

/* fork() with stdio flushed first: buffered output would otherwise be written by both. */
static inline pid_t xfork(void)
{
	fflush(stdout);
	fflush(stderr);
	pid_t p = fork();
	if (p < 0)
		fail("fork: %s", errname(errno));
	return p;
}

/* Reads fd until EOF into buf (NUL-terminated, at most size - 1 bytes); returns the length. */
static inline size_t read_to_eof(int fd, char *buf, size_t size, const char *what)
{
	size_t n = 0;
	ssize_t r;
	while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			fail("%s: %s", what, errname(errno));
		n += (size_t)r;
	}
	buf[n] = 0;
	return n;
}

/* Waits for child pid; returns its wait status. */
static inline int reap(pid_t pid, const char *what)
{
	int st = 0;
	pid_t r = waitpid(pid, &st, 0);
	if (r != pid)
		fail("%s: waitpid(%d) returned %d (%s)", what, (int)pid, (int)r, errname(errno));
	return st;
}

static inline void expect_exit(pid_t pid, int code, const char *what)
{
	int st = reap(pid, what);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != code)
		fail("%s: status %#x, expected exit %d", what, st, code);
}

#endif
