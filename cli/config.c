/* cli/config.c — cella.json → struct cli_config: the schema (which keys exist, their types
 * and limits) and the cross-key rules. A missing key takes its value from config_defaults.c;
 * the first problem found is the one reported. */
#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "../include/cella/config.h"
#include "cli.h"
#include "config_check.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define TiB (1ULL << 40)

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The user's value for `key`, or the default document's when the user left it out. */
static json_t *config_get(json_t *obj, json_t *defobj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return v ? v : json_object_get(defobj, key);
}

static int config_strings(struct cfgv *c, json_t *v, const char *key, struct strvec *out,
			  bool paths)
{
	size_t i;
	json_t *e;

	if (cfgv_type(c, v, JSON_ARRAY, key, "an array of strings"))
		return -EINVAL;
	json_array_foreach(v, i, e) {
		char *k = xasprintf("%s[%zu]", key, i);
		const char *s;
		int r = paths ? cfgv_abs_path(c, e, k, &s) : cfgv_string(c, e, k, &s);
		if (!r && !paths)
			r = cfgv_env_name(c, s, k);
		free(k);
		if (r)
			return r;
		strvec_push(out, s);
	}
	return 0;
}

static int config_env(struct cfgv *c, json_t *env, json_t *def, struct cli_config *cfg)
{
	static const char *const keys[] = { "default", "untrusted" };
	json_t *dflt, *v;
	const char *name;

	if (cfgv_type(c, env, JSON_OBJECT, "env", "an object") ||
	    cfgv_known_keys(c, env, "env", keys, N(keys)))
		return -EINVAL;
	dflt = config_get(env, def, "default");
	if (cfgv_type(c, dflt, JSON_OBJECT, "env.default", "an object of strings"))
		return -EINVAL;
	json_object_foreach(dflt, name, v) {
		char *k = xasprintf("env.default.%s", name);
		const char *s;
		int r = cfgv_env_name(c, name, k);
		if (!r)
			r = cfgv_string(c, v, k, &s);
		free(k);
		if (r)
			return r;
		k = xasprintf("%s=%s", name, s);
		strvec_push(&cfg->env_default, k);
		free(k);
	}
	return config_strings(c, config_get(env, def, "untrusted"), "env.untrusted",
			      &cfg->env_untrusted, false);
}

static int config_limits(struct cfgv *c, json_t *o, json_t *def, struct cli_config *cfg)
{
	static const char *const keys[] = { "user_space_size", "kernel_heap_size",
					    "max_num_of_threads", "max_open_files" };
	const char *p = "resource_limits";

	if (cfgv_type(c, o, JSON_OBJECT, p, "an object") || cfgv_known_keys(c, o, p, keys, N(keys)))
		return -EINVAL;
	if (cfgv_size(c, config_get(o, def, keys[0]), "resource_limits.user_space_size",
		      16 * MiB, 128 * TiB, &cfg->user_space_size) ||
	    cfgv_size(c, config_get(o, def, keys[1]), "resource_limits.kernel_heap_size",
		      1 * MiB, 64 * GiB, &cfg->kernel_heap_size) ||
	    cfgv_uint(c, config_get(o, def, keys[2]), "resource_limits.max_num_of_threads",
		      1, 4096, &cfg->max_num_of_threads) ||
	    cfgv_uint(c, config_get(o, def, keys[3]), "resource_limits.max_open_files",
		      3, 1048576, &cfg->max_open_files))
		return -EINVAL;
	return 0;
}

static int config_process(struct cfgv *c, json_t *o, json_t *def, struct cli_config *cfg)
{
	static const char *const keys[] = { "default_stack_size", "default_heap_size" };

	if (cfgv_type(c, o, JSON_OBJECT, "process", "an object") ||
	    cfgv_known_keys(c, o, "process", keys, N(keys)))
		return -EINVAL;
	if (cfgv_size(c, config_get(o, def, keys[0]), "process.default_stack_size",
		      64 * KiB, 4 * GiB, &cfg->default_stack_size) ||
	    cfgv_size(c, config_get(o, def, keys[1]), "process.default_heap_size",
		      64 * KiB, 128 * TiB, &cfg->default_heap_size))
		return -EINVAL;
	if (cfg->default_stack_size + cfg->default_heap_size > cfg->user_space_size) {
		char s[32], h[32], u[32];
		size_format(cfg->default_stack_size, s);
		size_format(cfg->default_heap_size, h);
		size_format(cfg->user_space_size, u);
		return cfgv_fail(c, "process", "default_stack_size %s + default_heap_size %s do not "
				 "fit in resource_limits.user_space_size %s; lower them or raise "
				 "user_space_size", s, h, u);
	}
	return 0;
}

