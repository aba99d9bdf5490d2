/* tests/unit/rt_namei.c — path resolution (libos/fs/namei.c) and the mount table (mount.c) on
 * the host: two fake mounts ("/" and "/tmp") whose lookup ops read static tables, a fake fd
 * table for dirfds, and checks of canonical paths, errors, symlinks and mount crossings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "../../libos/fs/namei.c"
#include "../../libos/fs/mount.c"
#include "../../lib/alloc.c"
#include "../../lib/format.c"

/* ---- stubs for what namei.c and mount.c call ------------------------------------------------ */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

long pal_host_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long r = syscall(nr, a1, a2, a3, a4, a5, a6);
	return r < 0 ? -errno : r;
}

long strncpy_from_user(char *dst, const char *usrc, size_t max)
{
	size_t n = strnlen(usrc, max);
	if (n == max)
		return -ENAMETOOLONG;
	memcpy(dst, usrc, n + 1);
	return (long)n;
}

/* Search permission: the fake mounts' directories are all searchable (0755, root's; the test
 * runs as root of the walk's view), so the check always passes here. */
long fs_permission(uint32_t mode, uint32_t uid, uint32_t gid, int mask)
{
	(void)mode, (void)uid, (void)gid, (void)mask;
	return 0;
}

/* mount_host_root's first open of /tmp's directory: never reached, fs_init gets no run/ here. */
long host_open_beneath(int root_fd, const char *rel, int flags, unsigned mode)
{
	(void)root_fd, (void)rel, (void)flags, (void)mode;
	return -ENOSYS;
}

int log_level;
void log_write(int level, const char *fmt, ...)
{
	(void)level, (void)fmt;
}

/* The config blob: mounts "/" (image), "/tmp" (tmpfs), "/proc" (procfs). */
static struct {
	struct cella_config c;
	char strings[32];
} blob = {
	.c = { .nmounts = 3,
	       .mounts = { { CELLA_MOUNT_IMAGE, sizeof(struct cella_config) + 0, 0 },
			   { CELLA_MOUNT_TMPFS, sizeof(struct cella_config) + 2, 0 },
			   { CELLA_MOUNT_PROCFS, sizeof(struct cella_config) + 7, 0 } } },
	.strings = "/\0/tmp\0/proc",
};
const struct cella_config *cfg = &blob.c;
const char *config_str(uint32_t off) { return (const char *)cfg + off; }

/* Fake fd table: a fd names a path and a type. */
static struct file files[8];
struct file *fd_get(int fd)
{
	if (fd < 0 || fd >= 8 || !files[fd].path)
		return NULL;
	files[fd].refs++;
	return &files[fd];
}
void file_put(struct file *f) { f->refs--; }

/* ---- the fake trees ------------------------------------------------------------------------- */
struct node { const char *rel; int type; const char *link; };

static const struct node root_nodes[] = {
	{ "", NODE_DIR, 0 },
	{ "etc", NODE_DIR, 0 },
	{ "etc/passwd", NODE_REG, 0 },
	{ "usr", NODE_DIR, 0 },
	{ "usr/bin", NODE_DIR, 0 },
	{ "usr/bin/env", NODE_REG, 0 },
	{ "usr/bin/up", NODE_LNK, "../../etc" },
	{ "usr/lib", NODE_DIR, 0 },
	{ "usr/lib/libc.so", NODE_REG, 0 },
	{ "lib", NODE_LNK, "usr/lib" },
	{ "abs", NODE_LNK, "/etc/passwd" },
	{ "rel", NODE_LNK, "etc/passwd" },
	{ "dirlink", NODE_LNK, "usr/bin" },
	{ "dangling", NODE_LNK, "nowhere" },
	{ "loop1", NODE_LNK, "loop2" },
	{ "loop2", NODE_LNK, "loop1" },
	{ "self", NODE_LNK, "self" },
	{ "fileslash", NODE_LNK, "etc/passwd/" },
	{ "totmp", NODE_LNK, "/tmp/work" },
	{ "totmp_rel", NODE_LNK, "tmp/work" },
	{ "tmp", NODE_DIR, 0 },
	{ "tmpfoo", NODE_DIR, 0 },
	{ "proc", NODE_DIR, 0 },
	{ 0, 0, 0 },
};

