/* libos/fs/sys_access.c — readlink(at), access, faccessat, faccessat2. Permission checks use the
 * node's mode against the process's ids; uid 0 passes read/write checks and needs one x bit for
 * execute, as on Linux. */
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

static long check_access(struct fs_node *n, int mode, int use_effective)
{
	struct stat st;
	long r = n->mnt->ops->stat(n, &st);
	if (r < 0)
		return r;
	uint32_t uid = use_effective ? proc.euid : proc.uid;
	uint32_t gid = use_effective ? proc.egid : proc.gid;
	int is_file_like = S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode);
	if ((mode & W_OK) && is_file_like && !n->mnt->ops->writable)
		return -EROFS;
	if (uid == 0) {
		if ((mode & X_OK) && !S_ISDIR(st.st_mode) && !(st.st_mode & 0111))
			return -EACCES;
		return 0;
	}
	unsigned bits = st.st_mode & 7;
	if (st.st_uid == uid)
		bits = (st.st_mode >> 6) & 7;
	else if (st.st_gid == gid)
		bits = (st.st_mode >> 3) & 7;
	return ((unsigned)mode & ~bits) ? -EACCES : 0;
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
		r = check_access(n, mode, !!(flags & AT_EACCESS));
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
