/* tests/unit/cli_config.c — cella.json validation (cli/config*.c): the defaults, values read
 * from a full document, and one case for every kind of error, each checked by the key path and
 * the words of the message. */
#include <stdio.h>
#include <string.h>

#include "../../cli/config.c"
#include "../../cli/config_check.c"
#include "../../cli/config_defaults.c"
#include "../../cli/fileio.c"
#include "../../cli/path.c"
#include "../../cli/size.c"
#include "../../cli/suggest.c"
#include "../../cli/util.c"

static int failures;

static void fail(const char *name, const char *fmt, const char *a, const char *b)
{
	printf("FAIL %s: ", name);
	printf(fmt, a, b);
	printf("\n");
	failures++;
}

/* Parses `json`; want == NULL means it must be accepted, else the error must contain each
 * '|'-separated part of want. */
static void expect(const char *name, const char *json, const char *want)
{
	struct cli_config cfg;
	char err[CLI_ERR_MAX] = "";
	int r = config_parse("cella.json", json, strlen(json), &cfg, err);

	if (!want) {
		if (r == 0)
			printf("ok %s\n", name);
		else
			fail(name, "expected success, got error: %s%s", err, "");
		config_free(&cfg);
		return;
	}
	if (r == 0) {
		fail(name, "expected an error containing \"%s\", got success%s", want, "");
		config_free(&cfg);
		return;
	}
	char parts[512], *save = NULL;
	snprintf(parts, sizeof(parts), "%s", want);
	for (char *p = strtok_r(parts, "|", &save); p; p = strtok_r(NULL, "|", &save)) {
		if (!strstr(err, p)) {
			fail(name, "expected the error to contain \"%s\", got: %s", p, err);
			return;
		}
	}
	printf("ok %s\n", name);
}

#define CHECK_EQ(name, got, want)                                                          \
	do {                                                                               \
		unsigned long long g_ = (unsigned long long)(got), w_ = (unsigned long long)(want); \
		if (g_ == w_) {                                                            \
			printf("ok %s\n", name);                                           \
		} else {                                                                   \
			printf("FAIL %s: expected %llu, got %llu\n", name, w_, g_);       \
			failures++;                                                        \
		}                                                                          \
	} while (0)

static void test_defaults(void)
{
	struct cli_config c;
	char err[CLI_ERR_MAX] = "";
	int r = config_parse("cella.json", "{}", 2, &c, err);

	CHECK_EQ("an empty object is valid (every key defaults)", r, 0);
	CHECK_EQ("default user_space_size is 4G", c.user_space_size, 4ULL << 30);
	CHECK_EQ("default kernel_heap_size is 64M", c.kernel_heap_size, 64ULL << 20);
	CHECK_EQ("default max_num_of_threads is 64", c.max_num_of_threads, 64);
	CHECK_EQ("default max_open_files is 1024", c.max_open_files, 1024);
	CHECK_EQ("default stack is 8M", c.default_stack_size, 8ULL << 20);
	CHECK_EQ("default heap is 64M", c.default_heap_size, 64ULL << 20);
	CHECK_EQ("default entry_points has 5 dirs", c.entry_points.n, 5);
	CHECK_EQ("default env has 3 variables", c.env_default.n, 3);
	CHECK_EQ("default env PATH first", strcmp(c.env_default.v[0], "PATH=/usr/local/bin:/usr/bin:/bin"), 0);
	CHECK_EQ("default untrusted is TERM", strcmp(c.env_untrusted.v[0], "TERM"), 0);
	CHECK_EQ("default has 4 mounts", c.nmounts, 4);
	CHECK_EQ("default tmpfs /tmp is 256M", c.mounts[1].size, 256ULL << 20);
	CHECK_EQ("default mount 0 is the image", c.mounts[0].type, CELLA_MOUNT_IMAGE);
	CHECK_EQ("default hostname is cella", strcmp(c.hostname, "cella"), 0);
	CHECK_EQ("default aslr is on", c.aslr, 1);
	config_free(&c);
}

