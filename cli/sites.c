/* cli/sites.c — proves syscall sites (manifest.h's kinds) with a real x86 decoder (Capstone): each
 * function range is decoded linearly from its start, and a site counts only where every range
 * that covers its bytes agrees on its instruction boundaries. Never a byte-pattern guess. Short
 * sites also need a padding slot in jmp rel8 reach (padding.c). */
#include <capstone/capstone.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "cli.h"

#define SITE_NR_LIMIT 1024u	/* larger immediates are not syscall numbers we dispatch */

/* Per file byte, what the decoded ranges said about it. A byte marked both ways is one that
 * two ranges decoded differently: no site may touch it. */
enum { MARK_START = 1, MARK_INSIDE = 2 };

struct sites_vec {
	struct cella_manifest_site *v;
	size_t n, cap;
};

static void sites_push(struct sites_vec *s, uint64_t off, uint32_t nr, unsigned kind, unsigned len,
		       unsigned gap)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = (struct cella_manifest_site){ .offset = off, .nr = nr, .kind = (uint8_t)kind,
						     .len = (uint8_t)len, .gap = (uint8_t)gap };
}

/* A run of fill instructions inside a range, right after an instruction that never falls
 * through (at term): alignment padding, usable once sites_find has checked it against all
 * ranges (padding_inside_ok). */
struct inner_pad {
	uint64_t term, start, end;
};

/* What the walks learn besides sites: direct branch targets (file offsets), per range whether
 * it ends, fully decoded, in an instruction that never falls through, and inner padding runs. */
struct walk_facts {
	uint64_t *targets;
	size_t ntargets, cap;
	bool *ends_jump;	/* one per range */
	struct inner_pad *inner;
	size_t ninner, inner_cap;
};

static void facts_inner(struct walk_facts *f, uint64_t term, uint64_t start, uint64_t end)
{
	if (end - start < 5)
		return;
	if (f->ninner == f->inner_cap) {
		f->inner_cap = f->inner_cap ? f->inner_cap * 2 : 256;
		f->inner = xrealloc(f->inner, f->inner_cap * sizeof(*f->inner));
	}
	f->inner[f->ninner++] = (struct inner_pad){ .term = term, .start = start, .end = end };
}

static void facts_target(struct walk_facts *f, uint64_t t)
{
	if (f->ntargets == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 1024;
		f->targets = xrealloc(f->targets, f->cap * sizeof(*f->targets));
	}
	f->targets[f->ntargets++] = t;
}

/* Registers a gap instruction may not touch: rax (the number), rcx and r11 (the syscall and the
 * trampoline use them), rsp. */
static bool sites_reg_ok(unsigned r)
{
	return r != 0 && r != 1 && r != 4 && r != 11;
}

/* True for an instruction the trampoline may replay between the mov and the syscall: a register
 * move or xor (89/8b/31 with a register operand, mod 3) or `mov $imm32,%r32` (b8+r), optionally
 * with a REX prefix, on registers sites_reg_ok allows. Such an instruction has no memory
 * operand, so it is position-independent, and it neither branches nor reads rip. */
static bool sites_is_safe_gap(const cs_insn *i)
{
	const uint8_t *b = i->bytes;
	unsigned rex = 0, n = i->size;
	if (n && (b[0] & 0xf0) == 0x40) {
		rex = b[0];
		b++, n--;
	}
	if (n == 2 && (b[0] == 0x89 || b[0] == 0x8b || b[0] == 0x31) && (b[1] >> 6) == 3) {
		unsigned reg = ((b[1] >> 3) & 7) | ((rex & 4) ? 8 : 0);
		unsigned rm = (b[1] & 7) | ((rex & 1) ? 8 : 0);
		return sites_reg_ok(reg) && sites_reg_ok(rm);
	}
	if (n == 5 && b[0] >= 0xb8 && b[0] <= 0xbf && !(rex & 8))	/* not the 10-byte movabs */
		return sites_reg_ok((unsigned)(b[0] - 0xb8) | ((rex & 1) ? 8 : 0));
	return false;
}

/* A 2- or 3-byte instruction whose only effect is to set eax/rax from nothing or from a register
 * sites_reg_ok allows (and flags, for xor): `xor %eax,%eax` (31/33 c0; *nr = 0) or a register
 * move into eax/rax (89/8b, mod 3; *nr = CELLA_SITE_NR_REG), optionally with a REX prefix. The
 * trampoline replays it, so it must not depend on where it runs: none of these does. */