static int config_mount_type(struct cfgv *c, json_t *v, const char *key, uint32_t *type)
{
	static const char *const names[] = { "image", "tmpfs", "devfs", "procfs" };
	static const uint32_t types[] = { CELLA_MOUNT_IMAGE, CELLA_MOUNT_TMPFS, CELLA_MOUNT_DEVFS,
					  CELLA_MOUNT_PROCFS };
	const char *s, *hint;

	if (cfgv_string(c, v, key, &s))
		return -EINVAL;
	for (size_t i = 0; i < N(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			*type = types[i];
			return 0;
		}
	}
	hint = suggest_word(s, names, N(names));
	if (hint)
		return cfgv_fail(c, key, "unknown mount type \"%s\"; did you mean '%s'?", s, hint);
	return cfgv_fail(c, key, "unknown mount type \"%s\"; use image, tmpfs, devfs or procfs", s);
}

static int config_mount(struct cfgv *c, json_t *m, size_t i, struct cli_mount *out)
{
	static const char *const keys[] = { "target", "type", "size" };
	char *p = xasprintf("mounts[%zu]", i), *k = NULL;
	const char *target;
	json_t *size;
	int r = -EINVAL;

	if (cfgv_type(c, m, JSON_OBJECT, p, "an object") || cfgv_known_keys(c, m, p, keys, N(keys)))
		goto out;
	if (!json_object_get(m, "target") || !json_object_get(m, "type")) {
		cfgv_fail(c, p, "a mount needs \"target\" and \"type\"; add the missing key");
		goto out;
	}
	k = xasprintf("%s.target", p);
	if (cfgv_abs_path(c, json_object_get(m, "target"), k, &target))
		goto out;
	free(k);
	k = xasprintf("%s.type", p);
	if (config_mount_type(c, json_object_get(m, "type"), k, &out->type))
		goto out;
	free(k);
	k = xasprintf("%s.size", p);
	size = json_object_get(m, "size");
	if (size && out->type != CELLA_MOUNT_TMPFS) {
		cfgv_fail(c, k, "only tmpfs mounts take a size; remove it");
		goto out;
	}
	out->size = 0;
	if (out->type == CELLA_MOUNT_TMPFS) {
		out->size = 256 * MiB;
		if (size && cfgv_size(c, size, k, 1 * MiB, 1 * TiB, &out->size))
			goto out;
	}
	if (out->type == CELLA_MOUNT_IMAGE && strcmp(target, "/") != 0) {
		cfgv_fail(c, p, "an image mount can only be at \"/\"; use a tmpfs for \"%s\"", target);
		goto out;
	}
	out->target = xstrdup(target);
	r = 0;
out:
	free(k);
	free(p);
	return r;
}

static int config_mounts(struct cfgv *c, json_t *v, struct cli_config *cfg)
{
	bool have_root = false;
	size_t i;
	json_t *m;

	if (cfgv_type(c, v, JSON_ARRAY, "mounts", "an array of mount objects"))
		return -EINVAL;
	if (json_array_size(v) > CLI_MAX_MOUNTS)
		return cfgv_fail(c, "mounts", "%zu mounts; at most %d are allowed",
				 json_array_size(v), CLI_MAX_MOUNTS);
	json_array_foreach(v, i, m) {
		struct cli_mount *mt = &cfg->mounts[i];
		if (config_mount(c, m, i, mt))
			return -EINVAL;
		cfg->nmounts = i + 1;
		for (size_t j = 0; j < i; j++) {
			if (strcmp(cfg->mounts[j].target, mt->target) == 0) {
				char *k = xasprintf("mounts[%zu].target", i);
				int r = cfgv_fail(c, k, "\"%s\" is mounted twice (also mounts[%zu]); "
						  "remove one", mt->target, j);
				free(k);
				return r;
			}
		}
		if (mt->type == CELLA_MOUNT_IMAGE)
			have_root = true;
	}
	if (!have_root)
		return cfgv_fail(c, "mounts", "no image mount at \"/\"; add "
				 "{\"target\": \"/\", \"type\": \"image\"}");
	return 0;
}

