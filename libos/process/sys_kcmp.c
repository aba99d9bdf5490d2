/* libos/process/sys_kcmp.c — kcmp: whether two tasks share a resource, answered from process and
 * thread identity (a process's memory, signal actions, cwd are one each; descriptor tables are
 * per thread once unshared) and, for KCMP_FILE, open file identity. 0 equal, else 1 or 2 as an
 * ordering that is consistent both ways, like Linux's (whose values are obfuscated pointers). */
#include "process.h"
#include "pidfd.h"
#include "../errno.h"
#include "../fs/fs.h"

enum { KCMP_FILE, KCMP_VM, KCMP_FILES, KCMP_FS, KCMP_SIGHAND, KCMP_IO, KCMP_SYSVSEM,
       KCMP_EPOLL_TFD, KCMP_TYPES };

static long order(uintptr_t a, uintptr_t b)
{
	return a == b ? 0 : a < b ? 1 : 2;
}

/* The file task `tid` of the caller's process has open as fd (a reference), or NULL. */
static struct file *file_of(int tid, int fd)
{
	struct libos_thread *t = thread_by_tid(tid);
	return t ? fd_get_thread(t, fd) : NULL;
}

/* Two open files of the caller's process: host-backed ones are the same open file description
 * if the host says so (dup'ed host fds, files reopened after execve); others by identity. */
static long files_cmp(struct file *a, struct file *b)
{
	if (a->host_fd >= 0 && b->host_fd >= 0) {
		long r = PAL_CALL5(__NR_kcmp, proc.host_pid, proc.host_pid, KCMP_FILE, a->host_fd, b->host_fd);
		if (r >= 0)
			return r;
	}
	return order((uintptr_t)a, (uintptr_t)b);
}

/* Another process's descriptor table lives in its memory, out of reach: a file of another
 * process is EBADF (a documented gap). */
static long kcmp_file(int tid1, int tid2, int self1, int self2, unsigned long i1, unsigned long i2)
{
	struct file *a = self1 && i1 <= 0x7fffffff ? file_of(tid1, (int)i1) : NULL;
	struct file *b = self2 && i2 <= 0x7fffffff ? file_of(tid2, (int)i2) : NULL;
	long r = a && b ? files_cmp(a, b) : -EBADF;
	file_put(a);
	file_put(b);
	return r;
}

/* Linux's order: both tasks exist (ESRCH), the caller may inspect both (EPERM), the type. */
long sys_kcmp(int pid1, int pid2, int type, unsigned long idx1, unsigned long idx2)
{
	int tg1, tg2;
	struct sh_proc *p1 = sh_lookup(pid1, &tg1), *p2 = sh_lookup(pid2, &tg2);
	if (!p1 || !p2)
		return -ESRCH;
	if (!proc_may_access(p1) || !proc_may_access(p2))
		return -EPERM;
	int self1 = p1 == sh_self, self2 = p2 == sh_self;
	switch (type) {
	case KCMP_FILE:
		return kcmp_file(pid1, pid2, self1, self2, idx1, idx2);
	case KCMP_FILES:
		if (self1 && self2) {
			struct libos_thread *t1 = thread_by_tid(pid1), *t2 = thread_by_tid(pid2);
			if (t1 && t2)
				return order((uintptr_t)fd_table_id(t1), (uintptr_t)fd_table_id(t2));
		}
		return order((uintptr_t)sh_slot(p1), (uintptr_t)sh_slot(p2));
	case KCMP_VM:
	case KCMP_FS:
	case KCMP_SIGHAND:
	case KCMP_IO:
		return order((uintptr_t)sh_slot(p1), (uintptr_t)sh_slot(p2));
	case KCMP_SYSVSEM:
		return 0;	/* no task has a System V semaphore undo list: all compare equal */
	case KCMP_EPOLL_TFD:
		return -EBADF;	/* there are no epoll files to name */
	default:
		return -EINVAL;
	}
}
