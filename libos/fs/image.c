/* libos/fs/image.c — the read-only image mount. The build manifest is the directory of truth:
 * a name exists in the image only if the manifest lists it, and a regular file opens only once
 * its content's SHA-256 matches the manifest (checked on first open, remembered per process).
 * File contents are host files opened beneath the image root with no symlink following. */
#include "fs.h"
#include "../vm/vm.h"
#include "../config.h"
#include "../errno.h"
#include "../log.h"
#include "../../include/cella/manifest.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include "../entry/usercopy.h"
#include <bearssl/bearssl_hash.h>
#include "../../lib/sha256_ni.h"
#include <linux/fcntl.h>

static const struct cella_manifest_header *mf;
static const struct cella_manifest_entry *entries;
static const char *strings;
static const struct cella_manifest_site *sites;
static uint8_t *verified;	/* one byte per entry: 1 once the hash matched */

static const char *entry_path(const struct cella_manifest_entry *e) { return strings + e->path_off; }

/* Hashing may run BearSSL, built with stack protection that reads %fs:0x28; the app's %fs may
 * point anywhere, so switch to a LibOS TLS block for the duration. Both BearSSL and the SHA-NI
 * code use SSE registers, and on the fast path nothing else saves the app's vector registers, so
 * they are saved around hashing (fxsave: both use legacy SSE encodings only, which leave the upper
 * AVX halves alone). */
static uint64_t libos_tls[64];

struct simd_save {
	uint8_t area[512] __attribute__((aligned(16)));
};

static void hash_enter(struct simd_save *s, uint64_t *app_fs)
{
	__asm__ volatile("fxsave64 %0" : "=m"(*s));
	libos_tls[0] = (uint64_t)libos_tls;
	pal_get_fs(app_fs);
	pal_set_fs((uint64_t)libos_tls);
}

static void hash_leave(struct simd_save *s, uint64_t app_fs)
{
	pal_set_fs(app_fs);
	__asm__ volatile("fxrstor64 %0" : : "m"(*s));
}

/* SHA-256 over the SHA extensions when the CPU has them (several times faster; it dominates
 * program start-up), BearSSL otherwise. Decided once. */
static int use_ni = -1;

struct hasher {
	struct sha256_ni ni;
	br_sha256_context br;
};

static void hasher_init(struct hasher *h)
{
	if (use_ni < 0)
		use_ni = sha256_ni_supported();
	if (use_ni)
		sha256_ni_init(&h->ni);
	else
		br_sha256_init(&h->br);
}

static void hasher_update(struct hasher *h, const void *d, size_t n)
{
	if (use_ni)
		sha256_ni_update(&h->ni, d, n);
	else
		br_sha256_update(&h->br, d, n);
}

static void hasher_final(struct hasher *h, uint8_t out[32])
{
	if (use_ni)
		sha256_ni_final(&h->ni, out);
	else
		br_sha256_out(&h->br, out);
}

static void sha256_fd(int fd, uint64_t size, uint8_t out[32], long *err)
{
	struct hasher ctx;
	uint64_t app_fs = 0;
	char *buf = heap_alloc(1 << 16);
	*err = 0;
	if (!buf) {
		*err = -ENOMEM;
		return;
	}
	struct simd_save simd;
	hash_enter(&simd, &app_fs);
	hasher_init(&ctx);
	for (uint64_t off = 0; off < size;) {
		long n = pal_pread(fd, buf, 1 << 16, (long)off);
		if (n <= 0) {
			*err = n < 0 ? n : -EIO;
			break;
		}
		hasher_update(&ctx, buf, (size_t)n);
		off += (uint64_t)n;
	}
	hasher_final(&ctx, out);
	hash_leave(&simd, app_fs);
	heap_free(buf);
}

