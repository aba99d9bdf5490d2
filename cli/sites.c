/* cli/sites.c — proves `mov $nr,%eax; syscall` sites with a real x86 decoder (Capstone): each
 * function range is decoded linearly from its start, and a site counts only where every range
 * that covers its 7 bytes agrees on the two instruction boundaries. Never a byte-pattern guess. */
#include <capstone/capstone.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "cli.h"

#define SITE_LEN 7		/* b8 imm32 0f 05 */
#define SITE_NR_LIMIT 1024u	/* larger immediates are not syscall numbers we dispatch */

/* Per file byte, what the decoded ranges said about it. A byte marked both ways is one that
 * two ranges decoded differently: no site may touch it. */
enum { MARK_START = 1, MARK_INSIDE = 2 };

struct sites_vec {
	struct cella_manifest_site *v;
	size_t n, cap;
};

static void sites_push(struct sites_vec *s, uint64_t off, uint32_t nr, uint16_t gap)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = (struct cella_manifest_site){
		.offset = off, .nr = nr, .gap = gap,
		.kind = gap ? CELLA_SITE_MOV_EAX_GAP_SYSCALL : CELLA_SITE_MOV_EAX_SYSCALL };
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

static bool sites_is_mov_eax(const cs_insn *i)
{
	return i->id == X86_INS_MOV && i->size == 5 && i->bytes[0] == 0xb8;
}

static bool sites_is_syscall(const cs_insn *i)
{
	return i->id == X86_INS_SYSCALL && i->size == 2 && i->bytes[0] == 0x0f &&
	       i->bytes[1] == 0x05;
}

/* Decodes one range, marking its instruction bytes and collecting candidate sites. Returns
 * false if decoding failed before the range's end (what came before it stands). mark[0] is
 * file offset `mark_base`. */
static bool sites_walk(csh cs, cs_insn *insn, const uint8_t *d, const struct fn_range *r,
		       uint8_t *mark, uint64_t mark_base, struct sites_vec *cand)
{
	const uint8_t *code = d + r->start;
	size_t left = (size_t)r->len;
	uint64_t addr = r->start, prev_mov = UINT64_MAX;
	uint32_t prev_nr = 0;	/* prev_mov: a `mov $nr,%eax` followed so far only by safe gap code */

	/* Addresses are file offsets: Capstone's `address` only feeds relative-target printing. */
	while (left && cs_disasm_iter(cs, &code, &left, &addr, insn)) {
		uint64_t at = insn->address;

		mark[at - mark_base] |= MARK_START;
		for (unsigned k = 1; k < insn->size; k++)
			mark[at - mark_base + k] |= MARK_INSIDE;
		if (sites_is_syscall(insn) && prev_mov != UINT64_MAX) {
			sites_push(cand, prev_mov, prev_nr, (uint16_t)(at - prev_mov - 5));
			prev_mov = UINT64_MAX;
			continue;
		}
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
	return left == 0;
}

/* Every range that covered the site agrees on its boundaries: no byte from the mov to the end of
 * the syscall was decoded both as an instruction start and as an inner byte, the mov and the
 * syscall start where the site says, and the mov's and syscall's other bytes are inner bytes. */
static bool sites_agreed(const uint8_t *mark, uint16_t gap)
{
	unsigned len = SITE_LEN + gap;
	for (unsigned k = 0; k < len; k++)
		if (mark[k] != MARK_START && mark[k] != MARK_INSIDE)
			return false;
	if (mark[0] != MARK_START || mark[5 + gap] != MARK_START || (gap && mark[5] != MARK_START))
		return false;
	for (unsigned k = 1; k < 5; k++)
		if (mark[k] != MARK_INSIDE)
			return false;
	return mark[6 + gap] == MARK_INSIDE;
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
	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].start >= size || r->v[i].len > size - r->v[i].start)
			continue;	/* fnr_from_elf clips to the segments; this is the last guard */
		st->ranges++;
		if (!sites_walk(cs, insn, d, &r->v[i], mark, lo, &cand))
			st->stopped++;
	}
	if (cand.n)
		qsort(cand.v, cand.n, sizeof(*cand.v), sites_cmp);
	for (size_t i = 0; i < cand.n; i++) {
		if (k && cand.v[k - 1].offset == cand.v[i].offset)
			continue;	/* found by several ranges that agree */
		if (!sites_agreed(mark + (cand.v[i].offset - lo), cand.v[i].gap)) {
			st->dropped++;
			if (verbose)
				printf("  %s: site at 0x%llx dropped: ranges disagree on its "
				       "instruction boundaries\n", name,
				       (unsigned long long)cand.v[i].offset);
			continue;
		}
		cand.v[k++] = cand.v[i];
	}
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
		       "%u sites, %zu dropped\n", name, st.ranges,
		       eh_err ? " (.eh_frame damaged: read up to the damage)" : "", st.stopped,
		       *n, st.dropped);
	fnr_free(&r);
	munmap(map, (size_t)sb.st_size);
	return ret;
}
