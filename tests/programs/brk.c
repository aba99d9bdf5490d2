/* tests/programs/brk.c — the program break through the raw syscall: brk(0) queries, growth gives
 * usable zeroed memory, shrinking works, and an impossible request returns the old break. */
#include "check.h"

static unsigned long sys_brk(unsigned long addr) { return (unsigned long)syscall(SYS_brk, addr); }

int main(void)
{
	/* stdio must not allocate (and so move the break) while this test owns it */
	static char obuf[8192];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	unsigned long b0 = sys_brk(0);
	expect_true(b0 != 0, "brk(0) non-zero");
	expect_eq(sys_brk(0), b0, "brk(0) twice");
	ok("brk(0) returns the current break, the same each time");
	unsigned long want = b0 + 256 * 1024;
	expect_eq(sys_brk(want), want, "grow by 256 KiB");
	expect_eq(sys_brk(0), want, "brk(0) after growth");
	ok("brk grows by 256 KiB and reports the new break");
	volatile unsigned char *m = (unsigned char *)b0;
	for (unsigned long i = 0; i < 256 * 1024; i += 4096)
		if (m[i] != 0)
			fail("fresh brk memory at +%lu: expected 0, got %d", i, m[i]);
	for (unsigned long i = 0; i < 256 * 1024; i++)
		m[i] = (unsigned char)i;
	expect_eq(m[256 * 1024 - 1], (unsigned char)(256 * 1024 - 1), "last byte");
	ok("memory between the old and new break is zeroed and usable");
	unsigned long half = b0 + 128 * 1024;
	expect_eq(sys_brk(half), half, "shrink");
	expect_eq(sys_brk(0), half, "brk(0) after shrink");
	expect_eq(m[1000], (unsigned char)1000, "memory below break kept");
	ok("brk shrinks, keeping memory below the new break");
	expect_eq(sys_brk(want), want, "grow again");
	expect_eq(m[128 * 1024 + 4096], 0, "regrown memory zeroed");
	ok("memory given back and regrown reads as zeros");
	expect_eq(sys_brk(b0 + 100), b0 + 100, "unaligned break");
	expect_eq(sys_brk(0), b0 + 100, "unaligned break reported as asked");
	ok("an unaligned break is kept as asked");
	expect_eq(sys_brk(1UL << 46), b0 + 100, "impossible brk");
	ok("an impossible brk leaves the break alone and returns it");
	expect_eq(sys_brk(b0 - (64UL << 30)), b0 + 100, "brk far below start");
	ok("a brk below the start leaves the break alone");
	expect_eq(sys_brk(b0), b0, "back to start");
	void *p = malloc(100000);
	expect_true(p != NULL, "malloc after brk games");
	memset(p, 1, 100000);
	free(p);
	ok("malloc still works afterwards");
	return 0;
}
