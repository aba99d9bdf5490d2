/* libos/config.c — loads the config blob. Every offset is checked once here, so the rest of
 * the LibOS can use strings and lists without bounds checks. */
#include "config.h"
#include "errno.h"
#include "log.h"
#include "../lib/mem.h"
#include "../pal/pal.h"
#include <asm/stat.h>

const struct cella_config *cfg;

static int strlist_ok(const struct cella_strlist *l, uint32_t size)
{
	if (l->count == 0)
		return 1;
	if (l->off >= size || l->bytes > size - l->off)
		return 0;
	const char *s = (const char *)cfg + l->off;
	/* The list must end with a NUL and hold exactly `count` strings. */
	uint32_t n = 0;
	for (uint32_t i = 0; i < l->bytes; i++)
		if (s[i] == 0)
			n++;
	return l->bytes && s[l->bytes - 1] == 0 && n == l->count;
}

static int str_ok(uint32_t off, uint32_t size)
{
	return off < size && memchr((const char *)cfg + off, 0, size - off);
}

long config_load(int fd)
{
	struct stat st;
	long r = pal_fstat(fd, &st);
	if (r < 0)
		return r;
	if ((uint64_t)st.st_size < sizeof(struct cella_config) || st.st_size > (1 << 24))
		return -EINVAL;
	long p = pal_mmap(0, st.st_size, 1 /* PROT_READ */, 2 /* MAP_PRIVATE */, fd, 0);
	if (p < 0)
		return p;
	cfg = (const struct cella_config *)p;
	uint32_t size = (uint32_t)st.st_size;
	if (cfg->magic != CELLA_CONFIG_MAGIC || cfg->version != CELLA_CONFIG_VERSION ||
	    cfg->total_size != size || cfg->nmounts > CELLA_MAX_MOUNTS ||
	    cfg->hostname[CELLA_HOSTNAME_MAX] != 0)
		return -EINVAL;
	if (!strlist_ok(&cfg->entry_points, size) || !strlist_ok(&cfg->env_default, size) ||
	    !strlist_ok(&cfg->env_untrusted, size))
		return -EINVAL;
	for (uint32_t i = 0; i < cfg->nmounts; i++)
		if (!str_ok(cfg->mounts[i].target_off, size))
			return -EINVAL;
	return 0;
}

const char *config_str(uint32_t off)
{
	return (const char *)cfg + off;
}

const char *config_strlist_next(const struct cella_strlist *l, const char *prev)
{
	const char *start = (const char *)cfg + l->off;
	if (l->count == 0)
		return NULL;
	if (!prev)
		return start;
	const char *next = prev + strlen(prev) + 1;
	return next < start + l->bytes ? next : NULL;
}
