/* pal/thread.c — per-thread host CPU state: the %gs base that holds LibOS thread data, the app's
 * %fs base, the alternate signal stack, and Syscall User Dispatch. The machines cella targets may
 * lack FSGSBASE, so the bases are set with arch_prctl (once per thread for %gs). */
#include "pal.h"
#include <asm/prctl.h>
#include <linux/prctl.h>
#include <linux/signal.h>

extern char __start_cella_gate[] __attribute__((visibility("hidden")));
extern char __stop_cella_gate[] __attribute__((visibility("hidden")));

long pal_set_thread_area(void *tls)
{
	return PAL_CALL2(__NR_arch_prctl, ARCH_SET_GS, tls);
}

long pal_set_fs(uint64_t base)
{
	return PAL_CALL2(__NR_arch_prctl, ARCH_SET_FS, base);
}

long pal_get_fs(uint64_t *base)
{
	return PAL_CALL2(__NR_arch_prctl, ARCH_GET_FS, base);
}

_Static_assert(__builtin_offsetof(struct pal_regs, rip) == 128 &&
	       __builtin_offsetof(struct pal_regs, eflags) == 136 &&
	       __builtin_offsetof(struct pal_regs, fpstate) == 184 && sizeof(struct pal_regs) <= 256,
	       "pal/regs_asm.h must match struct pal_regs");

long pal_set_host_sigmask(uint64_t mask)
{
	return PAL_CALL4(__NR_rt_sigprocmask, 2 /* SIG_SETMASK */, &mask, 0, 8);
}

long pal_set_altstack(void *base, size_t size)
{
	stack_t ss = { .ss_sp = base, .ss_flags = 0, .ss_size = size };
	return PAL_CALL2(__NR_sigaltstack, &ss, 0);
}

long pal_enable_syscall_dispatch(void)
{
	uint64_t start = (uint64_t)__start_cella_gate;
	uint64_t len = (uint64_t)__stop_cella_gate - start;
	/* No selector byte: the allowed range alone decides, so nothing in app memory can
	 * switch dispatch off. */
	return PAL_CALL5(__NR_prctl, PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, start, len, 0);
}

long pal_disable_syscall_dispatch(void)
{
	return PAL_CALL5(__NR_prctl, PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0);
}

long pal_exec_self(char **argv, char **envp)
{
	return PAL_CALL3(__NR_execve, "/proc/self/exe", argv, envp);
}

__attribute__((noreturn)) void pal_exit_group(int status)
{
	for (;;)
		PAL_CALL1(__NR_exit_group, status);
}

__attribute__((noreturn)) void pal_exit_thread(int status)
{
	for (;;)
		PAL_CALL1(__NR_exit, status);
}
