#!/usr/bin/env bash
# tests/apps/exit_status.sh — `cella run` exits with the app's status, or 128+signal when the app
# dies by a signal. The first process is pid 1 and, as natively in a pid namespace, has init's
# protection: signals it sends itself or gets from the kernel (SIGPIPE) with the default action do
# nothing, while a fault still kills it.
. "$(dirname "$0")/lib_runtime.sh"
rt_instance
rt_cc status -static <<'C'
#include <stdlib.h>
#include <signal.h>
#include <unistd.h>
#include <string.h>
int main(int c, char **v) {
	if (c < 2) return 0;
	if (!strcmp(v[1], "exit")) return atoi(v[2]);
	if (!strcmp(v[1], "segv")) return *(volatile int *)16;
	if (!strcmp(v[1], "kill")) { kill(getpid(), atoi(v[2])); return 99; }
	if (!strcmp(v[1], "pipe")) { int p[2]; pipe(p); close(p[0]); write(p[1], "x", 1); return 98; }
	return 1;
}
C
rt_build
R() { "$CELLA" -C "$RT_INST" run /tests/status "$@" 2>/dev/null; }
N() { unshare --pid --fork --mount-proc --kill-child chroot "$RT_INST/image" /tests/status "$@" 2>/dev/null; }

check "exit status 0" 'R exit 0'
check "exit status 42 comes through" 'R exit 42; [ $? = 42 ]'
check "exit status is taken modulo 256" 'R exit 300; [ $? = 44 ]'
check "a segfault in app code gives 128+SIGSEGV, as natively" 'R segv; a=$?; N segv; n=$?; [ $a = 139 ] && [ $n = 139 ]'
check "pid 1 survives a SIGTERM it sends itself, as natively" 'R kill 15; a=$?; N kill 15; n=$?; [ $a = 99 ] && [ $n = 99 ]'
check "pid 1 survives a SIGKILL it sends itself, as natively" 'R kill 9; a=$?; N kill 9; n=$?; [ $a = 99 ] && [ $n = 99 ]'
check "pid 1 gets EPIPE, not SIGPIPE, from a pipe without reader, as natively" 'R pipe; a=$?; N pipe; n=$?; [ $a = 98 ] && [ $n = 98 ]'
rt_done
