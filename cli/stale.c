/* cli/stale.c — decides, on every `cella run`, whether the last build still describes the
 * instance, from build/stamp.bin alone: build/config.bin and build/manifest.bin by the stat of
 * the fds passed on, cella.json by stat (then by content, in stale_slow.c), image/ by one stat
 * per directory.
 * A directory's mtime and ctime move whenever an entry is added, removed or renamed in it, so no
 * image file is stat'ed nor read here: a file's content is the runtime's to check
 * (libos/fs/image.c hashes it against the manifest on first open), and its mode is the
 * manifest's until the next build. Only when a directory moved is image/ walked, against
 * build/cache.bin, to name what was added, removed or replaced (stale_slow.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../include/cella/config.h"
#include "cli.h"

/* cella.json is current if its stat is the build's; otherwise stale_config_content looks at
 * its bytes. */
static int stale_config(const char *cfgpath, const void *blob, size_t bloblen,
			const struct mf_entry *built, char *why)
{
	struct mf_entry now = { 0 };
	struct stat st;

	if (stat(cfgpath, &st) < 0) {
		errf(why, "%s: cannot stat: %s", cfgpath, strerror(errno));
		return 1;
	}
	stat_to_entry(&st, &now);
	if (mf_same_stat(&now, built))
		return 0;
	return stale_config_content(cfgpath, blob, bloblen, built, why);
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
