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

/* Loads the build outputs and checks they belong together; why names the fix. */
static int run_check_built(uint8_t **cfg, size_t *cfglen, char *why)
{
	uint8_t *mf, sha[32];
	size_t mflen;
	int r;

	if (access("cella.json", F_OK) < 0) {
		errf(why, "no cella.json here; run `cella init` or give the instance with -C DIR");
		return -ENOENT;
	}
	if (read_whole_file("build/config.bin", cfg, cfglen) < 0 ||
	    access("build/cache.bin", R_OK) < 0) {
		errf(why, "the instance is not built; run `cella build`");
		return -ENOENT;
	}
	r = read_whole_file("build/manifest.bin", &mf, &mflen);
	if (r) {
		errf(why, "the instance is not built (build/manifest.bin: %s); run `cella build`",
		     strerror(-r));
		return r;
	}
	sha256_mem(mf, mflen, sha);
	r = blob_check(*cfg, *cfglen) || manifest_check(mf, mflen) ||
	    memcmp(((struct cella_config *)*cfg)->manifest_sha256, sha, 32) != 0 ? -EINVAL : 0;
	free(mf);
	if (r)
		errf(why, "build/ is damaged or from another version of cella; run `cella build`");
	return r;
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
static int run_check_exec(const char *path, char *why)
{
	int imagefd = open("image", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd = imagefd < 0 ? -errno : img_open(imagefd, path, O_RDONLY | O_NONBLOCK);
	char head[2] = { 0, 0 };
	struct stat st;
	int kind, r = -ENOEXEC;

	if (imagefd >= 0)
		close(imagefd);
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
	struct build_cache cache;
	uint8_t *cfg = NULL;
	size_t cfglen;
	char *runtime = NULL;
	int imagefd = -1, i = 1, rc = 1, r;

	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i == argc) {
		cli_error("run needs the path of a program inside the image; e.g. `cella run /bin/ls`");
		return 1;
	}
	if (run_check_built(&cfg, &cfglen, why))
		goto fail;
	if (cache_load("build/cache.bin", &cache)) {
		errf(why, "build/cache.bin is damaged; run `cella build`");
		goto fail;
	}
	imagefd = open("image", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = imagefd < 0 ? (errf(why, "image/: %s; run `cella init`", strerror(errno)), -1)
			: stale_check("cella.json", cfg, cfglen, imagefd, &cache, why);
	cache_free(&cache);
	if (r)
		goto fail;
	if (run_check_path((const struct cella_config *)cfg, argv[i], why) ||
	    run_check_exec(argv[i], why))
		goto fail;
	runtime = run_runtime_path();
	if (access(runtime, X_OK) < 0) {
		errf(why, "cannot run the runtime %s: %s; build it with `make` or set CELLA_RUNTIME",
		     runtime, strerror(errno));
		goto fail;
	}
	close(imagefd);
	free(cfg);
	rc = launch_runtime(runtime, argv[i], argv + i + 1);
	free(runtime);
	return rc;
fail:
	cli_error("%s", why);
	if (imagefd >= 0)
		close(imagefd);
	free(cfg);
	free(runtime);
	return 1;
}
