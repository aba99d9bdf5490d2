/* libos/fs/fs.h — the file system API: mounts, path resolution, open files and the fd table.
 * Paths handled here are canonical instance paths: absolute, no ".", "..", "//" or trailing '/',
 * and no symlink in any component but possibly the last. */
#ifndef LIBOS_FS_H
#define LIBOS_FS_H

#include <stddef.h>
#include <stdint.h>
#include "../process/process.h"
#include <asm/stat.h>
#include <linux/stat.h>

struct mount;
struct file;
struct statx;

enum node_type { NODE_NONE = 0, NODE_DIR, NODE_REG, NODE_LNK, NODE_CHR, NODE_FIFO, NODE_SOCK };

/* What a mount says about one name. */
struct fs_lookup {
	int type;		/* enum node_type; NODE_NONE: does not exist */
	uint32_t mode;		/* st_mode when known */
	uint32_t uid, gid;	/* owner: 0 (root) unless the mount stores owners */
	long id;		/* mount-specific: manifest index, device number, proc node */
	char *link;		/* NODE_LNK: target, written into the caller's buffer */
	size_t link_size;
};

/* A resolved path. */
struct fs_node {
	struct mount *mnt;
	char path[LIBOS_PATH_MAX];	/* canonical instance path */
	const char *rel;		/* path inside the mount: "" for its root, else no leading '/' */
	int trailing_slash;		/* the app's path ended in '/' */
	struct fs_lookup info;
	struct fs_lookup parent;	/* the directory the last component was looked up in */
	char link_buf[LIBOS_PATH_MAX];	/* NODE_LNK target when the last component was not followed */
};

/* The node an extended-attribute call acts on (sys_xattr.c): an open file's host descriptor, or
 * a path inside the mount. */
struct xattr_at {
	struct mount *mnt;
	const char *rel;	/* the node's path inside mnt when host_fd < 0 */
	int host_fd;		/* the app's open file on the host, or -1 */
	int type;		/* enum node_type */
};

struct mount_ops {
	/* Describes `rel` (the mount root is ""); never follows a final symlink. */
	long (*lookup)(struct mount *m, const char *rel, struct fs_lookup *out);
	/* Opens an existing node, or creates one when n->info.type == NODE_NONE and O_CREAT. */
	long (*open)(struct fs_node *n, int flags, unsigned mode, struct file **out);
	long (*stat)(struct fs_node *n, struct stat *st);
	long (*mkdir)(struct fs_node *n, unsigned mode);
	long (*unlink)(struct fs_node *n, int is_dir);
	/* Writable mounts only (NULL: -EROFS or -EPERM): */
	long (*symlink)(struct fs_node *n, const char *target);
	long (*rename)(struct fs_node *from, struct fs_node *to, unsigned flags);
	long (*link)(struct fs_node *from, struct fs_node *to);
	long (*chmod)(struct fs_node *n, unsigned mode);
	long (*utimens)(struct fs_node *n, const void *times);
	long (*truncate)(struct fs_node *n, long len);
	/* Extended attributes, names in full ("user.x"), values in LibOS memory; sys_xattr.c has
	 * checked the name, its namespace and the caller's permission. NULL getxattr: the mount
	 * has none (EOPNOTSUPP, listxattr empty). NULL setxattr: read-only (EROFS) or
	 * unsupported (EOPNOTSUPP) per `writable`. Linux's size rules: 0 asks for the length. */
	long (*getxattr)(const struct xattr_at *at, const char *name, void *value, size_t size);
	long (*setxattr)(const struct xattr_at *at, const char *name, const void *value, size_t size,
			 int flags);
	long (*removexattr)(const struct xattr_at *at, const char *name);
	long (*listxattr)(const struct xattr_at *at, char *list, size_t size);
	/* Makes a FIFO, socket or regular file (mode holds S_IFMT and the bits, umask applied). */
	long (*mknod)(struct fs_node *n, unsigned mode);
	/* Stores owner, group and mode bits (07777) of the node host inode `ino` and stamps its
	 * ctime (chown; chmod after the host's bits changed). */
	long (*set_owner)(struct mount *m, uint64_t ino, uint32_t uid, uint32_t gid, uint32_t mode);
	/* Puts what the mount keeps itself (owner, set-ID bits, ctime) into a host stat of one of its
	 * nodes; NULL: the host's stat is the node's. */
	void (*fix_stat)(struct mount *m, struct stat *st);
	/* Whether the mount can be written at all (EROFS otherwise). */
	int writable;
	/* A read-only mount: writes to its files, directories and symlinks fail with EROFS before
	 * any permission check (the image; /proc and /dev are not writable but not read-only). */
	int readonly;
};

