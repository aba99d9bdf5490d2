/* libos/process/cred.c — credentials: the process's ids, supplementary groups and capability
 * sets (struct libos_process), and the questions the rest of the LibOS asks of them (cred.h).
 * Threads share their process's credentials, as glibc and musl expect after their set*id broadcast. */
#include "process.h"
#include "cred.h"

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
	/* groups[] is sorted (setgroups sorts it): a binary search, as Linux's groups_search. */
	uint32_t lo = 0, hi = proc.ngroups;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (proc.groups[mid] == gid)
			return 1;
		if (proc.groups[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}
