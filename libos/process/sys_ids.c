/* libos/process/sys_ids.c — identity syscalls: pids, process group and session, user and group
 * ids (from the config), umask, set_tid_address, set_robust_list, rseq. */
#include "process.h"
#include "ptree.h"
#include "../errno.h"
#include "../entry/usercopy.h"

long sys_getpid(void) { return proc.pid; }
long sys_getppid(void) { return __atomic_load_n(&sh_self->ppid, __ATOMIC_RELAXED); }
long sys_gettid(void) { return thread_current()->tid; }
long sys_getpgrp(void) { return ptree_getpgid(0); }
long sys_getuid(void) { return proc.uid; }
long sys_geteuid(void) { return proc.euid; }
long sys_getgid(void) { return proc.gid; }
long sys_getegid(void) { return proc.egid; }

long sys_getpgid(int pid) { return ptree_getpgid(pid); }
long sys_getsid(int pid) { return ptree_getsid(pid); }
long sys_setpgid(int pid, int pgid) { return ptree_setpgid(pid, pgid); }
long sys_setsid(void) { return ptree_setsid(); }

long sys_umask(unsigned mask)
{
	unsigned old = proc.umask;
	proc.umask = mask & 0777;
	return old;
}

long sys_set_tid_address(int *tidptr)
{
	thread_current()->clear_child_tid = (uint64_t)tidptr;
	return thread_current()->tid;
}

long sys_set_robust_list(void *head, size_t len)
{
	if (len != 24)	/* sizeof(struct robust_list_head) */
		return -EINVAL;
	thread_current()->robust_list = (uint64_t)head;
	thread_current()->robust_len = len;
	return 0;
}

/* Restartable sequences need the LibOS to fix up interrupted critical sections; until then
 * libcs fall back cleanly on ENOSYS. */
long sys_rseq(void *rseq, unsigned len, int flags, unsigned sig)
{
	(void)rseq, (void)len, (void)flags, (void)sig;
	return -ENOSYS;
}

long sys_getresuid(unsigned *ruid, unsigned *euid, unsigned *suid)
{
	if (copy_to_user(ruid, &proc.uid, 4) < 0 || copy_to_user(euid, &proc.euid, 4) < 0 ||
	    copy_to_user(suid, &proc.suid, 4) < 0)
		return -EFAULT;
	return 0;
}

long sys_getresgid(unsigned *rgid, unsigned *egid, unsigned *sgid)
{
	if (copy_to_user(rgid, &proc.gid, 4) < 0 || copy_to_user(egid, &proc.egid, 4) < 0 ||
	    copy_to_user(sgid, &proc.sgid, 4) < 0)
		return -EFAULT;
	return 0;
}