static const struct node tmp_nodes[] = {
	{ "", NODE_DIR, 0 },
	{ "work", NODE_DIR, 0 },
	{ "work/file", NODE_REG, 0 },
	{ "back", NODE_LNK, "../etc/passwd" },
	{ "backdir", NODE_LNK, "../usr" },
	{ 0, 0, 0 },
};

/* "c0" .. "c40": c<i> -> c<i+1>, c40 -> /etc/passwd; following c1 takes 40 links, c0 41. */
#define CHAIN 41
static char chain_name[CHAIN][8], chain_link[CHAIN][16];

static long table_lookup(const struct node *t, const char *rel, struct fs_lookup *out)
{
	const char *link = NULL;
	out->type = NODE_NONE;
	for (; t->rel; t++)
		if (strcmp(t->rel, rel) == 0) {
			out->type = t->type;
			link = t->link;
		}
	if (out->type == NODE_NONE && rel[0] == 'c')
		for (int i = 0; i < CHAIN; i++)
			if (strcmp(chain_name[i], rel) == 0) {
				out->type = NODE_LNK;
				link = chain_link[i];
			}
	if (out->type == NODE_LNK) {
		if (strlen(link) + 1 > out->link_size)
			return -ENAMETOOLONG;
		strcpy(out->link, link);
	}
	return 0;
}

static long lookups_bad_rel;	/* lookups given a rel with a leading '/', "//", "." or ".." */
static void check_rel(const char *rel)
{
	if (rel[0] == '/' || strstr(rel, "//") || strcmp(rel, ".") == 0 || strstr(rel, "/./") ||
	    strstr(rel, ".."))
		lookups_bad_rel++;
}

static long root_lookup(struct mount *m, const char *rel, struct fs_lookup *out)
{
	(void)m;
	check_rel(rel);
	return table_lookup(root_nodes, rel, out);
}

static long tmp_lookup(struct mount *m, const char *rel, struct fs_lookup *out)
{
	(void)m;
	check_rel(rel);
	return table_lookup(tmp_nodes, rel, out);
}

static long proc_lookup(struct mount *m, const char *rel, struct fs_lookup *out)
{
	(void)m, (void)rel;
	out->type = rel[0] ? NODE_NONE : NODE_DIR;
	return 0;
}

const struct mount_ops image_mount_ops = { .lookup = root_lookup };
const struct mount_ops tmpfs_mount_ops = { .lookup = tmp_lookup };
const struct mount_ops procfs_mount_ops = { .lookup = proc_lookup };
const struct mount_ops devfs_mount_ops = { .lookup = proc_lookup };

/* ---- checks --------------------------------------------------------------------------------- */
#include "unit.h"
static struct mount *root_mnt, *tmp_mnt;
static struct fs_node node;


static const char *mname(struct mount *m)
{
	return m == root_mnt ? "/" : m == tmp_mnt ? "/tmp" : m ? m->target : "(none)";
}

static const char *ename(long r)
{
	static char buf[32];
	switch (r) {
	case 0: return "success";
	case -ENOENT: return "ENOENT";
	case -ENOTDIR: return "ENOTDIR";
	case -ELOOP: return "ELOOP";
	case -ENAMETOOLONG: return "ENAMETOOLONG";
	case -EBADF: return "EBADF";
	}
	snprintf(buf, sizeof(buf), "%ld", r);
	return buf;
}

/* Walks and expects success with the given canonical path, type, mount and rel. */
static void walk_ok(const char *what, int dirfd, const char *path, int flags, const char *want_path,
		    int want_type, struct mount *want_mnt, const char *want_rel)
{
	memset(&node, 0x5a, sizeof(node));
	long r = fs_walk(dirfd, path, flags, &node);
	if (r < 0) {
		result(0, what, "success \"%s\", got %s", want_path, ename(r));
		return;
	}
	result(strcmp(node.path, want_path) == 0 && node.info.type == want_type &&
		       node.mnt == want_mnt && strcmp(node.rel, want_rel) == 0,
	       what, "path \"%s\" type %d mount %s rel \"%s\", got \"%s\" type %d mount %s rel \"%s\"",
	       want_path, want_type, mname(want_mnt), want_rel, node.path, node.info.type,
	       mname(node.mnt), node.rel);
}

