/* tests/unit/cli_path.c — lexical paths (cli/path.c) and the string set (cli/strset.c) that
 * `cella add` uses to visit each image path once. */
#include <stdio.h>
#include <string.h>

#include "../../cli/path.c"
#include "../../cli/strset.c"
#include "../../cli/util.c"

static int failures;

static void expect_norm(const char *in, const char *want)
{
	char *got = path_normalize(in);
	if ((!got && !want) || (got && want && strcmp(got, want) == 0)) {
		printf("ok normalize(\"%s\") = %s\n", in, want ? want : "NULL");
	} else {
		printf("FAIL normalize(\"%s\"): expected %s, got %s\n", in, want ? want : "NULL",
		       got ? got : "NULL");
		failures++;
	}
	free(got);
}

#define CHECK(name, cond)                                                                  \
	do {                                                                               \
		if (cond) {                                                                \
			printf("ok %s\n", name);                                           \
		} else {                                                                   \
			printf("FAIL %s: expected %s\n", name, #cond);                     \
			failures++;                                                        \
		}                                                                          \
	} while (0)

int main(void)
{
	struct strset s = { 0 };
	char name[32];
	bool all_new = true, all_seen = true;
	char *d;

	expect_norm("/", "/");
	expect_norm("//", "/");
	expect_norm("/a/b/", "/a/b");
	expect_norm("/a//b/./c", "/a/b/c");
	expect_norm("/a/b/../c", "/a/c");
	expect_norm("/../..", "/");
	expect_norm("/lib64/../lib/x86_64-linux-gnu/ld.so", "/lib/x86_64-linux-gnu/ld.so");
	expect_norm("a/b", NULL);
	CHECK("canonical: /usr/bin", path_is_canonical("/usr/bin"));
	CHECK("not canonical: /usr/bin/", !path_is_canonical("/usr/bin/"));
	CHECK("not canonical: relative", !path_is_canonical("usr"));
	CHECK("under: /bin/ls under /bin", path_is_under("/bin/ls", "/bin"));
	CHECK("under: /bin under /bin", path_is_under("/bin", "/bin"));
	CHECK("not under: /binx under /bin", !path_is_under("/binx/ls", "/bin"));
	CHECK("under: everything under /", path_is_under("/etc/passwd", "/"));
	d = path_dirname("/a/b");
	CHECK("dirname /a/b is /a", strcmp(d, "/a") == 0);
	free(d);
	d = path_dirname("/a");
	CHECK("dirname /a is /", strcmp(d, "/") == 0);
	free(d);
	d = path_join("/", "x");
	CHECK("join / x is /x", strcmp(d, "/x") == 0);
	free(d);
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "/lib/%d.so", i);
		all_new &= strset_add(&s, name);
	}
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "/lib/%d.so", i);
		all_seen &= !strset_add(&s, name);
	}
	CHECK("strset: 1000 new strings are added", all_new && s.n == 1000);
	CHECK("strset: adding them again reports them present", all_seen && s.n == 1000);
	strset_free(&s);
	return failures ? 1 : 0;
}
