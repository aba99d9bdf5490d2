/* tests/fuzz/fuzz.c — the differential syscall fuzzer: for each call number a child makes N calls with
 * arguments drawn from interesting values, and the parent prints one line per number with each call's
 * result class (ok, an errno name, hang, sigN). Invariants: the arguments of call i of number nr depend
 * only on (seed, nr, i); no printed result depends on a pointer, a time or a pid; it fuzzes only as a
 * non-root pid 1 (a fresh pid namespace, or cella), so pid-valued arguments cannot reach the host.
 *
 * Usage: fuzz [-s SEED] [-N ITERS] [-n LIST] [-t MS] [-C DIR]   fuzz (LIST: "0-460", "0,3,72-80")
 *        fuzz -a -s SEED -n NR -i I                             print call I's arguments, call nothing
 *        fuzz -A SEED:NR:I,...                                  the same for each triple ("-": from stdin)
 *        fuzz -x                                                print the exclusions and their reasons
 * Run natively only as the comparer does: unshare --pid --fork --mount-proc --mount setpriv
 * --reuid=65534 ... in a scratch directory (tests/fuzz/compare.py). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "names.h"

#define NR_MAX 460
#define ITERS_MAX 10000

/* Fixed addresses, the same natively and under cella, so that address-valued arguments (and what a
 * huge length starting at them covers) are the same on both sides. All below the program's
 * neighbourhood of the stack and the mmap area, above the static binary and its brk. */
#define RES_ADDR   0x10000000ul		/* MAP_SHARED: the children's results, read by the parent */
#define UNMAPPED   0x30000000ul		/* kept unmapped */
#define RO_ZERO    0x40000000ul		/* one read-only page of zeros (also the zero timeout) */
#define RO_PATHS   0x41000000ul		/* one read-only page holding the path strings */
#define BUF        0x50000000ul		/* two writable pages, refilled before every call ... */
#define BUF_SIZE   8192ul			/* ... and nothing mapped after them */
#define BUF_END    (BUF + BUF_SIZE - 8)

/* Result classes in the shared page: >= 0 success, -1..-4095 -errno, or one of these. */
#define R_SKIP  1			/* an argument tuple the rules below veto */
#define R_HANG  (-10000)		/* no progress within the time limit: killed */
#define R_SIG   (-20000)		/* R_SIG - N: killed by signal N during this call */

struct results {
	volatile int32_t done;		/* calls finished so far (the child's progress) */
	int32_t res[ITERS_MAX];
};
#define RES ((struct results *)RES_ADDR)

