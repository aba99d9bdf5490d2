/* cli/cmd_add.c — `cella add [--to IMAGE_DIR] [--dir] HOST_PATH...`: copies host files into the
 * image at the same paths, recreating a last-component symlink as a symlink (and adding its
 * target), making real directories for intermediate host symlinks, and adding every ELF file's
 * library closure (closure.c). What was added, and why, goes to added.json. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "add.h"

const char cmd_add_help[] =
	"usage: cella add [--to IMAGE_DIR] [--dir] HOST_PATH...\n"
	"\n"
	"Copies host programs into the image at the same paths (/usr/bin/python3.11 ->\n"
	"image/usr/bin/python3.11) together with their shared libraries, found by reading the\n"
	"ELF files (PT_INTERP, DT_NEEDED, DT_RUNPATH/DT_RPATH, /etc/ld.so.conf, default dirs).\n"
	"A symlink is recreated as the same symlink and its target is added too. Files already\n"
	"in the image with the same size and mtime are not copied again.\n"
	"\n"
	"options:\n"
	"  --to IMAGE_DIR  copy into IMAGE_DIR instead of <instance>/image\n"
	"  --dir           HOST_PATHs may be directories: copy the whole tree, and the library\n"
	"                  closure of every ELF file in it\n"
	"\n"
	"What was copied (host path, image path, what pulled it in) is recorded in added.json\n"
	"next to the image directory. Exit status: 0 all added, 1 if anything was missing.\n";

static void add_record(struct add_ctx *c, const char *img, const char *host, const char *type,
		       const char *reason)
{
	json_t *e = json_object();
	json_object_set_new(e, "host", json_string(host));
	json_object_set_new(e, "type", json_string(type));
	json_object_set_new(e, "pulled_in_by", json_string(reason));
	json_object_set_new(c->record, img, e);
}

static int add_tree(struct add_ctx *c, const char *host, const char *img, const struct stat *st,
		    const char *reason);

/* A symlink: same target text in the image, then the target itself (a relative target
 * resolves against the link's directory as named). Directory targets are not followed:
 * a link to "/" must not copy the host. */
static int add_symlink(struct add_ctx *c, const char *host, const char *img, const char *reason,
		       bool strict)
{
	char target[4096], *why, *tdir, *thost, *timg;

	struct stat tst;
	ssize_t n = readlink(host, target, sizeof(target) - 1);
	int r;

	if (n < 0) {
		cli_error("%s: cannot read the symlink: %s", host, strerror(errno));
		c->errors++;
		return -EIO;
	}
	target[n] = '\0';
	r = img_symlink(c->rootfd, img, target);
	if (r) {
		cli_error("%s%s: cannot create the symlink: %s", c->image_name, img, strerror(-r));
		c->errors++;
		return r;
	}
	c->links++;
	add_record(c, img, host, "symlink", reason);
	if (target[0] == '/') {
		thost = xstrdup(target);
		timg = path_normalize(target);
	} else {
		char *hdir = path_dirname(host), *joined;
		tdir = path_dirname(img);
		thost = path_join(hdir, target);	/* the host kernel resolves this one */
		joined = path_join(tdir, target);
		timg = path_normalize(joined);
		free(joined);
		free(hdir);
		free(tdir);
	}
	why = xasprintf("symlink target of %s", img);
	if (stat(thost, &tst) < 0) {
		cli_warn("%s -> %s: the target does not exist on the host; the link will dangle",
			 host, target);
		c->warnings++;
	} else if (S_ISDIR(tst.st_mode)) {
		/* inside the tree being copied it arrives anyway; elsewhere it is left out */
		if (!c->tree || !path_is_under(timg, c->tree))
			cli_warn("%s -> %s: a link to a directory outside what is being added; add the "
				 "directory with --dir if the program needs it", host, target);
	} else {
		r = add_path(c, thost, timg, why, strict);
	}
	free(why);
	free(thost);
	free(timg);
	return r;
}

static int add_regular(struct add_ctx *c, const char *host, const char *img,
		       const struct stat *st, const char *reason, bool strict)
{
	bool copied;
	int r = img_copy_file(c->rootfd, img, host, st, &copied);

	if (r) {
		cli_error("%s -> %s%s: cannot copy: %s", host, c->image_name, img, strerror(-r));
		c->errors++;
		return r;
	}
	c->files++;
	if (copied) {
		c->copied++;
		c->copied_bytes += (uint64_t)st->st_size;
	}
	add_record(c, img, host, "file", reason);
	add_elf_closure(c, host, img, strict);
	return 0;
}

int add_path(struct add_ctx *c, const char *host, const char *img, const char *reason,
	     bool strict)
{
	struct stat st;

	if (!strset_add(&c->seen, img))
		return 0;
	if (lstat(host, &st) < 0) {
		int r = -errno;
		if (strict) {
			cli_error("%s: %s on the host (wanted as %s)", host, strerror(errno), reason);
			c->errors++;
		} else {
			cli_warn("%s: %s on the host (wanted as %s)", host, strerror(errno), reason);
			c->warnings++;
		}
		return r;
	}
	if (S_ISLNK(st.st_mode))
		return add_symlink(c, host, img, reason, strict);
	if (S_ISREG(st.st_mode))
		return add_regular(c, host, img, &st, reason, strict);
	if (S_ISDIR(st.st_mode))
		return add_tree(c, host, img, &st, reason);
	cli_error("%s: not a regular file, directory or symlink; it cannot be in an image", host);
	c->errors++;
	return -EINVAL;
}

