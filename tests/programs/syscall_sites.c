/* tests/programs/syscall_sites.c — syscall sites as a patching LibOS sees them: the plain
 * `mov $nr,%eax; syscall` site (patched after its first call under cella) must keep Linux's
 * register contract on every call: rax = result, rcx = the address after the syscall, r11 =
 * rflags, every other register and the red zone below rsp untouched, %fs unchanged; the same
 * syscall instruction reached by a branch from elsewhere still works; so does a site whose
 * number comes from a register. Short sites (`xor %eax,%eax; syscall`, `mov %esi,%eax; syscall`),
 * which cella patches through a jmp rel8 into padding, keep the same contract, flags included:
 * after the syscall, rflags (and r11) are what the xor or mov left. */
#include "check.h"
#define ARCH_GET_FS 0x1003	/* <asm/prctl.h>, which musl-gcc does not see */
#include <stdint.h>

struct regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};

/* site_getpid: loads known values into every register, writes a pattern into the red zone,
 * runs `mov $39,%eax; syscall`, and stores what every register holds afterwards, plus the
 * address after the syscall (for rcx) and the red zone's first word. */
extern void site_getpid(struct regs *out, uint64_t *after, uint64_t *redzone);
extern long jump_to_site(void);	/* sets eax itself, then jumps to the syscall of shared_site */
extern long shared_site(void);	/* mov $39,%eax; syscall; ret */
__asm__(
	".text\n"
	".globl site_getpid\n"
	".type site_getpid, @function\n"
	"site_getpid:\n"
	"	push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
	"	push %rdi; push %rsi; push %rdx\n"
	"	movabs $0x1111111111111111, %rbx\n"
	"	movabs $0x2222222222222222, %rbp\n"
	"	movabs $0x3333333333333333, %r8\n"
	"	movabs $0x4444444444444444, %r9\n"
	"	movabs $0x5555555555555555, %r10\n"
	"	movabs $0x6666666666666666, %r12\n"
	"	movabs $0x7777777777777777, %r13\n"
	"	movabs $0x8888888888888888, %r14\n"
	"	movabs $0x9999999999999999, %r15\n"
	"	movabs $0xaaaaaaaaaaaaaaaa, %rdx\n"
	"	movabs $0xbbbbbbbbbbbbbbbb, %rsi\n"
	"	movabs $0xcccccccccccccccc, %rdi\n"
	"	movabs $0xdeadbeefcafef00d, %rax\n"
	"	mov %rax, -16(%rsp)\n"		/* red zone (the push below uses -8) */
	"	mov $39, %eax\n"
	"	syscall\n"
	"site_getpid_after:\n"
	"	push %rax\n"			/* save rax, then find out where to store */
	"	mov 8+16(%rsp), %rax\n"		/* saved rdi: struct regs *out (rdx, rsi pushed after) */
	"	pop 0(%rax)\n"
	"	mov %rbx, 8(%rax)\n"
	"	mov %rcx, 16(%rax)\n"
	"	mov %rdx, 24(%rax)\n"
	"	mov %rsi, 32(%rax)\n"
	"	mov %rdi, 40(%rax)\n"
	"	mov %rbp, 48(%rax)\n"
	"	mov %r8, 56(%rax)\n"
	"	mov %r9, 64(%rax)\n"
	"	mov %r10, 72(%rax)\n"
	"	mov %r11, 80(%rax)\n"
	"	mov %r12, 88(%rax)\n"
	"	mov %r13, 96(%rax)\n"
	"	mov %r14, 104(%rax)\n"
	"	mov %r15, 112(%rax)\n"
	"	mov -16(%rsp), %rcx\n"		/* the red zone word, still below rsp */
	"	pop %rdx\n"
	"	pop %rsi\n"
	"	lea site_getpid_after(%rip), %rax\n"
	"	mov %rax, (%rsi)\n"
	"	mov %rcx, (%rdx)\n"
	"	pop %rdi\n"
	"	pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
	"	ret\n"
	".size site_getpid, .-site_getpid\n"
	".globl shared_site\n"
	".type shared_site, @function\n"
	"shared_site:\n"
	"	mov $39, %eax\n"
	"shared_site_syscall:\n"
	"	syscall\n"
	"	ret\n"
	".size shared_site, .-shared_site\n"
	".globl jump_to_site\n"
	".type jump_to_site, @function\n"
	"jump_to_site:\n"
	"	mov $110, %eax\n"		/* getppid, through shared_site's syscall instruction */
	"	jmp shared_site_syscall\n"
	".size jump_to_site, .-jump_to_site\n");

