/* libos/process/pidfd.c — pidfd_open and pidfd_getfd. A pidfd is a LibOS file (no host fd) whose
 * data is the struct pidfd_ref it names. Not pollable yet, and not kept over execve (a gap: the
 * next runtime reopens descriptors by path). */
#include "pidfd.h"
#include "process.h"
#include "cred.h"
#include "../errno.h"
#include "../fs/fs.h"
#include "../../lib/alloc.h"
#include <linux/fcntl.h>

#define PIDFD_NONBLOCK O_NONBLOCK
#define PIDFD_THREAD O_EXCL

static const struct file_ops pidfd_ops = { 0 };

long pidfd_target(int fd, struct pidfd_ref *out)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = -EBADF;
	if (f->ops == &pidfd_ops) {
		*out = *(const struct pidfd_ref *)f->data;
		r = 0;
	}
	file_put(f);
	return r;
}

struct sh_proc *pidfd_proc(const struct pidfd_ref *ref, int *tgid)
{
	struct sh_proc *p = sh_lookup(ref->pid, tgid);
	return p && sh_slot(p) == ref->slot ? p : NULL;
}

/* Linux's order: flags, the pid's range, whether it exists (ESRCH), then whether it names a
 * process (a thread's tid without PIDFD_THREAD: ENOENT, as 6.x). A zombie still gets a pidfd. */
long sys_pidfd_open(int pid, unsigned flags)
{
	if (flags & ~(unsigned)(PIDFD_NONBLOCK | PIDFD_THREAD))
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL;
	int tgid;
	struct sh_proc *p = sh_lookup(pid, &tgid);
	if (!p)
		return -ESRCH;
	if (tgid != pid && !(flags & PIDFD_THREAD))
		return -ENOENT;
	struct file *f = file_new(&pidfd_ops, -1, O_RDWR | (flags & PIDFD_NONBLOCK), "anon_inode:[pidfd]");
	struct pidfd_ref *ref = f ? heap_alloc(sizeof(*ref)) : NULL;
	if (!ref) {
		file_put(f);
		return -ENOMEM;
	}
	*ref = (struct pidfd_ref){ .pid = pid, .slot = sh_slot(p), .thread = !!(flags & PIDFD_THREAD) };
	f->data = (char *)ref;	/* freed with the file */
	f->type = NODE_REG;
	long r = fd_install(f, 1, 0);	/* pidfds are always close-on-exec */
	if (r < 0)
		file_put(f);
	return r;
}

/* ptrace_may_access for PTRACE_MODE_ATTACH_REALCREDS, as far as the shared region knows the
 * target's ids: the same uid, or CAP_SYS_PTRACE. */
int proc_may_access(const struct sh_proc *p)
{
	return p == sh_self || cred_capable(CAP_SYS_PTRACE) ||
	       __atomic_load_n(&p->uid, __ATOMIC_RELAXED) == proc.uid;
}

/* A new descriptor (FD_CLOEXEC) on the file the pidfd's process has open as fd. The caller's own
 * process: its table. Another process's table lives in that process's memory, out of reach, so
 * its descriptors are refused with EBADF (a documented gap). */
long sys_pidfd_getfd(int pidfd, int fd, unsigned flags)
{
	if (flags)
		return -EINVAL;
	struct pidfd_ref ref;
	long r = pidfd_target(pidfd, &ref);
	if (r < 0)
		return r;
	int tgid;
	struct sh_proc *p = pidfd_proc(&ref, &tgid);
	if (!p || __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) != SP_ALIVE)
		return -ESRCH;	/* a zombie too, as Linux 6.x */
	if (!proc_may_access(p))
		return -EPERM;
	if (p != sh_self)
		return -EBADF;
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	r = fd_install(f, 1, 0);
	if (r < 0)
		file_put(f);
	return r;
}
