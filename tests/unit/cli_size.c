/* tests/unit/cli_size.c — size parsing and printing (cli/size.c): every accepted spelling,
 * every rejected one, overflow, and exact formatting of range limits. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../cli/size.c"
#include "../../cli/util.c"

static int failures;

static void expect_size(const char *s, uint64_t want)
{
	uint64_t got = 0;
	int r = size_parse(s, &got);
	if (r == 0 && got == want) {
		printf("ok size \"%s\" is %llu bytes\n", s, (unsigned long long)want);
	} else {
		printf("FAIL size \"%s\": expected %llu, got %llu (r=%d)\n", s,
		       (unsigned long long)want, (unsigned long long)got, r);
		failures++;
	}
}

static void expect_error(const char *s, int want)
{
	uint64_t got = 0;
	int r = size_parse(s, &got);
	if (r == want) {
		printf("ok size \"%s\" is rejected (%s)\n", s, want == -ERANGE ? "ERANGE" : "EINVAL");
	} else {
		printf("FAIL size \"%s\": expected error %d, got %d (value %llu)\n", s, want, r,
		       (unsigned long long)got);
		failures++;
	}
}

static void expect_format(uint64_t n, const char *want)
{
	char got[32];
	size_format(n, got);
	if (strcmp(got, want) == 0) {
		printf("ok %llu formats as %s\n", (unsigned long long)n, want);
	} else {
		printf("FAIL format %llu: expected %s, got %s\n", (unsigned long long)n, want, got);
		failures++;
	}
}

int main(void)
{
	expect_size("0", 0);
	expect_size("4096", 4096);
	expect_size("64K", 64ULL << 10);
	expect_size("64k", 64ULL << 10);
	expect_size("8M", 8ULL << 20);
	expect_size("8MiB", 8ULL << 20);
	expect_size("8MB", 8ULL << 20);
	expect_size("8mb", 8ULL << 20);
	expect_size("4G", 4ULL << 30);
	expect_size("1T", 1ULL << 40);
	expect_size("128T", 128ULL << 40);
	expect_size("100B", 100);
	expect_error("", -EINVAL);
	expect_error("M", -EINVAL);
	expect_error("-1", -EINVAL);
	expect_error("4Q", -EINVAL);
	expect_error("8Mi", -EINVAL);
	expect_error("8MBB", -EINVAL);
	expect_error("1.5G", -EINVAL);
	expect_error("99999999999999999999", -ERANGE);
	expect_error("16777216T", -ERANGE);
	expect_format(16ULL << 20, "16M");
	expect_format(128ULL << 40, "128T");
	expect_format(1536ULL << 10, "1536K");
	expect_format(1000, "1000");
	return failures ? 1 : 0;
}
