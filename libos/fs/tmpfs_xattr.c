/* libos/fs/tmpfs_xattr.c — tmpfs's extended attributes, kept as host user.* attributes of the
 * host file under a fixed renaming, so the app may name any user., trusted. or security.
 * attribute and never sees or touches a host name outside that mapping (cella's own):
 *	app user.X -> host user.u.X	app trusted.X -> host user.t.X	app security.X -> host user.s.X
 * Costs: host names are 255 bytes at most, so app user.* names of 254 and 255 bytes do not fit
 * (ERANGE); values share the host file system's space (ext4: one 4 KiB block per inode). The
 * host keeps user.* on regular files and directories only, so other nodes carry none here. An
 * unprivileged host process briefly lends a node its owner r/w bit when the host refuses. */
#include "fs.h"
#include "../errno.h"
#include "../../lib/alloc.h"
#include "../../lib/format.h"
#include "../../lib/mem.h"
#include <linux/fcntl.h>
#include <linux/limits.h>

static const struct {
	const char *app, *host;
} name_map[] = {
	{ "user.", "user.u." },
	{ "trusted.", "user.t." },
	{ "security.", "user.s." },
};
#define NMAP (sizeof(name_map) / sizeof(name_map[0]))

/* The host name of app attribute `name` (its namespace already checked); -ERANGE if too long. */
static long host_name(const char *name, char out[XATTR_NAME_MAX + 1])
{
	for (size_t i = 0; i < NMAP; i++) {
		size_t pl = strlen(name_map[i].app);
		if (strncmp(name, name_map[i].app, pl) != 0)
			continue;
		size_t hl = strlen(name_map[i].host), sl = strlen(name + pl);
		if (hl + sl > XATTR_NAME_MAX)
			return -ERANGE;
		memcpy(out, name_map[i].host, hl);
		memcpy(out + hl, name + pl, sl + 1);
		return 0;
	}
	return -EOPNOTSUPP;
}

enum host_op { HOST_GET, HOST_SET, HOST_REMOVE, HOST_LIST };

static long host_call_fd(int fd, enum host_op op, const char *hname, void *buf, size_t size,
			 int flags)
{
	switch (op) {
	case HOST_GET: return pal_fgetxattr(fd, hname, buf, size);
	case HOST_SET: return pal_fsetxattr(fd, hname, buf, size, flags);
	case HOST_REMOVE: return pal_fremovexattr(fd, hname);
	default: return pal_flistxattr(fd, buf, size);
	}
}

static long host_call_path(const char *path, enum host_op op, const char *hname, void *buf,
			   size_t size, int flags)
{
	switch (op) {
	case HOST_GET: return pal_getxattr(path, hname, buf, size);
	case HOST_SET: return pal_setxattr(path, hname, buf, size, flags);
	case HOST_REMOVE: return pal_removexattr(path, hname);
	default: return pal_listxattr(path, buf, size);
	}
}

/* Runs op on host descriptor fd: directly if it is the app's open file (path NULL), else
 * through its /proc/self/fd name (an O_PATH descriptor, which the f*xattr calls refuse). */
static long host_call(int fd, const char *path, enum host_op op, const char *hname, void *buf,
		      size_t size, int flags)
{
	return path ? host_call_path(path, op, hname, buf, size, flags)
		    : host_call_fd(fd, op, hname, buf, size, flags);
}

/* An unprivileged host process passes the host's own check on user.* only with the owner's r
 * (get) or w (set, remove) bit, which the app's mode may lack where the instance's check
 * (sys_xattr.c: root's CAP_DAC_OVERRIDE) allowed the call: the bit is lent for the call and
 * taken back (a chmod of the node by another process in between is lost). */
