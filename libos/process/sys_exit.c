/* libos/process/sys_exit.c — how a process ends: exit_group with the app's status, or a signal's
 * default action. Its end is recorded in the process tree (zombie, parent signalled) before the
 * host process goes; exit ends the calling thread only (sys_clone.c), the process with its last. */
#include "process.h"
#include "ptree.h"
#include "../log.h"
#include "../entry/patch.h"

__attribute__((noreturn)) void proc_exit(int ws)
{
	log_debug("process %d ends: wait status %#x", proc.pid, ws);
	if (log_level >= LOG_DEBUG)
		patch_report();
	if (sh_self) {
		if (proc.pid == 1)
			ptree_kill_all_others();	/* the instance ends with its init */
		ptree_exit(sh_self, proc.pid, ws);
	}
	if (ws & 0x7f)
		pal_die_by_signal(ws & 0x7f);
	pal_exit_group((ws >> 8) & 0xff);
}

long sys_exit_group(int status)
{
	proc_exit(W_EXITED(status));
}

long sys_exit(int status)
{
	thread_exit(status);	/* the last thread leaving ends the process */
}