/* ---- exclusions: calls never made, natively dangerous or nondeterministic, each with its reason ---- */
static const struct { const char *name, *why; } excluded[] = {
	{ "reboot", "could reboot the host" },
	{ "kill", "could reach processes outside the child (pid -1, process groups)" },
	{ "tkill", "could reach processes outside the child" },
	{ "tgkill", "could reach processes outside the child" },
	{ "rt_sigqueueinfo", "could reach processes outside the child" },
	{ "rt_tgsigqueueinfo", "could reach processes outside the child" },
	{ "pidfd_send_signal", "could reach processes outside the child" },
	{ "ptrace", "could attach to and change other processes" },
	{ "process_vm_writev", "writes other processes' memory" },
	{ "mount", "mount API: changes the file-system tree" },
	{ "umount2", "mount API" }, { "move_mount", "mount API" }, { "fsmount", "mount API" },
	{ "fsopen", "mount API" }, { "fsconfig", "mount API" }, { "fspick", "mount API" },
	{ "open_tree", "mount API" }, { "mount_setattr", "mount API" },
	{ "pivot_root", "changes the root of the mount namespace" },
	{ "chroot", "changes the process root" },
	{ "unshare", "new namespaces (a user namespace grants capabilities inside it)" },
	{ "setns", "joins other namespaces" },
	{ "swapon", "host swap" }, { "swapoff", "host swap" },
	{ "init_module", "kernel modules" }, { "finit_module", "kernel modules" },
	{ "delete_module", "kernel modules" },
	{ "kexec_load", "replaces the kernel" }, { "kexec_file_load", "replaces the kernel" },
	{ "acct", "host process accounting" },
	{ "quotactl", "host disk quotas" }, { "quotactl_fd", "host disk quotas" },
	{ "sethostname", "host (UTS namespace) name" }, { "setdomainname", "host (UTS namespace) name" },
	{ "settimeofday", "host clock" }, { "clock_settime", "host clock" },
	{ "clock_adjtime", "host clock" }, { "adjtimex", "host clock" },
	{ "iopl", "I/O port access" }, { "ioperm", "I/O port access" },
	{ "vhangup", "hangs up the terminal" },
	{ "syslog", "the host kernel log" },
	{ "bpf", "kernel programs" }, { "perf_event_open", "host performance counters" },
	{ "userfaultfd", "can stall the kernel on the child's memory" },
	{ "exit", "ends the child: no result" }, { "exit_group", "ends the child: no result" },
	{ "fork", "new processes escape the time limit" }, { "vfork", "new processes escape the time limit" },
	{ "clone", "new processes escape the time limit" }, { "clone3", "new processes escape the time limit" },
	{ "execve", "replaces the fuzzer" }, { "execveat", "replaces the fuzzer" },
	{ "rt_sigreturn", "restores registers from the buffer: jumps anywhere" },
	{ "seccomp", "filters every later call of the child" },
	{ "io_uring_setup", "io_uring" }, { "io_uring_enter", "io_uring" },
	{ "io_uring_register", "io_uring" },
	{ "uretprobe", "for the kernel's uprobe trampoline only: anywhere else it raises SIGILL" },
	{ "uprobe", "for the kernel's uprobe trampoline only (ENXIO anywhere else)" },
	{ "pause", "waits for a signal that never comes: always a hang" },
	{ "rt_sigsuspend", "waits for a signal that never comes: always a hang" },
	/* The native side shares the host's IPC namespace: SysV objects and POSIX message queues
	 * outlive the child and could be other users' objects. */
	{ "shmget", "SysV IPC: the host's IPC namespace" }, { "shmat", "SysV IPC: the host's IPC namespace" },
	{ "shmctl", "SysV IPC: the host's IPC namespace" }, { "semget", "SysV IPC: the host's IPC namespace" },
	{ "semop", "SysV IPC: the host's IPC namespace" }, { "semctl", "SysV IPC: the host's IPC namespace" },
	{ "semtimedop", "SysV IPC: the host's IPC namespace" }, { "msgget", "SysV IPC: the host's IPC namespace" },
	{ "msgsnd", "SysV IPC: the host's IPC namespace" }, { "msgrcv", "SysV IPC: the host's IPC namespace" },
	{ "msgctl", "SysV IPC: the host's IPC namespace" },
	{ "mq_open", "POSIX queues live in the host's IPC namespace" },
	{ "mq_unlink", "POSIX queues live in the host's IPC namespace" },
	/* Keys live in the per-uid user keyring, shared with every host process of uid 65534, and
	 * request_key can start a helper on the host. */
	{ "add_key", "the host's per-uid keyring" }, { "request_key", "the host's per-uid keyring; upcalls" },
	{ "keyctl", "the host's per-uid keyring" },
};

/* ---- bounds: arguments replaced so that a call cannot block or take the host's memory ---- */
enum bound_kind { B_TIMEOUT_PTR, B_TIMEOUT_INT, B_SIZE };
static const struct { const char *name; int arg; enum bound_kind kind; } bounds[] = {
	/* a timeout argument: never NULL or the writable buffer (an infinite or arbitrary wait) */
	{ "nanosleep", 0, B_TIMEOUT_PTR }, { "clock_nanosleep", 2, B_TIMEOUT_PTR },
	{ "select", 4, B_TIMEOUT_PTR }, { "pselect6", 4, B_TIMEOUT_PTR }, { "ppoll", 2, B_TIMEOUT_PTR },
	{ "epoll_pwait2", 3, B_TIMEOUT_PTR }, { "rt_sigtimedwait", 2, B_TIMEOUT_PTR },
	{ "futex", 3, B_TIMEOUT_PTR }, { "futex_waitv", 3, B_TIMEOUT_PTR }, { "futex_wait", 4, B_TIMEOUT_PTR },
	{ "io_getevents", 4, B_TIMEOUT_PTR }, { "io_pgetevents", 4, B_TIMEOUT_PTR },
	{ "recvmmsg", 4, B_TIMEOUT_PTR }, { "mq_timedsend", 4, B_TIMEOUT_PTR },
	{ "mq_timedreceive", 4, B_TIMEOUT_PTR },
	{ "poll", 2, B_TIMEOUT_INT }, { "epoll_wait", 3, B_TIMEOUT_INT }, { "epoll_pwait", 3, B_TIMEOUT_INT },
	/* a length that would allocate file space: at most 64 KiB (sendfile from the file to itself at
	 * a lower offset, or copy_file_range to 1<<40, would copy gigabytes) */
	{ "fallocate", 3, B_SIZE }, { "sendfile", 3, B_SIZE }, { "copy_file_range", 4, B_SIZE },
};

