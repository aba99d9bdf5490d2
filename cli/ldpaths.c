/* cli/ldpaths.c — the host loader's library directories, in its search order: the ones in
 * /etc/ld.so.conf and the files it includes (glob patterns, relative to the including file's
 * directory), then the built-in defaults. Each directory is listed once. */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void ldpaths_file(const char *conf, struct strvec *dirs, int depth);

static void ldpaths_include(const char *conf, const char *pattern, struct strvec *dirs, int depth)
{
	char *dir = path_dirname(conf);
	char *pat = pattern[0] == '/' ? xstrdup(pattern) : path_join(dir, pattern);
	glob_t g;

	if (glob(pat, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)	/* glob sorts, as ldconfig does */
			ldpaths_file(g.gl_pathv[i], dirs, depth + 1);
		globfree(&g);
	}
	free(dir);
	free(pat);
}

static void ldpaths_file(const char *conf, struct strvec *dirs, int depth)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;

	if (depth > 8 || !(f = fopen(conf, "re")))
		return;
	while (getline(&line, &cap, f) >= 0) {
		char *s = line, *e;
		line[strcspn(line, "#\n")] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		e = s + strlen(s);
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			*--e = '\0';
		if (!*s)
			continue;
		if (strncmp(s, "include", 7) == 0 && (s[7] == ' ' || s[7] == '\t')) {
			s += 8;
			while (*s == ' ' || *s == '\t')
				s++;
			ldpaths_include(conf, s, dirs, depth);
		} else if (s[0] == '/' && !strvec_has(dirs, s)) {
			strvec_push(dirs, s);
		}
	}
	free(line);
	fclose(f);
}

int ldpaths_load(const char *conf, struct strvec *dirs)
{
	static const char *const defaults[] = {
		"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64",
		"/lib", "/usr/lib",
	};

	ldpaths_file(conf, dirs, 0);
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (!strvec_has(dirs, defaults[i]))
			strvec_push(dirs, defaults[i]);
	return 0;
}
