/* libos/process/cred_exec.c — the credentials of a new image, after Linux's bprm_fill_uid and
 * cap_bprm_creds_from_file (there are no file capabilities: only the set-ID bits and root's rule).
 * Computed before execve's point of no return in the old image, installed by the next runtime. */
#include "process.h"
#include "cred.h"
#include "../loader/loader.h"
#include "../../lib/spinlock.h"
#include <linux/securebits.h>

#define S_ISUID_ 04000
#define S_ISGID_ 02000
#define S_IXGRP_ 00010

static int secure_exec_flag;

void cred_exec_prepare(const struct loader_file *f, int readable, struct cred_exec *n)
{
	spin_lock(cred_lock());
	const struct cred_exec old = {
		.uid = proc.uid, .euid = proc.euid, .suid = proc.suid, .fsuid = proc.fsuid,
		.gid = proc.gid, .egid = proc.egid, .sgid = proc.sgid, .fsgid = proc.fsgid,
		.cap_inh = proc.cap_inh, .cap_prm = proc.cap_prm, .cap_eff = proc.cap_eff,
		.cap_bnd = proc.cap_bnd, .cap_amb = proc.cap_amb, .securebits = proc.securebits,
		.ngroups = proc.ngroups,
	};
	spin_unlock(cred_lock());
	*n = old;
	int nnp = proc.prctl.no_new_privs;
	/* The set-ID bits, unless no_new_privs; set-group-ID only with group execute (without it
	 * the bit means mandatory locking). */
	if (!nnp && (f->mode & S_ISUID_))
		n->euid = f->uid;
	if (!nnp && (f->mode & (S_ISGID_ | S_IXGRP_)) == (S_ISGID_ | S_IXGRP_))
		n->egid = f->gid;
	/* Root (unless SECBIT_NOROOT) gets the bounding and inheritable sets as permitted, and
	 * effective too if the effective uid is 0; everyone else only the ambient set. */
	uint64_t prm = 0;
	int effective = 0;
	if (!(old.securebits & SECBIT_NOROOT)) {
		if (n->euid == 0 || n->uid == 0)
			prm = old.cap_bnd | old.cap_inh;
		effective = n->euid == 0;
	}
	/* Set-ID: the effective ids differ from the real ones; Linux 6.18 also counts an fs gid
	 * other than the effective gid (measured: setfsgid alone makes the next exec AT_SECURE and
	 * clears its ambient set, setfsuid does not). */
	int is_setid = n->euid != old.uid || n->egid != old.gid || old.fsgid != n->egid;
	/* no_new_privs: this exec gains nothing. Ids the process already had differing stay as
	 * they are (Linux 6.18, measured: real 1000 with effective 0 keeps effective 0); the
	 * set-ID bits were not applied, so only a permitted set that would grow is cut back. */
	if (nnp && (n->euid != old.euid || n->egid != old.egid || (prm & ~old.cap_prm))) {
		n->euid = n->uid;
		n->egid = n->gid;
		prm &= old.cap_prm;
	}
	n->suid = n->fsuid = n->euid;
	n->sgid = n->fsgid = n->egid;
	if (is_setid)
		n->cap_amb = 0;
	n->cap_prm = prm | n->cap_amb;
	n->cap_eff = effective ? n->cap_prm : n->cap_amb;
	n->securebits &= ~SECBIT_KEEP_CAPS;
	n->secure = is_setid || (n->uid != 0 && (effective || (n->cap_prm & ~n->cap_amb)));
	/* The new image is dumpable if readable and the caller's effective ids were its real ones;
	 * then commit_creds: changed effective or fs ids, or more permitted, make it undumpable
	 * (fs.suid_dumpable, 0 by default) and end the parent-death signal. */
	n->keep_pdeathsig = n->euid == old.euid && n->egid == old.egid && n->fsuid == old.fsuid &&
			    n->fsgid == old.fsgid && !(n->cap_prm & ~old.cap_prm);
	n->dumpable = readable && old.euid == old.uid && old.egid == old.gid && n->keep_pdeathsig;
}

void cred_exec_apply(const struct cred_exec *c, uint32_t *groups)
{
	proc.uid = c->uid, proc.euid = c->euid, proc.suid = c->suid, proc.fsuid = c->fsuid;
	proc.gid = c->gid, proc.egid = c->egid, proc.sgid = c->sgid, proc.fsgid = c->fsgid;
	proc.cap_inh = c->cap_inh, proc.cap_prm = c->cap_prm, proc.cap_eff = c->cap_eff;
	proc.cap_bnd = c->cap_bnd, proc.cap_amb = c->cap_amb;
	proc.securebits = c->securebits;
	proc.ngroups = groups ? c->ngroups : 0;
	proc.groups = groups;
	secure_exec_flag = c->secure;
}

int cred_secure_exec(void) { return secure_exec_flag; }