/* ---- the interesting values ---- */
/* "small" is a fresh random 0..63 and "random" a fresh random 64-bit value each time */
static const struct { uint64_t v; const char *name; } values[] = {
	{ 0, "0" }, { 0, "0" }, { 0, "NULL" },
	{ UNMAPPED, "unmapped" }, { RO_ZERO, "ro_page" }, { BUF, "buf" }, { BUF_END, "buf_end" },
	{ 0xffff800000000000ull, "kernel" }, { (uint64_t)-4095, "-4095" },
	{ (uint64_t)-1, "-1" }, { (uint64_t)-1, "SIZE_MAX" },
	{ 1, "1" }, { 4096, "4096" }, { 0x7fffffff, "INT_MAX" }, { 1ull << 40, "1<<40" },
	{ 0x80000000, "INT_MIN" }, { 2, "2" },
	{ 3, "fd:file" }, { 4, "fd:dir" }, { 5, "fd:pipe_r" }, { 6, "fd:pipe_w" }, { 7, "fd:null" },
	{ 8, "fd:opath" },
	/* the descriptors again: an fd argument is valid about a fifth of the time */
	{ 3, "fd:file" }, { 4, "fd:dir" }, { 5, "fd:pipe_r" }, { 6, "fd:pipe_w" }, { 7, "fd:null" },
	{ 8, "fd:opath" },
	{ 0xffffffff, "flags:all" }, { 0xdead0000, "flags:unknown" }, { 0x40000000, "flags:bit30" },
	{ 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x1000, "AT_EMPTY_PATH" }, { 0x800, "O_NONBLOCK" },
	{ 0x80000, "O_CLOEXEC" }, { 0x42, "O_RDWR|O_CREAT" }, { 0xc1, "O_WRONLY|O_CREAT|O_EXCL" },
	{ 0x10000, "O_DIRECTORY" }, { 0x200000, "O_PATH" }, { 0x1ff, "0777" },
	{ (uint64_t)-100, "AT_FDCWD" }, { 0644, "0644" }, { 0x11a4, "S_IFIFO|0644" },
	{ 0x21a4, "S_IFCHR|0644" }, { 0xc1a4, "S_IFSOCK|0644" },
	{ 0x1002, "ARCH_SET_FS" }, { 0x1003, "ARCH_GET_FS" }, { 0x541b, "FIONREAD" },
	{ 0x5401, "TCGETS" },
	{ 0, "small" }, { 0, "small" }, { 0, "small" }, { 0, "random" },
	/* the path strings, at RO_PATHS + 32 * index (see paths[]) */
	{ RO_PATHS + 0 * 32, "path:f" }, { RO_PATHS + 1 * 32, "path:d" }, { RO_PATHS + 2 * 32, "path:l" },
	{ RO_PATHS + 3 * 32, "path:m" }, { RO_PATHS + 4 * 32, "path:\"\"" },
	{ RO_PATHS + 5 * 32, "path:/etc/passwd" }, { RO_PATHS + 6 * 32, "path:/dev/null" },
	{ RO_PATHS + 7 * 32, "path:/proc/self/maps" }, { RO_PATHS + 8 * 32, "path:f/x" },
	{ RO_PATHS + 9 * 32, "path:d/" }, { RO_PATHS + 1024, "path:long(300)" },
};
#define NVALUES (sizeof(values) / sizeof(values[0]))
/* f: a file, d: a directory, l: a symlink to f, m: missing */
static const char *const paths[] = { "f", "d", "l", "m", "", "/etc/passwd", "/dev/null",
				     "/proc/self/maps", "f/x", "d/" };

/* Buffer fills: what the pointed-to structures hold. */
enum fill { F_ZERO, F_ONES, F_RANDOM, F_VALUES, F_N };
static const char *const fill_names[] = { "zero", "0xff", "random", "values" };