static int config_metadata(struct cfgv *c, json_t *o, json_t *def, struct cli_config *cfg)
{
	static const char *const keys[] = { "hostname", "uid", "gid" };
	const char *h;

	if (cfgv_type(c, o, JSON_OBJECT, "metadata", "an object") ||
	    cfgv_known_keys(c, o, "metadata", keys, N(keys)))
		return -EINVAL;
	if (cfgv_string(c, config_get(o, def, "hostname"), "metadata.hostname", &h))
		return -EINVAL;
	if (!*h || strlen(h) > CELLA_HOSTNAME_MAX || h[0] == '-' || h[0] == '.' ||
	    strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") !=
		    strlen(h))
		return cfgv_fail(c, "metadata.hostname", "\"%s\" is not a hostname; use 1 to %d "
				 "letters, digits, '-' and '.'", h, CELLA_HOSTNAME_MAX);
	strcpy(cfg->hostname, h);
	return cfgv_uint(c, config_get(o, def, "uid"), "metadata.uid", 0, 4294967294u, &cfg->uid) ||
	       cfgv_uint(c, config_get(o, def, "gid"), "metadata.gid", 0, 4294967294u, &cfg->gid)
		       ? -EINVAL : 0;
}

static int config_security(struct cfgv *c, json_t *o, json_t *def, struct cli_config *cfg)
{
	static const char *const keys[] = { "aslr" };

	if (cfgv_type(c, o, JSON_OBJECT, "security", "an object") ||
	    cfgv_known_keys(c, o, "security", keys, N(keys)))
		return -EINVAL;
	return cfgv_bool(c, config_get(o, def, "aslr"), "security.aslr", &cfg->aslr);
}

int config_from_json(json_t *root, const char *file, struct cli_config *cfg, char *err)
{
	static const char *const keys[] = { "entry_points", "env", "resource_limits", "process",
					    "mounts", "metadata", "security" };
	struct cfgv c = { .file = file, .err = err };
	json_t *def = config_default_json();
	int r = -EINVAL;

	memset(cfg, 0, sizeof(*cfg));
	if (!json_is_object(root)) {
		errf(err, "%s: the top level must be an object ({...}), got %s", file,
		     cfgv_type_name(root));
		goto out;
	}
	if (cfgv_known_keys(&c, root, "", keys, N(keys)) ||
	    config_strings(&c, config_get(root, def, "entry_points"), "entry_points",
			   &cfg->entry_points, true) ||
	    config_env(&c, config_get(root, def, "env"), json_object_get(def, "env"), cfg) ||
	    config_limits(&c, config_get(root, def, "resource_limits"),
			  json_object_get(def, "resource_limits"), cfg) ||
	    config_process(&c, config_get(root, def, "process"), json_object_get(def, "process"),
			   cfg) ||
	    config_mounts(&c, config_get(root, def, "mounts"), cfg) ||
	    config_metadata(&c, config_get(root, def, "metadata"), json_object_get(def, "metadata"),
			    cfg) ||
	    config_security(&c, config_get(root, def, "security"), json_object_get(def, "security"),
			    cfg))
		goto out;
	if (cfg->entry_points.n == 0) {
		errf(err, "%s: entry_points: the list is empty, so nothing could run; add a "
		     "directory such as \"/usr/bin\"", file);
		goto out;
	}
	r = 0;
out:
	json_decref(def);
	if (r)
		config_free(cfg);
	return r;
}

int config_parse(const char *file, const void *data, size_t len, struct cli_config *cfg,
		 char *err)
{
	json_error_t je;
	json_t *root;
	int r;

	memset(cfg, 0, sizeof(*cfg));
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		errf(err, "%s:%d:%d: invalid JSON: %s; fix the syntax at line %d, column %d",
		     file, je.line, je.column, je.text, je.line, je.column);
		return -EINVAL;
	}
	r = config_from_json(root, file, cfg, err);
	json_decref(root);
	return r;
}

int config_load(const char *path, struct cli_config *cfg, char *err)
{
	uint8_t *data;
	size_t len;
	int r = read_whole_file(path, &data, &len);

	memset(cfg, 0, sizeof(*cfg));
	if (r == -ENOENT) {
		errf(err, "%s: no such file; run `cella init` to create an instance", path);
		return r;
	}
	if (r) {
		errf(err, "%s: cannot read it: %s", path, strerror(-r));
		return r;
	}
	r = config_parse(path, data, len, cfg, err);
	free(data);
	return r;
}

void config_free(struct cli_config *cfg)
{
	strvec_free(&cfg->entry_points);
	strvec_free(&cfg->env_default);
	strvec_free(&cfg->env_untrusted);
	for (size_t i = 0; i < cfg->nmounts; i++)
		free(cfg->mounts[i].target);
	cfg->nmounts = 0;
}
