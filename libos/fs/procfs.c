/* libos/fs/procfs.c — /proc as the app sees it: self, the process's own directory (exe, cwd,
 * root, fd/, maps, cmdline, environ, status, stat, mounts), cpuinfo, meminfo, uptime, version.
 * A file's content is generated once, at open, into a buffer the file then reads from. */
#include "fs.h"
#include "procfs.h"
#include "../vm/vm.h"
#include "../config.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/alloc.h"
#include "../../lib/format.h"
#include "../../lib/mem.h"
#include <linux/fcntl.h>

enum pnode {
	P_ROOT, P_SELF, P_PIDDIR, P_EXE, P_CWD, P_ROOTLINK, P_FDDIR, P_FD, P_MAPS, P_SMAPS, P_CMDLINE,
	P_ENVIRON, P_STATUS, P_STAT, P_MOUNTS, P_MOUNTS_LINK, P_CPUINFO, P_MEMINFO, P_UPTIME,
	P_VERSION, P_FILESYSTEMS, P_NONE
};

struct pentry {
	const char *name;
	int node;
	int type;
	generator_fn gen;
};

static const struct pentry root_entries[] = {
	{ "self", P_SELF, NODE_LNK, 0 },
	{ "mounts", P_MOUNTS_LINK, NODE_LNK, 0 },
	{ "cpuinfo", P_CPUINFO, NODE_REG, procfs_gen_cpuinfo },
	{ "meminfo", P_MEMINFO, NODE_REG, procfs_gen_meminfo },
	{ "uptime", P_UPTIME, NODE_REG, procfs_gen_uptime },
	{ "version", P_VERSION, NODE_REG, procfs_gen_version },
	{ "filesystems", P_FILESYSTEMS, NODE_REG, procfs_gen_filesystems },
};

static const struct pentry pid_entries[] = {
	{ "exe", P_EXE, NODE_LNK, 0 },
	{ "cwd", P_CWD, NODE_LNK, 0 },
	{ "root", P_ROOTLINK, NODE_LNK, 0 },
	{ "fd", P_FDDIR, NODE_DIR, 0 },
	{ "maps", P_MAPS, NODE_REG, vm_gen_maps },
	{ "smaps", P_SMAPS, NODE_REG, vm_gen_smaps },
	{ "cmdline", P_CMDLINE, NODE_REG, procfs_gen_cmdline },
	{ "environ", P_ENVIRON, NODE_REG, procfs_gen_environ },
	{ "status", P_STATUS, NODE_REG, procfs_gen_status },
	{ "stat", P_STAT, NODE_REG, procfs_gen_stat },
	{ "mounts", P_MOUNTS, NODE_REG, procfs_gen_mounts },
};

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

/* Node ids encode (node, fd): id = node | fd << 8. */
static long make_id(int node, int fd) { return (long)node | ((long)fd << 8); }

static int parse_uint(const char *s, size_t n, long *out)
{
	long v = 0;
	if (n == 0 || n > 9)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

static const struct pentry *find_entry(const struct pentry *t, int n, const char *name, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(t[i].name) == len && memcmp(t[i].name, name, len) == 0)
			return &t[i];
	return NULL;
}

static void set_link(struct fs_lookup *out, const char *target)
{
	out->type = NODE_LNK;
	out->mode = S_IFLNK | 0777;
	strlcpy(out->link, target, out->link_size);
}

