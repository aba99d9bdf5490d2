/* libos/config.h — the instance config blob (include/cella/config.h) as the LibOS reads it:
 * mapped read-only at start, validated once, then only read. */
#ifndef LIBOS_CONFIG_H
#define LIBOS_CONFIG_H

#include "../include/cella/config.h"

extern const struct cella_config *cfg;

/* Maps and validates the blob from host fd `fd`. */
long config_load(int fd);
/* The string at offset `off` in the blob. */
const char *config_str(uint32_t off);
/* Iterates a string list: returns the next string after `prev` (NULL for the first), or NULL. */
const char *config_strlist_next(const struct cella_strlist *l, const char *prev);

#endif
