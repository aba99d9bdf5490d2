/* libos/fs/image_fdcache.c — host descriptors of image files the app closed, kept for its next
 * open of the same file: that open then costs one host lseek instead of an openat2 and a close.
 * Invariant: a kept descriptor belongs to the host process that kept it (owner), no open file of
 * the app refers to it, its status flags are plain O_RDONLY, and it holds no lock. */
#include "fs.h"
#include "../../lib/spinlock.h"
#include <linux/fcntl.h>

#define KEPT 8

static struct {
	struct spinlock lock;
	int off;			/* a file lock was taken: closes must reach the host */
	unsigned next;			/* the slot to evict next */
	struct { long index; int host_fd, owner; } slot[KEPT];
} cache;

/* Kept descriptors are only used by the host process that kept them: a fork child inherits
 * copies of them in its host table but never takes them (they are close-on-exec, and go with
 * its next execve), so parent and child never share an offset Linux would not share. */
long image_fdcache_take(long index)
{
	long fd = -1;
	spin_lock(&cache.lock);
	for (int i = 0; i < KEPT; i++) {
		if (cache.slot[i].owner == proc.host_pid && cache.slot[i].index == index) {
			fd = cache.slot[i].host_fd;
			cache.slot[i].owner = 0;
			break;
		}
	}
	spin_unlock(&cache.lock);
	if (fd >= 0 && pal_lseek((int)fd, 0, 0 /* SEEK_SET */) < 0) {
		pal_close((int)fd);
		fd = -1;
	}
	return fd;
}

int image_fdcache_put(struct file *f)
{
	/* A vfork child's descriptors are in its own host table but this memory is its parent's;
	 * a file with any status flag set, or after a lock, is closed for real (a lock goes with
	 * the close, as Linux drops POSIX locks at any close and OFD locks at the last). */
	if (f->type != NODE_REG || (f->flags & ~O_LARGEFILE) != O_RDONLY || proc.vfork_child ||
	    f->owner != proc.host_pid || f->manifest_index < 0 ||
	    __atomic_load_n(&cache.off, __ATOMIC_RELAXED))
		return 0;
	int evict = -1;
	spin_lock(&cache.lock);
	unsigned i = cache.next++ % KEPT;
	if (cache.slot[i].owner == proc.host_pid)
		evict = cache.slot[i].host_fd;
	cache.slot[i].index = f->manifest_index;
	cache.slot[i].host_fd = f->host_fd;
	cache.slot[i].owner = proc.host_pid;
	spin_unlock(&cache.lock);
	if (evict >= 0)
		pal_close(evict);
	return 1;
}

void image_fdcache_disable(void)
{
	__atomic_store_n(&cache.off, 1, __ATOMIC_RELAXED);
	spin_lock(&cache.lock);
	int fds[KEPT], n = 0;
	for (int i = 0; i < KEPT; i++) {
		if (cache.slot[i].owner == proc.host_pid)
			fds[n++] = cache.slot[i].host_fd;
		cache.slot[i].owner = 0;
	}
	spin_unlock(&cache.lock);
	while (n-- > 0)
		pal_close(fds[n]);
}
