/* cli/front.c — `cella` itself: a small static program (musl, no JSON, no decoder) that serves
 * `cella [-C DIR] run [--] PATH [ARGS...]` when every check of run_check.c passes, and hands
 * everything else by execve to cella-cli beside it: the other commands, --help, and every run
 * that would be refused or needs more than stats (cella.json touched, image/ changed), which
 * cella-cli checks again and refuses with its message or runs.
 * Why a second program: every `cella run` is a host process start in front of the app. A static
 * glibc program spends ~1 ms of it before main (CPU feature probing with cpuid, which a virtual
 * machine traps, ifunc relocations, tunables), cella-cli with Capstone's tables ~1.6 ms; this one
 * ~0.3 ms. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define FRONT_FULL_NAME "cella-cli"

/* The checks cella-cli makes by content: here they only say "look closer", with no message;
 * run_prepare then fails and main hands the run over. */
int stale_config_content(const char *cfgpath, const void *blob, size_t bloblen,
			 const struct mf_entry *built, char *why)
{
	(void)cfgpath, (void)blob, (void)bloblen, (void)built;
	why[0] = '\0';
	return 1;
}

void stale_explain(const char *dir, char *why)
{
	(void)dir;
	why[0] = '\0';
}

static __attribute__((noreturn)) void front_hand_over(char **argv)
{
	char *full = cli_sibling_path(FRONT_FULL_NAME);

	execv(full, argv);
	cli_error("cannot run %s: %s; build it with `make`", full, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	char why[CLI_ERR_MAX];
	struct run_fds fds;
	char *runtime;
	int i = 1, rc, aslr;

	if (i + 1 < argc && strcmp(argv[i], "-C") == 0)
		i += 2;
	/* Only `[-C DIR] run PATH`: no other option, and not `run --help`. */
	if (i + 1 >= argc || strcmp(argv[i], "run") != 0 || argv[i + 1][0] == '-')
		front_hand_over(argv);
	if (i == 3 && chdir(argv[2]) < 0)
		front_hand_over(argv);	/* cella-cli names the directory */
	cli_fix_std_fds();
	if (run_prepare(argv[i + 1], &fds, &aslr, why)) {
		/* The working directory is the instance now: cella-cli gets `run ...` without -C. */
		argv[i - 1] = FRONT_FULL_NAME;
		front_hand_over(argv + i - 1);
	}
	runtime = run_runtime_path();
	rc = launch_runtime(runtime, &fds, argv[i + 1], argv + i + 2, aslr);
	free(runtime);
	return rc;
}