static long procfs_lookup(struct mount *m, const char *rel, struct fs_lookup *out)
{
	(void)m;
	out->type = NODE_NONE;
	if (!*rel) {
		out->type = NODE_DIR;
		out->mode = S_IFDIR | 0555;
		out->id = make_id(P_ROOT, 0);
		return 0;
	}
	const char *slash = strchr(rel, '/');
	size_t l0 = slash ? (size_t)(slash - rel) : strlen(rel);
	long pid;
	if (!parse_uint(rel, l0, &pid)) {
		const struct pentry *e = slash ? NULL : find_entry(root_entries, N(root_entries), rel, l0);
		if (!e)
			return 0;
		out->id = make_id(e->node, 0);
		if (e->node == P_SELF) {
			char b[16];
			fmt_snprintf(b, sizeof(b), "%d", proc.pid);
			set_link(out, b);
		} else if (e->node == P_MOUNTS_LINK) {
			set_link(out, "self/mounts");
		} else {
			out->type = NODE_REG;
			out->mode = S_IFREG | 0444;
		}
		return 0;
	}
	if (pid != proc.pid)
		return 0;
	/* A process's own directory is its effective ids' (Linux's task_dump_owner). */
	out->uid = proc.euid;
	out->gid = proc.egid;
	if (!slash) {
		out->type = NODE_DIR;
		out->mode = S_IFDIR | 0555;
		out->id = make_id(P_PIDDIR, 0);
		return 0;
	}
	const char *r1 = slash + 1;
	const char *s2 = strchr(r1, '/');
	size_t l1 = s2 ? (size_t)(s2 - r1) : strlen(r1);
	const struct pentry *e = find_entry(pid_entries, N(pid_entries), r1, l1);
	if (!e)
		return 0;
	if (s2) {
		long fd;
		struct file *f;
		if (e->node != P_FDDIR || !parse_uint(s2 + 1, strlen(s2 + 1), &fd) ||
		    !(f = fd_get((int)fd)))
			return 0;
		out->id = make_id(P_FD, (int)fd);
		set_link(out, f->path);
		file_put(f);
		return 0;
	}
	out->id = make_id(e->node, 0);
	switch (e->node) {
	case P_EXE: set_link(out, proc.exe_path); break;
	case P_CWD: set_link(out, fs_cwd); break;
	case P_ROOTLINK: set_link(out, "/"); break;
	case P_FDDIR: out->type = NODE_DIR; out->mode = S_IFDIR | 0500; break;
	default: out->type = NODE_REG; out->mode = S_IFREG | 0444; break;
	}
	return 0;
}

static const struct pentry *entry_by_node(int node)
{
	for (int i = 0; i < N(root_entries); i++)
		if (root_entries[i].node == node)
			return &root_entries[i];
	for (int i = 0; i < N(pid_entries); i++)
		if (pid_entries[i].node == node)
			return &pid_entries[i];
	return NULL;
}

/* ---- generated files ----------------------------------------------------------------------- */
static long pfile_read(struct file *f, void *buf, size_t n)
{
	if (f->pos >= (long)f->size)
		return 0;
	size_t k = f->size - (size_t)f->pos < n ? f->size - (size_t)f->pos : n;
	if (copy_to_user(buf, f->data + f->pos, k) < 0)
		return -EFAULT;
	f->pos += (long)k;
	return (long)k;
}

static long pfile_pread(struct file *f, void *buf, size_t n, long off)
{
	if (off < 0)
		return -EINVAL;
	if (off >= (long)f->size)
		return 0;
	size_t k = f->size - (size_t)off < n ? f->size - (size_t)off : n;
	return copy_to_user(buf, f->data + off, k) < 0 ? -EFAULT : (long)k;
}

static long pfile_write(struct file *f, const void *buf, size_t n)
{
	(void)f, (void)buf, (void)n;
	return -EBADF;
}

static long pfile_lseek(struct file *f, long off, int whence)
{
	long base = whence == 0 ? 0 : whence == 1 ? f->pos : whence == 2 ? (long)f->size : -1;
	if (base < 0 || base + off < 0)
		return -EINVAL;
	f->pos = base + off;
	return f->pos;
}

static long pfile_stat(struct file *f, struct stat *st)
{
	fs_fake_stat(st, f->mnt, f->dev + 100, f->type == NODE_DIR ? S_IFDIR | 0555 : S_IFREG | 0444, 0);
	return 0;
}

static long pfile_ioctl(struct file *f, unsigned long req, unsigned long arg)
{
	(void)f, (void)req, (void)arg;
	return -ENOTTY;
}

/* Directory listings are generated too: a packed array of dirent64 records in f->data. */
static long pdir_getdents(struct file *f, void *ubuf, size_t n)
{
	size_t out = 0;
	while ((size_t)f->pos < f->size) {
		unsigned short reclen = *(unsigned short *)(f->data + f->pos + 16);
		if (out + reclen > n)
			break;
		if (copy_to_user((char *)ubuf + out, f->data + f->pos, reclen) < 0)
			return -EFAULT;
		out += reclen;
		f->pos += reclen;
	}
	if (out == 0 && (size_t)f->pos < f->size)
		return -EINVAL;
	return (long)out;
}

static const struct file_ops pfile_ops = {
	.read = pfile_read,
	.write = pfile_write,
	.pread = pfile_pread,
	.lseek = pfile_lseek,
	.stat = pfile_stat,
	.ioctl = pfile_ioctl,
};

static const struct file_ops pdir_ops = {
	.lseek = pfile_lseek,
	.stat = pfile_stat,
	.getdents = pdir_getdents,
	.ioctl = pfile_ioctl,
};

