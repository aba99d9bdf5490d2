/* libos/fs/sys_access.c — readlink(at), access, faccessat, faccessat2. The check is fs_permission's
 * (Linux's generic_permission), with the real ids in force for the whole walk unless AT_EACCESS. */
#include "fs.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include <linux/fcntl.h>

long sys_readlinkat(int dirfd, const char *upath, char *ubuf, size_t size64)
{
	int size = (int)size64;	/* Linux's bufsiz is an int: 2^31 is negative, 2^32 is 0 */
	if (size <= 0)
		return -EINVAL;
	struct fs_node *n = heap_alloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	char first;
	long r = copy_from_user(&first, upath, 1);
	if (r >= 0 && first == 0 && dirfd != AT_FDCWD) {
		/* readlinkat(fd, "") reads the link an O_PATH|O_NOFOLLOW fd refers to. */
		struct file *f = fd_get(dirfd);
		r = !f ? -EBADF : f->type != NODE_LNK ? -ENOENT : fs_walk(AT_FDCWD, f->path, 0, n);
		file_put(f);
	} else if (r >= 0) {
		r = fs_walk_user(dirfd, upath, 0, n);
	}
	if (r >= 0 && n->info.type != NODE_LNK)
		r = -EINVAL;
	if (r >= 0) {
		size_t len = strlen(n->link_buf);
		if (len > (size_t)size)
			len = (size_t)size;
		r = copy_to_user(ubuf, n->link_buf, len) < 0 ? -EFAULT : (long)len;
	}
	heap_free(n);
	return r;
}

long sys_readlink(const char *upath, char *ubuf, size_t size)
{
	return sys_readlinkat(AT_FDCWD, upath, ubuf, size);
}

#define R_OK 4
#define W_OK 2
#define X_OK 1
#define SECURE_NO_SETUID_FIXUP 2

/* The node's bits for the access asked, EROFS first for a write on the read-only image. */
static long check_access(struct fs_node *n, int mode)
{
	return fs_node_permission(n->mnt, &n->info, mode);
}

/* Linux's access_override_creds: the real ids in the fs ids' place; capabilities: none for a
 * non-root real uid, the permitted set for root (unless SECURE_NO_SETUID_FIXUP). */
static void real_cred(struct fs_access_cred *c)
{
	c->uid = proc.uid;
	c->gid = proc.gid;
	c->caps = proc.cap_eff;
	if (!(proc.securebits & (1u << SECURE_NO_SETUID_FIXUP)))
		c->caps = proc.uid == 0 ? proc.cap_prm : 0;
}

long sys_faccessat2(int dirfd, const char *upath, int mode, int flags)
{
	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct fs_node *n = heap_alloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	struct fs_access_cred real;
	if (!(flags & AT_EACCESS)) {
		real_cred(&real);
		fs_access_begin(&real);
	}
	char first = 1;
	long r = 0;
	if ((flags & AT_EMPTY_PATH) && copy_from_user(&first, upath, 1) < 0)
		r = -EFAULT;
	if (r >= 0 && first == 0) {
		struct file *f = fd_get(dirfd);
		if (dirfd == AT_FDCWD)
			r = fs_walk(AT_FDCWD, ".", WALK_FOLLOW, n);
		else if (!f)
			r = -EBADF;
		else
			r = fs_walk(AT_FDCWD, f->path, 0, n);
		file_put(f);
	} else if (r >= 0) {
		r = fs_walk_user(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW, n);
	}
	if (r >= 0)
		r = check_access(n, mode);
	if (!(flags & AT_EACCESS))
		fs_access_end();
	heap_free(n);
	return r;
}

long sys_faccessat(int dirfd, const char *upath, int mode)
{
	return sys_faccessat2(dirfd, upath, mode, 0);
}

long sys_access(const char *upath, int mode)
{
	return sys_faccessat2(AT_FDCWD, upath, mode, 0);
}
