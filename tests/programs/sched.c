/* tests/programs/sched.c — scheduling calls a runtime needs: sched_getaffinity reports at least one
 * cpu, sched_setaffinity accepts the same set, sched_yield returns 0, policy is SCHED_OTHER. */
#include "check.h"
#include <sched.h>

int main(void)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	long n = expect_ok(syscall(SYS_sched_getaffinity, 0, sizeof s, &s), "sched_getaffinity");
	expect_true(n > 0 && n <= (long)sizeof s && n % 8 == 0, "returns a size in bytes, multiple of 8");
	expect_true(CPU_COUNT(&s) >= 1, "at least one cpu");
	ok("sched_getaffinity(0) has at least one cpu and returns the mask size");
	cpu_set_t s1;
	CPU_ZERO(&s1);
	expect_ok(syscall(SYS_sched_getaffinity, 1, sizeof s1, &s1), "sched_getaffinity(1)");
	expect_true(CPU_EQUAL(&s, &s1), "pid 1 is self");
	ok("sched_getaffinity(1) is the same set as for pid 0");
	expect_true(sysconf(_SC_NPROCESSORS_ONLN) >= CPU_COUNT(&s), "online >= affinity");
	ok("online cpus >= cpus in the affinity mask");
	expect_ok(sched_setaffinity(0, sizeof s, &s), "sched_setaffinity same set");
	ok("sched_setaffinity with the current set succeeds");
	cpu_set_t empty;
	CPU_ZERO(&empty);
	expect_err(sched_setaffinity(0, sizeof empty, &empty), EINVAL, "empty set");
	ok("sched_setaffinity with an empty set is EINVAL");
	expect_err(syscall(SYS_sched_getaffinity, 0, 3, &s), EINVAL, "size not multiple of 8");
	ok("sched_getaffinity with a size not a multiple of 8 is EINVAL");
	expect_eq(sched_yield(), 0, "sched_yield");
	expect_eq(syscall(SYS_sched_yield), 0, "raw sched_yield");
	ok("sched_yield returns 0");
	expect_eq(syscall(SYS_sched_getscheduler, 0), SCHED_OTHER, "policy");
	ok("sched_getscheduler(0) is SCHED_OTHER");
	struct sched_param sp;
	expect_ok(syscall(SYS_sched_getparam, 0, &sp), "sched_getparam");
	expect_eq(sp.sched_priority, 0, "priority");
	ok("sched_getparam(0) gives priority 0");
	expect_eq(sched_get_priority_max(SCHED_FIFO), 99, "FIFO max");
	expect_eq(sched_get_priority_min(SCHED_FIFO), 1, "FIFO min");
	expect_eq(sched_get_priority_max(SCHED_OTHER), 0, "OTHER max");
	ok("priority ranges: FIFO 1..99, OTHER 0..0");
	expect_err(syscall(SYS_sched_getaffinity, 12345, sizeof s, &s), ESRCH, "missing pid");
	ok("sched_getaffinity on a missing pid is ESRCH");
	return 0;
}
