/* libos/process/sys_exit.c — exit and exit_group. With one thread per process so far, both end
 * the host process with the app's status. */
#include "process.h"
#include "../log.h"
#include "../entry/patch.h"

long sys_exit_group(int status)
{
	log_debug("exit_group(%d)", status);
	if (log_level >= LOG_DEBUG)
		patch_report();
	pal_exit_group(status & 0xff);
}

long sys_exit(int status)
{
	/* The last thread leaving ends the process (threads arrive with clone). */
	if (log_level >= LOG_DEBUG)
		patch_report();
	pal_exit_group(status & 0xff);
}
