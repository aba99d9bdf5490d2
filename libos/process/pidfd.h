/* libos/process/pidfd.h — pidfds: descriptors naming a process of the instance (or one thread,
 * PIDFD_THREAD) by pid and process-table slot, so a pid reused after the reaping is not taken
 * for the old process. pidfd_send_signal is kill's (signal/sys_kill.c). */
#ifndef LIBOS_PROCESS_PIDFD_H
#define LIBOS_PROCESS_PIDFD_H

#include "../shared/region.h"

struct pidfd_ref {
	int pid;	/* the process's pid, or the thread's tid for a thread pidfd */
	int slot;	/* the process's slot in the shared region */
	int thread;	/* PIDFD_THREAD */
};

/* What pidfd `fd` names: 0, or -EBADF when fd is not open or not a pidfd. */
long pidfd_target(int fd, struct pidfd_ref *out);
/* The process ref names, alive or a zombie, with its pid in *tgid; NULL once it was reaped. */
struct sh_proc *pidfd_proc(const struct pidfd_ref *ref, int *tgid);
/* Whether the caller may read or change process p's state (ptrace_may_access as the shared
 * region knows p's ids: the caller itself, the same uid, or CAP_SYS_PTRACE). */
int proc_may_access(const struct sh_proc *p);

#endif
