/* libos/shared/region.h — the shared region: one host memfd mapped MAP_SHARED into every process of
 * the instance. It holds only fixed-size tables indexed by number (never a pointer), one lock that
 * survives a holder's death, the pid map and the process table. */
#ifndef LIBOS_SHARED_REGION_H
#define LIBOS_SHARED_REGION_H

#include <stdint.h>
#include "../signal/signal.h"

#define SH_MAGIC 0x4e4f494745524853ull	/* "SHREGION" */
#define SH_VERSION 1
#define SH_PID_MAX 32768		/* pids and tids are 1 .. SH_PID_MAX-1, as Linux's default pid_max */
#define SH_PROCS 1024			/* live and zombie processes at once */
#define SH_INQ 16			/* signals posted to one process from others, not yet taken */

/* Process slot states. A slot is FREE (pid 0), ALIVE, or a ZOMBIE waiting for its parent. */
enum { SP_FREE = 0, SP_ALIVE = 1, SP_ZOMBIE = 2 };

/* Slot flags. */
#define SPF_EXECED	1u	/* it has called execve: its parent may no longer setpgid it */
#define SPF_NOCLDWAIT	2u	/* SIGCHLD is SIG_IGN or SA_NOCLDWAIT: children are reaped at exit */
#define SPF_IGNCHLD	4u	/* SIGCHLD is SIG_IGN: exiting children send none */
#define SPF_SHAREDVM	8u	/* a vfork child in its parent's memory: it may hold the parent's
				 * LibOS locks, so it is never killed from outside mid-way */

/* A signal sent to this process by another, waiting for it to be taken (signal/remote.c). */
struct sh_signal {
	int32_t tid;		/* 0: the process; else the thread it was sent to */
	int32_t pad;
	struct ksiginfo info;
};

struct sh_proc {
	int32_t pid;		/* 0: free slot */
	int32_t state;
	int32_t ppid, pgid, sid;
	int32_t host_pid;
	uint32_t uid, suid;	/* real and saved uid: kill's permission rule (cred.c keeps them) */
	uint32_t flags;
	int32_t exit_signal;	/* sent to the parent when it ends (clone's CSIGNAL) */
	int32_t wstatus;	/* wait status once a zombie */
	int32_t ntids;		/* pid map entries it owns: its pid and its threads' tids */
	uint32_t child_event;	/* futex word: bumped whenever one of its children changes state */
	uint32_t vfork_wait;	/* futex word: 1 until a vfork child (own memory) execs or ends */
	uint32_t in_count;	/* entries in `in` */
	uint32_t in_lost;	/* standard signals that found `in` full (coalesced bits) */
	uint64_t sig_ignored;	/* signals it would ignore: senders drop them, as Linux does */
	uint64_t cap_eff, cap_prm, cap_inh;	/* its capability sets, for capget(pid) */
	int64_t utime_us, stime_us;	/* at exit: for the parent's wait4 rusage and SIGCHLD */
	int64_t maxrss_kb;
	int64_t cutime_us, cstime_us, cmaxrss_kb;	/* its reaped children's, for RUSAGE_CHILDREN */
	struct sh_signal in[SH_INQ];
};

/* An owner table entry (owners.c). Readers take no lock: they read `seq`, the fields, then `seq`
 * again, and retry if it was odd or changed; writers hold the region lock and make `seq` odd
 * while they write. ino 0: a free entry. */
#define SH_OWNER_WAYS 8		/* entries per bucket: an inode lives in bucket hash(ino) */
#define SH_OWNER_BUCKETS 2048	/* 16384 tmpfs nodes at once */
#define SH_OWNER_RELEASED 0x80000000u	/* in mode: no name left, the entry may be reused */
struct sh_owner {
	uint32_t seq;
	uint32_t mode;		/* 07777 | SH_OWNER_RELEASED */
	uint64_t ino;		/* host inode number of the tmpfs node */
	uint32_t uid, gid;
	int64_t ctime_ns;
};

struct sh_lock {
	uint32_t owner;		/* host tid of the holder, 0 when free */
	uint32_t waiters;
};

struct sh_region {
	uint64_t magic;
	uint32_t version;
	int32_t last_pid;	/* pids are handed out cyclically after it */
	struct sh_lock lock;
	int32_t nprocs;		/* slots in use are below this index: scans stop there */
	int32_t pad;
	/* The lowest free slot is handed out, so scans touch few pages: a fork child maps each
	 * page of the region it touches with a fault of its own. */
	struct sh_proc procs[SH_PROCS];
	int16_t pid_owner[SH_PID_MAX];	/* slot + 1 of the process a pid or tid belongs to, 0 if free */
	struct sh_owner owners[SH_OWNER_BUCKETS * SH_OWNER_WAYS];	/* tmpfs owners (owners.c) */
};

extern struct sh_region *shr;
/* This process's own slot is `sh_self` (process.h). */

/* Creates the region (fd < 0: the first process) or maps the one inherited as host fd `fd`,
 * before vm_init. Returns the host fd that execve hands on, or -errno. */
long region_attach(int fd);
int region_fd(void);

/* The region lock: held for short table updates only, never across a blocking host call. A
 * holder that dies (a SIGKILLed process) is noticed by the next waiter, which takes over. */
void sh_lock(void);
void sh_unlock(void);

/* Hands out an unused pid for slot `slot` (lock held): the next after last_pid, wrapping to 2.
 * Returns the pid, or -EAGAIN when every pid is taken. */
int sh_alloc_pid(int slot);
/* Gives back a pid or tid (lock held). */
void sh_free_pid(int pid);
/* The process a pid or tid belongs to, or NULL (lock held or a racy peek). */
struct sh_proc *sh_proc_of(int pid);
/* The same, looked up under the lock, with the process's pid in *tgid (0 if none): callers that
 * act on the slot later pass that pid along, so a slot reused meanwhile is never mistaken. */
struct sh_proc *sh_lookup(int pid, int *tgid);
static inline int sh_slot(const struct sh_proc *p) { return (int)(p - shr->procs); }

/* Thread ids: new ones for this process's threads, freed when the thread ends. */
int sh_alloc_tid(void);
void sh_free_tid(int tid);

#endif
