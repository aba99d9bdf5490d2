/* libos/signal/signal.c — signal state and delivery, after Linux's kernel/signal.c: per-process
 * actions, per-thread masks, pending sets per thread and for the process (standard signals
 * coalesce, real-time ones queue), synchronous signals first, default actions. Frames are built by
 * frame.c. Pid 1 is the instance's init: a signal whose action is the default does nothing to it
 * unless the kernel forces it (a fault). Stop signals have no job control yet and are ignored. */
#include "signal.h"
#include "frame.h"
#include "remote.h"
#include "../process/ptree.h"
#include "../errno.h"
#include "../log.h"
#include "../process/process.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include "../../lib/spinlock.h"

struct sig_state sigs0;

#define SYNCHRONOUS (SIGBIT(4) | SIGBIT(5) | SIGBIT(7) | SIGBIT(8) | SIGBIT(11) | SIGBIT(31))
#define IGNORED_BY_DEFAULT (SIGBIT(17) | SIGBIT(18) | SIGBIT(23) | SIGBIT(28))
#define STOPPING (SIGBIT(19) | SIGBIT(20) | SIGBIT(21) | SIGBIT(22))

/* Queues info for sig in (set, infos, q); lock held. */
static long enqueue(uint64_t *set, struct ksiginfo *infos, struct sigq **q, int sig,
		    const struct ksiginfo *info)
{
	if (!(*set & SIGBIT(sig))) {
		*set |= SIGBIT(sig);
		infos[sig] = *info;
		return 0;
	}
	if (sig < 32)
		return 0;	/* a standard signal already pending: they coalesce */
	struct sigq *e = heap_alloc(sizeof(*e));
	if (!e)
		return -EAGAIN;
	e->info = *info;
	e->next = NULL;
	while (*q)
		q = &(*q)->next;
	*q = e;
	return 0;
}

/* Takes sig's oldest instance out of (set, infos, q) into *out; lock held. */
static void dequeue(uint64_t *set, struct ksiginfo *infos, struct sigq **q, int sig,
		    struct ksiginfo *out)
{
	*out = infos[sig];
	for (struct sigq **p = q; *p; p = &(*p)->next) {
		if ((*p)->info.signo == sig) {	/* the next instance moves up */
			struct sigq *e = *p;
			infos[sig] = e->info;
			*p = e->next;
			heap_free(e);
			return;
		}
	}
	*set &= ~SIGBIT(sig);
}

static int pick(uint64_t ready)
{
	uint64_t sync = ready & SYNCHRONOUS;
	return __builtin_ctzll(sync ? sync : ready) + 1;
}

/* Whether a default action would do anything to this process for sig. */
static int default_ignores(int sig)
{
	return (SIGBIT(sig) & (IGNORED_BY_DEFAULT | STOPPING)) != 0;
}

/* Wakes the threads waiting in sig_wait. */
static void wake_waiters(void)
{
	__atomic_add_fetch(&sigs.wake_seq, 1, __ATOMIC_RELEASE);
	PAL_CALL6(__NR_futex, &sigs.wake_seq, 1 /* FUTEX_WAKE */, 0x7fffffff, 0, 0, 0);
}

/* Sends the host kick to a thread running app code, so it takes its signals now. */
static void kick(struct libos_thread *t)
{
	int htid = __atomic_load_n(&t->host_tid, __ATOMIC_ACQUIRE);
	if (t != thread_current() && htid > 0)
		pal_kick_thread(htid);
}

