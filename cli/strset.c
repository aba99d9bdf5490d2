/* cli/strset.c — a set of strings (open addressing, FNV-1a hash), used by `cella add` to visit
 * each image path once. The table is at most half full, so probes stay short. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static uint64_t strset_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ULL;
	return h;
}

static void strset_grow(struct strset *set)
{
	struct strset bigger = { .cap = set->cap ? set->cap * 2 : 64 };

	bigger.slot = xcalloc(bigger.cap, sizeof(char *));
	for (size_t i = 0; i < set->cap; i++) {
		char *s = set->slot[i];
		size_t j;
		if (!s)
			continue;
		for (j = strset_hash(s) & (bigger.cap - 1); bigger.slot[j]; j = (j + 1) & (bigger.cap - 1))
			;
		bigger.slot[j] = s;
	}
	bigger.n = set->n;
	free(set->slot);
	*set = bigger;
}

bool strset_add(struct strset *set, const char *s)
{
	size_t j;

	if (2 * (set->n + 1) > set->cap)
		strset_grow(set);
	for (j = strset_hash(s) & (set->cap - 1); set->slot[j]; j = (j + 1) & (set->cap - 1))
		if (strcmp(set->slot[j], s) == 0)
			return false;
	set->slot[j] = xstrdup(s);
	set->n++;
	return true;
}

void strset_free(struct strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
	memset(set, 0, sizeof(*set));
}
