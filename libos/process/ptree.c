/* libos/process/ptree.c — the process tree in the shared region, after Linux's kernel/exit.c and
 * kernel/sys.c: every change happens under the region lock; futex wake-ups and host kicks follow
 * once it is dropped. A child's parent is named by pid, the reaper of orphans is pid 1. */
#include "ptree.h"
#include "process.h"
#include "cred.h"
#include "../errno.h"
#include "../log.h"
#include "../signal/remote.h"

#define CLD_EXITED_ 1
#define CLD_KILLED_ 2	/* (CLD_DUMPED 3 comes as killed too: no core is written) */

long ptree_init_first(void)
{
	sh_lock();
	struct sh_proc *p = &shr->procs[0];
	shr->nprocs = 1;
	long pid = sh_alloc_pid(0);
	if (pid == 1) {
		*p = (struct sh_proc){ .pid = 1, .state = SP_ALIVE, .ppid = 0, .pgid = 1, .sid = 1,
				       .host_pid = (int)pal_getpid(), .uid = proc.uid, .suid = proc.suid, .ntids = 1,
				       .cap_eff = proc.cap_eff, .cap_prm = proc.cap_prm, .cap_inh = proc.cap_inh,
				       .exit_signal = SIGCHLD_ };
		sh_self = p;
	}
	sh_unlock();
	return pid == 1 ? 0 : -EINVAL;
}

/* Gives back every tid of p but its pid: its threads are gone (lock held). */
static void free_thread_ids(struct sh_proc *p)
{
	int slot1 = sh_slot(p) + 1;
	for (int pid = 1; pid < SH_PID_MAX && p->ntids > 1; pid++)
		if (shr->pid_owner[pid] == slot1 && pid != p->pid)
			sh_free_pid(pid);
}

/* A parent waiting for its vfork child (clone(CLONE_VFORK) without CLONE_VM) goes on. */
static void vfork_release(struct sh_proc *p)
{
	if (__atomic_exchange_n(&p->vfork_wait, 0, __ATOMIC_ACQ_REL))
		PAL_CALL6(__NR_futex, &p->vfork_wait, 1 /* FUTEX_WAKE (shared) */, 0x7fffffff, 0, 0, 0);
}

long ptree_reattach(int pid)
{
	sh_lock();
	struct sh_proc *p = sh_proc_of(pid);
	long r = -ESRCH;
	if (p && p->pid == pid && p->state == SP_ALIVE) {
		sh_self = p;
		p->host_pid = (int)pal_getpid();
		p->flags = (p->flags | SPF_EXECED) & ~SPF_SHAREDVM;
		free_thread_ids(p);	/* the old image's threads did not survive execve */
		cred_publish();	/* a set-user-ID image changed them */
		r = 0;
	}
	sh_unlock();
	if (r == 0)
		vfork_release(p);
	return r;
}

struct sh_proc *ptree_new_child(int exit_signal, int clone_parent, long *err)
{
	sh_lock();
	struct sh_proc *c = NULL;
	for (int i = 0; i < SH_PROCS && !c; i++)
		if (shr->procs[i].pid == 0 && shr->procs[i].ntids == 0)
			c = &shr->procs[i];
	int pid = c ? sh_alloc_pid(sh_slot(c)) : -EAGAIN;
	if (pid < 0) {
		sh_unlock();
		*err = -EAGAIN;
		return NULL;
	}
	if (sh_slot(c) >= shr->nprocs)
		shr->nprocs = sh_slot(c) + 1;
	const struct sh_proc *me = sh_self;
	*c = (struct sh_proc){
		.pid = pid, .state = SP_ALIVE, .ppid = clone_parent ? me->ppid : me->pid,
		.pgid = me->pgid, .sid = me->sid, .uid = me->uid, .suid = me->suid, .ntids = 1,
		.cap_eff = me->cap_eff, .cap_prm = me->cap_prm, .cap_inh = me->cap_inh,
		.flags = me->flags & (SPF_NOCLDWAIT | SPF_IGNCHLD),
		/* CLONE_PARENT: a sibling, which ends with the caller's own exit signal (Linux) */
		.exit_signal = clone_parent ? me->exit_signal : exit_signal,
	};
	sh_unlock();
	return c;
}

