/* tests/programs/xattr.c — extended attributes as every Linux 6.x answers them on /tmp (ext4 or
 * tmpfs alike): user., trusted. and security. as root, the size and flag rules, the namespace
 * and file-type rules, /dev, /proc and pipes, then the permission rules as uid 1000. */
#include "check.h"
#include <stdint.h>
#include <sys/xattr.h>

#define XSET(p, n, v, s, f) syscall(SYS_setxattr, (p), (n), (v), (size_t)(s), (f))
#define XLSET(p, n, v, s, f) syscall(SYS_lsetxattr, (p), (n), (v), (size_t)(s), (f))
#define XFSET(fd, n, v, s, f) syscall(SYS_fsetxattr, (fd), (n), (v), (size_t)(s), (f))
#define XGET(p, n, v, s) syscall(SYS_getxattr, (p), (n), (v), (size_t)(s))
#define XLGET(p, n, v, s) syscall(SYS_lgetxattr, (p), (n), (v), (size_t)(s))
#define XFGET(fd, n, v, s) syscall(SYS_fgetxattr, (fd), (n), (v), (size_t)(s))
#define XLIST(p, l, s) syscall(SYS_listxattr, (p), (l), (size_t)(s))
#define XLLIST(p, l, s) syscall(SYS_llistxattr, (p), (l), (size_t)(s))
#define XFLIST(fd, l, s) syscall(SYS_flistxattr, (fd), (l), (size_t)(s))
#define XREMOVE(p, n) syscall(SYS_removexattr, (p), (n))
#define XLREMOVE(p, n) syscall(SYS_lremovexattr, (p), (n))
#define XFREMOVE(fd, n) syscall(SYS_fremovexattr, (fd), (n))

