/* libos/signal/frame.h — what the files of signal/ share: the process's signal state (one lock),
 * the sigaction layout, and the rt_sigframe builder (frame.c). */
#ifndef LIBOS_SIGNAL_FRAME_H
#define LIBOS_SIGNAL_FRAME_H

#include "signal.h"
#include "fpu.h"
#include "../../lib/spinlock.h"

#define SIG_DFL_ 0ull
#define SIG_IGN_ 1ull
#define SA_NOCLDWAIT_ 0x2ull
#define SA_SIGINFO_ 0x4ull
#define SA_ONSTACK_ 0x08000000ull
#define SA_RESTORER_ 0x04000000ull
#define SA_RESTART_ 0x10000000ull
#define SA_NODEFER_ 0x40000000ull
#define SA_RESETHAND_ 0x80000000ull
#define SS_ONSTACK_ 1
#define SS_DISABLE_ 2
#define SS_AUTODISARM_ (1u << 31)

/* The kernel's struct sigaction for rt_sigaction on x86-64. */
struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

struct sig_state {
	struct spinlock lock;
	struct k_sigaction actions[SIG_NUM + 1];
	uint64_t pending;			/* sent to the process */
	struct ksiginfo info[SIG_NUM + 1];
	struct sigq *q;
	uint64_t async;				/* host timer signals not yet queued (atomic) */
	uint32_t wake_seq;			/* bumped and futex-woken when a signal is sent */
};
extern struct sig_state sigs0;	/* the first process's; reached as `sigs` (process.h) */

/* Builds the frame for sig on the app's stack (or alternate stack) and points regs at the
 * handler; oldmask goes into the frame. 0, or -EFAULT if the frame cannot be written. */
long frame_setup(struct pal_regs *regs, int sig, const struct ksiginfo *info,
		 const struct k_sigaction *act, uint64_t oldmask);

#endif
