/* libos/fs/file.c — open-file objects and the operations of host-backed files (image, tmpfs,
 * pipes, the inherited stdio). App buffers go straight to the host call once uaccess_ok() has
 * confirmed they are app memory, so the host reports EFAULT for unmapped pages as Linux would. */
#include "fs.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include "../signal/signal.h"
#include <linux/fcntl.h>
#include <linux/openat2.h>
#include <asm-generic/ioctls.h>

struct file *file_new(const struct file_ops *ops, int host_fd, int flags, const char *path)
{
	struct file *f = heap_zalloc(sizeof(*f));
	if (!f)
		return NULL;
	size_t pl = strlen(path);
	f->path = heap_alloc(pl + 1);
	if (!f->path) {
		heap_free(f);
		return NULL;
	}
	memcpy(f->path, path, pl + 1);
	f->refs = 1;
	f->owner = proc.host_pid;
	f->ops = ops;
	f->host_fd = host_fd;
	f->flags = flags & ~O_CLOEXEC;
	f->manifest_index = -1;
	return f;
}

void file_get(struct file *f)
{
	__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
}

void file_put(struct file *f)
{
	if (!f || __atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (f->ops->release)
		f->ops->release(f);
	heap_free(f->data);
	heap_free(f->path);
	heap_free(f);
}

void file_put_foreign(struct file *f)
{
	if (!f || __atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	heap_free(f->data);
	heap_free(f->path);
	heap_free(f);
}

long host_open_beneath(int root_fd, const char *rel, int flags, unsigned mode)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.mode = (flags & (O_CREAT | __O_TMPFILE)) ? mode : 0,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	return pal_openat2(root_fd, host_rel(rel), &how, sizeof(how));
}

long host_stat_beneath(int root_fd, const char *rel, struct stat *st)
{
	/* rel was resolved by the LibOS and holds no symlink but maybe the last component. */
	return pal_fstatat(root_fd, host_rel(rel), st, 0x100 /* AT_SYMLINK_NOFOLLOW */);
}

long host_parent_beneath(int root_fd, const char *rel, const char **name)
{
	const char *slash = strrchr(rel, '/');
	if (!slash) {
		*name = host_rel(rel);
		return host_open_beneath(root_fd, ".", O_PATH | O_DIRECTORY, 0);
	}
	char dir[LIBOS_PATH_MAX];
	size_t n = (size_t)(slash - rel);
	if (n >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, rel, n);
	dir[n] = 0;
	*name = slash + 1;
	return host_open_beneath(root_fd, dir, O_PATH | O_DIRECTORY, 0);
}

void fs_fake_stat(struct stat *st, struct mount *m, long ino, uint32_t mode, long size)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = m ? m->dev : 0;
	st->st_ino = (unsigned long)ino;
	st->st_mode = mode;
	st->st_nlink = (mode & S_IFMT) == S_IFDIR ? 2 : 1;
	st->st_size = size;
	st->st_blksize = 4096;
	st->st_blocks = (size + 511) / 512;
}

long host_file_read(struct file *f, void *buf, size_t n)
{
	if (!uaccess_ok((uint64_t)buf, n))
		return -EFAULT;
	if (f->type == NODE_REG)	/* a regular file never sleeps */
		return pal_read(f->host_fd, buf, n);
	long r = sig_block_begin();	/* a pipe or terminal may sleep: a signal must wake it */
	return r ? r : sig_block_end(pal_block_read(f->host_fd, buf, n));
}

long host_file_write(struct file *f, const void *buf, size_t n)
{
	if (!uaccess_ok((uint64_t)buf, n))
		return -EFAULT;
	if (f->type == NODE_REG)
		return pal_write(f->host_fd, buf, n);
	long r = sig_block_begin();
	return r ? r : sig_block_end(pal_block_write(f->host_fd, buf, n));
}

long host_file_pread(struct file *f, void *buf, size_t n, long off)
{
	if (!uaccess_ok((uint64_t)buf, n))
		return -EFAULT;
	return pal_pread(f->host_fd, buf, n, off);
}

long host_file_pwrite(struct file *f, const void *buf, size_t n, long off)
{
	if (!uaccess_ok((uint64_t)buf, n))
		return -EFAULT;
	return pal_pwrite(f->host_fd, buf, n, off);
}

long host_file_lseek(struct file *f, long off, int whence)
{
	return pal_lseek(f->host_fd, off, whence);
}

long host_file_stat(struct file *f, struct stat *st)
{
	long r = pal_fstat(f->host_fd, st);
	if (r == 0 && f->mnt && f->mnt->ops->fix_stat)
		f->mnt->ops->fix_stat(f->mnt, st);
	else if (r == 0 && f->anon_owner)
		st->st_uid = f->uid, st->st_gid = f->gid;
	return r;
}

long host_file_getdents(struct file *f, void *buf, size_t n)
{
	/* Only the runtime's own memory is refused here: the host checks the rest in Linux's order
	 * (a record that does not fit is EINVAL before a bad buffer is EFAULT). */
	if (n && access_ok(buf, n) && !uaccess_ok((uint64_t)buf, n))
		return -EFAULT;
	return pal_getdents64(f->host_fd, buf, n);
}

/* Terminal and pipe requests pass to the host; the argument layouts are the same there. Every
 * other request is refused as Linux refuses a request a file does not understand. */
long host_file_ioctl(struct file *f, unsigned long req, unsigned long arg)
{
	switch (req) {
	case TCGETS: case TCSETS: case TCSETSW: case TCSETSF: case TIOCGWINSZ: case TIOCSWINSZ:
	case TIOCGPGRP: case TIOCSPGRP: case TCFLSH: case TCXONC: case TCSBRK: case TIOCOUTQ:
	case FIONREAD: case TIOCGSID:
		/* Kernel addresses go to the host as they are (it answers as Linux would);
		 * only the runtime's own memory must never reach it. */
		if (arg && access_ok((void *)arg, 64) && !uaccess_ok(arg, 64))
			return -EFAULT;
		return pal_ioctl(f->host_fd, req, (void *)arg);
	default:
		return -ENOTTY;
	}
}

void host_file_release(struct file *f)
{
	if (f->host_fd >= 0)
		pal_close(f->host_fd);
}

const struct file_ops host_file_ops = {
	.read = host_file_read,
	.write = host_file_write,
	.pread = host_file_pread,
	.pwrite = host_file_pwrite,
	.lseek = host_file_lseek,
	.stat = host_file_stat,
	.getdents = host_file_getdents,
	.ioctl = host_file_ioctl,
	.release = host_file_release,
};
