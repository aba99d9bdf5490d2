/* tests/programs/sigaction.c — signal actions and masks without delivery: rt_sigaction round-trips
 * handler, flags and mask; SIGKILL/SIGSTOP and out-of-range numbers are EINVAL; rt_sigprocmask's
 * SIG_BLOCK/UNBLOCK/SETMASK round-trip, and bad how or sigsetsize is EINVAL. */
#include "check.h"
#include <signal.h>

/* the kernel's struct for rt_sigaction, independent of libc's sigaction layout */
struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};
#define K_SA_RESTORER 0x04000000UL

static void handler(int sig) { (void)sig; }
static void restorer(void) {}

static long ksig(int sig, const struct k_sigaction *a, struct k_sigaction *o)
{
	return syscall(SYS_rt_sigaction, sig, a, o, 8);
}

static long kmask(int how, const unsigned long *set, unsigned long *old)
{
	return syscall(SYS_rt_sigprocmask, how, set, old, 8);
}

#define BIT(s) (1UL << ((s) - 1))

int main(void)
{
	struct k_sigaction a = { handler, SA_RESTART | SA_SIGINFO | K_SA_RESTORER, restorer, BIT(SIGUSR2) | BIT(SIGTERM) };
	struct k_sigaction o;
	memset(&o, 0xff, sizeof o);
	expect_ok(ksig(SIGUSR1, &a, &o), "rt_sigaction set");
	expect_true(o.handler == SIG_DFL, "old handler SIG_DFL");
	expect_eq(o.mask, 0, "old mask empty");
	ok("the first rt_sigaction on SIGUSR1 returns SIG_DFL with an empty mask");
	memset(&o, 0, sizeof o);
	expect_ok(ksig(SIGUSR1, NULL, &o), "rt_sigaction get");
	expect_true(o.handler == handler, "handler round-trips");
	expect_eq(o.flags, a.flags, "flags round-trip");
	expect_true(o.restorer == restorer, "restorer round-trips");
	expect_eq(o.mask, a.mask, "mask round-trips");
	ok("rt_sigaction set then get round-trips handler, flags, restorer and mask");
	struct k_sigaction k = { handler, K_SA_RESTORER, restorer, BIT(SIGKILL) | BIT(SIGSTOP) | BIT(SIGINT) };
	expect_ok(ksig(SIGUSR2, &k, NULL), "set with KILL/STOP in mask");
	expect_ok(ksig(SIGUSR2, NULL, &o), "get");
	expect_eq(o.mask, BIT(SIGINT), "SIGKILL/SIGSTOP dropped from sa_mask");
	ok("SIGKILL and SIGSTOP are dropped from sa_mask");
	struct k_sigaction ign = { SIG_IGN, K_SA_RESTORER, restorer, 0 };
	expect_ok(ksig(SIGRTMIN + 3, &ign, NULL), "set realtime signal");
	expect_ok(ksig(SIGRTMIN + 3, NULL, &o), "get realtime signal");
	expect_true(o.handler == SIG_IGN, "SIG_IGN round-trips");
	expect_ok(ksig(64, &ign, NULL), "signal 64");
	ok("SIG_IGN on real-time signals up to 64 round-trips");

	expect_err(ksig(SIGKILL, &a, NULL), EINVAL, "SIGKILL");
	expect_err(ksig(SIGSTOP, &a, NULL), EINVAL, "SIGSTOP");
	ok("setting an action for SIGKILL or SIGSTOP is EINVAL");
	expect_ok(ksig(SIGKILL, NULL, &o), "get SIGKILL");
	expect_true(o.handler == SIG_DFL, "SIGKILL is SIG_DFL");
	ok("reading SIGKILL's action succeeds (SIG_DFL)");
	expect_err(ksig(0, NULL, &o), EINVAL, "signal 0");
	expect_err(ksig(65, NULL, &o), EINVAL, "signal 65");
	expect_err(ksig(-1, NULL, &o), EINVAL, "signal -1");
	ok("signal numbers 0, 65 and -1 are EINVAL");
	expect_err(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &o, 4), EINVAL, "sigsetsize 4");
	expect_err(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &o, 16), EINVAL, "sigsetsize 16");
	ok("rt_sigaction with a sigsetsize other than 8 is EINVAL");
	struct sigaction ls, lo;
	memset(&ls, 0, sizeof ls);
	ls.sa_handler = handler;
	sigemptyset(&ls.sa_mask);
	sigaddset(&ls.sa_mask, SIGHUP);
	ls.sa_flags = SA_NODEFER;
	expect_ok(sigaction(SIGALRM, &ls, NULL), "libc sigaction");
	expect_ok(sigaction(SIGALRM, NULL, &lo), "libc sigaction get");
	expect_true(lo.sa_handler == handler && sigismember(&lo.sa_mask, SIGHUP) && (lo.sa_flags & SA_NODEFER), "libc round-trip");
	ok("libc sigaction round-trips through the kernel");

	unsigned long cur = 0, set;
	expect_ok(kmask(SIG_SETMASK, NULL, &cur), "get mask");
	expect_eq(cur, 0, "initial mask empty");
	ok("the initial signal mask is empty");
	set = BIT(SIGUSR1) | BIT(SIGHUP);
	expect_ok(kmask(SIG_BLOCK, &set, NULL), "SIG_BLOCK");
	expect_ok(kmask(SIG_BLOCK, NULL, &cur), "get");
	expect_eq(cur, BIT(SIGUSR1) | BIT(SIGHUP), "after block");
	set = BIT(SIGUSR1);
	expect_ok(kmask(SIG_UNBLOCK, &set, &cur), "SIG_UNBLOCK");
	expect_eq(cur, BIT(SIGUSR1) | BIT(SIGHUP), "old mask returned");
	expect_ok(kmask(SIG_SETMASK, NULL, &cur), "get");
	expect_eq(cur, BIT(SIGHUP), "after unblock");
	ok("SIG_BLOCK adds, SIG_UNBLOCK removes, the old mask is returned");
	set = BIT(SIGTERM) | BIT(SIGKILL) | BIT(SIGSTOP) | BIT(40);
	expect_ok(kmask(SIG_SETMASK, &set, NULL), "SIG_SETMASK");
	expect_ok(kmask(SIG_SETMASK, NULL, &cur), "get");
	expect_eq(cur, BIT(SIGTERM) | BIT(40), "SIGKILL/SIGSTOP cannot be blocked");
	ok("SIG_SETMASK replaces the mask; SIGKILL and SIGSTOP are silently left out");
	sigset_t ss;
	expect_ok(sigprocmask(SIG_SETMASK, NULL, &ss), "libc sigprocmask get");
	expect_true(sigismember(&ss, SIGTERM) && !sigismember(&ss, SIGHUP), "libc view");
	ok("libc sigprocmask sees the same mask");
	expect_err(kmask(99, &set, NULL), EINVAL, "bad how");
	expect_err(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4), EINVAL, "sigsetsize 4");
	expect_err(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 16), EINVAL, "sigsetsize 16");
	ok("rt_sigprocmask with a bad how or sigsetsize is EINVAL");
	expect_ok(kmask(99, NULL, &cur), "bad how with NULL set");
	ok("rt_sigprocmask with a NULL set ignores how");
	unsigned long pend = 1;
	expect_ok(syscall(SYS_rt_sigpending, &pend, 8), "rt_sigpending");
	expect_eq(pend, 0, "nothing pending");
	ok("rt_sigpending reports nothing pending");
	set = 0;
	expect_ok(kmask(SIG_SETMASK, &set, NULL), "clear mask");
	return 0;
}
