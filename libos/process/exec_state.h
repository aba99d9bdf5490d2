/* libos/process/exec_state.h — what execve hands to the next cella-runtime: a host memfd passed as
 * --exec-state-fd, holding this header, the supplementary groups (cred.ngroups 32-bit ids), then
 * the cwd, the program path, argv and envp strings (NUL-terminated, back to back), then nfds
 * records each followed by its path. */
#ifndef LIBOS_PROCESS_EXEC_STATE_H
#define LIBOS_PROCESS_EXEC_STATE_H

#include "process.h"
#include "cred.h"

#define EXEC_STATE_MAGIC 0x4554415453584543ull	/* "CEXSTATE" */
#define EXEC_STATE_VERSION 2

struct exec_state_hdr {
	uint64_t magic;
	uint32_t version, total;	/* total bytes, header included */
	int32_t pid, shared_fd;	/* the process and the shared region (the rest of its identity) */
	struct cred_exec cred;	/* the new image's credentials (cred_exec.c) */
	struct proc_prctl prctl;	/* what of the prctl state survives (sys_execve.c) */
	uint32_t umask, argc, envc, nfds;
	uint64_t sigmask, sig_ignored;
	struct proc_rlimit rlim[RLIM_NLIMITS_LINUX];
	uint32_t personality, pad;	/* less READ_IMPLIES_EXEC, which a 64-bit exec clears */
};

/* One open descriptor: a host fd kept open across the host execve, or (host_fd -1) a file the
 * next runtime opens again by path (directories, /dev and /proc files). */
struct exec_state_fd {
	int32_t app_fd, host_fd, flags, type;
	int64_t manifest_index;
	uint32_t path_len, pad;
};

/* The next runtime's side (start.c): reads the state and applies its ids and limits. */
long exec_state_load(int fd, struct exec_state_hdr **out);
/* The signal mask and the ignored signals (once thread t is set up). */
void exec_state_apply_signals(const struct exec_state_hdr *h, struct libos_thread *t);
/* Installs the descriptors and the cwd (after fs_init). */
long exec_state_install_files(const struct exec_state_hdr *h);
/* The program path, argv and envp (NULL-terminated arrays in the LibOS heap). */
long exec_state_program(const struct exec_state_hdr *h, const char **path, char ***argv, char ***envp);

/* start.c: replaces this host process with a fresh cella-runtime that continues as the same
 * LibOS process from the state in state_fd. Returns only on failure (-errno). */
long runtime_reexec(int state_fd);

#endif
