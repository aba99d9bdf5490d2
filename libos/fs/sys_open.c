/* libos/fs/sys_open.c — open, openat, creat-style flags, close, close_range. Flag checks follow
 * Linux's order; the mount that owns the resolved path does the open itself. */
#include "fs.h"
#include "../errno.h"
#include "../process/cred.h"
#include <linux/fcntl.h>

#define VALID_OPEN_FLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | \
	O_NONBLOCK | O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | \
	O_NOATIME | O_CLOEXEC | O_PATH | __O_TMPFILE | __O_SYNC)

/* Flags F_GETFL reports: what open kept, with O_LARGEFILE forced as on every 64-bit open; an
 * O_PATH open keeps only O_PATH, O_DIRECTORY and O_NOFOLLOW (Linux's O_PATH_FLAGS). */
static int kept_flags(int flags)
{
	if (flags & O_PATH)
		return flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW);
	return (flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) | O_LARGEFILE;
}

/* check: the app's open, with Linux's permission checks; the LibOS's own opens (the loader's,
 * execve's re-opening of inherited files) have been checked otherwise. */
static long open_node(struct fs_node *n, int flags, unsigned mode, struct file **out, int check);

long fs_open(int dirfd, const char *upath, int flags, unsigned mode, struct file **out)
{
	return fs_open_resolve(dirfd, upath, flags, mode, 0, out);
}

long fs_open_resolve(int dirfd, const char *upath, int flags, unsigned mode, int walk,
		     struct file **out)
{
	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	if ((flags & __O_TMPFILE) == __O_TMPFILE && (flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return -EINVAL;
	if ((flags & __O_TMPFILE) == __O_TMPFILE)
		return -EOPNOTSUPP;
	struct fs_node n;	/* on the LibOS stack: see fs_walk */
	int follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
	walk |= (follow ? WALK_FOLLOW : 0) | ((flags & O_CREAT) ? WALK_CREATE : 0);
	long r = fs_walk_user(dirfd, upath, walk, &n);
	return r < 0 ? r : open_node(&n, flags, mode, out, 1);
}

long fs_open_kernel(int dirfd, const char *path, int flags, struct file **out)
{
	struct fs_node n;
	long r = fs_walk(dirfd, path, WALK_FOLLOW, &n);
	return r < 0 ? r : open_node(&n, flags, 0, out, 0);
}

/* Opening an existing node: its bits for the access asked (O_TRUNC writes), then O_NOATIME's
 * owner rule (Linux's may_open). */
static long may_open(struct fs_node *n, int flags)
{
	static const int acc[4] = { MAY_READ, MAY_WRITE, MAY_READ | MAY_WRITE, MAY_READ | MAY_WRITE };
	int mask = acc[flags & O_ACCMODE] | ((flags & O_TRUNC) ? MAY_WRITE : 0);
	long r = fs_node_permission(n->mnt, &n->info, mask);
	if (r == 0 && (flags & O_NOATIME) && n->info.uid != cred_fsuid() && !cred_capable(CAP_FOWNER))
		r = -EPERM;
	return r;
}

static long open_node(struct fs_node *n, int flags, unsigned mode, struct file **out, int check)
{
	long r = 0;
	int type = n->info.type;
	if ((flags & O_CREAT) && (flags & O_EXCL) && type != NODE_NONE)
		r = -EEXIST;
	else if (type == NODE_LNK && !(flags & O_PATH))
		r = -ELOOP;
	else if ((flags & O_DIRECTORY) && type != NODE_DIR && type != NODE_NONE)
		r = -ENOTDIR;
	else if (type == NODE_DIR && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT)))
		r = -EISDIR;
	else if (type == NODE_NONE && n->trailing_slash)
		r = -EISDIR;
	else if (type == NODE_NONE && (flags & O_CREAT) && !n->mnt->ops->writable)
		r = -EROFS;
	else if (type == NODE_NONE && (flags & O_CREAT))
		r = fs_permission(n->parent.mode, n->parent.uid, n->parent.gid, MAY_WRITE | MAY_EXEC);
	else if (type != NODE_NONE && !(flags & O_PATH) && check)
		r = may_open(n, flags);
	if (r < 0)
		return r;
	struct file *f = NULL;
	r = n->mnt->ops->open(n, flags, mode, &f);
	if (r >= 0) {
		f->flags = kept_flags(flags);
		*out = f;
	}
	return r;
}

long fs_open_install(int dirfd, const char *upath, int flags, unsigned mode, int walk)
{
	struct file *f;
	long r = fs_open_resolve(dirfd, upath, flags, mode, walk, &f);
	if (r < 0)
		return r;
	r = fd_install(f, flags & O_CLOEXEC, 0);
	if (r < 0)
		file_put(f);
	return r;
}

long sys_openat(int dirfd, const char *upath, int flags, unsigned mode)
{
	if (flags & ~VALID_OPEN_FLAGS)
		flags &= VALID_OPEN_FLAGS;	/* Linux ignores unknown open(2) flags */
	return fs_open_install(dirfd, upath, flags, mode & 07777, 0);
}

long sys_open(const char *upath, int flags, unsigned mode)
{
	return sys_openat(AT_FDCWD, upath, flags, mode);
}

long sys_close(int fd)
{
	return fd_close(fd);
}

#define CLOSE_RANGE_UNSHARE 2
#define CLOSE_RANGE_CLOEXEC 4

long sys_close_range(unsigned first, unsigned last, unsigned flags)
{
	if (flags & ~(unsigned)(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	if (flags & CLOSE_RANGE_UNSHARE) {	/* close in a table of our own, not our siblings' */
		long r = fd_table_unshare();
		if (r < 0)
			return r;
	}
	unsigned max = (unsigned)fd_max();
	for (unsigned fd = first; fd <= last && fd < max; fd++) {
		if (flags & CLOSE_RANGE_CLOEXEC)
			fd_set_cloexec((int)fd, 1);
		else
			fd_close((int)fd);
	}
	return 0;
}

long sys_creat(const char *upath, unsigned mode)
{
	return sys_openat(AT_FDCWD, upath, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