struct call {
	uint64_t a[6];
	int vi[6];		/* index into values[] of each argument */
	enum fill fill;
	uint64_t fill_seed;
	int skip;
};

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Typed draws: each argument kind's pool of values (names in values[]), repeats weigh. */
static const char *const pools[][20] = {
	['f' - 'a'] = { "fd:file", "fd:dir", "fd:pipe_r", "fd:pipe_w", "fd:null", "fd:opath", "fd:file",
			"fd:dir", "-1", "0", "small", "INT_MAX", "AT_FDCWD", "INT_MIN" },
	['a' - 'a'] = { "AT_FDCWD", "AT_FDCWD", "AT_FDCWD", "fd:dir", "fd:dir", "fd:file", "fd:opath",
			"fd:null", "-1", "small", "INT_MAX" },
	['s' - 'a'] = { "path:f", "path:d", "path:l", "path:m", "path:\"\"", "path:/etc/passwd",
			"path:/dev/null", "path:/proc/self/maps", "path:f/x", "path:d/", "path:long(300)",
			"path:f", "path:d", "path:m", "NULL", "unmapped", "kernel", "buf", "buf_end", "ro_page" },
	['p' - 'a'] = { "buf", "buf", "buf", "buf_end", "NULL", "ro_page", "unmapped", "kernel", "path:f" },
	['u' - 'a'] = { "0", "1", "4096", "INT_MAX", "SIZE_MAX", "1<<40", "small", "small", "INT_MIN", "2" },
	['i' - 'a'] = { "0", "1", "-1", "2", "small", "small", "INT_MAX", "INT_MIN", "flags:unknown", "-4095" },
	['x' - 'a'] = { "0", "0", "small", "small", "flags:all", "flags:unknown", "flags:bit30",
			"AT_SYMLINK_NOFOLLOW", "AT_EMPTY_PATH", "O_NONBLOCK", "O_CLOEXEC" },
	['o' - 'a'] = { "O_RDWR|O_CREAT", "O_WRONLY|O_CREAT|O_EXCL", "O_DIRECTORY", "O_PATH", "O_CLOEXEC",
			"O_NONBLOCK", "0", "1", "2", "flags:all", "flags:unknown", "small" },
	['m' - 'a'] = { "0644", "0777", "0", "small", "flags:all", "S_IFIFO|0644", "S_IFCHR|0644",
			"S_IFSOCK|0644", "INT_MAX" },
	['n' - 'a'] = { "0", "0", "1", "-1", "small", "INT_MAX", "INT_MIN", "-4095" },
};
static int pool_idx[26][20], pool_len[26];
static const char *sig_of[NR_MAX + 1];

/* Resolves the pools' names and each number's signature once, before any child exists. */
static void init_tables(void)
{
	for (size_t k = 0; k < sizeof(pools) / sizeof(pools[0]); k++)
		for (int j = 0; j < 20 && pools[k][j]; j++) {
			size_t v = 0;
			while (v < NVALUES && strcmp(values[v].name, pools[k][j]))
				v++;
			if (v == NVALUES) {
				fprintf(stderr, "fuzz: pool value %s unknown\n", pools[k][j]);
				exit(2);
			}
			pool_idx[k][pool_len[k]++] = (int)v;
		}
	for (size_t i = 0; i < sizeof(fuzz_sigs) / sizeof(fuzz_sigs[0]); i++)
		for (int nr = 0; nr <= NR_MAX; nr++)
			if (fuzz_names[nr] && !strcmp(fuzz_names[nr], fuzz_sigs[i].name))
				sig_of[nr] = fuzz_sigs[i].sig;
}

static uint64_t value_of(uint64_t *s, int i)
{
	if (!strcmp(values[i].name, "small"))
		return splitmix(s) % 64;
	if (!strcmp(values[i].name, "random"))
		return splitmix(s);
	return values[i].v;
}

/* kind: a signature letter, or 0 for any value */
static uint64_t draw_typed(uint64_t *s, int *vi, char kind)
{
	int k = kind - 'a';
	if (kind < 'a' || k >= (int)(sizeof(pools) / sizeof(pools[0])) || !pool_len[k])
		*vi = (int)(splitmix(s) % NVALUES);
	else
		*vi = pool_idx[k][splitmix(s) % (uint64_t)pool_len[k]];
	return value_of(s, *vi);
}

static uint64_t draw_value(uint64_t *s, int *vi)
{
	int i = (int)(splitmix(s) % NVALUES);
	*vi = i;
	if (!strcmp(values[i].name, "small"))
		return splitmix(s) % 64;
	if (!strcmp(values[i].name, "random"))
		return splitmix(s);
	return values[i].v;
}