/* SHA-256 of a LibOS buffer (used for the manifest itself). */
void image_sha256_mem(const void *data, size_t n, uint8_t out[32])
{
	struct hasher ctx;
	uint64_t app_fs = 0;
	struct simd_save simd;
	hash_enter(&simd, &app_fs);
	hasher_init(&ctx);
	hasher_update(&ctx, data, n);
	hasher_final(&ctx, out);
	hash_leave(&simd, app_fs);
}

static int manifest_known(const struct stat *st, uint32_t count);
static void manifest_remember(const struct stat *st, uint32_t count);

long image_load_manifest(int fd)
{
	struct stat st;
	long r = pal_fstat(fd, &st);
	if (r < 0)
		return r;
	if ((uint64_t)st.st_size < sizeof(*mf))
		return -EINVAL;
	long p = vm_runtime_map((uint64_t)st.st_size, 1 /* PROT_READ */, 2 /* MAP_PRIVATE */, fd, 0, 0, 0);
	if (p < 0)
		return p;
	mf = (const void *)p;
	uint64_t size = (uint64_t)st.st_size;
	if (mf->magic != CELLA_MANIFEST_MAGIC || mf->version != CELLA_MANIFEST_VERSION ||
	    mf->total_size != size || mf->count == 0 || mf->entries_off > size ||
	    (uint64_t)mf->count * sizeof(*entries) > size - mf->entries_off ||
	    mf->strings_off > size || mf->strings_size > size - mf->strings_off ||
	    mf->sites_off > size || mf->nsites > (size - mf->sites_off) / sizeof(*sites))
		return -EINVAL;
	entries = (const void *)(p + mf->entries_off);
	strings = (const char *)(p + mf->strings_off);
	sites = (const void *)(p + mf->sites_off);
	verified = heap_zalloc(mf->count);
	if (!verified)
		return -ENOMEM;
	/* A manifest hashed and checked by an earlier run and unchanged since is not read whole. */
	if (manifest_known(&st, mf->count))
		return 0;
	uint8_t h[32];
	image_sha256_mem(mf, size, h);
	log_debug("hashed build/manifest.bin (%lu bytes)", (unsigned long)size);
	if (memcmp(h, cfg->manifest_sha256, 32) != 0) {
		log_error("build/manifest.bin does not belong to build/config.bin (hash mismatch); run `cella build`");
		return -EINVAL;
	}
	for (uint32_t i = 0; i < mf->count; i++) {
		const struct cella_manifest_entry *e = &entries[i];
		if (e->sites_first > mf->nsites || e->sites_count > mf->nsites - e->sites_first)
			return -EINVAL;
		if ((uint64_t)e->path_off + e->path_len >= mf->strings_size ||
		    strings[e->path_off + e->path_len] != 0 ||
		    (e->link_len && ((uint64_t)e->link_off + e->link_len >= mf->strings_size ||
				     strings[e->link_off + e->link_len] != 0)))
			return -EINVAL;
	}
	if (entries[0].path_len != 0)
		return -EINVAL;
	manifest_remember(&st, mf->count);
	return 0;
}

const char *image_path(long index)
{
	return index >= 0 && (uint64_t)index < mf->count ? entry_path(&entries[index]) : "?";
}

const struct cella_manifest_site *image_sites(long index, uint32_t *count)
{
	if (index < 0 || (uint64_t)index >= mf->count) {
		*count = 0;
		return NULL;
	}
	*count = entries[index].sites_count;
	return sites + entries[index].sites_first;
}

