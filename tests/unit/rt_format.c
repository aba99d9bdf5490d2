/* tests/unit/rt_format.c — lib/format.c on the host: fmt_snprintf against glibc's snprintf for
 * every supported conversion, flag, width, precision and length modifier; truncation; the
 * deliberate differences (%p of NULL); fmt_append overflow tracking and strace-style escaping. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/format.c"

#include "unit.h"

static void ok(int cond, const char *what, const char *expected, const char *got)
{
	checks++;
	if (cond) {
		printf("ok %s\n", what);
	} else {
		char line[1024];
		snprintf(line, sizeof(line), "FAIL %s: expected \"%s\", got \"%s\"", what, expected, got);
		printf("%s\n", line);
		remember_failure(line);
	}
}

static void ok_int(long got, long expected, const char *what)
{
	char e[32], g[32];
	snprintf(e, sizeof(e), "%ld", expected);
	snprintf(g, sizeof(g), "%ld", got);
	ok(got == expected, what, e, g);
}

/* Formats with both ours and glibc's and compares text and return value. */
#define SAME(fmt, ...)                                                                  \
	do {                                                                            \
		char ours_[256], ref_[256], what_[300];                                 \
		int on_ = fmt_snprintf(ours_, sizeof(ours_), fmt, __VA_ARGS__);         \
		int rn_ = snprintf(ref_, sizeof(ref_), fmt, __VA_ARGS__);               \
		snprintf(what_, sizeof(what_), "\"%s\" with %s like glibc", fmt, #__VA_ARGS__); \
		ok(on_ == rn_ && strcmp(ours_, ref_) == 0, what_, ref_, ours_);          \
	} while (0)

/* No format attribute: lets the test pass formats gcc would warn about. */
static int raw_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static int raw_glibc_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* SAME for formats whose flags gcc flags as ignored (they are still valid C). */
#define SAME_RAW(fmt, ...)                                                              \
	do {                                                                            \
		char ours_[256], ref_[256], what_[300];                                 \
		int on_ = raw_snprintf(ours_, sizeof(ours_), fmt, __VA_ARGS__);         \
		int rn_ = raw_glibc_snprintf(ref_, sizeof(ref_), fmt, __VA_ARGS__);     \
		snprintf(what_, sizeof(what_), "\"%s\" with %s like glibc", fmt, #__VA_ARGS__); \
		ok(on_ == rn_ && strcmp(ours_, ref_) == 0, what_, ref_, ours_);          \
	} while (0)

/* Formats with ours only and compares with a fixed expectation. */
#define OURS(expect, fmt, ...)                                                          \
	do {                                                                            \
		char ours_[256], what_[300];                                            \
		int on_ = fmt_snprintf(ours_, sizeof(ours_), fmt, __VA_ARGS__);         \
		snprintf(what_, sizeof(what_), "\"%s\" with %s gives \"%s\"", fmt, #__VA_ARGS__, expect); \
		ok(on_ == (int)strlen(expect) && strcmp(ours_, expect) == 0, what_, expect, ours_); \
	} while (0)

static void test_integers(void)
{
	SAME("%d", 0);
	SAME("%d", 42);
	SAME("%d", -42);
	SAME("%d", INT_MAX);
	SAME("%d", INT_MIN);
	SAME("%i", -7);
	SAME("%u", 0u);
	SAME("%u", UINT_MAX);
	SAME("%x", 0xdeadbeefu);
	SAME("%X", 0xdeadbeefu);
	SAME("%o", 8u);
	SAME("%o", 0u);
	SAME("%ld", LONG_MIN);
	SAME("%ld", LONG_MAX);
	SAME("%lld", (long long)INT64_MIN);
	SAME("%lli", (long long)INT64_MAX);
	SAME("%lu", ULONG_MAX);
	SAME("%llx", 0x123456789abcdefULL);
	SAME("%lo", ULONG_MAX);
	SAME("%zu", SIZE_MAX);
	SAME("%zd", (ssize_t)-5);
	SAME("%zx", (size_t)0xabc);
	SAME("%hd", (short)-1234);
	SAME("%hu", (unsigned short)65535);
	SAME("%hhd", (signed char)-5);
	SAME("%hhu", (unsigned char)200);
	SAME("%hx", (unsigned short)0xbeef);
	/* The argument is promoted to int; h/hh convert it back before printing (C11 7.21.6.1). */
	SAME("%hhx", (char)-1);
	SAME("%hhu", (signed char)-1);
	SAME("%hu", (short)-1);
	SAME("%hhd", 300);
	SAME("%hd", 70000);
}

static void test_flags_width_precision(void)
{
	SAME("[%5d]", 42);
	SAME("[%-5d]", 42);
	SAME("[%05d]", 42);
	SAME("[%05d]", -42);
	SAME_RAW("[%-05d]", 42);
	SAME("[%2d]", 12345);
	SAME("[%.3d]", 7);
	SAME("[%.3d]", -7);
	SAME("[%8.3d]", -7);
	SAME("[%-8.3d]", 7);
	SAME_RAW("[%08.3d]", 7);
	SAME("[%.0d]", 0);
	SAME("[%5.0d]", 0);
	SAME("[%.0x]", 0u);
	SAME("[%#x]", 255u);
	SAME("[%#X]", 255u);
	SAME("[%#o]", 8u);
	SAME("[%#x]", 0u);
	SAME("[%#o]", 0u);
	SAME("[%#08x]", 255u);
	SAME("[%#-8x]", 255u);
	SAME("[%#10.4x]", 255u);
	SAME("[%08x]", 0xabcu);
	SAME("[%-#10lx]", 0xfeedUL);
	SAME("[%016lx]", 0x1234UL);
	SAME("[%*d]", 6, 42);
	SAME("[%-*d]", 6, 42);
	SAME("[%*d]", -6, 42);
	SAME("[%.*d]", 4, 42);
	SAME("[%*.*d]", 8, 4, -42);
	SAME("[%.*d]", -1, 42);
	SAME("[%c]", 'A');
	SAME("[%5c]", 'A');
	SAME("[%-5c]", 'A');
	SAME("[%s]", "hello");
	SAME("[%10s]", "hello");
	SAME("[%-10s]", "hello");
	SAME("[%.2s]", "hello");
	SAME("[%8.2s]", "hello");
	SAME("[%-8.2s]", "hello");
	SAME("[%.*s]", 3, "hello");
	SAME("[%*s]", -7, "hi");
	SAME("[%.10s]", "hi");
	SAME("[%s]", "");
	SAME("[%%]%s", "");
	SAME("a%db%sc%xd%%e", 1, "two", 3u);
}

static void test_pointers(void)
{
	int x;
	void *p = &x;
	SAME("%p", p);
	SAME("[%20p]", p);
	SAME("[%-20p]", p);
	SAME("%p", (void *)0x1000);
	/* glibc prints "(nil)"; cella deliberately prints "NULL". */
	void *volatile nullp = NULL;
	OURS("NULL", "%p", nullp);
	OURS("[  NULL]", "[%6p]", nullp);
	OURS("[NULL  ]", "[%-6p]", nullp);
	const char *volatile nulls = NULL;
	OURS("(null)", "%s", nulls);
	OURS("[  (null)]", "[%8s]", nulls);
}

static void test_unknown_conversion(void)
{
	char buf[32];
	int n = raw_snprintf(buf, sizeof(buf), "a%yb");
	ok(n == 4 && strcmp(buf, "a%yb") == 0, "unknown conversion %y is printed literally", "a%yb", buf);
	n = raw_snprintf(buf, sizeof(buf), "end%");
	ok(n == 4 && strcmp(buf, "end%") == 0, "a lone '%' at the end is printed and stops", "end%", buf);
}

static void test_truncation(void)
{
	char buf[16];
	memset(buf, 'Z', sizeof(buf));
	int n = fmt_snprintf(buf, 5, "hello %s", "world");
	ok_int(n, 11, "truncated output returns the full length");
	ok(strcmp(buf, "hell") == 0, "truncated output keeps size-1 bytes and a NUL", "hell", buf);
	ok(buf[5] == 'Z', "truncation writes nothing past size", "Z", (char[]){ buf[5], 0 });

	memset(buf, 'Z', sizeof(buf));
	n = fmt_snprintf(buf, 6, "%s", "12345");
	ok(n == 5 && strcmp(buf, "12345") == 0, "output of exactly size-1 bytes fits", "12345", buf);

	memset(buf, 'Z', sizeof(buf));
	n = fmt_snprintf(buf, 5, "%s", "12345");
	ok(n == 5 && strcmp(buf, "1234") == 0, "output of exactly size bytes loses its last byte",
	   "1234", buf);

	memset(buf, 'Z', sizeof(buf));
	n = fmt_snprintf(buf, 1, "%d", 12345);
	ok(n == 5 && buf[0] == 0 && buf[1] == 'Z', "size 1 writes only the NUL", "", buf);

	memset(buf, 'Z', sizeof(buf));
	n = fmt_snprintf(buf, 0, "%d", 12345);
	ok(n == 5 && buf[0] == 'Z', "size 0 writes nothing and returns the full length", "Z",
	   (char[]){ buf[0], 0 });
	n = fmt_snprintf(NULL, 0, "%s=%d", "abc", -1);
	ok_int(n, 6, "size 0 with a NULL buffer measures the output");

	memset(buf, 'Z', sizeof(buf));
	n = fmt_snprintf(buf, 4, "[%10d]", 7);
	ok(n == 12 && strcmp(buf, "[  ") == 0 && buf[4] == 'Z',
	   "padding is truncated like text", "[  ", buf);
}

static void test_append(void)
{
	char buf[16];
	memset(buf, 'Z', sizeof(buf));
	struct fmt_buf b = { buf, 10, 0 };
	fmt_append(&b, "%s", "abc");
	fmt_append(&b, "-%d-", 42);
	ok(b.len == 7 && strcmp(buf, "abc-42-") == 0, "fmt_append concatenates", "abc-42-", buf);
	fmt_append(&b, "%s", "overflow");
	ok_int((long)b.len, 15, "fmt_append counts the full length past the end");
	ok(strcmp(buf, "abc-42-ov") == 0 && buf[10] == 'Z',
	   "fmt_append keeps the buffer NUL-terminated and within size", "abc-42-ov", buf);
	fmt_append(&b, "%s", "more");
	ok(b.len == 19 && strcmp(buf, "abc-42-ov") == 0 && buf[10] == 'Z',
	   "fmt_append after overflow only counts", "abc-42-ov", buf);
}

static void test_escaped(void)
{
	char buf[128];
	struct fmt_buf b = { buf, sizeof(buf), 0 };
	static const char in[] = "a b\n\t\r\"\\~\x01\x1f\x7f\x80\xff";
	fmt_append_escaped(&b, in, sizeof(in) - 1);
	const char *want = "a b\\n\\t\\r\\\"\\\\~\\x01\\x1f\\x7f\\x80\\xff";
	ok(b.len == strlen(want) && strcmp(buf, want) == 0,
	   "escaping follows strace (\\n \\t \\r \\\" \\\\ and \\xNN)", want, buf);

	b = (struct fmt_buf){ buf, sizeof(buf), 0 };
	fmt_append_escaped(&b, "x\0y", 3);
	ok(strcmp(buf, "x\\x00y") == 0, "escaping covers embedded NUL bytes", "x\\x00y", buf);

	b = (struct fmt_buf){ buf, sizeof(buf), 0 };
	fmt_append(&b, "\"");
	fmt_append_escaped(&b, "hi", 0);
	fmt_append(&b, "\"");
	ok(strcmp(buf, "\"\"") == 0, "escaping zero bytes appends nothing", "\"\"", buf);

	char small[6];
	memset(small, 'Z', sizeof(small));
	b = (struct fmt_buf){ small, 5, 0 };
	fmt_append_escaped(&b, "\n\n\n", 3);
	ok(b.len == 6 && strcmp(small, "\\n\\n") == 0 && small[5] == 'Z',
	   "escaping into a full buffer truncates and counts", "\\n\\n", small);
}

int main(void)
{
	test_integers();
	test_flags_width_precision();
	test_pointers();
	test_unknown_conversion();
	test_truncation();
	test_append();
	test_escaped();
	return finish();
}
