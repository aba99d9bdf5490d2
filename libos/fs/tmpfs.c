/* libos/fs/tmpfs.c — /tmp: a private, initially empty host directory made by the launcher and
 * removed when the instance ends. Names are looked up on the host (lstat/readlink beneath the
 * root), contents are plain host files. */
#include "fs.h"
#include "../errno.h"
#include "../../lib/mem.h"
#include <linux/fcntl.h>

static int type_of_mode(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return NODE_DIR;
	case S_IFREG: return NODE_REG;
	case S_IFLNK: return NODE_LNK;
	case S_IFIFO: return NODE_FIFO;
	case S_IFSOCK: return NODE_SOCK;
	default: return NODE_CHR;
	}
}

static long tmpfs_lookup(struct mount *m, const char *rel, struct fs_lookup *out)
{
	struct stat st;
	long r = host_stat_beneath(m->host_root_fd, rel, &st);
	if (r == -ENOENT) {
		out->type = NODE_NONE;
		return 0;
	}
	if (r < 0)
		return r;
	out->type = type_of_mode(st.st_mode);
	out->mode = st.st_mode;
	out->id = (long)st.st_ino;
	if (out->type == NODE_LNK) {
		r = pal_readlinkat(m->host_root_fd, rel, out->link, out->link_size - 1);
		if (r < 0)
			return r;
		out->link[r] = 0;
	}
	return 0;
}

static long tmpfs_open(struct fs_node *n, int flags, unsigned mode, struct file **out)
{
	if (n->info.type == NODE_NONE && !(flags & O_CREAT))
		return -ENOENT;
	if (n->info.type == NODE_DIR && (flags & O_ACCMODE) != O_RDONLY)
		return -EISDIR;
	int hflags = (flags & ~(O_NOFOLLOW)) | O_CLOEXEC | O_NOFOLLOW;
	long hfd = host_open_beneath(n->mnt->host_root_fd, n->rel, hflags, mode & ~proc.umask);
	if (hfd < 0)
		return hfd;
	struct file *f = file_new(&host_file_ops, (int)hfd, flags, n->path);
	if (!f) {
		pal_close((int)hfd);
		return -ENOMEM;
	}
	f->type = n->info.type == NODE_NONE ? NODE_REG : n->info.type;
	f->mnt = n->mnt;
	*out = f;
	return 0;
}

static long tmpfs_stat(struct fs_node *n, struct stat *st)
{
	return host_stat_beneath(n->mnt->host_root_fd, n->rel, st);
}

static long tmpfs_mkdir(struct fs_node *n, unsigned mode)
{
	if (n->info.type != NODE_NONE)
		return -EEXIST;
	return pal_mkdirat(n->mnt->host_root_fd, n->rel, (int)(mode & ~proc.umask & 07777));
}

static long tmpfs_unlink(struct fs_node *n, int is_dir)
{
	if (!*n->rel)
		return -EBUSY;
	return pal_unlinkat(n->mnt->host_root_fd, n->rel, is_dir ? 0x200 /* AT_REMOVEDIR */ : 0);
}

const struct mount_ops tmpfs_mount_ops = {
	.lookup = tmpfs_lookup,
	.open = tmpfs_open,
	.stat = tmpfs_stat,
	.mkdir = tmpfs_mkdir,
	.unlink = tmpfs_unlink,
	.writable = 1,
};
