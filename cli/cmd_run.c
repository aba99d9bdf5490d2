/* cli/cmd_run.c — `cella run [--] PATH [ARGS...]`: every check that can be made before the
 * runtime starts (built, up to date, PATH allowed by entry_points, present, executable), each
 * failing with one message and exit 1 before anything runs; then launch.c starts the runtime. */
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

const char cmd_run_help[] =
	"usage: cella run [--] PATH [ARGS...]\n"
	"\n"
	"Runs PATH, a path inside the image (e.g. /bin/ls), with ARGS, under cella-runtime.\n"
	"PATH must be under one of entry_points in cella.json. stdin, stdout and stderr are\n"
	"inherited. The instance must be built and up to date (`cella build`).\n"
	"\n"
	"environment:\n"
	"  CELLA_RUNTIME   the runtime to start (default: cella-runtime next to cella)\n"
	"  CELLA_LOG       error|warn|info|debug|trace: the runtime's log level\n"
	"  CELLA_LOG_FILE  append the runtime's log to this file instead of stderr\n"
	"\n"
	"Exit status: the program's, 128+N if it was killed by signal N, 1 if cella itself failed\n"
	"before running it.\n";

/* Opens the build outputs and image/ (kept open: they are what the runtime gets) and loads
 * build/config.bin and build/stamp.bin; why names the fix. The manifest is not read here:
 * stale_check() compares its stat with the stamp, and the runtime, which maps it anyway, checks
 * its SHA-256 against config.bin before using it (libos/fs/image.c). */
static int run_open_build(struct run_fds *fds, uint8_t **cfg, size_t *cfglen,
			  struct build_cache *stamp, char *why)
{
	int r;

	fds->config = open("build/config.bin", O_RDONLY | O_CLOEXEC);
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
	fds->manifest = open("build/manifest.bin", O_RDONLY | O_CLOEXEC);
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
	fds->image = open("image", O_PATH | O_DIRECTORY | O_CLOEXEC);
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

/* <dir of /proc/self/exe>/cella-runtime, or $CELLA_RUNTIME. */
static char *run_runtime_path(void)
{
	const char *env = getenv("CELLA_RUNTIME");
	char self[PATH_MAX];
	ssize_t n;
	char *dir, *p;

	if (env && *env)
		return xstrdup(env);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return xstrdup(CELLA_RUNTIME_NAME);
	self[n] = '\0';
	dir = path_dirname(self);
	p = path_join(dir, CELLA_RUNTIME_NAME);
	free(dir);
	return p;
}

int cmd_run(int argc, char **argv)
{
	char why[CLI_ERR_MAX] = "";
	struct build_cache stamp = { 0 };
	struct run_fds fds = { -1, -1, -1 };
	uint8_t *cfg = NULL;
	size_t cfglen;
	char *runtime;
	int i = 1, rc;

	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i == argc) {
		cli_error("run needs the path of a program inside the image; e.g. `cella run /bin/ls`");
		return 1;
	}
	if (run_open_build(&fds, &cfg, &cfglen, &stamp, why) ||
	    stale_check("cella.json", cfg, cfglen, &stamp, &fds, why) ||
	    run_check_path((const struct cella_config *)cfg, argv[i], why) ||
	    run_check_exec(fds.image, argv[i], why)) {
		cli_error("%s", why);
		cache_free(&stamp);
		free(cfg);
		if (fds.config >= 0)
			close(fds.config);
		if (fds.manifest >= 0)
			close(fds.manifest);
		if (fds.image >= 0)
			close(fds.image);
		return 1;
	}
	int aslr = ((const struct cella_config *)cfg)->aslr;
	cache_free(&stamp);
	free(cfg);
	runtime = run_runtime_path();
	rc = launch_runtime(runtime, &fds, argv[i], argv + i + 1, aslr);
	free(runtime);
	return rc;
}
