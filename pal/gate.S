/* pal/gate.S — the runtime's only syscall instructions. Syscall User Dispatch lets every
 * syscall issued from [__start_cella_gate, __stop_cella_gate) through to the host and traps
 * all others, so nothing outside this section may contain a syscall instruction. The kernel
 * tests the address *after* the syscall, so every syscall here is followed by an instruction
 * that is still inside the section. */
	.section cella_gate, "ax", @progbits

/* long pal_host_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
 * Returns the raw host result (-errno on failure). */
	.globl pal_host_syscall6
	.hidden pal_host_syscall6
	.type pal_host_syscall6, @function
pal_host_syscall6:
	mov %rdi, %rax
	mov %rsi, %rdi
	mov %rdx, %rsi
	mov %rcx, %rdx
	mov %r8, %r10
	mov %r9, %r8
	mov 8(%rsp), %r9
	syscall
	ret
	.size pal_host_syscall6, .-pal_host_syscall6

/* The sa_restorer of every host signal handler: its rt_sigreturn must come from the gate too. */
	.globl pal_signal_restorer
	.hidden pal_signal_restorer
	.type pal_signal_restorer, @function
pal_signal_restorer:
	mov $15, %eax		/* __NR_rt_sigreturn */
	syscall
	ud2
	.size pal_signal_restorer, .-pal_signal_restorer

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
