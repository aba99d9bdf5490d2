/* tests/unit/cli_sites.c — function ranges for the syscall-site proof (cli/fnranges.c): the
 * .eh_frame parser on hand-made CIEs and FDEs (pcrel sdata4, augmentation data, absptr,
 * terminator, damage) and the ranges of this test binary. The decoder pass needs Capstone and
 * is tested by tests/cli/build_sites.sh. */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "../../cli/fileio.c"
#include "../../cli/fnranges.c"
#include "../../cli/util.c"

#include "unit.h"

static void put(struct buf *b, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t byte = (uint8_t)(v >> (8 * i));
		buf_append(b, &byte, 1);
	}
}

static void put_str(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s) + 1);
}

/* Patches the length field of the record that starts at `at` and pads it to 8 bytes with
 * DW_CFA_nop (0), as a linker would. */
static void end_record(struct buf *b, size_t at)
{
	uint32_t len;

	while ((b->len - at) % 8)
		put(b, 0, 1);
	len = (uint32_t)(b->len - at - 4);
	memcpy(b->data + at, &len, 4);
}

/* A CIE with augmentation `aug`; `augdata` is written verbatim after its length byte. */
static size_t cie(struct buf *b, const char *aug, const uint8_t *augdata, size_t augn)
{
	size_t at = b->len;

	put(b, 0, 4);		/* length, patched */
	put(b, 0, 4);		/* CIE id */
	put(b, 1, 1);		/* version */
	put_str(b, aug);
	put(b, 1, 1);		/* code alignment 1 */
	put(b, 0x78, 1);	/* data alignment -8 */
	put(b, 16, 1);		/* return address: rip */
	if (aug[0] == 'z') {
		put(b, augn, 1);
		buf_append(b, augdata, augn);
	}
	put(b, 0x0c, 1);	/* DW_CFA_def_cfa rsp+8 */
	put(b, 7, 1);
	put(b, 8, 1);
	end_record(b, at);
	return at;
}

/* An FDE of the CIE at `cie_at` whose pc_begin is pcrel sdata4 for `pc` (base = vaddr of
 * byte 0). `augn` bytes of augmentation data (an LSDA pointer) when the CIE has 'z'. */
static void fde_pcrel(struct buf *b, size_t cie_at, uint64_t base, uint64_t pc, uint32_t range,
		      int augn)
{
	size_t at = b->len;

	put(b, 0, 4);
	put(b, b->len - cie_at, 4);			/* back to the CIE */
	put(b, (uint32_t)(int32_t)(pc - (base + b->len)), 4);	/* relative to this field */
	put(b, range, 4);
	if (augn >= 0) {
		put(b, (uint64_t)augn, 1);
		put(b, 0, (size_t)augn);
	}
	end_record(b, at);
}

static bool has(const struct fn_ranges *r, uint64_t start, uint64_t len)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].start == start && r->v[i].len == len)
			return true;
	return false;
}

static void test_zr(void)
{
	static const uint8_t zr[] = { 0x1b };	/* R: pcrel | sdata4 */
	struct buf b = { 0 };
	struct fn_ranges r = { 0 };
	uint64_t base = 0x2000;
	size_t c = cie(&b, "zR", zr, sizeof(zr));

	fde_pcrel(&b, c, base, 0x1000, 0x40, 0);
	fde_pcrel(&b, c, base, 0x1040, 0x13, 0);
	fde_pcrel(&b, c, base, 0x9000, 0x10, 0);	/* pc after .eh_frame: positive offset */
	put(&b, 0, 4);					/* terminator */
	fde_pcrel(&b, c, base, 0x5000, 0x10, 0);	/* past it: never read */
	CHECK("zR CIE, pcrel sdata4 FDEs: parse succeeds", ehf_parse(b.data, b.len, base, &r) == 0);
	CHECK("each FDE gives [pc_begin, +pc_range), pcrel resolved against the field's vaddr",
	      r.n == 3 && has(&r, 0x1000, 0x40) && has(&r, 0x1040, 0x13) && has(&r, 0x9000, 0x10));
	CHECK("the zero terminator ends .eh_frame", !has(&r, 0x5000, 0x10));
	fnr_free(&r);
	buf_free(&b);
}

static void test_zplr(void)
{
	/* P: indirect|pcrel|sdata4 personality + its 4 bytes; L: pcrel|sdata4; R: pcrel|sdata4 */
	static const uint8_t zplr[] = { 0x9b, 0x10, 0x20, 0x00, 0x00, 0x1b, 0x1b };
	static const uint8_t zr_udata4[] = { 0x03 };	/* R: absolute udata4 */
	struct buf b = { 0 };
	struct fn_ranges r = { 0 };
	uint64_t base = 0x400000;
	size_t c1 = cie(&b, "zPLR", zplr, sizeof(zplr)), c2, at;

	fde_pcrel(&b, c1, base, 0x401000, 0x80, 4);	/* with a 4-byte LSDA pointer */
	c2 = cie(&b, "zR", zr_udata4, sizeof(zr_udata4));
	at = b.len;					/* an FDE with udata4 pc_begin */
	put(&b, 0, 4);
	put(&b, b.len - c2, 4);
	put(&b, 0x402000, 4);
	put(&b, 0x30, 4);
	put(&b, 0, 1);
	end_record(&b, at);
	fde_pcrel(&b, c1, base, 0x401100, 0x20, 4);	/* back to the first CIE */
	put(&b, 0, 4);
	CHECK("zPLR CIE: augmentation data (personality, LSDA, FDE encoding) is walked",
	      ehf_parse(b.data, b.len, base, &r) == 0 && has(&r, 0x401000, 0x80) &&
	      has(&r, 0x401100, 0x20));
	CHECK("a second CIE with udata4 FDEs: absolute pc_begin", has(&r, 0x402000, 0x30));
	CHECK("exactly the three FDEs", r.n == 3);
	fnr_free(&r);
	buf_free(&b);
}

