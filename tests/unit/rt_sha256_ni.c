/* tests/unit/rt_sha256_ni.c — lib/sha256_ni.c against BearSSL's SHA-256: every length from 0 to
 * 300 bytes, split updates, and 1 MiB, plus the FIPS 180-2 "abc" vector. */
#include "../../lib/sha256_ni.c"
#include "unit.h"
#include <bearssl.h>

static void ref(const uint8_t *d, size_t n, uint8_t out[32])
{
	br_sha256_context c;
	br_sha256_init(&c);
	br_sha256_update(&c, d, n);
	br_sha256_out(&c, out);
}

int main(void)
{
	if (!sha256_ni_supported()) {
		printf("ok this CPU has no SHA extensions: the runtime uses BearSSL, nothing to test\n");
		return 0;
	}
	static uint8_t data[1 << 20];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 2654435761u >> 13);
	uint8_t a[32], b[32];
	struct sha256_ni c;
	int bad_len = -1;
	for (int n = 0; n <= 300 && bad_len < 0; n++) {
		sha256_ni_init(&c);
		sha256_ni_update(&c, data, (size_t)n);
		sha256_ni_final(&c, a);
		ref(data, (size_t)n, b);
		if (memcmp(a, b, 32))
			bad_len = n;
	}
	CHECK("every length 0..300 matches BearSSL", bad_len < 0);
	sha256_ni_init(&c);
	for (size_t off = 0; off < sizeof(data);) {
		size_t k = 1 + (off * 7919) % 777;
		if (k > sizeof(data) - off)
			k = sizeof(data) - off;
		sha256_ni_update(&c, data + off, k);
		off += k;
	}
	sha256_ni_final(&c, a);
	ref(data, sizeof(data), b);
	CHECK("1 MiB in uneven pieces matches BearSSL", memcmp(a, b, 32) == 0);
	static const uint8_t abc_digest[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };
	sha256_ni_init(&c);
	sha256_ni_update(&c, "abc", 3);
	sha256_ni_final(&c, a);
	CHECK("SHA-256(\"abc\") is the FIPS 180-2 value", memcmp(a, abc_digest, 32) == 0);
	return finish();
}
