/* libos/fs/sys_sync.c — sync and syncfs. The instance's files are host files, so flushing them
 * is the host's sync; synthetic files (/proc, /dev, pipes) have nothing to flush. */
#include "fs.h"
#include "../errno.h"
#include <linux/fcntl.h>

long sys_sync(void)
{
	PAL_CALL0(__NR_sync);
	return 0;
}

/* Any open descriptor names a file system (a pipe's is pipefs, which has nothing to write);
 * an O_PATH one is EBADF, as Linux's fdget refuses it. */
long sys_syncfs(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = 0;
	if (f->flags & O_PATH)
		r = -EBADF;
	else if (f->host_fd >= 0)
		r = PAL_CALL1(__NR_syncfs, f->host_fd);
	file_put(f);
	return r;
}