static void test_absptr_and_damage(void)
{
	static const uint8_t zx[] = { 0x00 };
	struct buf b = { 0 };
	struct fn_ranges r = { 0 };
	size_t c = cie(&b, "", NULL, 0), at, cx;

	at = b.len;			/* no augmentation: absptr, 8-byte pc_begin and pc_range */
	put(&b, 0, 4);
	put(&b, b.len - c, 4);
	put(&b, 0x7000, 8);
	put(&b, 0x24, 8);
	end_record(&b, at);
	at = b.len;			/* pc_begin 0: code the linker discarded */
	put(&b, 0, 4);
	put(&b, b.len - c, 4);
	put(&b, 0, 8);
	put(&b, 0x10, 8);
	end_record(&b, at);
	cx = cie(&b, "zX", zx, sizeof(zx));	/* unknown augmentation: its FDEs are skipped */
	fde_pcrel(&b, cx, 0, 0x8000, 0x10, 0);
	CHECK("an empty augmentation means absptr pc_begin and pc_range",
	      ehf_parse(b.data, b.len, 0, &r) == 0 && has(&r, 0x7000, 0x24));
	CHECK("an FDE at pc 0 (discarded code) and the FDEs of an unknown augmentation are skipped",
	      r.n == 1);
	CHECK("no terminator: the end of the section ends it", r.n == 1);
	fnr_free(&r);
	put(&b, 0x100, 4);		/* a record claiming more bytes than there are */
	put(&b, 0, 4);
	CHECK("a record running past the end is -ENOEXEC",
	      ehf_parse(b.data, b.len, 0, &r) == -ENOEXEC);
	CHECK("the ranges read before the damage are kept", r.n == 1 && has(&r, 0x7000, 0x24));
	fnr_free(&r);
	b.len = 0;
	put(&b, 12, 4);			/* an FDE whose CIE pointer leads before the section */
	put(&b, 0x1000, 4);
	put(&b, 0, 8);
	CHECK("a CIE pointer out of the section is -ENOEXEC",
	      ehf_parse(b.data, b.len, 0, &r) == -ENOEXEC && r.n == 0);
	fnr_free(&r);
	buf_free(&b);
}

/* This test binary: a real linker's .eh_frame and symbol tables. */
static void test_self(void)
{
	struct fn_ranges r;
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	uint8_t *d;
	size_t len;
	int eh_err = -1;
	bool inside = true, sorted = true;

	if (read_whole_file("/proc/self/exe", &d, &len)) {
		CHECK("reading our own executable", false);
		return;
	}
	eh = (const Elf64_Ehdr *)d;
	ph = (const Elf64_Phdr *)(d + eh->e_phoff);
	CHECK("our own executable: ranges found, .eh_frame read without error",
	      fnr_from_elf(d, len, &r, &eh_err) == 0 && eh_err == 0 && r.n >= 10);
	for (size_t i = 0; i < r.n; i++) {
		bool in_x = false;
		for (size_t j = 0; j < eh->e_phnum; j++)
			if (ph[j].p_type == PT_LOAD && (ph[j].p_flags & PF_X) &&
			    r.v[i].start >= ph[j].p_offset &&
			    r.v[i].start + r.v[i].len <= ph[j].p_offset + ph[j].p_filesz)
				in_x = true;
		inside = inside && in_x && r.v[i].len > 0;
		if (i && (r.v[i - 1].start > r.v[i].start ||
			  (r.v[i - 1].start == r.v[i].start && r.v[i - 1].len >= r.v[i].len)))
			sorted = false;
	}
	CHECK("every range is file bytes of an executable segment", inside);
	CHECK("ranges are sorted with no duplicates", sorted);
	fnr_free(&r);
	CHECK("a file cut inside the program headers is -ENOEXEC",
	      fnr_from_elf(d, 100, &r, &eh_err) == -ENOEXEC);
	fnr_free(&r);
	((Elf64_Ehdr *)d)->e_shoff = len;	/* section headers gone: nothing is trusted */
	CHECK("no section headers: no ranges, no error", fnr_from_elf(d, len, &r, &eh_err) == 0 &&
	      r.n == 0);
	fnr_free(&r);
	free(d);
}

int main(void)
{
	test_zr();
	test_zplr();
	test_absptr_and_damage();
	test_self();
	return finish();
}
