/* libos/fs/sys_stat.c — stat, lstat, fstat, newfstatat, statx. Every variant resolves to either an
 * open file's stat or the owning mount's stat of a resolved node; statx is derived from stat. */
#include "fs.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include <linux/fcntl.h>
#include <linux/stat.h>

long fs_stat_fd(int fd, struct stat *st)
{
	if (fd == AT_FDCWD) {
		struct fs_node *n = heap_alloc(sizeof(*n));
		if (!n)
			return -ENOMEM;
		long r = fs_walk(AT_FDCWD, ".", WALK_FOLLOW, n);
		if (r >= 0)
			r = n->mnt->ops->stat(n, st);
		heap_free(n);
		return r;
	}
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = f->ops->stat ? f->ops->stat(f, st) : -EINVAL;
	file_put(f);
	return r;
}

/* Resolves dirfd+path by the *at rules and fills st. */
static long stat_at(int dirfd, const char *upath, int flags, struct stat *st)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	char first = 0;
	if ((flags & AT_EMPTY_PATH)) {
		/* Since Linux 6.11 a NULL path with AT_EMPTY_PATH is the empty path. */
		if (upath && copy_from_user(&first, upath, 1) < 0)
			return -EFAULT;
		if (first == 0)
			return fs_stat_fd(dirfd, st);
	}
	struct fs_node n;	/* on the LibOS stack: see fs_walk */
	long r = fs_walk_user(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW, &n);
	return r < 0 ? r : n.mnt->ops->stat(&n, st);
}

static long put_stat(void *ust, long r, struct stat *st)
{
	if (r < 0)
		return r;
	return copy_to_user(ust, st, sizeof(*st));
}

long sys_fstat(int fd, void *ust)
{
	struct stat st;
	if (fd == AT_FDCWD)
		return -EBADF;
	return put_stat(ust, fs_stat_fd(fd, &st), &st);
}

long sys_stat(const char *upath, void *ust)
{
	struct stat st;
	return put_stat(ust, stat_at(AT_FDCWD, upath, 0, &st), &st);
}

long sys_lstat(const char *upath, void *ust)
{
	struct stat st;
	return put_stat(ust, stat_at(AT_FDCWD, upath, AT_SYMLINK_NOFOLLOW, &st), &st);
}

long sys_newfstatat(int dirfd, const char *upath, void *ust, int flags)
{
	struct stat st;
	return put_stat(ust, stat_at(dirfd, upath, flags, &st), &st);
}

static void to_statx(const struct stat *st, struct statx *sx)
{
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS;
	sx->stx_blksize = (uint32_t)st->st_blksize;
	sx->stx_nlink = (uint32_t)st->st_nlink;
	sx->stx_uid = st->st_uid;
	sx->stx_gid = st->st_gid;
	sx->stx_mode = (uint16_t)st->st_mode;
	sx->stx_ino = st->st_ino;
	sx->stx_size = (uint64_t)st->st_size;
	sx->stx_blocks = (uint64_t)st->st_blocks;
	sx->stx_atime.tv_sec = (int64_t)st->st_atime;
	sx->stx_atime.tv_nsec = (uint32_t)st->st_atime_nsec;
	sx->stx_mtime.tv_sec = (int64_t)st->st_mtime;
	sx->stx_mtime.tv_nsec = (uint32_t)st->st_mtime_nsec;
	sx->stx_ctime.tv_sec = (int64_t)st->st_ctime;
	sx->stx_ctime.tv_nsec = (uint32_t)st->st_ctime_nsec;
	sx->stx_rdev_major = (uint32_t)((st->st_rdev >> 8) & 0xfff);
	sx->stx_rdev_minor = (uint32_t)((st->st_rdev & 0xff) | ((st->st_rdev >> 12) & 0xfff00));
	sx->stx_dev_major = (uint32_t)((st->st_dev >> 8) & 0xfff);
	sx->stx_dev_minor = (uint32_t)((st->st_dev & 0xff) | ((st->st_dev >> 12) & 0xfff00));
}

long sys_statx(int dirfd, const char *upath, int flags, unsigned mask, void *ubuf)
{
	struct stat st;
	struct statx sx;
	if (mask & STATX__RESERVED)
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	long r = stat_at(dirfd, upath, flags & ~AT_STATX_SYNC_TYPE, &st);
	if (r < 0)
		return r;
	to_statx(&st, &sx);
	return copy_to_user(ubuf, &sx, sizeof(sx));
}
