/* tests/unit/cli_padding.c — the padding proof of cli/padding.c: fill recognised, a gap between
 * functions accepted only when nothing can reach it (covered by no range, all fill, after a ret or
 * jmp, no branch target inside), and slots handed out once, only within jmp rel8 reach. */
#include "../../cli/padding.c"
#include "../../cli/util.c"

#include "unit.h"

/* Two functions: f at [0, 16) ending in ret, 16 bytes of fill, g at [32, 48). */
static uint8_t code[48];

static void reset(void)
{
	memset(code, 0x55, sizeof(code));	/* push %rbp: not fill */
	code[15] = 0xc3;			/* f ends in ret */
	static const uint8_t fill[16] = { 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0,	/* cs nopw */
					  0x0f, 0x1f, 0x44, 0, 0,			/* nopl */
					  0xcc };
	memcpy(code + 16, fill, 16);
}

static size_t areas(const struct fn_range *r, const bool *ends, size_t n, const uint64_t *t,
		    size_t nt, struct pad_map *m)
{
	pad_find_areas(code, sizeof(code), r, ends, n, t, nt, m);
	return m->n;
}

int main(void)
{
	struct fn_range two[] = { { 0, 16 }, { 32, 16 } };
	bool ends[] = { true, true }, falls[] = { false, true };
	struct pad_map m;
	uint64_t slot;

	CHECK("multi-byte nops, nop, xchg %ax,%ax and int3 are fill",
	      pad_is_fill((const uint8_t *)"\x0f\x1f\x00\x90\x66\x90\xcc\x0f\x1f\x40\x00", 11));
	CHECK("a data16 cs nopw with SIB and disp32 is fill",
	      pad_is_fill((const uint8_t *)"\x66\x66\x2e\x0f\x1f\x84\x00\x00\x00\x00\x00", 11));
	CHECK("a truncated multi-byte nop is not fill", !pad_is_fill((const uint8_t *)"\x0f\x1f\x44\x00", 4));
	CHECK("endbr64 is not fill", !pad_is_fill((const uint8_t *)"\xf3\x0f\x1e\xfa", 4));
	CHECK("0f 1f with a nonzero reg field is not fill", !pad_is_fill((const uint8_t *)"\x0f\x1f\x48\x00", 4));
	CHECK("ret is not fill", !pad_is_fill((const uint8_t *)"\xc3", 1));

	reset();
	CHECK("the fill between two functions after a ret is one area", areas(two, ends, 2, NULL, 0, &m) == 1 &&
	      m.v[0].start == 16 && m.v[0].len == 16);
	CHECK("a jmp rel8 from just after a site at 10 gets the first slot", pad_claim(&m, 12, &slot) && slot == 16);
	CHECK("the next site gets the next slot, never the same one", pad_claim(&m, 14, &slot) && slot == 21);
	CHECK("three slots fit in 16 bytes", pad_claim(&m, 14, &slot) && slot == 26);
	CHECK("a fourth does not", !pad_claim(&m, 14, &slot));
	pad_free(&m);

	areas(two, ends, 2, NULL, 0, &m);
	CHECK("a slot 128 bytes back from the jmp is in reach", pad_claim(&m, 16 + 128, &slot) && slot == 16);
	CHECK("none 129 bytes back is", !pad_claim(&m, 26 + 129, &slot));
	pad_free(&m);
	struct pad_map far = { 0 };
	pad_add(&far, 200, 5);
	CHECK("a slot 128 bytes ahead is out of reach", !pad_claim(&far, 72, &slot));
	CHECK("one 127 bytes ahead is in reach", pad_claim(&far, 73, &slot) && slot == 200);
	pad_free(&far);

	struct fn_range cover[] = { { 0, 16 }, { 8, 20 }, { 32, 16 } };
	bool ends3[] = { true, true, true };
	CHECK("bytes inside any function range are not padding (what is left is too short)",
	      areas(cover, ends3, 3, NULL, 0, &m) == 0);
	pad_free(&m);

	struct fn_range covered_all[] = { { 0, 16 }, { 12, 24 }, { 32, 16 } };
	CHECK("a gap a range covers entirely is no area", areas(covered_all, ends3, 3, NULL, 0, &m) == 0);
	pad_free(&m);

	CHECK("a gap after a function that may fall through (no ret or jmp at its end) is refused",
	      areas(two, falls, 2, NULL, 0, &m) == 0);
	pad_free(&m);

	struct fn_range same_end[] = { { 0, 16 }, { 4, 12 }, { 32, 16 } };
	bool one_falls[] = { true, false, true };
	CHECK("a gap is refused if any of the ranges ending at it may fall through",
	      areas(same_end, one_falls, 3, NULL, 0, &m) == 0);
	pad_free(&m);

	uint64_t target_in[] = { 3, 20 }, target_edge[] = { 32 };
	CHECK("a gap holding a direct branch target is refused", areas(two, ends, 2, target_in, 2, &m) == 0);
	pad_free(&m);
	CHECK("a branch to the next function's start does not matter", areas(two, ends, 2, target_edge, 1, &m) == 1);
	pad_free(&m);

	reset();
	code[26] = 0xc3;	/* where the nopl starts */
	CHECK("a gap with a non-fill byte is refused", areas(two, ends, 2, NULL, 0, &m) == 0);
	pad_free(&m);

	reset();
	struct fn_range tight[] = { { 0, 16 }, { 20, 28 } };
	CHECK("a gap of 4 bytes holds no slot", areas(tight, ends, 2, NULL, 0, &m) == 0);
	pad_free(&m);

	struct pad_map mm = { 0 };
	pad_add(&mm, 40, 8);
	pad_add(&mm, 16, 8);
	pad_add(&mm, 16, 8);
	pad_sort(&mm);
	CHECK("pad_sort orders areas and drops one seen twice", mm.n == 2 && mm.v[0].start == 16 && mm.v[1].start == 40);
	pad_free(&mm);
	return finish();
}