static int name_is(int nr, const char *name) { return fuzz_names[nr] && !strcmp(fuzz_names[nr], name); }

static const char *excluded_why(int nr)
{
	for (size_t i = 0; i < sizeof(excluded) / sizeof(excluded[0]); i++)
		if (name_is(nr, excluded[i].name))
			return excluded[i].why;
	return NULL;
}

/* Call i of number nr: its arguments, the buffer fill, and whether a rule vetoes it. Pure. */
static void make_call(uint64_t seed, int nr, int i, struct call *c)
{
	uint64_t s = seed * 0x100000001b3ull ^ ((uint64_t)nr << 32) ^ (uint64_t)i;
	splitmix(&s);
	/* half the calls of a number with a signature draw each argument from its kind's pool */
	const char *sig = (sig_of[nr] && (splitmix(&s) & 1)) ? sig_of[nr] : "";
	for (int k = 0; k < 6; k++)
		c->a[k] = draw_typed(&s, &c->vi[k], k < (int)strlen(sig) ? sig[k] : 0);
	c->fill = (enum fill)(splitmix(&s) % F_N);
	c->fill_seed = splitmix(&s);
	c->skip = 0;
	for (size_t b = 0; b < sizeof(bounds) / sizeof(bounds[0]); b++) {
		if (!name_is(nr, bounds[b].name))
			continue;
		int k = bounds[b].arg;
		if (bounds[b].kind == B_TIMEOUT_INT) {
			c->a[k] = 0;
			c->vi[k] = 0;
		} else if (bounds[b].kind == B_TIMEOUT_PTR) {
			static const uint64_t ok[] = { RO_ZERO, UNMAPPED, 0xffff800000000000ull };
			static const int okv[] = { 4, 3, 7 };
			int j = (int)(splitmix(&s) % 3);
			c->a[k] = ok[j];
			c->vi[k] = okv[j];
		} else if (c->a[k] > 65536) {
			c->a[k] = 65536;
			c->vi[k] = -1;
		}
	}
	/* mmap: no MAP_POPULATE or MAP_LOCKED, which would fill gigabytes of the host's memory */
	if (name_is(nr, "mmap"))
		c->a[3] &= ~(uint64_t)(MAP_POPULATE | MAP_LOCKED);
	/* flock: always LOCK_NB (the two pipe ends are two open files of one inode: a lock on each
	 * would wait forever) */
	if (name_is(nr, "flock"))
		c->a[1] |= 4;
	/* fcntl: no F_SETOWN, F_SETOWN_EX or F_SETSIG: O_ASYNC signals (even SIGKILL) would go to the
	 * owner, which may be the fuzzer's own pid 1 */
	if (name_is(nr, "fcntl") && (c->a[1] == F_SETOWN || c->a[1] == F_SETSIG || c->a[1] == F_SETOWN_EX))
		c->skip = 1;
	/* setrlimit, prlimit64: no RLIMIT_CPU, whose signal comes at a timer tick, during whichever call
	 * runs then */
	if ((name_is(nr, "setrlimit") && (uint32_t)c->a[0] == RLIMIT_CPU) ||
	    (name_is(nr, "prlimit64") && (uint32_t)c->a[1] == RLIMIT_CPU && c->a[2]))
		c->skip = 1;
	/* prctl: no PR_SET_SECCOMP (seccomp is excluded) */
	if (name_is(nr, "prctl") && (uint32_t)c->a[0] == 22)
		c->skip = 1;
}

static void fill_buffer(const struct call *c)
{
	uint64_t *w = (uint64_t *)BUF, s = c->fill_seed;
	int vi;
	switch (c->fill) {
	case F_ZERO: memset(w, 0, BUF_SIZE); break;
	case F_ONES: memset(w, 0xff, BUF_SIZE); break;
	case F_RANDOM:
		for (size_t k = 0; k < BUF_SIZE / 8; k++)
			w[k] = splitmix(&s);
		break;
	default:
		for (size_t k = 0; k < BUF_SIZE / 8; k++)
			w[k] = draw_value(&s, &vi);
		break;
	}
}