/* A short site in a function of its own: pushes the callee-saved registers and the three
 * pointer arguments, loads known values (rdi/rsi/rdx as given: the syscall's arguments), plants
 * a red zone word at -64(%rsp), sets CF, SF and AF with a compare, runs INSN; syscall, and jumps
 * to the part that stores every register, the flags after the syscall and the red zone word.
 * INNER puts 8 bytes of nop/int3 fill inside the function after that jump (alignment padding
 * before a branch target); OUTER puts the store part first, the site last, and the fill after
 * the function, between it and the next one. */
#define SHORT_SITE_LOAD(RDI, RSI, RDX)						\
	"	push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"	\
	"	push %rdi; push %rsi; push %rdx\n"					\
	"	movabs $0x1111111111111111, %rbx\n"				\
	"	movabs $0x2222222222222222, %rbp\n"				\
	"	movabs $0x3333333333333333, %r8\n"				\
	"	movabs $0x4444444444444444, %r9\n"				\
	"	movabs $0x5555555555555555, %r10\n"				\
	"	movabs $0x6666666666666666, %r12\n"				\
	"	movabs $0x7777777777777777, %r13\n"				\
	"	movabs $0x8888888888888888, %r14\n"				\
	"	movabs $0x9999999999999999, %r15\n"				\
	"	movabs $" RDX ", %rdx\n"					\
	"	movabs $" RSI ", %rsi\n"					\
	"	movabs $" RDI ", %rdi\n"					\
	"	movabs $0xdeadbeefcafef00d, %rax\n"				\
	"	mov %rax, -64(%rsp)\n"						\
	"	xor %ecx, %ecx; cmp $1, %ecx\n"	/* CF SF AF PF set, ZF OF clear */
#define SHORT_SITE_STORE(NAME)							\
	NAME "_store:\n"							\
	"	pushfq\n"							\
	"	push %rax\n"							\
	"	mov 32(%rsp), %rax\n"		/* saved rdi: struct regs *out */	\
	"	pop 0(%rax)\n"							\
	"	pop 120(%rax)\n"						\
	"	mov %rbx, 8(%rax); mov %rcx, 16(%rax); mov %rdx, 24(%rax)\n"	\
	"	mov %rsi, 32(%rax); mov %rdi, 40(%rax); mov %rbp, 48(%rax)\n"	\
	"	mov %r8, 56(%rax); mov %r9, 64(%rax); mov %r10, 72(%rax)\n"	\
	"	mov %r11, 80(%rax); mov %r12, 88(%rax); mov %r13, 96(%rax)\n"	\
	"	mov %r14, 104(%rax); mov %r15, 112(%rax)\n"			\
	"	mov -64(%rsp), %rcx\n"						\
	"	pop %rdx; pop %rsi\n"						\
	"	lea " NAME "_after(%rip), %rax\n"				\
	"	mov %rax, (%rsi)\n"						\
	"	mov %rcx, (%rdx)\n"						\
	"	pop %rdi\n"							\
	"	pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"	\
	"	ret\n"
#define SHORT_SITE_FILL ".byte 0x0f, 0x1f, 0x44, 0x00, 0x00, 0xcc, 0xcc, 0xcc\n"
#define SHORT_SITE_INNER(NAME, INSN, RDI, RSI, RDX)				\
	".globl " NAME "\n.type " NAME ", @function\n" NAME ":\n"		\
	SHORT_SITE_LOAD(RDI, RSI, RDX)						\
	NAME "_site: " INSN "\n	syscall\n" NAME "_after:\n"		\
	"	jmp " NAME "_store\n"						\
	SHORT_SITE_FILL								\
	SHORT_SITE_STORE(NAME)							\
	".size " NAME ", .-" NAME "\n"