/* Binary search by bytewise path order; -1 if absent. */
static long find(const char *rel, size_t len)
{
	long lo = 0, hi = (long)mf->count - 1;
	while (lo <= hi) {
		long mid = (lo + hi) / 2;
		const struct cella_manifest_entry *e = &entries[mid];
		size_t el = e->path_len;
		int c = memcmp(entry_path(e), rel, el < len ? el : len);
		if (c == 0)
			c = el < len ? -1 : el > len ? 1 : 0;
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static long image_lookup(struct mount *m, const char *rel, struct fs_lookup *out)
{
	(void)m;
	long i = find(rel, strlen(rel));
	if (i < 0) {
		out->type = NODE_NONE;
		return 0;
	}
	const struct cella_manifest_entry *e = &entries[i];
	out->type = fs_node_type(e->mode);
	out->mode = e->mode;
	out->id = i;
	if (out->type == NODE_LNK) {
		if (e->link_len + 1 > out->link_size)
			return -ENAMETOOLONG;
		memcpy(out->link, strings + e->link_off, e->link_len + 1);
	}
	return 0;
}

/* build/verified.bin: one record per manifest entry, at index * sizeof(record), saying "the file
 * with this identity was hashed and matched". A file's content cannot change without its ctime
 * changing (which no one but root can set), so a file whose inode, size, mtime and ctime equal the
 * record's still has the content that was hashed. A record is written only for a file last
 * changed more than RECENT_NS ago: a change within the same timestamp tick as the hashing would
 * otherwise leave the ctime as recorded (git's "racily clean" problem). The record also carries
 * the first bytes of the manifest's hash, so a record of another build never matches. */
struct verified_rec {
	uint64_t dev, ino, size;
	int64_t mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
	uint8_t sha_prefix[8];
};
#define RECENT_NS 2000000000ll
static int verified_fd = -1;

void image_set_verified_fd(int fd)
{
	verified_fd = fd;
}

static void make_rec(struct verified_rec *r, const struct stat *st, const uint8_t *sha)
{
	memset(r, 0, sizeof(*r));	/* padding too: records are compared bytewise */
	r->dev = st->st_dev;
	r->ino = st->st_ino;
	r->size = (uint64_t)st->st_size;
	r->mtime_sec = (int64_t)st->st_mtime;
	r->mtime_nsec = (int64_t)st->st_mtime_nsec;
	r->ctime_sec = (int64_t)st->st_ctime;
	r->ctime_nsec = (int64_t)st->st_ctime_nsec;
	memcpy(r->sha_prefix, sha, sizeof(r->sha_prefix));
}

/* Whether a file last changed more than RECENT_NS ago (a record of it may be kept). */
static int settled(const struct stat *st)
{
	int64_t now[2];	/* struct timespec */
	return pal_clock_gettime(0 /* CLOCK_REALTIME */, now) == 0 &&
	       (now[0] - (int64_t)st->st_ctime) * 1000000000ll + (now[1] - (int64_t)st->st_ctime_nsec) > RECENT_NS;
}

/* The manifest itself has the record after the entries', carrying the config's hash of it: a
 * start-up that finds it unchanged skips hashing it (a few hundred KiB to MiBs). */
static int manifest_known(const struct stat *st, uint32_t count)
{
	struct verified_rec want, have;
	make_rec(&want, st, cfg->manifest_sha256);
	return verified_fd >= 0 &&
	       pal_pread(verified_fd, &have, sizeof(have), (long)count * (long)sizeof(have)) == (long)sizeof(have) &&
	       memcmp(&have, &want, sizeof(want)) == 0;
}

static void manifest_remember(const struct stat *st, uint32_t count)
{
	struct verified_rec want;
	make_rec(&want, st, cfg->manifest_sha256);
	if (verified_fd >= 0 && settled(st))
		pal_pwrite(verified_fd, &want, sizeof(want), (long)count * (long)sizeof(want));
}

/* Checks the open host fd against the manifest entry once per process. */
static long verify(struct fs_node *n, int hfd)
{
	long i = n->info.id;
	const struct cella_manifest_entry *e = &entries[i];
	if (__atomic_load_n(&verified[i], __ATOMIC_ACQUIRE))
		return 0;
	struct stat st;
	long r = pal_fstat(hfd, &st);
	if (r < 0)
		return r;
	uint8_t h[32];
	if ((uint64_t)st.st_size != e->size) {
		log_error("image file %s does not match the build manifest (size %ld, expected %lu): "
			  "access denied; run `cella build` if the change is intended",
			  n->path, (long)st.st_size, (unsigned long)e->size);
		return -EACCES;
	}
	struct verified_rec want, have;
	make_rec(&want, &st, e->sha256);
	long at = i * (long)sizeof(want);
	if (verified_fd >= 0 && pal_pread(verified_fd, &have, sizeof(have), at) == (long)sizeof(have) &&
	    memcmp(&have, &want, sizeof(want)) == 0) {
		__atomic_store_n(&verified[i], 1, __ATOMIC_RELEASE);
		return 0;
	}
	sha256_fd(hfd, e->size, h, &r);
	if (r < 0)
		return r;
	log_debug("hashed %s (%lu bytes)", n->path, (unsigned long)e->size);
	if (memcmp(h, e->sha256, 32) != 0) {
		log_error("image file %s does not match the build manifest (SHA-256 differs): "
			  "access denied; run `cella build` if the change is intended", n->path);
		return -EACCES;
	}
	__atomic_store_n(&verified[i], 1, __ATOMIC_RELEASE);
	if (verified_fd >= 0 && settled(&st))
		pal_pwrite(verified_fd, &want, sizeof(want), at);
	return 0;
}

static const struct file_ops image_dir_ops;

static long image_open(struct fs_node *n, int flags, unsigned mode, struct file **out)
{
	(void)mode;
	int acc = flags & O_ACCMODE;
	if (n->info.type == NODE_NONE)
		return (flags & O_CREAT) ? -EROFS : -ENOENT;
	if (acc != O_RDONLY || (flags & O_TRUNC))
		return n->info.type == NODE_DIR ? -EISDIR : -EROFS;
	int hflags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (flags & (O_DIRECTORY | O_PATH | O_NONBLOCK));
	/* A plain read-only open of a file closed a moment ago takes its host descriptor back. */
	int plain = n->info.type == NODE_REG && !(flags & (O_PATH | O_NONBLOCK | O_DIRECT | O_NOATIME |
							   O_APPEND | FASYNC | O_DSYNC | __O_SYNC));
	long hfd = plain ? image_fdcache_take(n->info.id) : -1;
	if (hfd < 0)
		hfd = host_open_beneath(n->mnt->host_root_fd, n->rel, hflags, 0);
	if (hfd < 0)
		return hfd;
	if (n->info.type == NODE_REG && !(flags & O_PATH)) {
		long r = verify(n, (int)hfd);
		if (r < 0) {
			pal_close((int)hfd);
			return r;
		}
	}
	struct file *f = file_new(n->info.type == NODE_DIR ? &image_dir_ops : &image_file_ops,
				  (int)hfd, flags, n->path);
	if (!f) {
		pal_close((int)hfd);
		return -ENOMEM;
	}
	f->type = n->info.type;
	f->mnt = n->mnt;
	f->manifest_index = n->info.id;
	*out = f;
	return 0;
}

/* What stat shows of manifest entry i: its lstat at build time, owned by root (the image is
 * root's whoever built it). No host call: the manifest is the image's directory of truth. */
static void entry_stat(long i, struct stat *st)
{
	const struct cella_manifest_entry *e = &entries[i];
	memset(st, 0, sizeof(*st));
	st->st_dev = e->dev;
	st->st_ino = e->ino;
	st->st_nlink = e->nlink;
	st->st_mode = e->mode;
	st->st_size = (long)e->size;
	st->st_blksize = 4096;
	st->st_blocks = (long)e->blocks;
	st->st_atime = e->mtime_ns / 1000000000, st->st_atime_nsec = e->mtime_ns % 1000000000;
	st->st_mtime = e->mtime_ns / 1000000000, st->st_mtime_nsec = e->mtime_ns % 1000000000;
	st->st_ctime = e->ctime_ns / 1000000000, st->st_ctime_nsec = e->ctime_ns % 1000000000;
}

static long image_stat(struct fs_node *n, struct stat *st)
{
	entry_stat(n->info.id, st);
	return 0;
}

static long image_file_stat(struct file *f, struct stat *st)
{
	entry_stat(f->manifest_index, st);
	return 0;
}

static long image_readonly(struct fs_node *n, unsigned mode)
{
	(void)mode;
	return n->info.type != NODE_NONE ? -EEXIST : -EROFS;
}

static long image_unlink(struct fs_node *n, int is_dir)
{
	(void)n, (void)is_dir;
	return -EROFS;
}

/* Host getdents64 on the image directory, dropping names the manifest does not list, so the
 * app sees exactly the built image in the host's directory order. */
struct dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static long image_getdents(struct file *f, void *ubuf, size_t n)
{
	const char *dir = mount_rel(f->mnt, f->path);
	size_t dl = strlen(dir);
	char *kbuf = heap_alloc(65536);
	char *name = heap_alloc(LIBOS_PATH_MAX);
	long out = 0, r = 0;
	if (!kbuf || !name) {
		r = -ENOMEM;
		goto done;
	}
	/* Never ask the host for more than the room left: the records kept are a subset of those
	 * read, so they always fit and the host offset never needs rewinding. */
	while (n - (size_t)out >= 24) {
		size_t room = n - (size_t)out;
		r = pal_getdents64(f->host_fd, kbuf, room < 65536 ? room : 65536);
		if (r <= 0)
			break;
		for (long pos = 0; pos < r;) {
			struct dirent64 *d = (struct dirent64 *)(kbuf + pos);
			size_t nl = strlen(d->d_name);
			int keep = (nl == 1 && d->d_name[0] == '.') ||
				   (nl == 2 && d->d_name[0] == '.' && d->d_name[1] == '.');
			if (!keep && dl + 1 + nl < LIBOS_PATH_MAX) {
				size_t k = 0;
				if (dl) {
					memcpy(name, dir, dl);
					name[dl] = '/';
					k = dl + 1;
				}
				memcpy(name + k, d->d_name, nl + 1);
				keep = find(name, k + nl) >= 0;
			}
			if (keep) {
				if (copy_to_user((char *)ubuf + out, d, d->d_reclen) < 0) {
					r = -EFAULT;
					goto done;
				}
				out += d->d_reclen;
			}
			pos += d->d_reclen;
		}
	}
done:
	heap_free(kbuf);
	heap_free(name);
	if (out > 0)
		return out;
	if (r == -EINVAL || (r >= 0 && n < 24))
		return -EINVAL;	/* buffer too small for one record */
	return r < 0 ? r : 0;
}

static void image_file_release(struct file *f)
{
	if (f->host_fd >= 0 && !image_fdcache_put(f))
		pal_close(f->host_fd);
}

/* Image files are host files whose stat comes from the manifest. */
const struct file_ops image_file_ops = {
	.read = host_file_read,
	.write = host_file_write,
	.pread = host_file_pread,
	.pwrite = host_file_pwrite,
	.lseek = host_file_lseek,
	.stat = image_file_stat,
	.getdents = host_file_getdents,
	.ioctl = host_file_ioctl,
	.release = image_file_release,
};

static const struct file_ops image_dir_ops = {
	.read = host_file_read,
	.lseek = host_file_lseek,
	.stat = image_file_stat,
	.getdents = image_getdents,
	.ioctl = host_file_ioctl,
	.release = host_file_release,
};

/* The image holds no extended attributes (cella build records none): every name reads as missing, the list is empty. */
static long image_getxattr(const struct xattr_at *at, const char *name, void *value, size_t size)
{
	(void)at, (void)name, (void)value, (void)size;
	return -ENODATA;
}

static long image_listxattr(const struct xattr_at *at, char *list, size_t size)
{
	(void)at, (void)list, (void)size;
	return 0;
}

const struct mount_ops image_mount_ops = {
	.lookup = image_lookup,
	.open = image_open,
	.stat = image_stat,
	.mkdir = image_readonly,
	.unlink = image_unlink,
	.getxattr = image_getxattr,
	.listxattr = image_listxattr,
	.writable = 0,
	.readonly = 1,
};
