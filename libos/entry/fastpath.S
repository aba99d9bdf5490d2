/* libos/entry/fastpath.S — the fast path's entry. A patched site jumps to its trampoline, which
 * replays the site's instructions before its syscall (`mov $nr,%eax`, or a short site's `xor`
 * or move), then `lea after_syscall(%rip),%rcx; jmp *cella_fastpath_entry`. Here the app's
 * registers become a struct pal_regs on the LibOS stack (the same layout as the trap path's signal
 * frame), libos_syscall_fast serves the call, and the app resumes after its syscall instruction
 * with Linux's syscall register contract: rax = result, rcx = return address, r11 = rflags, rflags
 * and every other register as they were. The app's stack (and its red zone) is never written. */
#include "../../pal/regs_asm.h"

	.text
	.globl cella_fastpath_entry
	.hidden cella_fastpath_entry
	.type cella_fastpath_entry, @function
cella_fastpath_entry:
	mov %rsp, %gs:16		/* app rsp */
	mov %gs:8, %rsp			/* LibOS stack */
	lea -REGS_SIZE(%rsp), %rsp	/* not sub: the app's flags are saved below, untouched */
	mov %r8, R8(%rsp)
	mov %r9, R9(%rsp)
	mov %r10, R10(%rsp)
	mov %r12, R12(%rsp)
	mov %r13, R13(%rsp)
	mov %r14, R14(%rsp)
	mov %r15, R15(%rsp)
	mov %rdi, RDI(%rsp)
	mov %rsi, RSI(%rsp)
	mov %rbp, RBP(%rsp)
	mov %rbx, RBX(%rsp)
	mov %rdx, RDX(%rsp)
	mov %rax, RAX(%rsp)
	mov %rcx, RCX(%rsp)
	mov %rcx, RIP(%rsp)
	mov %gs:16, %r11
	mov %r11, RSP(%rsp)
	pushfq				/* below the struct, on the LibOS stack */
	pop %r11
	mov %r11, EFLAGS(%rsp)
	mov %r11, R11(%rsp)
	movq $0, FPSTATE(%rsp)
	cld
	mov %rsp, %rdi
	mov %eax, %esi			/* the kernel takes the number from eax too */
	call libos_syscall_fast
	mov R8(%rsp), %r8
	mov R9(%rsp), %r9
	mov R10(%rsp), %r10
	mov R12(%rsp), %r12
	mov R13(%rsp), %r13
	mov R14(%rsp), %r14
	mov R15(%rsp), %r15
	mov RDI(%rsp), %rdi
	mov RSI(%rsp), %rsi
	mov RBP(%rsp), %rbp
	mov RBX(%rsp), %rbx
	mov RDX(%rsp), %rdx
	mov RAX(%rsp), %rax
	mov EFLAGS(%rsp), %r11
	push %r11
	popfq
	mov RIP(%rsp), %rcx
	mov RSP(%rsp), %rsp
	jmp *%rcx
	.size cella_fastpath_entry, .-cella_fastpath_entry

	.section .note.GNU-stack, "", @progbits
