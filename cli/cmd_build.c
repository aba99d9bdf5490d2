/* cli/cmd_build.c — `cella build`: validate cella.json, hash what changed in image/ and find
 * the patchable syscall sites of the changed x86-64 ELF files (sites.c), write
 * build/manifest.bin then build/config.bin (which names the manifest's hash), save the cache
 * and then the stamp `cella run` checks (stamp.c), create run/. A file whose stat matches the
 * cache is not read; an output whose bytes would not change is not rewritten. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

const char cmd_build_help[] =
	"usage: cella build [-v|--verbose]\n"
	"\n"
	"Validates cella.json and writes build/config.bin and build/manifest.bin (the hash of\n"
	"every file under image/, and for x86-64 ELF files the `mov $nr,%eax; syscall` sites a\n"
	"decoder proved, which the runtime may patch into direct calls). Only files changed since\n"
	"the last build are hashed and analysed again. -v lists each analysed file and every\n"
	"site dropped because two function ranges decode its bytes differently.\n"
	"Exit status: 0 built or already up to date, 1 on any error.\n";

struct build_stats {
	size_t hashed, unchanged;
	uint64_t hashed_bytes;
	size_t analysed, sites_found, sites_total;	/* ELF files analysed now; their sites */
	double analyse_s;
	bool verbose;
};

static double build_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Finds the sites of fd if it is an x86-64 ELF file. A file that is not one, or is malformed,
 * simply has none: it stays on the trap path, which is correct for anything. */
static int build_analyse_one(int fd, struct mf_entry *e, struct build_stats *s)
{
	double t0 = build_now();
	int r = elf_kind_fd(fd);

	if (r < 0)
		return r;
	if (r != ELF_X86_64)
		return 0;
	r = sites_analyse_fd(fd, e->path, s->verbose, &e->sites, &e->nsites);
	if (r == -ENOMEM)
		return r;
	if (r && s->verbose)
		printf("  %s: not analysed: %s\n", e->path, strerror(-r));
	s->analysed++;
	s->sites_found += e->nsites;
	s->analyse_s += build_now() - t0;
	return 0;
}

