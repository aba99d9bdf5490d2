/* tests/unit/rt_uaccess.c — the reserved-range set behind uaccess_ok (libos/entry/usercopy.c) on
 * the host: thousands of ranges reserved in random order (touching, overlapping, nested), checked
 * against a brute-force page map; the set must grow past its first array without losing any. */
#include "unit.h"
#include <stdint.h>
#include "../../libos/entry/usercopy.c"
#include "../../lib/alloc.c"

/* ---- stubs for what usercopy.c calls -------------------------------------------------------- */
char uaccess_begin[1], uaccess_end[1], uaccess_fault[1];
long uaccess_copy(void *d, const void *s, size_t n) { memcpy(d, s, n); return 0; }
long uaccess_clear(void *d, size_t n) { memset(d, 0, n); return 0; }
long uaccess_strncpy(char *d, const char *s, size_t max)
{
	size_t i = 0;
	for (; i < max && (d[i] = s[i]); i++)
		;
	return (long)i;
}
int log_level;
void log_write(int level, const char *fmt, ...) { (void)level, (void)fmt; }
void libos_panic(const char *fmt, ...)
{
	printf("panic: %s\n", fmt);
	exit(2);
}

#define PAGES 4096
#define PG 4096ull
static unsigned char model[PAGES];

static uint64_t rng = 88172645463325252ull;

int main(void)
{
	static char arena[64 << 20];
	heap_init(arena, sizeof(arena));
	uint64_t base = 0x10000000ull;
	int bad = 0, checks_done = 0;
	for (int i = 0; i < 3000; i++) {
		uint64_t a = xorshift64(&rng) % PAGES, n = 1 + xorshift64(&rng) % 4;
		if (a + n > PAGES)
			n = PAGES - a;
		uaccess_reserve(base + a * PG, base + (a + n) * PG);
		for (uint64_t p = a; p < a + n; p++)
			model[p] = 1;
		for (int q = 0; q < 8; q++, checks_done++) {
			uint64_t s = xorshift64(&rng) % PAGES, len = 1 + xorshift64(&rng) % 6;
			if (s + len > PAGES)
				len = PAGES - s;
			int want = 1;
			for (uint64_t p = s; p < s + len; p++)
				if (model[p])
					want = 0;
			if (uaccess_ok(base + s * PG, len * PG) != want && bad++ < 3)
				printf("after %d reservations: uaccess_ok(page %lu, %lu pages) = %d, model %d\n", i + 1,
				       (unsigned long)s, (unsigned long)len, !want, want);
		}
	}
	result(bad == 0, "uaccess_ok agrees with the page model", "%d of %d checks differ", bad, checks_done);
	int sorted = 1;
	uint64_t (*r)[2] = rs.r ? rs.r : rs.first;
	for (int i = 1; i < rs.n; i++)
		if (r[i - 1][1] >= r[i][0])	/* touching ranges must have merged */
			sorted = 0;
	result(sorted, "ranges stay sorted, disjoint and merged", "%d ranges", rs.n);
	result(rs.cap > 64, "the set grew past its first array", "cap %d", rs.cap);
	CHECK("a range that wraps is refused", !uaccess_ok(~0ull - 10, 100));
	CHECK("a range above the user half is refused", !uaccess_ok(0x7ffffffff000ull, 1));
	return finish();
}
