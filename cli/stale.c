/* cli/stale.c — decides whether the last build still describes the instance: cella.json by
 * stat and then by content, image/ by a full lstat walk compared with the build cache (paths
 * added or removed, or any entry whose mode, size, times or inode moved). No image file is
 * hashed; cella.json is hashed and re-parsed only when its stat moved. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../include/cella/config.h"
#include "cli.h"

static bool stale_same_blob(const void *json, size_t len, const void *blob, size_t bloblen)
{
	char err[CLI_ERR_MAX];
	struct cli_config cfg;
	struct buf b = { 0 };
	bool same;

	if (bloblen < sizeof(struct cella_config) || config_parse("cella.json", json, len, &cfg, err))
		return false;
	blob_build(&cfg, ((const struct cella_config *)blob)->manifest_sha256, &b);
	same = b.len == bloblen && memcmp(b.data, blob, bloblen) == 0;
	buf_free(&b);
	config_free(&cfg);
	return same;
}

/* cella.json is current if its stat, its bytes, or at least the config blob it gives is the
 * same as at the last build (so an edit of whitespace or key order needs no rebuild). */
static int stale_config(const char *cfgpath, const void *blob, size_t bloblen,
			const struct build_cache *c, char *why)
{
	struct mf_entry now = { 0 };
	struct stat st;
	uint8_t *data, sha[32];
	size_t len;
	int r;

	if (stat(cfgpath, &st) < 0) {
		errf(why, "%s: cannot stat: %s", cfgpath, strerror(errno));
		return 1;
	}
	stat_to_entry(&st, &now);
	if (mf_same_stat(&now, &c->config))
		return 0;
	r = read_whole_file(cfgpath, &data, &len);
	if (r) {
		errf(why, "%s: cannot read: %s", cfgpath, strerror(-r));
		return 1;
	}
	sha256_mem(data, len, sha);
	if (memcmp(sha, c->config.sha, 32) == 0 || stale_same_blob(data, len, blob, bloblen)) {
		free(data);
		return 0;
	}
	free(data);
	errf(why, "%s changed since the last build; run `cella build`", cfgpath);
	return 1;
}

static bool stale_entry_same(const struct mf_entry *a, const struct mf_entry *b)
{
	if (!mf_same_stat(a, b))
		return false;
	if (!a->link != !b->link)
		return false;
	return !a->link || strcmp(a->link, b->link) == 0;
}

/* The first difference worth naming: a file added, removed or changed is more telling than the
 * directory whose mtime moved because of it, so a directory is named only if nothing else is. */
static int stale_image(const struct mf_list *now, const struct mf_list *old, char *why)
{
	const char *dir = NULL;
	size_t i = 0, j = 0;

	while (i < now->n || j < old->n) {
		int cmp = i == now->n ? 1 : j == old->n ? -1 : strcmp(now->v[i].path, old->v[j].path);
		if (cmp < 0) {
			errf(why, "image changed since the last build (e.g. image/%s was added); "
			     "run `cella build`", now->v[i].path);
			return 1;
		}
		if (cmp > 0) {
			errf(why, "image changed since the last build (e.g. image/%s was removed); "
			     "run `cella build`", old->v[j].path);
			return 1;
		}
		if (!stale_entry_same(&now->v[i], &old->v[j])) {
			if (!S_ISDIR(now->v[i].mode) || !S_ISDIR(old->v[j].mode)) {
				errf(why, "image changed since the last build (e.g. image/%s); "
				     "run `cella build`", now->v[i].path);
				return 1;
			}
			if (!dir)
				dir = now->v[i].path;
		}
		i++;
		j++;
	}
	if (!dir)
		return 0;
	errf(why, "image changed since the last build (e.g. image/%s); run `cella build`", dir);
	return 1;
}

int stale_check(const char *cfgpath, const void *blob, size_t bloblen, int imagefd,
		const struct build_cache *c, char *why)
{
	struct mf_list now = { 0 };
	char err[CLI_ERR_MAX];
	int r = stale_config(cfgpath, blob, bloblen, c, why);

	if (r)
		return r;
	if (scan_image(imagefd, "image", &now, err)) {
		errf(why, "image changed since the last build (%s); run `cella build`", err);
		return 1;
	}
	r = stale_image(&now, &c->files, why);
	mf_free(&now);
	return r;
}
