/* cli/run_check.c — every check `cella run` makes before the runtime starts: built, up to date,
 * PATH allowed by entry_points, present and executable. Shared by cella-cli (cmd_run.c) and the
 * `cella` front (front.c): the front runs them too and, on any refusal, leaves the message to
 * cella-cli, so the two can never disagree on what is refused. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../include/cella/config.h"
#include "../include/cella/launch.h"
#include "cli.h"

/* Opens the build outputs and image/ (kept open: they are what the runtime gets) and loads
 * build/config.bin and build/stamp.bin; why names the fix. openat, not open, here and on every
 * file `cella run` opens: musl's open follows an O_CLOEXEC open with a second, redundant
 * fcntl(F_SETFD), and a host call costs 1-2 us where page-table isolation is on.
 * The manifest is not read here: stale_check() compares its stat with the stamp, and the
 * runtime, which maps it anyway, checks its SHA-256 against config.bin before using it
 * (libos/fs/image.c). */
static int run_open_build(struct run_fds *fds, uint8_t **cfg, size_t *cfglen,
			  struct build_cache *stamp, char *why)
{
	int r;

	fds->config = openat(AT_FDCWD, "build/config.bin", O_RDONLY | O_CLOEXEC);
	if (fds->config < 0) {
		r = -errno;
		if (access("cella.json", F_OK) < 0)
			errf(why, "no cella.json here; run `cella init` or give the instance with -C DIR");
		else
			errf(why, "the instance is not built; run `cella build`");
		return r;
	}
	r = read_whole_fd(fds->config, cfg, cfglen);
	if (r) {
		errf(why, "build/config.bin: cannot read: %s; run `cella build`", strerror(-r));
		return r;
	}
	fds->manifest = openat(AT_FDCWD, "build/manifest.bin", O_RDONLY | O_CLOEXEC);
	r = fds->manifest < 0 ? -errno : stamp_load(stamp);
	if (r == -ENOENT) {
		errf(why, "the instance is not built (%s: %s); run `cella build`",
		     fds->manifest < 0 ? "build/manifest.bin" : "build/stamp.bin", strerror(-r));
		return r;
	}
	if (r || blob_check(*cfg, *cfglen)) {
		errf(why, "build/ is damaged or from another version of cella; run `cella build`");
		return r ? r : -EINVAL;
	}
	fds->image = openat(AT_FDCWD, "image", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fds->image < 0) {
		r = -errno;
		errf(why, "image/: %s; run `cella init`", strerror(-r));
		return r;
	}
	return 0;
}

static void run_entry_list(const struct cella_config *c, char *out, size_t cap)
{
	const char *s = blob_str(c, c->entry_points.off);
	size_t o = 0;

	out[o++] = '[';
	for (uint32_t i = 0; i < c->entry_points.count && o < cap - 8; i++) {
		o += (size_t)snprintf(out + o, cap - o, "%s\"%s\"", i ? ", " : "", s);
		s += strlen(s) + 1;
	}
	snprintf(out + (o < cap - 2 ? o : cap - 2), 2, "]");
}

static int run_check_path(const struct cella_config *c, const char *path, char *why)
{
	const char *s = blob_str(c, c->entry_points.off);
	char list[512];

	if (path[0] != '/') {
		errf(why, "%s: not an absolute path; give the path inside the image, e.g. /bin/ls",
		     path);
		return -EINVAL;
	}
	if (!path_is_canonical(path)) {
		char *n = path_normalize(path);
		errf(why, "%s: not a canonical path; write it as %s", path, n);
		free(n);
		return -EINVAL;
	}
	for (uint32_t i = 0; i < c->entry_points.count; i++, s += strlen(s) + 1)
		if (path_is_under(path, s))
			return 0;
	run_entry_list(c, list, sizeof(list));
	errf(why, "%s is not allowed by entry_points %s in cella.json; add its directory there "
	     "and run `cella build`", path, list);
	return -EPERM;
}

/* PATH is resolved in the image as the runtime will (symlinks stay inside image/). */
static int run_check_exec(int imagefd, const char *path, char *why)
{
	int fd = img_open(imagefd, path, O_RDONLY | O_NONBLOCK);
	char head[2] = { 0, 0 };
	struct stat st;
	int kind, r = -ENOEXEC;

	if (fd == -ENOENT || fd == -ENOTDIR || fd == -ELOOP) {
		errf(why, "%s: no such file in the image (image%s); add it with `cella add` and "
		     "run `cella build`", path, path);
		return fd;
	}
	if (fd < 0) {
		errf(why, "%s: cannot open image%s: %s", path, path, strerror(-fd));
		return fd;
	}
	fstat(fd, &st);
	if (!S_ISREG(st.st_mode)) {
		errf(why, "%s: not an executable: %s", path,
		     S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
		goto out;
	}
	kind = elf_kind_fd(fd);
	if (kind != ELF_X86_64 && !(pread(fd, head, 2, 0) == 2 && head[0] == '#' && head[1] == '!')) {
		errf(why, "%s: not an executable: not an x86-64 ELF file or #! script", path);
		goto out;
	}
	if (!(st.st_mode & 0111)) {
		errf(why, "%s: not an executable: its mode %04o has no x bit; chmod +x image%s "
		     "and run `cella build`", path, st.st_mode & 07777, path);
		goto out;
	}
	r = 0;
out:
	close(fd);
	return r;
}

char *cli_sibling_path(const char *name)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *dir, *p;

	if (n < 0)
		return xstrdup(name);
	self[n] = '\0';
	dir = path_dirname(self);
	p = path_join(dir, name);
	free(dir);
	return p;
}

char *run_runtime_path(void)
{
	const char *env = getenv("CELLA_RUNTIME");

	return env && *env ? xstrdup(env) : cli_sibling_path(CELLA_RUNTIME_NAME);
}

static void run_close(struct run_fds *fds)
{
	if (fds->config >= 0)
		close(fds->config);
	if (fds->manifest >= 0)
		close(fds->manifest);
	if (fds->image >= 0)
		close(fds->image);
	*fds = (struct run_fds){ -1, -1, -1 };
}

int run_prepare(const char *path, struct run_fds *fds, int *aslr, char *why)
{
	struct build_cache stamp = { 0 };
	uint8_t *cfg = NULL;
	size_t cfglen;
	int r;

	*fds = (struct run_fds){ -1, -1, -1 };
	r = run_open_build(fds, &cfg, &cfglen, &stamp, why);
	if (!r && stale_check("cella.json", cfg, cfglen, &stamp, fds, why))
		r = -ESTALE;
	if (!r)
		r = run_check_path((const struct cella_config *)cfg, path, why);
	if (!r)
		r = run_check_exec(fds->image, path, why);
	if (!r)
		*aslr = ((const struct cella_config *)cfg)->aslr;
	else
		run_close(fds);
	cache_free(&stamp);
	free(cfg);
	return r;
}

