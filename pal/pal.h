/* pal/pal.h — the whole contract between the LibOS and the host (the Linux PAL). libos/ includes
 * no other PAL header. Every call returns a non-negative result or -errno from the host. Calls
 * marked "blocking" may return -EINTR when a host signal interrupts them; their pal_block_* forms
 * go through the restart window (for app syscalls that may sleep). */
#ifndef PAL_H
#define PAL_H

#include <stddef.h>
#include <stdint.h>
#include <asm/unistd.h>

/* ---- registers ------------------------------------------------------------------------------
 * The app's general registers at the moment it entered the LibOS. For the trap path this *is*
 * the host signal frame's mcontext (same layout as the kernel's struct sigcontext), so writing
 * a field changes what the app resumes with. */
struct pal_regs {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;	/* host pointer to the xsave area, or 0 */
	uint64_t reserved[8];
};

/* A hardware exception taken in app or LibOS code. */
struct pal_fault {
	int signo;		/* host SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP */
	int code;		/* host si_code (SEGV_MAPERR, ...) */
	uint64_t addr;		/* si_addr */
};

/* Callbacks the LibOS registers at start; the PAL calls into the LibOS only through these.
 * Both run on the thread's LibOS stack (the host alternate signal stack). */
struct pal_event_handlers {
	/* An app syscall trapped by Syscall User Dispatch: serve it and set regs->rax. */
	void (*syscall)(struct pal_regs *regs, long nr);
	/* A hardware exception. Return to resume at (possibly changed) regs->rip. */
	void (*exception)(struct pal_regs *regs, const struct pal_fault *fault);
	/* Another thread's kick (pal_kick_thread) interrupted this one at regs. */
	void (*interrupt)(struct pal_regs *regs);
	/* A host timer signal (SIGALRM, SIGVTALRM, SIGPROF) for the app arrived at regs. Runs
	 * in a host handler: it may have interrupted the LibOS anywhere. */
	void (*async_signal)(int sig, struct pal_regs *regs);
	/* A host child process ended (code CLD_EXITED/KILLED/DUMPED, status its exit code or
	 * signal), at regs (NULL when found by pal_reap_host_children). Runs in a host handler. */
	void (*child_exit)(int host_pid, int code, int status, struct pal_regs *regs);
};

/* What the host gave the runtime at exec time. */
struct pal_boot {
	int argc;
	char **argv;
	char **envp;
	uint64_t *auxv;		/* host auxv, AT_NULL terminated */
	uint64_t sysinfo_ehdr;	/* host vDSO, 0 if none */
	uint64_t hwcap, hwcap2, minsigstksz, clktck;
	uint64_t runtime_base, runtime_end;	/* the runtime's own image */
};

/* ---- raw host call (gate.S) ---------------------------------------------------------------- */
long pal_host_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6);

/* The same from the restart window (gate.S), for calls that may block: -EINTR at once if a kick
 * came since the LibOS cleared the thread's kicked flag. */
long pal_blocking_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
#define PAL_BCALL3(nr, a, b, c) pal_blocking_syscall6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define PAL_BCALL4(nr, a, b, c, d) pal_blocking_syscall6(nr, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define PAL_BCALL6(nr, a, b, c, d, e, f) \
	pal_blocking_syscall6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

