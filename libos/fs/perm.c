/* libos/fs/perm.c — the discretionary access check every file system shares: owner, group and
 * other bits against the caller's fs ids and groups, then the capabilities that override them.
 * While access() runs, the calling thread's access_cred stands in for the fs ids (Linux's
 * override_creds in faccessat): set and cleared within that one call. */
#include "fs.h"
#include "../errno.h"
#include "../process/cred.h"

void fs_access_begin(struct fs_access_cred *c)
{
	thread_current()->access_cred = c;
}

void fs_access_end(void)
{
	thread_current()->access_cred = NULL;
}

uint32_t fs_fsuid(void)
{
	struct fs_access_cred *c = thread_current()->access_cred;
	return c ? c->uid : cred_fsuid();
}

int fs_capable(int cap)
{
	struct fs_access_cred *c = thread_current()->access_cred;
	if (!c)
		return cred_capable(cap);
	return cap >= 0 && cap <= CAP_LAST_CAP && ((c->caps >> cap) & 1);
}

/* access() keeps the supplementary groups and puts the real gid in the fs gid's place. */
static int in_group(uint32_t gid)
{
	struct fs_access_cred *c = thread_current()->access_cred;
	if (!c)
		return cred_in_group(gid);
	return gid == c->gid || (gid != cred_fsgid() && cred_in_group(gid));
}

long fs_permission(uint32_t mode, uint32_t uid, uint32_t gid, int mask)
{
	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	uint32_t bits = mode;
	if (uid == fs_fsuid())
		bits >>= 6;
	else if (in_group(gid))
		bits >>= 3;
	if ((mask & ~bits & 7) == 0)
		return 0;
	/* The bits said no; a capability may still say yes (Linux's order: read/search for
	 * directories, read for files, then the override, which never grants executing a file
	 * that has no x bit at all). */
	if ((mode & S_IFMT) == S_IFDIR) {
		if (!(mask & MAY_WRITE) && fs_capable(CAP_DAC_READ_SEARCH))
			return 0;
		return fs_capable(CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if (mask == MAY_READ && fs_capable(CAP_DAC_READ_SEARCH))
		return 0;
	if ((!(mask & MAY_EXEC) || (mode & 0111)) && fs_capable(CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}

long fs_node_permission(struct mount *m, const struct fs_lookup *l, int mask)
{
	if ((mask & MAY_WRITE) && m->ops->readonly &&
	    (l->type == NODE_REG || l->type == NODE_DIR || l->type == NODE_LNK))
		return -EROFS;
	return fs_permission(l->mode, l->uid, l->gid, mask);
}

void fs_remove_privs(struct mount *m, uint64_t ino, uint32_t mode, uint32_t uid, uint32_t gid)
{
	uint32_t kill = (mode & S_ISUID) | ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) ? S_ISGID : 0);
	if (kill && (mode & S_IFMT) == S_IFREG && m->ops->set_owner && !cred_capable(CAP_FSETID))
		m->ops->set_owner(m, ino, uid, gid, mode & 07777 & ~kill);
}

long fs_may_create(const struct fs_node *n)
{
	const struct fs_lookup *d = &n->parent;
	return fs_permission(d->mode, d->uid, d->gid, MAY_WRITE | MAY_EXEC);
}

long fs_may_delete(const struct fs_node *n)
{
	const struct fs_lookup *d = &n->parent;
	long r = fs_permission(d->mode, d->uid, d->gid, MAY_WRITE | MAY_EXEC);
	if (r < 0)
		return r;
	/* A sticky directory: only the file's owner, the directory's, or CAP_FOWNER. */
	uint32_t me = fs_fsuid();
	if ((d->mode & S_ISVTX) && n->info.uid != me && d->uid != me && !fs_capable(CAP_FOWNER))
		return -EPERM;
	return 0;
}