long sig_send(int tid, int sig, const struct ksiginfo *info)
{
	long r = 0;
	struct libos_thread *target = NULL;
	spin_lock(&sigs.lock);
	struct k_sigaction *a = &sigs.actions[sig];
	/* Linux drops at send time what would be ignored anyway (unless blocked: it may change). */
	int ignored = a->handler == SIG_IGN_ || (a->handler == SIG_DFL_ && default_ignores(sig));
	if (tid) {
		target = thread_by_tid(tid);
		if (!target) {
			spin_unlock(&sigs.lock);
			return -ESRCH;
		}
		if (!ignored || (target->sigmask & SIGBIT(sig)))
			r = enqueue(&target->sigpending, target->siginfo, &target->sigq, sig, info);
	} else if (!ignored || (thread_current()->sigmask & SIGBIT(sig))) {
		r = enqueue(&sigs.pending, sigs.info, &sigs.q, sig, info);
		/* A thread that does not block it should take it: the caller if it can. */
		target = thread_current();
		if (target->sigmask & SIGBIT(sig))
			target = thread_not_blocking(SIGBIT(sig));
	}
	spin_unlock(&sigs.lock);
	if (r == 0 && target && !(target->sigmask & SIGBIT(sig)))
		kick(target);
	if (r == 0)
		wake_waiters();
	return r;
}

/* Queues the host timer signals that arrived (lock held). */
static void fold_async(void)
{
	uint64_t bits = __atomic_exchange_n(&sigs.async, 0, __ATOMIC_ACQ_REL);
	while (bits) {
		int sig = __builtin_ctzll(bits) + 1;
		bits &= bits - 1;
		struct k_sigaction *a = &sigs.actions[sig];
		if (a->handler == SIG_IGN_ || (a->handler == SIG_DFL_ && default_ignores(sig)))
			continue;
		struct ksiginfo info = { .signo = sig, .code = SI_KERNEL_ };
		enqueue(&sigs.pending, sigs.info, &sigs.q, sig, &info);
	}
}

void sig_on_async(int sig, struct pal_regs *regs, int in_app)
{
	__atomic_or_fetch(&sigs.async, SIGBIT(sig), __ATOMIC_RELEASE);
	wake_waiters();
	if (in_app)	/* app code holds no LibOS lock: deliver right here */
		sig_deliver(regs, 0);
}

void sig_wait(void)
{
	struct libos_thread *t = thread_current();
	for (;;) {
		uint32_t seq = __atomic_load_n(&sigs.wake_seq, __ATOMIC_ACQUIRE);
		sig_take_incoming();
		uint64_t ready = (t->sigpending | __atomic_load_n(&sigs.pending, __ATOMIC_RELAXED) |
				  __atomic_load_n(&sigs.async, __ATOMIC_RELAXED)) & ~t->sigmask;
		if (ready)
			return;
		PAL_CALL6(__NR_futex, &sigs.wake_seq, 0 /* FUTEX_WAIT */, seq, 0, 0, 0);
	}
}

long sig_take(uint64_t set, struct ksiginfo *info, const int64_t *timeout)
{
	struct libos_thread *t = thread_current();
	int64_t deadline = 0, now[2];
	if (timeout) {
		pal_clock_gettime(1 /* CLOCK_MONOTONIC */, now);
		deadline = now[0] * 1000000000ll + now[1] + timeout[0] * 1000000000ll + timeout[1];
	}
	for (;;) {
		uint32_t seq = __atomic_load_n(&sigs.wake_seq, __ATOMIC_ACQUIRE);
		sig_take_incoming();
		spin_lock(&sigs.lock);
		if (__atomic_load_n(&sigs.async, __ATOMIC_RELAXED))
			fold_async();
		uint64_t mine = t->sigpending & set, shared = sigs.pending & set;
		if (mine || shared) {
			int sig = pick(mine ? mine : shared);
			if (mine)
				dequeue(&t->sigpending, t->siginfo, &t->sigq, sig, info);
			else
				dequeue(&sigs.pending, sigs.info, &sigs.q, sig, info);
			spin_unlock(&sigs.lock);
			return sig;
		}
		spin_unlock(&sigs.lock);
		if (sig_deliverable())
			return -EINTR;	/* another signal is delivered on the way out */
		int64_t rel[2], *tp = NULL;
		if (timeout) {
			pal_clock_gettime(1, now);
			int64_t left = deadline - (now[0] * 1000000000ll + now[1]);
			if (left <= 0)
				return -EAGAIN;
			rel[0] = left / 1000000000ll;
			rel[1] = left % 1000000000ll;
			tp = rel;
		}
		PAL_CALL6(__NR_futex, &sigs.wake_seq, 0 /* FUTEX_WAIT */, seq, tp, 0, 0);
	}
}

