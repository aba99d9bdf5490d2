/* libos/process/cred.h — the process's credentials as the rest of the LibOS asks about them:
 * the fs ids path lookup checks against, group membership, capabilities. uid 0 of the instance is
 * root of the instance only (as in a user namespace): nothing here is granted on the host. */
#ifndef LIBOS_PROCESS_CRED_H
#define LIBOS_PROCESS_CRED_H

#include <stdint.h>
#include <linux/capability.h>

/* The full capability set of the running kernel's ABI (CAP_LAST_CAP of the 6.x headers). */
#define CRED_CAP_ALL ((1ULL << (CAP_LAST_CAP + 1)) - 1)

/* Sets every id of the process to uid/gid (start-up, from the config), no supplementary groups,
 * and the capabilities Linux gives a process with those ids. */
void cred_init(uint32_t uid, uint32_t gid);
/* Whether the calling process has capability cap in its effective set. */
int cred_capable(int cap);
/* The ids file-system checks and new files use (Linux's fsuid/fsgid). */
uint32_t cred_fsuid(void);
uint32_t cred_fsgid(void);
/* Whether gid is the fs gid or one of the supplementary groups. */
int cred_in_group(uint32_t gid);

/* ---- for the calls that change credentials (sys_setid.c, sys_groups.c, sys_caps.c, execve) ---- */

/* What the set*id fs-uid rule moves with the fs uid (Linux's CAP_FS_SET). */
#define CRED_CAP_FS_SET ((1ULL << CAP_CHOWN) | (1ULL << CAP_MKNOD) | (1ULL << CAP_DAC_OVERRIDE) | \
			 (1ULL << CAP_DAC_READ_SEARCH) | (1ULL << CAP_FOWNER) | (1ULL << CAP_FSETID) | \
			 (1ULL << CAP_MAC_OVERRIDE) | (1ULL << CAP_LINUX_IMMUTABLE))

/* The ids and permitted set before a change, for the rules that compare old and new. */
struct cred_ids {
	uint32_t uid, euid, suid, fsuid, gid, egid, sgid, fsgid;
	uint64_t cap_prm;
};

struct spinlock;
/* Held across every check-and-change of the process's credentials (threads share them). A leaf
 * lock: nothing is allocated or freed under it. */
struct spinlock *cred_lock(void);
void cred_save(struct cred_ids *old);
/* Linux's capability fixups after a uid change (setuid, setreuid, setresuid) and after setfsuid. */
void cred_fixup_setuid(const struct cred_ids *old);
void cred_fixup_setfsuid(const struct cred_ids *old);
/* After a change (lock held): dumpable and the parent-death signal as commit_creds resets them,
 * and the shared slot's copy. */
void cred_committed(const struct cred_ids *old);
/* capget/capset's prctl side (sys_caps.c): the result of a capability option, or -ENOSYS. */
long caps_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5);
/* Whether the running image was started with changed ids or gained capabilities (AT_SECURE). */
int cred_secure_exec(void);
/* ---- execve (cred_exec.c) ---- */

/* The credentials a new image runs with, as execve hands them to the next runtime; the
 * supplementary groups follow it in the exec state. */
struct cred_exec {
	uint32_t uid, euid, suid, fsuid, gid, egid, sgid, fsgid;
	uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	uint32_t securebits, ngroups;
	int32_t secure;			/* AT_SECURE */
	int32_t dumpable;		/* the new image's PR_GET_DUMPABLE */
	int32_t keep_pdeathsig;		/* 0: the ids changed, the parent-death signal goes */
	int32_t pad;
};

struct loader_file;
/* Linux's execve rules for the program file f (mode and owner): set-user-ID and set-group-ID
 * unless no_new_privs, the capability sets of bprm_creds_from_file, AT_SECURE, dumpable. */
void cred_exec_prepare(const struct loader_file *f, int readable, struct cred_exec *out);
/* The next runtime's side: installs them (groups: a heap array the process takes over). */
void cred_exec_apply(const struct cred_exec *c, uint32_t *groups);

/* Writes the real and saved uid and the capability sets into the process's shared slot. */
void cred_publish(void);

#endif
