/* libos/fs/sys_dir.c — getdents64, getcwd, chdir, fchdir, mkdir(at), rmdir, unlink(at). The cwd
 * is kept as a canonical instance path. */
#include "fs.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include <linux/fcntl.h>

long sys_getdents64(int fd, void *ubuf, size_t n)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r;
	if (f->flags & O_PATH)
		r = -EBADF;
	else if (f->type != NODE_DIR || !f->ops->getdents)
		r = -ENOTDIR;
	else
		r = f->ops->getdents(f, ubuf, n > 0x7fffffff ? 0x7fffffff : n);
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

long sys_getcwd(char *ubuf, size_t size)
{
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
	if (r >= 0)
		r = n->info.type != NODE_NONE ? -EEXIST : n->mnt->ops->mkdir(n, mode);
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
	long r = fs_walk_user(dirfd, upath, 0, n);
	if (r >= 0) {
		if (n->info.type == NODE_NONE)
			r = -ENOENT;
		else if (is_dir && n->info.type != NODE_DIR)
			r = -ENOTDIR;
		else if (!is_dir && n->info.type == NODE_DIR)
			r = -EISDIR;
		else if (!n->mnt->ops->writable)
			r = -EROFS;
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
