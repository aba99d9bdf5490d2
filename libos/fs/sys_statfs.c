/* libos/fs/sys_statfs.c — statfs/fstatfs: the mount's type and size as the instance sees it
 * (the extended-attribute calls are sys_xattr.c's). */
#include "fs.h"
#include "../config.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include <linux/magic.h>

struct statfs64 {
	long f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int f_fsid[2];
	long f_namelen, f_frsize, f_flags;
	long f_spare[4];
};

static long fill_statfs(struct mount *m, void *ubuf)
{
	struct statfs64 s;
	memset(&s, 0, sizeof(s));
	s.f_bsize = s.f_frsize = 4096;
	s.f_namelen = 255;
	s.f_fsid[0] = (int)m->dev;
	if (m->ops == &procfs_mount_ops) {
		s.f_type = PROC_SUPER_MAGIC;
	} else if (m->ops == &devfs_mount_ops || m->ops == &tmpfs_mount_ops) {
		s.f_type = TMPFS_MAGIC;
		s.f_blocks = 65536;
		s.f_bfree = s.f_bavail = 65536;
		s.f_files = s.f_ffree = 65536;
	} else {
		s.f_type = 0x63656c6c;	/* "cell": the image file system */
		s.f_blocks = 1 << 20;
		s.f_files = 1 << 20;
		s.f_flags = 1;	/* ST_RDONLY */
	}
	return copy_to_user(ubuf, &s, sizeof(s));
}

long sys_statfs(const char *upath, void *ubuf)
{
	struct fs_node *n = heap_alloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	long r = fs_walk_user(-100, upath, WALK_FOLLOW, n);
	if (r >= 0)
		r = fill_statfs(n->mnt, ubuf);
	heap_free(n);
	return r;
}

long sys_fstatfs(int fd, void *ubuf)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = f->mnt ? fill_statfs(f->mnt, ubuf) : -ENOSYS;
	if (!f->mnt) {	/* pipes and inherited stdio: a pipe file system */
		struct statfs64 s;
		memset(&s, 0, sizeof(s));
		s.f_type = PIPEFS_MAGIC;
		s.f_bsize = s.f_frsize = 4096;
		s.f_namelen = 255;
		r = copy_to_user(ubuf, &s, sizeof(s));
	}
	file_put(f);
	return r;
}
