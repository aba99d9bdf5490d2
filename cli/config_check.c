/* cli/config_check.c — typed readers for cella.json values: each checks one value's JSON type
 * and range and, on failure, writes one error naming the file, the full key path, what was
 * expected and what was found. They return 0 or -EINVAL and never print. */
#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "cli.h"
#include "config_check.h"

const char *cfgv_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real number";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	case JSON_NULL: return "null";
	}
	return "an unknown value";
}

int cfgv_fail(struct cfgv *c, const char *key, const char *fmt, ...)
{
	char msg[CLI_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	errf(c->err, "%s: %s: %s", c->file, key, msg);
	return -EINVAL;
}

int cfgv_type(struct cfgv *c, const json_t *v, json_type t, const char *key, const char *what)
{
	if (json_typeof(v) == t)
		return 0;
	return cfgv_fail(c, key, "expected %s, got %s", what, cfgv_type_name(v));
}

int cfgv_known_keys(struct cfgv *c, const json_t *obj, const char *prefix,
		    const char *const *known, size_t n)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)obj, k, v) {
		const char *hint;
		char *key;
		size_t i;
		int r;

		for (i = 0; i < n && strcmp(k, known[i]) != 0; i++)
			;
		if (i < n)
			continue;
		key = *prefix ? xasprintf("%s.%s", prefix, k) : xstrdup(k);
		hint = suggest_word(k, known, n);
		if (hint) {
			r = cfgv_fail(c, key, "unknown key; did you mean '%s'?", hint);
		} else {
			char list[512] = "";
			for (i = 0; i < n; i++) {
				strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
				strncat(list, known[i], sizeof(list) - strlen(list) - 1);
			}
			r = cfgv_fail(c, key, "unknown key; remove it (known keys here: %s)", list);
		}
		free(key);
		return r;
	}
	return 0;
}

int cfgv_string(struct cfgv *c, const json_t *v, const char *key, const char **out)
{
	if (cfgv_type(c, v, JSON_STRING, key, "a string"))
		return -EINVAL;
	if (strlen(json_string_value(v)) != json_string_length(v))
		return cfgv_fail(c, key, "the string contains a NUL character (\\u0000); remove it");
	*out = json_string_value(v);
	return 0;
}

int cfgv_size(struct cfgv *c, const json_t *v, const char *key, uint64_t min, uint64_t max,
	      uint64_t *out)
{
	char lo[32], hi[32];
	uint64_t n;

	size_format(min, lo);
	size_format(max, hi);
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0)
			return cfgv_fail(c, key, "%lld is out of range; allowed %s to %s",
					 (long long)json_integer_value(v), lo, hi);
		n = (uint64_t)json_integer_value(v);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		int r = size_parse(s, &n);
		if (r == -ERANGE)
			return cfgv_fail(c, key, "\"%s\" is out of range; allowed %s to %s", s, lo, hi);
		if (r < 0)
			return cfgv_fail(c, key, "\"%s\" is not a size; write a number of bytes or a "
					 "number with K, M, G or T (e.g. \"64M\")", s);
	} else {
		return cfgv_fail(c, key, "expected a size (a number of bytes or a string like "
				 "\"64M\"), got %s", cfgv_type_name(v));
	}
	if (n < min || n > max) {
		char got[32];
		size_format(n, got);
		return cfgv_fail(c, key, "%s is out of range; allowed %s to %s", got, lo, hi);
	}
	*out = n;
	return 0;
}

int cfgv_uint(struct cfgv *c, const json_t *v, const char *key, uint64_t min, uint64_t max,
	      uint32_t *out)
{
	json_int_t n;

	if (cfgv_type(c, v, JSON_INTEGER, key, "an integer"))
		return -EINVAL;
	n = json_integer_value(v);
	if (n < 0 || (uint64_t)n < min || (uint64_t)n > max)
		return cfgv_fail(c, key, "%lld is out of range; allowed %llu to %llu", (long long)n,
				 (unsigned long long)min, (unsigned long long)max);
	*out = (uint32_t)n;
	return 0;
}

int cfgv_bool(struct cfgv *c, const json_t *v, const char *key, bool *out)
{
	if (!json_is_boolean(v))
		return cfgv_fail(c, key, "expected true or false, got %s", cfgv_type_name(v));
	*out = json_is_true(v);
	return 0;
}

/* A path inside the instance: absolute and canonical, so the runtime compares it bytewise. */
int cfgv_abs_path(struct cfgv *c, const json_t *v, const char *key, const char **out)
{
	const char *s;
	char *norm;

	if (cfgv_string(c, v, key, &s))
		return -EINVAL;
	if (s[0] != '/')
		return cfgv_fail(c, key, "\"%s\" is not an absolute path; start it with '/'", s);
	if (!path_is_canonical(s)) {
		int r;
		norm = path_normalize(s);
		r = cfgv_fail(c, key, "\"%s\" is not canonical; write \"%s\"", s, norm);
		free(norm);
		return r;
	}
	*out = s;
	return 0;
}

/* An environment variable name: non-empty, no '='. */
int cfgv_env_name(struct cfgv *c, const char *name, const char *key)
{
	if (!*name || strchr(name, '='))
		return cfgv_fail(c, key, "\"%s\" is not a variable name; names are non-empty and "
				 "have no '='", name);
	return 0;
}