static void add_dirent(struct fmt_buf *b, long ino, int dtype, const char *name)
{
	size_t nl = strlen(name);
	size_t reclen = (19 + nl + 1 + 7) & ~7ul;
	if (b->len + reclen <= b->size) {
		char *r = b->buf + b->len;
		memset(r, 0, reclen);
		*(uint64_t *)r = (uint64_t)ino;
		*(int64_t *)(r + 8) = (int64_t)(b->len + reclen);
		*(unsigned short *)(r + 16) = (unsigned short)reclen;
		r[18] = (char)dtype;
		memcpy(r + 19, name, nl + 1);
	}
	b->len += reclen;
}

static void gen_dir(struct fmt_buf *b, int node)
{
	char name[16];
	add_dirent(b, 1, 4, ".");
	add_dirent(b, 1, 4, "..");
	if (node == P_ROOT) {
		fmt_snprintf(name, sizeof(name), "%d", proc.pid);
		add_dirent(b, 2, 4, name);
		for (int i = 0; i < N(root_entries); i++)
			add_dirent(b, 10 + i, root_entries[i].type == NODE_LNK ? 10 : 8,
				   root_entries[i].name);
	} else if (node == P_PIDDIR) {
		for (int i = 0; i < N(pid_entries); i++)
			add_dirent(b, 40 + i, pid_entries[i].type == NODE_LNK ? 10 :
					      pid_entries[i].type == NODE_DIR ? 4 : 8,
				   pid_entries[i].name);
	} else {
		for (int fd = 0; fd < fd_max(); fd++) {
			struct file *f = fd_get(fd);
			if (!f)
				continue;
			file_put(f);
			fmt_snprintf(name, sizeof(name), "%d", fd);
			add_dirent(b, 100 + fd, 10, name);
		}
	}
}

/* Runs a generator into a buffer that grows until the output fits. */
static long generate(struct file *f, int node)
{
	const struct pentry *e = entry_by_node(node);
	for (size_t size = 4096; size <= (16u << 20); size *= 4) {
		char *buf = heap_alloc(size);
		if (!buf)
			return -ENOMEM;
		struct fmt_buf b = { buf, size, 0 };
		if (node == P_ROOT || node == P_PIDDIR || node == P_FDDIR)
			gen_dir(&b, node);
		else
			e->gen(&b);
		if (b.len < size) {
			f->data = buf;
			f->size = b.len;
			return 0;
		}
		heap_free(buf);
	}
	return -ENOMEM;
}

static long procfs_open(struct fs_node *n, int flags, unsigned mode, struct file **out)
{
	(void)mode;
	if (n->info.type == NODE_NONE)
		return (flags & O_CREAT) ? -EACCES : -ENOENT;
	if ((flags & O_ACCMODE) != O_RDONLY)
		return n->info.type == NODE_DIR ? -EISDIR : -EACCES;
	int node = (int)(n->info.id & 0xff);
	struct file *f = file_new(n->info.type == NODE_DIR ? &pdir_ops : &pfile_ops, -1, flags, n->path);
	if (!f)
		return -ENOMEM;
	f->type = n->info.type;
	f->mnt = n->mnt;
	f->dev = node;
	long r = (flags & O_PATH) ? 0 : generate(f, node);
	if (r < 0) {
		file_put(f);
		return r;
	}
	*out = f;
	return 0;
}

static long procfs_stat(struct fs_node *n, struct stat *st)
{
	fs_fake_stat(st, n->mnt, 100 + n->info.id, n->info.mode, 0);
	st->st_uid = n->info.uid;
	st->st_gid = n->info.gid;
	return 0;
}

static long procfs_mkdir(struct fs_node *n, unsigned mode)
{
	(void)mode;
	return n->info.type != NODE_NONE ? -EEXIST : -EACCES;
}

/* Linux's answers: a process directory's entries refuse outright (EPERM); elsewhere the
 * directory's permission comes first, then the kind of node, then EPERM (procfs removes nothing). */
static long procfs_unlink(struct fs_node *n, int is_dir)
{
	if (strchr(n->rel, '/'))
		return -EPERM;
	long r = *n->rel ? fs_may_delete(n) : -EBUSY;
	if (r < 0)
		return r;
	return is_dir && n->info.type != NODE_DIR ? -ENOTDIR : -EPERM;
}

const struct mount_ops procfs_mount_ops = {
	.lookup = procfs_lookup,
	.open = procfs_open,
	.stat = procfs_stat,
	.mkdir = procfs_mkdir,
	.unlink = procfs_unlink,
	.writable = 0,
};