static bool sites_is_short_eax(const cs_insn *i, uint32_t *nr)
{
	const uint8_t *b = i->bytes;
	unsigned rex = 0, n = i->size, reg, rm;

	if (n == 3 && (b[0] & 0xf0) == 0x40) {
		rex = b[0];
		b++, n--;
	}
	if (n != 2 || (b[1] >> 6) != 3)
		return false;
	if ((b[0] == 0x31 || b[0] == 0x33) && b[1] == 0xc0 && !(rex & 5)) {
		*nr = 0;
		return true;
	}
	reg = ((b[1] >> 3) & 7) | ((rex & 4) ? 8 : 0);
	rm = (b[1] & 7) | ((rex & 1) ? 8 : 0);
	if ((b[0] == 0x89 && rm == 0 && sites_reg_ok(reg)) ||
	    (b[0] == 0x8b && reg == 0 && sites_reg_ok(rm))) {
		*nr = CELLA_SITE_NR_REG;
		return true;
	}
	return false;
}

/* An instruction after which execution never continues at the next byte. */
static bool sites_is_terminator(const cs_insn *i)
{
	return i->id == X86_INS_RET || i->id == X86_INS_JMP || i->id == X86_INS_UD2;
}

/* The target of a relative jmp, jcc, call, loop or jrcxz; false for anything else. */
static bool sites_branch_target(const cs_insn *i, uint64_t *t)
{
	const uint8_t *b = i->bytes;
	unsigned k = 0, n = i->size;
	int64_t rel;

	while (k < n && (b[k] == 0x2e || b[k] == 0x3e || b[k] == 0xf2 || b[k] == 0x66))
		k++;	/* branch hints, bnd */
	if (k >= n)
		return false;
	if ((b[k] == 0xeb || (b[k] >= 0x70 && b[k] <= 0x7f) || (b[k] >= 0xe0 && b[k] <= 0xe3)) &&
	    n == k + 2)
		rel = (int8_t)b[k + 1];
	else if ((b[k] == 0xe8 || b[k] == 0xe9) && n == k + 5)
		rel = (int32_t)(b[k + 1] | b[k + 2] << 8 | b[k + 3] << 16 | (uint32_t)b[k + 4] << 24);
	else if (b[k] == 0x0f && n == k + 6 && b[k + 1] >= 0x80 && b[k + 1] <= 0x8f)
		rel = (int32_t)(b[k + 2] | b[k + 3] << 8 | b[k + 4] << 16 | (uint32_t)b[k + 5] << 24);
	else
		return false;
	*t = i->address + n + (uint64_t)rel;
	return true;
}

static bool sites_is_mov_eax(const cs_insn *i)
{
	return i->id == X86_INS_MOV && i->size == 5 && i->bytes[0] == 0xb8;
}

static bool sites_is_syscall(const cs_insn *i)
{
	return i->id == X86_INS_SYSCALL && i->size == 2 && i->bytes[0] == 0x0f &&
	       i->bytes[1] == 0x05;
}

/* Decodes one range, marking its instruction bytes and collecting candidate sites, branch
 * targets and whether the range ends in a terminator (*ends_jump). Returns false if decoding
 * failed before the range's end (what came before it stands). mark[0] is file offset
 * `mark_base`. */
static bool sites_walk(csh cs, cs_insn *insn, const uint8_t *d, const struct fn_range *r,
		       uint8_t *mark, uint64_t mark_base, struct sites_vec *cand,
		       struct walk_facts *facts, bool *ends_jump)
{
	const uint8_t *code = d + r->start;
	size_t left = (size_t)r->len;
	uint64_t addr = r->start, prev_mov = UINT64_MAX, prev_short = UINT64_MAX, target;
	uint32_t prev_nr = 0;	/* prev_mov: a `mov $nr,%eax` followed so far only by safe gap code */
	uint32_t short_nr = 0;	/* prev_short: the instruction just before is a short eax setter */
	unsigned short_len = 0;
	bool last_jump = false, fill;
	uint64_t term = UINT64_MAX, run = UINT64_MAX;	/* a terminator, then fill from `run` */
	uint64_t prev_at = UINT64_MAX;

