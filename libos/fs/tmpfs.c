/* libos/fs/tmpfs.c — /tmp: a private, initially empty host directory, made in run/ at the first
 * use of /tmp (mount_host_root) and removed by the launcher when the instance ends. Names are
 * looked up on the host (lstat/readlink beneath the root), contents are plain host files. */
#include "fs.h"
#include "../errno.h"
#include "../../lib/mem.h"
#include <linux/fcntl.h>

/* host_open_beneath and host_parent_beneath under the mount's directory, made at first use. */
static long tmp_open(struct mount *m, const char *rel, int flags, unsigned mode)
{
	long root = mount_host_root(m);
	return root < 0 ? root : host_open_beneath((int)root, rel, flags, mode);
}

static long tmp_parent(struct mount *m, const char *rel, const char **name)
{
	long root = mount_host_root(m);
	return root < 0 ? root : host_parent_beneath((int)root, rel, name);
}

/* Runs fn on (parent fd, last name) of rel; see host_parent_beneath. */
#define AT_PARENT(m, rel, call)                                                        \
	({                                                                             \
		const char *name_;                                                     \
		long pfd_ = tmp_parent((m), (rel), &name_);                            \
		long r_ = pfd_;                                                        \
		if (pfd_ >= 0) {                                                       \
			int dfd = (int)pfd_;                                           \
			const char *name = name_;                                      \
			r_ = (call);                                                   \
			pal_close(dfd);                                                \
		}                                                                      \
		r_;                                                                    \
	})

static long safe_stat(struct mount *m, const char *rel, struct stat *st)
{
	if (!*rel) {
		long root = mount_host_root(m);
		return root < 0 ? root : pal_fstat((int)root, st);
	}
	return AT_PARENT(m, rel, pal_fstatat(dfd, name, st, 0x100 /* AT_SYMLINK_NOFOLLOW */));
}

static long tmpfs_lookup(struct mount *m, const char *rel, struct fs_lookup *out)
{
	struct stat st;
	long r = safe_stat(m, rel, &st);
	if (r == -ENOENT) {
		out->type = NODE_NONE;
		return 0;
	}
	if (r < 0)
		return r;
	out->type = fs_node_type(st.st_mode);
	out->mode = st.st_mode;
	out->id = (long)st.st_ino;
	if (out->type == NODE_LNK) {
		r = AT_PARENT(m, rel, pal_readlinkat(dfd, name, out->link, out->link_size - 1));
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
	long hfd = tmp_open(n->mnt, n->rel, hflags, mode & ~proc.umask);
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
	return safe_stat(n->mnt, n->rel, st);
}

static long tmpfs_mkdir(struct fs_node *n, unsigned mode)
{
	if (n->info.type != NODE_NONE)
		return -EEXIST;
	return AT_PARENT(n->mnt, n->rel, pal_mkdirat(dfd, name, (int)(mode & ~proc.umask & 07777)));
}

static long tmpfs_unlink(struct fs_node *n, int is_dir)
{
	if (!*n->rel)
		return -EBUSY;
	return AT_PARENT(n->mnt, n->rel, pal_unlinkat(dfd, name, is_dir ? 0x200 /* AT_REMOVEDIR */ : 0));
}

static long tmpfs_symlink(struct fs_node *n, const char *target)
{
	return AT_PARENT(n->mnt, n->rel, pal_symlinkat(target, dfd, name));
}

static long tmpfs_rename(struct fs_node *from, struct fs_node *to, unsigned flags)
{
	const char *to_name;
	long tfd = tmp_parent(to->mnt, to->rel, &to_name);
	if (tfd < 0)
		return tfd;
	long r = AT_PARENT(from->mnt, from->rel, pal_renameat2(dfd, name, (int)tfd, to_name, flags));
	pal_close((int)tfd);
	return r;
}

static long tmpfs_link(struct fs_node *from, struct fs_node *to)
{
	const char *to_name;
	long tfd = tmp_parent(to->mnt, to->rel, &to_name);
	if (tfd < 0)
		return tfd;
	long r = AT_PARENT(from->mnt, from->rel, pal_linkat(dfd, name, (int)tfd, to_name, 0));
	pal_close((int)tfd);
	return r;
}

/* The resolved node is never a symlink here (callers follow links first), so the *at calls
 * on (parent, name) act on the node itself. */
static long tmpfs_chmod(struct fs_node *n, unsigned mode)
{
	return AT_PARENT(n->mnt, n->rel, pal_fchmodat(dfd, name, (int)(mode & 07777)));
}

static long tmpfs_utimens(struct fs_node *n, const void *times)
{
	return AT_PARENT(n->mnt, n->rel, pal_utimensat(dfd, name, times, 0x100 /* AT_SYMLINK_NOFOLLOW */));
}

static long tmpfs_truncate(struct fs_node *n, long len)
{
	long fd = tmp_open(n->mnt, n->rel, O_WRONLY, 0);
	if (fd < 0)
		return fd;
	long r = pal_ftruncate((int)fd, len);
	pal_close((int)fd);
	return r;
}

const struct mount_ops tmpfs_mount_ops = {
	.lookup = tmpfs_lookup,
	.open = tmpfs_open,
	.stat = tmpfs_stat,
	.mkdir = tmpfs_mkdir,
	.unlink = tmpfs_unlink,
	.symlink = tmpfs_symlink,
	.rename = tmpfs_rename,
	.link = tmpfs_link,
	.chmod = tmpfs_chmod,
	.utimens = tmpfs_utimens,
	.truncate = tmpfs_truncate,
	.getxattr = tmpfs_getxattr,
	.setxattr = tmpfs_setxattr,
	.removexattr = tmpfs_removexattr,
	.listxattr = tmpfs_listxattr,
	.writable = 1,
};