void ptree_abandon(struct sh_proc *c)
{
	sh_lock();
	sh_free_pid(c->pid);
	c->pid = 0;
	c->state = SP_FREE;
	sh_unlock();
}

/* Releases a reaped zombie's slot and pid (lock held). */
static void release(struct sh_proc *c)
{
	int pid = c->pid;
	c->pid = 0;
	c->state = SP_FREE;
	sh_free_pid(pid);
}

static void fill_chld(struct ksiginfo *info, const struct sh_proc *c)
{
	int ws = c->wstatus;
	*info = (struct ksiginfo){ .signo = SIGCHLD_,
				   .code = (ws & 0x7f) ? CLD_KILLED_ : CLD_EXITED_ };
	info->chld.pid = c->pid;
	info->chld.uid = c->uid;
	info->chld.status = (ws & 0x7f) ? (ws & 0x7f) : (ws >> 8) & 0xff;
	info->chld.utime = c->utime_us / 10000;	/* clock ticks (USER_HZ 100) */
	info->chld.stime = c->stime_us / 10000;
}

/* Tells zombie c's parent (lock held): its exit signal unless the parent ignores SIGCHLD, reaped
 * at once if the parent asked for no zombies. Returns the host pid to kick, or 0. */
static int notify_parent(struct sh_proc *c, uint32_t **wake)
{
	struct sh_proc *parent = sh_proc_of(c->ppid);
	*wake = NULL;
	if (!parent || parent->pid != c->ppid || parent->state != SP_ALIVE)
		return 0;
	int sig = c->exit_signal, autoreap = 0, kick = 0;
	if (sig == SIGCHLD_ && (parent->flags & SPF_NOCLDWAIT)) {
		autoreap = 1;
		if (parent->flags & SPF_IGNCHLD)
			sig = 0;
	}
	if (sig > 0 && sig <= SIG_NUM && !(parent->sig_ignored & SIGBIT(sig))) {
		struct ksiginfo info;
		fill_chld(&info, c);
		info.signo = sig;
		kick = remote_post_locked(parent, 0, &info) == 1;
	}
	__atomic_add_fetch(&parent->child_event, 1, __ATOMIC_RELEASE);
	*wake = &parent->child_event;
	if (autoreap)
		release(c);
	return kick ? parent->host_pid : 0;
}

static void wake(uint32_t *word)
{
	if (word)
		PAL_CALL6(__NR_futex, word, 1 /* FUTEX_WAKE (shared) */, 0x7fffffff, 0, 0, 0);
}

void ptree_exit(struct sh_proc *p, int pid, int ws)
{
	int64_t ru[18] = { 0 };	/* struct rusage: utime, stime (timevals), maxrss, ... */
	if (p == sh_self && pal_getrusage(0 /* RUSAGE_SELF */, ru) == 0) {
		p->utime_us = ru[0] * 1000000 + ru[1];
		p->stime_us = ru[2] * 1000000 + ru[3];
		p->maxrss_kb = ru[4];
	}
	int kicks[2] = { 0, 0 };
	uint32_t *wakes[2] = { NULL, NULL };
	sh_lock();
	if (p->state != SP_ALIVE || p->pid != pid) {	/* recorded already, or the slot is another's */
		sh_unlock();
		return;
	}
	free_thread_ids(p);
	struct sh_proc *init = sh_proc_of(1);
	for (int i = 0; i < shr->nprocs; i++) {	/* orphans go to pid 1 */
		struct sh_proc *c = &shr->procs[i];
		if (!c->pid || c->ppid != p->pid || c == p)
			continue;
		c->ppid = init && init != p ? 1 : 0;
		c->exit_signal = SIGCHLD_;	/* as Linux's reparent_leader: init waits for it plainly */
		if (c->state == SP_ZOMBIE && c->ppid) {
			uint32_t *w;
			int k = notify_parent(c, &w);
			kicks[0] = k ? k : kicks[0];
			wakes[0] = w ? w : wakes[0];
		}
	}
	p->state = SP_ZOMBIE;
	p->wstatus = ws;
	p->flags &= ~SPF_SHAREDVM;
	kicks[1] = notify_parent(p, &wakes[1]);
	sh_unlock();
	vfork_release(p);
	for (int i = 0; i < 2; i++) {
		wake(wakes[i]);
		if (kicks[i])
			remote_kick(kicks[i]);
	}
}

