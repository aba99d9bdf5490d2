/* libos/process/ptree.h — the instance's process tree, kept in the shared region: creating a
 * child's slot, the bookkeeping when a process ends (zombie, reparenting to pid 1, the parent's
 * signal and wake-up), reaping for wait4/waitid, and process groups. */
#ifndef LIBOS_PROCESS_PTREE_H
#define LIBOS_PROCESS_PTREE_H

#include "../shared/region.h"

#define SIGCHLD_ 17
#define W_EXITED(code) (((code) & 0xff) << 8)
#define W_SIGNALED(sig) ((sig) & 0x7f)

/* Pid 1 in a fresh region; or, after an execve, this process's existing slot. */
long ptree_init_first(void);
long ptree_reattach(int pid);

/* A slot for a new child of the calling process (ALIVE, no host process yet): its exit signal,
 * and whether its parent is the caller's own (CLONE_PARENT). NULL and *err on failure. */
struct sh_proc *ptree_new_child(int exit_signal, int clone_parent, long *err);
/* The host fork failed: the slot goes back. */
void ptree_abandon(struct sh_proc *c);

/* Process p (if its slot still holds pid) ended with wait status ws: it becomes a zombie (or is reaped at once when its parent
 * ignores SIGCHLD), its children go to pid 1, its parent is signalled and woken. Idempotent. */
void ptree_exit(struct sh_proc *p, int pid, int ws);
/* Pid 1 is ending: every other process of the instance is killed, as Linux does when a pid
 * namespace's init exits. */
void ptree_kill_all_others(void);
/* A host child ended (from the host SIGCHLD handler: async-signal-safe); the record of it
 * follows at the next delivery point (ptree_collect_host_exits), if the child left none. */
void ptree_note_host_exit(int host_pid, int code, int status);
int ptree_host_exits_pending(void);
void ptree_collect_host_exits(void);
/* Children whose host process is gone without a record (killed from the host) are recorded as
 * killed by SIGKILL. */
void ptree_reap_vanished(void);

/* What wait4/waitid report of a child. */
struct wait_result {
	int pid, ws, code, status;	/* code: CLD_EXITED/KILLED; status: exit code or signal */
	uint32_t uid;
	int64_t utime_us, stime_us, maxrss_kb;
};
#define P_ALL_ 0
#define P_PID_ 1
#define P_PGID_ 2
#define WNOHANG_ 1
#define WEXITED_ 4
#define WNOWAIT_ 0x01000000
#define WNOTHREAD_ 0x20000000
#define WALL_ 0x40000000
#define WCLONE_ 0x80000000u
/* A zombie child matching (idtype, id, options), reaped unless WNOWAIT: its pid (> 0); 0 when
 * children match but none has ended; -ECHILD when none matches. */
long ptree_wait_once(int idtype, int id, unsigned options, struct wait_result *out);

/* Process groups and sessions (Linux's rules and errors). */
long ptree_setpgid(int pid, int pgid);
long ptree_getpgid(int pid);
long ptree_getsid(int pid);
long ptree_setsid(void);

#endif
