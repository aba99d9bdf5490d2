/* lib/sha256_ni.h — SHA-256 with the x86 SHA extensions (SHA-NI), several times faster than a
 * portable implementation; used when the CPU has them (the caller falls back otherwise). The
 * caller must save the app's SSE state around these calls (they use xmm registers). */
#ifndef LIB_SHA256_NI_H
#define LIB_SHA256_NI_H

#include <stddef.h>
#include <stdint.h>

struct sha256_ni {
	uint32_t h[8];
	uint8_t buf[64];
	size_t buflen;
	uint64_t total;
};

int sha256_ni_supported(void);
void sha256_ni_init(struct sha256_ni *c);
void sha256_ni_update(struct sha256_ni *c, const void *data, size_t n);
void sha256_ni_final(struct sha256_ni *c, uint8_t out[32]);

#endif