struct mount {
	const struct mount_ops *ops;
	const char *target;		/* canonical, "/" for the root mount (in the config blob) */
	size_t target_len;
	int host_root_fd;		/* host directory under which its files live, or -1 */
	int host_parent_fd;		/* made on first use (tmpfs): host_name in this directory; or -1 */
	char host_name[32];
	char *host_root_path;		/* host path of that directory (for /proc maps), or NULL */
	uint64_t dev;			/* st_dev shown for synthetic nodes */
};

/* ---- mounts and resolution (mount.c, namei.c) ---------------------------------------------- */
long fs_init(int image_fd, int run_fd, const char *tmp_name);
/* The host directory under m: host_root_fd, or for a mount made on first use, that directory
 * made (if no process of the instance made it yet) and opened; fd or -errno. */
long mount_host_root(struct mount *m);
struct mount *mount_of(const char *canon_path);
/* Relative path of canon inside m, "" for m's root. */
const char *mount_rel(struct mount *m, const char *canon);

#define WALK_FOLLOW	1	/* follow a symlink in the last component */
#define WALK_CREATE	2	/* a missing last component is not an error (NODE_NONE) */
#define WALK_EMPTY_OK	4	/* "" names dirfd itself (AT_EMPTY_PATH) */
/* openat2's RESOLVE_ rules (namei.c's struct scope): */
#define WALK_BENEATH		8	/* never above dirfd: absolute paths and links, ".." EXDEV */
#define WALK_IN_ROOT		16	/* dirfd is "/" for this walk */
#define WALK_NO_SYMLINKS	32	/* following any symlink is ELOOP */
#define WALK_NO_MAGICLINKS	64	/* following a /proc object link (fd/N, exe) is ELOOP */
#define WALK_NO_XDEV		128	/* entering another mount is EXDEV */

/* Resolves `path` (already copied from the app) relative to dirfd (AT_FDCWD: the cwd). */
long fs_walk(int dirfd, const char *path, int flags, struct fs_node *out);
/* Copies the app's path string and resolves it. */
long fs_walk_user(int dirfd, const char *upath, int flags, struct fs_node *out);

/* Opens the app's path (sys_open.c): Linux's flag checks, then the owning mount's open. */
long fs_open(int dirfd, const char *upath, int flags, unsigned mode, struct file **out);
/* fs_open with openat2's resolve rules: walk is WALK_BENEATH ... WALK_NO_XDEV bits. */
long fs_open_resolve(int dirfd, const char *upath, int flags, unsigned mode, int walk,
		     struct file **out);
/* Opens and installs the lowest free descriptor (openat, openat2): the fd or -errno. */
long fs_open_install(int dirfd, const char *upath, int flags, unsigned mode, int walk);
/* The same for a path already in LibOS memory. */
long fs_open_kernel(int dirfd, const char *path, int flags, struct file **out);

/* utimensat after its argument checks (sys_modify.c): kts is two struct timespec in LibOS
 * memory, or NULL for "now" (which has its own permission rule). */
long fs_utimensat(int dirfd, const char *upath, const void *kts, int flags);

/* ---- open files (file.c) ------------------------------------------------------------------- */
struct file_ops {
	/* Buffers are app memory: implementations copy with copy_to/from_user or hand them to the
	 * host, which reports EFAULT itself. */
	long (*read)(struct file *f, void *buf, size_t n);
	long (*write)(struct file *f, const void *buf, size_t n);
	long (*pread)(struct file *f, void *buf, size_t n, long off);
	long (*pwrite)(struct file *f, const void *buf, size_t n, long off);
	long (*lseek)(struct file *f, long off, int whence);
	long (*stat)(struct file *f, struct stat *st);
	long (*getdents)(struct file *f, void *buf, size_t n);	/* linux_dirent64 records */
	long (*ioctl)(struct file *f, unsigned long req, unsigned long arg);
	void (*release)(struct file *f);
};

