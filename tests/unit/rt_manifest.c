/* tests/unit/rt_manifest.c — the image manifest (libos/fs/image.c) on the host: manifests
 * written by the test into a memfd are loaded with image_load_manifest (structure and hash
 * checks) and then searched through image_mount_ops.lookup. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bearssl/bearssl_hash.h>

/* linux/stat.h hides these once glibc's headers are in; the values are the kernel ABI's. */
#define S_IFMT 0170000
#define S_IFDIR 0040000
#define S_IFREG 0100000
#define S_IFLNK 0120000

/* Watches the hash's update calls to see which %fs it runs with (see sha_update_spy). */
static void sha_update_spy(br_sha256_context *ctx, const void *data, size_t len);
#undef br_sha256_update
#define br_sha256_update sha_update_spy

#include "../../libos/fs/image.c"
#include "../../lib/alloc.c"
#include "../../lib/sha256_ni.c"

/* ---- stubs for what image.c calls ------------------------------------------------------------ */
long pal_host_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long r = syscall(nr, a1, a2, a3, a4, a5, a6);
	return r < 0 ? -errno : r;
}

/* %fs is glibc's here: record what image.c asks for instead of switching. */
#define APP_FS 0x7f0000001000ull
static uint64_t fs_now = APP_FS;
static int fs_switches, fs_hashed_on_libos_tls;
long pal_get_fs(uint64_t *base) { *base = fs_now; return 0; }
long pal_set_fs(uint64_t base)
{
	fs_now = base;
	fs_switches++;
	return 0;
}

int log_level;
void log_write(int level, const char *fmt, ...) { (void)level, (void)fmt; }
/* The VM manager's runtime mapping is a plain host mmap here. */
long vm_runtime_map(uint64_t len, int prot, int flags, int fd, long off, uint64_t near, uint64_t reach)
{
	(void)near, (void)reach;
	long r = syscall(SYS_mmap, 0, len, prot, flags, fd, off);
	return r < 0 ? -errno : r;
}
long copy_to_user(void *udst, const void *src, size_t n) { memcpy(udst, src, n); return 0; }
long host_open_beneath(int root_fd, const char *rel, int flags, unsigned mode)
{
	(void)root_fd, (void)rel, (void)flags, (void)mode;
	return -ENOSYS;
}
long host_stat_beneath(int root_fd, const char *rel, struct stat *st)
{
	(void)root_fd, (void)rel, (void)st;
	return -ENOSYS;
}
struct file *file_new(const struct file_ops *ops, int host_fd, int flags, const char *path)
{
	(void)ops, (void)host_fd, (void)flags, (void)path;
	return NULL;
}
const char *mount_rel(struct mount *m, const char *canon) { (void)m; return canon; }
const struct file_ops host_file_ops;
long host_file_read(struct file *f, void *buf, size_t n) { (void)f, (void)buf, (void)n; return -ENOSYS; }
long host_file_lseek(struct file *f, long off, int whence) { (void)f, (void)off, (void)whence; return -ENOSYS; }
long host_file_stat(struct file *f, struct stat *st) { (void)f, (void)st; return -ENOSYS; }
long host_file_write(struct file *f, const void *buf, size_t n) { (void)f, (void)buf, (void)n; return -ENOSYS; }
long host_file_pread(struct file *f, void *buf, size_t n, long off) { (void)f, (void)buf, (void)n, (void)off; return -ENOSYS; }
long host_file_pwrite(struct file *f, const void *buf, size_t n, long off) { (void)f, (void)buf, (void)n, (void)off; return -ENOSYS; }
long host_file_getdents(struct file *f, void *buf, size_t n) { (void)f, (void)buf, (void)n; return -ENOSYS; }
long host_file_ioctl(struct file *f, unsigned long req, unsigned long arg) { (void)f, (void)req, (void)arg; return -ENOSYS; }
void host_file_release(struct file *f) { (void)f; }
long image_fdcache_take(long index) { (void)index; return -1; }
int image_fdcache_put(struct file *f) { (void)f; return 0; }

static struct cella_config config;
const struct cella_config *cfg = &config;

#undef br_sha256_update
#define br_sha256_update br_sha224_update	/* as bearssl_hash.h has it */
static void sha_update_spy(br_sha256_context *ctx, const void *data, size_t len)
{
	if (fs_now == (uint64_t)libos_tls && libos_tls[0] == (uint64_t)libos_tls)
		fs_hashed_on_libos_tls = 1;
	br_sha256_update(ctx, data, len);
}

