/* libos/entry/shortsite.c — decoding and emulating the 2- and 3-byte eax setters of SHORT_PAD sites
 * (`xor %eax,%eax`, `mov %esi,%eax`, `mov %rdi,%rax`...). Kept to exactly the encodings the build's
 * decoder accepted (cli/sites.c), so that the runtime never rewrites anything else. */
#include "shortsite.h"
#include "../../include/cella/manifest.h"

#define FLAGS_ARITH 0x8d5u	/* CF PF AF ZF SF OF */
#define FLAG_PF 0x4u
#define FLAG_ZF 0x40u

enum { OP_NONE, OP_XOR, OP_MOV };

/* What b[0..len) is: OP_XOR, or OP_MOV from register *src (0-15), 64-bit if *wide. */
static int short_decode(const uint8_t *b, unsigned len, unsigned *src, int *wide)
{
	unsigned rex = 0, reg, rm;

	if (len == 3 && (b[0] & 0xf0) == 0x40) {
		rex = b[0];
		b++, len--;
	}
	if (len != 2 || (b[1] >> 6) != 3)
		return OP_NONE;
	if ((b[0] == 0x31 || b[0] == 0x33) && b[1] == 0xc0 && !(rex & 5))
		return OP_XOR;
	reg = ((b[1] >> 3) & 7) | ((rex & 4) ? 8 : 0);
	rm = (b[1] & 7) | ((rex & 1) ? 8 : 0);
	*wide = (rex & 8) != 0;
	if (b[0] == 0x89 && rm == 0)
		*src = reg;
	else if (b[0] == 0x8b && reg == 0)
		*src = rm;
	else
		return OP_NONE;
	/* not rax (pointless), rcx and r11 (the trampoline's), rsp */
	return *src == 0 || *src == 1 || *src == 4 || *src == 11 ? OP_NONE : OP_MOV;
}

int short_insn_ok(const uint8_t *b, unsigned len, uint32_t nr)
{
	unsigned src;
	int wide, op = short_decode(b, len, &src, &wide);
	return op == OP_XOR ? nr == 0 : op == OP_MOV && nr == CELLA_SITE_NR_REG;
}

static uint64_t reg_value(const struct pal_regs *r, unsigned n)
{
	switch (n) {
	case 2: return r->rdx;
	case 3: return r->rbx;
	case 5: return r->rbp;
	case 6: return r->rsi;
	case 7: return r->rdi;
	case 8: return r->r8;
	case 9: return r->r9;
	case 10: return r->r10;
	case 12: return r->r12;
	case 13: return r->r13;
	case 14: return r->r14;
	default: return r->r15;	/* 15: short_decode refused the others */
	}
}

void short_insn_emulate(struct pal_regs *regs, const uint8_t *b, unsigned len)
{
	unsigned src = 0;
	int wide = 0;

	if (short_decode(b, len, &src, &wide) == OP_XOR) {
		regs->rax = 0;		/* a 32-bit result zero-extends */
		regs->eflags = (regs->eflags & ~(uint64_t)FLAGS_ARITH) | FLAG_PF | FLAG_ZF;
	} else {
		uint64_t v = reg_value(regs, src);
		regs->rax = wide ? v : (uint32_t)v;
	}
}
