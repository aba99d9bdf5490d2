/* libos/fs/sys_fd.c — descriptor operations: dup, dup2, dup3, fcntl, ioctl, pipe, pipe2, poll,
 * fsync, fdatasync, ftruncate. */
#include "fs.h"
#include "../process/cred.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/alloc.h"
#include "../../lib/format.h"
#include "../signal/signal.h"
#include <linux/fcntl.h>
#include <asm-generic/ioctls.h>

long sys_dup(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = fd_install(f, 0, 0);
	if (r < 0)
		file_put(f);
	return r;
}

long sys_dup3(int oldfd, int newfd, int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	struct file *f = fd_get(oldfd);
	if (!f)
		return -EBADF;
	long r = fd_install_at(f, newfd, flags & O_CLOEXEC);
	if (r < 0)
		file_put(f);
	return r;
}

long sys_dup2(int oldfd, int newfd)
{
	if (oldfd == newfd) {
		struct file *f = fd_get(oldfd);
		if (!f)
			return -EBADF;
		file_put(f);
		return newfd;
	}
	return sys_dup3(oldfd, newfd, 0);
}

#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_NDELAY | O_DIRECT | O_NOATIME | FASYNC)

/* The commands Linux allows on an O_PATH fd (check_fcntl_cmd); the rest are EBADF there. */
static int path_fcntl_ok(int cmd)
{
	return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_GETFD || cmd == F_SETFD ||
	       cmd == F_GETFL;
}

long sys_fcntl(int fd, int cmd, unsigned long arg)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if ((f->flags & O_PATH) && !path_fcntl_ok(cmd)) {
		file_put(f);
		return -EBADF;
	}
	long r;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		/* Linux takes the low 32 bits as an unsigned lower bound: "negative" is past the limit. */
		if ((int)arg < 0) {
			r = -EINVAL;
			break;
		}
		r = fd_install(f, cmd == F_DUPFD_CLOEXEC, (int)arg);
		if (r >= 0)
			return r;	/* the table holds our reference now */
		break;
	case F_GETFD:
		r = fd_get_cloexec(fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		r = fd_set_cloexec(fd, arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		r = f->flags;
		break;
	case F_SETFL:
		if (f->flags & O_PATH) {
			r = -EBADF;
			break;
		}
		r = 0;
		if (f->host_fd >= 0)
			r = pal_fcntl(f->host_fd, F_SETFL, (long)(arg & SETFL_MASK));
		/* FASYNC sticks only on files with a fasync operation: pipes, sockets, terminals. */
		unsigned long keep = SETFL_MASK;
		if (f->host_fd < 0 || (f->type != NODE_FIFO && f->type != NODE_SOCK && f->type != NODE_CHR))
			keep &= ~(unsigned long)FASYNC;
		if (r >= 0)
			f->flags = (f->flags & ~(int)keep) | (int)(arg & keep);
		break;
	case F_GETLK: case F_SETLK: case F_SETLKW:
	case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW:
		if (f->host_fd < 0) {
			r = -EINVAL;
			break;
		}
		if (!uaccess_ok(arg, 32)) {
			r = -EFAULT;
			break;
		}
		image_fdcache_disable();	/* closes must release locks from now on */
		r = pal_fcntl(f->host_fd, cmd, (long)arg);
		break;
	case F_GETPIPE_SZ: case F_SETPIPE_SZ: case F_GET_SEALS: case F_ADD_SEALS:
		r = f->host_fd >= 0 ? pal_fcntl(f->host_fd, cmd, (long)arg) : -EINVAL;
		break;
	case F_GETOWN: case F_SETOWN: case F_GETSIG:
		r = 0;
		break;
	case F_SETSIG:
		r = arg > 64 ? -EINVAL : 0;	/* Linux's valid_signal; 0 means SIGIO */
		break;
	case F_GET_RW_HINT: {
		uint64_t hint = 0;	/* RWH_WRITE_LIFE_NOT_SET: no hint is ever stored */
		r = copy_to_user((void *)arg, &hint, sizeof(hint));
		break;
	}
	case F_SET_RW_HINT: {
		uint64_t hint;
		r = copy_from_user(&hint, (void *)arg, sizeof(hint));
		if (r == 0 && hint > 5 /* RWH_WRITE_LIFE_EXTREME */)
			r = -EINVAL;
		break;
	}
	default:
		r = -EINVAL;
	}
	file_put(f);
	return r;
}

long sys_ioctl(int fd, unsigned long req, unsigned long arg)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r;
	int on;
	switch (req) {
	case FIOCLEX:
		r = fd_set_cloexec(fd, 1);
		break;
	case FIONCLEX:
		r = fd_set_cloexec(fd, 0);
		break;
	case FIONBIO:
		if (copy_from_user(&on, (void *)arg, sizeof(on)) < 0) {
			r = -EFAULT;
			break;
		}
		r = f->host_fd >= 0 ? pal_fcntl(f->host_fd, F_SETFL,
						  (f->flags & SETFL_MASK & ~O_NONBLOCK) | (on ? O_NONBLOCK : 0)) : 0;
		if (r >= 0)
			f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
		break;
	default:
		r = (f->flags & O_PATH) ? -EBADF : f->ops->ioctl ? f->ops->ioctl(f, req, arg) : -ENOTTY;
	}
	file_put(f);
	return r;
}

static long pipe_name(int hfd, char *out, size_t size)
{
	struct stat st;
	long r = pal_fstat(hfd, &st);
	fmt_snprintf(out, size, "pipe:[%lu]", r < 0 ? 0ul : (unsigned long)st.st_ino);
	return 0;
}