#define SHORT_SITE_OUTER(NAME, INSN, RDI, RSI, RDX)				\
	".globl " NAME "\n.type " NAME ", @function\n" NAME ":\n"		\
	SHORT_SITE_LOAD(RDI, RSI, RDX)						\
	"	jmp " NAME "_site\n"						\
	SHORT_SITE_STORE(NAME)							\
	NAME "_site: " INSN "\n	syscall\n" NAME "_after:\n"		\
	"	jmp " NAME "_store\n"						\
	".size " NAME ", .-" NAME "\n"						\
	SHORT_SITE_FILL

struct short_regs {
	struct regs r;
	uint64_t flags;		/* rflags right after the syscall */
};
/* read(0xcccccccc, ...): a bad descriptor, so the result is -EBADF natively and under cella */
extern void xor_read_inner(struct short_regs *out, uint64_t *after, uint64_t *redzone);
extern void xor_read_outer(struct short_regs *out, uint64_t *after, uint64_t *redzone);
/* getpid, its number in esi */
extern void mov_getpid_outer(struct short_regs *out, uint64_t *after, uint64_t *redzone);
__asm__(".text\n"
	SHORT_SITE_INNER("xor_read_inner", "xor %eax, %eax",
			 "0xcccccccccccccccc", "0xbbbbbbbbbbbbbbbb", "0xaaaaaaaaaaaaaaaa")
	SHORT_SITE_OUTER("xor_read_outer", "xor %eax, %eax",
			 "0xcccccccccccccccc", "0xbbbbbbbbbbbbbbbb", "0xaaaaaaaaaaaaaaaa")
	SHORT_SITE_OUTER("mov_getpid_outer", "mov %esi, %eax",
			 "0xcccccccccccccccc", "39", "0xaaaaaaaaaaaaaaaa"));

#define ARITH_FLAGS 0x8c5ull	/* CF PF ZF SF OF: AF is undefined after xor */

static void check_short_site(void (*fn)(struct short_regs *, uint64_t *, uint64_t *),
			     uint64_t want_rax, uint64_t want_rsi, uint64_t want_flags, const char *what)
{
	for (int i = 0; i < 50; i++) {
		struct short_regs s;
		uint64_t after, red;
		fn(&s, &after, &red);
		if (s.r.rax != want_rax)
			fail("%s: rax is %#llx, want %#llx", what, (unsigned long long)s.r.rax,
			     (unsigned long long)want_rax);
		expect_eq(s.r.rcx, after, "rcx is the address after the syscall");
		expect_eq(s.r.rbx, 0x1111111111111111ull, "rbx preserved");
		expect_eq(s.r.rbp, 0x2222222222222222ull, "rbp preserved");
		expect_eq(s.r.r8, 0x3333333333333333ull, "r8 preserved");
		expect_eq(s.r.r9, 0x4444444444444444ull, "r9 preserved");
		expect_eq(s.r.r10, 0x5555555555555555ull, "r10 preserved");
		expect_eq(s.r.r12, 0x6666666666666666ull, "r12 preserved");
		expect_eq(s.r.r13, 0x7777777777777777ull, "r13 preserved");
		expect_eq(s.r.r14, 0x8888888888888888ull, "r14 preserved");
		expect_eq(s.r.r15, 0x9999999999999999ull, "r15 preserved");
		expect_eq(s.r.rdx, 0xaaaaaaaaaaaaaaaaull, "rdx preserved");
		expect_eq(s.r.rsi, want_rsi, "rsi preserved");
		expect_eq(s.r.rdi, 0xccccccccccccccccull, "rdi preserved");
		expect_eq(s.flags & ARITH_FLAGS, want_flags, "rflags after the syscall are the site's");
		expect_eq(s.r.r11 & ARITH_FLAGS, want_flags, "r11 holds rflags");
		expect_eq(red, 0xdeadbeefcafef00dull, "the red zone below rsp is untouched");
	}
}

