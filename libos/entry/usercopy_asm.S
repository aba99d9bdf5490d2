/* libos/entry/usercopy_asm.S — the byte-moving cores of the user copies. A fault anywhere in
 * [uaccess_begin, uaccess_end) resumes at uaccess_fault, which returns -EFAULT; nothing here
 * pushes to the stack, so a plain ret from the fixup is correct. */
	.text
	.globl uaccess_begin, uaccess_end, uaccess_fault
	.hidden uaccess_begin, uaccess_end, uaccess_fault
	.globl uaccess_copy, uaccess_clear, uaccess_strncpy
	.hidden uaccess_copy, uaccess_clear, uaccess_strncpy

uaccess_begin:
/* long uaccess_copy(void *dst, const void *src, size_t n) -> 0 */
uaccess_copy:
	mov %rdx, %rcx
	rep movsb
	xor %eax, %eax
	ret

/* long uaccess_clear(void *dst, size_t n) -> 0 */
uaccess_clear:
	mov %rsi, %rcx
	xor %eax, %eax
	rep stosb
	ret

/* long uaccess_strncpy(char *dst, const char *src, size_t max) -> length, or max if no NUL */
uaccess_strncpy:
	xor %eax, %eax
1:	cmp %rdx, %rax
	je 2f
	movzbl (%rsi,%rax), %ecx
	mov %cl, (%rdi,%rax)
	test %cl, %cl
	je 2f
	inc %rax
	jmp 1b
2:	ret
uaccess_end:

uaccess_fault:
	mov $-14, %rax		/* -EFAULT */
	ret

	.section .note.GNU-stack, "", @progbits
