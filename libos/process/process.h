/* libos/process/process.h — the current LibOS process and thread. One LibOS process is one host
 * process, so `proc` is this host process's; a thread's data is reached through %gs:0. */
#ifndef LIBOS_PROCESS_H
#define LIBOS_PROCESS_H

#include <stddef.h>
#include <stdint.h>
#include "../../pal/pal.h"
#include "../signal/signal.h"
#include "../shared/region.h"

/* Further queued instances of a real-time signal (the first one lives in siginfo[]). */
struct sigq {
	struct sigq *next;
	struct ksiginfo info;
};

#define LIBOS_PATH_MAX 4096
#define RLIM_NLIMITS_LINUX 16

struct proc_rlimit {
	uint64_t cur, max;
};

struct fd_table;

/* The first three fields are read by assembly (libos/entry/fastpath.S) at fixed offsets. */
struct fs_access_cred;

struct libos_thread {
	struct libos_thread *self;	/* %gs:0 points here */
	uint64_t kstack_top;		/* %gs:8: top of the LibOS stack, 16-byte aligned */
	uint64_t app_rsp;		/* %gs:16: the app's rsp while the fast path runs */
	uint64_t resume_rip;		/* %gs:24: pal_resume_app's jump target */
	int kicked;			/* %gs:32: a kick came; the restart window returns EINTR */
	int tid;
	struct libos_process *process;	/* the process it belongs to (see `proc` below) */
	int host_alive;			/* the host clears it when the host thread is gone */
	struct pal_regs start_regs;	/* a new thread's registers on its first return from clone */
	void *start_fpu;		/* and its FPU image, when the parent trapped (heap) */
	struct pal_regs *regs;		/* app registers of the syscall being served */
	void *altstack;			/* the LibOS stack of this thread */
	size_t altstack_size;
	uint64_t sigmask;		/* blocked signals */
	uint64_t saved_mask;		/* rt_sigsuspend: the mask to go back to */
	int restore_mask;
	uint64_t sigpending;		/* signals sent to this thread */
	struct ksiginfo siginfo[SIG_NUM + 1];	/* their first instances */
	struct sigq *sigq;		/* later instances of real-time signals */
	uint64_t ss_sp, ss_size;	/* sigaltstack */
	int ss_flags;
	int host_tid;			/* for kicks */
	long cur_nr;			/* the syscall being served (for restarts) */
	uint64_t clear_child_tid;	/* set_tid_address */
	uint64_t robust_list, robust_len;
	struct fs_access_cred *access_cred;	/* access(): the real ids in force (fs/perm.c) */
	struct fd_table *files;		/* its own descriptor table (unshare(CLONE_FILES), clone
					 * without CLONE_FILES), or NULL: its process's (fdtable.c) */
};

_Static_assert(__builtin_offsetof(struct libos_thread, kicked) == 32,
	       "pal/regs_asm.h GS_KICKED and pal/signals.c use %gs:32");

struct sig_state;

/* What is private to a process. A vfork child shares its parent's memory but not this: it runs
 * on a copy (fork.c), so everything below is reached through the calling thread, never as a
 * global of the host process. */
