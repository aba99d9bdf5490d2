/* cli/size.c — parsing and printing of sizes. A size is a count of bytes, optionally followed
 * by K, M, G or T (case-insensitive) and an optional "B" or "iB"; every unit is a power of 1024. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int size_unit_shift(char c)
{
	switch (toupper((unsigned char)c)) {
	case 'K': return 10;
	case 'M': return 20;
	case 'G': return 30;
	case 'T': return 40;
	case 'P': return 50;
	default: return -1;
	}
}

int size_parse(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;
	int shift = 0;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		uint64_t d = (uint64_t)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	while (*p == ' ')
		p++;
	if (*p && size_unit_shift(*p) >= 0) {
		shift = size_unit_shift(*p++);
		if (*p == 'i' || *p == 'I') {
			p++;
			if (*p != 'B' && *p != 'b')
				return -EINVAL;	/* "8Mi" without the B */
		}
		if (*p == 'B' || *p == 'b')
			p++;
	} else if (*p == 'B' || *p == 'b') {
		p++;
	}
	if (*p)
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

void size_format(uint64_t n, char out[32])
{
	static const char units[] = "KMGTP";
	int u = -1;

	while (n && (n & 1023) == 0 && u < 4) {
		n >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(out, 32, "%llu", (unsigned long long)n);
	else
		snprintf(out, 32, "%llu%c", (unsigned long long)n, units[u]);
}