static long raw_syscall(long n, const uint64_t *a)
{
	register long r10 __asm__("r10") = (long)a[3];
	register long r8 __asm__("r8") = (long)a[4];
	register long r9 __asm__("r9") = (long)a[5];
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static void die(const char *what)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* ---- the child: a fresh scratch directory and descriptors, then calls start..n-1 ---- */
static void child_setup(int nr, int restart)
{
	char dir[64];
	signal(SIGCHLD, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	snprintf(dir, sizeof(dir), "n%d.%d", nr, restart);
	if (mkdir(dir, 0755) || chdir(dir))
		_exit(120);
	int fd = open("f", O_RDWR | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || write(fd, "cella fuzz scratch file\n", 24) != 24 || close(fd) ||
	    mkdir("d", 0755) || symlink("f", "l"))
		_exit(121);
	int dn = open("/dev/null", O_RDWR);
	if (dn < 0 || dup2(dn, 0) < 0 || dup2(dn, 1) < 0 || dup2(dn, 2) < 0)
		_exit(122);
	close_range(3, ~0u, 0);
	int p[2];
	/* fd 7 shares 0-2's open file description: a flock on one then the other would wait forever */
	if (open("f", O_RDWR) != 3 || open("d", O_RDONLY | O_DIRECTORY) != 4 ||
	    pipe2(p, O_NONBLOCK) || p[0] != 5 || p[1] != 6 || dup(0) != 7 || open("f", O_PATH) != 8)
		_exit(123);
}

static __attribute__((noreturn)) void child_run(uint64_t seed, int nr, int start, int n, int restart)
{
	child_setup(nr, restart);
	for (int i = start; i < n; i++) {
		struct call c;
		make_call(seed, nr, i, &c);
		int32_t cls = R_SKIP;
		if (!c.skip) {
			fill_buffer(&c);
			long r = raw_syscall(nr, c.a);
			cls = (r < 0 && r >= -4095) ? (int32_t)r : 0;
		}
		RES->res[i] = cls;
		RES->done = i + 1;
	}
	uint64_t a[6] = { 0 };
	raw_syscall(SYS_exit_group, a);
	__builtin_unreachable();
}

/* ---- the parent ---- */
static void on_sigchld(int sig) { (void)sig; }

static int ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int)((t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000);
}

/* Runs number nr's calls, restarting after a hang or a crash at the next call. */
static void run_number(uint64_t seed, int nr, int n, int limit_ms)
{
	int start = 0, restart = 0;
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	while (start < n) {
		RES->done = start;
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			child_run(seed, nr, start, n, restart);
		int last = start, status = 0, hung = 0;
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (;;) {
			pid_t w = waitpid(pid, &status, WNOHANG);
			if (w == pid)
				break;
			int d = RES->done;
			if (d != last) {
				last = d;
				clock_gettime(CLOCK_MONOTONIC, &t0);
			} else if (ms_since(&t0) > limit_ms) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
				hung = 1;
				break;
			}
			struct timespec tick = { 0, 20 * 1000000 };
			sigtimedwait(&chld, NULL, &tick);
		}
		int d = RES->done;
		if (hung && d < n) {
			RES->res[d] = R_HANG;
			start = d + 1;
		} else if (WIFSIGNALED(status) && d < n) {
			RES->res[d] = R_SIG - WTERMSIG(status);
			start = d + 1;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || d < n) {
			fprintf(stderr, "fuzz: number %d: child exit %d after %d calls\n", nr,
				WEXITSTATUS(status), d);
			for (int i = d; i < n; i++)
				RES->res[i] = R_SIG;	/* "sig0": the child exited early */
			start = n;
		} else {
			start = n;
		}
		restart++;
	}
}

static void print_result(int32_t r)
{
	if (r == R_HANG)
		fputs(" hang", stdout);
	else if (r <= R_SIG)
		printf(" sig%d", R_SIG - r);
	else if (r == R_SKIP)
		fputs(" skip", stdout);
	else if (r >= 0)
		fputs(" ok", stdout);
	else {
		const char *e = strerrorname_np(-r);
		if (e)
			printf(" %s", e);
		else
			printf(" E%d", -r);
	}
}

/* rm -rf of a scratch subdirectory, not following symlinks; restores search/write permission
 * (the child may have chmodded its directories). */
static void remove_tree(int dirfd, const char *name)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return;
	if (S_ISDIR(st.st_mode)) {
		fchmodat(dirfd, name, 0700, 0);
		/* a pass per retry: removing entries while reading the directory may skip some */
		for (int pass = 0; pass < 8 && unlinkat(dirfd, name, AT_REMOVEDIR) && errno == ENOTEMPTY; pass++) {
			int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
			if (fd < 0)
				return;
			char buf[4096];
			long n;
			while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
				for (long off = 0; off < n;) {
					struct { uint64_t ino; int64_t off; unsigned short reclen; unsigned char type; char name[]; } *e =
						(void *)(buf + off);
					if (strcmp(e->name, ".") && strcmp(e->name, ".."))
						remove_tree(fd, e->name);
					off += e->reclen;
				}
			}
			close(fd);
		}
	} else {
		unlinkat(dirfd, name, 0);
	}
}

