/* cli/stale_slow.c — the parts of the staleness check that read more than stats: cella.json by
 * content when its stat moved, and the name of what changed in image/ on the way to a refusal.
 * The `cella` front (front.c) links stubs instead and hands such runs to cella-cli. */
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

/* cella.json's stat moved: it is still current if its bytes, or at least the config blob they
 * give, are the same as at the last build (so an edit of whitespace or key order needs no
 * rebuild). */
int stale_config_content(const char *cfgpath, const void *blob, size_t bloblen,
			 const struct mf_entry *built, char *why)
{
	uint8_t *data, sha[32];
	size_t len;
	int r;

	r = read_whole_file(cfgpath, &data, &len);
	if (r) {
		errf(why, "%s: cannot read: %s", cfgpath, strerror(-r));
		return 1;
	}
	sha256_mem(data, len, sha);
	if (memcmp(sha, built->sha, 32) == 0 || stale_same_blob(data, len, blob, bloblen)) {
		free(data);
		return 0;
	}
	free(data);
	errf(why, "%s changed since the last build; run `cella build`", cfgpath);
	return 1;
}

/* The first path added to, removed from or replaced in (another inode or type) the sorted list
 * old; NULL if there is none. In-place changes are not looked at: they are not why run refuses. */
static const char *stale_first_diff(const struct mf_list *now, const struct mf_list *old,
				    const char **what)
{
	size_t i = 0, j = 0;

	while (i < now->n || j < old->n) {
		int cmp = i == now->n ? 1 : j == old->n ? -1 : strcmp(now->v[i].path, old->v[j].path);

		if (cmp != 0) {
			*what = cmp < 0 ? "added" : "removed";
			return cmp < 0 ? now->v[i].path : old->v[j].path;
		}
		if (*now->v[i].path && (now->v[i].ino != old->v[j].ino ||
					(now->v[i].mode & S_IFMT) != (old->v[j].mode & S_IFMT))) {
			*what = "replaced";
			return now->v[i].path;
		}
		i++;
		j++;
	}
	return NULL;
}

/* Only on the way to a refusal, so its cost does not matter: names the first entry added,
 * removed or replaced, by walking image/ against the last build's full list. A directory whose
 * entries are the same again (a file added, then removed) or whose own mode changed is named
 * itself. */
void stale_explain(const char *dir, char *why)
{
	struct build_cache c;
	struct mf_list now = { 0 };
	char err[CLI_ERR_MAX];
	const char *name = NULL, *what = NULL;
	int fd = -1;

	if (cache_load("build/cache.bin", &c) == 0) {
		fd = open("image", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0 && scan_image(fd, "image", &now, err) == 0)
			name = stale_first_diff(&now, &c.files, &what);
	}
	if (name)
		errf(why, "image changed since the last build (e.g. image/%s was %s); "
		     "run `cella build`", name, what);
	else
		errf(why, "image changed since the last build (e.g. image/%s); run `cella build`", dir);
	if (fd >= 0)
		close(fd);
	mf_free(&now);
	cache_free(&c);
}