static void test_values(void)
{
	const char *j = "{\"resource_limits\": {\"user_space_size\": 17179869184, "
			"\"max_num_of_threads\": 8}, \"process\": {\"default_stack_size\": \"1MiB\"},"
			"\"metadata\": {\"hostname\": \"box-1\", \"uid\": 1000, \"gid\": 100},"
			"\"security\": {\"aslr\": false}, \"mounts\": [{\"target\": \"/\", "
			"\"type\": \"image\"}, {\"target\": \"/scratch\", \"type\": \"tmpfs\", "
			"\"size\": \"2G\"}]}";
	struct cli_config c;
	char err[CLI_ERR_MAX] = "";
	int r = config_parse("cella.json", j, strlen(j), &c, err);

	CHECK_EQ("a full document parses", r, 0);
	if (r) {
		printf("  error: %s\n", err);
		return;
	}
	CHECK_EQ("user_space_size as a number", c.user_space_size, 16ULL << 30);
	CHECK_EQ("max_num_of_threads read", c.max_num_of_threads, 8);
	CHECK_EQ("stack \"1MiB\"", c.default_stack_size, 1ULL << 20);
	CHECK_EQ("uid read", c.uid, 1000);
	CHECK_EQ("gid read", c.gid, 100);
	CHECK_EQ("hostname read", strcmp(c.hostname, "box-1"), 0);
	CHECK_EQ("aslr false", c.aslr, 0);
	CHECK_EQ("two mounts", c.nmounts, 2);
	CHECK_EQ("tmpfs size 2G", c.mounts[1].size, 2ULL << 30);
	CHECK_EQ("tmpfs target", strcmp(c.mounts[1].target, "/scratch"), 0);
	config_free(&c);
}

