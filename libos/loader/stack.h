/* libos/loader/stack.h — the initial process stack: strings, auxv, envp, argv, argc, laid out as
 * Linux's create_elf_tables does, so that libcs and unwinders find what they expect. */
#ifndef LIBOS_STACK_H
#define LIBOS_STACK_H

#include <stdint.h>

struct stack_args {
	char *const *argv;
	int argc;
	char *const *envp;
	const char *execfn;	/* the path the program was started by (AT_EXECFN) */
	uint64_t phdr, phnum, entry, interp_base;
};

/* Maps the main stack and fills it; *sp is where rsp must point (at argc). */
long stack_build(const struct stack_args *a, uint64_t *sp);

/* The auxiliary vector the running program got, as Linux's mm->saved_auxv: the (type, value)
 * pairs up to AT_NULL, zeros after, STACK_AUXV_BYTES in all (PR_GET_AUXV). */
#define STACK_AUXV_BYTES 448
const uint64_t *stack_saved_auxv(void);

/* The host auxv facts the app's auxv repeats (set once at start). */
struct host_facts {
	uint64_t sysinfo_ehdr, hwcap, hwcap2, minsigstksz, clktck;
};
extern struct host_facts host_facts;

#endif
