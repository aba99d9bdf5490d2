/* libos/entry/dispatch.h — the syscall dispatch table and the entry every path goes through.
 * Handlers are typed C functions returning a result or -errno. */
#ifndef LIBOS_DISPATCH_H
#define LIBOS_DISPATCH_H

#include "../../pal/pal.h"

#define SYSCALL_TABLE_SIZE 512

typedef long (*syscall_fn)(long, long, long, long, long, long);

struct syscall_desc {
	const char *name;
	syscall_fn fn;
	const char *trace;	/* argument formats, see syscalls.tbl */
};

extern const struct syscall_desc syscall_table[SYSCALL_TABLE_SIZE];
extern const char *const syscall_names[SYSCALL_TABLE_SIZE];

/* Serves syscall `nr` with the arguments in `regs`; returns the value for rax. */
long libos_syscall(struct pal_regs *regs, long nr);
/* The fast path's entry, called by cella_fastpath_entry (fastpath.S); sets regs->rax too. */
long libos_syscall_fast(struct pal_regs *regs, long nr);
/* The trap path's entry (a PAL event callback). */
void libos_syscall_trap(struct pal_regs *regs, long nr);
/* Exceptions (a PAL event callback). */
void libos_exception(struct pal_regs *regs, const struct pal_fault *fault);
/* The kick from another thread that has signals for this one (exception.c). */
void libos_interrupt(struct pal_regs *regs);
void libos_async_signal(int sig, struct pal_regs *regs);
void libos_child_exit(int host_pid, int code, int status, struct pal_regs *regs);

/* strace-style line for one finished syscall (trace.c). */
void trace_syscall(long nr, const long args[6], long ret);

#endif
