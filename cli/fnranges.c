/* cli/fnranges.c — where the functions of an x86-64 ELF file are, as file offsets: every FDE of
 * .eh_frame and every sized STT_FUNC of .symtab and .dynsym, mapped through the executable
 * PT_LOAD segments. No decoding here (sites.c walks the ranges); every read is bounds-checked. */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* DW_EH_PE_* pointer encodings (LSB Core, "DWARF Extensions"). */
enum {
	EH_PE_ABSPTR = 0x00, EH_PE_ULEB128 = 0x01, EH_PE_UDATA2 = 0x02, EH_PE_UDATA4 = 0x03,
	EH_PE_UDATA8 = 0x04, EH_PE_SLEB128 = 0x09, EH_PE_SDATA2 = 0x0a, EH_PE_SDATA4 = 0x0b,
	EH_PE_SDATA8 = 0x0c, EH_PE_PCREL = 0x10, EH_PE_INDIRECT = 0x80, EH_PE_OMIT = 0xff,
};

/* A read cursor over [d, d + len); `bad` latches once a read would run past the end. */
struct ehf_cur {
	const uint8_t *d;
	size_t len, pos;
	bool bad;
};

static uint64_t ehf_fixed(struct ehf_cur *c, size_t n)
{
	uint64_t v = 0;

	if (c->bad || c->len - c->pos < n) {
		c->bad = true;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)c->d[c->pos + i] << (8 * i);
	c->pos += n;
	return v;
}

static uint64_t ehf_leb(struct ehf_cur *c, bool is_signed)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b;

	do {
		if (c->bad || c->pos >= c->len) {
			c->bad = true;
			return 0;
		}
		b = c->d[c->pos++];
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	if (is_signed && shift < 64 && (b & 0x40))
		v |= ~0ull << shift;
	return v;
}

/* Reads a pointer of encoding `enc`; `base` is the vaddr of d[0], for pcrel. False if the
 * encoding is one we cannot resolve here (textrel, datarel, funcrel, aligned, indirect). */
static bool ehf_ptr(struct ehf_cur *c, uint8_t enc, uint64_t base, uint64_t *out)
{
	uint64_t at = base + c->pos, v;

	switch (enc & 0x0f) {
	case EH_PE_ABSPTR: case EH_PE_UDATA8: case EH_PE_SDATA8: v = ehf_fixed(c, 8); break;
	case EH_PE_UDATA4: v = ehf_fixed(c, 4); break;
	case EH_PE_SDATA4: v = (uint64_t)(int64_t)(int32_t)ehf_fixed(c, 4); break;
	case EH_PE_UDATA2: v = ehf_fixed(c, 2); break;
	case EH_PE_SDATA2: v = (uint64_t)(int64_t)(int16_t)ehf_fixed(c, 2); break;
	case EH_PE_ULEB128: v = ehf_leb(c, false); break;
	case EH_PE_SLEB128: v = ehf_leb(c, true); break;
	default: c->bad = true; return false;	/* the size is unknown: nothing after is readable */
	}
	if (c->bad)
		return false;
	if ((enc & 0x70) == EH_PE_PCREL)
		v += at;
	else if ((enc & 0x70) != 0)
		return false;
	*out = v;
	return !(enc & EH_PE_INDIRECT);
}

/* What an FDE needs from its CIE: how pc_begin and pc_range are encoded. */
struct ehf_cie {
	size_t off;	/* of the CIE's length field; (size_t)-1 for none parsed yet */
	bool usable;
	uint8_t fde_enc;
};

/* Parses the CIE at `off`. An unusable one (unknown version or augmentation) is not an error:
 * its FDEs are skipped, since we cannot know where their pc_begin is or how it reads. */
static int ehf_cie_parse(const uint8_t *d, size_t len, uint64_t base, size_t off,
			 struct ehf_cie *cie)
{
	struct ehf_cur c = { .d = d, .len = len, .pos = off };
	uint64_t rlen = ehf_fixed(&c, 4), id, end;
	bool is64 = rlen == 0xffffffffu;
	const char *aug;
	uint8_t ver;

