/* libos/fs/tmpfs.c — /tmp: a private, initially empty host directory, made in run/ at the first
 * use of /tmp (mount_host_root) and removed by the launcher when the instance ends. Names are
 * looked up on the host (lstat/readlink beneath the root), contents are plain host files. Owners,
 * groups and the set-ID and sticky bits live in the owner table (shared/owners.c), one entry per
 * host inode, written by every create: the host inode holds only the permission bits, so the host
 * never sees a set-user-ID file the app made. */
#include "fs.h"
#include "../errno.h"
#include "../process/cred.h"
#include "../shared/owners.h"
#include "../../lib/mem.h"
#include <linux/fcntl.h>
#include <linux/openat2.h>

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

/* The same, but a name directly under the root is reached through the root's own fd, with
 * nothing to open or close (*owned 0): the *at call on (fd, name) is as confined either way. */
static long tmp_dir(struct mount *m, const char *rel, const char **name, int *owned)
{
	*owned = strchr(rel, '/') != NULL;
	if (*owned)
		return tmp_parent(m, rel, name);
	*name = host_rel(rel);
	return mount_host_root(m);
}

/* Runs fn on (parent fd, last name) of rel; see host_parent_beneath. */
#define AT_PARENT(m, rel, call)                                                        \
	({                                                                             \
		const char *name_;                                                     \
		int owned_;                                                            \
		long pfd_ = tmp_dir((m), (rel), &name_, &owned_);                      \
		long r_ = pfd_;                                                        \
		if (pfd_ >= 0) {                                                       \
			int dfd = (int)pfd_;                                           \
			const char *name = name_;                                      \
			r_ = (call);                                                   \
			if (owned_)                                                    \
				pal_close(dfd);                                        \
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

/* The table's entry merged into a host stat. The root's entry is written by its first lookup:
 * it shows as Linux's /tmp, root's and world-writable with the sticky bit. */
static void tmpfs_fix_stat(struct mount *m, struct stat *st)
{
	(void)m;
	struct owner o;
	if (!owner_get(st->st_ino, &o)) {
		st->st_uid = st->st_gid = 0;	/* none: a node made before the table could hold it */
		return;
	}
	st->st_uid = o.uid;
	st->st_gid = o.gid;
	st->st_mode = (st->st_mode & S_IFMT) | o.mode;
	int64_t host_ns = (int64_t)st->st_ctime * 1000000000ll + (int64_t)st->st_ctime_nsec;
	if (o.ctime_ns > host_ns) {
		st->st_ctime = (unsigned long)(o.ctime_ns / 1000000000ll);
		st->st_ctime_nsec = (unsigned long)(o.ctime_ns % 1000000000ll);
	}
}

/* The host inode of the root, once known: the root's lookup (part of every walk into /tmp)
 * then needs no host call, only its table entry. */
static uint64_t root_ino;

static long tmpfs_stat_rel(struct mount *m, const char *rel, struct stat *st)
{
	long r = safe_stat(m, rel, st);
	if (r < 0)
		return r;
	struct owner o;
	if (!*rel && !owner_get(st->st_ino, &o)) {
		o = (struct owner){ .uid = 0, .gid = 0, .mode = 01777 };
		owner_set(st->st_ino, &o);
	}
	if (!*rel)
		__atomic_store_n(&root_ino, st->st_ino, __ATOMIC_RELAXED);
	tmpfs_fix_stat(m, st);
	return 0;
}

static long tmpfs_lookup(struct mount *m, const char *rel, struct fs_lookup *out)
{
	struct owner o;
	uint64_t ri = __atomic_load_n(&root_ino, __ATOMIC_RELAXED);
	if (!*rel && ri && owner_get(ri, &o)) {
		out->type = NODE_DIR;
		out->mode = S_IFDIR | o.mode;
		out->uid = o.uid;
		out->gid = o.gid;
		out->id = (long)ri;
		return 0;
	}
	struct stat st;
	long r = tmpfs_stat_rel(m, rel, &st);
	if (r == -ENOENT) {
		out->type = NODE_NONE;
		return 0;
	}
	if (r < 0)
		return r;
	out->uid = st.st_uid;
	out->gid = st.st_gid;
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

/* The owner Linux gives a node of type and bits `mode` made in directory dir (inode_init_owner):
 * the caller's fs ids, or the directory's group if it is set-group-ID (a directory then
 * inherits the bit; a file keeps it only if its maker is in that group or has CAP_FSETID). */
static struct owner new_owner(const struct fs_lookup *dir, uint32_t mode)
{
	struct owner o = { .uid = cred_fsuid(), .gid = cred_fsgid(), .mode = mode & 07777 };
	if (dir->mode & S_ISGID) {
		o.gid = dir->gid;
		if ((mode & S_IFMT) == S_IFDIR)
			o.mode |= S_ISGID;
		else if ((o.mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
			 !cred_in_group(dir->gid) && !cred_capable(CAP_FSETID))
			o.mode &= ~S_ISGID;
	}
	return o;
}

/* Enters the node just made as (dfd, name) in the owner table; when the table is full the node
 * goes again and the create fails with ENOSPC, as Linux's tmpfs out of inodes. */
static long own_new(int dfd, const char *name, const struct owner *o, int is_dir)
{
	struct stat st;
	long r = pal_fstatat(dfd, name, &st, 0x100 /* AT_SYMLINK_NOFOLLOW */);
	if (r == 0)
		r = owner_set(st.st_ino, o);
	if (r < 0)
		pal_unlinkat(dfd, name, is_dir ? 0x200 /* AT_REMOVEDIR */ : 0);
	return r;
}

/* Creates rel with O_EXCL, so the create is known to be ours and enters the table; a name that
 * appeared meanwhile is opened as it is, unless the app asked for O_EXCL itself. */
static long create_file(struct fs_node *n, int hflags, unsigned mode)
{
	long hfd = tmp_open(n->mnt, n->rel, hflags | O_EXCL, mode & 0777);
	if (hfd == -EEXIST && !(hflags & O_EXCL))
		return tmp_open(n->mnt, n->rel, hflags & ~O_CREAT, 0);
	if (hfd < 0)
		return hfd;
	struct owner o = new_owner(&n->parent, S_IFREG | mode);
	long r = AT_PARENT(n->mnt, n->rel, own_new(dfd, name, &o, 0));
	if (r < 0) {
		pal_close((int)hfd);
		return r;
	}
	return hfd;
}

static long tmpfs_open(struct fs_node *n, int flags, unsigned mode, struct file **out)
{
	if (n->info.type == NODE_NONE && !(flags & O_CREAT))
		return -ENOENT;
	if (n->info.type == NODE_DIR && (flags & O_ACCMODE) != O_RDONLY)
		return -EISDIR;
	int hflags = (flags & ~(O_NOFOLLOW)) | O_CLOEXEC | O_NOFOLLOW;
	long hfd = n->info.type == NODE_NONE ? create_file(n, hflags, mode & ~proc.umask & 07777)
					     : tmp_open(n->mnt, n->rel, hflags & ~O_CREAT, 0);
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
	return tmpfs_stat_rel(n->mnt, n->rel, st);
}

static long mkdir_owned(int dfd, const char *name, const struct owner *o)
{
	long r = pal_mkdirat(dfd, name, (int)(o->mode & 0777));
	return r < 0 ? r : own_new(dfd, name, o, 1);
}

static long tmpfs_mkdir(struct fs_node *n, unsigned mode)
{
	if (n->info.type != NODE_NONE)
		return -EEXIST;
	/* Linux's mkdir keeps the permission and sticky bits of the mode asked for. */
	struct owner o = new_owner(&n->parent, S_IFDIR | (mode & ~proc.umask & 01777));
	return AT_PARENT(n->mnt, n->rel, mkdir_owned(dfd, name, &o));
}

/* Removes (dfd, name); the owner entry goes with the last name of the inode. */
static long unlink_owned(int dfd, const char *name, int is_dir)
{
	struct stat st;
	long r = pal_fstatat(dfd, name, &st, 0x100 /* AT_SYMLINK_NOFOLLOW */);
	if (r == 0)
		r = pal_unlinkat(dfd, name, is_dir ? 0x200 /* AT_REMOVEDIR */ : 0);
	if (r == 0 && (is_dir || st.st_nlink <= 1))
		owner_release(st.st_ino);
	return r;
}

static long tmpfs_unlink(struct fs_node *n, int is_dir)
{
	if (!*n->rel)
		return -EBUSY;
	return AT_PARENT(n->mnt, n->rel, unlink_owned(dfd, name, is_dir));
}

static long symlink_owned(int dfd, const char *name, const char *target, const struct owner *o)
{
	long r = pal_symlinkat(target, dfd, name);
	return r < 0 ? r : own_new(dfd, name, o, 0);
}

static long tmpfs_symlink(struct fs_node *n, const char *target)
{
	struct owner o = new_owner(&n->parent, S_IFLNK | 0777);
	return AT_PARENT(n->mnt, n->rel, symlink_owned(dfd, name, target, &o));
}

/* FIFOs and sockets are host nodes of the same type (a host FIFO works as one); a regular file
 * is made as open(O_CREAT|O_EXCL) makes it. */
static long mknod_owned(int dfd, const char *name, unsigned mode, const struct owner *o)
{
	long r;
	if ((mode & S_IFMT) == S_IFREG) {
		struct open_how how = { .flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
					.mode = mode & 0777 };
		r = pal_openat2(dfd, name, &how, sizeof(how));
		if (r >= 0)
			r = pal_close((int)r);
	} else {
		r = PAL_CALL4(__NR_mknodat, dfd, name, (mode & S_IFMT) | (mode & 0777), 0);
	}
	return r < 0 ? r : own_new(dfd, name, o, 0);
}

static long tmpfs_mknod(struct fs_node *n, unsigned mode)
{
	struct owner o = new_owner(&n->parent, mode);
	return AT_PARENT(n->mnt, n->rel, mknod_owned(dfd, name, mode, &o));
}

static long tmpfs_set_owner(struct mount *m, uint64_t ino, uint32_t uid, uint32_t gid, uint32_t mode)
{
	(void)m;
	int64_t now[2];	/* struct timespec */
	pal_clock_gettime(0 /* CLOCK_REALTIME */, now);
	struct owner o = { .uid = uid, .gid = gid, .mode = mode & 07777,
			   .ctime_ns = now[0] * 1000000000ll + now[1] };
	return owner_change(ino, &o);
}

static long tmpfs_rename(struct fs_node *from, struct fs_node *to, unsigned flags)
{
	const char *to_name;
	long tfd = tmp_parent(to->mnt, to->rel, &to_name);
	if (tfd < 0)
		return tfd;
	struct stat old;	/* a target replaced loses a name; its entry goes with its last one */
	int replaced = !(flags & 2 /* RENAME_EXCHANGE */) &&
		       pal_fstatat((int)tfd, to_name, &old, 0x100 /* AT_SYMLINK_NOFOLLOW */) == 0;
	long r = AT_PARENT(from->mnt, from->rel, pal_renameat2(dfd, name, (int)tfd, to_name, flags));
	if (r == 0 && replaced && (S_ISDIR(old.st_mode) || old.st_nlink <= 1) &&
	    (uint64_t)from->info.id != old.st_ino)
		owner_release(old.st_ino);
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
	/* The host inode gets the permission bits only: set-ID and sticky bits are the table's. */
	return AT_PARENT(n->mnt, n->rel, pal_fchmodat(dfd, name, (int)(mode & 0777)));
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
	.mknod = tmpfs_mknod,
	.set_owner = tmpfs_set_owner,
	.fix_stat = tmpfs_fix_stat,
	.writable = 1,
};
