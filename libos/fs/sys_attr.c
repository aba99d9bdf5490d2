/* libos/fs/sys_attr.c — calls that change a node's attributes: chown, fchown, lchown, fchownat,
 * chmod, fchmod, fchmodat, utimensat. Each resolves its target (a path's node or a descriptor's
 * file), applies Linux's rules on the current owner and mode, then asks the mount to store. */
#include "fs.h"
#include "../errno.h"
#include "../../lib/mem.h"
#include "../entry/usercopy.h"
#include "../process/cred.h"
#include "../../lib/alloc.h"
#include <linux/fcntl.h>

/* What the rules look at, for a path or a descriptor alike. */
struct target {
	struct fs_node *n;	/* the resolved path, or NULL */
	struct file *f;		/* the descriptor's file, or NULL */
	struct mount *mnt;	/* NULL: a pipe, socket or other file of no mount */
	uint32_t mode, uid, gid;	/* st_mode and owner as the app sees them */
	uint64_t ino;		/* the mount's node number (tmpfs: the host inode) */
};

static long target_fill(struct target *t)
{
	if (t->n) {	/* the walk's lookup already has it (tmpfs: id is the host inode) */
		t->mode = t->n->info.mode;
		t->uid = t->n->info.uid;
		t->gid = t->n->info.gid;
		t->ino = (uint64_t)t->n->info.id;
		return 0;
	}
	struct stat st;
	long r = t->f->ops->stat ? t->f->ops->stat(t->f, &st) : -EBADF;
	if (r < 0)
		return r;
	t->mode = st.st_mode;
	t->uid = st.st_uid;
	t->gid = st.st_gid;
	t->ino = st.st_ino;
	return 0;
}

/* Resolves (dirfd, path, AT_* flags) as the *at calls do: "" with AT_EMPTY_PATH is dirfd's
 * file. On success the caller releases with target_put. */
static long target_get(struct target *t, int dirfd, const char *upath, int flags)
{
	*t = (struct target){ 0 };
	char first = 1;
	if ((flags & AT_EMPTY_PATH) && copy_from_user(&first, upath, 1) < 0)
		return -EFAULT;
	long r;
	if (first == 0 && dirfd != AT_FDCWD) {
		t->f = fd_get(dirfd);
		if (!t->f)
			return -EBADF;
		t->mnt = t->f->mnt;
		r = target_fill(t);
	} else {
		t->n = heap_alloc(sizeof(*t->n));
		if (!t->n)
			return -ENOMEM;
		if (first == 0)
			r = fs_walk(AT_FDCWD, ".", WALK_FOLLOW, t->n);
		else
			r = fs_walk_user(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW, t->n);
		if (r >= 0) {
			t->mnt = t->n->mnt;
			r = target_fill(t);
		}
	}
	return r;
}

static long target_fd(struct target *t, int fd)
{
	*t = (struct target){ 0 };
	t->f = fd_get(fd);
	if (!t->f)
		return -EBADF;
	t->mnt = t->f->mnt;
	return target_fill(t);
}

static void target_put(struct target *t)
{
	heap_free(t->n);
	file_put(t->f);
}

static int owner_or_capable(const struct target *t)
{
	return t->uid == cred_fsuid() || cred_capable(CAP_FOWNER);
}

/* Whether a chown by this caller clears S_ISGID (Linux's setattr_should_drop_sgid): always with
 * group execute, else (a mandatory-locking mark) unless the caller is in the group or has
 * CAP_FSETID. */
static int drops_sgid(uint32_t mode, uint32_t gid)
{
	if (!(mode & S_ISGID))
		return 0;
	return (mode & S_IXGRP) || !(cred_in_group(gid) || cred_capable(CAP_FSETID));
}

