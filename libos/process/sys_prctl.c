/* libos/process/sys_prctl.c — the prctl options programs use at start-up (thread name, dumpable,
 * no_new_privs, parent-death signal, capability queries). Others are EINVAL, as Linux answers an
 * option it does not know. */
#include "process.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/mem.h"
#include <linux/prctl.h>

#define pr (proc.prctl)	/* the process's own: a vfork child's changes stay its own */

long sys_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	switch (option) {
	case PR_SET_NAME: {
		char n[16];
		long r = strncpy_from_user(n, (const char *)a2, sizeof(n));
		if (r == -EFAULT)
			return r;
		if (r == -ENAMETOOLONG)
			n[15] = 0;
		memcpy(pr.name, n, sizeof(n));
		return 0;
	}
	case PR_GET_NAME:
		if (!pr.name[0]) {
			const char *s = strrchr(proc.exe_path, '/');
			strlcpy(pr.name, s ? s + 1 : proc.exe_path, sizeof(pr.name));
		}
		return copy_to_user((void *)a2, pr.name, sizeof(pr.name));
	case PR_GET_DUMPABLE:
		return pr.dumpable;
	case PR_SET_DUMPABLE:
		if (a2 > 1)
			return -EINVAL;
		pr.dumpable = (int)a2;
		return 0;
	case PR_SET_NO_NEW_PRIVS:
		if (a2 != 1 || a3 || a4 || a5)
			return -EINVAL;
		pr.no_new_privs = 1;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		return a2 || a3 || a4 || a5 ? -EINVAL : pr.no_new_privs;
	case PR_SET_PDEATHSIG:
		if (a2 > 64)
			return -EINVAL;
		pr.pdeathsig = (int)a2;
		return 0;
	case PR_GET_PDEATHSIG:
		return copy_to_user((void *)a2, &pr.pdeathsig, sizeof(int));
	case PR_GET_KEEPCAPS:
		return pr.keepcaps;
	case PR_SET_KEEPCAPS:
		if (a2 > 1)
			return -EINVAL;
		pr.keepcaps = (int)a2;
		return 0;
	case PR_CAPBSET_READ:
		return a2 <= 40 ? 1 : -EINVAL;
	case PR_SET_CHILD_SUBREAPER:
		pr.child_subreaper = !!a2;
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return copy_to_user((void *)a2, &pr.child_subreaper, sizeof(int));
	case PR_GET_TIMERSLACK:
		return 50000;
	case PR_SET_VMA:
		return -EINVAL;
	default:
		return -EINVAL;
	}
}
