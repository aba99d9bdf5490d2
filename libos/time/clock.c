/* libos/time/clock.c — clock_gettime, clock_getres, gettimeofday, time, nanosleep and
 * clock_nanosleep. Clocks are the host's; sleeps are host sleeps (interruption by app signals
 * comes with the signal subsystem). */
#include "time.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../pal/pal.h"
#include "../signal/signal.h"
#include <linux/time.h>

#define MAX_CLOCKID 11	/* CLOCK_TAI */

struct ts64 {
	long sec, nsec;
};

static int clock_valid(int clk)
{
	/* Negative ids encode CPU clocks of a pid or tid; only "self" (pid field 0) means the same
	 * thing on the host. Id 10 was removed from Linux. */
	if (clk < 0)
		return (~clk >> 3) == 0;
	return clk <= MAX_CLOCKID && clk != 10;
}

long time_boot_ns(void)
{
	struct ts64 t;
	pal_clock_gettime(CLOCK_BOOTTIME, &t);
	return t.sec * 1000000000L + t.nsec;
}

long sys_clock_gettime(int clk, void *uts)
{
	struct ts64 t;
	if (!clock_valid(clk))
		return -EINVAL;
	long r = pal_clock_gettime(clk, &t);
	if (r < 0)
		return r;
	return copy_to_user(uts, &t, sizeof(t));
}

long sys_clock_getres(int clk, void *uts)
{
	struct ts64 t;
	if (!clock_valid(clk))
		return -EINVAL;
	long r = pal_clock_getres(clk, &t);
	if (r < 0 || !uts)
		return r;
	return copy_to_user(uts, &t, sizeof(t));
}

long sys_gettimeofday(void *utv, void *utz)
{
	struct ts64 t;
	pal_clock_gettime(CLOCK_REALTIME, &t);
	if (utv) {
		struct { long sec, usec; } tv = { t.sec, t.nsec / 1000 };
		if (copy_to_user(utv, &tv, sizeof(tv)) < 0)
			return -EFAULT;
	}
	if (utz) {
		int tz[2] = { 0, 0 };
		if (copy_to_user(utz, tz, sizeof(tz)) < 0)
			return -EFAULT;
	}
	return 0;
}

long sys_time(long *ut)
{
	struct ts64 t;
	pal_clock_gettime(CLOCK_REALTIME, &t);
	if (ut && copy_to_user(ut, &t.sec, sizeof(long)) < 0)
		return -EFAULT;
	return t.sec;
}

static long do_sleep(int clk, int flags, const void *ureq, void *urem)
{
	struct ts64 req, rem;
	if (copy_from_user(&req, ureq, sizeof(req)) < 0)
		return -EFAULT;
	if (req.sec < 0 || req.nsec < 0 || req.nsec >= 1000000000L)
		return -EINVAL;
	/* A signal ends the sleep with EINTR and the time left, as Linux does when a handler runs;
	 * a kick that left nothing for this thread just sleeps on for the rest. */
	long r;
	for (;;) {
		if ((r = sig_block_begin()) != 0) {
			rem = req;
			r = -EINTR;
			break;
		}
		r = pal_block_clock_nanosleep(clk, flags, &req, &rem);
		if (r != -EINTR || sig_deliverable())
			break;
		if (!(flags & TIMER_ABSTIME))
			req = rem;
	}
	if (r == -EINTR && urem && !(flags & TIMER_ABSTIME))
		copy_to_user(urem, &rem, sizeof(rem));
	return r;
}

long sys_nanosleep(const void *ureq, void *urem)
{
	return do_sleep(CLOCK_MONOTONIC, 0, ureq, urem);
}

/* Linux's order: an unknown clock is EINVAL, a clock without a sleep (the thread CPU clock,
 * the raw and coarse ones) EOPNOTSUPP, then the request is read; flags other than
 * TIMER_ABSTIME are ignored. A CPU clock named by pid is EINVAL here (Linux: for the caller). */
long sys_clock_nanosleep(int clk, int flags, const void *ureq, void *urem)
{
	if (!clock_valid(clk) || clk < 0)
		return -EINVAL;
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC && clk != CLOCK_BOOTTIME &&
	    clk != CLOCK_TAI && clk != CLOCK_PROCESS_CPUTIME_ID)
		return -EOPNOTSUPP;
	return do_sleep(clk, flags & TIMER_ABSTIME, ureq, urem);
}