static void map_fixed(uint64_t addr, size_t len, int prot, int flags)
{
	void *p = mmap((void *)addr, len, PROT_READ | PROT_WRITE, flags | MAP_FIXED_NOREPLACE | MAP_ANONYMOUS, -1, 0);
	if (p != (void *)addr)
		die("mmap of a fixed area");
	if (addr == RO_PATHS) {
		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
			strcpy((char *)addr + 32 * i, paths[i]);
		memset((char *)addr + 1024, 'a', 300);
	}
	if (prot != (PROT_READ | PROT_WRITE) && mprotect(p, len, prot))
		die("mprotect of a fixed area");
}

/* "0-460", "3,72-80" -> want[] */
static void parse_list(const char *s, char *want)
{
	while (*s) {
		char *e;
		long a = strtol(s, &e, 10), b = a;
		if (*e == '-')
			b = strtol(e + 1, &e, 10);
		for (long i = a; i <= b && i <= NR_MAX; i++)
			if (i >= 0)
				want[i] = 1;
		s = *e == ',' ? e + 1 : e;
		if (e == s && *s)
			break;
	}
}

static void print_args(uint64_t seed, int nr, int i)
{
	struct call c;
	make_call(seed, nr, i, &c);
	printf("%s(", fuzz_names[nr] ? fuzz_names[nr] : "?");
	for (int k = 0; k < 6; k++) {
		const char *vn = c.vi[k] >= 0 ? values[c.vi[k]].name : "bounded";
		printf("%s%#llx", k ? ", " : "", (unsigned long long)c.a[k]);
		if (strcmp(vn, "small") && strcmp(vn, "random") && strcmp(vn, "1") && strcmp(vn, "2") &&
		    strcmp(vn, "0") && strcmp(vn, "4096"))
			printf("=%s", vn);
	}
	printf(") buffer=%s%s\n", fill_names[c.fill], c.skip ? " (skipped)" : "");
}