static void walk_err(const char *what, int dirfd, const char *path, int flags, long want)
{
	long r = fs_walk(dirfd, path, flags, &node);
	result(r == want, what, "%s, got %s%s%s", ename(want), ename(r), r >= 0 ? " at " : "",
	       r >= 0 ? node.path : "");
}

#define AT_FDCWD -100
#define F WALK_FOLLOW
#define C WALK_CREATE

static void test_mount_table(void)
{
	result(root_mnt && strcmp(root_mnt->target, "/") == 0, "mount_of(\"/\") is the root mount",
	       "target \"/\", got %s", mname(root_mnt));
	result(tmp_mnt && tmp_mnt != root_mnt && strcmp(tmp_mnt->target, "/tmp") == 0,
	       "mount_of(\"/tmp\") is the /tmp mount", "/tmp, got %s", mname(tmp_mnt));
	result(mount_of("/tmp/a/b") == tmp_mnt && strcmp(mount_rel(tmp_mnt, "/tmp/a/b"), "a/b") == 0,
	       "a path below /tmp belongs to /tmp with rel a/b", "/tmp a/b, got %s %s",
	       mname(mount_of("/tmp/a/b")), mount_rel(tmp_mnt, "/tmp/a/b"));
	result(mount_of("/tmpfoo") == root_mnt, "\"/tmpfoo\" is not inside the /tmp mount",
	       "/, got %s", mname(mount_of("/tmpfoo")));
	result(strcmp(mount_rel(root_mnt, "/"), "") == 0 && strcmp(mount_rel(tmp_mnt, "/tmp"), "") == 0,
	       "a mount's root has rel \"\"", "\"\" and \"\", got \"%s\" and \"%s\"",
	       mount_rel(root_mnt, "/"), mount_rel(tmp_mnt, "/tmp"));
}

static void test_canonical(void)
{
	walk_ok("\"/\" is the root directory", AT_FDCWD, "/", 0, "/", NODE_DIR, root_mnt, "");
	walk_ok("an absolute path to a file", AT_FDCWD, "/etc/passwd", 0, "/etc/passwd", NODE_REG,
		root_mnt, "etc/passwd");
	walk_ok("\"..\" at the root stays at the root", AT_FDCWD, "/..", 0, "/", NODE_DIR, root_mnt, "");
	walk_ok("\"../..\" above the root then down", AT_FDCWD, "/../../etc", 0, "/etc", NODE_DIR,
		root_mnt, "etc");
	walk_ok("\".\" components collapse", AT_FDCWD, "/./etc/./passwd", 0, "/etc/passwd", NODE_REG,
		root_mnt, "etc/passwd");
	walk_ok("\"//\" collapses", AT_FDCWD, "//etc///passwd", 0, "/etc/passwd", NODE_REG, root_mnt,
		"etc/passwd");
	walk_ok("\"..\" goes up one level", AT_FDCWD, "/usr/bin/../../etc", 0, "/etc", NODE_DIR,
		root_mnt, "etc");
	walk_ok("a path ending in \"/.\" is the directory", AT_FDCWD, "/usr/.", 0, "/usr", NODE_DIR,
		root_mnt, "usr");
	walk_ok("a trailing slash on a directory is fine", AT_FDCWD, "/etc/", 0, "/etc", NODE_DIR,
		root_mnt, "etc");
	result(node.trailing_slash == 1, "the trailing slash is recorded", "1, got %d",
	       node.trailing_slash);
	walk_ok("a path without one records none", AT_FDCWD, "/etc", 0, "/etc", NODE_DIR, root_mnt,
		"etc");
	result(node.trailing_slash == 0, "trailing_slash is 0 without a trailing slash", "0, got %d",
	       node.trailing_slash);
}

