/* libos/fs/sys_rw.c — read, write, readv, writev, pread64, pwrite64, lseek: access-mode checks
 * on the open file, then its operations. */
#include "fs.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/alloc.h"
#include <linux/fcntl.h>

#define IOV_MAX 1024
#define MAX_RW_COUNT 0x7ffff000L

struct iovec64 {
	uint64_t base, len;
};

static long get_file(int fd, int want_write, struct file **out)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	int acc = f->flags & O_ACCMODE;
	if ((f->flags & O_PATH) || (want_write ? acc == O_RDONLY : acc == O_WRONLY)) {
		file_put(f);
		return -EBADF;
	}
	*out = f;
	return 0;
}

static long no_op(struct file *f, int is_write)
{
	if (f->type == NODE_DIR)
		return is_write ? -EBADF : -EISDIR;
	return -EINVAL;
}

long sys_read(int fd, void *buf, size_t n)
{
	struct file *f;
	long r = get_file(fd, 0, &f);
	if (r < 0)
		return r;
	if (n > MAX_RW_COUNT)
		n = MAX_RW_COUNT;
	r = f->ops->read ? f->ops->read(f, buf, n) : no_op(f, 0);
	file_put(f);
	return r;
}

long sys_write(int fd, const void *buf, size_t n)
{
	struct file *f;
	long r = get_file(fd, 1, &f);
	if (r < 0)
		return r;
	if (n > MAX_RW_COUNT)
		n = MAX_RW_COUNT;
	r = f->ops->write ? f->ops->write(f, buf, n) : no_op(f, 1);
	file_put(f);
	return r;
}

long sys_pread64(int fd, void *buf, size_t n, long off)
{
	struct file *f;
	long r = get_file(fd, 0, &f);
	if (r < 0)
		return r;
	if (off < 0)
		r = -EINVAL;
	else
		r = f->ops->pread ? f->ops->pread(f, buf, n, off) : f->type == NODE_DIR ? -EISDIR : -ESPIPE;
	file_put(f);
	return r;
}

long sys_pwrite64(int fd, const void *buf, size_t n, long off)
{
	struct file *f;
	long r = get_file(fd, 1, &f);
	if (r < 0)
		return r;
	if (off < 0)
		r = -EINVAL;
	else
		r = f->ops->pwrite ? f->ops->pwrite(f, buf, n, off) : -ESPIPE;
	file_put(f);
	return r;
}

/* Copies and checks the iovec array; the buffers themselves are checked per element. */
static long get_iov(const void *uiov, int cnt, struct iovec64 **out)
{
	if (cnt < 0 || cnt > IOV_MAX)
		return -EINVAL;
	struct iovec64 *v = heap_alloc(sizeof(*v) * (size_t)(cnt ? cnt : 1));
	if (!v)
		return -ENOMEM;
	if (copy_from_user(v, uiov, sizeof(*v) * (size_t)cnt) < 0) {
		heap_free(v);
		return -EFAULT;
	}
	uint64_t total = 0;
	for (int i = 0; i < cnt; i++) {
		if ((int64_t)v[i].len < 0 || total + v[i].len < total) {
			heap_free(v);
			return -EINVAL;
		}
		total += v[i].len;
		if (v[i].len && !uaccess_ok(v[i].base, v[i].len)) {
			heap_free(v);
			return -EFAULT;
		}
	}
	*out = v;
	return 0;
}

static long do_rwv(int fd, const void *uiov, int cnt, int is_write)
{
	struct file *f;
	struct iovec64 *v;
	long r = get_file(fd, is_write, &f);
	if (r < 0)
		return r;
	r = get_iov(uiov, cnt, &v);
	if (r < 0) {
		file_put(f);
		return r;
	}
	if (f->host_fd >= 0 && f->ops->read == host_file_read) {
		/* Host-backed: one host call, which keeps readv/writev atomic for pipes. */
		r = is_write ? pal_writev(f->host_fd, v, cnt) : pal_readv(f->host_fd, v, cnt);
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
	return do_rwv(fd, uiov, cnt, 0);
}

long sys_writev(int fd, const void *uiov, int cnt)
{
	return do_rwv(fd, uiov, cnt, 1);
}

long sys_lseek(int fd, long off, int whence)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r;
	if (whence < 0 || whence > 4 /* SEEK_HOLE */)
		r = -EINVAL;
	else if (f->flags & O_PATH)
		r = -EBADF;
	else
		r = f->ops->lseek ? f->ops->lseek(f, off, whence) : -ESPIPE;
	file_put(f);
	return r;
}