void sig_raise_sync(int sig)
{
	struct ksiginfo info = { .signo = sig, .code = SI_KERNEL_ };
	sig_send(thread_current()->tid, sig, &info);
}

/* The next signal the current thread must act on, dequeued into *info; 0 if none. */
static int next_signal(struct libos_thread *t, struct ksiginfo *info)
{
	uint64_t mine = t->sigpending & ~t->sigmask, shared = sigs.pending & ~t->sigmask;
	if (!mine && !shared)
		return 0;
	int sig;
	if (mine && (!(shared & SYNCHRONOUS) || (mine & SYNCHRONOUS))) {
		sig = pick(mine);
		dequeue(&t->sigpending, t->siginfo, &t->sigq, sig, info);
	} else {
		sig = pick(shared);
		dequeue(&sigs.pending, sigs.info, &sigs.q, sig, info);
	}
	return sig;
}

/* An interrupted syscall runs again: back to its syscall instruction with its number in rax (on
 * the fast path that instruction is the original one, still in place, so it comes back trapped). */
static void restart_syscall(struct pal_regs *regs, struct libos_thread *t)
{
	regs->rip -= 2;
	regs->rax = (uint64_t)t->cur_nr;
}

int sig_deliverable(void)
{
	struct libos_thread *t = thread_current();
	/* What other processes queued, and host children's ends, count until taken in. */
	return ((t->sigpending | __atomic_load_n(&sigs.pending, __ATOMIC_RELAXED) |
		 __atomic_load_n(&sigs.async, __ATOMIC_RELAXED)) & ~t->sigmask) != 0 || remote_pending() ||
	       ptree_host_exits_pending();
}

void sig_take_incoming(void)
{
	ptree_collect_host_exits();	/* may queue SIGCHLD for this very process */
	sig_fold_remote();
}

long sig_block_begin(void)
{
	__atomic_store_n(&thread_current()->kicked, 0, __ATOMIC_SEQ_CST);
	return sig_deliverable() ? -ERESTARTSYS : 0;
}

/* rt_sigsuspend's temporary mask ends when no handler took over the mask to return to. */
static void end_suspend_mask(struct libos_thread *t)
{
	if (t->restore_mask) {
		t->sigmask = t->saved_mask;
		t->restore_mask = 0;
	}
}

void sig_deliver(struct pal_regs *regs, int syscall_exit)
{
	struct libos_thread *t = thread_current();
	long res = (long)regs->rax;
	int interrupted = syscall_exit && (res == -ERESTARTSYS || res == -ERESTARTNOHAND);
	/* Cheap test first: this runs after every syscall. */
	if (!sig_deliverable()) {
		end_suspend_mask(t);
		if (interrupted)	/* nothing for this thread after all (another took it) */
			restart_syscall(regs, t);
		return;
	}
	sig_take_incoming();
	for (;;) {
		struct ksiginfo info;
		spin_lock(&sigs.lock);
		if (__atomic_load_n(&sigs.async, __ATOMIC_RELAXED))
			fold_async();
		int sig = next_signal(t, &info);
		if (!sig) {
			end_suspend_mask(t);
			spin_unlock(&sigs.lock);
			if (interrupted)	/* no handler ran: Linux restarts */
				restart_syscall(regs, t);
			return;
		}
		struct k_sigaction act = sigs.actions[sig];
		if (act.handler == SIG_IGN_ || (act.handler == SIG_DFL_ && (default_ignores(sig) || proc.pid == 1))) {
			if (act.handler == SIG_DFL_ && (SIGBIT(sig) & STOPPING))
				log_info("signal %d would stop the process: no job control yet, ignored", sig);
			spin_unlock(&sigs.lock);
			continue;
		}
		if (act.handler == SIG_DFL_) {
			spin_unlock(&sigs.lock);
			log_info("signal %d: default action, the process ends", sig);
			proc_exit_by_signal(sig);
		}
		/* The frame keeps the mask to return to: rt_sigsuspend's caller's, not its own. */
		uint64_t oldmask = t->restore_mask ? t->saved_mask : t->sigmask;
		t->restore_mask = 0;
		t->sigmask |= act.mask | ((act.flags & SA_NODEFER_) ? 0 : SIGBIT(sig));
		t->sigmask &= ~(SIGBIT(9) | SIGBIT(19));
		if (act.flags & SA_RESETHAND_)
			sigs.actions[sig].handler = SIG_DFL_;
		spin_unlock(&sigs.lock);
		if (interrupted) {	/* the frame holds the syscall's outcome */
			if (res == -ERESTARTSYS && (act.flags & SA_RESTART_))
				restart_syscall(regs, t);
			else
				regs->rax = (uint64_t)-EINTR;
			interrupted = 0;
		}
		if (frame_setup(regs, sig, &info, &act, oldmask) < 0) {
			/* No room for the frame: Linux forces SIGSEGV (and kills if that fails too). */
			spin_lock(&sigs.lock);
			t->sigmask = oldmask;
			spin_unlock(&sigs.lock);
			if (sig == 11)
				proc_exit_by_signal(11);
			sig_fault(regs, 11, SI_KERNEL_, 0);
			return;	/* (sig_fault delivers or kills) */
		}
	}
}

