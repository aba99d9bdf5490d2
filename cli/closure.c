/* cli/closure.c — the shared-library closure of an ELF file, found the way the host's ld.so
 * finds it but by reading the files: PT_INTERP, DT_NEEDED searched in DT_RPATH (only when
 * there is no DT_RUNPATH), DT_RUNPATH ($ORIGIN expanded), then the ld.so.conf and default
 * directories. A library is placed in the image at the path where it was found. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "add.h"

/* "$ORIGIN/../lib" with origin "/opt/x/bin" -> "/opt/x/bin/../lib"; NULL for other $ tokens
 * ($LIB, $PLATFORM), which name hardware-specific directories we do not guess. */
static char *closure_expand(const char *dir, const char *origin)
{
	struct buf b = { 0 };
	const char *p = dir;
	char *out;

	while (*p) {
		if (strncmp(p, "$ORIGIN", 7) == 0 || strncmp(p, "${ORIGIN}", 9) == 0) {
			buf_append(&b, origin, strlen(origin));
			p += p[1] == '{' ? 9 : 7;
		} else if (*p == '$') {
			buf_free(&b);
			return NULL;
		} else {
			buf_append(&b, p++, 1);
		}
	}
	buf_append(&b, "", 1);
	out = xstrdup((char *)b.data);
	buf_free(&b);
	return out;
}

/* Is dir/name a loadable x86-64 ELF on the host? (ld.so skips other classes and machines.) */
static bool closure_usable(const char *path)
{
	struct stat st;
	int fd, kind;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	kind = elf_kind_fd(fd);
	close(fd);
	return kind == ELF_X86_64;
}

static char *closure_try(const char *dir, const char *name, const char *origin)
{
	char *d = closure_expand(dir, origin), *path;

	if (!d || d[0] != '/') {
		free(d);
		return NULL;
	}
	path = path_join(d, name);
	free(d);
	if (closure_usable(path))
		return path;
	free(path);
	return NULL;
}

/* The host path where ld.so would find `name` for this object, or NULL. */
static char *closure_find(struct add_ctx *c, const char *name, const struct elf_info *info,
			  const char *origin)
{
	char *found = NULL;

	if (strchr(name, '/'))
		return closure_usable(name) ? xstrdup(name) : NULL;
	if (!info->runpath.n)
		for (size_t i = 0; i < info->rpath.n && !found; i++)
			found = closure_try(info->rpath.v[i], name, origin);
	for (size_t i = 0; i < info->runpath.n && !found; i++)
		found = closure_try(info->runpath.v[i], name, origin);
	for (size_t i = 0; i < c->ldirs.n && !found; i++)
		found = closure_try(c->ldirs.v[i], name, origin);
	return found;
}

void add_elf_closure(struct add_ctx *c, const char *host, const char *img, bool strict)
{
	struct elf_info info;
	char *origin;
	int r = elf_read(host, &info);

	if (r < 0) {
		cli_warn("%s: not a well-formed ELF file (%s); its libraries were not added", host,
			 strerror(-r));
		elf_free(&info);
		return;
	}
	if (info.kind != ELF_X86_64) {
		elf_free(&info);
		return;
	}
	origin = path_dirname(img);
	if (info.interp) {
		char *why = xasprintf("PT_INTERP of %s", img);
		char *ip = path_normalize(info.interp);
		if (ip)
			add_path(c, info.interp, ip, why, strict);
		free(ip);
		free(why);
	}
	for (size_t i = 0; i < info.needed.n; i++) {
		char *lib = closure_find(c, info.needed.v[i], &info, origin);
		char *why = xasprintf("DT_NEEDED of %s", img);
		if (lib) {
			char *ip = path_normalize(lib);
			add_path(c, lib, ip ? ip : lib, why, strict);
			free(ip);
		} else if (strict) {
			cli_error("%s (needed by %s) not found in its RUNPATH/RPATH, /etc/ld.so.conf "
				  "or the default library directories; install it on the host",
				  info.needed.v[i], host);
			c->errors++;
		} else {
			cli_warn("%s (needed by %s) not found on the host; that file will not load",
				 info.needed.v[i], host);
			c->warnings++;
		}
		free(why);
		free(lib);
	}
	free(origin);
	elf_free(&info);
}
