/* libos/process/fork.c — fork, vfork and the clones that make a new process. One LibOS process is
 * one host process. A fork is a host fork: the child's memory, LibOS state included, is a copy,
 * and it continues from the very point of the host call in either entry path. A vfork is a host
 * clone(CLONE_VM | CLONE_VFORK): the child runs in its parent's memory, as Linux's does, on a
 * LibOS thread of its own and a copy of the parent's private process state (signal actions,
 * descriptors, cwd, ids), which the parent frees once the child has exec'ed or ended. */
#include "process.h"
#include "ptree.h"
#include "cred.h"
#include "../errno.h"
#include "../log.h"
#include "../entry/patch.h"
#include "../entry/usercopy.h"
#include "../fs/fs.h"
#include "../signal/frame.h"
#include "../signal/remote.h"
#include "../vm/vm.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
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
	l[n++] = cred_lock();
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
	/* The shared region's pages are not in a fork child's page tables: the ones every process
	 * operation reads (header and the slots in use) come in one call, not a fault each. */
	pal_madvise(shr, (uint64_t)((char *)&shr->procs[shr->nprocs] - (char *)shr), 22 /* MADV_POPULATE_READ */);
	proc.pid = pid;
	proc.host_pid = (int)pal_getpid();
	proc.prctl.pdeathsig = 0;	/* Linux clears it in every child */
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
	sig_publish_actions();	/* what it ignores, for its senders (it is not init) */
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

/* Frees a vfork child's process copy (child_host_pid: whose host fd table its own files are in,
 * -1 if it never ran). */
static void vfork_process_free(struct libos_process *vp, int child_host_pid)
{
	if (vp->sig)
		sig_state_free(vp->sig);
	if (vp->files)
		fd_table_drop_vfork(vp->files, child_host_pid);
	heap_free(vp->groups);
	heap_free(vp);
}

/* The vfork child's own process state: a copy of the caller's. */
static struct libos_process *vfork_process(struct sh_proc *c)
{
	struct libos_process *vp = heap_alloc(sizeof(*vp));
	if (!vp)
		return NULL;
	*vp = proc;
	vp->pid = c->pid;
	vp->host_pid = 0;
	vp->shared = c;
	vp->vfork_child = 1;
	vp->prctl.pdeathsig = 0;
	vp->sig = NULL;
	vp->files = NULL;
	/* Its own groups: a setgroups in the child frees only its copy. (A sibling thread's
	 * setgroups meanwhile may leave it fewer; it never reads past the copy.) */
	uint32_t n = vp->ngroups;
	vp->groups = n ? heap_alloc(n * 4u) : NULL;
	if (n && !vp->groups) {
		heap_free(vp);
		return NULL;
	}
	spin_lock(cred_lock());
	vp->ngroups = n < proc.ngroups ? n : proc.ngroups;
	if (vp->ngroups)
		memcpy(vp->groups, proc.groups, vp->ngroups * 4u);
	spin_unlock(cred_lock());
	vp->sig = sig_state_copy();
	vp->files = fd_table_copy();
	if (vp->sig && vp->files)
		return vp;
	vfork_process_free(vp, -1);
	return NULL;
}

/* clone(CLONE_VM | CLONE_VFORK): returns once the child has exec'ed or ended. */
static long vfork_shared(struct sh_proc *c, uint64_t flags, uint64_t stack, int *ctid, uint64_t tls)
{
	struct libos_process *vp = vfork_process(c);
	struct libos_thread *t = vp ? thread_struct_get(c->pid, vp) : NULL;
	long r = t ? thread_prepare_start(t, stack) : -EAGAIN;
	if (r < 0) {
		if (vp)
			vfork_process_free(vp, -1);
		return r;
	}
	struct libos_thread *self = thread_current();
	vp->main_thread = t;
	vp->live_threads = 1;
	t->sigmask = self->sigmask;
	t->sigpending = 0;
	t->sigq = NULL;
	t->ss_sp = self->ss_sp, t->ss_size = self->ss_size, t->ss_flags = self->ss_flags;
	t->clear_child_tid = (flags & CLONE_CHILD_CLEARTID) ? (uint64_t)ctid : 0;
	t->robust_list = t->robust_len = 0;
	int pid = c->pid;
	if (flags & CLONE_CHILD_SETTID)
		copy_to_user(ctid, &pid, sizeof(pid));
	sh_lock();
	c->flags |= SPF_SHAREDVM;	/* until it execs or ends (ptree.c) */
	sh_unlock();
	/* The child inherits this thread's host signal stack until it sets its own: no host signal
	 * may reach it before then, or its frame would land on this thread's LibOS stack. */
	uint64_t all = ~0ull, old = 0;
	PAL_CALL4(__NR_rt_sigprocmask, 2 /* SIG_SETMASK */, &all, &old, 8);
	uint64_t top = ((uint64_t)t->altstack + t->altstack_size) & ~15ull;
	r = pal_spawn_thread(CLONE_VM | CLONE_VFORK | 17 /* SIGCHLD */ | (flags & CLONE_SETTLS),
			     (void *)top, tls, NULL, thread_start, t);
	PAL_CALL4(__NR_rt_sigprocmask, 2, &old, 0, 8);
	/* The child has exec'ed (its memory is another now) or ended: its state is ours to free. */
	__atomic_store_n(&t->host_alive, 0, __ATOMIC_RELEASE);
	vfork_process_free(vp, r > 0 ? (int)r : -1);
	return r;
}

/* CLONE_VFORK without CLONE_VM: the child has its own memory, so the fork need not keep the
 * LibOS locks (or this thread) tied to it; the caller waits here, as Linux's vfork parent does,
 * not interrupted by signals, until the child execs or ends (ptree.c clears vfork_wait). */
static void vfork_wait(struct sh_proc *c, int pid, int host_pid)
{
	while (__atomic_load_n(&c->vfork_wait, __ATOMIC_ACQUIRE) && c->pid == pid) {
		int64_t ts[2] = { 1, 0 };
		long r = PAL_CALL6(__NR_futex, &c->vfork_wait, 0 /* FUTEX_WAIT (shared) */, 1, ts, 0, 0);
		if (r == -ETIMEDOUT && PAL_CALL2(__NR_kill, host_pid, 0) == -ESRCH)
			break;	/* killed from the host: no one will clear it */
	}
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
	long r;
	if ((flags & (CLONE_VM | CLONE_VFORK)) == (CLONE_VM | CLONE_VFORK)) {
		r = vfork_shared(c, flags, stack, ctid, tls);
	} else {
		struct spinlock *locks[8];
		int nlocks = 0;
		int threaded = __atomic_load_n(&proc.live_threads, __ATOMIC_ACQUIRE) > 1;
		if (flags & CLONE_VFORK)
			__atomic_store_n(&c->vfork_wait, 1, __ATOMIC_RELEASE);
		if (threaded)
			nlocks = take_all(locks);
		/* The host child's exit signal is SIGCHLD, which the runtime ignores: the host
		 * reaps it. */
		r = PAL_CALL5(__NR_clone, 17 /* SIGCHLD */, 0, 0, 0, 0);
		if (threaded)
			drop_all(locks, nlocks);
		if (r == 0) {
			child_fixups(c, flags, stack, ctid, tls);
			return 0;
		}
		if (r > 0 && (flags & CLONE_VFORK))
			vfork_wait(c, pid, (int)r);
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
