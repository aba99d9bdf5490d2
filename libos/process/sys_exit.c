/* libos/process/sys_exit.c — exit_group ends the process with the app's status; exit ends the
 * calling thread (sys_clone.c), and the process with its last thread. */
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
	thread_exit(status);	/* the last thread leaving ends the process */
}
