/* libos/process/sys_setid.c — setuid, setgid, setreuid, setregid, setresuid, setresgid, setfsuid
 * and setfsgid with the rules of Linux's kernel/sys.c: which of the real, effective, saved and fs
 * ids each may set without CAP_SETUID/CAP_SETGID, -1 meaning "unchanged", the saved-id and
 * fs-id rules, and the capability fixups of a uid change (cred.c). */
#include "process.h"
#include "cred.h"
#include "../errno.h"
#include "../../lib/spinlock.h"

#define UNCHANGED ((uint32_t)-1)	/* also the one id no namespace maps: EINVAL where Linux
					 * wants a valid id */

/* One family of ids, the user ids or the group ids of the process. */
struct idset {
	uint32_t *r, *e, *s, *fs;
	int cap;			/* CAP_SETUID or CAP_SETGID */
	int is_uid;			/* uid changes move capabilities */
};

static struct idset uids(void)
{
	return (struct idset){ &proc.uid, &proc.euid, &proc.suid, &proc.fsuid, CAP_SETUID, 1 };
}

static struct idset gids(void)
{
	return (struct idset){ &proc.gid, &proc.egid, &proc.sgid, &proc.fsgid, CAP_SETGID, 0 };
}

/* Ends a change begun under the lock with cred_save(old). */
static long done(const struct idset *ids, const struct cred_ids *old, long r)
{
	if (r == 0) {
		if (ids->is_uid)
			cred_fixup_setuid(old);
		cred_committed(old);
	}
	spin_unlock(cred_lock());
	return r;
}

/* setuid/setgid: privileged, all of real, effective, saved (and fs); otherwise the effective
 * (and fs) id only, to the real or saved one. */
static long set_id(struct idset ids, uint32_t id)
{
	if (id == UNCHANGED)
		return -EINVAL;
	struct cred_ids old;
	spin_lock(cred_lock());
	cred_save(&old);
	if (cred_capable(ids.cap))
		*ids.r = *ids.s = id;
	else if (id != *ids.r && id != *ids.s)
		return done(&ids, &old, -EPERM);
	*ids.e = *ids.fs = id;
	return done(&ids, &old, 0);
}

/* setreuid/setregid: the real id to the real or effective one, the effective id to the real,
 * effective or saved one (any with the capability). The saved id follows the new effective id
 * when the real id is set or the effective id is set to something other than the old real id. */
static long set_reid(struct idset ids, uint32_t r, uint32_t e)
{
	struct cred_ids old;
	spin_lock(cred_lock());
	cred_save(&old);
	int cap = cred_capable(ids.cap);
	uint32_t or = *ids.r, oe = *ids.e, os = *ids.s;
	if (r != UNCHANGED && r != or && r != oe && !cap)
		return done(&ids, &old, -EPERM);
	if (e != UNCHANGED && e != or && e != oe && e != os && !cap)
		return done(&ids, &old, -EPERM);
	if (r != UNCHANGED)
		*ids.r = r;
	if (e != UNCHANGED)
		*ids.e = e;
	if (r != UNCHANGED || (e != UNCHANGED && e != or))
		*ids.s = *ids.e;
	*ids.fs = *ids.e;
	return done(&ids, &old, 0);
}

/* Whether id may be taken without the capability: -1, or one of the current three. */
static int one_of_three(const struct idset *ids, uint32_t id)
{
	return id == UNCHANGED || id == *ids->r || id == *ids->e || id == *ids->s;
}

/* setresuid/setresgid: each id to any of the current three (any with the capability); a call
 * that changes nothing succeeds without any check, as Linux's. */
static long set_resid(struct idset ids, uint32_t r, uint32_t e, uint32_t s)
{
	struct cred_ids old;
	spin_lock(cred_lock());
	cred_save(&old);
	if ((r == UNCHANGED || r == *ids.r) && (e == UNCHANGED || (e == *ids.e && e == *ids.fs)) &&
	    (s == UNCHANGED || s == *ids.s)) {
		spin_unlock(cred_lock());
		return 0;
	}
	if (!(one_of_three(&ids, r) && one_of_three(&ids, e) && one_of_three(&ids, s)) &&
	    !cred_capable(ids.cap))
		return done(&ids, &old, -EPERM);
	if (r != UNCHANGED)
		*ids.r = r;
	if (e != UNCHANGED)
		*ids.e = e;
	if (s != UNCHANGED)
		*ids.s = s;
	*ids.fs = *ids.e;
	return done(&ids, &old, 0);
}

/* setfsuid/setfsgid: always the old fs id; the new one is taken if it is one of the real,
 * effective, saved or fs ids, or with the capability. */
static long set_fsid(struct idset ids, uint32_t id)
{
	struct cred_ids old;
	spin_lock(cred_lock());
	cred_save(&old);
	uint32_t prev = *ids.fs;
	if (id != UNCHANGED && id != prev &&
	    (one_of_three(&ids, id) || cred_capable(ids.cap))) {
		*ids.fs = id;
		if (ids.is_uid)
			cred_fixup_setfsuid(&old);
		cred_committed(&old);
	}
	spin_unlock(cred_lock());
	return prev;
}

long sys_setuid(uint32_t uid) { return set_id(uids(), uid); }
long sys_setgid(uint32_t gid) { return set_id(gids(), gid); }
long sys_setreuid(uint32_t r, uint32_t e) { return set_reid(uids(), r, e); }
long sys_setregid(uint32_t r, uint32_t e) { return set_reid(gids(), r, e); }
long sys_setresuid(uint32_t r, uint32_t e, uint32_t s) { return set_resid(uids(), r, e, s); }
long sys_setresgid(uint32_t r, uint32_t e, uint32_t s) { return set_resid(gids(), r, e, s); }
long sys_setfsuid(uint32_t uid) { return set_fsid(uids(), uid); }
long sys_setfsgid(uint32_t gid) { return set_fsid(gids(), gid); }