int main(void)
{
	test_defaults();
	test_values();
	expect("init's own document is valid", json_dumps(config_default_json(), 0), NULL);
	expect("invalid JSON names line and column", "{\n  \"env\": {,\n}", "cella.json:2:|invalid JSON");
	expect("trailing garbage is invalid JSON", "{} x", "cella.json:1:|invalid JSON");
	expect("a duplicate key is rejected", "{\"env\": {}, \"env\": {}}", "duplicate");
	expect("top level must be an object", "[]", "top level must be an object|got an array");
	expect("unknown top-level key suggests the near miss", "{\"secruity\": {}}",
	       "secruity: unknown key|did you mean 'security'?");
	expect("unknown nested key names the full path",
	       "{\"resource_limits\": {\"user_space_sise\": \"4G\"}}",
	       "resource_limits.user_space_sise: unknown key|did you mean 'user_space_size'?");
	expect("unknown key far from all lists the known keys", "{\"zzzzzz\": 1}",
	       "zzzzzz: unknown key|known keys here: entry_points");
	expect("wrong type: string for integer",
	       "{\"resource_limits\": {\"max_num_of_threads\": \"64\"}}",
	       "resource_limits.max_num_of_threads: expected an integer, got a string");
	expect("wrong type: number for bool", "{\"security\": {\"aslr\": 1}}",
	       "security.aslr: expected true or false, got an integer");
	expect("wrong type: object for section", "{\"process\": []}",
	       "process: expected an object, got an array");
	expect("wrong type: size given as bool", "{\"process\": {\"default_heap_size\": true}}",
	       "process.default_heap_size: expected a size|got true");
	expect("wrong type: real for size", "{\"process\": {\"default_heap_size\": 1.5}}",
	       "expected a size|got a real number");
	expect("zero stack is out of range", "{\"process\": {\"default_stack_size\": 0}}",
	       "process.default_stack_size: 0 is out of range|allowed 64K to 4G");
	expect("user_space_size below 16M", "{\"resource_limits\": {\"user_space_size\": \"8M\"}}",
	       "resource_limits.user_space_size: 8M is out of range|allowed 16M to 128T");
	expect("user_space_size above 128T",
	       "{\"resource_limits\": {\"user_space_size\": \"129T\"}}", "allowed 16M to 128T");
	expect("kernel_heap_size below 1M",
	       "{\"resource_limits\": {\"kernel_heap_size\": \"512K\"}}",
	       "resource_limits.kernel_heap_size|allowed 1M to 64G");
	expect("negative size", "{\"process\": {\"default_stack_size\": -1}}", "-1 is out of range");
	expect("bad size syntax", "{\"process\": {\"default_stack_size\": \"8Q\"}}",
	       "\"8Q\" is not a size");
	expect("zero threads", "{\"resource_limits\": {\"max_num_of_threads\": 0}}",
	       "max_num_of_threads: 0 is out of range; allowed 1 to 4096");
	expect("stack + heap larger than user space",
	       "{\"process\": {\"default_heap_size\": \"4G\"}}", "do not fit|user_space_size");
	expect("relative entry point", "{\"entry_points\": [\"usr/bin\"]}",
	       "entry_points[0]: \"usr/bin\" is not an absolute path");
	expect("non-canonical entry point", "{\"entry_points\": [\"/usr//bin/../bin/\"]}",
	       "entry_points[0]|not canonical; write \"/usr/bin\"");
	expect("entry point not a string", "{\"entry_points\": [1]}",
	       "entry_points[0]: expected a string, got an integer");
	expect("empty entry_points", "{\"entry_points\": []}", "entry_points: the list is empty");
	expect("env value not a string", "{\"env\": {\"default\": {\"A\": 1}}}",
	       "env.default.A: expected a string, got an integer");
	expect("env name with =", "{\"env\": {\"default\": {\"A=B\": \"x\"}}}",
	       "is not a variable name");
	expect("a NUL inside a string is rejected", "{\"env\": {\"default\": {\"A\": "
	       "\"x\\u0000y\"}}}", "cella.json:1:|u0000");
	expect("untrusted not an array", "{\"env\": {\"untrusted\": \"TERM\"}}",
	       "env.untrusted: expected an array of strings, got a string");
	expect("unknown mount type suggests", "{\"mounts\": [{\"target\": \"/\", \"type\": "
	       "\"image\"}, {\"target\": \"/t\", \"type\": \"tmfps\"}]}",
	       "mounts[1].type: unknown mount type \"tmfps\"|did you mean 'tmpfs'?");
	expect("unknown mount type lists types", "{\"mounts\": [{\"target\": \"/\", \"type\": "
	       "\"nfs\"}]}", "mounts[0].type|use image, tmpfs, devfs or procfs");
	expect("relative mount target", "{\"mounts\": [{\"target\": \"tmp\", \"type\": "
	       "\"tmpfs\"}]}", "mounts[0].target: \"tmp\" is not an absolute path");
	expect("non-canonical mount target", "{\"mounts\": [{\"target\": \"/\", \"type\": "
	       "\"image\"}, {\"target\": \"/tmp/\", \"type\": \"tmpfs\"}]}",
	       "mounts[1].target|not canonical; write \"/tmp\"");
	expect("duplicate mount target", "{\"mounts\": [{\"target\": \"/\", \"type\": \"image\"},"
	       "{\"target\": \"/tmp\", \"type\": \"tmpfs\"}, {\"target\": \"/tmp\", \"type\": "
	       "\"devfs\"}]}", "mounts[2].target: \"/tmp\" is mounted twice (also mounts[1])");
	expect("missing / image mount", "{\"mounts\": [{\"target\": \"/tmp\", \"type\": "
	       "\"tmpfs\"}]}", "mounts: no image mount at \"/\"");
	expect("image mount elsewhere than /", "{\"mounts\": [{\"target\": \"/x\", \"type\": "
	       "\"image\"}]}", "mounts[0]: an image mount can only be at \"/\"");
	expect("size on a non-tmpfs mount", "{\"mounts\": [{\"target\": \"/\", \"type\": "
	       "\"image\", \"size\": \"1M\"}]}", "mounts[0].size: only tmpfs mounts take a size");
	expect("mount without type", "{\"mounts\": [{\"target\": \"/\"}]}",
	       "mounts[0]: a mount needs \"target\" and \"type\"");
	expect("unknown key in a mount", "{\"mounts\": [{\"target\": \"/\", \"type\": \"image\", "
	       "\"tpye\": 1}]}", "mounts[0].tpye: unknown key|did you mean 'type'?");
	expect("too many mounts", "{\"mounts\": [{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},"
	       "{},{}]}", "at most 16");
	expect("bad hostname", "{\"metadata\": {\"hostname\": \"a b\"}}",
	       "metadata.hostname: \"a b\" is not a hostname");
	expect("hostname too long", "{\"metadata\": {\"hostname\": "
	       "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}}",
	       "is not a hostname");
	expect("negative uid", "{\"metadata\": {\"uid\": -1}}", "metadata.uid: -1 is out of range");
	return failures ? 1 : 0;
}
