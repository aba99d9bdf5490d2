/* tests/programs/signals.c — signal delivery to app handlers as Linux does it: synchronous
 * delivery of raise/kill, siginfo, the handler's mask, SA_RESETHAND, blocked signals pending and
 * delivered on unblock, standard signals coalescing and real-time ones queueing, faults with
 * si_addr/si_code and a handler that edits the saved registers to skip the faulting instruction,
 * the FPU state (saved, restored, and clean in the handler), sigaltstack with SA_ONSTACK, a signal
 * to a thread spinning in app code, and rt_sigreturn through a patchable site (the fast path)
 * restoring every register including rcx and r11. */
#include "check.h"
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>

static volatile int hits, last_sig, last_code, last_pid;
static volatile uint64_t last_mask;
static volatile void *last_addr;

static uint64_t mask_now(void)
{
	uint64_t m = 0;
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
	return m;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_sig = sig;
	last_code = si->si_code;
	last_pid = si->si_pid;
	last_addr = si->si_addr;
	last_mask = mask_now();
}

static void set(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	if (sigaction(sig, &sa, NULL))
		fail("sigaction(%d): %s", sig, errname(errno));
}

static void block(int sig, int how)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(how, &s, NULL);
}

/* ---- faults: skip the faulting instruction by editing the saved rip ---- */
static void on_segv_skip(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	on_info(sig, si, ucv);
	uc->uc_mcontext.gregs[REG_RIP] += 2;	/* mov (%rax),%eax is 8b 00 */
	uc->uc_mcontext.gregs[REG_RAX] = 42;
}

/* ---- FPU: the handler scribbles on xmm8 and MXCSR and records what it started with ---- */
static volatile uint32_t handler_mxcsr;
static void on_fpu(int sig, siginfo_t *si, void *uc)
{
	uint32_t m;
	__asm__ volatile("stmxcsr %0" : "=m"(m));
	handler_mxcsr = m;
	uint32_t rn = 0x1f80;
	uint64_t junk = 0x5555555555555555ull;
	__asm__ volatile("ldmxcsr %0\n\tmovq %1, %%xmm8" : : "m"(rn), "r"(junk) : "xmm8");
	on_info(sig, si, uc);
}

/* tgkill to the calling thread from an inline syscall, with xmm8 and MXCSR set around it; nr
 * from memory keeps the site unprovable (the trap path), a constant makes it patchable. */
static int fpu_survives(int patchable)
{
	static volatile long nr = SYS_tgkill;
	uint64_t pattern = 0x0123456789abcdefull, back;
	uint32_t rz = 0x7f80, mx;	/* round toward zero */
	long pid = getpid(), tid = syscall(SYS_gettid), r;
	uint32_t old;
	__asm__ volatile("stmxcsr %0" : "=m"(old));
	if (patchable)
		__asm__ volatile("ldmxcsr %[rz]\n\tmovq %[p], %%xmm8\n\tmov $234, %%eax\n\tsyscall\n\t"
				 "movq %%xmm8, %[b]\n\tstmxcsr %[mx]"
				 : "=a"(r), [b] "=r"(back), [mx] "=m"(mx)
				 : [rz] "m"(rz), [p] "r"(pattern), "D"(pid), "S"(tid), "d"((long)SIGUSR1)
				 : "rcx", "r11", "xmm8", "memory");
	else
		__asm__ volatile("ldmxcsr %[rz]\n\tmovq %[p], %%xmm8\n\tmov %[nr], %%eax\n\tsyscall\n\t"
				 "movq %%xmm8, %[b]\n\tstmxcsr %[mx]"
				 : "=a"(r), [b] "=r"(back), [mx] "=m"(mx)
				 : [rz] "m"(rz), [p] "r"(pattern), [nr] "m"(nr), "D"(pid), "S"(tid),
				   "d"((long)SIGUSR1)
				 : "rcx", "r11", "xmm8", "memory");
	__asm__ volatile("ldmxcsr %0" : : "m"(old));
	return r == 0 && back == pattern && mx == rz && handler_mxcsr == 0x1f80;
}