/* A directory reached through --dir: the directory with its mode, then every entry. Files
 * inside are not "strict": a missing library of one extension module is a warning. */
static int add_tree(struct add_ctx *c, const char *host, const char *img, const struct stat *st,
		    const char *reason)
{
	/* entries name the tree the user gave, not each subdirectory */
	char *why = strncmp(reason, "--dir ", 6) == 0 ? xstrdup(reason) : xasprintf("--dir %s", host);
	DIR *d;
	struct dirent *de;
	int fd, r = img_mkdirs(c->rootfd, img, 0755);

	if (!r && (fd = img_open(c->rootfd, img, O_RDONLY | O_DIRECTORY)) >= 0) {
		fchmod(fd, st->st_mode & 07777);
		close(fd);
	}
	if (r) {
		cli_error("%s%s: cannot create the directory: %s", c->image_name, img, strerror(-r));
		c->errors++;
		free(why);
		return r;
	}
	c->dirs++;
	if (!(d = opendir(host))) {
		cli_error("%s: cannot read the directory: %s", host, strerror(errno));
		c->errors++;
		free(why);
		return -EIO;
	}
	while ((de = readdir(d))) {
		char *ch, *ci;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		ch = path_join(host, de->d_name);
		ci = path_join(img, de->d_name);
		add_path(c, ch, ci, why, false);
		free(ch);
		free(ci);
	}
	closedir(d);
	free(why);
	return 0;
}

/* One HOST_PATH from the command line. */
static void add_arg(struct add_ctx *c, const char *arg, bool dir_ok)
{
	char cwd[4096];
	char *abs = arg[0] == '/' ? xstrdup(arg)
				  : path_join(getcwd(cwd, sizeof(cwd)) ? cwd : "/", arg);
	char *img = path_normalize(abs);
	struct stat st;

	if (stat(abs, &st) == 0 && S_ISDIR(st.st_mode) && !dir_ok) {
		cli_error("%s is a directory; use `cella add --dir %s` to copy the whole tree", arg,
			  arg);
		c->errors++;
	} else if (stat(abs, &st) < 0 && lstat(abs, &st) < 0) {
		cli_error("%s: %s on the host; check the path", arg, strerror(errno));
		c->errors++;
	} else {
		c->tree = S_ISDIR(st.st_mode) ? img : NULL;
		add_path(c, abs, img, "command line", true);
		c->tree = NULL;
	}
	free(abs);
	free(img);
}

/* added.json keeps earlier runs' records; this run's entries replace same-path ones. */
static json_t *add_load_record(const char *path)
{
	json_t *j = json_load_file(path, 0, NULL);

	if (j && json_is_object(j))
		return j;
	json_decref(j);
	return json_object();
}

int cmd_add(int argc, char **argv)
{
	struct add_ctx c = { .rootfd = -1 };
	const char *to = NULL;
	bool dir_ok = false;
	char *recpath, *prefix, bytes[32];
	int i = 1, rc = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--dir") == 0) {
			dir_ok = true;
		} else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc) {
			to = argv[++i];
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			cli_error("add: unknown option '%s'; see `cella add --help`", argv[i]);
			return 1;
		}
	}
	if (i == argc) {
		cli_error("add needs at least one host path; e.g. `cella add /bin/ls`");
		return 1;
	}
	if (to && mkdir_p(to, 0755) < 0) {
		cli_error("%s: cannot create: %s", to, strerror(errno));
		return 1;
	}
	c.rootfd = open(to ? to : "image", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c.rootfd < 0) {
		cli_error("%s: %s; run `cella init` first (or give --to IMAGE_DIR)",
			  to ? to : "image/", strerror(errno));
		return 1;
	}
	prefix = to ? xstrdup(to) : xstrdup("image");
	if (strlen(prefix) > 1 && prefix[strlen(prefix) - 1] == '/')
		prefix[strlen(prefix) - 1] = '\0';
	c.image_name = prefix;
	{
		char *todir = to ? path_dirname(prefix) : NULL;
		recpath = to ? path_join(todir, "added.json") : xstrdup("added.json");
		free(todir);
	}
	ldpaths_load("/etc/ld.so.conf", &c.ldirs);
	c.record = add_load_record(recpath);
	for (; i < argc; i++)
		add_arg(&c, argv[i], dir_ok);
	if (json_dump_file(c.record, recpath, JSON_INDENT(2) | JSON_SORT_KEYS) < 0) {
		cli_error("%s: cannot write", recpath);
		c.errors++;
	}
	format_bytes(c.copied_bytes, bytes);
	printf("added %zu files (%zu copied, %s; %zu already up to date), %zu symlinks, "
	       "%zu directories to %s/; recorded in %s\n", c.files, c.copied, bytes,
	       c.files - c.copied, c.links, c.dirs, prefix, recpath);
	if (c.warnings)
		printf("%d warning%s above\n", c.warnings, c.warnings == 1 ? "" : "s");
	rc = c.errors ? 1 : 0;
	close(c.rootfd);
	json_decref(c.record);
	strset_free(&c.seen);
	strvec_free(&c.ldirs);
	free(recpath);
	free(prefix);
	return rc;
}
