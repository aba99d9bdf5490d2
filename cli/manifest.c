/* cli/manifest.c — serialises a sorted entry list into build/manifest.bin
 * (include/cella/manifest.h): header, entries, the string area, then (8-aligned) the sites of
 * every file in entry order. The root's empty path is the string at offset 0; a non-symlink
 * has link_off 0 and link_len 0. */
#include <errno.h>
#include <string.h>

#include "../include/cella/manifest.h"
#include "cli.h"

void manifest_serialize(const struct mf_list *l, struct buf *out)
{
	struct cella_manifest_header h = { .magic = CELLA_MANIFEST_MAGIC,
					   .version = CELLA_MANIFEST_VERSION };
	struct buf strings = { 0 }, sites = { 0 };
	size_t ents_size = l->n * sizeof(struct cella_manifest_entry);

	buf_append_str(&strings, "");	/* the root's path, shared by every empty string */
	out->len = 0;
	buf_append(out, &h, sizeof(h));
	for (size_t i = 0; i < l->n; i++) {
		const struct mf_entry *e = &l->v[i];
		struct cella_manifest_entry me = { 0 };

		me.path_len = (uint32_t)strlen(e->path);
		me.path_off = me.path_len ? (uint32_t)buf_append_str(&strings, e->path) : 0;
		if (e->link) {
			me.link_len = (uint32_t)strlen(e->link);
			me.link_off = (uint32_t)buf_append_str(&strings, e->link);
		}
		me.mode = e->mode;
		me.dev = e->dev, me.ino = e->ino, me.nlink = e->nlink, me.blocks = e->blocks;
		me.mtime_ns = e->mtime_ns, me.ctime_ns = e->ctime_ns;
		me.size = S_ISLNK(e->mode) ? me.link_len : e->size;
		if (S_ISREG(e->mode))
			memcpy(me.sha256, e->sha, 32);
		if (S_ISREG(e->mode) && e->nsites) {
			me.sites_first = h.nsites;
			me.sites_count = e->nsites;
			h.nsites += e->nsites;
			buf_append(&sites, e->sites, (size_t)e->nsites * sizeof(*e->sites));
		}
		buf_append(out, &me, sizeof(me));
	}
	h.count = (uint32_t)l->n;
	h.entries_off = sizeof(h);
	h.strings_off = sizeof(h) + ents_size;
	h.strings_size = strings.len;
	buf_append(out, strings.data, strings.len);
	if (h.nsites) {
		static const uint8_t zero[8];
		buf_append(out, zero, (8 - out->len % 8) % 8);	/* the sites hold uint64_t */
	}
	h.sites_off = out->len;
	buf_append(out, sites.data, sites.len);
	h.total_size = out->len;
	memcpy(out->data, &h, sizeof(h));
	buf_free(&strings);
	buf_free(&sites);
}

/* Structure only: offsets inside the file, NUL-terminated strings, root first, sorted, each
 * entry's sites inside the sites array. */
int manifest_check(const void *data, size_t len)
{
	const struct cella_manifest_header *h = data;
	const struct cella_manifest_entry *ents;
	const char *strs;

	if (len < sizeof(*h) || h->magic != CELLA_MANIFEST_MAGIC ||
	    h->version != CELLA_MANIFEST_VERSION || h->total_size != len ||
	    h->entries_off + (uint64_t)h->count * sizeof(*ents) > h->strings_off ||
	    h->strings_off + h->strings_size > len || h->count == 0 ||
	    h->sites_off < h->strings_off + h->strings_size || h->sites_off > len ||
	    h->nsites > (len - h->sites_off) / sizeof(struct cella_manifest_site))
		return -EINVAL;
	ents = (const void *)((const char *)data + h->entries_off);
	strs = (const char *)data + h->strings_off;
	for (uint32_t i = 0; i < h->count; i++) {
		const struct cella_manifest_entry *e = &ents[i];
		if ((uint64_t)e->path_off + e->path_len >= h->strings_size ||
		    (uint64_t)e->link_off + e->link_len >= h->strings_size ||
		    strs[e->path_off + e->path_len] != '\0' || strs[e->link_off + e->link_len] != '\0')
			return -EINVAL;
		if (e->sites_first > h->nsites || e->sites_count > h->nsites - e->sites_first)
			return -EINVAL;
		if (i == 0 ? e->path_len != 0 : strcmp(strs + ents[i - 1].path_off, strs + e->path_off) >= 0)
			return -EINVAL;
	}
	return 0;
}
