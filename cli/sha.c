/* cli/sha.c — SHA-256 of memory and of open files, with BearSSL. Files are read in 1 MiB
 * chunks with pread from offset 0, so the caller's file position does not matter. */
#include <bearssl/bearssl_hash.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

void sha256_mem(const void *data, size_t len, uint8_t out[32])
{
	br_sha256_context ctx;
	br_sha256_init(&ctx);
	br_sha256_update(&ctx, data, len);
	br_sha256_out(&ctx, out);
}

int64_t sha256_fd(int fd, uint8_t out[32], void (*progress)(uint64_t bytes))
{
	enum { CHUNK = 1 << 20 };
	br_sha256_context ctx;
	uint8_t *chunk = xmalloc(CHUNK);
	int64_t total = 0;

	br_sha256_init(&ctx);
	for (;;) {
		ssize_t n = pread(fd, chunk, CHUNK, total);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			total = -errno;
			break;
		}
		if (n == 0) {
			br_sha256_out(&ctx, out);
			break;
		}
		br_sha256_update(&ctx, chunk, (size_t)n);
		total += n;
		if (progress)
			progress((uint64_t)n);
	}
	free(chunk);
	return total;
}
