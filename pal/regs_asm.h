/* pal/regs_asm.h — byte offsets of struct pal_regs (pal/pal.h) for assembly; a static assert in
 * pal/thread.c keeps them equal to the C layout. */
#ifndef PAL_REGS_ASM_H
#define PAL_REGS_ASM_H
#define R8 0
#define R9 8
#define R10 16
#define R11 24
#define R12 32
#define R13 40
#define R14 48
#define R15 56
#define RDI 64
#define RSI 72
#define RBP 80
#define RBX 88
#define RDX 96
#define RAX 104
#define RCX 112
#define RSP 120
#define RIP 128
#define EFLAGS 136
#define FPSTATE 184
#define REGS_SIZE 256
/* %gs-relative slots of the LibOS thread (struct libos_thread's first fields). */
#define GS_KSTACK_TOP 8
#define GS_APP_RSP 16
#define GS_RESUME_RIP 24
#define GS_KICKED 32
#endif
