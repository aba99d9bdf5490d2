/* tests/programs/getrandom.c — getrandom fills the buffer, two calls differ, GRND_NONBLOCK and
 * GRND_RANDOM work, unknown flags are EINVAL, a zero-length request returns 0. */
#include "check.h"

#ifndef GRND_NONBLOCK
#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#endif

static long gr(void *b, size_t n, unsigned f) { return syscall(SYS_getrandom, b, n, f); }

int main(void)
{
	unsigned char a[256], b[256];
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	expect_eq(gr(a, sizeof a, 0), sizeof a, "getrandom 256");
	expect_eq(gr(b, sizeof b, 0), sizeof b, "getrandom 256 again");
	expect_true(memcmp(a, b, sizeof a) != 0, "two calls differ");
	int zeros = 0;
	for (size_t i = 0; i < sizeof a; i++)
		zeros += a[i] == 0;
	expect_true(zeros < 32, "not mostly zeros");
	ok("getrandom fills 256 bytes, and two calls differ");
	expect_eq(gr(a, 16, GRND_NONBLOCK), 16, "GRND_NONBLOCK");
	ok("getrandom with GRND_NONBLOCK returns the bytes");
	expect_eq(gr(a, 16, GRND_RANDOM), 16, "GRND_RANDOM");
	ok("getrandom with GRND_RANDOM returns the bytes");
	expect_eq(gr(a, 0, 0), 0, "zero length");
	ok("getrandom of 0 bytes returns 0");
	static unsigned char big[1 << 20];
	long n = expect_ok(gr(big, sizeof big, 0), "getrandom 1 MiB");
	expect_true(n >= 256, "large request returns at least 256 bytes");
	ok("a 1 MiB request returns at least 256 bytes");
	expect_err(gr(a, 16, 0x40), EINVAL, "unknown flag");
	expect_err(gr(a, 16, 0xffff), EINVAL, "many unknown flags");
	ok("getrandom with an unknown flag is EINVAL");
	return 0;
}
