/* cli/config_defaults.c — the default cella.json, the one place defaults live: `cella init`
 * writes it and `cella build` takes a missing key's value from it. Sections are in the order
 * users change them most; docs/config.md documents every key here. */
#include <jansson.h>

#include "cli.h"

static json_t *defaults_strings(const char *const *v)
{
	json_t *a = json_array();
	for (; *v; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

static json_t *defaults_mount(const char *target, const char *type, const char *size)
{
	json_t *m = json_object();
	json_object_set_new(m, "target", json_string(target));
	json_object_set_new(m, "type", json_string(type));
	if (size)
		json_object_set_new(m, "size", json_string(size));
	return m;
}

json_t *config_default_json(void)
{
	static const char *const entry_points[] = {
		"/bin", "/usr/bin", "/usr/local/bin", "/sbin", "/usr/sbin", NULL
	};
	static const char *const untrusted[] = { "TERM", NULL };
	json_t *root = json_object(), *env = json_object(), *envdef = json_object();
	json_t *limits = json_object(), *proc = json_object(), *mounts = json_array();
	json_t *meta = json_object(), *sec = json_object();

	json_object_set_new(root, "entry_points", defaults_strings(entry_points));

	json_object_set_new(envdef, "PATH", json_string("/usr/local/bin:/usr/bin:/bin"));
	json_object_set_new(envdef, "HOME", json_string("/root"));
	json_object_set_new(envdef, "LANG", json_string("C.UTF-8"));
	json_object_set_new(env, "default", envdef);
	json_object_set_new(env, "untrusted", defaults_strings(untrusted));
	json_object_set_new(root, "env", env);

	json_object_set_new(limits, "user_space_size", json_string("4G"));
	json_object_set_new(limits, "kernel_heap_size", json_string("64M"));
	json_object_set_new(limits, "max_num_of_threads", json_integer(64));
	json_object_set_new(limits, "max_open_files", json_integer(1024));
	json_object_set_new(root, "resource_limits", limits);

	json_object_set_new(proc, "default_stack_size", json_string("8M"));
	json_object_set_new(proc, "default_heap_size", json_string("64M"));
	json_object_set_new(root, "process", proc);

	json_array_append_new(mounts, defaults_mount("/", "image", NULL));
	json_array_append_new(mounts, defaults_mount("/tmp", "tmpfs", "256M"));
	json_array_append_new(mounts, defaults_mount("/dev", "devfs", NULL));
	json_array_append_new(mounts, defaults_mount("/proc", "procfs", NULL));
	json_object_set_new(root, "mounts", mounts);

	json_object_set_new(meta, "hostname", json_string("cella"));
	json_object_set_new(meta, "uid", json_integer(0));
	json_object_set_new(meta, "gid", json_integer(0));
	json_object_set_new(root, "metadata", meta);

	json_object_set_new(sec, "aslr", json_true());
	json_object_set_new(root, "security", sec);
	return root;
}
