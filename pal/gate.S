/* pal/gate.S — the runtime's only syscall instructions. Syscall User Dispatch lets every
 * syscall issued from [__start_cella_gate, __stop_cella_gate) through to the host and traps
 * all others, so nothing outside this section may contain a syscall instruction. The kernel
 * tests the address *after* the syscall, so every syscall here is followed by an instruction
 * that is still inside the section. */
#include "regs_asm.h"
	.section cella_gate, "ax", @progbits

/* C's argument registers (nr, a1..a5 in rdi..r9, a6 on the stack) to the kernel's. */
.macro syscall_args
	mov %rdi, %rax
	mov %rsi, %rdi
	mov %rdx, %rsi
	mov %rcx, %rdx
	mov %r8, %r10
	mov %r9, %r8
	mov 8(%rsp), %r9
.endm

/* long pal_host_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
 * Returns the raw host result (-errno on failure). */
	.globl pal_host_syscall6
	.hidden pal_host_syscall6
	.type pal_host_syscall6, @function
pal_host_syscall6:
	syscall_args
	syscall
	ret
	.size pal_host_syscall6, .-pal_host_syscall6

/* long pal_blocking_syscall6(nr, a1, ..., a6): a host call that may block, issued from the
 * restart window. The kick handler sets %gs:GS_KICKED and, if it interrupted the thread between
 * pal_window_start and the syscall instruction (not yet executed), moves it to pal_window_eintr:
 * a kick can never be lost between the LibOS's last check and the host call going to sleep. */
	.globl pal_blocking_syscall6, pal_window_start, pal_window_syscall, pal_window_eintr
	.hidden pal_blocking_syscall6, pal_window_start, pal_window_syscall, pal_window_eintr
	.type pal_blocking_syscall6, @function
pal_blocking_syscall6:
	syscall_args
pal_window_start:
	cmpl $0, %gs:GS_KICKED
	jne pal_window_eintr
pal_window_syscall:
	syscall
	ret
pal_window_eintr:
	mov $-4, %rax		/* -EINTR */
	ret
	.size pal_blocking_syscall6, .-pal_blocking_syscall6

/* The sa_restorer of every host signal handler: its rt_sigreturn must come from the gate too. */
	.globl pal_signal_restorer
	.hidden pal_signal_restorer
	.type pal_signal_restorer, @function
pal_signal_restorer:
	mov $15, %eax		/* __NR_rt_sigreturn */
	syscall
	ud2
	.size pal_signal_restorer, .-pal_signal_restorer

/* long pal_spawn_thread(unsigned long flags, void *stack_top, uint64_t tls, int *host_ctid,
 *                       void (*fn)(void *), void *arg)
 * A host clone for a new thread of this process: the child starts on stack_top and runs
 * fn(arg), which must not return. Returns the host tid to the parent, or -errno. */
	.globl pal_spawn_thread
	.hidden pal_spawn_thread
	.type pal_spawn_thread, @function
pal_spawn_thread:
	push %r12
	push %r13
	mov %r8, %r12		/* fn and arg survive into the child in callee-saved registers */
	mov %r9, %r13
	mov %rdx, %r8		/* clone(flags, newsp, parent_tid, child_tid, tls) */
	mov %rcx, %r10
	xor %edx, %edx
	mov $56, %eax		/* __NR_clone */
	syscall
	test %rax, %rax
	jnz 1f
	xor %ebp, %ebp		/* the child: a fresh stack, no frames above */
	mov %r13, %rdi
	call *%r12
	ud2
1:	pop %r13
	pop %r12
	ret
	.size pal_spawn_thread, .-pal_spawn_thread

/* void pal_resume_app(const struct pal_regs *r): enter app code with every general register,
 * rflags, rsp and rip taken from r (a new thread's first return from clone). The target goes
 * through the thread's %gs slot so that no app register is needed to hold it. */
	.text
	.globl pal_resume_app
	.hidden pal_resume_app
	.type pal_resume_app, @function
pal_resume_app:
	mov RIP(%rdi), %rax
	mov %rax, %gs:GS_RESUME_RIP
	push EFLAGS(%rdi)
	popfq			/* nothing below changes the flags */
	mov R8(%rdi), %r8
	mov R9(%rdi), %r9
	mov R10(%rdi), %r10
	mov R11(%rdi), %r11
	mov R12(%rdi), %r12
	mov R13(%rdi), %r13
	mov R14(%rdi), %r14
	mov R15(%rdi), %r15
	mov RSI(%rdi), %rsi
	mov RBP(%rdi), %rbp
	mov RBX(%rdi), %rbx
	mov RDX(%rdi), %rdx
	mov RAX(%rdi), %rax
	mov RCX(%rdi), %rcx
	mov RSP(%rdi), %rsp
	mov RDI(%rdi), %rdi
	jmp *%gs:GS_RESUME_RIP
	.size pal_resume_app, .-pal_resume_app

/* void pal_jump_to_app(uint64_t entry, uint64_t sp): enter the app as the kernel would after
 * execve: rsp at argc, rdx = 0 (no atexit hook), every other register zero. */
	.text
	.globl pal_jump_to_app
	.hidden pal_jump_to_app
	.type pal_jump_to_app, @function
pal_jump_to_app:
	mov %rsi, %rsp
	push %rdi
	xor %eax, %eax
	xor %ebx, %ebx
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	xor %edi, %edi
	xor %ebp, %ebp
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d
	xor %r12d, %r12d
	xor %r13d, %r13d
	xor %r14d, %r14d
	xor %r15d, %r15d
	ret			/* pops the entry pushed above: rsp is back at argc */
	.size pal_jump_to_app, .-pal_jump_to_app

	.section .note.GNU-stack, "", @progbits