void ptree_kill_all_others(void)
{
	sh_lock();
	for (int i = 0; i < shr->nprocs; i++) {
		struct sh_proc *c = &shr->procs[i];
		if (c->pid && c != sh_self && c->state == SP_ALIVE && c->host_pid > 0)
			PAL_CALL2(__NR_kill, c->host_pid, 9);
	}
	sh_unlock();
}

void ptree_reap_vanished(void)
{
	for (int i = 0; i < shr->nprocs; i++) {
		struct sh_proc *c = &shr->procs[i];
		int hp = __atomic_load_n(&c->host_pid, __ATOMIC_RELAXED);
		int pid = __atomic_load_n(&c->pid, __ATOMIC_RELAXED);
		if (pid && c->ppid == proc.pid && c->state == SP_ALIVE && hp > 0 &&
		    PAL_CALL2(__NR_kill, hp, 0) == -ESRCH && c->host_pid == hp) {
			log_info("process %d (host %d) vanished: recorded as killed", pid, hp);
			ptree_exit(c, pid, W_SIGNALED(9));
		}
	}
}

/* Host children's ends, noted by the host SIGCHLD handler (which may interrupt the LibOS anywhere,
 * so it takes no lock) and recorded at the next delivery point. A full list drops a note: the
 * waiting parent's periodic check still finds the child. */
#define NOTES 64
static struct host_exit_note {
	int state;	/* 0 free, 1 being written, 2 ready */
	int host_pid, ws;
} notes[NOTES];
static int notes_pending;

void ptree_note_host_exit(int host_pid, int code, int status)
{
	int ws = code == CLD_EXITED_ ? W_EXITED(status) : W_SIGNALED(status);
	for (int i = 0; i < NOTES; i++) {
		int free_ = 0;
		if (__atomic_compare_exchange_n(&notes[i].state, &free_, 1, 0, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED)) {
			notes[i].host_pid = host_pid;
			notes[i].ws = ws;
			__atomic_store_n(&notes[i].state, 2, __ATOMIC_RELEASE);
			__atomic_store_n(&notes_pending, 1, __ATOMIC_RELEASE);
			return;
		}
	}
}

int ptree_host_exits_pending(void)
{
	return __atomic_load_n(&notes_pending, __ATOMIC_RELAXED);
}

void ptree_collect_host_exits(void)
{
	if (!__atomic_exchange_n(&notes_pending, 0, __ATOMIC_ACQ_REL))
		return;
	for (int i = 0; i < NOTES; i++) {
		if (__atomic_load_n(&notes[i].state, __ATOMIC_ACQUIRE) != 2)
			continue;
		int hp = notes[i].host_pid, ws = notes[i].ws;
		__atomic_store_n(&notes[i].state, 0, __ATOMIC_RELEASE);
		struct sh_proc *c = NULL;
		int pid = 0;
		sh_lock();
		for (int k = 0; k < shr->nprocs && !c; k++)
			if (shr->procs[k].pid && shr->procs[k].state == SP_ALIVE && shr->procs[k].host_pid == hp) {
				c = &shr->procs[k];
				pid = c->pid;
			}
		sh_unlock();
		if (c) {	/* it ended without recording it: the host's word is all there is */
			log_info("process %d (host %d) ended unrecorded: wait status %#x", pid, hp, ws);
			ptree_exit(c, pid, ws);
		}
	}
}

static int wait_matches(const struct sh_proc *c, int idtype, int id, unsigned options)
{
	if (idtype == P_PID_ && c->pid != id)
		return 0;
	if (idtype == P_PGID_ && c->pgid != id)
		return 0;
	if (options & WALL_)
		return 1;
	/* A "clone" child is one whose exit signal is not SIGCHLD: only __WCLONE waits for it. */
	return ((options & WCLONE_) != 0) == (c->exit_signal != SIGCHLD_);
}