/* Hashes and analyses one regular file and checks it is still the file the walk saw. */
static int build_hash_one(int imagefd, struct mf_entry *e, struct build_stats *s, char *err)
{
	int fd = openat(imagefd, e->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct mf_entry after = { 0 };
	struct stat st;
	int64_t n;
	int r;

	if (fd < 0) {
		errf(err, "image/%s: cannot open: %s", e->path, strerror(errno));
		return -errno;
	}
	n = sha256_fd(fd, e->sha, progress_add);
	if (n < 0) {
		errf(err, "image/%s: cannot read: %s", e->path, strerror((int)-n));
		close(fd);
		return (int)n;
	}
	r = build_analyse_one(fd, e, s);
	if (r) {
		errf(err, "image/%s: cannot analyse: %s", e->path, strerror(-r));
		close(fd);
		return r;
	}
	fstat(fd, &st);
	close(fd);
	stat_to_entry(&st, &after);
	if (!mf_same_stat(&after, e) || (uint64_t)n != e->size) {
		errf(err, "image/%s changed while it was being hashed; run `cella build` again",
		     e->path);
		return -EAGAIN;
	}
	return 0;
}

/* Takes hashes and sites from the cache where the stat fields match; does the rest. */
static int build_hash_all(int imagefd, struct mf_list *l, const struct build_cache *c,
			  struct build_stats *s, char *err)
{
	bool *todo = xcalloc(l->n, sizeof(bool));
	int r = 0;

	for (size_t i = 0; i < l->n; i++) {
		struct mf_entry *e = &l->v[i];
		struct mf_entry *old = S_ISREG(e->mode) ? mf_find(&c->files, e->path) : NULL;

		if (!S_ISREG(e->mode))
			continue;
		if (old && mf_same_stat(old, e)) {
			memcpy(e->sha, old->sha, 32);
			if (old->nsites) {
				e->nsites = old->nsites;
				e->sites = xmalloc(e->nsites * sizeof(*e->sites));
				memcpy(e->sites, old->sites, e->nsites * sizeof(*e->sites));
			}
			s->unchanged++;
			continue;
		}
		todo[i] = true;
		s->hashed_bytes += e->size;
		s->hashed++;
	}
	progress_start(s->hashed_bytes);
	for (size_t i = 0; i < l->n && !r; i++)
		if (todo[i])
			r = build_hash_one(imagefd, &l->v[i], s, err);
	progress_end();
	free(todo);
	for (size_t i = 0; i < l->n; i++)
		s->sites_total += l->v[i].nsites;
	return r;
}

/* Writes `path` unless it already holds exactly these bytes; *wrote says which. */
static int build_write(const char *path, const struct buf *b, bool *wrote, char *err)
{
	int r;

	*wrote = false;
	if (file_equals(path, b->data, b->len))
		return 0;
	r = write_file_atomic(path, b->data, b->len, 0644);
	if (r) {
		errf(err, "%s: cannot write: %s", path, strerror(-r));
		return r;
	}
	*wrote = true;
	return 0;
}

static int build_config_entry(struct mf_entry *e, const uint8_t *data, size_t len,
			      const struct stat *st)
{
	memset(e, 0, sizeof(*e));
	e->path = xstrdup("cella.json");
	stat_to_entry(st, e);
	sha256_mem(data, len, e->sha);
	return 0;
}

static void build_report(const struct build_stats *s, size_t entries, bool wrote_m, bool wrote_c)
{
	char bytes[32];

	if (s->hashed == 0 && !wrote_m && !wrote_c) {
		printf("nothing changed; config and manifest are up to date\n");
		return;
	}
	format_bytes(s->hashed_bytes, bytes);
	printf("hashed %zu file%s (%s), %zu unchanged; %s (%zu entries); %s\n",
	       s->hashed, s->hashed == 1 ? "" : "s", bytes, s->unchanged,
	       wrote_m ? "wrote build/manifest.bin" : "build/manifest.bin unchanged", entries,
	       wrote_c ? "wrote build/config.bin" : "build/config.bin unchanged");
	printf("analysed %zu ELF file%s: %zu patchable syscall site%s (%.1f s); %zu in the image\n",
	       s->analysed, s->analysed == 1 ? "" : "s", s->sites_found,
	       s->sites_found == 1 ? "" : "s", s->analyse_s, s->sites_total);
}

static int build_run(bool verbose, char *err)
{
	struct build_cache cache = { 0 }, next = { 0 };
	struct build_stats stats = { .verbose = verbose };
	struct cli_config cfg;
	struct buf mbuf = { 0 }, cbuf = { 0 };
	struct stat cst;
	uint8_t *cdata = NULL, msha[32];
	size_t clen;
	bool wrote_m = false, wrote_c = false;
	int imagefd = -1, r;

	if (stat("cella.json", &cst) < 0 || (r = read_whole_file("cella.json", &cdata, &clen))) {
		errf(err, "cella.json: %s; run `cella init` to create an instance here (or use -C DIR)",
		     strerror(errno));
		return -ENOENT;
	}
	r = config_parse("cella.json", cdata, clen, &cfg, err);
	if (r)
		goto out_data;
	imagefd = open("image", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (imagefd < 0) {
		r = -errno;
		errf(err, "image/: %s; create it with `cella init`", strerror(errno));
		goto out_cfg;
	}
	if (mkdir("build", 0755) < 0 && errno != EEXIST) {
		r = -errno;
		errf(err, "build/: cannot create: %s", strerror(errno));
		goto out_cfg;
	}
	cache_load("build/cache.bin", &cache);	/* a missing or damaged cache means hash all */
	r = scan_image(imagefd, "image", &next.files, err);
	if (!r)
		r = build_hash_all(imagefd, &next.files, &cache, &stats, err);
	if (r)
		goto out_cache;
	manifest_serialize(&next.files, &mbuf);
	sha256_mem(mbuf.data, mbuf.len, msha);
	blob_build(&cfg, msha, &cbuf);
	/* The manifest goes first: a config.bin always names a manifest that exists. */
	r = build_write("build/manifest.bin", &mbuf, &wrote_m, err);
	if (!r)
		r = build_write("build/config.bin", &cbuf, &wrote_c, err);
	if (r)
		goto out_cache;
	build_config_entry(&next.config, cdata, clen, &cst);
	r = cache_save("build/cache.bin", &next);
	if (r) {
		errf(err, "build/cache.bin: cannot write: %s", strerror(-r));
		goto out_cache;
	}
	/* Last: a stamp names outputs that are all written, and one that is missing or older than
	 * them makes `cella run` ask for a build. */
	r = stamp_save(&next.config, &next.files);
	if (r) {
		errf(err, "build/stamp.bin: cannot write: %s", strerror(-r));
		goto out_cache;
	}
	if (mkdir("run", 0755) < 0 && errno != EEXIST) {
		r = -errno;
		errf(err, "run/: cannot create: %s", strerror(errno));
		goto out_cache;
	}
	build_report(&stats, next.files.n, wrote_m, wrote_c);
out_cache:
	cache_free(&cache);
	cache_free(&next);
	buf_free(&mbuf);
	buf_free(&cbuf);
out_cfg:
	if (imagefd >= 0)
		close(imagefd);
	config_free(&cfg);
out_data:
	free(cdata);
	return r;
}

int cmd_build(int argc, char **argv)
{
	char err[CLI_ERR_MAX] = "";
	bool verbose = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
			verbose = true;
			continue;
		}
		cli_error("build takes no arguments but -v (got '%s'); see `cella build --help`",
			  argv[i]);
		return 1;
	}
	if (build_run(verbose, err)) {
		cli_error("%s", err);
		return 1;
	}
	return 0;
}
