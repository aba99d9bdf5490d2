/* libos/time/itimer.c — alarm, setitimer and getitimer. The app's interval timers are the host
 * process's own: their SIGALRM, SIGVTALRM and SIGPROF reach the PAL's handler and become app
 * signals (libos/signal). Arguments are checked here so a bad pointer is EFAULT, never a host
 * write into runtime memory. */
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../pal/pal.h"

struct itimerval_k {
	int64_t interval_sec, interval_usec, value_sec, value_usec;
};

long sys_alarm(unsigned seconds)
{
	return PAL_CALL1(__NR_alarm, seconds);
}

/* Linux's order: the new value is copied in (EFAULT) and checked (EINVAL) before `which` is. */
long sys_setitimer(int which, const void *unew, void *uold)
{
	struct itimerval_k nv = { 0 }, ov;
	if (unew && copy_from_user(&nv, unew, sizeof(nv)) < 0)
		return -EFAULT;
	if (nv.interval_usec < 0 || nv.interval_usec >= 1000000 || nv.value_usec < 0 ||
	    nv.value_usec >= 1000000 || nv.interval_sec < 0 || nv.value_sec < 0)
		return -EINVAL;
	if (which < 0 || which > 2)
		return -EINVAL;
	long r = PAL_CALL3(__NR_setitimer, which, &nv, &ov);
	if (r == 0 && uold && copy_to_user(uold, &ov, sizeof(ov)) < 0)
		return -EFAULT;
	return r;
}

long sys_getitimer(int which, void *ucur)
{
	struct itimerval_k cur;
	if (which < 0 || which > 2)
		return -EINVAL;
	long r = PAL_CALL2(__NR_getitimer, which, &cur);
	if (r == 0 && copy_to_user(ucur, &cur, sizeof(cur)) < 0)
		return -EFAULT;
	return r;
}