#define PAL_CALL0(nr) pal_host_syscall6(nr, 0, 0, 0, 0, 0, 0)
#define PAL_CALL1(nr, a) pal_host_syscall6(nr, (long)(a), 0, 0, 0, 0, 0)
#define PAL_CALL2(nr, a, b) pal_host_syscall6(nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define PAL_CALL3(nr, a, b, c) pal_host_syscall6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define PAL_CALL4(nr, a, b, c, d) \
	pal_host_syscall6(nr, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define PAL_CALL5(nr, a, b, c, d, e) \
	pal_host_syscall6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define PAL_CALL6(nr, a, b, c, d, e, f) \
	pal_host_syscall6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* ---- host files: fds here are host fds, never the app's ------------------------------------ */
static inline long pal_read(int fd, void *buf, size_t n) { return PAL_CALL3(__NR_read, fd, buf, n); }	/* blocking */
static inline long pal_write(int fd, const void *buf, size_t n) { return PAL_CALL3(__NR_write, fd, buf, n); }	/* blocking */
static inline long pal_pread(int fd, void *buf, size_t n, long off) { return PAL_CALL4(__NR_pread64, fd, buf, n, off); }
static inline long pal_pwrite(int fd, const void *buf, size_t n, long off) { return PAL_CALL4(__NR_pwrite64, fd, buf, n, off); }
static inline long pal_readv(int fd, const void *iov, int cnt) { return PAL_CALL3(__NR_readv, fd, iov, cnt); }	/* blocking */
static inline long pal_writev(int fd, const void *iov, int cnt) { return PAL_CALL3(__NR_writev, fd, iov, cnt); }	/* blocking */
static inline long pal_close(int fd) { return PAL_CALL1(__NR_close, fd); }
static inline long pal_lseek(int fd, long off, int whence) { return PAL_CALL3(__NR_lseek, fd, off, whence); }
/* openat2 with struct open_how; resolve flags confine the walk beneath dirfd. */
static inline long pal_openat2(int dirfd, const char *path, const void *how, size_t size) { return PAL_CALL4(__NR_openat2, dirfd, path, how, size); }
static inline long pal_fstat(int fd, void *st) { return PAL_CALL2(__NR_fstat, fd, st); }
static inline long pal_fstatat(int dirfd, const char *path, void *st, int flags) { return PAL_CALL4(__NR_newfstatat, dirfd, path, st, flags); }
static inline long pal_statx(int dirfd, const char *path, int flags, unsigned mask, void *stx) { return PAL_CALL5(__NR_statx, dirfd, path, flags, mask, stx); }
static inline long pal_readlinkat(int dirfd, const char *path, char *buf, size_t n) { return PAL_CALL4(__NR_readlinkat, dirfd, path, buf, n); }
static inline long pal_getdents64(int fd, void *buf, size_t n) { return PAL_CALL3(__NR_getdents64, fd, buf, n); }
static inline long pal_fcntl(int fd, int cmd, long arg) { return PAL_CALL3(__NR_fcntl, fd, cmd, arg); }
static inline long pal_ioctl(int fd, unsigned long req, void *arg) { return PAL_CALL3(__NR_ioctl, fd, req, arg); }
static inline long pal_dup(int fd) { return PAL_CALL1(__NR_dup, fd); }
static inline long pal_pipe2(int *fds, int flags) { return PAL_CALL2(__NR_pipe2, fds, flags); }
static inline long pal_ftruncate(int fd, long len) { return PAL_CALL2(__NR_ftruncate, fd, len); }
static inline long pal_fsync(int fd) { return PAL_CALL1(__NR_fsync, fd); }
static inline long pal_fdatasync(int fd) { return PAL_CALL1(__NR_fdatasync, fd); }
static inline long pal_mkdirat(int dirfd, const char *path, int mode) { return PAL_CALL3(__NR_mkdirat, dirfd, path, mode); }
static inline long pal_unlinkat(int dirfd, const char *path, int flags) { return PAL_CALL3(__NR_unlinkat, dirfd, path, flags); }
static inline long pal_renameat2(int ofd, const char *o, int nfd, const char *n, unsigned flags) { return PAL_CALL5(__NR_renameat2, ofd, o, nfd, n, flags); }
static inline long pal_symlinkat(const char *target, int dirfd, const char *path) { return PAL_CALL3(__NR_symlinkat, target, dirfd, path); }
static inline long pal_linkat(int ofd, const char *o, int nfd, const char *n, int flags) { return PAL_CALL5(__NR_linkat, ofd, o, nfd, n, flags); }
static inline long pal_fchmod(int fd, int mode) { return PAL_CALL2(__NR_fchmod, fd, mode); }
static inline long pal_fchmodat(int dirfd, const char *path, int mode) { return PAL_CALL3(__NR_fchmodat, dirfd, path, mode); }
static inline long pal_utimensat(int dirfd, const char *path, const void *ts, int flags) { return PAL_CALL4(__NR_utimensat, dirfd, path, ts, flags); }
static inline long pal_fallocate(int fd, int mode, long off, long len) { return PAL_CALL4(__NR_fallocate, fd, mode, off, len); }
/* Extended attributes of a host file: by descriptor (not O_PATH), or by path (following
 * symlinks: a "/proc/self/fd/N" path reaches the inode of an O_PATH descriptor N). */
static inline long pal_fgetxattr(int fd, const char *name, void *v, size_t n) { return PAL_CALL4(__NR_fgetxattr, fd, name, v, n); }
static inline long pal_fsetxattr(int fd, const char *name, const void *v, size_t n, int flags) { return PAL_CALL5(__NR_fsetxattr, fd, name, v, n, flags); }
static inline long pal_flistxattr(int fd, char *list, size_t n) { return PAL_CALL3(__NR_flistxattr, fd, list, n); }
static inline long pal_fremovexattr(int fd, const char *name) { return PAL_CALL2(__NR_fremovexattr, fd, name); }
static inline long pal_getxattr(const char *path, const char *name, void *v, size_t n) { return PAL_CALL4(__NR_getxattr, path, name, v, n); }
static inline long pal_setxattr(const char *path, const char *name, const void *v, size_t n, int flags) { return PAL_CALL5(__NR_setxattr, path, name, v, n, flags); }
static inline long pal_listxattr(const char *path, char *list, size_t n) { return PAL_CALL3(__NR_listxattr, path, list, n); }
static inline long pal_removexattr(const char *path, const char *name) { return PAL_CALL2(__NR_removexattr, path, name); }
static inline long pal_poll(void *fds, unsigned n, int timeout) { return PAL_CALL3(__NR_poll, fds, n, timeout); }	/* blocking */

/* ---- host memory --------------------------------------------------------------------------- */
static inline long pal_mmap(void *addr, size_t len, int prot, int flags, int fd, long off) { return PAL_CALL6(__NR_mmap, addr, len, prot, flags, fd, off); }
static inline long pal_munmap(void *addr, size_t len) { return PAL_CALL2(__NR_munmap, addr, len); }
static inline long pal_mprotect(void *addr, size_t len, int prot) { return PAL_CALL3(__NR_mprotect, addr, len, prot); }
static inline long pal_madvise(void *addr, size_t len, int advice) { return PAL_CALL3(__NR_madvise, addr, len, advice); }
static inline long pal_mremap(void *old, size_t olen, size_t nlen, int flags, void *naddr) { return PAL_CALL5(__NR_mremap, old, olen, nlen, flags, naddr); }
static inline long pal_msync(void *addr, size_t len, int flags) { return PAL_CALL3(__NR_msync, addr, len, flags); }
static inline long pal_mincore(void *addr, size_t len, unsigned char *vec) { return PAL_CALL3(__NR_mincore, addr, len, vec); }

/* ---- host time, randomness, identity ------------------------------------------------------- */
static inline long pal_clock_gettime(int clk, void *ts) { return PAL_CALL2(__NR_clock_gettime, clk, ts); }
static inline long pal_clock_getres(int clk, void *ts) { return PAL_CALL2(__NR_clock_getres, clk, ts); }
/* App syscalls that may sleep: the restart window forms (see pal_blocking_syscall6). */
static inline long pal_block_read(int fd, void *buf, size_t n) { return PAL_BCALL3(__NR_read, fd, buf, n); }
static inline long pal_block_write(int fd, const void *buf, size_t n) { return PAL_BCALL3(__NR_write, fd, buf, n); }
static inline long pal_block_readv(int fd, const void *iov, int cnt) { return PAL_BCALL3(__NR_readv, fd, iov, cnt); }
static inline long pal_block_writev(int fd, const void *iov, int cnt) { return PAL_BCALL3(__NR_writev, fd, iov, cnt); }
static inline long pal_block_poll(void *fds, unsigned n, int timeout) { return PAL_BCALL3(__NR_poll, fds, n, timeout); }
static inline long pal_block_futex(void *uaddr, int op, long val, long t, void *uaddr2, long val3) { return PAL_BCALL6(__NR_futex, uaddr, op, val, t, uaddr2, val3); }
static inline long pal_block_clock_nanosleep(int clk, int flags, const void *req, void *rem) { return PAL_BCALL4(__NR_clock_nanosleep, clk, flags, req, rem); }
static inline long pal_clock_nanosleep(int clk, int flags, const void *req, void *rem) { return PAL_CALL4(__NR_clock_nanosleep, clk, flags, req, rem); }	/* blocking */
static inline long pal_getrandom(void *buf, size_t n, unsigned flags) { return PAL_CALL3(__NR_getrandom, buf, n, flags); }
static inline long pal_sched_yield(void) { return PAL_CALL0(__NR_sched_yield); }
static inline long pal_sched_getaffinity(int tid, size_t n, void *mask) { return PAL_CALL3(__NR_sched_getaffinity, tid, n, mask); }
static inline long pal_sysinfo(void *info) { return PAL_CALL1(__NR_sysinfo, info); }
static inline long pal_uname(void *u) { return PAL_CALL1(__NR_uname, u); }
static inline long pal_gettid(void) { return PAL_CALL0(__NR_gettid); }
static inline long pal_getpid(void) { return PAL_CALL0(__NR_getpid); }
static inline long pal_getrusage(int who, void *ru) { return PAL_CALL2(__NR_getrusage, who, ru); }
static inline long pal_times(void *buf) { return PAL_CALL1(__NR_times, buf); }

/* ---- threads and CPU state (pal/thread.c, pal/cpu.c) --------------------------------------- */
/* Points %gs at `tls` for the calling host thread; LibOS per-thread data lives there. */
long pal_set_thread_area(void *tls);
/* Sets the app's %fs base for the calling thread; reads it back. */
long pal_set_fs(uint64_t base);
long pal_get_fs(uint64_t *base);
/* Installs the host alternate stack for the calling thread (the LibOS stack of the trap path). */
long pal_set_altstack(void *base, size_t size);
/* Turns on Syscall User Dispatch for the calling thread: every syscall outside the gate traps. */
long pal_enable_syscall_dispatch(void);

/* ---- host signals (pal/signals.c) ---------------------------------------------------------- */
/* Registers the LibOS callbacks and installs the host handlers for SIGSYS, SIGSEGV, SIGBUS,
 * SIGFPE, SIGILL and SIGTRAP, all on the alternate stack. */
long pal_init_events(const struct pal_event_handlers *h);
/* Sets a host signal to be ignored (SIGPIPE: the LibOS turns EPIPE into the app's signal). */
long pal_ignore_signal(int sig);
/* Ends the host process as if killed by host signal `sig` (so its parent sees WIFSIGNALED). */
__attribute__((noreturn)) void pal_die_by_signal(int sig);
/* Interrupts host thread host_tid of this process with the kick signal (PAL_KICK_SIGNAL). */
long pal_kick_thread(int host_tid);
/* Reaps host children that ended before the handlers were in place (after an execve), passing
 * each to the child_exit event. */
void pal_reap_host_children(void);
#define PAL_KICK_SIGNAL 64
/* The host signals other processes and timers send a runtime at any time (the kick, SIGALRM,
 * SIGCHLD, SIGVTALRM, SIGPROF): blocked from just before an execve until the new runtime's
 * handlers are in place, since the default action of most would end it unrecorded. */
#define PAL_ASYNC_SIGNALS ((1ull << (PAL_KICK_SIGNAL - 1)) | (1ull << 13) | (1ull << 16) | \
			   (1ull << 25) | (1ull << 26))