/* ---- checks ---------------------------------------------------------------------------------- */
#include "unit.h"


/* ---- writing manifests ----------------------------------------------------------------------- */
struct ment { const char *path; uint32_t mode; const char *link; };

#define MAXBUF (1 << 20)
static _Alignas(8) unsigned char buf[MAXBUF];

static struct cella_manifest_header *hdr(void) { return (void *)buf; }
static struct cella_manifest_entry *ent(int i)
{
	return (struct cella_manifest_entry *)(buf + hdr()->entries_off) + i;
}

/* Lays out header, entries and strings (which start with a NUL) in buf; returns the size. */
static size_t build(const struct ment *m, int n)
{
	struct cella_manifest_header *h = hdr();
	memset(buf, 0, MAXBUF);
	h->magic = CELLA_MANIFEST_MAGIC;
	h->version = CELLA_MANIFEST_VERSION;
	h->count = (uint32_t)n;
	h->entries_off = sizeof(*h);
	h->strings_off = h->entries_off + (uint64_t)n * sizeof(struct cella_manifest_entry);
	char *s = (char *)buf + h->strings_off;
	size_t sl = 1;
	for (int i = 0; i < n; i++) {
		struct cella_manifest_entry *e = ent(i);
		e->path_len = (uint32_t)strlen(m[i].path);
		e->path_off = e->path_len ? (uint32_t)sl : 0;
		memcpy(s + sl, m[i].path, e->path_len + 1);
		sl += e->path_len ? e->path_len + 1 : 0;
		e->mode = m[i].mode;
		e->size = (m[i].mode & S_IFMT) == S_IFREG ? 100 + (uint64_t)i : 0;
		if (m[i].link) {
			e->link_off = (uint32_t)sl;
			e->link_len = (uint32_t)strlen(m[i].link);
			memcpy(s + sl, m[i].link, e->link_len + 1);
			sl += e->link_len + 1;
		}
	}
	h->strings_size = sl;
	h->total_size = h->strings_off + sl;
	return h->total_size;
}

static void sha256(const void *p, size_t n, uint8_t out[32])
{
	br_sha256_context c;
	br_sha256_init(&c);
	br_sha256_update(&c, p, n);
	br_sha256_out(&c, out);
}

/* Loads the first `len` bytes of buf; the config carries their hash unless wrong_hash. */
static long load(size_t len, int wrong_hash)
{
	int fd = (int)syscall(SYS_memfd_create, "manifest", 0);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len) {
		printf("FAIL memfd: %s\n", strerror(errno));
		exit(1);
	}
	sha256(buf, len, config.manifest_sha256);
	if (wrong_hash)
		config.manifest_sha256[31] ^= 1;
	long r = image_load_manifest(fd);
	close(fd);
	return r;
}

#define DIR_ (S_IFDIR | 0755)
#define REG_ (S_IFREG | 0644)
#define LNK_ (S_IFLNK | 0777)

/* Bytewise order: '-' (0x2d) < '/' (0x2f) < '0', so "a-b" < "a/c" < "a0". */
static const struct ment tree[] = {
	{ "", DIR_, 0 },
	{ "a", DIR_, 0 },
	{ "a-b", REG_, 0 },
	{ "a/c", REG_, 0 },
	{ "a0", REG_, 0 },
	{ "bin", LNK_, "usr/bin" },
	{ "etc", DIR_, 0 },
	{ "etc/hosts", REG_, 0 },
	{ "etc/passwd", REG_, 0 },
	{ "etcx", REG_, 0 },
	{ "lib64", LNK_, "/usr/lib/x86_64-linux-gnu" },
	{ "usr", DIR_, 0 },
	{ "usr/bin", DIR_, 0 },
	{ "usr/bin/env", REG_, 0 },
	{ "zz", REG_, 0 },
	{ "\xc3\xa9t\xc3\xa9", REG_, 0 },	/* bytes >= 0x80 sort after ASCII (unsigned) */
};
#define NTREE (int)(sizeof(tree) / sizeof(tree[0]))

static const char *invalid_names[] = { "nope", "0", "et", "etc/", "etcy", "a/", "a/b", "a-",
				       "usr/bin/env/x", "zzz", "/etc", "~",
				       "\xc3\xa9t", "\xc3" };

