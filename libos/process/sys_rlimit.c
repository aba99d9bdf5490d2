/* libos/process/sys_rlimit.c — getrlimit, setrlimit, prlimit64 on the process's own limits, in
 * Linux's order: the new limit is copied in first, then the pid, then the resource and the limit
 * are checked, and the old limit is copied out last (after the new one took effect). Raising a
 * hard limit needs CAP_SYS_RESOURCE. */
#include "process.h"
#include "cred.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include <linux/capability.h>

/* Linux's do_prlimit on the caller: nv (may be NULL) replaces the limit, *old gets the previous. */
static long do_prlimit(unsigned res, const struct proc_rlimit *nv, struct proc_rlimit *old)
{
	if (res >= RLIM_NLIMITS_LINUX)
		return -EINVAL;
	if (nv) {
		if (nv->cur > nv->max)
			return -EINVAL;
		if (res == 7 /* RLIMIT_NOFILE */ && nv->max > 1048576 /* fs.nr_open */)
			return -EPERM;
		if (nv->max > proc.rlim[res].max && !cred_capable(CAP_SYS_RESOURCE))
			return -EPERM;
	}
	if (old)
		*old = proc.rlim[res];
	if (nv)
		proc.rlim[res] = *nv;
	return 0;
}

long sys_prlimit64(int pid, unsigned res, const void *unew, void *uold)
{
	struct proc_rlimit nv, old;
	if (unew && copy_from_user(&nv, unew, sizeof(nv)) < 0)
		return -EFAULT;
	if (pid != 0 && pid != proc.pid)
		return -ESRCH;	/* no other process's limits are reachable (a negative pid: none) */
	long r = do_prlimit(res, unew ? &nv : 0, uold ? &old : 0);
	if (r == 0 && uold && copy_to_user(uold, &old, sizeof(old)) < 0)
		return -EFAULT;
	return r;
}

long sys_getrlimit(unsigned res, void *uold)
{
	struct proc_rlimit old;
	long r = do_prlimit(res, 0, &old);
	if (r == 0 && copy_to_user(uold, &old, sizeof(old)) < 0)
		return -EFAULT;
	return r;
}

long sys_setrlimit(unsigned res, const void *unew)
{
	struct proc_rlimit nv;
	if (copy_from_user(&nv, unew, sizeof(nv)) < 0)
		return -EFAULT;
	return do_prlimit(res, &nv, 0);
}
