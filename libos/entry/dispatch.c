/* libos/entry/dispatch.c — one entry for every path into the LibOS: look the number up, call the
 * typed handler with the six argument registers, trace it. Unknown numbers get -ENOSYS and one
 * log line per number. */
#include "dispatch.h"
#include "../signal/signal.h"
#include "../errno.h"
#include "../log.h"
#include "../process/process.h"
#include "patch.h"

static unsigned char unknown_logged[SYSCALL_TABLE_SIZE];
/* Numbers beyond the table have no name; the first few distinct ones are remembered. */
static long unknown_numbers[16];
static int n_unknown_numbers;

static int first_time_out_of_table(long nr)
{
	for (int i = 0; i < n_unknown_numbers; i++)
		if (unknown_numbers[i] == nr)
			return 0;
	if (n_unknown_numbers == 16)
		return 0;	/* a program probing many numbers: stop logging them */
	unknown_numbers[n_unknown_numbers++] = nr;
	return 1;
}

static long unknown_syscall(long nr)
{
	unsigned long i = (unsigned long)nr;
	if (i >= SYSCALL_TABLE_SIZE) {
		if (log_level >= LOG_WARN && first_time_out_of_table(nr))
			log_warn("unknown syscall number %ld: -ENOSYS", nr);
	} else if (!__atomic_exchange_n(&unknown_logged[i], 1, __ATOMIC_RELAXED)) {
		const char *name = syscall_names[i] ? syscall_names[i] : "?";
		log_warn("unimplemented syscall %s (%ld): -ENOSYS", name, nr);
	}
	return -ENOSYS;
}

long libos_syscall(struct pal_regs *regs, long nr)
{
	long args[6] = { (long)regs->rdi, (long)regs->rsi, (long)regs->rdx,
			 (long)regs->r10, (long)regs->r8, (long)regs->r9 };
	thread_current()->regs = regs;
	thread_current()->cur_nr = nr;
	long ret;
	if ((unsigned long)nr < SYSCALL_TABLE_SIZE && syscall_table[nr].fn)
		ret = syscall_table[nr].fn(args[0], args[1], args[2], args[3], args[4], args[5]);
	else
		ret = unknown_syscall(nr);
	if (log_level >= LOG_TRACE)
		trace_syscall(nr, args, ret);
	return ret;
}

void libos_syscall_trap(struct pal_regs *regs, long nr)
{
	patch_on_trap(regs, nr);	/* before serving: exit_group does not come back */
	regs->rax = (uint64_t)libos_syscall(regs, nr);
	sig_deliver(regs, 1);	/* on the way out, as Linux delivers on return to user mode */
}