/* ---- sigaltstack ---- */
static char alt[65536] __attribute__((aligned(16)));
static volatile int on_alt, alt_flags;
static void on_altstack(int sig, siginfo_t *si, void *ucv)
{
	char here;
	ucontext_t *uc = ucv;
	on_alt = &here >= alt && &here < alt + sizeof(alt);
	alt_flags = uc->uc_stack.ss_flags;
	on_info(sig, si, ucv);
}

/* ---- a thread spinning in app code ---- */
static volatile int spin_stop, spin_tid_seen;
static volatile long spin_tid;
static void on_spin(int sig, siginfo_t *si, void *uc)
{
	spin_tid_seen = (int)syscall(SYS_gettid);
	spin_stop = 1;
	on_info(sig, si, uc);
}
static void *spinner(void *arg)
{
	(void)arg;
	spin_tid = syscall(SYS_gettid);
	while (!spin_stop)	/* no syscalls: only a kick can interrupt this */
		;
	return NULL;
}

/* ---- rt_sigreturn through a patchable site, with rcx and r11 live across the signal ---- */
__asm__(".text\n.globl my_restorer\n.type my_restorer,@function\nmy_restorer:\n.cfi_startproc\n"
	"mov $15, %eax\nsyscall\nud2\n.cfi_endproc\n.size my_restorer, .-my_restorer\n");
void my_restorer(void);
struct kact { void *handler; unsigned long flags; void *restorer; uint64_t mask; };

static void on_segv_plain(int sig, siginfo_t *si, void *ucv)
{
	on_segv_skip(sig, si, ucv);
}

