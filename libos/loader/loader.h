/* libos/loader/loader.h — program loading: ELF (static, static-PIE, dynamic with PT_INTERP) and
 * #! scripts, and the Linux-exact initial stack. */
#ifndef LIBOS_LOADER_H
#define LIBOS_LOADER_H

#include <stdint.h>

struct exec_result {
	uint64_t entry;		/* where to jump: the interpreter's entry if there is one */
	uint64_t sp;		/* initial stack pointer (at argc) */
};

/* Loads `path` (an instance path) into this process and builds its stack from argv/envp (both
 * NULL-terminated LibOS arrays). Each file of the chain needs execute permission for the caller's
 * credentials (fs_permission). Errors: -ENOENT, -EACCES, -ENOEXEC, -ELOOP, -ENOMEM, ... */
long loader_exec(const char *path, char *const argv[], char *const envp[], struct exec_result *out);
/* The program file an exec runs (the last of a #! chain): its mode and owner, for execve's
 * set-user-ID and dumpable rules. */
struct loader_file {
	uint32_t mode, uid, gid;
};

/* What loader_exec would say about `path` before mapping anything: 0 or its error (execve's
 * checks before the point of no return), and the program file in *prog. */
long loader_check(const char *path, struct loader_file *prog);

#endif
