/* pal/signals.c — host signal handlers turned into LibOS events. SIGSYS is a trapped app syscall;
 * SIGSEGV/SIGBUS/SIGFPE/SIGILL/SIGTRAP are hardware exceptions. All run on the alternate stack,
 * with the kernel's frame layout: the LibOS edits the saved registers in place. */
#include "pal.h"

#define SIGILL  4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS  7
#define SIGFPE  8
#define SIGSEGV 11
#define SIGSYS  31

#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO  0x00000004
#define SA_ONSTACK  0x08000000
#define SA_RESTORER 0x04000000
#define SA_NODEFER  0x40000000
#define SA_RESTART  0x10000000

struct host_sigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

/* The parts of siginfo_t the PAL reads (x86-64 layout). */
struct host_siginfo {
	int signo, errno_, code, pad;
	union {
		struct { uint64_t call_addr; int syscall; unsigned arch; } sys;
		struct { uint64_t addr; } fault;
		struct { int pid; unsigned uid; int status; } chld;
	};
};

/* struct ucontext: flags, link, stack_t (24 bytes), then the mcontext. */
struct host_ucontext {
	uint64_t flags;
	uint64_t link;
	uint64_t ss_sp;
	uint64_t ss_flags;
	uint64_t ss_size;
	struct pal_regs mcontext;
	uint64_t sigmask;
};

void pal_signal_restorer(void);

static struct pal_event_handlers events;

static void on_sigsys(int sig, struct host_siginfo *si, struct host_ucontext *uc)
{
	(void)sig;
	events.syscall(&uc->mcontext, si->sys.syscall);
}

static void on_exception(int sig, struct host_siginfo *si, struct host_ucontext *uc)
{
	struct pal_fault f = { .signo = sig, .code = si->code, .addr = si->fault.addr };
	events.exception(&uc->mcontext, &f);
}

extern char pal_window_start[], pal_window_syscall[], pal_window_eintr[];

/* A kick or a timer signal: a blocking host call about to start returns -EINTR instead (the
 * restart window); one already sleeping returns -EINTR from the host (no SA_RESTART). */
static void mark_kicked(struct host_ucontext *uc)
{
	__asm__ volatile("movl $1, %%gs:32" ::: "memory");	/* struct libos_thread.kicked */
	uint64_t ip = uc->mcontext.rip;
	if (ip >= (uint64_t)pal_window_start && ip <= (uint64_t)pal_window_syscall)
		uc->mcontext.rip = (uint64_t)pal_window_eintr;
}

static void on_kick(int sig, struct host_siginfo *si, struct host_ucontext *uc)
{
	(void)sig, (void)si;
	mark_kicked(uc);
	events.interrupt(&uc->mcontext);
}

static void on_async(int sig, struct host_siginfo *si, struct host_ucontext *uc)
{
	(void)si;
	mark_kicked(uc);
	events.async_signal(sig, &uc->mcontext);
}

/* A host child ended (SA_NOCLDWAIT: the host has reaped it already). */
static void on_child(int sig, struct host_siginfo *si, struct host_ucontext *uc)
{
	(void)sig;
	mark_kicked(uc);
	events.child_exit(si->chld.pid, si->code, si->chld.status, &uc->mcontext);
}

void pal_reap_host_children(void)
{
	for (;;) {
		union { struct host_siginfo si; uint64_t whole[16]; } u = { 0 };	/* siginfo_t: 128 bytes */
		if (PAL_CALL5(__NR_waitid, 0 /* P_ALL */, 0, &u, 4 | 1 /* WEXITED | WNOHANG */, 0) < 0 ||
		    !u.si.chld.pid)
			return;
		events.child_exit(u.si.chld.pid, u.si.code, u.si.chld.status, 0);
	}
}

static long set_handler(int sig, void *fn, unsigned long flags)
{
	struct host_sigaction sa = {
		.handler = fn,
		.flags = SA_SIGINFO | SA_ONSTACK | SA_RESTORER | flags,
		.restorer = (void *)pal_signal_restorer,
		.mask = 0,
	};
	return PAL_CALL4(__NR_rt_sigaction, sig, &sa, 0, 8);
}

long pal_init_events(const struct pal_event_handlers *h)
{
	static const int exc[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };
	events = *h;
	long r = set_handler(SIGSYS, (void *)on_sigsys, 0);
	/* NODEFER: a fault inside the LibOS while it serves another fault (a user copy from a
	 * signal handler) must reach the handler again instead of killing the process. */
	for (unsigned i = 0; r == 0 && i < sizeof(exc) / sizeof(exc[0]); i++)
		r = set_handler(exc[i], (void *)on_exception, SA_NODEFER);
	/* No SA_RESTART: a kick ends a blocking host call with -EINTR, and the LibOS delivers
	 * and then restarts or fails the app's syscall (libos/signal). */
	if (r == 0)
		r = set_handler(PAL_KICK_SIGNAL, (void *)on_kick, 0);
	/* The app's interval timers are the host's (setitimer, alarm): their signals become app
	 * signals, and interrupt blocking calls as kicks do. */
	static const int timers[] = { 14 /* SIGALRM */, 26 /* SIGVTALRM */, 27 /* SIGPROF */ };
	for (unsigned i = 0; r == 0 && i < sizeof(timers) / sizeof(timers[0]); i++)
		r = set_handler(timers[i], (void *)on_async, 0);
	/* Host children are reaped by the host at once; their end still comes as a signal, so a
	 * child that died without recording it (killed from the host) is noticed. */
	if (r == 0)
		r = set_handler(17 /* SIGCHLD */, (void *)on_child, SA_NOCLDWAIT);
	return r;
}

long pal_kick_thread(int host_tid)
{
	return PAL_CALL3(__NR_tgkill, pal_getpid(), host_tid, PAL_KICK_SIGNAL);
}

long pal_ignore_signal(int sig)
{
	struct host_sigaction ign = { .handler = (void *)1 /* SIG_IGN */, .flags = SA_RESTORER,
				      .restorer = (void *)pal_signal_restorer };
	return PAL_CALL4(__NR_rt_sigaction, sig, &ign, 0, 8);
}

__attribute__((noreturn)) void pal_die_by_signal(int sig)
{
	struct host_sigaction dfl = { 0 };
	uint64_t set = 1ull << (sig - 1);
	PAL_CALL4(__NR_rt_sigaction, sig, &dfl, 0, 8);
	PAL_CALL4(__NR_rt_sigprocmask, 1 /* SIG_UNBLOCK */, &set, 0, 8);
	PAL_CALL3(__NR_tgkill, pal_getpid(), pal_gettid(), sig);
	/* A signal whose default action does not kill (cannot happen for the ones we use). */
	PAL_CALL1(__NR_exit_group, 128 + sig);
	for (;;)
		;
}
