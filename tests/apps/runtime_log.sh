#!/usr/bin/env bash
# tests/apps/runtime_log.sh — CELLA_LOG and CELLA_LOG_FILE: trace lines in strace's notation with
# results and errno names, unimplemented syscalls logged once by name, the log going to a file.
. "$(dirname "$0")/lib_runtime.sh"
rt_instance
rt_cc hello -static <<'C'
#include <unistd.h>
#include <fcntl.h>
int main(void) { write(1, "hello\n", 6); open("/nonexistent", O_RDONLY); return 0; }
C
rt_cc unimpl -static <<'C'
#include <unistd.h>
#include <sys/syscall.h>
#include <errno.h>
int main(void) {
	for (int i = 0; i < 3; i++)
		if (syscall(SYS_acct, 0) != -1 || errno != ENOSYS) return 1;
	for (int i = 0; i < 3; i++)
		if (syscall(1000) != -1 || errno != ENOSYS) return 2;
	return 0;
}
C
rt_build
R() { "$CELLA" -C "$RT_INST" run "$@"; }

check "trace shows write with its data and result" \
	'CELLA_LOG=trace R /tests/hello 2>&1 >/dev/null | grep -F "write(1, \"hello\\n\", 6) = 6"'
check "trace shows a failed open with errno name and text" \
	'CELLA_LOG=trace R /tests/hello 2>&1 >/dev/null | grep -F "openat(AT_FDCWD, \"/nonexistent\", O_RDONLY, 0) = -1 ENOENT (No such file or directory)"'
check "the default level prints no trace" \
	'[ -z "$(R /tests/hello 2>&1 >/dev/null)" ]'
check "an unimplemented syscall is ENOSYS and logged once by name" \
	'CELLA_LOG=warn R /tests/unimpl 2>"$SCRATCH/e" && [ "$(grep -c "unimplemented syscall acct (163)" "$SCRATCH/e")" = 1 ]'
check "an unknown syscall number is logged once" \
	'CELLA_LOG=warn R /tests/unimpl 2>"$SCRATCH/e" && [ "$(grep -c "unknown syscall number 1000" "$SCRATCH/e")" = 1 ]'
check "CELLA_LOG_FILE receives the log instead of stderr" \
	'rm -f "$SCRATCH/log"; CELLA_LOG=trace CELLA_LOG_FILE="$SCRATCH/log" R /tests/hello 2>"$SCRATCH/e" >/dev/null &&
	 grep -q "write(1, " "$SCRATCH/log" && ! grep -q "write(1, " "$SCRATCH/e"'
rt_done
