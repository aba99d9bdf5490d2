/* cli/cmd_run.c — `cella run [--] PATH [ARGS...]` in cella-cli: the checks of run_check.c, each
 * failing with one message and exit 1 before anything runs; then launch.c starts the runtime.
 * The `cella` front (front.c) serves the same command when every check passes. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cmd_run_help[] =
	"usage: cella run [--] PATH [ARGS...]\n"
	"\n"
	"Runs PATH, a path inside the image (e.g. /bin/ls), with ARGS, under cella-runtime.\n"
	"PATH must be under one of entry_points in cella.json. stdin, stdout and stderr are\n"
	"inherited. The instance must be built and up to date (`cella build`).\n"
	"\n"
	"environment:\n"
	"  CELLA_RUNTIME   the runtime to start (default: cella-runtime next to cella)\n"
	"  CELLA_LOG       error|warn|info|debug|trace: the runtime's log level\n"
	"  CELLA_LOG_FILE  append the runtime's log to this file instead of stderr\n"
	"\n"
	"Exit status: the program's, 128+N if it was killed by signal N, 1 if cella itself failed\n"
	"before running it.\n";

int cmd_run(int argc, char **argv)
{
	char why[CLI_ERR_MAX] = "";
	struct run_fds fds;
	char *runtime;
	int i = 1, rc, aslr;

	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i == argc) {
		cli_error("run needs the path of a program inside the image; e.g. `cella run /bin/ls`");
		return 1;
	}
	if (run_prepare(argv[i], &fds, &aslr, why)) {
		cli_error("%s", why);
		return 1;
	}
	runtime = run_runtime_path();
	rc = launch_runtime(runtime, &fds, argv[i], argv + i + 1, aslr);
	free(runtime);
	return rc;
}