/* ---- chown ---------------------------------------------------------------------------------- */
static long chown_target(struct target *t, unsigned uid, unsigned gid)
{
	int anon = !t->mnt && t->f && t->f->anon_owner;	/* a pipe */
	if (!t->mnt && !anon)
		return -EPERM;
	if (t->mnt && t->mnt->ops->readonly)
		return -EROFS;
	uint32_t me = cred_fsuid();
	/* Linux's chown_ok and chgrp_ok: the owner may "change" the owner to itself and the group
	 * to one of its groups; CAP_CHOWN may do anything. */
	if (uid != (uint32_t)-1 && !(t->uid == me && uid == t->uid) && !cred_capable(CAP_CHOWN))
		return -EPERM;
	if (gid != (uint32_t)-1 && !(t->uid == me && (gid == t->gid || cred_in_group(gid))) &&
	    !cred_capable(CAP_CHOWN))
		return -EPERM;
	uint32_t nuid = uid == (uint32_t)-1 ? t->uid : uid;
	uint32_t ngid = gid == (uint32_t)-1 ? t->gid : gid;
	uint32_t mode = t->mode & 07777;
	if ((t->mode & S_IFMT) != S_IFDIR) {
		/* Even chown(-1, -1) kills the set-ID bits; doing so is a mode change, which only
		 * the owner (or CAP_FOWNER) may make. */
		uint32_t kill = (mode & S_ISUID) | (drops_sgid(mode, ngid) ? S_ISGID : 0);
		if (kill && !owner_or_capable(t))
			return -EPERM;
		mode &= ~kill;
	}
	if (anon) {	/* this end's record; the host keeps the bits */
		t->f->uid = nuid, t->f->gid = ngid;
		return mode != (t->mode & 07777) ? pal_fchmod(t->f->host_fd, (int)mode) : 0;
	}
	if (!t->mnt->ops->set_owner)
		return 0;	/* /dev and /proc: allowed, and forgotten, as procfs forgets it */
	return t->mnt->ops->set_owner(t->mnt, t->ino, nuid, ngid, mode);
}

long sys_fchownat(int dirfd, const char *upath, unsigned uid, unsigned gid, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct target t;
	long r = target_get(&t, dirfd, upath, flags);
	if (r >= 0)
		r = chown_target(&t, uid, gid);
	target_put(&t);
	return r;
}

long sys_chown(const char *upath, unsigned uid, unsigned gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, 0);
}

long sys_lchown(const char *upath, unsigned uid, unsigned gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, AT_SYMLINK_NOFOLLOW);
}

long sys_fchown(int fd, unsigned uid, unsigned gid)
{
	struct target t;
	long r = target_fd(&t, fd);
	if (r >= 0)
		r = (t.f->flags & O_PATH) ? -EBADF : chown_target(&t, uid, gid);
	target_put(&t);
	return r;
}

/* ---- chmod ---------------------------------------------------------------------------------- */
static long chmod_target(struct target *t, unsigned mode)
{
	if ((t->mode & S_IFMT) == S_IFLNK)
		return -EOPNOTSUPP;
	int anon = !t->mnt && t->f && t->f->anon_owner;	/* a pipe: the host's inode keeps the mode */
	if ((!t->mnt && !anon) || (t->mnt && t->mnt->ops->readonly))
		return t->mnt ? -EROFS : -EPERM;
	if (!owner_or_capable(t))
		return -EPERM;
	mode &= 07777;
	if ((mode & S_ISGID) && !cred_in_group(t->gid) && !cred_capable(CAP_FSETID))
		mode &= ~S_ISGID;
	if (anon)
		return pal_fchmod(t->f->host_fd, (int)mode);
	if (!t->mnt->ops->set_owner)	/* /proc refuses a mode change; /dev keeps its own */
		return t->mnt->ops == &procfs_mount_ops ? -EPERM : 0;
	/* The host gets the permission bits (which also stamps its ctime), the table the rest. */
	long r = t->n ? t->mnt->ops->chmod(t->n, mode) : pal_fchmod(t->f->host_fd, (int)(mode & 0777));
	if (r >= 0)
		r = t->mnt->ops->set_owner(t->mnt, t->ino, t->uid, t->gid, mode);
	return r;
}

