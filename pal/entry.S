/* pal/entry.S — process entry of cella-runtime. The host kernel starts us with rsp at argc;
 * nothing is relocated yet, so only position-independent code runs before pal_start. */
	.text
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp
	mov %rsp, %rdi
	and $-16, %rsp
	call pal_start
	ud2
	.size _start, .-_start

	.section .note.GNU-stack, "", @progbits
