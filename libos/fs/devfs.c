/* libos/fs/devfs.c — /dev: the character devices null, zero, full, random, urandom and tty, and
 * the fd/stdin/stdout/stderr links into /proc/self/fd. Devices are synthetic except tty, which is
 * the host terminal the instance was started on (if any). */
#include "fs.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/mem.h"
#include <linux/fcntl.h>

enum { DEV_DIR, DEV_NULL, DEV_ZERO, DEV_FULL, DEV_RANDOM, DEV_URANDOM, DEV_TTY, DEV_LINK };

static const struct devnode {
	const char *name;
	int kind;
	unsigned rdev;		/* major << 8 | minor, as Linux numbers them */
	const char *link;
} nodes[] = {
	{ "", DEV_DIR, 0, 0 },
	{ "null", DEV_NULL, (1 << 8) | 3, 0 },
	{ "zero", DEV_ZERO, (1 << 8) | 5, 0 },
	{ "full", DEV_FULL, (1 << 8) | 7, 0 },
	{ "random", DEV_RANDOM, (1 << 8) | 8, 0 },
	{ "urandom", DEV_URANDOM, (1 << 8) | 9, 0 },
	{ "tty", DEV_TTY, (5 << 8) | 0, 0 },
	{ "fd", DEV_LINK, 0, "/proc/self/fd" },
	{ "stdin", DEV_LINK, 0, "/proc/self/fd/0" },
	{ "stdout", DEV_LINK, 0, "/proc/self/fd/1" },
	{ "stderr", DEV_LINK, 0, "/proc/self/fd/2" },
};
#define NNODES (long)(sizeof(nodes) / sizeof(nodes[0]))

static long devfs_lookup(struct mount *m, const char *rel, struct fs_lookup *out)
{
	(void)m;
	for (long i = 0; i < NNODES; i++) {
		if (strcmp(rel, nodes[i].name) != 0)
			continue;
		out->id = i;
		if (nodes[i].kind == DEV_DIR) {
			out->type = NODE_DIR;
			out->mode = S_IFDIR | 0755;
		} else if (nodes[i].kind == DEV_LINK) {
			out->type = NODE_LNK;
			out->mode = S_IFLNK | 0777;
			strlcpy(out->link, nodes[i].link, out->link_size);
		} else {
			out->type = NODE_CHR;
			out->mode = S_IFCHR | 0666;
			if (nodes[i].kind == DEV_TTY)
				out->gid = 5;	/* Linux's group tty */
		}
		return 0;
	}
	out->type = NODE_NONE;
	return 0;
}

static long dev_read(struct file *f, void *buf, size_t n)
{
	switch (nodes[f->dev].kind) {
	case DEV_NULL:
		return 0;
	case DEV_ZERO:
	case DEV_FULL:
		return clear_user(buf, n) < 0 ? -EFAULT : (long)n;
	default: {	/* random, urandom */
		if (!uaccess_ok((uint64_t)buf, n))
			return -EFAULT;
		return pal_getrandom(buf, n, 0);
	}
	}
}

static long dev_write(struct file *f, const void *buf, size_t n)
{
	(void)buf;
	return nodes[f->dev].kind == DEV_FULL ? -ENOSPC : (long)n;
}

static long dev_pread(struct file *f, void *buf, size_t n, long off)
{
	(void)off;
	return dev_read(f, buf, n);
}

static long dev_pwrite(struct file *f, const void *buf, size_t n, long off)
{
	(void)off;
	return dev_write(f, buf, n);
}

static long dev_lseek(struct file *f, long off, int whence)
{
	(void)f, (void)off, (void)whence;
	return 0;
}

static long dev_stat(struct file *f, struct stat *st)
{
	fs_fake_stat(st, f->mnt, f->dev + 1, S_IFCHR | 0666, 0);
	st->st_rdev = nodes[f->dev].rdev;
	st->st_gid = nodes[f->dev].kind == DEV_TTY ? 5 : 0;
	return 0;
}

static long dev_ioctl(struct file *f, unsigned long req, unsigned long arg)
{
	(void)f, (void)req, (void)arg;
	return -ENOTTY;
}

static const struct file_ops dev_ops = {
	.read = dev_read,
	.write = dev_write,
	.pread = dev_pread,
	.pwrite = dev_pwrite,
	.lseek = dev_lseek,
	.stat = dev_stat,
	.ioctl = dev_ioctl,
};