__attribute__((noreturn)) void pal_exit_group(int status);
__attribute__((noreturn)) void pal_exit_thread(int status);

/* ---- start and panic ----------------------------------------------------------------------- */
/* Enters the app at `entry` with the stack pointer at `sp` (argc); never returns. */
__attribute__((noreturn)) void pal_jump_to_app(uint64_t entry, uint64_t sp);
/* Enters app code with all of r's general registers, rflags, rsp and rip. */
__attribute__((noreturn)) void pal_resume_app(const struct pal_regs *r);
/* A new host thread in this process (host clone flags given), starting fn(arg) on stack_top;
 * the host clears *host_ctid and wakes it when the thread has exited. Returns the host tid. */
long pal_spawn_thread(unsigned long flags, void *stack_top, uint64_t tls, int *host_ctid,
		      void (*fn)(void *), void *arg);
/* Turns Syscall User Dispatch off for the calling thread (before a host execve). */
long pal_disable_syscall_dispatch(void);
/* Replaces this host process with a new instance of the runtime binary. */
long pal_exec_self(char **argv, char **envp);
/* Sets the calling thread's host signal mask (blocking nothing on entry to app code). */
long pal_set_host_sigmask(uint64_t mask);
/* The LibOS entry, called by the PAL once the runtime is relocated. */
__attribute__((noreturn)) void libos_main(const struct pal_boot *boot);
/* Writes `msg` to host stderr and kills the process with SIGABRT: a LibOS bug. */
__attribute__((noreturn)) void pal_panic(const char *msg);

#endif
