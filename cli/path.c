/* cli/path.c — lexical path operations on strings; nothing here touches the file system.
 * "Canonical" means absolute, no empty, "." or ".." component, and no trailing '/' except "/". */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

char *path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	if (dl && dir[dl - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

/* Collapses "//", "." and ".." (".." at the root stays at the root, as the kernel does). */
char *path_normalize(const char *abs)
{
	size_t len = strlen(abs);
	char *out;
	size_t o = 0;
	const char *p = abs;

	if (abs[0] != '/')
		return NULL;
	out = xmalloc(len + 2);
	out[o++] = '/';
	while (*p) {
		const char *comp;
		size_t cl;

		while (*p == '/')
			p++;
		comp = p;
		while (*p && *p != '/')
			p++;
		cl = (size_t)(p - comp);
		if (cl == 0 || (cl == 1 && comp[0] == '.'))
			continue;
		if (cl == 2 && comp[0] == '.' && comp[1] == '.') {
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;	/* drop the '/' before the removed component */
			continue;
		}
		if (o > 1)
			out[o++] = '/';
		memcpy(out + o, comp, cl);
		o += cl;
	}
	out[o] = '\0';
	return out;
}

bool path_is_canonical(const char *p)
{
	char *n;
	bool same;

	if (p[0] != '/')
		return false;
	n = path_normalize(p);
	same = strcmp(n, p) == 0;
	free(n);
	return same;
}

char *path_dirname(const char *p)
{
	const char *slash = strrchr(p, '/');
	char *d;

	if (!slash)
		return xstrdup(".");
	if (slash == p)
		return xstrdup("/");
	d = xmalloc((size_t)(slash - p) + 1);
	memcpy(d, p, (size_t)(slash - p));
	d[slash - p] = '\0';
	return d;
}

bool path_is_under(const char *path, const char *dir)
{
	size_t dl = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return path[0] == '/';
	if (strncmp(path, dir, dl) != 0)
		return false;
	return path[dl] == '\0' || path[dl] == '/';
}