/* /dev as a directory: its entries are the table above. */
static long devdir_getdents(struct file *f, void *ubuf, size_t n)
{
	size_t out = 0;
	for (; f->pos < NNODES + 1; f->pos++) {
		const char *name = f->pos == 0 ? "." : f->pos == 1 ? ".." : nodes[f->pos - 1].name;
		int kind = f->pos < 2 ? DEV_DIR : nodes[f->pos - 1].kind;
		size_t nl = strlen(name);
		size_t reclen = (19 + nl + 1 + 7) & ~7ul;
		if (out + reclen > n)
			break;
		char rec[64] = { 0 };
		*(uint64_t *)rec = (uint64_t)f->pos + 1;
		*(int64_t *)(rec + 8) = f->pos + 1;
		*(unsigned short *)(rec + 16) = (unsigned short)reclen;
		rec[18] = kind == DEV_DIR ? 4 : kind == DEV_LINK ? 10 : 2;
		memcpy(rec + 19, name, nl + 1);
		if (copy_to_user((char *)ubuf + out, rec, reclen) < 0)
			return -EFAULT;
		out += reclen;
	}
	if (out == 0 && f->pos < NNODES + 1)
		return -EINVAL;
	return (long)out;
}

static long devdir_stat(struct file *f, struct stat *st)
{
	fs_fake_stat(st, f->mnt, 1, S_IFDIR | 0755, 0);
	return 0;
}

static long devdir_lseek(struct file *f, long off, int whence)
{
	if (whence != 0 || off < 0)
		return -EINVAL;
	f->pos = off;
	return off;
}

static const struct file_ops devdir_ops = {
	.lseek = devdir_lseek,
	.stat = devdir_stat,
	.getdents = devdir_getdents,
	.ioctl = dev_ioctl,
};

/* The host terminal: the first of stdin/stdout/stderr that is a tty. */
static long open_tty(int flags, struct file **out, const char *path)
{
	for (int fd = 0; fd < 3; fd++) {
		char t[64];
		if (pal_ioctl(fd, 0x5401 /* TCGETS */, t) < 0)
			continue;
		long h = pal_fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (h < 0)
			return h;
		*out = file_new(&host_file_ops, (int)h, flags, path);
		if (!*out) {
			pal_close((int)h);
			return -ENOMEM;
		}
		(*out)->type = NODE_CHR;
		return 0;
	}
	return -ENXIO;	/* no controlling terminal */
}

static long devfs_open(struct fs_node *n, int flags, unsigned mode, struct file **out)
{
	(void)mode;
	if (n->info.type == NODE_NONE)
		return (flags & O_CREAT) ? -EACCES : -ENOENT;
	const struct devnode *d = &nodes[n->info.id];
	if (d->kind == DEV_TTY)
		return open_tty(flags, out, n->path);
	if (d->kind == DEV_DIR && (flags & O_ACCMODE) != O_RDONLY)
		return -EISDIR;
	struct file *f = file_new(d->kind == DEV_DIR ? &devdir_ops : &dev_ops, -1, flags, n->path);
	if (!f)
		return -ENOMEM;
	f->type = d->kind == DEV_DIR ? NODE_DIR : NODE_CHR;
	f->dev = n->info.id;
	f->mnt = n->mnt;
	*out = f;
	return 0;
}

static long devfs_stat(struct fs_node *n, struct stat *st)
{
	const struct devnode *d = &nodes[n->info.id];
	fs_fake_stat(st, n->mnt, n->info.id + 1, n->info.mode,
		     d->kind == DEV_LINK ? (long)strlen(d->link) : 0);
	st->st_rdev = d->rdev;
	st->st_gid = n->info.gid;
	return 0;
}

static long devfs_mkdir(struct fs_node *n, unsigned mode)
{
	(void)mode;
	return n->info.type != NODE_NONE ? -EEXIST : -EACCES;
}

/* The directory's permission first, as Linux; then EPERM, since these nodes are the LibOS's. */
static long devfs_unlink(struct fs_node *n, int is_dir)
{
	long r = *n->rel ? fs_may_delete(n) : -EBUSY;
	if (r < 0)
		return r;
	return is_dir && n->info.type != NODE_DIR ? -ENOTDIR : -EPERM;
}

/* /dev holds no extended attributes and stores none (setxattr NULL: EOPNOTSUPP): every name reads as missing, the list is empty. */
static long devfs_getxattr(const struct xattr_at *at, const char *name, void *value, size_t size)
{
	(void)at, (void)name, (void)value, (void)size;
	return -ENODATA;
}

static long devfs_listxattr(const struct xattr_at *at, char *list, size_t size)
{
	(void)at, (void)list, (void)size;
	return 0;
}

const struct mount_ops devfs_mount_ops = {
	.lookup = devfs_lookup,
	.open = devfs_open,
	.stat = devfs_stat,
	.mkdir = devfs_mkdir,
	.unlink = devfs_unlink,
	.getxattr = devfs_getxattr,
	.listxattr = devfs_listxattr,
	.writable = 1,
};

int devfs_is_zero(const struct file *f)
{
	return f->ops == &dev_ops && nodes[f->dev].kind == DEV_ZERO;
}
