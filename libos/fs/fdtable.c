/* libos/fs/fdtable.c — descriptor tables: app fd numbers to open files, plus the close-on-exec
 * bit. Capacity is RLIMIT_NOFILE's hard limit. One spinlock guards a table; files are released
 * outside it. A thread uses its process's table unless it has one of its own (after
 * unshare(CLONE_FILES) or a clone without CLONE_FILES), which the threads sharing it count in
 * refs. The threads of one host process share its host fds: a file's reference count, not the
 * table, decides when its host fd is closed. */
#include "fs.h"
#include "../errno.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include "../../lib/spinlock.h"

struct fd_table {
	struct spinlock lock;
	int size;
	int refs;		/* a thread's own table: threads using it (a process's: unused) */
	struct file **files;
	unsigned char *cloexec;
};
struct fd_table fdt0;	/* the first process's */
/* The calling thread's table. */
static inline struct fd_table *fd_current(void)
{
	struct libos_thread *t = thread_current();
	return t->files ? t->files : t->process->files;
}
#define fdt (*fd_current())

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
	t->refs = 1;
	return t;
}

/* Releases every file of t and its arrays; the struct too unless it is the static fdt0. */
static void table_free(struct fd_table *t)
{
	for (int i = 0; i < t->size; i++)
		file_put(t->files[i]);
	heap_free(t->files);
	heap_free(t->cloexec);
	if (t != &fdt0)
		heap_free(t);
	else
		*t = (struct fd_table){ 0 };
}

static void table_put(struct fd_table *t)
{
	if (t && __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) == 0)
		table_free(t);
}

struct file *fd_get_thread(struct libos_thread *t, int fd)
{
	struct fd_table *tab = t->files ? t->files : t->process->files;
	struct file *f = NULL;
	if (fd < 0 || fd >= tab->size)
		return NULL;
	spin_lock(&tab->lock);
	f = tab->files[fd];
	if (f)
		file_get(f);
	spin_unlock(&tab->lock);
	return f;
}

const void *fd_table_id(struct libos_thread *t)
{
	return t->files ? t->files : t->process->files;
}

long fd_table_unshare(void)
{
	struct libos_thread *t = thread_current();
	int shared = t->files ? __atomic_load_n(&t->files->refs, __ATOMIC_ACQUIRE) > 1
			      : __atomic_load_n(&proc.live_threads, __ATOMIC_ACQUIRE) > 1;
	if (!shared)
		return 0;
	struct fd_table *c = fd_table_copy();
	if (!c)
		return -ENOMEM;
	struct fd_table *old = t->files;
	t->files = c;
	table_put(old);
	return 0;
}

long fd_thread_attach(struct libos_thread *child, int share)
{
	struct libos_thread *self = thread_current();
	child->files = NULL;
	if (share && self->files)
		__atomic_add_fetch(&self->files->refs, 1, __ATOMIC_ACQ_REL);
	if (share)
		child->files = self->files;
	else if (!(child->files = fd_table_copy()))
		return -ENOMEM;
	return 0;
}

void fd_thread_detach(struct libos_thread *t)
{
	struct fd_table *old = t->files;
	t->files = NULL;
	table_put(old);
}

void fd_tables_after_fork(struct libos_thread *self)
{
	if (!self->files)
		return;
	struct fd_table *old = proc.files;
	proc.files = self->files;
	self->files = NULL;
	if (old != proc.files)
		table_free(old);
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