static long getpid_from_register(long nr)
{
	long r;
	__asm__ volatile("mov %1, %%rax\n\tsyscall" : "=a"(r) : "r"(nr) : "rcx", "r11", "memory");
	return r;
}

int main(void)
{
	uint64_t fs_before, fs_after;
	syscall(SYS_arch_prctl, ARCH_GET_FS, &fs_before);
	for (int i = 0; i < 50; i++) {
		struct regs r;
		uint64_t after, red;
		site_getpid(&r, &after, &red);
		expect_eq(r.rax, getpid(), "rax is the result");
		expect_eq(r.rcx, after, "rcx is the address after the syscall");
		expect_eq(r.rbx, 0x1111111111111111ull, "rbx preserved");
		expect_eq(r.rbp, 0x2222222222222222ull, "rbp preserved");
		expect_eq(r.r8, 0x3333333333333333ull, "r8 preserved");
		expect_eq(r.r9, 0x4444444444444444ull, "r9 preserved");
		expect_eq(r.r10, 0x5555555555555555ull, "r10 preserved");
		expect_eq(r.r12, 0x6666666666666666ull, "r12 preserved");
		expect_eq(r.r13, 0x7777777777777777ull, "r13 preserved");
		expect_eq(r.r14, 0x8888888888888888ull, "r14 preserved");
		expect_eq(r.r15, 0x9999999999999999ull, "r15 preserved");
		expect_eq(r.rdx, 0xaaaaaaaaaaaaaaaaull, "rdx preserved");
		expect_eq(r.rsi, 0xbbbbbbbbbbbbbbbbull, "rsi preserved");
		expect_eq(r.rdi, 0xccccccccccccccccull, "rdi preserved");
		expect_true((r.r11 & 0x2) && (r.r11 & ~0x3fffffull) == 0, "r11 holds rflags");
		expect_eq(red, 0xdeadbeefcafef00dull, "the red zone below rsp is untouched");
	}
	ok("50 calls through one site: rax, rcx, r11 as Linux sets them, all else preserved");
	ok("the red zone below the app's stack pointer is never written");
	syscall(SYS_arch_prctl, ARCH_GET_FS, &fs_after);
	expect_eq(fs_after, fs_before, "%fs base unchanged");
	ok("the app's %%fs base is unchanged");
	for (int i = 0; i < 20; i++) {
		expect_eq(shared_site(), getpid(), "shared site");
		expect_eq(jump_to_site(), getppid(), "branch to the syscall instruction");
	}
	ok("a syscall instruction reached by a branch from elsewhere still serves the number in eax");
	for (int i = 0; i < 20; i++)
		expect_eq(getpid_from_register(39), getpid(), "number from a register");
	ok("a site whose number comes from a register works on every call");
	/* after xor: ZF PF set, CF SF OF clear; after mov: the compare's CF SF (and PF) stay */
	check_short_site(xor_read_inner, (uint64_t)-EBADF, 0xbbbbbbbbbbbbbbbbull, 0x44,
			 "xor; syscall with padding inside the function");
	ok("xor %%eax,%%eax; syscall (read) with padding inside its function: registers, flags, red zone as Linux leaves them");
	check_short_site(xor_read_outer, (uint64_t)-EBADF, 0xbbbbbbbbbbbbbbbbull, 0x44,
			 "xor; syscall with padding after the function");
	ok("xor %%eax,%%eax; syscall (read) with padding after its function: registers, flags, red zone as Linux leaves them");
	check_short_site(mov_getpid_outer, (uint64_t)getpid(), 39, 0x85,
			 "mov %esi,%eax; syscall");
	ok("mov %%esi,%%eax; syscall (getpid): registers, flags, red zone as Linux leaves them");
	return 0;
}
