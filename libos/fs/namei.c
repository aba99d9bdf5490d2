/* libos/fs/namei.c — path resolution. The walk keeps a canonical prefix and a queue of the
 * components still to resolve; a symlink splices its target in front of that queue. Each
 * component is looked up through the mount that owns the prefix, so symlinks and ".." cross
 * mounts the way they do on Linux. At most 40 symlinks per walk (ELOOP after). openat2's
 * RESOLVE_ rules (WALK_BENEATH ... WALK_NO_XDEV) are struct scope's: the walk asks it at its
 * start, at each "..", at each symlink it would follow and after each lookup. */
#include "fs.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/mem.h"

#define MAX_SYMLINKS 40
#define NAME_MAX 255

/* Replaces the queue by `target`, then a '/' if the link's name was followed by one (so a
 * trailing slash survives), then `rest`. */
static long splice_link(char *queue, size_t *qlen, const char *target, int slash, const char *rest)
{
	size_t tl = strlen(target), rl = strlen(rest), sl = slash ? 1 : 0;
	if (tl + sl + rl + 1 > LIBOS_PATH_MAX)
		return -ENAMETOOLONG;
	memmove(queue + tl + sl, rest, rl + 1);
	memcpy(queue, target, tl);
	if (slash)
		queue[tl] = '/';
	*qlen = tl + sl + rl;
	return 0;
}

static long lookup(struct fs_node *n, const char *canon, char *linkbuf)
{
	n->mnt = mount_of(canon);
	n->rel = mount_rel(n->mnt, canon);
	n->info = (struct fs_lookup){ .link = linkbuf, .link_size = LIBOS_PATH_MAX };
	return n->mnt->ops->lookup(n->mnt, n->rel, &n->info);
}

static long start_dir(int dirfd, char *cur)
{
	if (dirfd == -100 /* AT_FDCWD */) {
		strlcpy(cur, fs_cwd, LIBOS_PATH_MAX);
		return 0;
	}
	struct file *f = fd_get(dirfd);
	if (!f)
		return -EBADF;
	long r = f->type == NODE_DIR && f->path && f->path[0] == '/' ? 0 : -ENOTDIR;
	if (r == 0)
		strlcpy(cur, f->path, LIBOS_PATH_MAX);
	file_put(f);
	return r;
}

/* A walk's RESOLVE_ restrictions. root: the dirfd's path for BENEATH and IN_ROOT, which the
 * walk never leaves (cur always has it as a prefix); mnt: where a NO_XDEV walk started. */
struct scope {
	int flags;
	char *root;
	struct mount *mnt;
};

#define WALK_SCOPED (WALK_BENEATH | WALK_IN_ROOT)

/* Where an absolute path or symlink target restarts: "/", the scope's root (IN_ROOT), or
 * nowhere (BENEATH: EXDEV, as Linux refuses any absolute jump). */
static long scope_abs(const struct scope *s, char *cur)
{
	if (s->flags & WALK_BENEATH)
		return -EXDEV;
	strlcpy(cur, (s->flags & WALK_IN_ROOT) ? s->root : "/", LIBOS_PATH_MAX);
	return 0;
}

/* ".." at the scope's root: 1 to stay there (IN_ROOT, like a chroot), -EXDEV (BENEATH), 0 to
 * go up as usual. */
static long scope_dotdot(const struct scope *s, const char *cur)
{
	if (!(s->flags & WALK_SCOPED) || strcmp(cur, s->root) != 0)
		return 0;
	return (s->flags & WALK_BENEATH) ? -EXDEV : 1;
}

/* A /proc link naming an object rather than a path (fd/N, exe, cwd, root): every procfs link
 * below the top level; "self", "thread-self" and "mounts" are ordinary ones. */
static int magic_link(const struct fs_node *n)
{
	return n->mnt->ops == &procfs_mount_ops && strchr(n->rel, '/') != NULL;
}

/* Before following the symlink n, in Linux's order: NO_SYMLINKS refuses every link, then a
 * magic link is ELOOP under NO_MAGICLINKS and EXDEV in a scoped walk. */
static long scope_link(const struct scope *s, const struct fs_node *n)
{
	if (s->flags & WALK_NO_SYMLINKS)
		return -ELOOP;
	if (s->flags & (WALK_NO_MAGICLINKS | WALK_SCOPED) && magic_link(n))
		return (s->flags & WALK_NO_MAGICLINKS) ? -ELOOP : -EXDEV;
	return 0;
}

/* After a lookup: a NO_XDEV walk may not enter another mount, down, up or through a link. */
static long scope_mount(const struct scope *s, const struct fs_node *n)
{
	return (s->flags & WALK_NO_XDEV) && n->mnt != s->mnt ? -EXDEV : 0;
}

/* The walk's buffers live on the LibOS stack (256 KiB per thread), not the heap: a path lookup
 * is the hottest thing the file system does, and the heap's lock and cold blocks cost more than
 * the lookup itself. */