static void test_errors(void)
{
	walk_err("a trailing slash on a file is ENOTDIR", AT_FDCWD, "/etc/passwd/", 0, -ENOTDIR);
	walk_err("a trailing slash on a file is ENOTDIR even with WALK_CREATE", AT_FDCWD,
		 "/etc/passwd/", C, -ENOTDIR);
	walk_err("a missing last component is ENOENT", AT_FDCWD, "/etc/nope", 0, -ENOENT);
	walk_err("a missing intermediate directory is ENOENT", AT_FDCWD, "/nope/x", 0, -ENOENT);
	walk_err("a missing intermediate is ENOENT even with WALK_CREATE", AT_FDCWD, "/nope/x", C,
		 -ENOENT);
	walk_err("\"missing/..\" is ENOENT", AT_FDCWD, "/nope/..", 0, -ENOENT);
	walk_err("a file used as a directory is ENOTDIR", AT_FDCWD, "/etc/passwd/x", 0, -ENOTDIR);
	walk_err("\"file/..\" is ENOTDIR", AT_FDCWD, "/etc/passwd/..", 0, -ENOTDIR);
	walk_err("\"file/.\" is ENOTDIR", AT_FDCWD, "/etc/passwd/.", 0, -ENOTDIR);
	walk_err("an empty path is ENOENT", AT_FDCWD, "", 0, -ENOENT);
}

static void test_create(void)
{
	walk_ok("WALK_CREATE: a missing last name gives NODE_NONE and the would-be path", AT_FDCWD,
		"/etc/newfile", C, "/etc/newfile", NODE_NONE, root_mnt, "etc/newfile");
	walk_ok("WALK_CREATE: a missing name with a trailing slash is allowed", AT_FDCWD,
		"/etc/newdir/", C, "/etc/newdir", NODE_NONE, root_mnt, "etc/newdir");
	result(node.trailing_slash == 1, "WALK_CREATE: the trailing slash is recorded", "1, got %d",
	       node.trailing_slash);
	walk_ok("WALK_CREATE inside /tmp names the /tmp mount", AT_FDCWD, "/tmp/work/new", C,
		"/tmp/work/new", NODE_NONE, tmp_mnt, "work/new");
	walk_ok("WALK_CREATE|WALK_FOLLOW through a dangling link gives its target", AT_FDCWD,
		"/dangling", C | F, "/nowhere", NODE_NONE, root_mnt, "nowhere");
}

static void test_symlinks(void)
{
	walk_ok("a final symlink is not followed without WALK_FOLLOW", AT_FDCWD, "/abs", 0, "/abs",
		NODE_LNK, root_mnt, "abs");
	result(strcmp(node.link_buf, "/etc/passwd") == 0 && node.info.link == node.link_buf,
	       "an unfollowed symlink's target is in link_buf", "\"/etc/passwd\", got \"%s\"",
	       node.link_buf);
	walk_ok("an absolute symlink is followed with WALK_FOLLOW", AT_FDCWD, "/abs", F,
		"/etc/passwd", NODE_REG, root_mnt, "etc/passwd");
	walk_ok("a relative symlink resolves from its directory", AT_FDCWD, "/rel", F, "/etc/passwd",
		NODE_REG, root_mnt, "etc/passwd");
	walk_ok("an intermediate symlink is always followed", AT_FDCWD, "/lib/libc.so", 0,
		"/usr/lib/libc.so", NODE_REG, root_mnt, "usr/lib/libc.so");
	walk_ok("a relative symlink with \"..\" climbs from its directory", AT_FDCWD,
		"/usr/bin/up/passwd", 0, "/etc/passwd", NODE_REG, root_mnt, "etc/passwd");
	walk_ok("\"..\" after a directory symlink is the target's parent", AT_FDCWD, "/dirlink/..", 0,
		"/usr", NODE_DIR, root_mnt, "usr");
	walk_ok("a trailing slash follows a final symlink", AT_FDCWD, "/dirlink/", 0, "/usr/bin",
		NODE_DIR, root_mnt, "usr/bin");
	walk_err("a dangling symlink followed is ENOENT", AT_FDCWD, "/dangling", F, -ENOENT);
	walk_ok("a dangling symlink not followed is the link", AT_FDCWD, "/dangling", 0, "/dangling",
		NODE_LNK, root_mnt, "dangling");
	walk_err("a symlink loop is ELOOP", AT_FDCWD, "/loop1", F, -ELOOP);
	walk_err("a self-loop used as a directory is ELOOP", AT_FDCWD, "/self/x", 0, -ELOOP);
	walk_ok("a looping symlink not followed is the link", AT_FDCWD, "/loop1", 0, "/loop1",
		NODE_LNK, root_mnt, "loop1");
	walk_ok("a chain of 40 symlinks resolves", AT_FDCWD, "/c1", F, "/etc/passwd", NODE_REG,
		root_mnt, "etc/passwd");
	walk_err("a chain of 41 symlinks is ELOOP", AT_FDCWD, "/c0", F, -ELOOP);
	walk_err("a symlink to \"file/\" followed is ENOTDIR", AT_FDCWD, "/fileslash", F, -ENOTDIR);
}

