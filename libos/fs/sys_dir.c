/* libos/fs/sys_dir.c — getdents64, getcwd, chdir, fchdir, mkdir(at), rmdir, unlink(at). The cwd
 * is kept as a canonical instance path. */
#include "fs.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include <linux/fcntl.h>

long sys_getdents64(int fd, void *ubuf, size_t count)
{
	/* Linux's count is an unsigned int kept in an int: 2^32 is 0, 2^31 and above fit nothing. */
	int n = (int)(unsigned)count;
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r;
	if (f->flags & O_PATH)
		r = -EBADF;
	else if (f->type != NODE_DIR || !f->ops->getdents)
		r = -ENOTDIR;
	else
		r = f->ops->getdents(f, ubuf, n < 0 ? 0 : (size_t)n);
	file_put(f);
	return r;
}

/* The old getdents: struct linux_dirent { ino, off, reclen, name[], pad, type }. For a name of
 * length L its record is ALIGN(L + 20, 8) bytes, exactly a linux_dirent64's, so the 64-bit
 * records are read into the app's buffer and rewritten in place, one at a time: the name moves
 * down one byte and the type goes to the record's last byte. */
long sys_getdents(int fd, void *ubuf, size_t n)
{
	long r = sys_getdents64(fd, ubuf, n);
	char rec[24 + 256];
	for (long at = 0; r > 0 && at < r;) {
		unsigned short reclen;
		if (copy_from_user(&reclen, (char *)ubuf + at + 16, 2) < 0)
			return -EFAULT;
		if (reclen < 20 || reclen > sizeof(rec) || at + reclen > r)
			return -EIO;	/* not a record getdents64 writes */
		if (copy_from_user(rec, (char *)ubuf + at, reclen) < 0)
			return -EFAULT;
		char type = rec[18];
		memmove(rec + 18, rec + 19, reclen - 19);
		rec[reclen - 1] = type;
		if (copy_to_user((char *)ubuf + at, rec, reclen) < 0)
			return -EFAULT;
		at += reclen;
	}
	return r;
}

/* Linux's order: a cwd that was removed is ENOENT, then a size too small for the path (with its
 * NUL) ERANGE, then the copy. The cwd is a path here, so "removed" means the path names no
 * directory any more. */
long sys_getcwd(char *ubuf, size_t size)
{
	struct fs_node *n = heap_alloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	long r = fs_walk(AT_FDCWD, fs_cwd, 0, n);
	int gone = r == -ENOENT || r == -ENOTDIR || (r >= 0 && n->info.type != NODE_DIR);
	heap_free(n);
	if (gone)
		return -ENOENT;
	size_t len = strlen(fs_cwd) + 1;
	if (size < len)
		return -ERANGE;
	if (copy_to_user(ubuf, fs_cwd, len) < 0)
		return -EFAULT;
	return (long)len;
}

static long walk_dir(int dirfd, const char *upath, struct fs_node *n)
{
	long r = fs_walk_user(dirfd, upath, WALK_FOLLOW, n);
	if (r >= 0 && n->info.type != NODE_DIR)
		r = -ENOTDIR;
	return r;
}

long sys_chdir(const char *upath)
{
	struct fs_node *n = heap_alloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	long r = walk_dir(AT_FDCWD, upath, n);
	if (r >= 0)	/* the new cwd must be searchable itself */
		r = fs_permission(n->info.mode, n->info.uid, n->info.gid, MAY_EXEC);
	if (r >= 0)
		strlcpy(fs_cwd, n->path, sizeof(fs_cwd));
	heap_free(n);
	return r < 0 ? r : 0;
}

long sys_fchdir(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = f->type == NODE_DIR && f->path[0] == '/' ? 0 : -ENOTDIR;
	struct stat st;
	if (r == 0 && f->ops->stat && f->ops->stat(f, &st) == 0)
		r = fs_permission(st.st_mode, st.st_uid, st.st_gid, MAY_EXEC);
	if (r == 0)
		strlcpy(fs_cwd, f->path, sizeof(fs_cwd));
	file_put(f);
	return r;
}

long sys_mkdirat(int dirfd, const char *upath, unsigned mode)
{
	struct fs_node *n = heap_alloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	long r = fs_walk_user(dirfd, upath, WALK_CREATE, n);
	if (r >= 0 && n->info.type != NODE_NONE)
		r = -EEXIST;
	else if (r >= 0 && n->mnt->ops->writable)
		r = fs_may_create(n);
	if (r >= 0)
		r = n->mnt->ops->mkdir(n, mode);
	heap_free(n);
	return r;
}

long sys_mkdir(const char *upath, unsigned mode)
{
	return sys_mkdirat(AT_FDCWD, upath, mode);
}

long sys_unlinkat(int dirfd, const char *upath, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	struct fs_node *n = heap_alloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	int is_dir = !!(flags & AT_REMOVEDIR);
	/* Linux's order: EROFS (the mount), ENOENT (the name), the directory's permission and
	 * sticky bit, then the kind of node. */
	long r = fs_walk_user(dirfd, upath, WALK_CREATE, n);
	if (r >= 0) {
		if (n->mnt->ops->readonly)
			r = -EROFS;
		else if (n->info.type == NODE_NONE)
			r = -ENOENT;
		else if (!n->mnt->ops->writable)	/* /proc, /dev: each says what Linux's does */
			r = n->mnt->ops->unlink(n, is_dir);
		else if (*n->rel && (r = fs_may_delete(n)) < 0)
			;
		else if (is_dir && n->info.type != NODE_DIR)
			r = -ENOTDIR;
		else if (!is_dir && n->info.type == NODE_DIR)
			r = -EISDIR;
		else if (is_dir && !*n->rel)
			r = -EBUSY;
		else
			r = n->mnt->ops->unlink(n, is_dir);
	}
	heap_free(n);
	return r;
}

long sys_unlink(const char *upath)
{
	return sys_unlinkat(AT_FDCWD, upath, 0);
}

long sys_rmdir(const char *upath)
{
	char buf[4];
	/* rmdir(".") and "x/." are EINVAL on Linux before anything else is looked at. */
	long n = strncpy_from_user(buf, upath, sizeof(buf));
	if (n == 1 && buf[0] == '.')
		return -EINVAL;
	return sys_unlinkat(AT_FDCWD, upath, AT_REMOVEDIR);
}
