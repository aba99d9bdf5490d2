/* lib/sha256_ni.c — SHA-256 on the SHA-NI instructions. The state lives in two xmm registers in
 * the order the instructions want (ABEF, CDGH); each sha256rnds2 does two rounds; the message
 * schedule for rounds 16..63 is built four words at a time with sha256msg1/msg2. Only the
 * functions marked with the target attribute use vector registers. */
#include "sha256_ni.h"
#include "mem.h"
#include <immintrin.h>

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

int sha256_ni_supported(void)
{
	unsigned a = 7, b, c = 0, d;
	__asm__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	unsigned a1 = 1, b1, c1 = 0, d1;
	__asm__("cpuid" : "+a"(a1), "=b"(b1), "+c"(c1), "=d"(d1));
	return (b >> 29) & 1 && (c1 >> 19) & 1;	/* SHA, and SSE4.1 for pblendw */
}

__attribute__((target("sha,sse4.1")))
static void compress(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
	__m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1);	/* CDAB */
	__m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B);	/* EFGH */
	__m128i s0 = _mm_alignr_epi8(t, s1, 8);						/* ABEF */
	s1 = _mm_blend_epi16(s1, t, 0xF0);						/* CDGH */
	for (; nblocks; nblocks--, p += 64) {
		__m128i abef = s0, cdgh = s1, m[4], msg;
		for (int g = 0; g < 16; g++) {	/* four rounds each */
			__m128i x;
			if (g < 4)
				m[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
			x = m[g & 3];
			msg = _mm_add_epi32(x, _mm_loadu_si128((const __m128i *)&K[4 * g]));
			s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
			if (g >= 3 && g <= 14) {	/* words 4g+4..4g+7 from the last sixteen */
				__m128i *next = &m[(g + 1) & 3];
				*next = _mm_add_epi32(*next, _mm_alignr_epi8(x, m[(g + 3) & 3], 4));
				*next = _mm_sha256msg2_epu32(*next, x);
			}
			msg = _mm_shuffle_epi32(msg, 0x0E);
			s0 = _mm_sha256rnds2_epu32(s0, s1, msg);
			if (g >= 1 && g <= 12)
				m[(g + 3) & 3] = _mm_sha256msg1_epu32(m[(g + 3) & 3], x);
		}
		s0 = _mm_add_epi32(s0, abef);
		s1 = _mm_add_epi32(s1, cdgh);
	}
	t = _mm_shuffle_epi32(s0, 0x1B);	/* FEBA */
	s1 = _mm_shuffle_epi32(s1, 0xB1);	/* DCHG */
	_mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(t, s1, 0xF0));	/* DCBA */
	_mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(s1, t, 8));		/* HGFE */
}

void sha256_ni_init(struct sha256_ni *c)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	memcpy(c->h, iv, sizeof(iv));
	c->buflen = 0;
	c->total = 0;
}

void sha256_ni_update(struct sha256_ni *c, const void *data, size_t n)
{
	const uint8_t *p = data;
	c->total += n;
	if (c->buflen) {
		size_t k = 64 - c->buflen < n ? 64 - c->buflen : n;
		memcpy(c->buf + c->buflen, p, k);
		c->buflen += k, p += k, n -= k;
		if (c->buflen < 64)
			return;
		compress(c->h, c->buf, 1);
		c->buflen = 0;
	}
	if (n >= 64) {
		compress(c->h, p, n / 64);
		p += n & ~(size_t)63;
		n &= 63;
	}
	memcpy(c->buf, p, n);
	c->buflen = n;
}

void sha256_ni_final(struct sha256_ni *c, uint8_t out[32])
{
	uint64_t bits = c->total * 8;
	uint8_t pad[72] = { 0x80 };
	size_t padlen = (c->buflen < 56 ? 56 : 120) - c->buflen;
	for (int i = 0; i < 8; i++)
		pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha256_ni_update(c, pad, padlen + 8);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
}
