/* cli/scan.c — walks image/ (never following symlinks) into a list of entries with their
 * lstat fields and symlink targets, sorted bytewise by path. Only directories, regular files
 * and symlinks may be in an image; anything else is an error naming the file. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

void stat_to_entry(const struct stat *st, struct mf_entry *e)
{
	e->mode = st->st_mode;
	e->size = (uint64_t)st->st_size;
	e->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	e->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
	e->ino = st->st_ino;
	e->dev = st->st_dev;
	e->nlink = st->st_nlink;
	e->blocks = (uint64_t)st->st_blocks;
}

/* Size, mode, times and inode: what a change to a file's contents or kind must disturb. */
bool mf_same_stat(const struct mf_entry *a, const struct mf_entry *b)
{
	return a->mode == b->mode && a->size == b->size && a->mtime_ns == b->mtime_ns &&
	       a->ctime_ns == b->ctime_ns && a->ino == b->ino;
}

static struct mf_entry *scan_push(struct mf_list *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

static const char *scan_kind(mode_t m)
{
	if (S_ISCHR(m)) return "a character device";
	if (S_ISBLK(m)) return "a block device";
	if (S_ISFIFO(m)) return "a fifo";
	if (S_ISSOCK(m)) return "a socket";
	return "a special file";
}

/* Adds the entry `rel` (whose stat is st) and, for a directory, everything below it.
 * parentfd is the directory holding it; name its last component. */
static int scan_entry(int parentfd, const char *name, const char *rel, const struct stat *st,
		      const char *image_name, struct mf_list *out, char *err)
{
	struct mf_entry *e;

	if (!S_ISDIR(st->st_mode) && !S_ISREG(st->st_mode) && !S_ISLNK(st->st_mode)) {
		errf(err, "%s/%s: is %s; an image may hold only directories, regular files and "
		     "symlinks; remove it (devfs provides /dev)", image_name, rel,
		     scan_kind(st->st_mode));
		return -EINVAL;
	}
	e = scan_push(out);
	e->path = xstrdup(rel);
	stat_to_entry(st, e);
	if (S_ISLNK(st->st_mode)) {
		size_t cap = (size_t)st->st_size + 2;
		char *t = xmalloc(cap);
		ssize_t n = readlinkat(parentfd, name, t, cap);
		if (n < 0 || (size_t)n >= cap) {
			int r = n < 0 ? -errno : -EAGAIN;
			errf(err, "%s/%s: cannot read the symlink: %s", image_name, rel, strerror(-r));
			free(t);
			return r;
		}
		t[n] = '\0';
		e->link = t;
		return 0;
	}
	if (S_ISDIR(st->st_mode)) {
		int fd = openat(parentfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		DIR *d;
		struct dirent *de;
		int r = 0;

		if (fd < 0 || !(d = fdopendir(fd))) {
			r = -errno;
			if (fd >= 0)
				close(fd);
			errf(err, "%s/%s: cannot open the directory: %s", image_name, rel, strerror(-r));
			return r;
		}
		while (!r && (errno = 0, de = readdir(d))) {
			struct stat cst;
			char *crel;

			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			crel = *rel ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
			if (fstatat(dirfd(d), de->d_name, &cst, AT_SYMLINK_NOFOLLOW) < 0) {
				r = -errno;
				errf(err, "%s/%s: cannot stat: %s", image_name, crel, strerror(-r));
			} else {
				r = scan_entry(dirfd(d), de->d_name, crel, &cst, image_name, out, err);
			}
			free(crel);
		}
		if (!r && errno) {
			r = -errno;
			errf(err, "%s/%s: cannot read the directory: %s", image_name, rel, strerror(-r));
		}
		closedir(d);
		return r;
	}
	return 0;
}

static int scan_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mf_entry *)a)->path, ((const struct mf_entry *)b)->path);
}

void mf_sort(struct mf_list *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), scan_cmp);
}

struct mf_entry *mf_find(const struct mf_list *l, const char *path)
{
	struct mf_entry key = { .path = (char *)path };
	if (!l->n)
		return NULL;
	return bsearch(&key, l->v, l->n, sizeof(*l->v), scan_cmp);
}

int scan_image(int imagefd, const char *image_name, struct mf_list *out, char *err)
{
	struct stat st;
	int r;

	if (fstat(imagefd, &st) < 0) {
		r = -errno;
		errf(err, "%s: cannot stat: %s", image_name, strerror(-r));
		return r;
	}
	r = scan_entry(imagefd, ".", "", &st, image_name, out, err);
	if (r) {
		mf_free(out);
		return r;
	}
	mf_sort(out);
	return 0;
}

void mf_free(struct mf_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].link);
		free(l->v[i].sites);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
