/* tests/unit/cli_suggest.c — edit distance and did-you-mean (cli/suggest.c): typos within two
 * edits are suggested, transpositions count as one edit, unrelated words get no suggestion. */
#include <stdio.h>
#include <string.h>

#include "../../cli/suggest.c"
#include "../../cli/util.c"

static int failures;
static const char *const keys[] = { "entry_points", "env", "resource_limits", "process",
				    "mounts", "metadata", "security" };

static void expect_distance(const char *a, const char *b, size_t want)
{
	size_t got = edit_distance(a, b);
	if (got == want) {
		printf("ok distance(%s, %s) = %zu\n", a, b, want);
	} else {
		printf("FAIL distance(%s, %s): expected %zu, got %zu\n", a, b, want, got);
		failures++;
	}
}

static void expect_hint(const char *word, const char *want)
{
	const char *got = suggest_word(word, keys, sizeof(keys) / sizeof(keys[0]));
	if ((!got && !want) || (got && want && strcmp(got, want) == 0)) {
		printf("ok \"%s\" suggests %s\n", word, want ? want : "nothing");
	} else {
		printf("FAIL \"%s\": expected suggestion %s, got %s\n", word, want ? want : "(none)",
		       got ? got : "(none)");
		failures++;
	}
}

int main(void)
{
	expect_distance("", "", 0);
	expect_distance("abc", "abc", 0);
	expect_distance("abc", "abd", 1);
	expect_distance("abc", "acb", 1);
	expect_distance("kitten", "sitting", 3);
	expect_distance("", "abc", 3);
	expect_hint("secruity", "security");
	expect_hint("mount", "mounts");
	expect_hint("entry_point", "entry_points");
	expect_hint("evn", "env");
	expect_hint("resource_limit", "resource_limits");
	expect_hint("zzz", NULL);
	expect_hint("hostname", NULL);
	expect_hint("security", NULL);	/* an exact match is not a typo */
	return failures ? 1 : 0;
}
