/* libos/fs/sys_rw.c — read, write, readv, writev, pread64, pwrite64, lseek: access-mode checks
 * on the open file, then its operations. */
#include "fs.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../signal/signal.h"
#include "../../lib/alloc.h"
#include <linux/fcntl.h>

#define IOV_MAX 1024
#define MAX_RW_COUNT 0x7ffff000L

struct iovec64 {
	uint64_t base, len;
};

/* A write to a pipe with no reader raises SIGPIPE (the host's is ignored so the LibOS decides). */
static long fs_write_result(long r)
{
	if (r == -EPIPE)
		sig_raise_sync(13 /* SIGPIPE */);
	return r;
}

static long no_op(struct file *f, int is_write)
{
	if (f->type == NODE_DIR)
		return is_write ? -EBADF : -EISDIR;
	return -EINVAL;
}

/* Linux's FMODE_PREAD/FMODE_PWRITE: pipes and sockets have neither (ESPIPE). */
static int positional_ok(const struct file *f)
{
	return f->type != NODE_FIFO && f->type != NODE_SOCK &&
	       (f->type == NODE_DIR || f->ops->pread || f->ops->pwrite);
}

/* Linux's fdget plus the access-mode check of vfs_read/vfs_write: an O_PATH fd is no fd here. */
static long mode_ok(const struct file *f, int is_write)
{
	int acc = f->flags & O_ACCMODE;
	return (f->flags & O_PATH) || (is_write ? acc == O_RDONLY : acc == O_WRONLY) ? -EBADF : 0;
}

/* The common path of read, write, pread64 and pwrite64, in Linux's order of checks (ksys_pread64,
 * vfs_read): a negative offset, the fd, ESPIPE for a positional call on a pipe, the access mode,
 * the buffer over the whole count (access_ok), the offset range, then the count is capped.
 * positional: pread/pwrite at `off`. */
static long do_rw(int fd, void *buf, size_t n, int positional, long off, int is_write)
{
	if (positional && off < 0)
		return -EINVAL;
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = 0;
	if (f->flags & O_PATH)
		r = -EBADF;
	else if (positional && !positional_ok(f))
		r = -ESPIPE;
	else if ((r = mode_ok(f, is_write)) < 0)
		;
	else if (!access_ok(buf, n))
		r = -EFAULT;
	else if (positional && (long)((unsigned long)off + n) < 0)
		r = -EINVAL;	/* rw_verify_area: the range would pass the largest offset */
	if (r < 0) {
		file_put(f);
		return r;
	}
	if (n > MAX_RW_COUNT)
		n = MAX_RW_COUNT;
	if (positional && is_write)
		r = f->ops->pwrite ? f->ops->pwrite(f, buf, n, off) : -ESPIPE;
	else if (positional)
		r = f->ops->pread ? f->ops->pread(f, buf, n, off) : f->type == NODE_DIR ? -EISDIR : -ESPIPE;
	else if (is_write)
		r = f->ops->write ? f->ops->write(f, buf, n) : no_op(f, 1);
	else
		r = f->ops->read ? f->ops->read(f, buf, n) : no_op(f, 0);
	file_put(f);
	return is_write ? fs_write_result(r) : r;
}

long sys_read(int fd, void *buf, size_t n)
{
	return do_rw(fd, buf, n, 0, 0, 0);
}

long sys_write(int fd, const void *buf, size_t n)
{
	return do_rw(fd, (void *)buf, n, 0, 0, 1);
}

long sys_pread64(int fd, void *buf, size_t n, long off)
{
	return do_rw(fd, buf, n, 1, off, 0);
}

long sys_pwrite64(int fd, const void *buf, size_t n, long off)
{
	return do_rw(fd, (void *)buf, n, 1, off, 1);
}

/* Copies and checks the iovec array as Linux's import_iovec does: the count (EINVAL), the array
 * (EFAULT), every length as a ssize_t (EINVAL), then every buffer (EFAULT: access_ok, and not
 * the runtime's memory); the lengths are capped so the total stays within MAX_RW_COUNT. A single
 * element is capped before its range is checked, as Linux's import_ubuf does. */
static long get_iov(const void *uiov, int cnt, struct iovec64 **out)
{
	if (cnt < 0 || cnt > IOV_MAX)
		return -EINVAL;
	struct iovec64 *v = heap_alloc(sizeof(*v) * (size_t)(cnt ? cnt : 1));
	if (!v)
		return -ENOMEM;
	long r = copy_from_user(v, uiov, sizeof(*v) * (size_t)cnt) < 0 ? -EFAULT : 0;
	for (int i = 0; i < cnt && r == 0; i++)
		if ((int64_t)v[i].len < 0)
			r = -EINVAL;
	uint64_t total = 0;
	for (int i = 0; i < cnt && r == 0; i++) {
		if (cnt == 1 && v[i].len > MAX_RW_COUNT)
			v[i].len = MAX_RW_COUNT;
		if (!access_ok((void *)v[i].base, v[i].len) ||
		    (v[i].len && !uaccess_ok(v[i].base, v[i].len)))
			r = -EFAULT;
		if (v[i].len > MAX_RW_COUNT - total)
			v[i].len = MAX_RW_COUNT - total;
		total += v[i].len;
	}
	if (r < 0) {
		heap_free(v);
		return r;
	}
	*out = v;
	return 0;
}