long fs_walk(int dirfd, const char *path, int flags, struct fs_node *out)
{
	struct scope sc = { .flags = flags };
	char queue[LIBOS_PATH_MAX * 2];
	char linkbuf[LIBOS_PATH_MAX];
	char root[LIBOS_PATH_MAX];
	char *cur = out->path;
	long r = 0;
	int links = 0;
	size_t plen = strlen(path);
	if (plen >= LIBOS_PATH_MAX)
		return -ENAMETOOLONG;
	if (plen == 0 && !(flags & WALK_EMPTY_OK))
		return -ENOENT;
	/* A slash after the last component (in the path, or at the end of a symlink target that
	 * became the last component) makes it a directory reference: follow it, require a dir. */
	int trailing_slash = plen > 0 && path[plen - 1] == '/';
	if (path[0] == '/' && (flags & WALK_BENEATH)) {
		return -EXDEV;	/* before dirfd is looked at, as Linux's path_init */
	} else if (path[0] == '/' && !(flags & WALK_SCOPED)) {
		strlcpy(cur, "/", LIBOS_PATH_MAX);
	} else if ((r = start_dir(dirfd, cur)) < 0) {
		return r;
	}
	if (flags & WALK_SCOPED) {
		sc.root = root;
		strlcpy(sc.root, cur, LIBOS_PATH_MAX);
	}
	sc.mnt = mount_of(cur);
	memcpy(queue, path, plen + 1);
	size_t qlen = plen;
	char *q = queue;
	r = lookup(out, cur, linkbuf);
	while (r >= 0) {
		while (*q == '/')
			q++;
		if (!*q)
			break;
		char *end = strchr(q, '/');
		size_t nl = end ? (size_t)(end - q) : strlen(q);
		char *rest = q + nl;
		while (*rest == '/')
			rest++;
		int last = *rest == 0;
		if (last)
			trailing_slash = end != NULL;
		if (out->info.type != NODE_DIR) {
			r = out->info.type == NODE_NONE ? -ENOENT : -ENOTDIR;
			break;
		}
		/* Search permission on every directory passed through (Linux's may_lookup); a
		 * directory searchable by all needs no look at the credentials. */
		if ((out->info.mode & 0111) != 0111 &&
		    (r = fs_permission(out->info.mode, out->info.uid, out->info.gid, MAY_EXEC)) < 0)
			break;
		out->parent = out->info;
		if (nl > NAME_MAX) {
			r = -ENAMETOOLONG;
			break;
		}
		if (nl == 1 && q[0] == '.') {
			q = rest;
			continue;
		}
		size_t cl = strlen(cur);
		char saved[LIBOS_PATH_MAX];
		memcpy(saved, cur, cl + 1);
		if (nl == 2 && q[0] == '.' && q[1] == '.' && (r = scope_dotdot(&sc, cur)) != 0) {
			q = rest;
			r = r > 0 ? 0 : r;
			continue;
		}
		if (nl == 2 && q[0] == '.' && q[1] == '.') {
			char *slash = strrchr(cur, '/');
			if (slash == cur)
				cur[1] = 0;
			else
				*slash = 0;
			q = rest;
			r = lookup(out, cur, linkbuf);
			if (r >= 0)
				r = scope_mount(&sc, out);
			continue;
		}
		if (cl + (cl > 1) + nl + 1 > LIBOS_PATH_MAX) {
			r = -ENAMETOOLONG;
			break;
		}
		if (cl > 1)
			cur[cl++] = '/';
		memcpy(cur + cl, q, nl);
		cur[cl + nl] = 0;
		r = lookup(out, cur, linkbuf);
		if (r >= 0)
			r = scope_mount(&sc, out);
		if (r < 0)
			break;
		int follow = !last || (flags & WALK_FOLLOW) || trailing_slash;
		if (out->info.type == NODE_LNK && follow) {
			if ((r = scope_link(&sc, out)) < 0)
				break;
			if (++links > MAX_SYMLINKS) {
				r = -ELOOP;
				break;
			}
			/* Continue from the link's directory with target + rest. */
			memcpy(cur, saved, strlen(saved) + 1);
			if (linkbuf[0] == '/' && (r = scope_abs(&sc, cur)) < 0)
				break;
			char tmp[LIBOS_PATH_MAX];
			strlcpy(tmp, rest, LIBOS_PATH_MAX);
			r = splice_link(queue, &qlen, linkbuf, end != NULL, tmp);
			q = queue;
			if (r >= 0)
				r = lookup(out, cur, linkbuf);
			if (r >= 0)
				r = scope_mount(&sc, out);
			continue;
		}
		if (out->info.type == NODE_NONE) {
			if (!last)
				r = -ENOENT;
			else if (!(flags & WALK_CREATE))
				r = -ENOENT;
			break;
		}
		q = rest;
	}
	out->trailing_slash = trailing_slash;
	if (r >= 0 && trailing_slash && out->info.type != NODE_DIR && out->info.type != NODE_NONE)
		r = -ENOTDIR;
	if (r >= 0 && out->info.type == NODE_LNK)
		memcpy(out->link_buf, linkbuf, strlen(linkbuf) + 1);
	out->info.link = out->link_buf;
	(void)qlen;
	return r;
}

long fs_walk_user(int dirfd, const char *upath, int flags, struct fs_node *out)
{
	char path[LIBOS_PATH_MAX];
	long r = strncpy_from_user(path, upath, LIBOS_PATH_MAX);
	return r < 0 ? r : fs_walk(dirfd, path, flags, out);
}
