/* tests/unit/cli_blob.c — build/config.bin layout (cli/blob.c against include/cella/config.h):
 * write a blob, read every field and string back, check determinism, and check that damaged
 * blobs are refused by blob_check. */
#include <stdio.h>
#include <string.h>

#include "../../cli/blob.c"
#include "../../cli/config.c"
#include "../../cli/config_check.c"
#include "../../cli/config_defaults.c"
#include "../../cli/fileio.c"
#include "../../cli/path.c"
#include "../../cli/size.c"
#include "../../cli/suggest.c"
#include "../../cli/util.c"

#include "unit.h"

/* The strings of a strlist, checked back to back against want[]. */
static bool strlist_is(const uint8_t *blob, const struct cella_strlist *l, const char *const *want,
		       uint32_t n)
{
	const char *s = (const char *)blob + l->off;
	uint32_t bytes = 0;

	if (l->count != n)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		if (strcmp(s, want[i]) != 0) {
			printf("  string %u: expected \"%s\", got \"%s\"\n", i, want[i], s);
			return false;
		}
		bytes += (uint32_t)strlen(s) + 1;
		s += strlen(s) + 1;
	}
	return bytes == l->bytes;
}

int main(void)
{
	static const char *const eps[] = { "/bin", "/usr/bin", "/usr/local/bin", "/sbin", "/usr/sbin" };
	static const char *const envs[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/root",
					    "LANG=C.UTF-8" };
	static const char *const untrusted[] = { "TERM" };
	const char *json = "{\"metadata\": {\"hostname\": \"blobhost\", \"uid\": 7, \"gid\": 9}}";
	struct cli_config cfg;
	struct buf b = { 0 }, b2 = { 0 };
	struct cella_config h;
	uint8_t sha[32], *bad;
	char err[CLI_ERR_MAX];

	for (int i = 0; i < 32; i++)
		sha[i] = (uint8_t)(i * 7 + 1);
	if (config_parse("cella.json", json, strlen(json), &cfg, err)) {
		printf("FAIL parse: %s\n", err);
		return 1;
	}
	blob_build(&cfg, sha, &b);
	memcpy(&h, b.data, sizeof(h));
	CHECK("magic is CELLACFG", h.magic == CELLA_CONFIG_MAGIC &&
	      memcmp(b.data, "CELLACFG", 8) == 0);
	CHECK("version is 1", h.version == CELLA_CONFIG_VERSION);
	CHECK("total_size is the blob length", h.total_size == b.len);
	CHECK("strings follow the header", b.len > sizeof(h));
	CHECK("user_space_size", h.user_space_size == 4ULL << 30);
	CHECK("kernel_heap_size", h.kernel_heap_size == 64ULL << 20);
	CHECK("max_num_of_threads", h.max_num_of_threads == 64);
	CHECK("max_open_files", h.max_open_files == 1024);
	CHECK("default_stack_size", h.default_stack_size == 8ULL << 20);
	CHECK("default_heap_size", h.default_heap_size == 64ULL << 20);
	CHECK("uid and gid", h.uid == 7 && h.gid == 9);
	CHECK("hostname inline and NUL-padded", strcmp(h.hostname, "blobhost") == 0 &&
	      h.hostname[CELLA_HOSTNAME_MAX] == 0);
	CHECK("aslr", h.aslr == 1);
	CHECK("reserved fields are zero", h.reserved0 == 0 && h.reserved1 == 0 &&
	      h.entry_points.reserved == 0);
	CHECK("entry_points strings back to back", strlist_is(b.data, &h.entry_points, eps, 5));
	CHECK("env_default strings NAME=value", strlist_is(b.data, &h.env_default, envs, 3));
	CHECK("env_untrusted strings", strlist_is(b.data, &h.env_untrusted, untrusted, 1));
	CHECK("4 mounts", h.nmounts == 4);
	CHECK("mount 0: image at /", h.mounts[0].type == CELLA_MOUNT_IMAGE &&
	      strcmp(blob_str(b.data, h.mounts[0].target_off), "/") == 0 && h.mounts[0].size == 0);
	CHECK("mount 1: tmpfs /tmp 256M", h.mounts[1].type == CELLA_MOUNT_TMPFS &&
	      strcmp(blob_str(b.data, h.mounts[1].target_off), "/tmp") == 0 &&
	      h.mounts[1].size == 256ULL << 20);
	CHECK("mount 2: devfs /dev", h.mounts[2].type == CELLA_MOUNT_DEVFS &&
	      strcmp(blob_str(b.data, h.mounts[2].target_off), "/dev") == 0);
	CHECK("mount 3: procfs /proc", h.mounts[3].type == CELLA_MOUNT_PROCFS &&
	      strcmp(blob_str(b.data, h.mounts[3].target_off), "/proc") == 0);
	CHECK("unused mount slots are zero", h.mounts[4].type == 0 && h.mounts[15].target_off == 0);
	CHECK("manifest_sha256 copied", memcmp(h.manifest_sha256, sha, 32) == 0);
	CHECK("blob_check accepts it", blob_check(b.data, b.len) == 0);
	blob_build(&cfg, sha, &b2);
	CHECK("same config gives the same bytes", b.len == b2.len &&
	      memcmp(b.data, b2.data, b.len) == 0);

	bad = xmalloc(b.len);
	memcpy(bad, b.data, b.len);
	bad[0] ^= 1;
	CHECK("blob_check refuses a bad magic", blob_check(bad, b.len) != 0);
	CHECK("blob_check refuses a truncated blob", blob_check(b.data, b.len - 1) != 0);
	memcpy(bad, b.data, b.len);
	((struct cella_config *)bad)->mounts[1].target_off = (uint32_t)b.len + 10;
	CHECK("blob_check refuses an offset past the end", blob_check(bad, b.len) != 0);
	memcpy(bad, b.data, b.len);
	((struct cella_config *)bad)->entry_points.count = 6;
	CHECK("blob_check refuses a strlist count that disagrees with bytes",
	      blob_check(bad, b.len) != 0);
	memcpy(bad, b.data, b.len);
	bad[b.len - 1] = 'x';
	CHECK("blob_check refuses an unterminated last string", blob_check(bad, b.len) != 0);
	free(bad);
	buf_free(&b);
	buf_free(&b2);
	config_free(&cfg);
	return failures ? 1 : 0;
}
