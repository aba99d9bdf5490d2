/* cli/cache.c — build/cache.bin: for cella.json and every image entry of the last build, the
 * stat fields (mode, size, mtime, ctime, inode), SHA-256 and proven syscall sites. A file whose
 * stat fields match is not hashed nor analysed again; the format is private to the CLI, and
 * build/stamp.bin (stamp.c) reuses it under another magic. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CACHE_MAGIC "CELLACCH"
#define CACHE_VERSION 3u	/* 2: sites after each record's strings; 3: manifest v3 sites */

struct cache_header {
	char magic[8];
	uint32_t version;
	uint32_t count;
};

struct cache_rec {
	uint32_t path_len, link_len;	/* bytes that follow the record, no NULs */
	uint32_t mode, has_link;
	uint32_t nsites, pad;	/* struct cella_manifest_site[nsites] follow the strings */
	uint64_t size;
	int64_t mtime_ns, ctime_ns;
	uint64_t ino;
	uint8_t sha[32];
};

static void cache_put(struct buf *b, const struct mf_entry *e)
{
	struct cache_rec r = { 0 };

	r.path_len = (uint32_t)strlen(e->path);
	r.has_link = e->link != NULL;
	r.link_len = e->link ? (uint32_t)strlen(e->link) : 0;
	r.mode = e->mode;
	r.nsites = e->nsites;
	r.size = e->size;
	r.mtime_ns = e->mtime_ns;
	r.ctime_ns = e->ctime_ns;
	r.ino = e->ino;
	memcpy(r.sha, e->sha, 32);
	buf_append(b, &r, sizeof(r));
	buf_append(b, e->path, r.path_len);
	if (e->link)
		buf_append(b, e->link, r.link_len);
	buf_append(b, e->sites, (size_t)e->nsites * sizeof(*e->sites));
}

/* Reads one record at *pos; -EINVAL if it runs past the end. */
static int cache_get(const uint8_t *d, size_t len, size_t *pos, struct mf_entry *e)
{
	struct cache_rec r;

	if (len - *pos < sizeof(r))
		return -EINVAL;
	memcpy(&r, d + *pos, sizeof(r));
	*pos += sizeof(r);
	if (len - *pos < (uint64_t)r.path_len + r.link_len)
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	e->path = strndup((const char *)d + *pos, r.path_len);
	*pos += r.path_len;
	if (r.has_link) {
		e->link = strndup((const char *)d + *pos, r.link_len);
		*pos += r.link_len;
	}
	if ((len - *pos) / sizeof(*e->sites) < r.nsites)
		return -EINVAL;
	if (r.nsites) {
		size_t n = (size_t)r.nsites * sizeof(*e->sites);
		e->sites = xmalloc(n);
		memcpy(e->sites, d + *pos, n);
		e->nsites = r.nsites;
		*pos += n;
	}
	e->mode = r.mode;
	e->size = r.size;
	e->mtime_ns = r.mtime_ns;
	e->ctime_ns = r.ctime_ns;
	e->ino = r.ino;
	memcpy(e->sha, r.sha, 32);
	return 0;
}

int cache_load_as(const char *path, const char *magic, struct build_cache *c)
{
	struct cache_header h;
	uint8_t *d;
	size_t len, pos = sizeof(h);
	int r;

	memset(c, 0, sizeof(*c));
	r = read_whole_file(path, &d, &len);
	if (r)
		return r;
	memcpy(&h, d, len < sizeof(h) ? len : sizeof(h));
	r = -EINVAL;
	if (len < sizeof(h) || memcmp(h.magic, magic, 8) != 0 || h.version != CACHE_VERSION)
		goto out;
	if (cache_get(d, len, &pos, &c->config))
		goto out;
	c->files.v = xcalloc(h.count, sizeof(struct mf_entry));
	c->files.cap = h.count;
	for (; c->files.n < h.count; c->files.n++)
		if (cache_get(d, len, &pos, &c->files.v[c->files.n]))
			goto out;
	r = pos == len ? 0 : -EINVAL;
out:
	free(d);
	if (r)
		cache_free(c);
	return r;
}

int cache_save_as(const char *path, const char *magic, const struct build_cache *c)
{
	struct cache_header h = { .version = CACHE_VERSION };
	struct buf b = { 0 };
	int r;

	memcpy(h.magic, magic, sizeof(h.magic));
	h.count = (uint32_t)c->files.n;
	buf_append(&b, &h, sizeof(h));
	cache_put(&b, &c->config);
	for (size_t i = 0; i < c->files.n; i++)
		cache_put(&b, &c->files.v[i]);
	r = write_file_atomic(path, b.data, b.len, 0644);
	buf_free(&b);
	return r;
}

int cache_load(const char *path, struct build_cache *c)
{
	return cache_load_as(path, CACHE_MAGIC, c);
}

int cache_save(const char *path, const struct build_cache *c)
{
	return cache_save_as(path, CACHE_MAGIC, c);
}

void cache_free(struct build_cache *c)
{
	free(c->config.path);
	free(c->config.link);
	free(c->config.sites);
	mf_free(&c->files);
	memset(c, 0, sizeof(*c));
}
