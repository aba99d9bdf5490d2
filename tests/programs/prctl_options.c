/* tests/programs/prctl_options.c — prctl's options as Linux 6.x on x86-64 answers them: timing,
 * tsc, machine-check policy, timer slack, THP, set_mm's checks, the tid address, the auxv copy,
 * the name (15 bytes read at most), memory merge, argument checks (EINVAL for stray arguments),
 * the options of other architectures and unknown ones EINVAL, CAP_SYS_RESOURCE ones EPERM. */
#include "check.h"
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/auxv.h>

#define PR_SET_MEMORY_MERGE_ 67
#define PR_GET_MEMORY_MERGE_ 68
#define PR_GET_AUXV_ 0x41555856

static long prc(long o, long a, long b, long c, long d) { return syscall(SYS_prctl, o, a, b, c, d); }

int main(void)
{
	expect_eq(prc(PR_GET_TIMING, 0, 0, 0, 0), PR_TIMING_STATISTICAL, "PR_GET_TIMING");
	expect_ok(prc(PR_SET_TIMING, PR_TIMING_STATISTICAL, 0, 0, 0), "PR_SET_TIMING statistical");
	expect_err(prc(PR_SET_TIMING, 1, 0, 0, 0), EINVAL, "PR_SET_TIMING timestamp");
	ok("PR_GET_TIMING is statistical; PR_SET_TIMING accepts only that");

	int v = -1;
	expect_ok(prc(PR_GET_TSC, (long)&v, 0, 0, 0), "PR_GET_TSC");
	expect_eq(v, PR_TSC_ENABLE, "tsc enabled");
	expect_err(prc(PR_GET_TSC, 0, 0, 0, 0), EFAULT, "PR_GET_TSC(NULL)");
	expect_ok(prc(PR_SET_TSC, PR_TSC_ENABLE, 0, 0, 0), "PR_SET_TSC enable");
	expect_err(prc(PR_SET_TSC, 3, 0, 0, 0), EINVAL, "PR_SET_TSC(3)");
	ok("PR_GET_TSC reports the tsc enabled; PR_SET_TSC checks its mode");

	expect_eq(prc(PR_GET_SECCOMP, 0, 0, 0, 0), 0, "PR_GET_SECCOMP");
	expect_err(prc(PR_SET_SECCOMP, 0, 0, 0, 0), EINVAL, "PR_SET_SECCOMP(0)");
	ok("PR_GET_SECCOMP is 0 (no filter)");

	expect_eq(prc(PR_MCE_KILL_GET, 0, 0, 0, 0), PR_MCE_KILL_DEFAULT, "mce default");
	expect_ok(prc(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0), "mce early");
	expect_eq(prc(PR_MCE_KILL_GET, 0, 0, 0, 0), PR_MCE_KILL_EARLY, "early");
	expect_ok(prc(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 0, 0), "mce late");
	expect_eq(prc(PR_MCE_KILL_GET, 0, 0, 0, 0), PR_MCE_KILL_LATE, "late");
	expect_err(prc(PR_MCE_KILL, PR_MCE_KILL_SET, 5, 0, 0), EINVAL, "bad policy");
	expect_err(prc(PR_MCE_KILL, PR_MCE_KILL_CLEAR, 1, 0, 0), EINVAL, "clear with an argument");
	expect_err(prc(PR_MCE_KILL, 2, 0, 0, 0), EINVAL, "bad op");
	expect_err(prc(PR_MCE_KILL_GET, 0, 0, 0, 1), EINVAL, "get with an argument");
	expect_ok(prc(PR_MCE_KILL, PR_MCE_KILL_CLEAR, 0, 0, 0), "clear");
	expect_eq(prc(PR_MCE_KILL_GET, 0, 0, 0, 0), PR_MCE_KILL_DEFAULT, "default again");
	ok("PR_MCE_KILL sets and clears the policy PR_MCE_KILL_GET reports");

	expect_eq(prc(PR_GET_TIMERSLACK, 0, 0, 0, 0), 50000, "default slack");
	expect_ok(prc(PR_SET_TIMERSLACK, 12345, 0, 0, 0), "set slack");
	expect_eq(prc(PR_GET_TIMERSLACK, 0, 0, 0, 0), 12345, "slack");
	expect_ok(prc(PR_SET_TIMERSLACK, 0, 0, 0, 0), "slack 0");
	expect_eq(prc(PR_GET_TIMERSLACK, 0, 0, 0, 0), 50000, "0 restores the default");
	ok("PR_SET_TIMERSLACK sets the slack, 0 restores 50 us");

	expect_eq(prc(PR_GET_THP_DISABLE, 0, 0, 0, 0), 0, "thp");
	expect_ok(prc(PR_SET_THP_DISABLE, 1, 0, 0, 0), "thp disable");
	expect_eq(prc(PR_GET_THP_DISABLE, 0, 0, 0, 0), 1, "disabled");
	expect_err(prc(PR_GET_THP_DISABLE, 1, 0, 0, 0), EINVAL, "get with an argument");
	expect_err(prc(PR_SET_THP_DISABLE, 1, 0, 1, 0), EINVAL, "set with a stray argument");
	expect_ok(prc(PR_SET_THP_DISABLE, 0, 0, 0, 0), "thp enable");
	expect_eq(prc(PR_GET_THP_DISABLE, 0, 0, 0, 0), 0, "enabled");
	ok("PR_SET_THP_DISABLE and PR_GET_THP_DISABLE");

	expect_ok(prc(PR_SET_MEMORY_MERGE_, 1, 0, 0, 0), "memory merge");
	expect_eq(prc(PR_GET_MEMORY_MERGE_, 0, 0, 0, 0), 1, "merging");
	expect_err(prc(PR_SET_MEMORY_MERGE_, 1, 1, 0, 0), EINVAL, "stray argument");
	expect_ok(prc(PR_SET_MEMORY_MERGE_, 0, 0, 0, 0), "off");
	expect_eq(prc(PR_GET_MEMORY_MERGE_, 0, 0, 0, 0), 0, "not merging");
	ok("PR_SET_MEMORY_MERGE and PR_GET_MEMORY_MERGE");

	unsigned sz = 0;
	expect_ok(prc(PR_SET_MM, PR_SET_MM_MAP_SIZE, (long)&sz, 0, 0), "PR_SET_MM_MAP_SIZE");
	expect_eq(sz, 104, "sizeof(struct prctl_mm_map)");
	expect_err(prc(PR_SET_MM, PR_SET_MM_MAP_SIZE, 0, 0, 0), EFAULT, "MAP_SIZE to NULL");
	expect_err(prc(PR_SET_MM, PR_SET_MM_START_CODE, 0, 1, 0), EINVAL, "a stray argument");
	expect_err(prc(PR_SET_MM, PR_SET_MM_MAP, (long)&sz, 0, 0), EINVAL, "PR_SET_MM_MAP of the wrong size");
	ok("PR_SET_MM_MAP_SIZE is 104; PR_SET_MM checks its arguments");

	void *ta = NULL;
	expect_ok(prc(PR_GET_TID_ADDRESS, (long)&ta, 0, 0, 0), "PR_GET_TID_ADDRESS");
	int word;
	long tid = syscall(SYS_set_tid_address, &word);
	expect_ok(prc(PR_GET_TID_ADDRESS, (long)&ta, 0, 0, 0), "PR_GET_TID_ADDRESS again");
	expect_true(ta == &word && tid == getpid(), "the address set_tid_address set");
	expect_err(prc(PR_GET_TID_ADDRESS, 0, 0, 0, 0), EFAULT, "to NULL");
	ok("PR_GET_TID_ADDRESS reports set_tid_address's pointer");

	unsigned long a[64];
	memset(a, 0xff, sizeof(a));
	expect_eq(prc(PR_GET_AUXV_, (long)a, sizeof(a), 0, 0), 448, "PR_GET_AUXV size");
	int found = 0, end = 0;
	for (int i = 0; i + 1 < 56 && !end; i += 2) {
		if (a[i] == AT_PAGESZ)
			found = a[i + 1] == 4096;
		end = a[i] == AT_NULL;
	}
	expect_true(found && end, "the auxv has AT_PAGESZ and ends");
	expect_eq(a[55], 0, "zeros after AT_NULL");
	expect_eq(a[56], ~0ul, "448 bytes written");
	expect_eq(prc(PR_GET_AUXV_, 8, 0, 0, 0), 448, "size query");
	expect_err(prc(PR_GET_AUXV_, 8, 16, 0, 0), EFAULT, "to a bad pointer");
	expect_err(prc(PR_GET_AUXV_, (long)a, 8, 1, 0), EINVAL, "a stray argument");
	ok("PR_GET_AUXV copies the program's auxv (448 bytes)");

	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(m + 4096 - 15, "abcdefghijklmno", 15);
	munmap(m + 4096, 4096);
	expect_ok(prc(PR_SET_NAME, (long)(m + 4096 - 15), 0, 0, 0), "15 unterminated bytes at a page end");
	char n[16];
	expect_ok(prc(PR_GET_NAME, (long)n, 0, 0, 0), "PR_GET_NAME");
	expect_str(n, "abcdefghijklmno", "name");
	expect_err(prc(PR_SET_NAME, (long)(m + 4096 - 14), 0, 0, 0), EFAULT, "the 15th byte unreadable");
	expect_err(prc(PR_GET_NAME, (long)(m + 4096 - 8), 0, 0, 0), EFAULT, "16 bytes do not fit");
	ok("PR_SET_NAME reads at most 15 bytes; PR_GET_NAME writes 16");

	expect_err(prc(PR_SET_DUMPABLE, 2, 0, 0, 0), EINVAL, "PR_SET_DUMPABLE(2)");
	expect_err(prc(PR_SET_PDEATHSIG, 65, 0, 0, 0), EINVAL, "PR_SET_PDEATHSIG(65)");
	expect_err(prc(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0), EINVAL, "no_new_privs stray argument");
	expect_err(prc(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 1), EINVAL, "get no_new_privs stray argument");
	expect_err(prc(PR_GET_PDEATHSIG, 0, 0, 0, 0), EFAULT, "PR_GET_PDEATHSIG(NULL)");
	expect_err(prc(PR_GET_CHILD_SUBREAPER, 0, 0, 0, 0), EFAULT, "PR_GET_CHILD_SUBREAPER(NULL)");
	ok("argument checks of the older options");

	expect_ok(prc(PR_TASK_PERF_EVENTS_DISABLE, 0, 0, 0, 0), "perf disable");
	expect_ok(prc(PR_TASK_PERF_EVENTS_ENABLE, 0, 0, 0, 0), "perf enable");
	expect_err(prc(PR_GET_SPECULATION_CTRL, 3, 0, 0, 0), ENODEV, "unknown speculation control");
	expect_err(prc(PR_GET_SPECULATION_CTRL, 0, 1, 0, 0), EINVAL, "speculation stray argument");
	expect_true(prc(PR_GET_SPECULATION_CTRL, 0, 0, 0, 0) >= 0, "store bypass state");
	ok("perf events switches succeed; speculation controls are the CPU's");

	static const int einval[] = { 0, PR_GET_UNALIGN, PR_SET_UNALIGN, PR_GET_FPEMU, PR_SET_FPEMU,
				      PR_GET_FPEXC, PR_SET_FPEXC, PR_GET_ENDIAN, PR_SET_ENDIAN, 43, 44,
				      45, 46, 50, 51, 54, 55, 56, 63, 64, 69, 70, 71, 72, 73, 74, 75,
				      76, 90, 1000, -1 };
	for (unsigned i = 0; i < sizeof(einval) / sizeof(einval[0]); i++)
		if (prc(einval[i], 0, 0, 0, 0) != -1 || errno != EINVAL)
			fail("prctl option %d: expected EINVAL, got %s", einval[i], errname(errno));
	ok("options of other architectures, retired ones and unknown ones are EINVAL");

	pid_t p = xfork();
	if (p == 0) {
		expect_ok(syscall(SYS_setresuid, 1000, 1000, 1000), "drop");
		expect_err(prc(PR_SET_IO_FLUSHER, 0, 0, 0, 0), EPERM, "PR_SET_IO_FLUSHER");
		expect_err(prc(PR_GET_IO_FLUSHER, 0, 0, 0, 0), EPERM, "PR_GET_IO_FLUSHER");
		expect_err(prc(PR_SET_MM, PR_SET_MM_START_CODE, 0, 0, 0), EPERM, "PR_SET_MM");
		expect_ok(prc(PR_SET_MM, PR_SET_MM_MAP_SIZE, (long)&sz, 0, 0), "MAP_SIZE needs nothing");
		exit(0);
	}
	expect_exit(p, 0, "unprivileged child");
	ok("PR_SET_IO_FLUSHER, PR_GET_IO_FLUSHER and PR_SET_MM need CAP_SYS_RESOURCE");
	return 0;
}