static void test_lengths(void)
{
	char path[5000];
	strcpy(path, "/");
	memset(path + 1, 'a', 255);
	path[256] = 0;
	walk_err("a component of 255 bytes is allowed", AT_FDCWD, path, 0, -ENOENT);
	memset(path + 1, 'a', 256);
	path[257] = 0;
	walk_err("a component of 256 bytes is ENAMETOOLONG", AT_FDCWD, path, 0, -ENAMETOOLONG);
	walk_err("a last component of 256 bytes is ENAMETOOLONG with WALK_CREATE", AT_FDCWD, path, C,
		 -ENAMETOOLONG);
	strcpy(path + 257, "/x");
	walk_err("an intermediate component of 256 bytes is ENAMETOOLONG", AT_FDCWD, path, 0,
		 -ENAMETOOLONG);

	/* "/" + 2045 * "./" + "/etc": 4095 bytes resolves; one more '/' makes 4096, too long. */
	size_t n = 0;
	path[n++] = '/';
	for (int k = 0; k < 2045; k++)
		path[n++] = '.', path[n++] = '/';
	strcpy(path + n, "/etc");
	size_t len = strlen(path);
	char what[100];
	snprintf(what, sizeof(what), "a path of %zu bytes resolves", len);
	walk_ok(what, AT_FDCWD, path, 0, "/etc", NODE_DIR, root_mnt, "etc");
	memmove(path + 1, path, len + 1);
	snprintf(what, sizeof(what), "a path of %zu bytes is ENAMETOOLONG", len + 1);
	walk_err(what, AT_FDCWD, path, 0, -ENAMETOOLONG);
}

static void test_relative(void)
{
	strcpy(fs_cwd, "/usr");
	walk_ok("a relative path starts at the cwd", AT_FDCWD, "bin/env", 0, "/usr/bin/env",
		NODE_REG, root_mnt, "usr/bin/env");
	walk_ok("\"..\" from the cwd", AT_FDCWD, "../etc", 0, "/etc", NODE_DIR, root_mnt, "etc");
	walk_ok("\".\" is the cwd", AT_FDCWD, ".", 0, "/usr", NODE_DIR, root_mnt, "usr");
	strcpy(fs_cwd, "/");
	walk_ok("\"../..\" from a root cwd stays at the root", AT_FDCWD, "../..", 0, "/", NODE_DIR,
		root_mnt, "");
	walk_ok("a relative path starts at a dirfd's path", 3, "env", 0, "/usr/bin/env", NODE_REG,
		root_mnt, "usr/bin/env");
	walk_ok("\"..\" from a dirfd in /tmp", 5, "../../etc", 0, "/etc", NODE_DIR, root_mnt, "etc");
	walk_err("a dirfd naming a file is ENOTDIR", 4, "x", 0, -ENOTDIR);
	walk_err("a closed dirfd is EBADF", 6, "x", 0, -EBADF);
	walk_err("a negative dirfd is EBADF", -1, "x", 0, -EBADF);
	walk_ok("an absolute path ignores a bad dirfd", 6, "/etc", 0, "/etc", NODE_DIR, root_mnt,
		"etc");
	walk_ok("WALK_EMPTY_OK: \"\" names the dirfd itself", 3, "", WALK_EMPTY_OK, "/usr/bin",
		NODE_DIR, root_mnt, "usr/bin");
	int refs = 0;
	for (int i = 0; i < 8; i++)
		refs += files[i].refs;
	result(refs == 0, "every dirfd reference taken is put back", "0 refs held, got %d", refs);
}

