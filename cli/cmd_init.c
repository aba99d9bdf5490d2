/* cli/cmd_init.c — `cella init [DIR]`: a new instance with cella.json at its defaults (every
 * key present, so users see what they can change) and a skeleton image/. It never overwrites:
 * an existing cella.json is refused, existing image files are left as they are. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

const char cmd_init_help[] =
	"usage: cella init [DIR]\n"
	"\n"
	"Creates an instance in DIR (default: the current directory, or -C DIR): cella.json with\n"
	"every key at its default, and image/ with /bin /lib /lib64 /etc /tmp /root /usr/bin\n"
	"/usr/lib /dev /proc and minimal /etc/passwd, /etc/group and /etc/hosts.\n"
	"Refuses if DIR/cella.json exists. Exit status: 0 created, 1 on any error.\n";

static const struct { const char *path; mode_t mode; } init_dirs[] = {
	{ "image", 0755 }, { "image/bin", 0755 }, { "image/lib", 0755 },
	{ "image/lib64", 0755 }, { "image/etc", 0755 }, { "image/tmp", 01777 },
	{ "image/root", 0700 }, { "image/usr", 0755 }, { "image/usr/bin", 0755 },
	{ "image/usr/lib", 0755 }, { "image/dev", 0755 }, { "image/proc", 0555 },
};

/* Creates `path` with `text` unless it exists (O_EXCL), so a re-init keeps the user's edits. */
static int init_file(const char *dir, const char *path, const char *text, bool must_be_new,
		     char *err)
{
	char *full = path_join(dir, path);
	int fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	int r = 0;

	if (fd < 0) {
		r = -errno;
		if (r == -EEXIST && must_be_new)
			errf(err, "%s already exists; this is already an instance (remove it to "
			     "start over)", full);
		else if (r != -EEXIST)
			errf(err, "%s: cannot create: %s", full, strerror(-r));
		else
			r = 0;
		free(full);
		return r;
	}
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		r = -EIO;
		errf(err, "%s: cannot write: %s", full, strerror(errno));
	}
	close(fd);
	free(full);
	return r;
}

static int init_run(const char *dir, char *err)
{
	json_t *def = config_default_json();
	const char *host = json_string_value(json_object_get(json_object_get(def, "metadata"),
							     "hostname"));
	char *json = json_dumps(def, JSON_INDENT(2));
	char *cfg = xasprintf("%s\n", json);
	char *hosts = xasprintf("127.0.0.1\tlocalhost %s\n::1\tlocalhost\n", host);
	char *probe = path_join(dir, "cella.json");
	int r;

	free(json);
	json_decref(def);
	if (access(probe, F_OK) == 0) {
		errf(err, "%s already exists; this is already an instance (remove it to start "
		     "over)", probe);
		r = -EEXIST;
		goto out;
	}
	r = mkdir_p(dir, 0755);
	if (r) {
		errf(err, "%s: cannot create: %s", dir, strerror(-r));
		goto out;
	}
	for (size_t i = 0; i < sizeof(init_dirs) / sizeof(init_dirs[0]); i++) {
		char *p = path_join(dir, init_dirs[i].path);
		if (mkdir(p, init_dirs[i].mode) == 0) {
			chmod(p, init_dirs[i].mode);	/* mkdir applies the umask; the image must not */
		} else if (errno != EEXIST) {
			r = -errno;
			errf(err, "%s: cannot create: %s", p, strerror(errno));
		}
		free(p);
		if (r)
			goto out;
	}
	r = init_file(dir, "image/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", false, err);
	if (!r)
		r = init_file(dir, "image/etc/group", "root:x:0:\n", false, err);
	if (!r)
		r = init_file(dir, "image/etc/hosts", hosts, false, err);
	if (!r)
		r = init_file(dir, "cella.json", cfg, true, err);
out:
	free(probe);
	free(cfg);
	free(hosts);
	return r;
}

int cmd_init(int argc, char **argv)
{
	char err[CLI_ERR_MAX] = "";
	const char *dir = argc > 1 ? argv[1] : ".";

	if (argc > 2) {
		cli_error("init takes at most one directory (got '%s' too); see `cella init --help`",
			  argv[2]);
		return 1;
	}
	if (init_run(dir, err)) {
		cli_error("%s", err);
		return 1;
	}
	printf("created instance in %s: cella.json, image/\n"
	       "next: cella add /bin/ls && cella build && cella run /bin/ls\n", dir);
	return 0;
}
