/* cli/stale.c — decides, on every `cella run`, whether the last build still describes the
 * instance, from build/stamp.bin alone: build/config.bin and build/manifest.bin by the stat of
 * the fds passed on, cella.json by stat and then by content, image/ by one stat per directory.
 * A directory's mtime and ctime move whenever an entry is added, removed or renamed in it, so no
 * image file is stat'ed nor read here: a file's content is the runtime's to check
 * (libos/fs/image.c hashes it against the manifest on first open), and its mode is the
 * manifest's until the next build. Only when a directory moved is image/ walked, against
 * build/cache.bin, to name what was added, removed or replaced. */
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
			const struct mf_entry *built, char *why)
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
	if (mf_same_stat(&now, built))
		return 0;
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
static void stale_explain(const char *dir, char *why)
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

/* 0 if built's stat fields are those of fd (fd >= 0) or, else, of path relative to dirfd (no
 * symlink followed); otherwise -errno, or -ESTALE if they differ. */
static int stale_stat(int fd, int dirfd, const char *path, const struct mf_entry *built)
{
	struct mf_entry now = { 0 };
	struct stat st;

	if (fd >= 0 ? fstat(fd, &st) : fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW))
		return -errno;
	stat_to_entry(&st, &now);
	return mf_same_stat(&now, built) ? 0 : -ESTALE;
}

/* The open fd of a build product the stamp names, or -1 to stat it by path. */
static int stale_product_fd(const char *path, const struct run_fds *fds)
{
	if (strcmp(path, "build/config.bin") == 0)
		return fds->config;
	if (strcmp(path, "build/manifest.bin") == 0)
		return fds->manifest;
	return -1;
}

int stale_check(const char *cfgpath, const void *blob, size_t bloblen,
		const struct build_cache *stamp, const struct run_fds *fds, char *why)
{
	const struct mf_entry *v = stamp->files.v;
	size_t i = 0;
	int r;

	/* build/ first: a missing or foreign product makes every later answer meaningless. */
	for (; i < stamp->files.n && strncmp(v[i].path, "build/", 6) == 0; i++) {
		r = stale_stat(stale_product_fd(v[i].path, fds), AT_FDCWD, v[i].path, &v[i]);
		if (r == -ENOENT) {
			errf(why, "the instance is not built (%s: %s); run `cella build`", v[i].path,
			     strerror(-r));
			return 1;
		}
		if (r) {
			errf(why, "build/ is damaged or from another version of cella (%s is not the "
			     "file the last build wrote); run `cella build`", v[i].path);
			return 1;
		}
	}
	if (stale_config(cfgpath, blob, bloblen, &stamp->config, why))
		return 1;
	/* image/ itself by its fd (the build, too, stat'ed what the name resolves to), the
	 * directories below it relative to that fd, in the build's walk order: parents first. */
	for (; i < stamp->files.n; i++) {
		const char *p = v[i].path;
		const char *rel = strcmp(p, "image") == 0 ? "" :
				  strncmp(p, "image/", 6) == 0 ? p + 6 : NULL;

		if (!rel) {
			errf(why, "build/stamp.bin is damaged (%s); run `cella build`", p);
			return 1;
		}
		if (stale_stat(*rel ? -1 : fds->image, fds->image, rel, &v[i])) {
			stale_explain(rel, why);
			return 1;
		}
	}
	return 0;
}