static void test_mounts(void)
{
	walk_ok("the mount point names the mount's root", AT_FDCWD, "/tmp", 0, "/tmp", NODE_DIR,
		tmp_mnt, "");
	walk_ok("a file inside /tmp", AT_FDCWD, "/tmp/work/file", 0, "/tmp/work/file", NODE_REG,
		tmp_mnt, "work/file");
	walk_ok("\"..\" from the /tmp root crosses back to /", AT_FDCWD, "/tmp/..", 0, "/", NODE_DIR,
		root_mnt, "");
	walk_ok("\"..\" twice out of /tmp/work", AT_FDCWD, "/tmp/work/../../etc/passwd", 0,
		"/etc/passwd", NODE_REG, root_mnt, "etc/passwd");
	walk_ok("\"/tmpfoo\" stays in the root mount", AT_FDCWD, "/tmpfoo", 0, "/tmpfoo", NODE_DIR,
		root_mnt, "tmpfoo");
	walk_ok("an absolute symlink into /tmp", AT_FDCWD, "/totmp/file", 0, "/tmp/work/file",
		NODE_REG, tmp_mnt, "work/file");
	walk_ok("a relative symlink into /tmp", AT_FDCWD, "/totmp_rel/file", 0, "/tmp/work/file",
		NODE_REG, tmp_mnt, "work/file");
	walk_ok("a symlink in /tmp pointing back with \"..\"", AT_FDCWD, "/tmp/back", F,
		"/etc/passwd", NODE_REG, root_mnt, "etc/passwd");
	walk_ok("a directory symlink in /tmp pointing back with \"..\"", AT_FDCWD,
		"/tmp/backdir/bin/env", 0, "/usr/bin/env", NODE_REG, root_mnt, "usr/bin/env");
	walk_ok("the /proc mount answers for /proc", AT_FDCWD, "/proc/", 0, "/proc", NODE_DIR,
		mount_of("/proc"), "");
	result(lookups_bad_rel == 0, "mounts are only asked about clean relative paths",
	       "0 unclean rel paths, got %ld", lookups_bad_rel);
}

static void test_user_and_leaks(void)
{
	long r = fs_walk_user(AT_FDCWD, "/usr/bin/env", 0, &node);
	result(r == 0 && strcmp(node.path, "/usr/bin/env") == 0, "fs_walk_user resolves a path",
	       "/usr/bin/env, got %s %s", ename(r), node.path);
	static const char *paths[] = { "/etc/passwd", "/nope/x", "/loop1", "/c0", "/tmp/back",
				       "/etc/passwd/", "", "x", "/dangling" };
	for (int i = 0; i < 9; i++)
		fs_walk(6, paths[i], F, &node);
	size_t used = heap_used();
	for (int round = 0; round < 100; round++)
		for (int i = 0; i < 9; i++)
			fs_walk(6, paths[i], F, &node);
	result(heap_used() == used, "walks free what they allocate on every path",
	       "heap_used %zu, got %zu", used, heap_used());
}

int main(void)
{
	static _Alignas(16) char arena[4 << 20];
	/* fs_cwd is the calling thread's process's (process.h): %gs points at a thread of one. */
	static struct libos_thread thread;
	static struct libos_process process = { .cwd = "/" };
	thread.self = &thread;
	thread.process = &process;
	if (syscall(SYS_arch_prctl, 0x1001 /* ARCH_SET_GS */, &thread) != 0)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	heap_init(arena, sizeof(arena));
	for (int i = 0; i < CHAIN; i++) {
		snprintf(chain_name[i], sizeof(chain_name[i]), "c%d", i);
		if (i + 1 < CHAIN)
			snprintf(chain_link[i], sizeof(chain_link[i]), "c%d", i + 1);
		else
			strcpy(chain_link[i], "/etc/passwd");
	}
	files[3] = (struct file){ .type = NODE_DIR, .path = "/usr/bin" };
	files[4] = (struct file){ .type = NODE_REG, .path = "/etc/passwd" };
	files[5] = (struct file){ .type = NODE_DIR, .path = "/tmp/work" };
	long r = fs_init(-1, -1, "tmp");
	result(r == 0, "fs_init builds the mount table from the config", "0, got %ld", r);
	root_mnt = mount_of("/");
	tmp_mnt = mount_of("/tmp");

	test_mount_table();
	test_canonical();
	test_errors();
	test_create();
	test_symlinks();
	test_lengths();
	test_relative();
	test_mounts();
	test_user_and_leaks();
	return finish();
}
