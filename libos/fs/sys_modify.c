/* libos/fs/sys_modify.c — calls that change the tree: symlink(at), rename(at, at2), link(at),
 * truncate, mknod(at). Each resolves its paths, checks Linux's errors that do not depend on the
 * file system and the caller's permissions, and hands the node to the owning mount. */
#include "fs.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../process/cred.h"
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
		else if ((r = fs_may_create(n)) == 0)
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

/* Linux's vfs_rename checks: the source may leave its directory, the target may be replaced or
 * made, and a directory moving to another parent must be writable itself (its ".." changes). */
static long may_rename(struct fs_node *from, struct fs_node *to)
{
	long r = fs_may_delete(from);
	if (r == 0)
		r = to->info.type == NODE_NONE ? fs_may_create(to) : fs_may_delete(to);
	if (r == 0 && from->info.type == NODE_DIR && from->parent.id != to->parent.id)
		r = fs_permission(from->info.mode, from->info.uid, from->info.gid, MAY_WRITE);
	return r;
}

long sys_renameat2(int odfd, const char *uold, int ndfd, const char *unew, unsigned flags)
{
	if (flags & ~(unsigned)(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	struct fs_node *from = node_alloc(), *to = node_alloc();
	long r = from && to ? 0 : -ENOMEM;
	/* Linux resolves both parents before it looks the old name up: a missing old name is
	 * ENOENT only once the new path has been read (a bad one is EFAULT first). */
	if (r == 0)
		r = fs_walk_user(odfd, uold, WALK_CREATE, from);
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
		else if ((r = may_rename(from, to)) == 0)
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

/* fs.protected_hardlinks (on by default): a link to another user's file needs CAP_FOWNER, or a
 * regular file without set-ID execution that the caller may read and write. */
static long may_link(struct fs_node *from)
{
	const struct fs_lookup *l = &from->info;
	if (l->uid == cred_fsuid() || cred_capable(CAP_FOWNER))
		return 0;
	if (l->type != NODE_REG || (l->mode & S_ISUID) || (l->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) ||
	    fs_permission(l->mode, l->uid, l->gid, MAY_READ | MAY_WRITE) < 0)
		return -EPERM;
	return 0;
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
		else if ((r = may_link(from)) == 0 && (r = fs_may_create(to)) == 0)
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

static long do_truncate(struct fs_node *n, long len)
{
	if (n->info.type == NODE_DIR)
		return -EISDIR;
	if (n->info.type != NODE_REG)
		return -EINVAL;
	if (!n->mnt->ops->truncate)
		return ro_error(n);
	long r = fs_node_permission(n->mnt, &n->info, MAY_WRITE);
	if (r == 0)
		r = n->mnt->ops->truncate(n, len);
	if (r == 0)
		fs_remove_privs(n->mnt, (uint64_t)n->info.id, n->info.mode, n->info.uid, n->info.gid);
	return r;
}

long sys_truncate(const char *upath, long len)
{
	if (len < 0)
		return -EINVAL;
	return node_op_at(AT_FDCWD, upath, WALK_FOLLOW, do_truncate, len);
}

/* ---- mknod ---------------------------------------------------------------------------------- */
#define S_IFMT_ 0170000

/* Linux's order: the type (may_mknod), the name (ENOENT, EEXIST, EROFS), the directory's
 * permission, then CAP_MKNOD for devices, which an instance never holds (as in a user
 * namespace): device nodes are EPERM even for its root. */
long sys_mknodat(int dirfd, const char *upath, unsigned mode, unsigned dev)
{
	(void)dev;
	switch (mode & S_IFMT_) {
	case 0: case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	struct fs_node *n = node_alloc();
	if (!n)
		return -ENOMEM;
	long r = fs_walk_user(dirfd, upath, WALK_CREATE, n);
	if (r >= 0) {
		unsigned type = (mode & S_IFMT_) ? mode & S_IFMT_ : S_IFREG;
		if (n->info.type != NODE_NONE)
			r = -EEXIST;
		else if (n->mnt->ops->readonly)
			r = -EROFS;
		else if (!n->mnt->ops->mknod)
			r = -EACCES;
		else if ((r = fs_may_create(n)) < 0)
			;
		else if (type == S_IFCHR || type == S_IFBLK)
			r = -EPERM;
		else
			r = n->mnt->ops->mknod(n, type | (mode & 07777 & ~proc.umask));
	}
	heap_free(n);
	return r;
}

long sys_mknod(const char *upath, unsigned mode, unsigned dev)
{
	return sys_mknodat(AT_FDCWD, upath, mode, dev);
}