/* ---- the tests ------------------------------------------------------------------------------- */
static void expect_invalid(const char *what, size_t len, int wrong_hash)
{
	long r = load(len, wrong_hash);
	result(r == -EINVAL, what, "-EINVAL (%d), got %ld", -EINVAL, r);
}

static void test_rejects(void)
{
	size_t len = build(tree, NTREE);
	hdr()->magic ^= 0xff;
	expect_invalid("a wrong magic is rejected", len, 0);

	build(tree, NTREE);
	hdr()->version = CELLA_MANIFEST_VERSION + 1;
	expect_invalid("a wrong version is rejected", len, 0);

	build(tree, NTREE);
	expect_invalid("a file shorter than its header is rejected", 12, 0);
	expect_invalid("an empty file is rejected", 0, 0);
	expect_invalid("a truncated manifest (total_size > file) is rejected", len - 1, 0);

	build(tree, NTREE);
	hdr()->count = 0;
	expect_invalid("a manifest with no entries is rejected", len, 0);

	build(tree, NTREE);
	hdr()->count = 1u << 30;
	expect_invalid("entries running past the end are rejected", len, 0);

	build(tree, NTREE);
	hdr()->entries_off = len + 64;
	expect_invalid("an entries offset past the end is rejected", len, 0);

	build(tree, NTREE);
	hdr()->strings_size += 1;
	expect_invalid("a string area running past the end is rejected", len, 0);

	build(tree, NTREE);
	hdr()->strings_off = UINT64_MAX - 8;
	expect_invalid("a string area offset near 2^64 is rejected", len, 0);

	build(tree, NTREE);
	ent(3)->path_off = (uint32_t)hdr()->strings_size;
	expect_invalid("a path offset past the string area is rejected", len, 0);

	build(tree, NTREE);
	ent(3)->path_off = UINT32_MAX;
	ent(3)->path_len = 2;
	expect_invalid("a path offset + length that wraps 32 bits is rejected", len, 0);

	build(tree, NTREE);
	ent(3)->path_len -= 1;
	expect_invalid("a path not NUL-terminated at its length is rejected", len, 0);

	build(tree, NTREE);
	ent(5)->link_off = (uint32_t)hdr()->strings_size - 2;
	expect_invalid("a symlink target running past the string area is rejected", len, 0);

	build(tree, NTREE);
	ent(5)->link_len += 1;
	expect_invalid("a symlink target not NUL-terminated is rejected", len, 0);

	build(tree + 1, NTREE - 1);
	len = hdr()->total_size;
	expect_invalid("a manifest whose first entry is not the root is rejected", len, 0);

	len = build(tree, NTREE);
	expect_invalid("a manifest that does not match the config's hash is rejected", len, 1);
}