	*ends_jump = false;
	/* Addresses are file offsets: Capstone's `address` only feeds relative-target printing. */
	while (left && cs_disasm_iter(cs, &code, &left, &addr, insn)) {
		uint64_t at = insn->address, this_short = UINT64_MAX;

		mark[at - mark_base] |= MARK_START;
		for (unsigned k = 1; k < insn->size; k++)
			mark[at - mark_base + k] |= MARK_INSIDE;
		/* padding.c's notion of fill, not Capstone's NOP class (endbr64 may be one). */
		fill = pad_is_fill(insn->bytes, insn->size);
		if (run != UINT64_MAX && !fill) {
			facts_inner(facts, term, run, at);
			run = UINT64_MAX;
		}
		if (run == UINT64_MAX && last_jump && fill) {
			term = prev_at;
			run = at;
		}
		if (run == UINT64_MAX)
			last_jump = sites_is_terminator(insn);
		prev_at = at;
		if (sites_branch_target(insn, &target))
			facts_target(facts, target);
		if (sites_is_syscall(insn) && prev_mov != UINT64_MAX) {
			unsigned gap = (unsigned)(at - prev_mov - 5);
			sites_push(cand, prev_mov, prev_nr, gap ? CELLA_SITE_MOV_EAX_GAP_SYSCALL :
				   CELLA_SITE_MOV_EAX_SYSCALL, 5, gap);
			prev_mov = prev_short = UINT64_MAX;
			continue;
		}
		if (sites_is_syscall(insn) && prev_short != UINT64_MAX) {
			sites_push(cand, prev_short, short_nr, CELLA_SITE_SHORT_PAD_SYSCALL, short_len, 0);
			prev_mov = prev_short = UINT64_MAX;
			continue;
		}
		if (sites_is_short_eax(insn, &short_nr)) {
			this_short = at;
			short_len = insn->size;
		}
		prev_short = this_short;
		if (prev_mov != UINT64_MAX && sites_is_safe_gap(insn) &&
		    at + insn->size - prev_mov - 5 <= CELLA_SITE_MAX_GAP)
			continue;	/* still between a mov and, perhaps, its syscall */
		prev_mov = UINT64_MAX;
		if (sites_is_mov_eax(insn)) {
			memcpy(&prev_nr, insn->bytes + 1, 4);
			if (prev_nr < SITE_NR_LIMIT)
				prev_mov = at;
		}
	}
	if (run != UINT64_MAX && left == 0)
		facts_inner(facts, term, run, addr);	/* trailing fill the range's size counts */
	*ends_jump = left == 0 && last_jump;
	return left == 0;
}

/* Every range that covered the site agrees on its boundaries: no byte from the first instruction
 * to the end of the syscall was decoded both as an instruction start and as an inner byte, the
 * first instruction, the gap and the syscall start where the site says, and the first
 * instruction's and syscall's other bytes are inner bytes. */
static bool sites_agreed(const uint8_t *mark, const struct cella_manifest_site *s)
{
	unsigned len = s->len, gap = s->gap, total = len + gap + 2;
	for (unsigned k = 0; k < total; k++)
		if (mark[k] != MARK_START && mark[k] != MARK_INSIDE)
			return false;
	if (mark[0] != MARK_START || mark[len + gap] != MARK_START || (gap && mark[len] != MARK_START))
		return false;
	for (unsigned k = 1; k < len; k++)
		if (mark[k] != MARK_INSIDE)
			return false;
	return mark[len + gap + 1] == MARK_INSIDE;
}

/* Inner padding is usable when every range that covers it, or the instruction before it, decodes
 * the same boundaries (so all see the same terminator and the same fill), no range starts inside
 * it (a function entry), and no direct branch lands inside it: then nothing can reach it. */