long sys_pipe2(int *ufds, int flags)
{
	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	int h[2];
	long r = pal_pipe2(h, (flags & (O_NONBLOCK | O_DIRECT)) | O_CLOEXEC);
	if (r < 0)
		return r;
	char name[40];
	pipe_name(h[0], name, sizeof(name));
	struct file *rd = file_new(&host_file_ops, h[0], O_RDONLY | (flags & (O_NONBLOCK | O_DIRECT)), name);
	struct file *wr = file_new(&host_file_ops, h[1], O_WRONLY | (flags & (O_NONBLOCK | O_DIRECT)), name);
	if (!rd || !wr) {
		if (rd) file_put(rd); else pal_close(h[0]);
		if (wr) file_put(wr); else pal_close(h[1]);
		return -ENOMEM;
	}
	rd->type = wr->type = NODE_FIFO;
	rd->anon_owner = wr->anon_owner = 1;
	rd->uid = wr->uid = cred_fsuid();
	rd->gid = wr->gid = cred_fsgid();
	int fds[2] = { -1, -1 };
	fds[0] = (int)fd_install(rd, flags & O_CLOEXEC, 0);
	if (fds[0] >= 0)
		fds[1] = (int)fd_install(wr, flags & O_CLOEXEC, 0);
	if (fds[0] < 0 || fds[1] < 0) {
		r = fds[0] < 0 ? fds[0] : fds[1];
		if (fds[0] >= 0) fd_close(fds[0]); else file_put(rd);
		file_put(wr);
		return r;
	}
	if (copy_to_user(ufds, fds, sizeof(fds)) < 0) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

long sys_pipe(int *ufds)
{
	return sys_pipe2(ufds, 0);
}

struct pollfd64 {
	int fd;
	short events, revents;
};

/* poll on host-backed fds maps app fds to host fds; synthetic files are always ready. */
long sys_poll(void *ufds, unsigned nfds, int timeout)
{
	if (nfds > proc.rlim[7].cur)
		return -EINVAL;
	struct pollfd64 *app = heap_alloc(sizeof(*app) * (nfds ? nfds : 1));
	struct pollfd64 *host = heap_alloc(sizeof(*host) * (nfds ? nfds : 1));
	long r = 0, ready = 0;
	if (!app || !host) {
		r = -ENOMEM;
		goto out;
	}
	if (copy_from_user(app, ufds, sizeof(*app) * nfds) < 0) {
		r = -EFAULT;
		goto out;
	}
	for (unsigned i = 0; i < nfds; i++) {
		host[i] = (struct pollfd64){ -1, app[i].events, 0 };
		app[i].revents = 0;
		if (app[i].fd < 0)
			continue;
		struct file *f = fd_get(app[i].fd);
		if (!f) {
			app[i].revents = 0x20;	/* POLLNVAL */
		} else if (f->host_fd >= 0) {
			host[i].fd = f->host_fd;
		} else {
			app[i].revents = app[i].events & (0x1 | 0x4);	/* POLLIN | POLLOUT */
		}
		file_put(f);
		if (app[i].revents)
			ready++;
	}
	r = sig_block_begin();
	if (r == 0)
		r = sig_block_end(pal_block_poll(host, nfds, ready ? 0 : timeout));
	if (r == -ERESTARTSYS)
		r = -ERESTARTNOHAND;	/* poll is not restarted after a handler: EINTR */
	if (r < 0)
		goto out;
	ready = 0;
	for (unsigned i = 0; i < nfds; i++) {
		if (host[i].fd >= 0)
			app[i].revents = host[i].revents;
		if (app[i].revents)
			ready++;
	}
	/* Linux checks the whole array with access_ok before writing it back, so a kernel address
	 * is EFAULT even for nfds 0. */
	r = !access_ok(ufds, sizeof(*app) * nfds) || copy_to_user(ufds, app, sizeof(*app) * nfds) < 0
	    ? -EFAULT : ready;
out:
	heap_free(app);
	heap_free(host);
	return r;
}

/* fsync and fdatasync: Linux answers EINVAL for a file without an fsync operation (devices, pipes,
 * sockets, /proc); host-backed files get the host's answer, which is that rule applied; of the
 * synthetic ones only /dev itself (devtmpfs, noop_fsync) has one. */
static long sync_fd(int fd, long (*fn)(int))
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r;
	if (f->flags & O_PATH)
		r = -EBADF;
	else if (f->host_fd >= 0)
		r = fn(f->host_fd);
	else
		r = f->type == NODE_DIR && f->mnt && f->mnt->ops == &devfs_mount_ops ? 0 : -EINVAL;
	file_put(f);
	return r;
}

long sys_fsync(int fd) { return sync_fd(fd, pal_fsync); }
long sys_fdatasync(int fd) { return sync_fd(fd, pal_fdatasync); }

/* Linux's order: a negative length (before the fd), the fd, then a file that is not regular or
 * not open for writing (EINVAL, not EBADF). */
long sys_ftruncate(int fd, long len)
{
	if (len < 0)
		return -EINVAL;
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r;
	if (f->flags & O_PATH)
		r = -EBADF;
	else if (f->host_fd < 0 || f->type != NODE_REG || (f->flags & O_ACCMODE) == O_RDONLY)
		r = -EINVAL;
	else
		r = pal_ftruncate(f->host_fd, len);
	struct stat st;
	if (r == 0 && f->mnt && f->mnt->ops->set_owner && f->ops->stat(f, &st) == 0)
		fs_remove_privs(f->mnt, st.st_ino, st.st_mode, st.st_uid, st.st_gid);
	file_put(f);
	return r;
}