struct libos_process {
	int pid;			/* parent, group and session live in the shared region */
	int host_pid;
	struct sh_proc *shared;		/* its slot in the shared region */
	struct sig_state *sig;		/* signal actions and the process's pending signals */
	struct fd_table *files;		/* the descriptor table */
	struct libos_thread *main_thread;
	int live_threads;		/* the main thread counts */
	int vfork_child;		/* runs on its parent's memory until it execs or exits */
	char cwd[LIBOS_PATH_MAX];	/* the current working directory */
	int tmp_root_fd;		/* /tmp's host directory once opened here, else -1 (fs/mount.c) */
	uint32_t uid, euid, suid, gid, egid, sgid;	/* real, effective, saved */
	uint32_t fsuid, fsgid;		/* what file-system checks use (cred.h) */
	uint32_t ngroups;		/* supplementary groups, sorted, in groups[] */
	uint32_t *groups;		/* heap; NULL when ngroups is 0 */
	uint64_t cap_eff, cap_prm, cap_inh, cap_bnd, cap_amb;	/* capability sets (bit = CAP_*) */
	uint32_t securebits;		/* prctl(PR_SET_SECUREBITS) */
	uint32_t umask;
	uint32_t personality;		/* personality(2): kept over fork and execve (sys_personality.c) */
	char exe_path[LIBOS_PATH_MAX];	/* canonical instance path of the running program */
	char *cmdline;			/* argv strings back to back, for /proc/self/cmdline */
	size_t cmdline_len;
	char *environ;			/* envp strings back to back */
	size_t environ_len;
	struct proc_rlimit rlim[RLIM_NLIMITS_LINUX];
	struct proc_prctl {		/* prctl state (sys_prctl.c; keepcaps is in securebits) */
		char name[16];
		int dumpable, no_new_privs, pdeathsig, child_subreaper;
		uint64_t timer_slack;	/* 0: the default */
		int mce_kill;		/* PR_MCE_KILL policy + 1; 0: the default */
		int thp_disable, io_flusher, memory_merge;
		uint32_t futex_slots;
	} prctl;
};

/* The process the host process started as (a vfork child's is on the heap). */
extern struct libos_process proc0;

static inline struct libos_thread *thread_current(void)
{
	struct libos_thread *t;
	__asm__("mov %%gs:0, %0" : "=r"(t));
	return t;
}

/* The calling thread's process, as Linux's `current`: `proc.pid`, `sigs.actions`. */
#define proc (*thread_current()->process)
#define sigs (*proc.sig)
#define sh_self (proc.shared)

/* The first thing libos_main does: %gs points at `main` and `proc` is proc0. */
void proc_init_first(struct libos_thread *main);
int proc_current_pid(void);
/* Sets up the calling host thread as LibOS thread `tid`: %gs, alternate stack, handlers. */
long thread_setup_current(struct libos_thread *t, int tid);
/* The LibOS stack (the host alternate stack) of a thread, if it has none yet. */
#define THREAD_STACK_SIZE (256 * 1024)
long thread_alloc_stack(struct libos_thread *t);
/* The live thread with this tid, or NULL (caller holds the signal lock or accepts a race). */
struct libos_thread *thread_by_tid(int tid);
/* Makes t the calling process's main thread (its first). */
void thread_register_main(struct libos_thread *t);
/* A free thread struct for thread `tid` of process p, marked alive; NULL if none. */
struct libos_thread *thread_struct_get(int tid, struct libos_process *p);
/* Readies t to enter the app as the caller's clone child: its LibOS stack, the caller's
 * registers with rax 0 (and rsp = stack if given), its FPU state. 0 or -EAGAIN. */
long thread_prepare_start(struct libos_thread *t, uint64_t stack);
/* A new host thread's first function (pal_spawn_thread): sets up t and enters the app. */
__attribute__((noreturn)) void thread_start(void *arg);
/* A live thread that does not block the signal bit, or NULL. */
struct libos_thread *thread_not_blocking(uint64_t bit);
/* Writes a struct rusage with these times and maxrss, the rest 0 (0 or -EFAULT). */
long rusage_put(void *uru, int64_t utime_us, int64_t stime_us, int64_t maxrss_kb);
/* clone/clone3 without CLONE_THREAD, fork and vfork (fork.c): the child's pid, or -errno. */
long proc_fork(uint64_t flags, int exit_signal, uint64_t stack, int *ptid, int *ctid, uint64_t tls);
/* Ends the process with wait status ws (an exit code << 8, or a signal), recording it for the
 * parent; pid 1 takes the whole instance with it. */
__attribute__((noreturn)) void proc_exit(int ws);
#define proc_exit_by_signal(sig) proc_exit((sig) & 0x7f)
/* Ends the calling thread (exit(2)): the process ends with the last one. */
__attribute__((noreturn)) void thread_exit(int status);
void proc_init_rlimits(void);

struct spinlock;
/* The thread table's lock, and the table's state in a fork child: the caller is its one thread. */
struct spinlock *threads_lock(void);
void threads_after_fork(struct libos_thread *self);

#endif