struct file {
	int refs;
	const struct file_ops *ops;
	int host_fd;		/* -1 for synthetic files */
	int flags;		/* O_ACCMODE and status flags as the app sees them */
	int type;		/* enum node_type */
	long pos;		/* synthetic files only; host files keep the host offset */
	struct mount *mnt;
	char *path;		/* canonical instance path, or "pipe:[N]" style names */
	char *data;		/* synthetic content (procfs) */
	size_t size;
	long dev;		/* devfs device */
	long manifest_index;	/* image files: index in the manifest, -1 otherwise */
	int owner;		/* host pid whose descriptor table holds host_fd */
	/* A pipe's owner, its creator (Linux's pipefs inode): anonymous objects keep it here, so
	 * fstat, fchown and fchmod see it instead of the host's owner. */
	int anon_owner;
	uint32_t uid, gid;
};

extern const struct file_ops host_file_ops;
/* The host-backed operations, for mounts that reuse some of them. */
long host_file_read(struct file *f, void *buf, size_t n);
long host_file_write(struct file *f, const void *buf, size_t n);
long host_file_pread(struct file *f, void *buf, size_t n, long off);
long host_file_pwrite(struct file *f, const void *buf, size_t n, long off);
long host_file_lseek(struct file *f, long off, int whence);
long host_file_stat(struct file *f, struct stat *st);
long host_file_getdents(struct file *f, void *buf, size_t n);
long host_file_ioctl(struct file *f, unsigned long req, unsigned long arg);
void host_file_release(struct file *f);

struct file *file_new(const struct file_ops *ops, int host_fd, int flags, const char *path);
void file_get(struct file *f);
void file_put(struct file *f);
/* Drops a reference to a file whose host fd is in another host process's table (a vfork
 * child's): at the last one the memory goes, the host fd is not closed here. */
void file_put_foreign(struct file *f);

/* ---- fd table (fdtable.c) ------------------------------------------------------------------ */
#define FD_CLOEXEC_FLAG 1

long fd_install(struct file *f, int cloexec, int min_fd);	/* lowest free >= min_fd */
long fd_install_at(struct file *f, int fd, int cloexec);	/* replaces what fd held */
struct file *fd_get(int fd);		/* takes a reference; NULL if not open */
long fd_close(int fd);
int fd_get_cloexec(int fd);
long fd_set_cloexec(int fd, int on);
int fd_max(void);			/* one past the highest possibly open fd */
extern struct fd_table fdt0;	/* the first process's table; reached as proc.files */
/* A vfork child's table: the caller's descriptors, each file referenced once more. */
struct fd_table *fd_table_copy(void);
/* Frees a vfork child's table once the child has exec'ed or ended: files it opened itself
 * (owner child_host_pid) live in its host fd table, not ours. */
void fd_table_drop_vfork(struct fd_table *t, int child_host_pid);
/* unshare(CLONE_FILES) for the calling thread: if its table is shared, it gets a copy of its own
 * (0 or -ENOMEM); descriptors it closes then stay open for the others. */
long fd_table_unshare(void);
/* fd_get in the table thread t (of the caller's process) uses; its identity (kcmp KCMP_FILES). */
struct file *fd_get_thread(struct libos_thread *t, int fd);
const void *fd_table_id(struct libos_thread *t);
/* A new thread's table: its creator's, shared (CLONE_FILES), or a copy. 0 or -ENOMEM. */
long fd_thread_attach(struct libos_thread *child, int share);
/* A thread's end (or its struct's reuse): drops its reference to a table of its own. */
void fd_thread_detach(struct libos_thread *t);
/* A fork child's one thread: the table it used becomes the process's (the other threads' tables
 * are dropped by fd_thread_detach first). */
void fd_tables_after_fork(struct libos_thread *self);
/* The current working directory (the process's own). */
#define fs_cwd (proc.cwd)

/* ---- helpers shared by mounts ----------------------------------------------------------------*/
/* enum node_type of an st_mode. The image holds only dirs, files and symlinks (cella build
 * refuses the rest); the other kinds come from tmpfs. */
static inline int fs_node_type(uint32_t mode)
{
	switch (mode & 0170000) {	/* S_IFMT; numeric so host-compiled unit tests see it too */
	case 0040000: return NODE_DIR;
	case 0100000: return NODE_REG;
	case 0120000: return NODE_LNK;
	case 0010000: return NODE_FIFO;
	case 0140000: return NODE_SOCK;
	default: return NODE_CHR;
	}
}
/* Fills a stat for a synthetic node. */
void fs_fake_stat(struct stat *st, struct mount *m, long ino, uint32_t mode, long size);
/* Host relative path for openat2 and *at calls: "." for the root. */
static inline const char *host_rel(const char *rel) { return *rel ? rel : "."; }
long host_open_beneath(int root_fd, const char *rel, int flags, unsigned mode);
long host_stat_beneath(int root_fd, const char *rel, struct stat *st);
/* Opens the parent directory of rel beneath root_fd (no symlinks anywhere) and points *name at
 * rel's last component, so an *at call on (fd, name) cannot leave the mount even if the app
 * swaps a directory for a symlink meanwhile. Returns the O_PATH fd or -errno. */