int main(void)
{
	/* raise: delivered before it returns, with SI_TKILL and our pid; the handler's mask holds
	 * the signal; after it the mask is back. */
	set(SIGUSR1, on_info, 0);
	uint64_t before = mask_now();
	raise(SIGUSR1);
	if (hits != 1 || last_sig != SIGUSR1 || last_code != SI_TKILL || last_pid != getpid())
		fail("raise: hits %d sig %d code %d pid %d", hits, last_sig, last_code, last_pid);
	if (!(last_mask & (1ull << (SIGUSR1 - 1))) || mask_now() != before)
		fail("mask in the handler %#lx, after %#lx (before %#lx)", (unsigned long)last_mask,
		     (unsigned long)mask_now(), (unsigned long)before);
	ok("raise runs the handler at once, with siginfo, the signal blocked inside it");

	/* kill to the process: SI_USER. SA_RESETHAND: the action is back to SIG_DFL after. */
	set(SIGUSR2, on_info, SA_RESETHAND);
	hits = 0;
	kill(getpid(), SIGUSR2);
	struct sigaction now;
	sigaction(SIGUSR2, NULL, &now);
	if (hits != 1 || last_code != SI_USER || now.sa_handler != SIG_DFL)
		fail("kill with SA_RESETHAND: hits %d code %d handler %p", hits, last_code,
		     (void *)now.sa_handler);
	ok("kill gives SI_USER; SA_RESETHAND resets the action to SIG_DFL");

	/* Blocked: pending (sigpending), delivered once on unblock; standard signals coalesce,
	 * real-time ones queue. */
	set(SIGUSR1, on_info, 0);
	set(SIGRTMIN + 1, on_info, 0);
	block(SIGUSR1, SIG_BLOCK);
	block(SIGRTMIN + 1, SIG_BLOCK);
	hits = 0;
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGRTMIN + 1);
	kill(getpid(), SIGRTMIN + 1);
	kill(getpid(), SIGRTMIN + 1);
	sigset_t pend;
	sigpending(&pend);
	if (hits || !sigismember(&pend, SIGUSR1) || !sigismember(&pend, SIGRTMIN + 1))
		fail("blocked signals: hits %d, pending usr1 %d rt %d", hits, sigismember(&pend, SIGUSR1),
		     sigismember(&pend, SIGRTMIN + 1));
	block(SIGUSR1, SIG_UNBLOCK);
	if (hits != 1)
		fail("two blocked SIGUSR1: %d deliveries", hits);
	block(SIGRTMIN + 1, SIG_UNBLOCK);
	if (hits != 4)
		fail("three blocked real-time signals: %d deliveries", hits - 1);
	ok("blocked signals wait in sigpending; SIGUSR1 twice runs once, a real-time signal thrice runs thrice");

	/* Faults: si_addr and si_code; the handler skips the instruction and sets rax. */
	set(SIGSEGV, on_segv_skip, 0);
	hits = 0;
	int v;
	__asm__ volatile("mov (%%rax), %%eax" : "=a"(v) : "a"(0x10000000ul) : "memory");
	if (hits != 1 || v != 42 || last_code != SEGV_MAPERR || last_addr != (void *)0x10000000ul)
		fail("SIGSEGV on an unmapped address: hits %d rax %d code %d addr %p", hits, v, last_code,
		     (void *)last_addr);
	int *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	__asm__ volatile("mov %%eax, (%%rdx)\n\t.byte 0x90" : "=a"(v) : "d"(ro), "a"(7) : "memory");
	/* mov %eax,(%rdx) is 89 02: two bytes, skipped; the handler set eax to 42 */
	if (hits != 2 || v != 42 || last_code != SEGV_ACCERR || last_addr != ro)
		fail("SIGSEGV writing read-only memory: hits %d eax %d code %d", hits, v, last_code);
	ok("faults reach the handler with si_addr and SEGV_MAPERR/SEGV_ACCERR; edited registers are resumed");

	/* FPU state: kept across a handler that changes it; the handler starts with MXCSR 0x1f80. */
	set(SIGUSR1, on_fpu, 0);
	if (!fpu_survives(0) || !fpu_survives(1))
		fail("xmm8/MXCSR not restored after a handler, or the handler did not start clean (%#x)",
		     handler_mxcsr);
	ok("xmm registers and MXCSR survive a handler that changes them, from both kinds of sites");

	/* sigaltstack + SA_ONSTACK. */
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt), .ss_flags = 0 }, old;
	if (sigaltstack(&ss, NULL))
		fail("sigaltstack: %s", errname(errno));
	set(SIGUSR2, on_altstack, SA_ONSTACK);
	raise(SIGUSR2);
	sigaltstack(NULL, &old);
	/* uc_stack records the alternate stack as the interrupted code saw it: not on it. */
	if (!on_alt || alt_flags != 0 || old.ss_flags != 0 || old.ss_sp != alt)
		fail("SA_ONSTACK: on the alternate stack %d, uc_stack flags %d, after %d", on_alt, alt_flags,
		     old.ss_flags);
	ss.ss_size = 1024;
	errno = 0;
	if (sigaltstack(&ss, NULL) != -1 || errno != ENOMEM)
		fail("sigaltstack below MINSIGSTKSZ: expected ENOMEM, got %s", errname(errno));
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	ok("SA_ONSTACK runs the handler on the alternate stack; a small one is ENOMEM");

	/* A thread spinning without syscalls gets a signal sent to it. */
	set(SIGUSR1, on_spin, 0);
	pthread_t th;
	pthread_create(&th, NULL, spinner, NULL);
	while (!spin_tid)
		;
	syscall(SYS_tgkill, getpid(), spin_tid, SIGUSR1);
	pthread_join(th, NULL);
	if (spin_tid_seen != spin_tid)
		fail("the handler ran in thread %d, not in the spinning thread %ld", spin_tid_seen, spin_tid);
	ok("a thread spinning in app code is interrupted to run its handler");

	/* rt_sigreturn through my_restorer (a patchable site): every register comes back. */
	struct kact ka = { (void *)on_segv_plain, SA_SIGINFO | 0x04000000 /* SA_RESTORER */, (void *)my_restorer, 0 };
	if (syscall(SYS_rt_sigaction, SIGSEGV, &ka, NULL, 8))
		fail("rt_sigaction with our restorer: %s", errname(errno));
	for (int round = 0; round < 3; round++) {
		uint64_t rcx = 0x1111, r11 = 0x2222, rcx2, r112;
		hits = 0;
		__asm__ volatile("mov %[c], %%rcx\n\tmov %[e], %%r11\n\tmov (%%rax), %%eax\n\t"
				 "mov %%rcx, %[c2]\n\tmov %%r11, %[e2]"
				 : "=a"(v), [c2] "=r"(rcx2), [e2] "=r"(r112)
				 : "a"(0x10000000ul), [c] "r"(rcx), [e] "r"(r11)
				 : "rcx", "r11", "memory");
		if (hits != 1 || v != 42 || rcx2 != rcx || r112 != r11)
			fail("rt_sigreturn from a patchable site: rax %d rcx %#lx r11 %#lx", v,
			     (unsigned long)rcx2, (unsigned long)r112);
	}
	ok("rt_sigreturn through a patchable restorer restores every register, rcx and r11 included");

	/* Timers: setitimer's SIGALRM ends pause with EINTR after the handler ran. */
	set(SIGALRM, on_info, 0);
	hits = 0;
	struct itimerval it = { { 0, 0 }, { 0, 20000 } }, cur;
	if (setitimer(ITIMER_REAL, &it, NULL))
		fail("setitimer: %s", errname(errno));
	getitimer(ITIMER_REAL, &cur);
	if (cur.it_value.tv_sec != 0 || cur.it_value.tv_usec <= 0 || cur.it_value.tv_usec > 20000)
		fail("getitimer right after setitimer(20 ms): %ld us left", (long)cur.it_value.tv_usec);
	errno = 0;
	if (pause() != -1 || errno != EINTR || hits != 1 || last_sig != SIGALRM || last_code != SI_KERNEL)
		fail("pause: errno %s, hits %d, sig %d code %d", errname(errno), hits, last_sig, last_code);
	it.it_value.tv_usec = 1000000;
	errno = 0;
	if (setitimer(ITIMER_REAL, &it, NULL) != -1 || errno != EINVAL)
		fail("setitimer with 1000000 us: expected EINVAL, got %s", errname(errno));
	ok("setitimer's SIGALRM runs the handler and ends pause with EINTR; getitimer counts down");

	/* rt_sigsuspend: SIGALRM blocked outside, let through inside; the mask comes back. */
	block(SIGALRM, SIG_BLOCK);
	alarm(0);
	it.it_value.tv_usec = 20000;
	setitimer(ITIMER_REAL, &it, NULL);
	sigset_t none;
	sigemptyset(&none);
	hits = 0;
	errno = 0;
	if (sigsuspend(&none) != -1 || errno != EINTR || hits != 1 || (last_mask & (1ull << (SIGALRM - 1))) == 0)
		fail("sigsuspend: errno %s hits %d", errname(errno), hits);
	sigset_t after;
	sigprocmask(SIG_BLOCK, NULL, &after);
	if (!sigismember(&after, SIGALRM))
		fail("the mask after sigsuspend lost SIGALRM");
	ok("sigsuspend lets a blocked signal through for its handler and restores the mask");

	/* sigwaitinfo/sigtimedwait take a blocked signal without its handler. */
	block(SIGUSR2, SIG_BLOCK);
	set(SIGUSR2, on_info, 0);
	hits = 0;
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2);	/* SI_TKILL, whatever raise uses */
	sigset_t w;
	sigemptyset(&w);
	sigaddset(&w, SIGUSR2);
	siginfo_t si;
	/* glibc's sigwaitinfo reports SI_TKILL as SI_USER; musl passes it through */
	if (sigwaitinfo(&w, &si) != SIGUSR2 || si.si_signo != SIGUSR2 ||
	    (si.si_code != SI_TKILL && si.si_code != SI_USER) || si.si_pid != getpid() || hits)
		fail("sigwaitinfo: signo %d code %d, handler runs %d", si.si_signo, si.si_code, hits);
	struct timespec tmo = { 0, 20000000 };
	errno = 0;
	if (sigtimedwait(&w, &si, &tmo) != -1 || errno != EAGAIN)
		fail("sigtimedwait with nothing pending: expected EAGAIN, got %s", errname(errno));
	tmo.tv_nsec = 1000000000;
	errno = 0;
	if (sigtimedwait(&w, &si, &tmo) != -1 || errno != EINVAL)
		fail("sigtimedwait with a bad timeout: expected EINVAL, got %s", errname(errno));
	ok("sigwaitinfo takes a pending blocked signal without its handler; sigtimedwait times out with EAGAIN");
	return 0;
}