static char *const BAD = (char *)1;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names listxattr gives for path, sorted and joined by ',' (the order is the fs's own). */
static const char *names_of(const char *path)
{
	static char list[4096], out[4096];
	long n = expect_ok(XLIST(path, list, sizeof list), "listxattr");
	char *names[64];
	int count = 0;
	for (long i = 0; i < n && count < 64; i += (long)strlen(list + i) + 1)
		names[count++] = list + i;
	qsort(names, count, sizeof(names[0]), cmp_str);
	out[0] = 0;
	for (int i = 0; i < count; i++) {
		if (i)
			strcat(out, ",");
		strcat(out, names[i]);
	}
	return out;
}

static void get_value(const char *path, const char *name, const char *want)
{
	char buf[256];
	long n = expect_ok(XGET(path, name, buf, sizeof buf), name);
	expect_eq(n, strlen(want), name);
	expect_mem(buf, want, n, name);
}

static void values_and_sizes(const char *f)
{
	expect_ok(XSET(f, "user.color", "blue", 4, 0), "set user.color");
	get_value(f, "user.color", "blue");
	ok("setxattr stores a user.* value and getxattr returns it");
	expect_eq(XGET(f, "user.color", NULL, 0), 4, "size 0");
	expect_eq(XGET(f, "user.color", BAD, 0), 4, "size 0, bad buffer");
	ok("getxattr with size 0 returns the length without touching the buffer");
	char small[2];
	expect_err(XGET(f, "user.color", small, sizeof small), ERANGE, "too small");
	ok("getxattr into a too-small buffer is ERANGE");
	char big[100];
	expect_eq(XGET(f, "user.color", big, (size_t)-1 / 2), 4, "huge size");
	ok("getxattr with a size beyond 64 KiB is clamped, not refused");
	expect_err(XGET(f, "user.missing", big, sizeof big), ENODATA, "missing");
	expect_err(XGET(f, "user.missing", NULL, 0), ENODATA, "missing size 0");
	ok("getxattr of a missing attribute is ENODATA");
	expect_err(XGET(f, "user.color", BAD, 10), EFAULT, "bad value buffer");
	expect_err(XGET(f, "user.missing", BAD, 10), ENODATA, "bad buffer, missing");
	ok("getxattr copies out only a value it found: EFAULT after ENODATA");
	expect_ok(XSET(f, "user.empty", NULL, 0, 0), "empty value");
	expect_eq(XGET(f, "user.empty", big, sizeof big), 0, "empty value length");
	expect_ok(XSET(f, "user.empty2", BAD, 0, 0), "empty value, bad pointer");
	ok("a zero-length value is stored and its pointer never read");
	char *huge = calloc(1, 65537);
	expect_err(XSET(f, "user.big", huge, 65537, 0), E2BIG, "65537 bytes");
	expect_err(XSET(f, "user.big", BAD, 65537, 0), E2BIG, "65537 bytes at a bad pointer");
	free(huge);
	ok("a value over 64 KiB is E2BIG, checked before the value is read");
	expect_err(XSET(f, "user.bad", BAD, 4, 0), EFAULT, "bad value");
	ok("setxattr with a bad value pointer is EFAULT");
	expect_ok(XREMOVE(f, "user.empty"), "remove empty");
	expect_ok(XREMOVE(f, "user.empty2"), "remove empty2");
}

static void flags(const char *f)
{
	expect_err(XSET(f, "user.color", "red", 3, XATTR_CREATE), EEXIST, "create existing");
	get_value(f, "user.color", "blue");
	expect_ok(XSET(f, "user.shape", "round", 5, XATTR_CREATE), "create new");
	ok("XATTR_CREATE makes a new attribute and refuses an existing one (EEXIST)");
	expect_err(XSET(f, "user.none", "x", 1, XATTR_REPLACE), ENODATA, "replace missing");
	expect_ok(XSET(f, "user.shape", "square", 6, XATTR_REPLACE), "replace existing");
	get_value(f, "user.shape", "square");
	ok("XATTR_REPLACE changes an existing attribute and refuses a missing one (ENODATA)");
	expect_ok(XSET(f, "user.shape", "oval", 4, 0), "flags 0 replaces");
	get_value(f, "user.shape", "oval");
	ok("flags 0 creates or replaces");
	expect_err(XSET(f, "user.shape", "x", 1, XATTR_CREATE | XATTR_REPLACE), EEXIST, "both, existing");
	expect_err(XSET(f, "user.none", "x", 1, XATTR_CREATE | XATTR_REPLACE), ENODATA, "both, missing");
	ok("XATTR_CREATE|XATTR_REPLACE fails either way (EEXIST or ENODATA)");
	expect_err(XSET(f, "user.shape", "x", 1, 4), EINVAL, "unknown flag");
	expect_err(XSET(f, BAD, "x", 1, 4), EINVAL, "unknown flag, bad name");
	ok("an unknown flag bit is EINVAL, before the name is read");
}

static void names(const char *f)
{
	expect_err(XSET(f, "", "x", 1, 0), ERANGE, "empty name");
	expect_err(XGET(f, "", NULL, 0), ERANGE, "get empty name");
	expect_err(XREMOVE(f, ""), ERANGE, "remove empty name");
	ok("an empty name is ERANGE");
	char longname[300];
	memset(longname, 'n', 256);
	memcpy(longname, "user.", 5);
	longname[256] = 0;
	expect_err(XSET(f, longname, "x", 1, 0), ERANGE, "256-byte name");
	expect_err(XGET(f, longname, NULL, 0), ERANGE, "get 256-byte name");
	ok("a name longer than 255 bytes is ERANGE");
	longname[200] = 0;
	expect_ok(XSET(f, longname, "x", 1, 0), "200-byte name");
	expect_eq(XGET(f, longname, NULL, 0), 1, "get 200-byte name");
	expect_ok(XREMOVE(f, longname), "remove 200-byte name");
	ok("a 200-byte user.* name works");
	expect_err(XSET(f, BAD, "x", 1, 0), EFAULT, "bad name");
	expect_err(XGET(f, BAD, NULL, 0), EFAULT, "get bad name");
	expect_err(XREMOVE(f, BAD), EFAULT, "remove bad name");
	expect_err(XSET(BAD, "user.x", "x", 1, 0), EFAULT, "bad path");
	expect_err(XGET(BAD, "user.x", NULL, 0), EFAULT, "get bad path");
	expect_err(XLIST(BAD, NULL, 0), EFAULT, "list bad path");
	ok("a bad name or path pointer is EFAULT");
	expect_err(XSET(f, "user.", "x", 1, 0), EINVAL, "user.");
	expect_err(XGET(f, "trusted.", NULL, 0), EINVAL, "trusted.");
	expect_err(XSET(f, "security.", "x", 1, 0), EINVAL, "security.");
	ok("a namespace prefix with nothing after it is EINVAL");
	expect_err(XSET(f, "color", "x", 1, 0), EOPNOTSUPP, "no namespace");
	expect_err(XSET(f, "os2.color", "x", 1, 0), EOPNOTSUPP, "unknown namespace");
	expect_err(XGET(f, "os2.color", NULL, 0), EOPNOTSUPP, "get unknown namespace");
	expect_err(XREMOVE(f, "os2.color"), EOPNOTSUPP, "remove unknown namespace");
	expect_err(XSET(f, "system.color", "x", 1, 0), EOPNOTSUPP, "system.color");
	expect_err(XGET(f, "system.color", NULL, 0), EOPNOTSUPP, "get system.color");
	ok("a name outside user., trusted., security. and system. (or an unknown system.*) is EOPNOTSUPP");
	expect_err(XSET(scratch_path("nothing"), "os2.x", "x", 1, 0), ENOENT, "missing path");
	ok("the namespace is checked after the path is resolved");
}

static void privileged_namespaces(const char *f)
{
	expect_ok(XSET(f, "trusted.level", "7", 1, 0), "set trusted");
	get_value(f, "trusted.level", "7");
	ok("root sets and gets trusted.* attributes");
	expect_ok(XSET(f, "security.cella_test", "lbl", 3, 0), "set security");
	get_value(f, "security.cella_test", "lbl");
	ok("root sets and gets security.* attributes");
	uint32_t caps[5] = { 0x02000000, 0, 0, 0, 0 };	/* VFS_CAP_REVISION_2, no capabilities */
	expect_err(XSET(f, "security.capability", "abcd", 4, 0), EINVAL, "capability: no header");
	caps[0] = 0x03000000;
	expect_err(XSET(f, "security.capability", caps, sizeof caps, 0), EINVAL, "capability: v3 size");
	caps[0] = 0x02000000;
	expect_ok(XSET(f, "security.capability", caps, sizeof caps, 0), "capability v2");
	expect_eq(XGET(f, "security.capability", NULL, 0), sizeof caps, "capability length");
	expect_ok(XREMOVE(f, "security.capability"), "remove capability");
	ok("security.capability takes a v2 or v3 header of the right size only (EINVAL)");
	expect_str(names_of(f), "security.cella_test,trusted.level,user.color,user.shape", "list");
	ok("listxattr names every attribute of each namespace");
}

static void listing(const char *f)
{
	char buf[4096];
	long n = expect_ok(XLIST(f, buf, sizeof buf), "list");
	expect_eq(XLIST(f, NULL, 0), n, "size 0");
	expect_eq(XLIST(f, BAD, 0), n, "size 0, bad buffer");
	ok("listxattr with size 0 returns the length without touching the buffer");
	expect_err(XLIST(f, buf, n - 1), ERANGE, "one byte short");
	ok("listxattr into a too-small buffer is ERANGE");
	expect_eq(XLIST(f, buf, (size_t)-1 / 2), n, "huge size");
	ok("listxattr with a size beyond 64 KiB is clamped, not refused");
	expect_err(XLIST(f, BAD, 100), EFAULT, "bad buffer");
	ok("listxattr into a bad buffer is EFAULT");
	const char *fresh = scratch_file("fresh", "", 0644);
	expect_eq(XLIST(fresh, buf, sizeof buf), 0, "fresh file");
	ok("a new file lists no attributes");
	expect_err(XLIST(scratch_path("nothing"), buf, sizeof buf), ENOENT, "missing");
	ok("listxattr of a missing path is ENOENT");
}

static void removing(const char *f)
{
	expect_ok(XREMOVE(f, "user.shape"), "remove");
	expect_err(XGET(f, "user.shape", NULL, 0), ENODATA, "removed");
	expect_err(XREMOVE(f, "user.shape"), ENODATA, "remove again");
	ok("removexattr deletes an attribute; removing a missing one is ENODATA");
	expect_ok(XREMOVE(f, "trusted.level"), "remove trusted");
	expect_ok(XREMOVE(f, "security.cella_test"), "remove security");
	expect_str(names_of(f), "user.color", "list after removing");
	ok("removed attributes leave the list");
}

static void node_types(const char *f)
{
	const char *d = scratch_path("dir");
	expect_ok(mkdir(d, 0755), "mkdir");
	expect_ok(XSET(d, "user.kind", "dir", 3, 0), "dir");
	get_value(d, "user.kind", "dir");
	ok("directories carry user.* attributes");
	const char *l = scratch_path("link");
	expect_ok(symlink(f, l), "symlink");
	get_value(l, "user.color", "blue");
	expect_str(names_of(l), "user.color", "list through the link");
	ok("getxattr and listxattr follow a symlink");
	char buf[64];
	expect_err(XLSET(l, "user.x", "x", 1, 0), EPERM, "lsetxattr user on symlink");
	expect_err(XLREMOVE(l, "user.x"), EPERM, "lremovexattr user on symlink");
	expect_err(XLGET(l, "user.color", buf, sizeof buf), ENODATA, "lgetxattr user on symlink");
	expect_eq(XLLIST(l, buf, sizeof buf), 0, "llistxattr on symlink");
	ok("a symlink itself has no user.* attributes: set and remove EPERM, get ENODATA");
	const char *t = scratch_path("sticky");
	expect_ok(mkdir(t, 0777), "mkdir sticky");
	expect_ok(chmod(t, 01777), "chmod sticky");
	expect_ok(XSET(t, "user.x", "x", 1, 0), "root on sticky dir");
	ok("root sets user.* on a sticky directory");
	char p[300];
	snprintf(p, sizeof p, "%s/", f);
	expect_err(XSET(p, "user.x", "x", 1, 0), ENOTDIR, "trailing slash");
	ok("a file named with a trailing slash is ENOTDIR");
}

static void descriptors(const char *f)
{
	char buf[64];
	int fd = expect_ok(open(f, O_RDONLY), "open");
	expect_ok(XFSET(fd, "user.fd", "yes", 3, 0), "fsetxattr on a read-only fd");
	expect_eq(XFGET(fd, "user.fd", buf, sizeof buf), 3, "fgetxattr");
	get_value(f, "user.fd", "yes");
	expect_str(names_of(f), "user.color,user.fd", "list");
	long n = expect_ok(XFLIST(fd, buf, sizeof buf), "flistxattr");
	expect_eq(n, strlen("user.color") + strlen("user.fd") + 2, "flistxattr length");
	expect_ok(XFREMOVE(fd, "user.fd"), "fremovexattr");
	expect_err(XFGET(fd, "user.fd", NULL, 0), ENODATA, "fremoved");
	close(fd);
	ok("the f* calls act on an open file, whatever its access mode");
	int pfd = expect_ok(open(f, O_PATH), "open O_PATH");
	expect_err(XFGET(pfd, "user.color", buf, sizeof buf), EBADF, "fgetxattr O_PATH");
	expect_err(XFSET(pfd, "user.x", "x", 1, 0), EBADF, "fsetxattr O_PATH");
	expect_err(XFLIST(pfd, buf, sizeof buf), EBADF, "flistxattr O_PATH");
	expect_err(XFREMOVE(pfd, "user.color"), EBADF, "fremovexattr O_PATH");
	close(pfd);
	ok("the f* calls on an O_PATH descriptor are EBADF");
	expect_err(XFGET(999, "user.x", buf, sizeof buf), EBADF, "fgetxattr closed fd");
	expect_err(XFLIST(-1, buf, sizeof buf), EBADF, "flistxattr -1");
	ok("the f* calls on a descriptor that is not open are EBADF");
	int p[2];
	xpipe(p);
	expect_err(XFGET(p[0], "user.x", buf, sizeof buf), ENODATA, "pipe get user");
	expect_err(XFGET(p[0], "trusted.x", buf, sizeof buf), EOPNOTSUPP, "pipe get trusted");
	expect_err(XFSET(p[1], "user.x", "x", 1, 0), EPERM, "pipe set user");
	expect_err(XFSET(p[1], "trusted.x", "x", 1, 0), EOPNOTSUPP, "pipe set trusted");
	expect_err(XFREMOVE(p[1], "user.x"), EPERM, "pipe remove user");
	expect_eq(XFLIST(p[0], buf, sizeof buf), 0, "pipe list");
	close(p[0]);
	close(p[1]);
	ok("a pipe: user.* get ENODATA and set EPERM, other names EOPNOTSUPP, an empty list");
}

static void special_files(void)
{
	char buf[64];
	expect_err(XGET("/dev/null", "user.x", buf, sizeof buf), ENODATA, "/dev/null get user");
	expect_err(XGET("/dev/null", "trusted.x", buf, sizeof buf), ENODATA, "/dev/null get trusted");
	expect_err(XSET("/dev/null", "user.x", "x", 1, 0), EPERM, "/dev/null set user");
	expect_err(XREMOVE("/dev/null", "user.x"), EPERM, "/dev/null remove user");
	expect_eq(XLIST("/dev/null", buf, sizeof buf), 0, "/dev/null list");
	int fd = expect_ok(open("/dev/null", O_RDWR), "open /dev/null");
	expect_err(XFGET(fd, "user.x", buf, sizeof buf), ENODATA, "/dev/null fget");
	expect_err(XFSET(fd, "user.x", "x", 1, 0), EPERM, "/dev/null fset");
	expect_eq(XFLIST(fd, buf, sizeof buf), 0, "/dev/null flist");
	close(fd);
	ok("/dev/null: no attributes, and user.* refused on a device (EPERM)");
	expect_err(XGET("/dev", "user.x", buf, sizeof buf), ENODATA, "/dev get");
	ok("/dev: getxattr is ENODATA");
	expect_err(XGET("/proc/self/status", "user.x", buf, sizeof buf), EOPNOTSUPP, "proc get user");
	expect_err(XGET("/proc/self/status", "trusted.x", buf, sizeof buf), EOPNOTSUPP, "proc get trusted");
	expect_err(XSET("/proc/self/status", "user.x", "x", 1, 0), EOPNOTSUPP, "proc set user");
	expect_err(XREMOVE("/proc/self/status", "user.x"), EOPNOTSUPP, "proc remove user");
	expect_err(XGET("/proc", "user.", buf, sizeof buf), EOPNOTSUPP, "proc get user.");
	expect_eq(XLIST("/proc/self/status", buf, sizeof buf), 0, "proc list");
	expect_eq(XLIST("/proc", buf, sizeof buf), 0, "proc dir list");
	ok("/proc has no extended attributes: EOPNOTSUPP, an empty list");
	expect_err(XLSET("/proc/self/exe", "user.x", "x", 1, 0), EPERM, "proc symlink user");
	expect_err(XLSET("/proc/self/exe", "trusted.x", "x", 1, 0), EOPNOTSUPP, "proc symlink trusted");
	expect_err(XLGET("/proc/self/exe", "user.x", buf, sizeof buf), ENODATA, "proc symlink get");
	ok("a /proc symlink: user.* EPERM before the file system's EOPNOTSUPP");
	expect_err(XGET("/proc/self/exe", "user.x", buf, sizeof buf), ENODATA, "program get");
	expect_eq(XLIST("/proc/self/exe", buf, sizeof buf), 0, "program list");
	ok("the running program's file has no attributes");
}

/* As uid 1000 (capabilities dropped), on files root made: the mode bits decide user.*, trusted.*
 * is hidden and refused, security.* needs CAP_SYS_ADMIN to be written. */
static void unprivileged(void)
{
	expect_ok(chmod(scratch(), 0755), "chmod scratch");
	const char *ro = scratch_file("ro", "", 0644);
	const char *rw = scratch_file("rw", "", 0666);
	expect_ok(chmod(rw, 0666), "chmod rw (past the umask)");
	const char *priv = scratch_file("priv", "", 0600);
	const char *sticky = scratch_path("sticky1000");
	const char *open_dir = scratch_path("open1000");
	expect_ok(mkdir(sticky, 0777), "mkdir sticky");
	expect_ok(chmod(sticky, 01777), "chmod sticky");
	expect_ok(mkdir(open_dir, 0777), "mkdir open");
	expect_ok(chmod(open_dir, 0777), "chmod open");
	expect_ok(XSET(ro, "user.a", "1", 1, 0), "ro user.a");
	expect_ok(XSET(ro, "trusted.t", "2", 1, 0), "ro trusted.t");
	expect_ok(XSET(ro, "security.cella_s", "3", 1, 0), "ro security");
	expect_ok(XSET(priv, "user.p", "4", 1, 0), "priv user.p");
	pid_t pid = xfork();
	if (pid == 0) {
		if (syscall(SYS_setgid, 1000) || syscall(SYS_setuid, 1000))
			fail("setuid 1000: %s", errname(errno));
		char buf[64];
		get_value(ro, "user.a", "1");
		expect_err(XSET(ro, "user.b", "x", 1, 0), EACCES, "set on 0644");
		expect_err(XREMOVE(ro, "user.a"), EACCES, "remove on 0644");
		expect_err(XSET(ro, "os2.b", "x", 1, 0), EACCES, "unknown namespace on 0644");
		ok("uid 1000: user.* needs write permission to set or remove (EACCES before EOPNOTSUPP)");
		expect_ok(XSET(rw, "user.b", "x", 1, 0), "set on 0666");
		expect_ok(XREMOVE(rw, "user.b"), "remove on 0666");
		expect_err(XSET(rw, "os2.b", "x", 1, 0), EOPNOTSUPP, "unknown namespace on 0666");
		ok("uid 1000: write permission is enough, ownership is not needed");
		expect_err(XGET(priv, "user.p", buf, sizeof buf), EACCES, "get on 0600");
		expect_str(names_of(priv), "user.p", "list on 0600");
		ok("uid 1000: getxattr needs read permission, listxattr none");
		expect_err(XGET(ro, "trusted.t", buf, sizeof buf), ENODATA, "get trusted");
		expect_err(XSET(rw, "trusted.t", "x", 1, 0), EPERM, "set trusted");
		expect_err(XREMOVE(ro, "trusted.t"), EPERM, "remove trusted");
		ok("uid 1000: trusted.* reads as missing (ENODATA) and refuses writes (EPERM)");
		expect_str(names_of(ro), "security.cella_s,user.a", "list hides trusted");
		ok("uid 1000: listxattr leaves trusted.* out");
		get_value(ro, "security.cella_s", "3");
		expect_err(XSET(rw, "security.cella_s", "x", 1, 0), EPERM, "set security");
		expect_err(XREMOVE(ro, "security.cella_s"), EPERM, "remove security");
		uint32_t caps[5] = { 0x02000000, 0, 0, 0, 0 };
		expect_err(XSET(rw, "security.capability", caps, sizeof caps, 0), EPERM, "set capability");
		expect_err(XSET(rw, "security.capability", "abcd", 4, 0), EINVAL, "bad capability");
		ok("uid 1000: security.* is readable, writing it needs CAP_SYS_ADMIN (EPERM), file "
		   "capabilities CAP_SETFCAP after their header is checked (EINVAL first)");
		expect_err(XSET(sticky, "user.x", "x", 1, 0), EPERM, "sticky dir of root");
		expect_ok(XSET(open_dir, "user.x", "x", 1, 0), "0777 dir of root");
		ok("uid 1000: a sticky directory's user.* is its owner's (EPERM), a 0777 one's anyone's");
		exit(0);
	}
	expect_exit(pid, 0, "uid 1000 child");
}

int main(void)
{
	const char *f = scratch_file("file", "data", 0644);
	values_and_sizes(f);
	flags(f);
	names(f);
	privileged_namespaces(f);
	listing(f);
	removing(f);
	node_types(f);
	descriptors(f);
	special_files();
	unprivileged();
	return 0;
}