/* off < 0: use and advance the file position (readv/writev); else positional (preadv/pwritev). */
static long do_rwv(int fd, const void *uiov, int cnt, int is_write, long off)
{
	struct iovec64 *v;
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = (f->flags & O_PATH) ? -EBADF : off >= 0 && !positional_ok(f) ? -ESPIPE : mode_ok(f, is_write);
	if (r == 0)
		r = get_iov(uiov, cnt, &v);
	if (r < 0) {
		file_put(f);
		return r;
	}
	if (f->host_fd >= 0 && f->ops->read == host_file_read) {
		/* Host-backed: one host call, which keeps readv/writev atomic for pipes. */
		if (off >= 0)
			r = PAL_CALL4(is_write ? __NR_pwritev : __NR_preadv, f->host_fd, v, cnt, off);
		else
			r = (r = sig_block_begin()) ? r
			    : sig_block_end(is_write ? pal_block_writev(f->host_fd, v, cnt)
						     : pal_block_readv(f->host_fd, v, cnt));
	} else if (off >= 0) {
		long total = 0;
		r = 0;
		for (int i = 0; i < cnt && r >= 0; i++) {
			if (!v[i].len)
				continue;
			long (*op)(struct file *, void *, size_t, long) =
				is_write ? (long (*)(struct file *, void *, size_t, long))f->ops->pwrite : f->ops->pread;
			r = op ? op(f, (void *)v[i].base, v[i].len, off + total) : -ESPIPE;
			if (r > 0)
				total += r;
			if (r < (long)v[i].len)
				break;
		}
		if (total > 0 || r >= 0)
			r = total;
	} else {
		long total = 0;
		r = 0;
		for (int i = 0; i < cnt && r >= 0; i++) {
			if (!v[i].len)
				continue;
			if (is_write)
				r = f->ops->write ? f->ops->write(f, (void *)v[i].base, v[i].len) : no_op(f, 1);
			else
				r = f->ops->read ? f->ops->read(f, (void *)v[i].base, v[i].len) : no_op(f, 0);
			if (r > 0)
				total += r;
			if (r < (long)v[i].len)
				break;
		}
		if (total > 0 || r >= 0)
			r = total;
	}
	heap_free(v);
	file_put(f);
	return r;
}

long sys_readv(int fd, const void *uiov, int cnt)
{
	return do_rwv(fd, uiov, cnt, 0, -1);
}

long sys_writev(int fd, const void *uiov, int cnt)
{
	return fs_write_result(do_rwv(fd, uiov, cnt, 1, -1));
}

long sys_preadv(int fd, const void *uiov, int cnt, long off)
{
	return off < 0 ? -EINVAL : do_rwv(fd, uiov, cnt, 0, off);
}

long sys_pwritev(int fd, const void *uiov, int cnt, long off)
{
	return off < 0 ? -EINVAL : fs_write_result(do_rwv(fd, uiov, cnt, 1, off));
}

/* preadv2/pwritev2. Linux: an offset below -1 is EINVAL before the fd is looked at; -1 means
 * the file position. The RWF_ flags are the host's to judge on host-backed files (EOPNOTSUPP
 * for RWF_NOWAIT where the file cannot do it, unknown bits, and 0 bytes succeeding before the
 * flags are looked at, all as Linux), so they go to one host preadv2/pwritev2 in the restart
 * window. Synthetic files answer as their Linux counterparts: /dev's memory devices (read_iter,
 * FMODE_NOWAIT) take the plain flags, /proc's seq files (no read_iter) only RWF_HIPRI. */
#define RWF_DEV_OK (0x1 /* HIPRI */ | 0x2 /* DSYNC */ | 0x4 /* SYNC */ | 0x8 /* NOWAIT */ | \
		    0x10 /* APPEND */ | 0x20 /* NOAPPEND */)
#define RWF_LOOP_OK 0x1	/* Linux's do_loop_readv_writev refuses all but RWF_HIPRI */

static long do_rwv2(int fd, const void *uiov, int cnt, int is_write, long off, int flags)
{
	struct file *f;
	struct iovec64 *v;
	if (off < -1)
		return -EINVAL;
	if (!(f = fd_get(fd)))
		return -EBADF;
	long r = mode_ok(f, is_write);
	if (r < 0) {
		file_put(f);
		return r;
	}
	r = get_iov(uiov, cnt, &v);
	if (r < 0) {
		file_put(f);
		return r;
	}
	int host = f->host_fd >= 0 && f->ops->read == host_file_read;
	uint64_t total = 0;
	for (int i = 0; i < cnt; i++)
		total += v[i].len;
	if (host)
		r = (r = sig_block_begin()) ? r
		    : sig_block_end(PAL_BCALL6(is_write ? __NR_pwritev2 : __NR_preadv2, f->host_fd, v, cnt,
					       off, 0, flags));
	else if (total == 0)
		r = 0;
	else if (flags & ~(f->mnt && f->mnt->ops == &devfs_mount_ops ? RWF_DEV_OK : RWF_LOOP_OK))
		r = -EOPNOTSUPP;
	heap_free(v);
	file_put(f);
	if (host || total == 0 || r < 0)
		return r;
	return do_rwv(fd, uiov, cnt, is_write, off);
}

long sys_preadv2(int fd, const void *uiov, int cnt, long off, long off_hi, int flags)
{
	(void)off_hi;	/* x86-64 passes the whole offset in off */
	return do_rwv2(fd, uiov, cnt, 0, off, flags);
}

long sys_pwritev2(int fd, const void *uiov, int cnt, long off, long off_hi, int flags)
{
	(void)off_hi;
	return fs_write_result(do_rwv2(fd, uiov, cnt, 1, off, flags));
}

long sys_lseek(int fd, long off, int whence)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r;
	if (f->flags & O_PATH)
		r = -EBADF;	/* Linux's fdget_pos does not see O_PATH fds: before whence */
	else if (whence < 0 || whence > 4 /* SEEK_HOLE */)
		r = -EINVAL;
	else
		r = f->ops->lseek ? f->ops->lseek(f, off, whence) : -ESPIPE;
	file_put(f);
	return r;
}