	cie->off = off;
	cie->usable = false;
	cie->fde_enc = EH_PE_ABSPTR;
	if (is64)
		rlen = ehf_fixed(&c, 8);
	if (c.bad || rlen == 0 || rlen > len - c.pos)
		return -ENOEXEC;
	end = c.pos + rlen;
	c.len = end;	/* nothing in the CIE may be read from past its own end */
	id = ehf_fixed(&c, is64 ? 8 : 4);
	ver = (uint8_t)ehf_fixed(&c, 1);
	if (c.bad || id != 0)
		return -ENOEXEC;	/* an FDE's CIE pointer must lead to a CIE */
	aug = (const char *)d + c.pos;
	if (!memchr(aug, '\0', end - c.pos))
		return -ENOEXEC;
	c.pos += strlen(aug) + 1;
	if (ver != 1 && ver != 3)
		return 0;
	if (strncmp(aug, "eh", 2) == 0) {	/* pre-"z" GCC: an eh_ptr word, then the rest */
		ehf_fixed(&c, 8);
		aug += 2;
	}
	ehf_leb(&c, false);	/* code alignment */
	ehf_leb(&c, true);	/* data alignment */
	if (ver == 1)
		ehf_fixed(&c, 1);
	else
		ehf_leb(&c, false);	/* return-address register */
	if (*aug == '\0') {
		cie->usable = !c.bad;
		return c.bad ? -ENOEXEC : 0;
	}
	if (*aug != 'z')
		return 0;	/* without 'z' an unknown augmentation hides the FDE layout */
	ehf_leb(&c, false);	/* augmentation data length: we parse every byte of it instead */
	for (const char *a = aug + 1; *a && !c.bad; a++) {
		uint64_t ignored;
		uint8_t enc;

		switch (*a) {
		case 'R':
			cie->fde_enc = (uint8_t)ehf_fixed(&c, 1);
			break;
		case 'L':
			ehf_fixed(&c, 1);
			break;
		case 'P':	/* the personality routine: only its size matters here */
			enc = (uint8_t)ehf_fixed(&c, 1);
			if (enc != EH_PE_OMIT)
				ehf_ptr(&c, enc, base, &ignored);
			break;
		case 'S': case 'B': case 'G':	/* signal frame, AArch64 B-key, MTE: no data */
			break;
		default:
			return 0;	/* unknown data of unknown size: 'R' may come after it */
		}
	}
	if (c.bad)
		return -ENOEXEC;
	cie->usable = cie->fde_enc != EH_PE_OMIT;
	return 0;
}

static void fnr_push(struct fn_ranges *r, uint64_t start, uint64_t len)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	r->v[r->n++] = (struct fn_range){ .start = start, .len = len };
}

int ehf_parse(const uint8_t *d, size_t len, uint64_t base, struct fn_ranges *out)
{
	struct ehf_cie cie = { .off = (size_t)-1 };
	size_t pos = 0;

	while (len - pos >= 4) {
		struct ehf_cur c = { .d = d, .len = len, .pos = pos };
		uint64_t rlen = ehf_fixed(&c, 4), id, id_at, pc, range;
		bool is64 = rlen == 0xffffffffu;

		if (rlen == 0)
			return 0;	/* the terminator */
		if (is64)
			rlen = ehf_fixed(&c, 8);
		if (c.bad || rlen > len - c.pos)
			return -ENOEXEC;
		pos = c.pos + rlen;	/* the next record, whatever happens to this one */
		c.len = pos;
		id_at = c.pos;
		id = ehf_fixed(&c, is64 ? 8 : 4);
		if (c.bad)
			return -ENOEXEC;
		if (id == 0)
			continue;	/* a CIE: parsed when an FDE names it */
		/* The CIE pointer counts back from its own field to the CIE's length field. */
		if (id > id_at)
			return -ENOEXEC;
		if (cie.off != id_at - id) {
			int r = ehf_cie_parse(d, len, base, id_at - id, &cie);
			if (r)
				return r;
		}
		if (!cie.usable)
			continue;
		if (!ehf_ptr(&c, cie.fde_enc, base, &pc)) {
			if (c.bad)
				return -ENOEXEC;
			continue;
		}
		/* pc_range has pc_begin's format, never its application (it is a length). */
		ehf_ptr(&c, cie.fde_enc & 0x0f, base, &range);
		if (c.bad)
			return -ENOEXEC;
		if (pc != 0 && range != 0)	/* 0: an FDE of discarded code (--gc-sections) */
			fnr_push(out, pc, range);
	}
	return len == pos ? 0 : -ENOEXEC;
}

/* Sized functions of one symbol table section; -ENOEXEC if it lies outside the file. */
static int fnr_symbols(const uint8_t *d, size_t size, const Elf64_Shdr *sh, struct fn_ranges *out)
{
	const Elf64_Sym *sym;
	size_t n;

	if (sh->sh_entsize != sizeof(Elf64_Sym) || sh->sh_offset > size ||
	    sh->sh_size > size - sh->sh_offset)
		return -ENOEXEC;
	sym = (const Elf64_Sym *)(d + sh->sh_offset);
	n = sh->sh_size / sizeof(*sym);
	for (size_t i = 0; i < n; i++) {
		unsigned t = ELF64_ST_TYPE(sym[i].st_info);
		if ((t == STT_FUNC || t == STT_GNU_IFUNC) && sym[i].st_size != 0 &&
		    sym[i].st_shndx != SHN_UNDEF && sym[i].st_shndx < SHN_LORESERVE)
			fnr_push(out, sym[i].st_value, sym[i].st_size);
	}
	return 0;
}