static void test_valid(void)
{
	size_t len = build(tree, NTREE);
	if (sha256_ni_supported()) {	/* the SHA-NI path must agree with the hash BearSSL computed */
		use_ni = 1;
		long r = load(len, 0);
		result(r == 0, "a valid manifest loads when hashed with SHA-NI", "0, got %ld", r);
	}
	use_ni = 0;	/* the spy below watches BearSSL's update */
	fs_switches = 0, fs_hashed_on_libos_tls = 0, fs_now = APP_FS;
	long r = load(len, 0);
	result(r == 0, "a valid manifest loads", "0, got %ld", r);
	if (r != 0)
		return;
	result(fs_hashed_on_libos_tls, "the manifest is hashed with %fs on the LibOS TLS block",
	       "hash run with %%fs = libos_tls");
	result(fs_now == APP_FS && fs_switches == 2, "the app's %fs is restored after hashing",
	       "%%fs 0x%llx after 2 switches, got 0x%llx after %d", APP_FS,
	       (unsigned long long)fs_now, fs_switches);

	int wrong = 0;
	char first_wrong[128] = "";
	for (int i = 0; i < NTREE; i++) {
		struct fs_lookup out = { .link = (char[256]){ 0 }, .link_size = 256 };
		long lr = image_mount_ops.lookup(NULL, tree[i].path, &out);
		int want = (tree[i].mode & S_IFMT) == S_IFDIR ? NODE_DIR :
			   (tree[i].mode & S_IFMT) == S_IFLNK ? NODE_LNK : NODE_REG;
		if (lr != 0 || out.type != want || out.id != i || out.mode != tree[i].mode ||
		    (want == NODE_LNK && strcmp(out.link, tree[i].link) != 0)) {
			if (!wrong++)
				snprintf(first_wrong, sizeof(first_wrong),
					 "\"%s\": r %ld type %d id %ld mode %o", tree[i].path, lr,
					 out.type, out.id, out.mode);
		}
	}
	result(wrong == 0, "every listed name is found with its index, type, mode and link",
	       "0 wrong, got %d (first %s)", wrong, first_wrong);

	struct fs_lookup out = { .link = (char[256]){ 0 }, .link_size = 256 };
	r = image_mount_ops.lookup(NULL, "", &out);
	result(r == 0 && out.type == NODE_DIR && out.id == 0, "the root \"\" is entry 0, a directory",
	       "type %d id 0, got r %ld type %d id %ld", NODE_DIR, r, out.type, out.id);

	wrong = 0;
	for (size_t i = 0; i < sizeof(invalid_names) / sizeof(invalid_names[0]); i++) {
		out = (struct fs_lookup){ .type = -1, .link = (char[256]){ 0 }, .link_size = 256 };
		r = image_mount_ops.lookup(NULL, invalid_names[i], &out);
		if (r != 0 || out.type != NODE_NONE) {
			if (!wrong++)
				snprintf(first_wrong, sizeof(first_wrong), "\"%s\": r %ld type %d",
					 invalid_names[i], r, out.type);
		}
	}
	result(wrong == 0, "unlisted names (prefixes, extensions, neighbours) are NODE_NONE",
	       "0 wrong, got %d (first %s)", wrong, first_wrong);

	char small[8];
	out = (struct fs_lookup){ .link = small, .link_size = sizeof(small) };
	r = image_mount_ops.lookup(NULL, "lib64", &out);
	result(r == -ENAMETOOLONG, "a symlink target longer than the caller's buffer is ENAMETOOLONG",
	       "%d, got %ld", -ENAMETOOLONG, r);
	out = (struct fs_lookup){ .link = small, .link_size = sizeof(small) };
	r = image_mount_ops.lookup(NULL, "bin", &out);
	result(r == 0 && strcmp(small, "usr/bin") == 0, "a target that fills the buffer exactly fits",
	       "\"usr/bin\", got r %ld \"%s\"", r, r == 0 ? small : "");
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct ment *)a)->path, ((const struct ment *)b)->path);
}

/* Binary search over many entries: every one found, gaps between them absent. */
static void test_large(void)
{
	static struct ment m[2001];
	static char names[2001][24];
	m[0] = (struct ment){ "", DIR_, 0 };
	for (int i = 1; i <= 2000; i++) {
		snprintf(names[i], sizeof(names[i]), "d%d/f%d", i % 37, i * 7919 % 10007);
		m[i] = (struct ment){ names[i], REG_, 0 };
	}
	qsort(m + 1, 2000, sizeof(m[0]), by_path);
	size_t len = build(m, 2001);
	long r = load(len, 0);
	result(r == 0, "a manifest of 2001 entries loads", "0, got %ld", r);
	int wrong = 0, present = 0;
	for (int i = 0; i <= 2000; i++) {
		struct fs_lookup out = { .link = NULL, .link_size = 0 };
		if (image_mount_ops.lookup(NULL, m[i].path, &out) != 0 || out.id != i)
			wrong++;
		char gap[40];
		snprintf(gap, sizeof(gap), "%s-", m[i].path);
		out = (struct fs_lookup){ 0 };
		if (image_mount_ops.lookup(NULL, gap, &out) != 0 || out.type != NODE_NONE)
			present++;
	}
	result(wrong == 0, "each of 2001 entries is found at its index", "0 wrong, got %d", wrong);
	result(present == 0, "names between the entries are not found", "0 found, got %d", present);
}

int main(void)
{
	static _Alignas(16) char arena[1 << 20];
	setvbuf(stdout, NULL, _IOLBF, 0);
	heap_init(arena, sizeof(arena));
	for (int i = 1; i < NTREE; i++)
		if (strcmp(tree[i - 1].path, tree[i].path) >= 0) {
			printf("FAIL test table not sorted at \"%s\"\n", tree[i].path);
			return 1;
		}
	test_rejects();
	test_valid();
	test_large();
	return finish();
}
