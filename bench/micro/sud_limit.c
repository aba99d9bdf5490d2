/* bench/micro/sud_limit.c — the floor for any trap-based LibOS: this program turns on Syscall
 * User Dispatch itself and serves getppid from a SIGSYS handler that does nothing else (it
 * returns a constant). Run natively; cella's trap path is compared against it. The handler's
 * rt_sigreturn must itself be exempt from dispatch, so the restorer lives in the allowed range. */
#include "bench.h"
#include <signal.h>
#include <sys/prctl.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/syscall.h>

#define SA_RESTORER 0x04000000
extern char sud_restorer[], sud_restorer_end[];
__asm__(".text\n"
	"sud_restorer:\n\tmov $15, %eax\n\tsyscall\n\tud2\n"	/* the kernel checks the address after syscall */
	"sud_restorer_end:\n");

struct ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	unsigned long mask;
};

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_ON 1
#endif
#define SELECTOR_ALLOW 0
#define SELECTOR_BLOCK 1

static volatile char selector = SELECTOR_ALLOW;

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	(void)sig, (void)si;
	((ucontext_t *)ctx)->uc_mcontext.gregs[REG_RAX] = 1;	/* "getppid" */
	/* The handler's own return (rt_sigreturn) is allowed by the kernel while dispatching. */
}

static inline long raw_getppid(long nr)
{
	long r;
	__asm__ volatile("mov %1, %%rax\n\tsyscall" : "=a"(r) : "r"(nr) : "rcx", "r11", "memory");
	return r;
}

int main(int argc, char **argv)
{
	struct ksigaction sa = { (void *)on_sigsys, SA_SIGINFO | SA_RESTORER, sud_restorer, 0 };
	if (syscall(SYS_rt_sigaction, SIGSYS, &sa, NULL, 8))
		return 3;
	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, (unsigned long)sud_restorer,
		  (unsigned long)(sud_restorer_end - sud_restorer), &selector))
		return 2;
	selector = SELECTOR_BLOCK;
	long n = argc > 1 ? atol(argv[1]) : 100000;
	for (long i = 0; i < n / 10 + 1; i++)
		raw_getppid(110);
	double t0 = bench_now();	/* clock_gettime: the vDSO, no syscall */
	for (long i = 0; i < n; i++)
		raw_getppid(110);
	double t1 = bench_now();
	selector = SELECTOR_ALLOW;
	printf("%.1f\n", (t1 - t0) / n);
	return 0;
}
