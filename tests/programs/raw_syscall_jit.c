/* tests/programs/raw_syscall_jit.c — syscall instructions outside any libc: machine code written at
 * run time into RWX and RW-then-RX pages and into .data, rewritten in place; raw errors as -errno in
 * rax; every register but rax, rcx and r11 survives a syscall, and rcx holds the return address. */
#include "check.h"
#include <sys/mman.h>

typedef long (*fn0)(void);

/* mov $nr,%eax ; syscall ; ret */
static size_t emit_nr(unsigned char *p, int nr)
{
	unsigned char c[] = { 0xb8, nr & 0xff, (nr >> 8) & 0xff, 0, 0, 0x0f, 0x05, 0xc3 };
	memcpy(p, c, sizeof c);
	return sizeof c;
}

/* write(1, msg, len) ; ret */
static size_t emit_write(unsigned char *p, const char *msg, unsigned len)
{
	size_t n = 0;
	unsigned long a = (unsigned long)msg;
	p[n++] = 0xb8; memcpy(p + n, &(unsigned){ 1 }, 4); n += 4;		/* mov $1,%eax */
	p[n++] = 0xbf; memcpy(p + n, &(unsigned){ 1 }, 4); n += 4;		/* mov $1,%edi */
	p[n++] = 0x48; p[n++] = 0xbe; memcpy(p + n, &a, 8); n += 8;		/* movabs $msg,%rsi */
	p[n++] = 0xba; memcpy(p + n, &len, 4); n += 4;				/* mov $len,%edx */
	p[n++] = 0x0f; p[n++] = 0x05;						/* syscall */
	p[n++] = 0xc3;								/* ret */
	return n;
}

/* generic: mov %rdi,%rax ; mov %rsi,%rdi ; mov %rdx,%rsi ; mov %rcx,%rdx ; syscall ; ret */
static const unsigned char generic[] = { 0x48, 0x89, 0xf8, 0x48, 0x89, 0xf7, 0x48, 0x89, 0xd6,
					 0x48, 0x89, 0xca, 0x0f, 0x05, 0xc3 };

/* mov $39,%eax ; syscall ; mov %rcx,%rax ; ret  — returns rcx after the syscall */
static const unsigned char rcx_probe[] = { 0xb8, 39, 0, 0, 0, 0x0f, 0x05, 0x48, 0x89, 0xc8, 0xc3 };

static unsigned char data_code[3 * 4096] = { 1 };

int main(void)
{
	unsigned char *rwx = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_true(rwx != MAP_FAILED, "mmap RWX");
	emit_nr(rwx, SYS_getpid);
	expect_eq(((fn0)rwx)(), getpid(), "JIT getpid");
	ok("mov $39,%%eax; syscall in an RWX page returns getpid");
	emit_nr(rwx, SYS_getppid);
	expect_eq(((fn0)rwx)(), getppid(), "rewritten JIT getppid");
	emit_nr(rwx, SYS_getuid);
	expect_eq(((fn0)rwx)(), 0, "rewritten JIT getuid");
	ok("code rewritten in place runs the new syscall number (getppid, then getuid)");
	emit_nr(rwx, 1000);
	expect_eq(((fn0)rwx)(), -ENOSYS, "JIT unknown syscall");
	ok("an unknown syscall number gives -ENOSYS in rax");

	static const char msg[] = "ok jit write(1, msg, len) reached stdout\n";
	fflush(stdout);
	emit_write(rwx, msg, sizeof msg - 1);
	expect_eq(((fn0)rwx)(), sizeof msg - 1, "JIT write count");

	memcpy(rwx + 64, generic, sizeof generic);
	long (*gen)(long, long, long, long) = (long (*)(long, long, long, long))(rwx + 64);
	expect_eq(gen(SYS_close, -1, 0, 0), -EBADF, "close(-1) via generic stub");
	expect_eq(gen(SYS_lseek, 9999, 0, 0), -EBADF, "lseek(9999) via generic stub");
	ok("errors come back as -errno in rax (close(-1) is -EBADF)");
	int p[2];
	expect_ok(pipe(p), "pipe");
	expect_eq(gen(SYS_write, p[1], (long)"xyz", 3), 3, "generic write");
	char b[4] = { 0 };
	expect_eq(gen(SYS_read, p[0], (long)b, 3), 3, "generic read");
	expect_mem(b, "xyz", 3, "generic round trip");
	close(p[0]);
	close(p[1]);
	ok("a syscall whose number comes from a register (mov %%rdi,%%rax) passes three arguments");
	memcpy(rwx + 128, rcx_probe, sizeof rcx_probe);
	expect_eq(((fn0)(rwx + 128))(), (long)(rwx + 128 + 7), "rcx after syscall");
	ok("rcx holds the address after the syscall instruction");

	unsigned char *rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_true(rw != MAP_FAILED, "mmap RW");
	emit_nr(rw, SYS_getpid);
	expect_ok(mprotect(rw, 4096, PROT_READ | PROT_EXEC), "mprotect RX");
	expect_eq(((fn0)rw)(), getpid(), "RX page getpid");
	ok("code written to an RW page, then made RX with mprotect, runs");
	expect_ok(mprotect(rw, 4096, PROT_READ | PROT_WRITE), "mprotect RW again");
	emit_nr(rw, SYS_getgid);
	expect_ok(mprotect(rw, 4096, PROT_READ | PROT_EXEC), "mprotect RX again");
	expect_eq(((fn0)rw)(), 0, "RX page getgid after rewrite");
	ok("the same page rewritten (RW, write, RX) runs the new code");

	unsigned char *page = (unsigned char *)(((unsigned long)data_code + 4095) & ~4095UL);
	emit_nr(page, SYS_getpid);
	expect_ok(mprotect(page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC), "mprotect .data RWX");
	expect_eq(((fn0)page)(), getpid(), ".data getpid");
	expect_ok(mprotect(page, 4096, PROT_READ | PROT_WRITE), "mprotect .data back");
	ok("a syscall instruction in .data made executable with mprotect runs");

	long rdi = 0x1111, rsi = 0x2222, rdx = 0x3333, rbx = 0x4444, ret;
	register long r8 __asm__("r8") = 0x8888;
	register long r9 __asm__("r9") = 0x9999;
	register long r10 __asm__("r10") = 0xaaaa;
	register long r12 __asm__("r12") = 0xcccc;
	register long r13 __asm__("r13") = 0xdddd;
	register long r14 __asm__("r14") = 0xeeee;
	register long r15 __asm__("r15") = 0xffff;
	__asm__ volatile("syscall"
			 : "=a"(ret), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+b"(rbx), "+r"(r8), "+r"(r9),
			   "+r"(r10), "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15)
			 : "a"((long)SYS_getppid)
			 : "rcx", "r11", "memory");
	expect_eq(ret, getppid(), "inline getppid");
	expect_eq(rdi, 0x1111, "rdi preserved");
	expect_eq(rsi, 0x2222, "rsi preserved");
	expect_eq(rdx, 0x3333, "rdx preserved");
	expect_eq(rbx, 0x4444, "rbx preserved");
	expect_eq(r8, 0x8888, "r8 preserved");
	expect_eq(r9, 0x9999, "r9 preserved");
	expect_eq(r10, 0xaaaa, "r10 preserved");
	expect_eq(r12, 0xcccc, "r12 preserved");
	expect_eq(r13, 0xdddd, "r13 preserved");
	expect_eq(r14, 0xeeee, "r14 preserved");
	expect_eq(r15, 0xffff, "r15 preserved");
	ok("a syscall preserves every general register but rax, rcx and r11");
	return 0;
}