/* Turns vaddr ranges into file-offset ranges inside executable PT_LOAD segments, clipped to
 * the segment's file bytes; a range that starts outside all of them is dropped. */
static void fnr_to_offsets(const Elf64_Phdr *ph, size_t phnum, struct fn_ranges *r)
{
	size_t k = 0;

	for (size_t i = 0; i < r->n; i++) {
		uint64_t a = r->v[i].start, len = r->v[i].len;
		for (size_t j = 0; j < phnum; j++) {
			const Elf64_Phdr *p = &ph[j];
			if (p->p_type != PT_LOAD || !(p->p_flags & PF_X) || a < p->p_vaddr ||
			    a - p->p_vaddr >= p->p_filesz)
				continue;
			if (len > p->p_filesz - (a - p->p_vaddr))
				len = p->p_filesz - (a - p->p_vaddr);
			r->v[k++] = (struct fn_range){ .start = a - p->p_vaddr + p->p_offset,
						       .len = len };
			break;
		}
	}
	r->n = k;
}

static int fnr_cmp(const void *a, const void *b)
{
	const struct fn_range *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* Sorted by start then length, exact duplicates (an FDE and its symbol) removed. */
static void fnr_sort_unique(struct fn_ranges *r)
{
	size_t k = 0;

	if (!r->n)
		return;
	qsort(r->v, r->n, sizeof(*r->v), fnr_cmp);
	for (size_t i = 1; i < r->n; i++)
		if (fnr_cmp(&r->v[i], &r->v[k]) != 0)
			r->v[++k] = r->v[i];
	r->n = k + 1;
}

int fnr_from_elf(const uint8_t *d, size_t size, struct fn_ranges *out, int *eh_err)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)d;
	const Elf64_Shdr *sh;
	const Elf64_Phdr *ph;
	const char *shstr = NULL;
	size_t shstr_size = 0;

	memset(out, 0, sizeof(*out));
	*eh_err = 0;
	if (size < sizeof(*eh) || eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > size ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > size - eh->e_phoff)
		return -ENOEXEC;
	ph = (const Elf64_Phdr *)(d + eh->e_phoff);
	/* Without section headers there is no trustworthy .eh_frame size nor symbol table, so
	 * such a file has no ranges, hence no sites: it stays on the trap path. */
	if (eh->e_shnum == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > size ||
	    (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > size - eh->e_shoff)
		return 0;
	sh = (const Elf64_Shdr *)(d + eh->e_shoff);
	if (eh->e_shstrndx < eh->e_shnum && sh[eh->e_shstrndx].sh_type == SHT_STRTAB &&
	    sh[eh->e_shstrndx].sh_offset <= size &&
	    sh[eh->e_shstrndx].sh_size <= size - sh[eh->e_shstrndx].sh_offset) {
		shstr = (const char *)d + sh[eh->e_shstrndx].sh_offset;
		shstr_size = sh[eh->e_shstrndx].sh_size;
	}
	for (size_t i = 0; i < eh->e_shnum; i++) {
		const Elf64_Shdr *s = &sh[i];
		if (s->sh_type == SHT_SYMTAB || s->sh_type == SHT_DYNSYM) {
			if (fnr_symbols(d, size, s, out))
				return -ENOEXEC;
		} else if ((s->sh_type == SHT_PROGBITS || s->sh_type == SHT_X86_64_UNWIND) &&
			   shstr && s->sh_name < shstr_size &&	/* lld types it UNWIND */
			   strncmp(shstr + s->sh_name, ".eh_frame", shstr_size - s->sh_name) == 0 &&
			   memchr(shstr + s->sh_name, '\0', shstr_size - s->sh_name)) {
			if (s->sh_offset > size || s->sh_size > size - s->sh_offset)
				return -ENOEXEC;
			/* A damaged .eh_frame keeps the FDEs read before the damage. */
			*eh_err = ehf_parse(d + s->sh_offset, s->sh_size, s->sh_addr, out);
		}
	}
	fnr_to_offsets(ph, eh->e_phnum, out);
	fnr_sort_unique(out);
	return 0;
}

void fnr_free(struct fn_ranges *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}
