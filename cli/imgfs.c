/* cli/imgfs.c — file operations inside an image directory, resolved as if the image were the
 * root (openat2 RESOLVE_IN_ROOT): a symlink in the image, even an absolute one or "..", can
 * never make cella write outside it. New files are written to a temporary name and renamed. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int img_open(int rootfd, const char *rel, int flags)
{
	struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC),
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	long fd;

	while (*rel == '/')
		rel++;
	fd = syscall(SYS_openat2, rootfd, *rel ? rel : ".", &how, sizeof(how));
	return fd < 0 ? -errno : (int)fd;
}

/* Creates each missing component of `rel`: its parent is opened in-root, then mkdirat. */
int img_mkdirs(int rootfd, const char *rel, mode_t mode)
{
	char *p = xstrdup(rel);
	size_t len = strlen(p);
	int r = 0;

	for (size_t end = 0; end <= len && !r; end++) {
		size_t start = end;
		char saved, *parent_path;
		int parent;

		if (p[end] != '/' && p[end] != '\0')
			continue;
		while (start > 0 && p[start - 1] != '/')
			start--;
		if (start == end)
			continue;	/* empty component ("a//b") */
		saved = p[end];
		p[end] = '\0';
		parent_path = strndup(p, start ? start - 1 : 0);
		parent = img_open(rootfd, parent_path, O_PATH | O_DIRECTORY);
		free(parent_path);
		if (parent < 0) {
			r = parent;
		} else {
			if (mkdirat(parent, p + start, mode) < 0 && errno != EEXIST)
				r = -errno;
			close(parent);
		}
		p[end] = saved;
	}
	free(p);
	return r;
}

int img_open_parent(int rootfd, const char *rel, const char **leaf)
{
	const char *slash = strrchr(rel, '/');
	char *dir;
	int fd, r;

	if (!slash) {
		*leaf = rel;
		return img_open(rootfd, "", O_PATH | O_DIRECTORY);
	}
	*leaf = slash + 1;
	dir = strndup(rel, (size_t)(slash - rel));
	r = img_mkdirs(rootfd, dir, 0755);
	fd = r ? r : img_open(rootfd, dir, O_PATH | O_DIRECTORY);
	free(dir);
	return fd;
}

static int imgfs_copy_data(int in, int out)
{
	char buf[65536];

	for (;;) {
		ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
		if (n == 0)
			return 0;
		if (n > 0)
			continue;
		if (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP)
			return -errno;
		break;	/* fall back to read/write from where copy_file_range stopped */
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf)), w = 0;
		if (n == 0)
			return 0;
		if (n < 0)
			return -errno;
		while (w < n) {
			ssize_t k = write(out, buf + w, (size_t)(n - w));
			if (k < 0)
				return -errno;
			w += k;
		}
	}
}

int img_copy_file(int rootfd, const char *rel, const char *host, const struct stat *st,
		  bool *copied)
{
	const char *leaf;
	char tmp[64];
	struct stat cur;
	struct timespec times[2] = { st->st_atim, st->st_mtim };
	int parent = img_open_parent(rootfd, rel, &leaf), in = -1, out = -1, r = 0;

	*copied = false;
	if (parent < 0)
		return parent;
	if (fstatat(parent, leaf, &cur, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(cur.st_mode) &&
	    cur.st_size == st->st_size && cur.st_mtim.tv_sec == st->st_mtim.tv_sec &&
	    cur.st_mtim.tv_nsec == st->st_mtim.tv_nsec) {
		if ((cur.st_mode & 07777) != (st->st_mode & 07777))
			fchmodat(parent, leaf, st->st_mode & 07777, 0);
		close(parent);
		return 0;	/* already there: same size and mtime */
	}
	snprintf(tmp, sizeof(tmp), ".cella-add.%d", (int)getpid());
	in = open(host, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		r = -errno;
		goto out;
	}
	out = openat(parent, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0) {
		r = -errno;
		goto out;
	}
	r = imgfs_copy_data(in, out);
	if (!r && fchmod(out, st->st_mode & 07777) < 0)
		r = -errno;
	if (!r && futimens(out, times) < 0)
		r = -errno;
	if (close(out) < 0 && !r)
		r = -errno;
	out = -1;
	if (!r && renameat(parent, tmp, parent, leaf) < 0)
		r = -errno;
	if (r)
		unlinkat(parent, tmp, 0);
	else
		*copied = true;
out:
	if (in >= 0)
		close(in);
	close(parent);
	return r;
}

int img_symlink(int rootfd, const char *rel, const char *target)
{
	const char *leaf;
	char tmp[64], cur[4096];
	int parent = img_open_parent(rootfd, rel, &leaf), r = 0;
	ssize_t n;

	if (parent < 0)
		return parent;
	n = readlinkat(parent, leaf, cur, sizeof(cur) - 1);
	if (n >= 0) {
		cur[n] = '\0';
		if (strcmp(cur, target) == 0) {
			close(parent);
			return 0;
		}
	}
	snprintf(tmp, sizeof(tmp), ".cella-link.%d", (int)getpid());
	unlinkat(parent, tmp, 0);
	if (symlinkat(target, parent, tmp) < 0 || renameat(parent, tmp, parent, leaf) < 0) {
		r = -errno;
		unlinkat(parent, tmp, 0);
	}
	close(parent);
	return r;
}
