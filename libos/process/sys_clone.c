/* libos/process/sys_clone.c — threads: clone and clone3 with CLONE_THREAD, and exit(2). One LibOS
 * thread is one host thread: the parent prepares the thread (tid, LibOS stack, the registers it
 * returns to the app with) and spawns a host thread that sets up its %gs, alternate stack and
 * Syscall User Dispatch, then enters the app as if returning 0 from clone. Clones that make a
 * new process go to fork.c. */
#include "process.h"
#include "ptree.h"
#include "../signal/remote.h"
#include "../config.h"
#include "../errno.h"
#include "../log.h"
#include "../entry/patch.h"
#include "../entry/usercopy.h"
#include "../signal/fpu.h"
#include "../fs/fs.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include "../../lib/spinlock.h"
#include <linux/sched.h>
#include <linux/resource.h>

#define MAX_THREADS 4096

static struct {
	struct spinlock lock;
	int n;
	struct libos_thread *all[MAX_THREADS];	/* every thread struct ever made, for reuse */
} tt;

/* What the LibOS can do today: threads sharing everything, the descriptor table optionally. */
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)
#define KNOWN_FLAGS (THREAD_FLAGS | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | \
		     CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED)

void thread_start(void *arg)
{
	struct libos_thread *t = arg;
	long r = thread_setup_current(t, t->tid);
	if (r == 0 && proc.vfork_child) {	/* the first thread of a new host process */
		proc.host_pid = (int)pal_getpid();
		__atomic_store_n(&sh_self->host_pid, proc.host_pid, __ATOMIC_RELEASE);
		sig_publish_actions();
	}
	if (r == 0)
		r = pal_set_host_sigmask(0);	/* the parent may have been inside a host handler */
	if (r == 0 && t->start_fpu)	/* the parent trapped: its FPU state was the host frame's */
		fpu_restore_live((const uint8_t *)(((uint64_t)t->start_fpu + 63) & ~63ull));
	if (r == 0)
		r = pal_enable_syscall_dispatch();
	if (r < 0)
		libos_panic("cannot set up thread %d: %ld", t->tid, r);
	pal_resume_app(&t->start_regs);
}

void thread_register_main(struct libos_thread *t)
{
	t->host_alive = 1;	/* cleared by thread_exit: the main thread has no CLONE_CHILD_CLEARTID */
	t->process = &proc;
	proc.main_thread = t;
	proc.live_threads = 1;
}

/* Thread structs of every process that ran in this host process's memory (a vfork child's
 * too) are in one table: a lookup keeps to the caller's process. */
static int alive_in(struct libos_thread *t, struct libos_process *p)
{
	return t->process == p && __atomic_load_n(&t->host_alive, __ATOMIC_ACQUIRE);
}

struct libos_thread *thread_by_tid(int tid)
{
	struct libos_process *p = &proc;
	if (p->main_thread && p->main_thread->tid == tid)
		return alive_in(p->main_thread, p) ? p->main_thread : NULL;
	int n = __atomic_load_n(&tt.n, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n; i++) {
		struct libos_thread *t = tt.all[i];
		if (t->tid == tid && alive_in(t, p))
			return t;
	}
	return NULL;
}

struct libos_thread *thread_not_blocking(uint64_t bit)
{
	struct libos_process *p = &proc;
	if (p->main_thread && alive_in(p->main_thread, p) && !(p->main_thread->sigmask & bit))
		return p->main_thread;
	int n = __atomic_load_n(&tt.n, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n; i++) {
		struct libos_thread *t = tt.all[i];
		if (alive_in(t, p) && !(t->sigmask & bit))
			return t;
	}
	return NULL;
}

struct libos_thread *thread_struct_get(int tid, struct libos_process *p)
{
	struct libos_thread *t = NULL;
	spin_lock(&tt.lock);
	for (int i = 0; i < tt.n && !t; i++)
		if (__atomic_load_n(&tt.all[i]->host_alive, __ATOMIC_ACQUIRE) == 0)
			t = tt.all[i];
	int fresh = !t;
	if (fresh && tt.n < MAX_THREADS)
		t = heap_zalloc(sizeof(*t));
	if (t) {
		/* Named before it is marked alive: lock-free lookups never see it in the wrong
		 * process or with another thread's tid. */
		t->tid = tid;
		t->process = p;
		t->files = NULL;
		__atomic_store_n(&t->host_alive, 1, __ATOMIC_RELEASE);
	}
	if (t && fresh) {
		tt.all[tt.n] = t;	/* published before the count: lock-free readers see it whole */
		__atomic_store_n(&tt.n, tt.n + 1, __ATOMIC_RELEASE);
	}
	spin_unlock(&tt.lock);
	return t;
}

