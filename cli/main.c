/* cli/main.c — entry of the `cella` command: global options (-C DIR, --help, --version),
 * dispatch to one cmd_*.c per command, and `COMMAND --help`. Exit status 1 for any error of
 * cella's own; `cella run` exits with the app's status. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char main_help[] =
	"usage: cella [-C DIR] COMMAND [ARGS...]\n"
	"       cella --help | --version | COMMAND --help\n"
	"\n"
	"Runs unmodified Linux x86-64 programs inside an instance: a directory with cella.json,\n"
	"image/ (the file tree the program sees as /), build/ and run/.\n"
	"\n"
	"commands:\n"
	"  init [DIR]                      create an instance with a default cella.json\n"
	"  add [--to IMAGE] [--dir] PATH... copy host programs and their libraries into image/\n"
	"  build                           validate cella.json, hash image/, write build/\n"
	"  run [--] PATH [ARGS...]         run PATH (a path inside the image)\n"
	"\n"
	"options:\n"
	"  -C DIR     use the instance in DIR (default: the current directory)\n"
	"  --help     show this help; `cella COMMAND --help` shows a command's\n"
	"  --version  print the version\n";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} main_cmds[] = {
	{ "init", cmd_init, cmd_init_help },
	{ "add", cmd_add, cmd_add_help },
	{ "build", cmd_build, cmd_build_help },
	{ "run", cmd_run, cmd_run_help },
};

int main(int argc, char **argv)
{
	const char *names[sizeof(main_cmds) / sizeof(main_cmds[0])];
	const char *hint;
	int i = 1;

	cli_fix_std_fds();
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(main_help, stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("cella %s\n", CELLA_CLI_VERSION);
			return 0;
		} else if (strcmp(argv[i], "-C") == 0 && i + 1 < argc) {
			if (chdir(argv[i + 1]) < 0) {
				cli_error("-C %s: %m; give an existing instance directory", argv[i + 1]);
				return 1;
			}
			i += 2;
		} else if (strncmp(argv[i], "-C", 2) == 0 && argv[i][2]) {
			if (chdir(argv[i] + 2) < 0) {
				cli_error("-C %s: %m; give an existing instance directory", argv[i] + 2);
				return 1;
			}
			i++;
		} else {
			cli_error("unknown option '%s'; see `cella --help`", argv[i]);
			return 1;
		}
	}
	if (i == argc) {
		fputs(main_help, stderr);
		return 1;
	}
	for (size_t c = 0; c < sizeof(main_cmds) / sizeof(main_cmds[0]); c++) {
		names[c] = main_cmds[c].name;
		if (strcmp(argv[i], main_cmds[c].name) != 0)
			continue;
		if (i + 1 < argc && (strcmp(argv[i + 1], "--help") == 0 ||
				     strcmp(argv[i + 1], "-h") == 0)) {
			fputs(main_cmds[c].help, stdout);
			return 0;
		}
		return main_cmds[c].fn(argc - i, argv + i);
	}
	hint = suggest_word(argv[i], names, sizeof(names) / sizeof(names[0]));
	if (hint)
		cli_error("unknown command '%s'; did you mean '%s'?", argv[i], hint);
	else
		cli_error("unknown command '%s'; commands are init, add, build, run", argv[i]);
	return 1;
}