static bool padding_inside_ok(const struct inner_pad *ip, const uint8_t *mark, uint64_t lo,
			      const uint64_t *starts, size_t nstarts, const struct walk_facts *f)
{
	for (uint64_t k = ip->term; k < ip->end; k++)
		if (mark[k - lo] != MARK_START && mark[k - lo] != MARK_INSIDE)
			return false;
	return mark[ip->term - lo] == MARK_START && mark[ip->start - lo] == MARK_START &&
	       !pad_has_target(starts, nstarts, ip->start, ip->end) &&
	       !pad_has_target(f->targets, f->ntargets, ip->start, ip->end);
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int sites_cmp(const void *a, const void *b)
{
	const struct cella_manifest_site *x = a, *y = b;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

int sites_find(const uint8_t *d, size_t size, const struct fn_ranges *r, const char *name,
	       bool verbose, struct cella_manifest_site **out, uint32_t *n,
	       struct sites_stats *st)
{
	struct sites_vec cand = { 0 };
	struct walk_facts facts = { 0 };
	struct pad_map pads;
	uint64_t *starts;
	cs_insn *insn;
	uint8_t *mark;
	uint64_t lo = UINT64_MAX, hi = 0;
	size_t k = 0;
	csh cs;

	*out = NULL;
	*n = 0;
	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < r->n; i++) {	/* only the code span needs marks */
		if (r->v[i].start >= size || r->v[i].len > size - r->v[i].start)
			continue;
		lo = r->v[i].start < lo ? r->v[i].start : lo;
		hi = r->v[i].start + r->v[i].len > hi ? r->v[i].start + r->v[i].len : hi;
	}
	if (lo >= hi)
		return 0;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK)
		return -ENOMEM;
	insn = cs_malloc(cs);
	mark = xcalloc(hi - lo, 1);
	facts.ends_jump = xcalloc(r->n ? r->n : 1, sizeof(bool));
	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].start >= size || r->v[i].len > size - r->v[i].start)
			continue;	/* fnr_from_elf clips to the segments; this is the last guard */
		st->ranges++;
		if (!sites_walk(cs, insn, d, &r->v[i], mark, lo, &cand, &facts, &facts.ends_jump[i]))
			st->stopped++;
	}
	if (cand.n)
		qsort(cand.v, cand.n, sizeof(*cand.v), sites_cmp);
	if (facts.ntargets)
		qsort(facts.targets, facts.ntargets, sizeof(*facts.targets), u64_cmp);
	pad_find_areas(d, size, r->v, facts.ends_jump, r->n, facts.targets, facts.ntargets, &pads);
	starts = xcalloc(r->n ? r->n : 1, sizeof(*starts));
	for (size_t i = 0; i < r->n; i++)
		starts[i] = r->v[i].start;	/* sorted: the ranges are */
	for (size_t i = 0; i < facts.ninner; i++)
		if (padding_inside_ok(&facts.inner[i], mark, lo, starts, r->n, &facts))
			pad_add(&pads, facts.inner[i].start, facts.inner[i].end - facts.inner[i].start);
	pad_sort(&pads);
	free(starts);
	for (size_t i = 0; i < cand.n; i++) {
		if (k && cand.v[k - 1].offset == cand.v[i].offset)
			continue;	/* found by several ranges that agree */
		if (!sites_agreed(mark + (cand.v[i].offset - lo), &cand.v[i])) {
			st->dropped++;
			if (verbose)
				printf("  %s: site at 0x%llx dropped: ranges disagree on its "
				       "instruction boundaries\n", name,
				       (unsigned long long)cand.v[i].offset);
			continue;
		}
		if (cand.v[i].kind == CELLA_SITE_SHORT_PAD_SYSCALL) {
			uint64_t from = cand.v[i].offset + 2, slot;
			if (!pad_claim(&pads, from, &slot)) {
				st->nopad++;
				if (verbose)
					printf("  %s: short site at 0x%llx left out: no free padding "
					       "slot in jmp rel8 reach\n", name,
					       (unsigned long long)cand.v[i].offset);
				continue;
			}
			cand.v[i].pad = (int8_t)(int64_t)(slot - from);
			st->shorts++;
		}
		cand.v[k++] = cand.v[i];
	}
	pad_free(&pads);
	free(facts.targets);
	free(facts.ends_jump);
	free(facts.inner);
	free(mark);
	cs_free(insn, 1);
	cs_close(&cs);
	if (!k) {
		free(cand.v);
		return 0;
	}
	*out = cand.v;
	*n = (uint32_t)k;
	return 0;
}

int sites_analyse_fd(int fd, const char *name, bool verbose, struct cella_manifest_site **out,
		     uint32_t *n)
{
	struct fn_ranges r;
	struct sites_stats st;
	struct stat sb;
	void *map;
	int eh_err, ret;

	*out = NULL;
	*n = 0;
	if (fstat(fd, &sb) < 0)
		return -errno;
	if (sb.st_size == 0)
		return -ENOEXEC;
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return -errno;
	ret = fnr_from_elf(map, (size_t)sb.st_size, &r, &eh_err);
	if (!ret)
		ret = sites_find(map, (size_t)sb.st_size, &r, name, verbose, out, n, &st);
	if (!ret && verbose)
		printf("  %s: %zu function ranges%s, %zu cut short by undecodable bytes, "
		       "%u sites (%zu short, through padding), %zu dropped, %zu short ones "
		       "without a padding slot\n", name, st.ranges,
		       eh_err ? " (.eh_frame damaged: read up to the damage)" : "", st.stopped,
		       *n, st.shorts, st.dropped, st.nopad);
	fnr_free(&r);
	munmap(map, (size_t)sb.st_size);
	return ret;
}
