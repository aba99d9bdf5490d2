/* cli/padding.c — proves inter-function padding that no execution can reach, and hands out 5-byte
 * slots in it to short syscall sites (a 2-byte `jmp rel8` lands in the slot, which the runtime
 * fills with a `jmp rel32` to the trampoline). Pure byte logic, no decoder: unit-testable. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define PAD_SLOT 5	/* e9 rel32 */

/* Length of one fill instruction at b[0..n): int3, nop, `66 90`, or the multi-byte nop
 * `[66|2e]* 0f 1f /0` with any operand form, as assemblers emit for alignment; 0 if b holds
 * anything else. A multi-byte nop's operand is never dereferenced, so every form is inert. */
static size_t pad_fill_len(const uint8_t *b, size_t n)
{
	size_t k = 0, len;
	unsigned mod, rm;

	if (n && b[0] == 0xcc)
		return 1;
	while (k < n && k < 8 && (b[k] == 0x66 || b[k] == 0x2e))
		k++;
	if (k < n && b[k] == 0x90 && (k == 0 || b[k - 1] == 0x66))
		return k + 1;
	if (n - k < 3 || b[k] != 0x0f || b[k + 1] != 0x1f || ((b[k + 2] >> 3) & 7) != 0)
		return 0;
	mod = b[k + 2] >> 6;
	rm = b[k + 2] & 7;
	len = k + 3;
	if (mod != 3 && rm == 4) {	/* SIB */
		if (len >= n)
			return 0;
		if (mod == 0 && (b[len] & 7) == 5)
			len += 4;	/* no base: disp32 */
		len++;
	}
	if (mod == 1)
		len += 1;
	else if (mod == 2 || (mod == 0 && rm == 5))
		len += 4;
	return len <= n ? len : 0;
}

bool pad_is_fill(const uint8_t *b, size_t n)
{
	while (n) {
		size_t l = pad_fill_len(b, n);
		if (!l)
			return false;
		b += l;
		n -= l;
	}
	return true;
}

bool pad_has_target(const uint64_t *t, size_t nt, uint64_t lo, uint64_t hi)
{
	size_t a = 0, b = nt;
	while (a < b) {		/* first target >= lo */
		size_t m = (a + b) / 2;
		if (t[m] < lo)
			a = m + 1;
		else
			b = m;
	}
	return a < nt && t[a] < hi;
}

void pad_add(struct pad_map *m, uint64_t start, uint64_t len)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = xrealloc(m->v, m->cap * sizeof(*m->v));
	}
	m->v[m->n++] = (struct pad_area){ .start = start, .len = len };
}

static int pad_cmp(const void *a, const void *b)
{
	const struct pad_area *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

void pad_sort(struct pad_map *m)
{
	size_t k = 0;

	if (!m->n)
		return;
	qsort(m->v, m->n, sizeof(*m->v), pad_cmp);
	for (size_t i = 1; i < m->n; i++)	/* the same run seen by two ranges: keep one */
		if (m->v[i].start >= m->v[k].start + m->v[k].len)
			m->v[++k] = m->v[i];
	m->n = k + 1;
}

void pad_find_areas(const uint8_t *d, size_t size, const struct fn_range *r, const bool *ends_jump,
		    size_t n, const uint64_t *targets, size_t ntargets, struct pad_map *out)
{
	uint64_t cov = 0;	/* end of the coverage so far */
	bool cov_ok = false;	/* every range ending at cov ends in an unconditional jump or ret */

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		uint64_t s = r[i].start, e = r[i].start + r[i].len;
		if (i && s > cov && cov_ok && s - cov >= PAD_SLOT && s <= size &&
		    pad_is_fill(d + cov, (size_t)(s - cov)) &&
		    !pad_has_target(targets, ntargets, cov, s))
			pad_add(out, cov, s - cov);
		if (e > cov) {
			cov = e;
			cov_ok = ends_jump[i];
		} else if (e == cov) {
			cov_ok = cov_ok && ends_jump[i];
		}
	}
}

/* An unused slot whose first byte a `jmp rel8` ending at `from` reaches (rel8 in -128..127). */
bool pad_claim(struct pad_map *m, uint64_t from, uint64_t *slot)
{
	uint64_t lo = from >= 128 ? from - 128 : 0, hi = from + 127;

	for (size_t i = 0; i < m->n; i++) {
		struct pad_area *a = &m->v[i];
		uint64_t s = a->start + (uint64_t)a->used * PAD_SLOT;
		if (a->start + a->len < lo || a->start > hi)
			continue;
		while (s + PAD_SLOT <= a->start + a->len && s < lo)
			s += PAD_SLOT;	/* sites come in offset order: none later reaches these */
		if (s + PAD_SLOT <= a->start + a->len && s >= lo && s <= hi) {
			a->used = (uint32_t)((s - a->start) / PAD_SLOT + 1);
			*slot = s;
			return true;
		}
	}
	return false;
}

void pad_free(struct pad_map *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}
