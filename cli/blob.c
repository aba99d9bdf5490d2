/* cli/blob.c — writes build/config.bin: a struct cella_config followed by its string area
 * (include/cella/config.h). Offsets count from the blob start; a strlist's strings sit back to
 * back; unused fields are zero, so the same config always gives the same bytes. */
#include <errno.h>
#include <string.h>

#include "../include/cella/config.h"
#include "cli.h"

static struct cella_strlist blob_strlist(struct buf *b, const struct strvec *sv)
{
	struct cella_strlist l = { .off = (uint32_t)b->len, .count = (uint32_t)sv->n };

	for (size_t i = 0; i < sv->n; i++)
		buf_append_str(b, sv->v[i]);
	l.bytes = (uint32_t)(b->len - l.off);
	return l;
}

void blob_build(const struct cli_config *cfg, const uint8_t manifest_sha[32], struct buf *out)
{
	struct cella_config h;

	memset(&h, 0, sizeof(h));
	out->len = 0;
	buf_append(out, &h, sizeof(h));	/* placeholder; the strings go after it */

	h.magic = CELLA_CONFIG_MAGIC;
	h.version = CELLA_CONFIG_VERSION;
	h.user_space_size = cfg->user_space_size;
	h.kernel_heap_size = cfg->kernel_heap_size;
	h.max_num_of_threads = cfg->max_num_of_threads;
	h.max_open_files = cfg->max_open_files;
	h.default_stack_size = cfg->default_stack_size;
	h.default_heap_size = cfg->default_heap_size;
	h.uid = cfg->uid;
	h.gid = cfg->gid;
	memcpy(h.hostname, cfg->hostname, strnlen(cfg->hostname, CELLA_HOSTNAME_MAX));
	h.aslr = cfg->aslr ? 1 : 0;
	h.entry_points = blob_strlist(out, &cfg->entry_points);
	h.env_default = blob_strlist(out, &cfg->env_default);
	h.env_untrusted = blob_strlist(out, &cfg->env_untrusted);
	h.nmounts = (uint32_t)cfg->nmounts;
	for (size_t i = 0; i < cfg->nmounts; i++) {
		h.mounts[i].type = cfg->mounts[i].type;
		h.mounts[i].target_off = (uint32_t)buf_append_str(out, cfg->mounts[i].target);
		h.mounts[i].size = cfg->mounts[i].size;
	}
	memcpy(h.manifest_sha256, manifest_sha, 32);
	h.total_size = (uint32_t)out->len;
	memcpy(out->data, &h, sizeof(h));
}

/* Every string must start inside the string area and end with a NUL inside the blob. */
static bool blob_str_ok(const void *blob, size_t len, uint32_t off)
{
	return off >= sizeof(struct cella_config) && off < len &&
	       memchr((const char *)blob + off, '\0', len - off) != NULL;
}

static bool blob_strlist_ok(const void *blob, size_t len, const struct cella_strlist *l)
{
	uint32_t off = l->off;

	if (l->count == 0)
		return l->bytes == 0;
	if ((uint64_t)l->off + l->bytes > len)
		return false;
	for (uint32_t i = 0; i < l->count; i++) {
		if (off >= l->off + l->bytes || !blob_str_ok(blob, l->off + l->bytes, off))
			return false;
		off += (uint32_t)strlen((const char *)blob + off) + 1;
	}
	return off == l->off + l->bytes;
}

int blob_check(const void *blob, size_t len)
{
	struct cella_config h;

	if (len < sizeof(h))
		return -EINVAL;
	memcpy(&h, blob, sizeof(h));
	if (h.magic != CELLA_CONFIG_MAGIC || h.version != CELLA_CONFIG_VERSION ||
	    h.total_size != len || h.nmounts > CELLA_MAX_MOUNTS ||
	    memchr(h.hostname, '\0', sizeof(h.hostname)) == NULL)
		return -EINVAL;
	if (!blob_strlist_ok(blob, len, &h.entry_points) ||
	    !blob_strlist_ok(blob, len, &h.env_default) ||
	    !blob_strlist_ok(blob, len, &h.env_untrusted))
		return -EINVAL;
	for (uint32_t i = 0; i < h.nmounts; i++)
		if (!blob_str_ok(blob, len, h.mounts[i].target_off))
			return -EINVAL;
	return 0;
}

const char *blob_str(const void *blob, uint32_t off)
{
	return (const char *)blob + off;
}
