/* libos/fs/sys_xattr.c — the extended-attribute calls ({,l,f}{get,set,list,remove}xattr and the
 * *xattrat forms): Linux's order of checks (6.13+: arguments copied before the node is resolved),
 * its namespace and permission rules (xattr_permission, commoncap); storage is the mount's. */
#include "fs.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../process/cred.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include <linux/fcntl.h>
#include <linux/limits.h>
#include <linux/xattr.h>

#define AT_FORM_FLAGS (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)
/* Internal: flistxattr and fremovexattr, whose first argument is always a descriptor (AT_FDCWD
 * is EBADF there; see sys_fgetxattr). */
#define XATTR_FD_FORM 0x40000000

/* The resolved node and what the checks need of it. */
struct xattr_node {
	struct xattr_at at;
	uint32_t mode, uid, gid;
	struct fs_node *n;	/* path form (owned) */
	struct file *f;		/* descriptor form (referenced) */
};

static int has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Copies an attribute name: EFAULT, or ERANGE when empty or longer than XATTR_NAME_MAX. */
static long copy_name(char name[XATTR_NAME_MAX + 1], const char *uname)
{
	long r = strncpy_from_user(name, uname, XATTR_NAME_MAX + 1);
	if (r == -ENAMETOOLONG || r == 0)
		return -ERANGE;
	return r < 0 ? r : 0;
}

static long node_from_fd(struct xattr_node *x, int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	x->f = f;
	if (f->flags & O_PATH)	/* Linux's fdget: an O_PATH descriptor is no file here */
		return -EBADF;
	struct stat st;
	memset(&st, 0, sizeof(st));
	long r = f->ops->stat ? f->ops->stat(f, &st) : 0;
	if (r < 0)
		return r;
	x->mode = st.st_mode;
	x->uid = st.st_uid;
	x->gid = st.st_gid;
	int in_mount = f->mnt && f->path && f->path[0] == '/';
	x->at = (struct xattr_at){ .mnt = in_mount ? f->mnt : NULL,
				   .rel = in_mount ? mount_rel(f->mnt, f->path) : "",
				   .host_fd = f->host_fd, .type = f->type };
	return 0;
}

/* Resolves the node of a call: for the f* calls (XATTR_FD_FORM) or with AT_EMPTY_PATH, a NULL
 * or empty path and a descriptor, the open file dfd; else the path from dfd, following a last
 * symlink unless AT_SYMLINK_NOFOLLOW. */
