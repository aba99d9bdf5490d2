/* libos/fs/sys_modify.c — calls that change the tree: symlink(at), rename(at, at2), link(at),
 * chmod, fchmod(at), truncate, utimensat. Each resolves its paths, checks Linux's errors that do
 * not depend on the file system, and hands the node to the owning mount. */
#include "fs.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include <linux/fcntl.h>

static struct fs_node *node_alloc(void)
{
	return heap_alloc(sizeof(struct fs_node));
}

static long ro_error(struct fs_node *n)
{
	return n->mnt->ops->writable ? -EPERM : -EROFS;
}

long sys_symlinkat(const char *utarget, int dirfd, const char *upath)
{
	char *target = heap_alloc(LIBOS_PATH_MAX);
	struct fs_node *n = node_alloc();
	long r = target && n ? 0 : -ENOMEM;
	if (r == 0)
		r = strncpy_from_user(target, utarget, LIBOS_PATH_MAX);
	if (r == 0)
		r = -ENOENT;	/* an empty target */
	if (r > 0)
		r = fs_walk_user(dirfd, upath, WALK_CREATE, n);
	if (r >= 0) {
		if (n->info.type != NODE_NONE)
			r = -EEXIST;
		else if (!n->mnt->ops->symlink)
			r = ro_error(n);
		else
			r = n->mnt->ops->symlink(n, target);
	}
	heap_free(target);
	heap_free(n);
	return r;
}

long sys_symlink(const char *utarget, const char *upath)
{
	return sys_symlinkat(utarget, AT_FDCWD, upath);
}

#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#define RENAME_WHITEOUT 4

long sys_renameat2(int odfd, const char *uold, int ndfd, const char *unew, unsigned flags)
{
	if (flags & ~(unsigned)(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	struct fs_node *from = node_alloc(), *to = node_alloc();
	long r = from && to ? 0 : -ENOMEM;
	if (r == 0)
		r = fs_walk_user(odfd, uold, 0, from);
	if (r >= 0)
		r = fs_walk_user(ndfd, unew, WALK_CREATE, to);
	if (r >= 0) {
		if (from->info.type == NODE_NONE)
			r = -ENOENT;
		else if (from->mnt != to->mnt)
			r = -EXDEV;
		else if (!from->mnt->ops->rename)
			r = ro_error(from);
		else if (!*from->rel || !*to->rel)
			r = -EBUSY;
		else
			r = from->mnt->ops->rename(from, to, flags);
	}
	heap_free(from);
	heap_free(to);
	return r;
}

long sys_renameat(int odfd, const char *uold, int ndfd, const char *unew)
{
	return sys_renameat2(odfd, uold, ndfd, unew, 0);
}

long sys_rename(const char *uold, const char *unew)
{
	return sys_renameat2(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}

long sys_linkat(int odfd, const char *uold, int ndfd, const char *unew, int flags)
{
	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct fs_node *from = node_alloc(), *to = node_alloc();
	long r = from && to ? 0 : -ENOMEM;
	if (r == 0)
		r = fs_walk_user(odfd, uold, (flags & AT_SYMLINK_FOLLOW) ? WALK_FOLLOW : 0, from);
	if (r >= 0)
		r = fs_walk_user(ndfd, unew, WALK_CREATE, to);
	if (r >= 0) {
		if (from->info.type == NODE_NONE)
			r = -ENOENT;
		else if (from->info.type == NODE_DIR)
			r = -EPERM;
		else if (to->info.type != NODE_NONE)
			r = -EEXIST;
		else if (from->mnt != to->mnt)
			r = -EXDEV;
		else if (!from->mnt->ops->link)
			r = ro_error(from);
		else
			r = from->mnt->ops->link(from, to);
	}
	heap_free(from);
	heap_free(to);
	return r;
}

long sys_link(const char *uold, const char *unew)
{
	return sys_linkat(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}

static long node_op_at(int dirfd, const char *upath, int walk_flags,
		       long (*op)(struct fs_node *, long), long arg)
{
	struct fs_node *n = node_alloc();
	if (!n)
		return -ENOMEM;
	long r = fs_walk_user(dirfd, upath, walk_flags, n);
	if (r >= 0)
		r = op(n, arg);
	heap_free(n);
	return r;
}

static long do_chmod(struct fs_node *n, long mode)
{
	if (n->info.type == NODE_LNK)
		return -EOPNOTSUPP;
	return n->mnt->ops->chmod ? n->mnt->ops->chmod(n, (unsigned)mode) : ro_error(n);
}

long sys_fchmodat(int dirfd, const char *upath, unsigned mode)
{
	return node_op_at(dirfd, upath, WALK_FOLLOW, do_chmod, mode);
}

long sys_chmod(const char *upath, unsigned mode)
{
	return sys_fchmodat(AT_FDCWD, upath, mode);
}

long sys_fchmod(int fd, unsigned mode)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r;
	if (f->flags & O_PATH)
		r = -EBADF;
	else if (f->host_fd >= 0 && f->mnt && f->mnt->ops->writable)
		r = pal_fchmod(f->host_fd, (int)(mode & 07777));
	else
		r = f->mnt && !f->mnt->ops->writable ? -EROFS : -EPERM;
	file_put(f);
	return r;
}

static long do_truncate(struct fs_node *n, long len)
{
	if (n->info.type == NODE_DIR)
		return -EISDIR;
	if (n->info.type != NODE_REG)
		return -EINVAL;
	return n->mnt->ops->truncate ? n->mnt->ops->truncate(n, len) : ro_error(n);
}

long sys_truncate(const char *upath, long len)
{
	if (len < 0)
		return -EINVAL;
	return node_op_at(AT_FDCWD, upath, WALK_FOLLOW, do_truncate, len);
}

static long do_utimens(struct fs_node *n, long times)
{
	return n->mnt->ops->utimens ? n->mnt->ops->utimens(n, (const void *)times) : ro_error(n);
}

long sys_utimensat(int dirfd, const char *upath, const void *utimes, int flags)
{
	struct { long sec, nsec; } ts[2];
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes) {
		if (copy_from_user(ts, utimes, sizeof(ts)) < 0)
			return -EFAULT;
		for (int i = 0; i < 2; i++)
			if ((ts[i].nsec < 0 || ts[i].nsec >= 1000000000L) &&
			    ts[i].nsec != ((1l << 30) - 1) && ts[i].nsec != ((1l << 30) - 2))
				return -EINVAL;
	}
	return fs_utimensat(dirfd, upath, utimes ? (void *)ts : NULL, flags);
}

/* The rest of utimensat, on times already copied and checked (kts: two timespecs, or NULL for
 * "now"); the utime, utimes and futimesat shims (sys_utime.c) enter here too. */
long fs_utimensat(int dirfd, const char *upath, const void *kts, int flags)
{
	const void *utimes = kts;
	const void *ts = kts;
	if (!upath) {	/* futimens: the fd itself */
		struct file *f = fd_get(dirfd);
		if (!f)
			return -EBADF;
		long r = f->host_fd >= 0 && f->mnt && f->mnt->ops->writable
				 ? pal_utimensat(f->host_fd, 0, utimes ? (void *)ts : 0, 0)
				 : -EROFS;
		file_put(f);
		return r;
	}
	return node_op_at(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW, do_utimens,
			  utimes ? (long)ts : 0);
}
