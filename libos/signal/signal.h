/* libos/signal/signal.h — signals: actions (per process), masks and pending signals (per thread,
 * plus the process's shared queue), and delivery to app handlers through Linux's rt_sigframe.
 * Delivery happens on the way out of every syscall (both entry paths), on app faults, and when
 * another thread's kick interrupts app code. One spinlock guards all signal state. */
#ifndef LIBOS_SIGNAL_H
#define LIBOS_SIGNAL_H

#include <stdint.h>
#include "../../pal/pal.h"

#define SIG_NUM 64
#define SIGBIT(s) (1ull << ((s) - 1))

/* The kernel's siginfo_t: 128 bytes. */
struct ksiginfo {
	int32_t signo, errno_, code, pad;
	union {
		struct { int32_t pid; uint32_t uid; } kill;
		struct { uint64_t addr; } fault;
		struct { int32_t pid; uint32_t uid; int32_t status, pad; int64_t utime, stime; } chld;
		uint8_t raw[112];
	};
};
_Static_assert(sizeof(struct ksiginfo) == 128, "siginfo_t is 128 bytes");

#define SI_USER_ 0
#define SI_TKILL_ (-6)
#define SI_KERNEL_ 0x80

/* Makes sig pending for thread t (tid > 0) or for the process (tid 0), with info, and kicks a
 * thread that can take it. Returns 0, or -EAGAIN when a real-time queue is full. */
long sig_send(int tid, int sig, const struct ksiginfo *info);
/* A signal the current thread causes itself (SIGPIPE on a broken pipe). */
void sig_raise_sync(int sig);
/* Delivers what is pending and unblocked for the current thread by rewriting regs to enter the
 * handlers (frames nest as under Linux); default actions act here (terminate, ignore). regs is
 * the trap path's host frame (regs->fpstate set) or the fast path's save area (fpstate 0: the
 * app's FPU state is still live in the CPU). */
void sig_deliver(struct pal_regs *regs, int syscall_exit);
/* Around a host call that may sleep (pal_block_*): begin clears the thread's kicked flag and says
 * -ERESTARTSYS if a signal is already waiting (then do not call); end turns the host's -EINTR
 * (a kick) into -ERESTARTSYS. The app's syscall then restarts or fails at delivery. */
long sig_block_begin(void);
static inline long sig_block_end(long r) { return r == -4 /* EINTR */ ? -512 : r; }
/* Takes in what came from outside the process: host children's ends, signals other processes
 * queued (they become pending signals of this process). */
void sig_take_incoming(void);
/* Whether the calling thread has a signal it does not block. */
int sig_deliverable(void);
/* An app fault that the VM manager did not resolve: delivered to the app's handler at once, or
 * the process dies by it (blocked or ignored faults kill, as Linux's force_sig_fault). */
void sig_fault(struct pal_regs *regs, int sig, int code, uint64_t addr);
/* A kick arrived while the thread ran app code at regs. */
void sig_on_kick(struct pal_regs *regs);
/* A host timer signal for the app (from a host handler: async-signal-safe). */
void sig_on_async(int sig, struct pal_regs *regs, int in_app);
/* Blocks until a signal the thread does not block is pending (pause, rt_sigsuspend). */
void sig_wait(void);
/* rt_sigtimedwait: dequeues a pending signal of `set` (the thread's, then the process's), waiting
 * up to timeout {sec, nsec} (NULL: for ever). The signal, -EAGAIN at the timeout, or -EINTR when
 * a signal outside the set is to be delivered. */
long sig_take(uint64_t set, struct ksiginfo *info, const int64_t *timeout);
/* The signals the calling process would ignore, given its actions and its main thread's mask. */
uint64_t sig_ignored_set(void);
/* The signals whose action ignores them, blocked or not. */
uint64_t sig_ignored_candidates(void);
/* A vfork child's signal state: the caller's actions, nothing pending; and its release. */
struct sig_state;
struct sig_state *sig_state_copy(void);
void sig_state_free(struct sig_state *s);
/* Sets up what signals need at start (FPU frame layout, the kick handler). */
long sig_init(void);

#endif