static long node_get(struct xattr_node *x, int dfd, const char *upath, int at_flags)
{
	memset(x, 0, sizeof(*x));
	if (at_flags & XATTR_FD_FORM)
		return node_from_fd(x, dfd);
	char *path = NULL;
	if (upath || !(at_flags & AT_EMPTY_PATH)) {
		path = heap_alloc(LIBOS_PATH_MAX);
		if (!path)
			return -ENOMEM;
		long r = strncpy_from_user(path, upath, LIBOS_PATH_MAX);
		if (r < 0) {
			heap_free(path);
			return r;
		}
	}
	if ((!path || !path[0]) && (at_flags & AT_EMPTY_PATH) && dfd >= 0) {
		heap_free(path);
		return node_from_fd(x, dfd);
	}
	x->n = heap_alloc(sizeof(*x->n));
	long r = x->n ? 0 : -ENOMEM;
	int walk = (at_flags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW;
	if (r == 0)
		r = fs_walk(dfd, path ? path : "", walk | ((at_flags & AT_EMPTY_PATH) ? WALK_EMPTY_OK : 0),
			    x->n);
	heap_free(path);
	if (r < 0)
		return r;
	struct fs_node *n = x->n;
	x->mode = n->info.mode;
	x->uid = n->info.uid;
	x->gid = n->info.gid;
	x->at = (struct xattr_at){ .mnt = n->mnt, .rel = n->rel, .host_fd = -1, .type = n->info.type };
	return 0;
}

static void node_put(struct xattr_node *x)
{
	heap_free(x->n);
	if (x->f)
		file_put(x->f);
}

static const struct mount_ops *node_ops(const struct xattr_node *x)
{
	return x->at.mnt && x->at.mnt->ops->getxattr ? x->at.mnt->ops : NULL;
}

/* Linux's xattr_permission: security.* and system.* are left to the LSM and the file system;
 * trusted.* needs CAP_SYS_ADMIN; user.* lives on regular files and directories only, and a
 * sticky directory's only for its owner; then the mode bits. */
static long xattr_permission(const struct xattr_node *x, const char *name, int mask)
{
	int write = mask & MAY_WRITE;
	if (has_prefix(name, XATTR_SECURITY_PREFIX) || has_prefix(name, XATTR_SYSTEM_PREFIX))
		return 0;
	if (has_prefix(name, XATTR_TRUSTED_PREFIX)) {
		if (!cred_capable(CAP_SYS_ADMIN))
			return write ? -EPERM : -ENODATA;
		return 0;
	}
	if (has_prefix(name, XATTR_USER_PREFIX)) {
		if (x->at.type != NODE_REG && x->at.type != NODE_DIR)
			return write ? -EPERM : -ENODATA;
		if (x->at.type == NODE_DIR && (x->mode & S_ISVTX) && write &&
		    x->uid != cred_fsuid() && !cred_capable(CAP_FOWNER))
			return -EPERM;
	}
	return fs_permission(x->mode, x->uid, x->gid, mask);
}

/* Linux's handler lookup for a file system with xattrs: a known namespace needs a name after
 * its prefix; system.* is the POSIX ACLs', which no cella mount supports (as a tmpfs built
 * without CONFIG_TMPFS_POSIX_ACL); anything else is EOPNOTSUPP. */
static long xattr_resolve(const char *name)
{
	static const char *const known[] = { XATTR_USER_PREFIX, XATTR_TRUSTED_PREFIX,
					     XATTR_SECURITY_PREFIX };
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (has_prefix(name, known[i]))
			return name[strlen(known[i])] ? 0 : -EINVAL;
	return -EOPNOTSUPP;
}

/* commoncap's check of a file-capability value (cap_convert_nscap, before xattr_permission):
 * a v2 or v3 header of its exact size, and CAP_SETFCAP. */
static long caps_value_check(const void *value, size_t size)
{
	uint32_t magic = 0;
	if (size >= sizeof(magic))
		memcpy(&magic, value, sizeof(magic));
	uint32_t rev = magic & VFS_CAP_REVISION_MASK;
	if (!((rev == VFS_CAP_REVISION_2 && size == XATTR_CAPS_SZ_2) ||
	      (rev == VFS_CAP_REVISION_3 && size == XATTR_CAPS_SZ_3)))
		return -EINVAL;
	return cred_capable(CAP_SETFCAP) ? 0 : -EPERM;
}

/* commoncap's rule for changing security.* (cap_inode_setxattr/removexattr): CAP_SYS_ADMIN,
 * except file capabilities, whose set was checked with the value and whose removal needs
 * CAP_SETFCAP. */
static long security_write_check(const char *name, int removing)
{
	if (!has_prefix(name, XATTR_SECURITY_PREFIX))
		return 0;
	if (strcmp(name, XATTR_NAME_CAPS) == 0)
		return !removing || cred_capable(CAP_SETFCAP) ? 0 : -EPERM;
	return cred_capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

/* What setxattr and removexattr check before the mount stores anything, in Linux's order:
 * mnt_want_write first (a mount without xattrs, procfs, is writable there), a capability
 * value's header, the permission, the security namespace's rule, then the handler. */
static long write_checks(const struct xattr_node *x, const struct mount_ops *ops, const char *name,
			 const void *kvalue, size_t size, int remove)
{
	if (ops && !ops->writable)
		return -EROFS;
	long r = 0;
	if (size && strcmp(name, XATTR_NAME_CAPS) == 0)
		r = caps_value_check(kvalue, size);
	if (r >= 0)
		r = xattr_permission(x, name, MAY_WRITE);
	if (r >= 0)
		r = security_write_check(name, remove);
	if (r >= 0 && !ops)
		r = -EOPNOTSUPP;
	return r < 0 ? r : xattr_resolve(name);
}

static long xattr_get(int dfd, const char *upath, int at_flags, const char *uname, void *uvalue,
		      size_t size)
{
	char name[XATTR_NAME_MAX + 1];
	long r = copy_name(name, uname);
	if (r < 0)
		return r;
	struct xattr_node x;
	r = node_get(&x, dfd, upath, at_flags);
	if (r >= 0)
		r = xattr_permission(&x, name, MAY_READ);
	const struct mount_ops *ops = node_ops(&x);
	if (r >= 0 && !ops)
		r = -EOPNOTSUPP;
	if (r >= 0)
		r = xattr_resolve(name);
	void *kvalue = NULL;
	if (size > XATTR_SIZE_MAX)
		size = XATTR_SIZE_MAX;
	if (r >= 0 && size && !(kvalue = heap_alloc(size)))
		r = -ENOMEM;
	if (r >= 0)
		r = ops->getxattr(&x.at, name, kvalue, size);
	if (r > 0 && size && copy_to_user(uvalue, kvalue, (size_t)r) < 0)
		r = -EFAULT;
	heap_free(kvalue);
	node_put(&x);
	return r;
}

static long xattr_set(int dfd, const char *upath, int at_flags, const char *uname,
		      const void *uvalue, size_t size, int flags)
{
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	char name[XATTR_NAME_MAX + 1];
	long r = copy_name(name, uname);
	if (r < 0)
		return r;
	if (size > XATTR_SIZE_MAX)
		return -E2BIG;
	void *kvalue = NULL;
	if (size) {
		if (!(kvalue = heap_alloc(size)))
			return -ENOMEM;
		if (copy_from_user(kvalue, uvalue, size) < 0) {
			heap_free(kvalue);
			return -EFAULT;
		}
	}
	struct xattr_node x;
	r = node_get(&x, dfd, upath, at_flags);
	const struct mount_ops *ops = node_ops(&x);
	if (r >= 0)
		r = write_checks(&x, ops, name, kvalue, size, 0);
	if (r >= 0)
		r = ops->setxattr ? ops->setxattr(&x.at, name, kvalue, size, flags) : -EOPNOTSUPP;
	heap_free(kvalue);
	node_put(&x);
	return r;
}

static long xattr_remove(int dfd, const char *upath, int at_flags, const char *uname)
{
	char name[XATTR_NAME_MAX + 1];
	long r = copy_name(name, uname);
	if (r < 0)
		return r;
	struct xattr_node x;
	r = node_get(&x, dfd, upath, at_flags);
	const struct mount_ops *ops = node_ops(&x);
	if (r >= 0)
		r = write_checks(&x, ops, name, NULL, 0, 1);
	if (r >= 0)
		r = ops->removexattr ? ops->removexattr(&x.at, name) : -EOPNOTSUPP;
	node_put(&x);
	return r;
}

/* Drops trusted.* names from a list (Linux lists them only to CAP_SYS_ADMIN); new length. */
static size_t hide_trusted(char *list, size_t len)
{
	size_t out = 0;
	for (size_t i = 0; i < len;) {
		size_t n = strnlen(list + i, len - i) + 1;
		if (!has_prefix(list + i, XATTR_TRUSTED_PREFIX)) {
			memmove(list + out, list + i, n);
			out += n;
		}
		i += n;
	}
	return out;
}

static long xattr_list(int dfd, const char *upath, int at_flags, char *ulist, size_t size)
{
	struct xattr_node x;
	long r = node_get(&x, dfd, upath, at_flags);
	const struct mount_ops *ops = node_ops(&x);
	char *klist = NULL;
	if (r >= 0 && ops && !(klist = heap_alloc(XATTR_LIST_MAX)))
		r = -ENOMEM;
	if (r >= 0)
		r = ops ? ops->listxattr(&x.at, klist, XATTR_LIST_MAX) : 0;
	if (r == -ERANGE)	/* more than any list Linux hands out */
		r = -E2BIG;
	if (r > 0 && !cred_capable(CAP_SYS_ADMIN))
		r = (long)hide_trusted(klist, (size_t)r);
	if (size > XATTR_LIST_MAX)
		size = XATTR_LIST_MAX;
	if (r > 0 && size) {
		if ((size_t)r > size)
			r = -ERANGE;
		else if (copy_to_user(ulist, klist, (size_t)r) < 0)
			r = -EFAULT;
	}
	heap_free(klist);
	node_put(&x);
	return r;
}

long sys_getxattr(const char *upath, const char *name, void *value, size_t size)
{
	return xattr_get(AT_FDCWD, upath, 0, name, value, size);
}

long sys_lgetxattr(const char *upath, const char *name, void *value, size_t size)
{
	return xattr_get(AT_FDCWD, upath, AT_SYMLINK_NOFOLLOW, name, value, size);
}

/* Since Linux 6.13 fgetxattr and fsetxattr are getxattrat/setxattrat on (fd, NULL,
 * AT_EMPTY_PATH), so AT_FDCWD names the working directory; flistxattr and fremovexattr kept
 * their EBADF. */
long sys_fgetxattr(int fd, const char *name, void *value, size_t size)
{
	return xattr_get(fd, NULL, AT_EMPTY_PATH, name, value, size);
}

long sys_setxattr(const char *upath, const char *name, const void *value, size_t size, int flags)
{
	return xattr_set(AT_FDCWD, upath, 0, name, value, size, flags);
}

long sys_lsetxattr(const char *upath, const char *name, const void *value, size_t size, int flags)
{
	return xattr_set(AT_FDCWD, upath, AT_SYMLINK_NOFOLLOW, name, value, size, flags);
}

long sys_fsetxattr(int fd, const char *name, const void *value, size_t size, int flags)
{
	return xattr_set(fd, NULL, AT_EMPTY_PATH, name, value, size, flags);
}

long sys_listxattr(const char *upath, char *list, size_t size)
{
	return xattr_list(AT_FDCWD, upath, 0, list, size);
}

long sys_llistxattr(const char *upath, char *list, size_t size)
{
	return xattr_list(AT_FDCWD, upath, AT_SYMLINK_NOFOLLOW, list, size);
}

long sys_flistxattr(int fd, char *list, size_t size)
{
	return xattr_list(fd, NULL, XATTR_FD_FORM, list, size);
}

long sys_removexattr(const char *upath, const char *name)
{
	return xattr_remove(AT_FDCWD, upath, 0, name);
}

long sys_lremovexattr(const char *upath, const char *name)
{
	return xattr_remove(AT_FDCWD, upath, AT_SYMLINK_NOFOLLOW, name);
}

long sys_fremovexattr(int fd, const char *name)
{
	return xattr_remove(fd, NULL, XATTR_FD_FORM, name);
}

/* ---- the *xattrat forms (Linux 6.13): value, size and flags in a struct xattr_args ---------- */
struct xattr_args {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

/* Linux's copy_struct_from_user: at least the first version's 16 bytes, at most a page, and
 * any bytes past what this kernel knows must be zero (E2BIG). */
static long copy_xattr_args(struct xattr_args *a, const void *uargs, size_t usize)
{
	if (usize < sizeof(*a))
		return -EINVAL;
	if (usize > 4096)
		return -E2BIG;
	if (copy_from_user(a, uargs, sizeof(*a)) < 0)
		return -EFAULT;
	for (size_t off = sizeof(*a); off < usize; off++) {
		char c;
		if (copy_from_user(&c, (const char *)uargs + off, 1) < 0)
			return -EFAULT;
		if (c)
			return -E2BIG;
	}
	return 0;
}

long sys_setxattrat(int dfd, const char *upath, unsigned at_flags, const char *name,
		    const void *uargs, size_t usize)
{
	struct xattr_args a;
	long r = copy_xattr_args(&a, uargs, usize);
	if (r < 0)
		return r;
	if (at_flags & ~AT_FORM_FLAGS)
		return -EINVAL;
	return xattr_set(dfd, upath, (int)at_flags, name, (const void *)a.value, a.size, (int)a.flags);
}

long sys_getxattrat(int dfd, const char *upath, unsigned at_flags, const char *name, void *uargs,
		    size_t usize)
{
	struct xattr_args a;
	long r = copy_xattr_args(&a, uargs, usize);
	if (r < 0)
		return r;
	if (a.flags)
		return -EINVAL;
	if (at_flags & ~AT_FORM_FLAGS)
		return -EINVAL;
	return xattr_get(dfd, upath, (int)at_flags, name, (void *)a.value, a.size);
}

long sys_listxattrat(int dfd, const char *upath, unsigned at_flags, char *list, size_t size)
{
	if (at_flags & ~AT_FORM_FLAGS)
		return -EINVAL;
	return xattr_list(dfd, upath, (int)at_flags, list, size);
}

long sys_removexattrat(int dfd, const char *upath, unsigned at_flags, const char *name)
{
	if (at_flags & ~AT_FORM_FLAGS)
		return -EINVAL;
	return xattr_remove(dfd, upath, (int)at_flags, name);
}
