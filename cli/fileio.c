/* cli/fileio.c — whole-file reads, atomic writes (temp file + rename, so a reader never sees
 * half a file), mkdir -p, and a remove_tree that never follows symlinks out of the tree. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* pread, so that an fd handed on afterwards (cella run's config.bin) is still at offset 0; into
 * one buffer of the size fstat gives (grown if the file grew), no bounce buffer to fault in. */
int read_whole_fd(int fd, uint8_t **data, size_t *len)
{
	struct stat st;
	size_t cap, n = 0;
	uint8_t *d;
	ssize_t r;

	if (fstat(fd, &st) < 0)
		return -errno;
	cap = (S_ISREG(st.st_mode) ? (size_t)st.st_size : 0) + 4096;
	d = xmalloc(cap + 1);	/* + 1: a NUL after the data makes text files usable as strings */
	while ((r = pread(fd, d + n, cap - n, (off_t)n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			free(d);
			return (int)r;
		}
		n += (size_t)r;
		if (n == cap) {
			cap *= 2;
			d = xrealloc(d, cap + 1);
		}
	}
	d[n] = '\0';
	*data = d;
	*len = n;
	return 0;
}

int read_whole_file(const char *path, uint8_t **data, size_t *len)
{
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);	/* see run_open_build */
	int r;

	if (fd < 0)
		return -errno;
	r = read_whole_fd(fd, data, len);
	close(fd);
	return r;
}

static int fileio_write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	char *tmp = xasprintf("%s.tmp.%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	int r;

	if (fd < 0) {
		r = -errno;
		free(tmp);
		return r;
	}
	r = fileio_write_all(fd, data, len);
	if (!r && fchmod(fd, mode) < 0)
		r = -errno;
	if (close(fd) < 0 && !r)
		r = -errno;
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	if (r)
		unlink(tmp);
	free(tmp);
	return r;
}

bool file_equals(const char *path, const void *data, size_t len)
{
	uint8_t *d;
	size_t l;
	bool same;

	if (read_whole_file(path, &d, &l))
		return false;
	same = l == len && memcmp(d, data, len) == 0;
	free(d);
	return same;
}

int mkdir_p(const char *path, mode_t mode)
{
	char *p = xstrdup(path);
	int r = 0;

	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, mode) < 0 && errno != EEXIST) {
				r = -errno;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return r;
}

/* Removes the entries of directory fd (then closes it). A directory the app made unreadable
 * (chmod 000) is made readable first, since the launcher must leave nothing behind. */
static int fileio_empty_dir(int fd)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	int r = 0;

	if (!d) {
		r = -errno;
		close(fd);
		return r;
	}
	while ((de = readdir(d))) {
		int cfd;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			continue;
		if (errno != EISDIR) {
			r = r ? r : -errno;
			continue;
		}
		fchmodat(dirfd(d), de->d_name, 0700, AT_SYMLINK_NOFOLLOW);
		cfd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (cfd < 0) {
			r = r ? r : -errno;
			continue;
		}
		fileio_empty_dir(cfd);
		if (unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR) < 0)
			r = r ? r : -errno;
	}
	closedir(d);
	return r;
}

int remove_tree(const char *path)
{
	int fd;

	if (unlink(path) == 0)
		return 0;
	if (errno == ENOENT)
		return 0;
	chmod(path, 0700);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	fileio_empty_dir(fd);
	return rmdir(path) < 0 ? -errno : 0;
}
