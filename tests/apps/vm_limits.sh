#!/usr/bin/env bash
# tests/apps/vm_limits.sh — the VM manager's limits and faults, where an instance differs from a bare
# host or where the exit status is the observable: user_space_size, RLIMIT_AS/DATA/STACK give
# ENOMEM or a stack overflow as natively, MAP_FIXED over memory the app does not own fails with
# ENOMEM and a log line, and faults kill with the right signal and si_code (SEGV_MAPERR/ACCERR, SIGBUS).
. "$(dirname "$0")/lib_runtime.sh"
rt_instance
python3 - "$RT_INST/cella.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["resource_limits"]["user_space_size"] = "64M"
c["process"]["default_heap_size"] = "8M"
json.dump(c, open(p, "w"), indent=2)
PY
rt_cc mem -static <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
static int map(long mib) {
	void *p = mmap(0, (size_t)mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) { printf("%s\n", errno == ENOMEM ? "ENOMEM" : strerror(errno)); return 1; }
	printf("ok\n");
	return 0;
}
static void limit(int res, long mib) {
	struct rlimit r = { (rlim_t)mib << 20, (rlim_t)mib << 20 };
	if (setrlimit(res, &r)) { perror("setrlimit"); exit(2); }
}
/* Touches `left` bytes of stack in 64 KiB frames. */
static long deep(long left) {
	volatile char frame[65536];
	frame[0] = (char)left;
	frame[65535] = 1;
	return left <= 65536 ? frame[0] : deep(left - 65536) + frame[100];
}
int main(int c, char **v) {
	if (c < 2) return 2;
	const char *m = v[1];
	long n = c > 2 ? atol(v[2]) : 0;
	if (!strcmp(m, "map")) {	/* map N MiB, K times: the total is what is limited */
		for (long k = c > 3 ? atol(v[3]) : 1; k > 1; k--)
			if (map(n)) return 1;
		return map(n);
	}
	if (!strcmp(m, "as")) { limit(RLIMIT_AS, 256); return map(n); }
	if (!strcmp(m, "data")) { limit(RLIMIT_DATA, 32); return map(n); }
	if (!strcmp(m, "stack")) { if (c > 3) limit(RLIMIT_STACK, atol(v[3])); deep(n << 20); printf("ok\n"); return 0; }
	if (!strcmp(m, "maperr")) return *(volatile int *)0x10000000;
	if (!strcmp(m, "accerr")) {
		int *p = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		*(volatile int *)p = 1;
		return 3;
	}
	if (!strcmp(m, "bus")) {	/* a page of the mapping lies wholly past the end of the file */
		int fd = open("/tmp/short", O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || write(fd, "0123456789", 10) != 10) return 4;
		char *p = mmap(0, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
		unlink("/tmp/short");	/* the native run writes into the image's /tmp */
		if (p == MAP_FAILED || p[0] != '0' || p[4095] != 0) return 5;
		return p[4096];
	}
	if (!strcmp(m, "vdso")) {	/* the vDSO belongs to the host: not the app's to replace */
		FILE *f = fopen("/proc/self/maps", "r");
		char line[512];
		unsigned long lo = 0;
		while (f && fgets(line, sizeof(line), f))
			if (strstr(line, "[vdso]")) sscanf(line, "%lx", &lo);
		if (!lo) { printf("no vdso\n"); return 6; }
		void *p = mmap((void *)lo, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		printf("%s\n", p == MAP_FAILED && errno == ENOMEM ? "ENOMEM" : "mapped");
		return 0;
	}
	return 2;
}
C
rt_build
R() { "$CELLA" -C "$RT_INST" run /tests/mem "$@"; }
N() { unshare --pid --fork --mount-proc --kill-child chroot "$RT_INST/image" /tests/mem "$@"; }

check "mappings within user_space_size (64M) succeed" '[ "$(R map 16 2 | tail -1)" = ok ]'
check "mappings past user_space_size in total give ENOMEM" '[ "$(R map 40 2 | tail -1)" = ENOMEM ]'
check "RLIMIT_AS gives ENOMEM, as natively" '[ "$(R as 300 2>&1)" = ENOMEM ] && [ "$(N as 300 2>&1)" = ENOMEM ]'
check "RLIMIT_DATA gives ENOMEM for private writable memory, as natively" \
	'[ "$(R data 48 2>&1)" = ENOMEM ] && [ "$(N data 48 2>&1)" = ENOMEM ]'
check "the stack grows on demand to 6 MiB of the 8 MiB RLIMIT_STACK" '[ "$(R stack 6)" = ok ] && [ "$(N stack 6)" = ok ]'
check "past RLIMIT_STACK the stack overflows into SIGSEGV, as natively" \
	'R stack 4 2 >/dev/null 2>&1; a=$?; N stack 4 2 >/dev/null 2>&1; n=$?; [ $a = 139 ] && [ $n = 139 ]'
check "an access to unmapped memory: SIGSEGV with SEGV_MAPERR" \
	'CELLA_LOG=info R maperr 2>"$SCRATCH/log"; a=$?; [ $a = 139 ] && grep -q "signal 11 code 1 " "$SCRATCH/log"'
check "a write to read-only memory: SIGSEGV with SEGV_ACCERR" \
	'CELLA_LOG=info R accerr 2>"$SCRATCH/log"; a=$?; [ $a = 139 ] && grep -q "signal 11 code 2 " "$SCRATCH/log"'
check "MAP_FIXED over the host vDSO gives ENOMEM and a log line" \
	'[ "$(CELLA_LOG=warn R vdso 2>"$SCRATCH/log")" = ENOMEM ] && grep -q "overlaps the runtime" "$SCRATCH/log"'
# Last: the native run writes into the image's /tmp, which makes the instance out of date.
check "reading a mapped page wholly past EOF: SIGBUS, as natively" \
	'R bus 2>/dev/null; a=$?; N bus 2>/dev/null; n=$?; [ $a = 135 ] && [ $n = 135 ]'
rt_done
