/* cli/stamp.c — build/stamp.bin, written last by `cella build`: cella.json (stat and SHA-256) and
 * the lstat fields of build/config.bin, build/manifest.bin and every directory of image/, so that
 * `cella run` can tell whether the build still describes the instance without walking image/. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#define STAMP_MAGIC "CELLASTP"

static const char *const stamp_products[] = { "build/config.bin", "build/manifest.bin" };

/* Appends path with the stat fields of `from` (nothing else: no hash, target or sites). */
static void stamp_push(struct mf_list *l, const char *path, const struct mf_entry *from)
{
	struct mf_entry *e;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->path = xstrdup(path);
	e->mode = from->mode;
	e->size = from->size;
	e->mtime_ns = from->mtime_ns;
	e->ctime_ns = from->ctime_ns;
	e->ino = from->ino;
}

/* The directories are taken from the build's own walk (image), not stat'ed again: a change made
 * while the build ran then shows up as a difference at the next run instead of being hidden. */
int stamp_save(const struct mf_entry *config, const struct mf_list *image)
{
	struct build_cache s = { 0 };
	struct stat st;
	int r;

	s.config = *config;	/* its hash too: run compares content when the stat moved */
	s.config.path = xstrdup(config->path);
	s.config.link = NULL;
	s.config.sites = NULL;
	s.config.nsites = 0;
	for (size_t i = 0; i < sizeof(stamp_products) / sizeof(stamp_products[0]); i++) {
		struct mf_entry now = { 0 };

		if (lstat(stamp_products[i], &st) < 0) {
			r = -errno;
			goto out;
		}
		stat_to_entry(&st, &now);
		stamp_push(&s.files, stamp_products[i], &now);
	}
	for (size_t i = 0; i < image->n; i++) {
		const struct mf_entry *e = &image->v[i];
		char *p;

		if (!S_ISDIR(e->mode))
			continue;
		p = *e->path ? xasprintf("image/%s", e->path) : xstrdup("image");
		stamp_push(&s.files, p, e);
		free(p);
	}
	r = cache_save_as("build/stamp.bin", STAMP_MAGIC, &s);
out:
	cache_free(&s);
	return r;
}

int stamp_load(struct build_cache *s)
{
	return cache_load_as("build/stamp.bin", STAMP_MAGIC, s);
}
