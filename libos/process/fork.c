/* libos/process/fork.c — fork, vfork and the clones that make a new process. One LibOS process is
 * one host process, so a fork is a host fork: the child's memory, LibOS state included, is a copy
 * (its fds, signal actions, VMA tree, patched code). vfork is a host clone with CLONE_VFORK but
 * without CLONE_VM: the parent waits until the child execs or ends, as Linux's, but the child
 * writes to a copy of the parent's memory (see docs/architecture.md). The child continues from
 * the very point of the host call in either entry path and returns 0 to the app. */
#include "process.h"
#include "ptree.h"
#include "../errno.h"
#include "../log.h"
#include "../entry/patch.h"
#include "../entry/usercopy.h"
#include "../fs/fs.h"
#include "../signal/frame.h"
#include "../vm/vm.h"
#include "../../lib/alloc.h"
#include "../../lib/spinlock.h"
#include <linux/sched.h>

#define NAMESPACES (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | \
		    CLONE_NEWNET | CLONE_NEWCGROUP)
/* Flags a new process may carry that need nothing here (tracing and I/O context are the host's;
 * there are no System V semaphores to share). */
#define HARMLESS (CLONE_PTRACE | CLONE_UNTRACED | CLONE_IO | CLONE_SYSVSEM | CLONE_DETACHED)
#define SUPPORTED (CLONE_VM | CLONE_VFORK | CLONE_PARENT | CLONE_SETTLS | CLONE_PARENT_SETTID | \
		   CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | HARMLESS)

/* The LibOS locks, outermost first (the order every path nests them in). A host fork copies
 * them as they are: another thread holding one would leave it held for ever in the child, so
 * the forking thread holds them all across the fork. */
static int take_all(struct spinlock **l)
{
	int n = 0;
	l[n++] = patch_lock();
	l[n++] = vm_lock();
	l[n++] = uaccess_lock();
	l[n++] = threads_lock();
	l[n++] = fd_table_lock();
	l[n++] = &sigs.lock;
	l[n++] = heap_lock();
	for (int i = 0; i < n; i++)
		spin_lock(l[i]);
	return n;
}

static void drop_all(struct spinlock **l, int n)
{
	while (n-- > 0)
		spin_unlock(l[n]);
}

/* The child's side, right after the host fork: it is process c with one thread, the caller. */
static void child_fixups(struct sh_proc *c, uint64_t flags, uint64_t stack, int *ctid, uint64_t tls)
{
	struct libos_thread *t = thread_current();
	int pid = c->pid;
	t->host_tid = (int)pal_gettid();
	__atomic_store_n(&c->host_pid, (int)pal_getpid(), __ATOMIC_RELEASE);
	sh_self = c;
	proc.pid = pid;
	t->tid = pid;
	threads_after_fork(t);
	/* A new process has no pending signals and no robust list; its host dispatch was off. */
	sigs.pending = 0;
	sigs.q = NULL;	/* (the copies of queued entries are the parent's to free) */
	__atomic_store_n(&sigs.async, 0, __ATOMIC_RELAXED);
	t->sigpending = 0;
	t->sigq = NULL;
	t->robust_list = t->robust_len = 0;
	t->clear_child_tid = (flags & CLONE_CHILD_CLEARTID) ? (uint64_t)ctid : 0;
	if (pal_enable_syscall_dispatch() < 0)
		libos_panic("fork child: cannot enable Syscall User Dispatch");
	if (flags & CLONE_SETTLS)
		pal_set_fs(tls);
	if (flags & CLONE_CHILD_SETTID)
		copy_to_user(ctid, &pid, sizeof(pid));
	/* The app resumes where the parent does, on the stack clone was given if any; rcx and
	 * r11 as the syscall instruction leaves them. */
	struct pal_regs *regs = t->regs;
	if (stack)
		regs->rsp = stack;
}

long proc_fork(uint64_t flags, int exit_signal, uint64_t stack, int *ptid, int *ctid, uint64_t tls)
{
	if (flags & NAMESPACES) {
		log_warn("clone flags %#lx: new namespaces are not available inside an instance",
			 (unsigned long)flags);
		return -EPERM;
	}
	if ((flags & ~(uint64_t)SUPPORTED) || ((flags & CLONE_VM) && !(flags & CLONE_VFORK))) {
		log_warn("clone flags %#lx: a new process shares nothing but (with vfork) a pause of "
			 "its parent", (unsigned long)flags);
		return -ENOSYS;
	}
	if ((flags & CLONE_PARENT) && proc.pid == 1)
		return -EINVAL;	/* init has no parent to give its child */
	long err = 0;
	struct sh_proc *c = ptree_new_child(exit_signal, (flags & CLONE_PARENT) != 0, &err);
	if (!c)
		return err;
	int pid = c->pid;
	struct spinlock *locks[8];
	int nlocks = 0;
	int threaded = __atomic_load_n(&proc_live_threads, __ATOMIC_ACQUIRE) > 1;
	if (threaded)
		nlocks = take_all(locks);
	/* The host child's exit signal is SIGCHLD, which the runtime ignores: the host reaps it. */
	unsigned long hflags = 17 /* SIGCHLD */ | (flags & CLONE_VFORK);
	long r = PAL_CALL5(__NR_clone, hflags, 0, 0, 0, 0);
	if (threaded)
		drop_all(locks, nlocks);
	if (r == 0) {
		child_fixups(c, flags, stack, ctid, tls);
		return 0;
	}
	if (r < 0) {
		ptree_abandon(c);
		return r == -ENOMEM ? -ENOMEM : -EAGAIN;
	}
	int zero = 0;
	__atomic_compare_exchange_n(&c->host_pid, &zero, (int)r, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
	if (flags & CLONE_PARENT_SETTID)
		copy_to_user(ptid, &pid, sizeof(pid));
	log_debug("%s: process %d (host %ld)", (flags & CLONE_VFORK) ? "vfork" : "fork", pid, r);
	return pid;
}

long sys_fork(void)
{
	return proc_fork(0, 17, 0, NULL, NULL, 0);
}

long sys_vfork(void)
{
	return proc_fork(CLONE_VM | CLONE_VFORK, 17, 0, NULL, NULL, 0);
}
