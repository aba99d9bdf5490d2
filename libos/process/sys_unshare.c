/* libos/process/sys_unshare.c — unshare: Linux's flag checks and implications; CLONE_FILES gives
 * the calling thread a descriptor table of its own. The instance makes no namespaces. */
#include "process.h"
#include "../errno.h"
#include "../fs/fs.h"
#include <linux/sched.h>

#define UNSHARE_VALID (CLONE_THREAD | CLONE_FS | CLONE_NEWNS | CLONE_SIGHAND | CLONE_VM | \
	CLONE_FILES | CLONE_SYSVSEM | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUSER | \
	CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME)
#define UNSHARE_NS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUSER | \
	CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME)

/* CLONE_THREAD, CLONE_SIGHAND and CLONE_VM only succeed when nothing is shared (one thread), as
 * on Linux. CLONE_FS succeeds but the cwd and umask stay the process's (a gap: they are not per
 * thread here). CLONE_SYSVSEM has no undo lists to detach. New namespaces are EPERM: the
 * instance is one set of namespaces and cannot make more. */
long sys_unshare(unsigned long flags)
{
	if (flags & ~(unsigned long)UNSHARE_VALID)
		return -EINVAL;
	if (flags & CLONE_NEWUSER)
		flags |= CLONE_THREAD | CLONE_FS;
	if (flags & CLONE_VM)
		flags |= CLONE_SIGHAND;
	if (flags & CLONE_SIGHAND)
		flags |= CLONE_THREAD;
	if (flags & CLONE_NEWNS)
		flags |= CLONE_FS;
	if ((flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) &&
	    __atomic_load_n(&proc.live_threads, __ATOMIC_ACQUIRE) > 1)
		return -EINVAL;
	if (flags & UNSHARE_NS)
		return -EPERM;
	if (flags & CLONE_FILES)
		return fd_table_unshare();
	return 0;
}
