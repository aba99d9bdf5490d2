/* libos/shared/region.c — the shared region's memfd, its lock and the pid map. The first process
 * creates the memfd; fork inherits the mapping, execve hands the fd on (--shared-fd). Only numbers
 * live here, so each process may map it wherever it likes. */
#include "region.h"
#include "../errno.h"
#include "../log.h"
#include "../process/process.h"

struct sh_region *shr;
static int shr_fd = -1;

long region_attach(int fd)
{
	size_t size = (sizeof(struct sh_region) + 4095) & ~4095ul;
	int fresh = fd < 0;
	if (fresh) {
		/* No MFD_CLOEXEC: the next runtime an execve starts maps the same region. */
		fd = (int)PAL_CALL2(__NR_memfd_create, "cella-shared", 0);
		if (fd < 0)
			return fd;
		long r = pal_ftruncate(fd, (long)size);
		if (r < 0)
			return r;
	}
	/* Mapped before the VM manager starts, which then records it as the runtime's, as it does
	 * the LibOS heap: placed later, the host could put it where the app's stack is to go. */
	long p = pal_mmap(0, size, 3 /* RW */, 0x01 /* MAP_SHARED */, fd, 0);
	if (p < 0)
		return p;
	shr = (struct sh_region *)p;
	shr_fd = fd;
	if (fresh) {
		shr->magic = SH_MAGIC;
		shr->version = SH_VERSION;
	} else if (shr->magic != SH_MAGIC || shr->version != SH_VERSION) {
		return -EINVAL;
	}
	return fd;
}

int region_fd(void)
{
	return shr_fd;
}

static uint32_t my_host_tid(void)
{
	return (uint32_t)__atomic_load_n(&thread_current()->host_tid, __ATOMIC_RELAXED);
}

/* The holder is gone if its host thread no longer exists (sched_getscheduler takes any thread's
 * id, where kill takes only a process's). A recycled tid could make a dead holder look alive;
 * that only delays, never breaks. */
static int holder_dead(uint32_t tid)
{
	return tid && PAL_CALL1(__NR_sched_getscheduler, tid) == -ESRCH;
}

void sh_lock(void)
{
	uint32_t me = my_host_tid();
	for (int spins = 0;; spins++) {
		uint32_t cur = 0;
		if (__atomic_compare_exchange_n(&shr->lock.owner, &cur, me, 0, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
		if (spins < 64) {
			__builtin_ia32_pause();
			continue;
		}
		/* A shared (not private) futex: the waiters are in other processes too. */
		int64_t ts[2] = { 0, 20 * 1000 * 1000 };
		__atomic_add_fetch(&shr->lock.waiters, 1, __ATOMIC_SEQ_CST);
		long r = PAL_CALL6(__NR_futex, &shr->lock.owner, 0 /* FUTEX_WAIT */, cur, ts, 0, 0);
		__atomic_sub_fetch(&shr->lock.waiters, 1, __ATOMIC_SEQ_CST);
		if (r == -ETIMEDOUT && holder_dead(cur) &&
		    __atomic_compare_exchange_n(&shr->lock.owner, &cur, 0, 0, __ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED))
			log_warn("shared region: host thread %u died holding the lock; taken over", cur);
	}
}

void sh_unlock(void)
{
	__atomic_store_n(&shr->lock.owner, 0, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&shr->lock.waiters, __ATOMIC_SEQ_CST))
		PAL_CALL6(__NR_futex, &shr->lock.owner, 1 /* FUTEX_WAKE */, 1, 0, 0, 0);
}

/* Linux does not hand out a number still in use as a process group or session id. */
static int names_a_group(int pid)
{
	for (int i = 0; i < shr->nprocs; i++) {
		const struct sh_proc *p = &shr->procs[i];
		if (p->pid && (p->pgid == pid || p->sid == pid))
			return 1;
	}
	return 0;
}

int sh_alloc_pid(int slot)
{
	int pid = shr->last_pid;
	for (int n = 0; n < SH_PID_MAX; n++) {
		if (++pid >= SH_PID_MAX)
			pid = 2;	/* pid 1 is the instance's init, for as long as it lives */
		if (shr->pid_owner[pid] || names_a_group(pid))
			continue;
		shr->pid_owner[pid] = (int16_t)(slot + 1);
		shr->procs[slot].ntids++;
		shr->last_pid = pid;
		return pid;
	}
	return -EAGAIN;
}

void sh_free_pid(int pid)
{
	if (pid <= 0 || pid >= SH_PID_MAX || !shr->pid_owner[pid])
		return;
	shr->procs[shr->pid_owner[pid] - 1].ntids--;
	shr->pid_owner[pid] = 0;
}

struct sh_proc *sh_proc_of(int pid)
{
	if (pid <= 0 || pid >= SH_PID_MAX)
		return NULL;
	int s = __atomic_load_n(&shr->pid_owner[pid], __ATOMIC_RELAXED);
	return s ? &shr->procs[s - 1] : NULL;
}

struct sh_proc *sh_lookup(int pid, int *tgid)
{
	sh_lock();
	struct sh_proc *p = sh_proc_of(pid);
	*tgid = p ? p->pid : 0;
	sh_unlock();
	return *tgid ? p : NULL;
}

int sh_alloc_tid(void)
{
	sh_lock();
	int tid = sh_alloc_pid(sh_slot(sh_self));
	sh_unlock();
	return tid;
}

void sh_free_tid(int tid)
{
	sh_lock();
	if (sh_proc_of(tid) == sh_self && tid != sh_self->pid)
		sh_free_pid(tid);
	sh_unlock();
}