static struct libos_thread *thread_get(void)
{
	int tid = sh_alloc_tid();	/* tids and pids are one number space, instance-wide */
	if (tid < 0)
		return NULL;
	struct libos_thread *t = thread_struct_get(tid, &proc);
	if (!t)
		sh_free_tid(tid);
	return t;
}

long thread_prepare_start(struct libos_thread *t, uint64_t stack)
{
	long r = thread_alloc_stack(t);
	if (r < 0) {
		t->host_alive = 0;
		return r == -ENOMEM ? -EAGAIN : r;
	}
	/* The child returns to the app where the parent does, with rax = 0, its own stack, and
	 * rcx/r11 as the syscall instruction leaves them. */
	struct libos_thread *self = thread_current();
	t->start_regs = *self->regs;
	t->start_regs.rax = 0;
	if (stack)
		t->start_regs.rsp = stack;
	t->start_regs.rcx = t->start_regs.rip;
	t->start_regs.r11 = t->start_regs.eflags;
	t->start_regs.fpstate = 0;
	/* On the trap path the app's FPU state is in the host frame, not in the CPU this clone
	 * copies: hand it to the child. On the fast path the CPU holds it and the clone copies it. */
	heap_free(t->start_fpu);
	t->start_fpu = NULL;
	if (self->regs->fpstate) {
		t->start_fpu = heap_alloc(fpu_frame_size() + 64);
		if (!t->start_fpu) {
			t->host_alive = 0;
			return -EAGAIN;
		}
		memcpy((void *)(((uint64_t)t->start_fpu + 63) & ~63ull), (const void *)self->regs->fpstate,
		       fpu_frame_size());
	}
	return 0;
}