void sig_fault(struct pal_regs *regs, int sig, int code, uint64_t addr)
{
	struct libos_thread *t = thread_current();
	struct ksiginfo info = { .signo = sig, .code = code };
	info.fault.addr = addr;
	spin_lock(&sigs.lock);
	struct k_sigaction *a = &sigs.actions[sig];
	int blocked = (t->sigmask & SIGBIT(sig)) != 0;
	if (a->handler == SIG_IGN_ || a->handler == SIG_DFL_ || blocked) {
		spin_unlock(&sigs.lock);
		log_info("app fault: signal %d code %d at %#lx, address %#lx%s", sig, code,
			 (unsigned long)regs->rip, (unsigned long)addr,
			 blocked ? " (blocked)" : a->handler == SIG_IGN_ ? " (ignored)" : "");
		proc_exit_by_signal(sig);	/* force_sig_fault: the fault cannot be skipped */
	}
	/* Queue it first among the thread's signals, marked as forced, and deliver now. */
	info.code = code;
	enqueue(&t->sigpending, t->siginfo, &t->sigq, sig, &info);
	spin_unlock(&sigs.lock);
	sig_deliver(regs, 0);
}

void sig_on_kick(struct pal_regs *regs)
{
	sig_deliver(regs, 0);
}

long sig_init(void)
{
	if (fpu_init() < 0)
		return -ENOSYS;
	return 0;
}

uint64_t sig_ignored_candidates(void)
{
	uint64_t set = 0;
	for (int s = 1; s <= SIG_NUM; s++) {
		const struct k_sigaction *a = &sigs.actions[s];
		/* init (pid 1) takes no signal whose action is the default */
		if (a->handler == SIG_IGN_ || (a->handler == SIG_DFL_ && (default_ignores(s) || proc.pid == 1)))
			set |= SIGBIT(s);
	}
	return set;
}

uint64_t sig_ignored_set(void)
{
	uint64_t set = sig_ignored_candidates();
	/* Blocked signals are never ignored (Linux's sig_ignored): the action may change before
	 * they are unblocked, and sigwait takes them. The main thread's mask stands for the
	 * process, as the group leader's does in Linux's check. */
	struct libos_thread *m = proc.main_thread;
	return m ? set & ~m->sigmask : set;
}

struct sig_state *sig_state_copy(void)
{
	struct sig_state *s = heap_zalloc(sizeof(*s));
	if (!s)
		return NULL;
	spin_lock(&sigs.lock);
	memcpy(s->actions, sigs.actions, sizeof(s->actions));
	spin_unlock(&sigs.lock);
	return s;
}

void sig_state_free(struct sig_state *s)
{
	while (s->q) {
		struct sigq *e = s->q;
		s->q = e->next;
		heap_free(e);
	}
	heap_free(s);
}