long sys_fchmodat(int dirfd, const char *upath, unsigned mode)
{
	struct target t;
	long r = target_get(&t, dirfd, upath, 0);
	if (r >= 0)
		r = chmod_target(&t, mode);
	target_put(&t);
	return r;
}

long sys_chmod(const char *upath, unsigned mode)
{
	return sys_fchmodat(AT_FDCWD, upath, mode);
}

long sys_fchmod(int fd, unsigned mode)
{
	struct target t;
	long r = target_fd(&t, fd);
	if (r >= 0)
		r = (t.f->flags & O_PATH) ? -EBADF : t.f->host_fd < 0 && t.mnt && t.mnt->ops->set_owner
			? -EPERM : chmod_target(&t, mode);
	target_put(&t);
	return r;
}

/* ---- utimensat ------------------------------------------------------------------------------ */
#define UTIME_NOW ((1l << 30) - 1)
#define UTIME_OMIT ((1l << 30) - 2)
struct kts {
	long sec, nsec;
};

/* NULL (or both UTIME_NOW) touches: the owner, CAP_FOWNER, or anyone who may write. Explicit
 * times need the owner or CAP_FOWNER (Linux's ATTR_TIMES_SET rule). */
static long utimens_target(struct target *t, const struct kts *ts)
{
	if (!t->mnt || t->mnt->ops->readonly)
		return t->mnt ? -EROFS : -EPERM;
	if (!owner_or_capable(t)) {
		if (ts)
			return -EPERM;
		struct fs_lookup l = { .type = fs_node_type(t->mode), .mode = t->mode, .uid = t->uid, .gid = t->gid };
		long r = fs_node_permission(t->mnt, &l, MAY_WRITE);
		if (r < 0)
			return r;
	}
	if (t->f && t->f->host_fd >= 0 && t->mnt->ops->utimens)
		return pal_utimensat(t->f->host_fd, 0, ts, 0);
	if (t->n && t->mnt->ops->utimens)
		return t->mnt->ops->utimens(t->n, ts);
	return 0;	/* /dev and /proc keep no times of their own */
}

static int nsec_valid(long nsec)
{
	return nsec == UTIME_NOW || nsec == UTIME_OMIT || (nsec >= 0 && nsec < 1000000000L);
}

/* Linux's order: the times are copied (EFAULT) and "both UTIME_OMIT" returns at once; then the
 * flags and the target; the nanoseconds are checked only once the target is found. */
long sys_utimensat(int dirfd, const char *upath, const void *utimes, int flags)
{
	struct kts ts[2];
	if (utimes) {
		if (copy_from_user(ts, utimes, sizeof(ts)) < 0)
			return -EFAULT;
		if (ts[0].nsec == UTIME_OMIT && ts[1].nsec == UTIME_OMIT)
			return 0;	/* nothing to change: Linux does not even look at the path */
	}
	return fs_utimensat(dirfd, upath, utimes ? ts : NULL, flags);
}

/* The rest of utimensat, on times already in LibOS memory (two timespecs, or NULL: now); the
 * utime, utimes and futimesat shims (sys_utime.c) enter here too. */
long fs_utimensat(int dirfd, const char *upath, const void *kts, int flags)
{
	struct kts ts[2], *tp = NULL;
	if (kts) {
		memcpy(ts, kts, sizeof(ts));
		tp = ts;
	}
	struct target t;
	long r;
	if (!upath && dirfd != AT_FDCWD) {	/* futimens: the descriptor itself */
		if (flags)
			return -EINVAL;
		r = target_fd(&t, dirfd);
	} else if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) {
		return -EINVAL;
	} else if (!upath) {
		return -EFAULT;
	} else {
		r = target_get(&t, dirfd, upath, flags);
	}
	if (r >= 0 && tp && (!nsec_valid(ts[0].nsec) || !nsec_valid(ts[1].nsec)))
		r = -EINVAL;
	if (r >= 0 && tp && ts[0].nsec == UTIME_NOW && ts[1].nsec == UTIME_NOW)
		tp = NULL;
	if (r >= 0)
		r = utimens_target(&t, tp);
	target_put(&t);
	return r;
}
