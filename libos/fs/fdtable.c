/* libos/fs/fdtable.c — the process's descriptor table: app fd numbers to open files, plus the
 * close-on-exec bit. Capacity is RLIMIT_NOFILE's hard limit. One spinlock guards the table;
 * files are released outside it. */
#include "fs.h"
#include "../errno.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include "../../lib/spinlock.h"

struct fd_table {
	struct spinlock lock;
	int size;
	struct file **files;
	unsigned char *cloexec;
};
struct fd_table fdt0;	/* the first process's */
#define fdt (*proc.files)

static long ensure_table(void)
{
	if (fdt.files)
		return 0;
	int size = (int)proc.rlim[7 /* RLIMIT_NOFILE */].max;
	if (size <= 0 || size > (1 << 20))
		size = 1024;
	fdt.files = heap_zalloc(sizeof(struct file *) * (size_t)size);
	fdt.cloexec = heap_zalloc((size_t)size);
	if (!fdt.files || !fdt.cloexec)
		return -ENOMEM;
	fdt.size = size;
	return 0;
}

long fd_install(struct file *f, int cloexec, int min_fd)
{
	long r = ensure_table();
	if (r < 0)
		return r;
	int limit = (int)proc.rlim[7].cur < fdt.size ? (int)proc.rlim[7].cur : fdt.size;
	if (min_fd < 0)
		return -EINVAL;
	spin_lock(&fdt.lock);
	r = -EMFILE;
	for (int fd = min_fd; fd < limit; fd++) {
		if (!fdt.files[fd]) {
			fdt.files[fd] = f;
			fdt.cloexec[fd] = (unsigned char)!!cloexec;
			r = fd;
			break;
		}
	}
	spin_unlock(&fdt.lock);
	if (r < 0 && min_fd >= limit)
		r = -EINVAL;
	return r;
}

long fd_install_at(struct file *f, int fd, int cloexec)
{
	long r = ensure_table();
	if (r < 0)
		return r;
	if (fd < 0 || fd >= fdt.size || (uint64_t)fd >= proc.rlim[7].cur)
		return -EBADF;
	spin_lock(&fdt.lock);
	struct file *old = fdt.files[fd];
	fdt.files[fd] = f;
	fdt.cloexec[fd] = (unsigned char)!!cloexec;
	spin_unlock(&fdt.lock);
	file_put(old);
	return fd;
}

struct file *fd_get(int fd)
{
	struct file *f = NULL;
	if (fd < 0 || fd >= fdt.size)
		return NULL;
	spin_lock(&fdt.lock);
	f = fdt.files[fd];
	if (f)
		file_get(f);
	spin_unlock(&fdt.lock);
	return f;
}

long fd_close(int fd)
{
	if (fd < 0 || fd >= fdt.size)
		return -EBADF;
	spin_lock(&fdt.lock);
	struct file *f = fdt.files[fd];
	fdt.files[fd] = NULL;
	fdt.cloexec[fd] = 0;
	spin_unlock(&fdt.lock);
	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

int fd_get_cloexec(int fd)
{
	return fd >= 0 && fd < fdt.size ? fdt.cloexec[fd] : 0;
}

long fd_set_cloexec(int fd, int on)
{
	if (fd < 0 || fd >= fdt.size || !fdt.files[fd])
		return -EBADF;
	fdt.cloexec[fd] = (unsigned char)!!on;
	return 0;
}

int fd_max(void)
{
	return fdt.size;
}

struct spinlock *fd_table_lock(void)
{
	return &fdt.lock;
}

struct fd_table *fd_table_copy(void)
{
	struct fd_table *t = heap_zalloc(sizeof(*t));
	if (!t)
		return NULL;
	spin_lock(&fdt.lock);
	int size = fdt.files ? fdt.size : 0;
	if (size) {
		t->files = heap_alloc(sizeof(struct file *) * (size_t)size);
		t->cloexec = heap_alloc((size_t)size);
	}
	if (size && t->files && t->cloexec) {
		t->size = size;
		memcpy(t->files, fdt.files, sizeof(struct file *) * (size_t)size);
		memcpy(t->cloexec, fdt.cloexec, (size_t)size);
		for (int i = 0; i < size; i++)
			if (t->files[i])
				file_get(t->files[i]);
	}
	spin_unlock(&fdt.lock);
	if (size && !t->size) {
		heap_free(t->files);
		heap_free(t->cloexec);
		heap_free(t);
		return NULL;
	}
	return t;
}

void fd_table_drop_vfork(struct fd_table *t, int child_host_pid)
{
	for (int i = 0; i < t->size; i++) {
		struct file *f = t->files[i];
		if (f && f->owner == child_host_pid)
			file_put_foreign(f);
		else if (f)
			file_put(f);
	}
	heap_free(t->files);
	heap_free(t->cloexec);
	heap_free(t);
}