int main(int argc, char **argv)
{
	uint64_t seed = 1;
	int n = 20, limit_ms = 10000, args_only = 0, iter = 0, opt;
	const char *dir = NULL, *list = "0-460";
	static char want[NR_MAX + 1];
	const char *triples = NULL;
	while ((opt = getopt(argc, argv, "s:N:n:t:C:ai:xA:")) != -1) {
		switch (opt) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'N': n = atoi(optarg); break;
		case 'n': list = optarg; break;
		case 't': limit_ms = atoi(optarg); break;
		case 'C': dir = optarg; break;
		case 'a': args_only = 1; break;
		case 'i': iter = atoi(optarg); break;
		case 'A': triples = optarg; break;
		case 'x':
			for (size_t i = 0; i < sizeof(excluded) / sizeof(excluded[0]); i++)
				printf("%-20s %s\n", excluded[i].name, excluded[i].why);
			return 0;
		default:
			fprintf(stderr, "usage: fuzz [-s seed] [-N iters] [-n list] [-t ms] [-C dir] | -a -n NR -i I | -x\n");
			return 2;
		}
	}
	if (n < 1 || n > ITERS_MAX) {
		fprintf(stderr, "fuzz: -N must be 1..%d\n", ITERS_MAX);
		return 2;
	}
	init_tables();
	if (triples && !strcmp(triples, "-")) {
		unsigned long long sd;
		int nr, i;
		while (scanf("%llu:%d:%d", &sd, &nr, &i) == 3)
			if (nr >= 0 && nr <= NR_MAX) {
				printf("%llu:%d:%d ", sd, nr, i);
				print_args(sd, nr, i);
			}
		return 0;
	}
	if (triples) {
		for (const char *t = triples; *t;) {
			unsigned long long sd;
			int nr, i, len;
			if (sscanf(t, "%llu:%d:%d%n", &sd, &nr, &i, &len) != 3 || nr < 0 || nr > NR_MAX)
				break;
			printf("%llu:%d:%d ", sd, nr, i);
			print_args(sd, nr, i);
			t += len;
			t += *t == ',';
		}
		return 0;
	}
	parse_list(list, want);
	init_tables();
	if (args_only) {
		for (int nr = 0; nr <= NR_MAX; nr++)
			if (want[nr])
				print_args(seed, nr, iter);
		return 0;
	}
	/* Safety: random calls only unprivileged and as pid 1 of their own pid namespace (or cella's
	 * instance), where pid-valued arguments (0, 1, -1, small numbers) name only our processes. */
	if (geteuid() == 0 || getuid() == 0) {
		fprintf(stderr, "fuzz: refusing to make random calls as root\n");
		return 2;
	}
	if (getpid() != 1) {
		fprintf(stderr, "fuzz: refusing to run outside a fresh pid namespace (pid %d, not 1)\n", getpid());
		return 2;
	}
	/* The limits that differ between the host and an instance, made the same on both sides
	 * (the instance's max_num_of_threads is 4096: compare.py) */
	static const struct { int res; rlim_t v; } lim[] = {
		{ RLIMIT_NPROC, 4096 }, { RLIMIT_NOFILE, 1024 }, { RLIMIT_SIGPENDING, 1024 },
	};
	for (size_t i = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
		struct rlimit r = { lim[i].v, lim[i].v };
		if (setrlimit(lim[i].res, &r))
			die("setrlimit");
	}
	if (dir && ((mkdir(dir, 0755) && errno != EEXIST) || chdir(dir)))
		die(dir);
	/* Signals a call can arrange for the child (timers, O_ASYNC, a broken pipe, resource limits)
	 * are ignored, by everyone: their timing would make results nondeterministic. */
	static const int ign[] = { SIGPIPE, SIGALRM, SIGVTALRM, SIGPROF, SIGIO, SIGXCPU, SIGXFSZ,
				   SIGHUP, SIGUSR1, SIGUSR2, SIGTTIN, SIGTTOU, SIGTSTP };
	for (size_t i = 0; i < sizeof(ign) / sizeof(ign[0]); i++)
		signal(ign[i], SIG_IGN);
	/* pid 1 stays a passive waiter; the worker gets a pid above every small argument value, and
	 * its own process group, so no argument names it. */
	pid_t w;
	do {
		w = fork();
		if (w == 0)
			_exit(0);
		if (w < 0)
			die("fork");
		waitpid(w, NULL, 0);
	} while (w < 64);
	w = fork();
	if (w < 0)
		die("fork");
	if (w > 0) {
		int st;
		while (waitpid(w, &st, 0) < 0 && errno == EINTR)
			;
		return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	setpgid(0, 0);
	/* A handler, so that SIGCHLD is not an ignored signal: the wait below takes it blocked from the
	 * queue. (cella drops a blocked SIGCHLD whose action is the default; Linux queues it.) */
	struct sigaction sa = { .sa_handler = on_sigchld };
	sigaction(SIGCHLD, &sa, NULL);
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);

	map_fixed(RES_ADDR, sizeof(struct results), PROT_READ | PROT_WRITE, MAP_SHARED);
	map_fixed(RO_ZERO, 4096, PROT_READ, MAP_PRIVATE);
	map_fixed(RO_PATHS, 4096, PROT_READ, MAP_PRIVATE);
	map_fixed(BUF, BUF_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	if (msync((void *)UNMAPPED, 4096, 0) == 0 || msync((void *)(BUF + BUF_SIZE), 4096, 0) == 0) {
		fprintf(stderr, "fuzz: the unmapped areas are mapped\n");
		return 2;
	}
	printf("# fuzz seed %llu, %d calls per number\n", (unsigned long long)seed, n);
	fflush(stdout);
	for (int nr = 0; nr <= NR_MAX; nr++) {
		if (!want[nr])
			continue;
		const char *name = fuzz_names[nr] ? fuzz_names[nr] : "unassigned";
		if (excluded_why(nr))
			continue;
		run_number(seed, nr, n, limit_ms);
		printf("%d %s:", nr, name);
		for (int i = 0; i < n; i++)
			print_result(RES->res[i]);
		putchar('\n');
		fflush(stdout);
		for (int k = 0; k <= n; k++) {
			char sub[64];
			struct stat st;
			snprintf(sub, sizeof(sub), "n%d.%d", nr, k);
			if (fstatat(AT_FDCWD, sub, &st, AT_SYMLINK_NOFOLLOW))
				break;
			remove_tree(AT_FDCWD, sub);
		}
	}
	return 0;
}
