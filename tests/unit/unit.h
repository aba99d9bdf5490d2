/* tests/unit/unit.h — the shared check harness of the host unit tests: counters, CHECK for a
 * named condition, and finish(), which repeats the failure lines at the end (where the runner's
 * log excerpt shows them) and gives the exit status. */
#ifndef CELLA_UNIT_H
#define CELLA_UNIT_H

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

#endif
