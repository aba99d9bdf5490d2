/* tests/unit/unit.h — the shared check harness of the host unit tests: counters, CHECK for a
 * named condition, and finish(), which repeats the failure lines at the end (where the runner's
 * log excerpt shows them) and gives the exit status. */
#ifndef CELLA_UNIT_H
#define CELLA_UNIT_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, checks;
static char *failed_lines[64];

static void remember_failure(const char *line)
{
	if (failures < 64)
		failed_lines[failures] = strdup(line);
	failures++;
}

static int finish(void)
{
	printf("%d checks, %d failed\n", checks, failures);
	for (int i = 0; i < failures && i < 64; i++)
		printf("%s\n", failed_lines[i]);
	return failures ? 1 : 0;
}

/* result(COND, WHAT, FMT, ...): an ok line, or a FAIL line with the expected-vs-got text. */
static void __attribute__((format(printf, 3, 4), unused))
result(int cond, const char *what, const char *fmt, ...)
{
	checks++;
	if (cond) {
		printf("ok %s\n", what);
		return;
	}
	char line[1024];
	int n = snprintf(line, sizeof(line), "FAIL %s: ", what);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	printf("%s\n", line);
	remember_failure(line);
}

#define CHECK(name, cond)                                                                  \
	do {                                                                               \
		checks++;                                                                  \
		if (cond) {                                                                \
			printf("ok %s\n", name);                                           \
		} else {                                                                   \
			char line_[512];                                                   \
			snprintf(line_, sizeof(line_), "FAIL %s: expected %s", name, #cond); \
			printf("%s\n", line_);                                             \
			remember_failure(line_);                                           \
		}                                                                          \
	} while (0)

/* Allocator tests: fill a block with bytes derived from a tag, and check they are still there. */
static void __attribute__((unused)) fill(unsigned char *p, size_t n, unsigned tag)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(tag * 31 + i);
}

static int __attribute__((unused)) intact(const unsigned char *p, size_t n, unsigned tag)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(tag * 31 + i))
			return 0;
	return 1;
}

/* xorshift64: repeatable pseudo-random numbers from a test's own seed (*state, nonzero). */
static uint64_t __attribute__((unused)) xorshift64(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

#endif