static long do_clone(uint64_t flags, int exit_signal, uint64_t stack, int *ptid, int *ctid,
		     uint64_t tls)
{
	if (!(flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return proc_fork(flags, exit_signal, stack, ptid, ctid, tls);
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	uint64_t need = THREAD_FLAGS & ~(uint64_t)CLONE_FILES;
	if ((flags & need) != need || (flags & ~(uint64_t)KNOWN_FLAGS)) {
		log_warn("clone flags %#lx: only threads (CLONE_VM|FS|FILES|SIGHAND|THREAD) so far",
			 (unsigned long)flags);
		return -ENOSYS;
	}
	int live = __atomic_load_n(&proc.live_threads, __ATOMIC_RELAXED);
	if ((uint64_t)live >= proc.rlim[RLIMIT_NPROC].cur || live >= (int)cfg->max_num_of_threads)
		return -EAGAIN;
	struct libos_thread *t = thread_get();
	if (!t)
		return -EAGAIN;
	long r = thread_prepare_start(t, stack);
	if (r == 0 && (r = fd_thread_attach(t, !!(flags & CLONE_FILES))) < 0)
		t->host_alive = 0;
	if (r < 0) {
		sh_free_tid(t->tid);
		return r == -ENOMEM ? -EAGAIN : r;
	}
	struct libos_thread *self = thread_current();
	t->sigmask = self->sigmask;
	t->sigpending = 0;
	t->sigq = NULL;
	t->ss_sp = t->ss_size = 0;
	t->ss_flags = 2;	/* SS_DISABLE: a new thread has no alternate stack (CLONE_VM) */
	t->clear_child_tid = (flags & CLONE_CHILD_CLEARTID) ? (uint64_t)ctid : 0;
	t->robust_list = t->robust_len = 0;
	int tid = t->tid;
	if (flags & CLONE_PARENT_SETTID)
		copy_to_user(ptid, &tid, sizeof(tid));	/* Linux ignores a bad pointer here too */
	if (flags & CLONE_CHILD_SETTID)
		copy_to_user(ctid, &tid, sizeof(tid));
	__atomic_add_fetch(&proc.live_threads, 1, __ATOMIC_ACQ_REL);
	unsigned long hflags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			       CLONE_SYSVSEM | CLONE_CHILD_CLEARTID | (flags & CLONE_SETTLS);
	uint64_t top = ((uint64_t)t->altstack + t->altstack_size) & ~15ull;
	r = pal_spawn_thread(hflags, (void *)top, tls, &t->host_alive, thread_start, t);
	if (r > 0)
		__atomic_store_n(&t->host_tid, (int)r, __ATOMIC_RELEASE);
	if (r < 0) {
		__atomic_sub_fetch(&proc.live_threads, 1, __ATOMIC_ACQ_REL);
		fd_thread_detach(t);
		t->host_alive = 0;
		sh_free_tid(tid);
		return r == -ENOMEM ? -EAGAIN : r;
	}
	return tid;
}

long sys_clone(unsigned long flags, unsigned long stack, int *ptid, int *ctid, unsigned long tls)
{
	/* The low byte (CSIGNAL) is the exit signal; Linux ignores it for threads. */
	return do_clone(flags & ~0xfful, (int)(flags & 0xff), stack, ptid, ctid, tls);
}

struct clone_args_v2 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};

long sys_clone3(const void *uargs, size_t size)
{
	struct clone_args_v2 a;
	if (size < 64)	/* CLONE_ARGS_SIZE_VER0 */
		return -EINVAL;
	if (size > 4096)
		return -E2BIG;
	memset(&a, 0, sizeof(a));
	if (copy_from_user(&a, uargs, size < sizeof(a) ? size : sizeof(a)) < 0)
		return -EFAULT;
	for (size_t off = sizeof(a); off < size; off += 8) {	/* unknown fields must be zero */
		uint64_t w = 0;
		size_t n = size - off < 8 ? size - off : 8;
		if (copy_from_user(&w, (const char *)uargs + off, n) < 0)
			return -EFAULT;
		if (w)
			return -E2BIG;
	}
	if ((a.flags & (CLONE_THREAD | CLONE_PARENT)) && a.exit_signal)
		return -EINVAL;
	if (a.exit_signal > 64 || a.set_tid_size || (!a.stack && a.stack_size) || (a.stack && !a.stack_size))
		return -EINVAL;
	if (a.flags & (CLONE_DETACHED | 0xff))
		return -EINVAL;
	return do_clone(a.flags, (int)a.exit_signal, a.stack ? a.stack + a.stack_size : 0, (int *)a.parent_tid,
			(int *)a.child_tid, a.tls);
}

__attribute__((noreturn)) void thread_exit(int status)
{
	struct libos_thread *t = thread_current();
	if (t == proc.main_thread)
		__atomic_store_n(&t->host_alive, 0, __ATOMIC_RELEASE);
	if (__atomic_sub_fetch(&proc.live_threads, 1, __ATOMIC_ACQ_REL) == 0) {
		proc_exit((status & 0xff) << 8);	/* the last thread: the process ends */
	}
	if (t->clear_child_tid) {	/* what pthread_join waits for */
		int zero = 0;
		if (copy_to_user((void *)t->clear_child_tid, &zero, sizeof(zero)) == 0)
			PAL_CALL6(__NR_futex, t->clear_child_tid, 1 /* FUTEX_WAKE */, 1, 0, 0, 0);
	}
	if (t->tid != proc.pid)
		sh_free_tid(t->tid);
	fd_thread_detach(t);	/* its own descriptor table, if it has one */
	pal_exit_thread(0);	/* the host clears host_alive when the thread is really gone */
}

struct spinlock *threads_lock(void)
{
	return &tt.lock;
}

void threads_after_fork(struct libos_thread *self)
{
	for (int i = 0; i < tt.n; i++)
		if (tt.all[i] != self) {
			tt.all[i]->host_alive = 0;	/* their host threads stayed in the parent */
			fd_thread_detach(tt.all[i]);
		}
	if (proc.main_thread != self) {
		proc.main_thread->host_alive = 0;
		fd_thread_detach(proc.main_thread);
	}
	fd_tables_after_fork(self);
	proc.main_thread = self;
	self->host_alive = 1;
	proc.live_threads = 1;
}