long host_parent_beneath(int root_fd, const char *rel, const char **name);

/* ---- extended attributes (sys_xattr.c, tmpfs_xattr.c) --------------------------------------- */
/* tmpfs: host user.* attributes of the host file under a fixed renaming (tmpfs_xattr.c). */
long tmpfs_getxattr(const struct xattr_at *at, const char *name, void *value, size_t size);
long tmpfs_setxattr(const struct xattr_at *at, const char *name, const void *value, size_t size,
		    int flags);
long tmpfs_removexattr(const struct xattr_at *at, const char *name);
long tmpfs_listxattr(const struct xattr_at *at, char *list, size_t size);

/* ---- permission checks (perm.c) ------------------------------------------------------------ */
#define MAY_EXEC	1
#define MAY_WRITE	2
#define MAY_READ	4
/* Linux's generic_permission: whether the caller's fs ids, groups and capabilities allow `mask`
 * (MAY_*) on a node with this st_mode and owner. 0 or -EACCES. */
long fs_permission(uint32_t mode, uint32_t uid, uint32_t gid, int mask);
/* The same for a looked-up node, with EROFS first for a write to a file, directory or symlink of
 * a read-only mount (Linux's sb_permission). */
long fs_node_permission(struct mount *m, const struct fs_lookup *l, int mask);
/* Making a name in n's directory (write and search on it), or removing n from it (the same, and
 * in a sticky directory only n's owner, the directory's or CAP_FOWNER: EPERM). */
long fs_may_create(const struct fs_node *n);
long fs_may_delete(const struct fs_node *n);
/* After a truncate or write by a caller without CAP_FSETID: clears S_ISUID, and S_ISGID with
 * group execute, of a regular file (Linux's file_remove_privs). */
void fs_remove_privs(struct mount *m, uint64_t ino, uint32_t mode, uint32_t uid, uint32_t gid);
/* Whether the caller has capability cap (the access() override's set while one is in force). */
int fs_capable(int cap);
uint32_t fs_fsuid(void);
/* access() and faccessat() without AT_EACCESS check with the real ids: for the calling thread,
 * while this is set (perm.c), lookups and checks use these instead of the fs ids. */
struct fs_access_cred {
	uint32_t uid, gid;
	uint64_t caps;
};
void fs_access_begin(struct fs_access_cred *c);
void fs_access_end(void);

/* ---- the image (image.c) ------------------------------------------------------------------- */
long image_load_manifest(int fd);
/* /dev/zero, which mmap turns into anonymous memory as Linux does. */
int devfs_is_zero(const struct file *f);
/* The launcher's build/verified.bin (or -1): hashes remembered across runs (image.c). */
void image_set_verified_fd(int fd);
/* The patchable syscall sites `cella build` found in image file `index` (a manifest index). */
struct cella_manifest_site;
const char *image_path(long index);	/* the image path of a manifest entry */
const struct cella_manifest_site *image_sites(long index, uint32_t *count);
extern const struct mount_ops image_mount_ops;
/* Host descriptors of closed image files, kept for the next open of the same one
 * (image_fdcache.c): take gives a host fd at offset 0 or -1; put says 1 if it kept f's host fd
 * (the caller must not close it); disable, after a file lock, makes every later close real. */
long image_fdcache_take(long index);
int image_fdcache_put(struct file *f);
void image_fdcache_disable(void);
/* An open image file: host_file_ops with the manifest's stat (manifest_index says which). */
extern const struct file_ops image_file_ops;
extern const struct mount_ops tmpfs_mount_ops;
extern const struct mount_ops devfs_mount_ops;
extern const struct mount_ops procfs_mount_ops;

/* ---- procfs helpers ------------------------------------------------------------------------- */
/* The app-visible name of a host path (image and tmp files), or NULL. */
const char *fs_host_to_instance(const char *host_path, char *out, size_t size);

struct spinlock;
/* The descriptor table's lock (fork.c takes it around a host fork). */
struct spinlock *fd_table_lock(void);

#endif
