/* libos/entry/shortsite.h — the short instructions a SHORT_PAD site may hold before its syscall
 * (manifest.h): recognised again at run time before patching, and emulated for a thread that
 * meets the temporary int3 while the site is being patched. */
#ifndef LIBOS_SHORTSITE_H
#define LIBOS_SHORTSITE_H

#include "../../pal/pal.h"

/* True if b[0..len) is, for nr 0, `xor %eax,%eax` (also with a REX prefix that names no other
 * register), or, for nr CELLA_SITE_NR_REG, a register move into eax/rax from a register other
 * than rax, rcx, rsp and r11: the same set `cella build` accepts. */
int short_insn_ok(const uint8_t *b, unsigned len, uint32_t nr);
/* Does to regs what the (short_insn_ok) instruction b[0..len) does: rax, and flags for xor. */
void short_insn_emulate(struct pal_regs *regs, const uint8_t *b, unsigned len);

#endif
