/* libos/process/sys_rlimit.c — getrlimit, setrlimit, prlimit64 on the process's own limits.
 * Raising a hard limit needs CAP_SYS_RESOURCE, which uid 0 in the instance is taken to have. */
#include "process.h"
#include "../errno.h"
#include "../entry/usercopy.h"

static long do_prlimit(unsigned res, const void *unew, void *uold)
{
	struct proc_rlimit nv;
	if (res >= RLIM_NLIMITS_LINUX)
		return -EINVAL;
	if (unew) {
		if (copy_from_user(&nv, unew, sizeof(nv)) < 0)
			return -EFAULT;
		if (nv.cur > nv.max)
			return -EINVAL;
		if (nv.max > proc.rlim[res].max && proc.euid != 0)
			return -EPERM;
		if (res == 7 /* RLIMIT_NOFILE */ && nv.max > 1048576)
			return -EPERM;
	}
	if (uold && copy_to_user(uold, &proc.rlim[res], sizeof(struct proc_rlimit)) < 0)
		return -EFAULT;
	if (unew)
		proc.rlim[res] = nv;
	return 0;
}

long sys_prlimit64(int pid, unsigned res, const void *unew, void *uold)
{
	if (pid != 0 && pid != proc.pid)
		return pid < 0 ? -EINVAL : -ESRCH;
	return do_prlimit(res, unew, uold);
}

long sys_getrlimit(unsigned res, void *uold)
{
	return do_prlimit(res, 0, uold);
}

long sys_setrlimit(unsigned res, const void *unew)
{
	return do_prlimit(res, unew, 0);
}
