/* cli/stale.c — decides whether the last build still describes the instance: cella.json by
 * stat and then by content, image/ by a full lstat walk compared with the build cache (paths
 * added or removed, or any entry whose mode, size, times or inode moved). No file is hashed
 * except cella.json. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static int stale_config(const char *cfgpath, const struct build_cache *c, char *why)
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
	free(data);
	if (memcmp(sha, c->config.sha, 32) == 0)
		return 0;	/* touched or rewritten with the same bytes */
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

int stale_check(const char *cfgpath, int imagefd, const struct build_cache *c, char *why)
{
	struct mf_list now = { 0 };
	char err[CLI_ERR_MAX];
	size_t i = 0, j = 0;
	int r = stale_config(cfgpath, c, why);

	if (r)
		return r;
	if (scan_image(imagefd, "image", &now, err)) {
		errf(why, "image changed since the last build (%s); run `cella build`", err);
		return 1;
	}
	r = 0;
	while (!r && (i < now.n || j < c->files.n)) {
		int cmp = i == now.n ? 1 : j == c->files.n ? -1 :
			  strcmp(now.v[i].path, c->files.v[j].path);
		if (cmp < 0) {
			errf(why, "image changed since the last build (e.g. image/%s was added); "
			     "run `cella build`", now.v[i].path);
			r = 1;
		} else if (cmp > 0) {
			errf(why, "image changed since the last build (e.g. image/%s was removed); "
			     "run `cella build`", c->files.v[j].path);
			r = 1;
		} else if (!stale_entry_same(&now.v[i], &c->files.v[j])) {
			errf(why, "image changed since the last build (e.g. image/%s); "
			     "run `cella build`", now.v[i].path);
			r = 1;
		}
		i += cmp <= 0;
		j += cmp >= 0;
	}
	mf_free(&now);
	return r;
}
