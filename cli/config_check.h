/* cli/config_check.h — typed readers for cella.json values (config_check.c), used by config.c.
 * Every reader writes one complete error line into c->err and returns -EINVAL on failure. */
#ifndef CELLA_CLI_CONFIG_CHECK_H
#define CELLA_CLI_CONFIG_CHECK_H

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct cfgv {
	const char *file;	/* as named in messages: "cella.json" */
	char *err;		/* CLI_ERR_MAX bytes */
};

const char *cfgv_type_name(const json_t *v);
int cfgv_fail(struct cfgv *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int cfgv_type(struct cfgv *c, const json_t *v, json_type t, const char *key, const char *what);
int cfgv_known_keys(struct cfgv *c, const json_t *obj, const char *prefix,
		    const char *const *known, size_t n);
int cfgv_string(struct cfgv *c, const json_t *v, const char *key, const char **out);
int cfgv_size(struct cfgv *c, const json_t *v, const char *key, uint64_t min, uint64_t max,
	      uint64_t *out);
int cfgv_uint(struct cfgv *c, const json_t *v, const char *key, uint64_t min, uint64_t max,
	      uint32_t *out);
int cfgv_bool(struct cfgv *c, const json_t *v, const char *key, bool *out);
int cfgv_abs_path(struct cfgv *c, const json_t *v, const char *key, const char **out);
int cfgv_env_name(struct cfgv *c, const char *name, const char *key);

#endif