long ptree_wait_once(int idtype, int id, unsigned options, struct wait_result *out)
{
	long r = -ECHILD;
	sh_lock();
	for (int i = 0; i < shr->nprocs; i++) {
		struct sh_proc *c = &shr->procs[i];
		if (!c->pid || c->ppid != proc.pid || c == sh_self || !wait_matches(c, idtype, id, options))
			continue;
		r = 0;
		if (c->state != SP_ZOMBIE || !(options & WEXITED_))
			continue;
		int ws = c->wstatus;
		*out = (struct wait_result){
			.pid = c->pid, .ws = ws, .code = (ws & 0x7f) ? CLD_KILLED_ : CLD_EXITED_,
			.status = (ws & 0x7f) ? (ws & 0x7f) : (ws >> 8) & 0xff, .uid = c->uid,
			.utime_us = c->utime_us, .stime_us = c->stime_us, .maxrss_kb = c->maxrss_kb,
		};
		if (!(options & WNOWAIT_)) {	/* Linux's wait_task_zombie: the times add up */
			struct sh_proc *me = sh_self;
			me->cutime_us += c->utime_us + c->cutime_us;
			me->cstime_us += c->stime_us + c->cstime_us;
			int64_t rss = c->maxrss_kb > c->cmaxrss_kb ? c->maxrss_kb : c->cmaxrss_kb;
			if (rss > me->cmaxrss_kb)
				me->cmaxrss_kb = rss;
			release(c);
		}
		r = out->pid;
		break;
	}
	sh_unlock();
	return r;
}

/* ---- process groups and sessions ---- */

static struct sh_proc *live(int pid)
{
	struct sh_proc *p = sh_proc_of(pid);
	return p && p->pid == pid ? p : NULL;
}

/* The process of pid, which may name one of its threads (lock held). */
static struct sh_proc *owner(int pid)
{
	struct sh_proc *p = sh_proc_of(pid);
	return p && p->pid ? p : NULL;
}

/* getpgid/getsid: the group or session (want_sid) of pid's process (0: the caller's). */
static long group_of(int pid, int want_sid)
{
	if (pid < 0)
		return -ESRCH;	/* Linux looks every nonzero pid up, and no process has a negative one */
	sh_lock();
	struct sh_proc *p = pid ? owner(pid) : sh_self;
	long r = !p ? -ESRCH : want_sid ? p->sid : p->pgid;
	sh_unlock();
	return r;
}

long ptree_getpgid(int pid) { return group_of(pid, 0); }
long ptree_getsid(int pid) { return group_of(pid, 1); }

long ptree_setpgid(int pid, int pgid)
{
	/* Linux's order: pgid 0 means pid (itself 0: the caller), then a negative pgid is EINVAL
	 * (so setpgid(-1, 0) is EINVAL, setpgid(-1, 5) ESRCH). */
	if (!pgid)
		pgid = pid ? pid : sh_self->pid;
	if (pgid < 0)
		return -EINVAL;
	sh_lock();
	struct sh_proc *me = sh_self, *p = pid ? live(pid) : me;
	long r = 0;
	if (!p && pid && owner(pid)) {
		r = -EINVAL;	/* a thread that does not lead its group */
	} else if (!p || (p != me && p->ppid != me->pid)) {
		r = -ESRCH;
	} else if (p != me && p->sid != me->sid) {
		r = -EPERM;	/* a child in another session */
	} else if (p != me && (p->flags & SPF_EXECED)) {
		r = -EACCES;	/* a child that has exec'ed is out of its parent's hands */
	} else if (p->sid == p->pid) {
		r = -EPERM;	/* a session leader keeps its group */
	} else if (pgid != p->pid) {
		r = -EPERM;	/* joining a group: one must exist in the same session */
		for (int i = 0; i < shr->nprocs; i++) {
			const struct sh_proc *q = &shr->procs[i];
			if (q->pid && q->pgid == pgid && q->sid == me->sid) {
				r = 0;
				break;
			}
		}
	}
	if (r == 0)
		p->pgid = pgid;
	sh_unlock();
	return r;
}

long ptree_setsid(void)
{
	sh_lock();
	struct sh_proc *me = sh_self;
	long r = me->pid;
	for (int i = 0; i < shr->nprocs; i++)	/* a group with its pid exists: it leads one */
		if (shr->procs[i].pid && shr->procs[i].pgid == me->pid)
			r = -EPERM;
	if (r > 0)
		me->sid = me->pgid = me->pid;
	sh_unlock();
	return r;
}
