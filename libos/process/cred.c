/* libos/process/cred.c — credentials: the process's ids, supplementary groups and capability
 * sets (struct libos_process), and the questions the rest of the LibOS asks of them (cred.h).
 * Threads share their process's credentials, as glibc and musl expect after their set*id
 * broadcast; every change happens under cred_lock, and the slot's copy (uid, suid, capability
 * sets: what other processes' kill and capget read) is written before the lock is dropped. */
#include "process.h"
#include "cred.h"
#include "../../lib/spinlock.h"
#include <linux/securebits.h>

static struct spinlock lock;

struct spinlock *cred_lock(void) { return &lock; }

void cred_init(uint32_t uid, uint32_t gid)
{
	proc.uid = proc.euid = proc.suid = proc.fsuid = uid;
	proc.gid = proc.egid = proc.sgid = proc.fsgid = gid;
	proc.ngroups = 0;
	proc.groups = NULL;
	/* Root of the instance holds every capability, as root of a user namespace does; any
	 * other uid starts with none (Linux's execve rule for a non-root, non-set-user-ID run). */
	uint64_t all = uid == 0 ? CRED_CAP_ALL : 0;
	proc.cap_eff = proc.cap_prm = all;
	proc.cap_inh = proc.cap_amb = 0;
	proc.cap_bnd = CRED_CAP_ALL;
	proc.securebits = 0;
}

void cred_publish(void)
{
	struct sh_proc *s = sh_self;
	if (!s)
		return;
	__atomic_store_n(&s->uid, proc.uid, __ATOMIC_RELAXED);
	__atomic_store_n(&s->suid, proc.suid, __ATOMIC_RELAXED);
	__atomic_store_n(&s->cap_eff, proc.cap_eff, __ATOMIC_RELAXED);
	__atomic_store_n(&s->cap_prm, proc.cap_prm, __ATOMIC_RELAXED);
	__atomic_store_n(&s->cap_inh, proc.cap_inh, __ATOMIC_RELAXED);
}

/* Linux's commit_creds: a process whose effective or fs ids changed, or whose permitted set
 * grew, is no longer dumpable (fs.suid_dumpable, 0 by default) and loses its parent-death
 * signal. */
void cred_committed(const struct cred_ids *old)
{
	if (old->euid != proc.euid || old->egid != proc.egid || old->fsuid != proc.fsuid ||
	    old->fsgid != proc.fsgid || (proc.cap_prm & ~old->cap_prm)) {
		proc.prctl.dumpable = 0;
		proc.prctl.pdeathsig = 0;
	}
	cred_publish();
}

void cred_save(struct cred_ids *old)
{
	*old = (struct cred_ids){ proc.uid, proc.euid, proc.suid, proc.fsuid,
				  proc.gid, proc.egid, proc.sgid, proc.fsgid, proc.cap_prm };
}

/* Linux's cap_emulate_setxuid (security/commoncap.c): leaving uid 0 in all of real, effective
 * and saved clears permitted and effective (unless SECBIT_KEEP_CAPS) and always ambient; an
 * effective uid leaving 0 clears the effective set, one coming to 0 fills it from permitted. */
void cred_fixup_setuid(const struct cred_ids *old)
{
	if (proc.securebits & SECBIT_NO_SETUID_FIXUP)
		return;
	int was_root = old->uid == 0 || old->euid == 0 || old->suid == 0;
	int is_root = proc.uid == 0 || proc.euid == 0 || proc.suid == 0;
	if (was_root && !is_root) {
		if (!(proc.securebits & SECBIT_KEEP_CAPS))
			proc.cap_prm = proc.cap_eff = 0;
		proc.cap_amb = 0;
	}
	if (old->euid == 0 && proc.euid != 0)
		proc.cap_eff = 0;
	if (old->euid != 0 && proc.euid == 0)
		proc.cap_eff = proc.cap_prm;
}

/* The same for the fs uid alone (setfsuid): the file-system capabilities follow it. */
void cred_fixup_setfsuid(const struct cred_ids *old)
{
	if (proc.securebits & SECBIT_NO_SETUID_FIXUP)
		return;
	if (old->fsuid == 0 && proc.fsuid != 0)
		proc.cap_eff &= ~CRED_CAP_FS_SET;
	if (old->fsuid != 0 && proc.fsuid == 0)
		proc.cap_eff |= proc.cap_prm & CRED_CAP_FS_SET;
}

int cred_capable(int cap)
{
	return cap >= 0 && cap <= CAP_LAST_CAP && (proc.cap_eff >> cap) & 1;
}

uint32_t cred_fsuid(void) { return proc.fsuid; }
uint32_t cred_fsgid(void) { return proc.fsgid; }

int cred_in_group(uint32_t gid)
{
	if (gid == proc.fsgid)
		return 1;
	if (!proc.ngroups)
		return 0;
	/* groups[] is sorted (setgroups sorts it): a binary search, as Linux's groups_search.
	 * The lock keeps a sibling thread's setgroups from freeing the array meanwhile. */
	int found = 0;
	spin_lock(&lock);
	uint32_t lo = 0, hi = proc.ngroups;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (proc.groups[mid] == gid) {
			found = 1;
			break;
		}
		if (proc.groups[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	spin_unlock(&lock);
	return found;
}