static long host_call_lent(int fd, const char *path, enum host_op op, const char *hname,
			   void *buf, size_t size, int flags)
{
	long r = host_call(fd, path, op, hname, buf, size, flags);
	unsigned bit = op == HOST_GET ? 0400 : op == HOST_LIST ? 0 : 0200;
	struct stat st;
	if (r != -EACCES || !bit || pal_fstat(fd, &st) < 0 || (st.st_mode & bit))
		return r;
	char self[32];
	fmt_snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	if (pal_fchmodat(AT_FDCWD, self, (int)((st.st_mode | bit) & 07777)) < 0)
		return r;
	r = host_call(fd, path, op, hname, buf, size, flags);
	pal_fchmodat(AT_FDCWD, self, (int)(st.st_mode & 07777));
	return r;
}

/* Runs op on the host file of `at`: the app's open file, or the node reached beneath the mount
 * root without following any symlink (an O_PATH descriptor, named through /proc/self/fd since
 * the f*xattr calls refuse O_PATH and a 6.1 host has no *xattrat calls). */
static long host_xattr(const struct xattr_at *at, enum host_op op, const char *hname, void *buf,
		       size_t size, int flags)
{
	if (at->host_fd >= 0)
		return host_call_lent(at->host_fd, NULL, op, hname, buf, size, flags);
	long root = mount_host_root(at->mnt);
	if (root < 0)
		return root;
	long fd = host_open_beneath((int)root, at->rel, O_PATH | O_NOFOLLOW, 0);
	if (fd < 0)
		return fd;
	char path[32];
	fmt_snprintf(path, sizeof(path), "/proc/self/fd/%d", (int)fd);
	long r = host_call_lent((int)fd, path, op, hname, buf, size, flags);
	pal_close((int)fd);
	return r;
}

static int carries_xattrs(const struct xattr_at *at)
{
	return at->type == NODE_REG || at->type == NODE_DIR;
}

long tmpfs_getxattr(const struct xattr_at *at, const char *name, void *value, size_t size)
{
	char hname[XATTR_NAME_MAX + 1];
	long r = host_name(name, hname);
	if (r == -ERANGE || !carries_xattrs(at))
		return -ENODATA;	/* a name that cannot be stored is not there */
	return r < 0 ? r : host_xattr(at, HOST_GET, hname, value, size, 0);
}

long tmpfs_setxattr(const struct xattr_at *at, const char *name, const void *value, size_t size,
		    int flags)
{
	char hname[XATTR_NAME_MAX + 1];
	long r = host_name(name, hname);
	if (r >= 0 && !carries_xattrs(at))
		r = -EOPNOTSUPP;
	return r < 0 ? r : host_xattr(at, HOST_SET, hname, (void *)value, size, flags);
}

long tmpfs_removexattr(const struct xattr_at *at, const char *name)
{
	char hname[XATTR_NAME_MAX + 1];
	long r = host_name(name, hname);
	if (r == -ERANGE || !carries_xattrs(at))
		return -ENODATA;
	return r < 0 ? r : host_xattr(at, HOST_REMOVE, hname, NULL, 0, 0);
}

/* The host's list, mapped back to app names; others (cella's own) left out. */
long tmpfs_listxattr(const struct xattr_at *at, char *list, size_t size)
{
	if (!carries_xattrs(at))
		return 0;
	char *hlist = heap_alloc(XATTR_LIST_MAX);
	if (!hlist)
		return -ENOMEM;
	long r = host_xattr(at, HOST_LIST, NULL, hlist, XATTR_LIST_MAX, 0);
	size_t out = 0;
	for (long i = 0; r > 0 && i < r;) {
		const char *h = hlist + i;
		size_t hl = strnlen(h, (size_t)(r - i));
		i += (long)hl + 1;
		for (size_t m = 0; m < NMAP; m++) {
			size_t pl = strlen(name_map[m].host);
			if (strncmp(h, name_map[m].host, pl) != 0)
				continue;
			size_t al = strlen(name_map[m].app), sl = hl - pl;
			if (out + al + sl + 1 > size) {
				heap_free(hlist);
				return -ERANGE;
			}
			memcpy(list + out, name_map[m].app, al);
			memcpy(list + out + al, h + pl, sl);
			list[out + al + sl] = 0;
			out += al + sl + 1;
			break;
		}
	}
	heap_free(hlist);
	return r < 0 ? r : (long)out;
}
