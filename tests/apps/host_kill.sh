#!/usr/bin/env bash
# tests/apps/host_kill.sh — a process of the instance killed from the host (it cannot record its
# own end) is still reported to its parent: the parent's wait returns at once with "killed by
# SIGKILL", as it would natively, instead of waiting for ever. Also: when pid 1 ends, the rest of
# the instance ends with it and `cella run` returns pid 1's status.
. "$(dirname "$0")/lib_runtime.sh"
rt_instance
rt_cc parent -static <<'C'
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <string.h>
#include <sys/wait.h>
static void on_chld(int s) { (void)s; }
int main(int c, char **v) {
	sigset_t chld, old;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	signal(SIGCHLD, on_chld);
	pid_t p = fork();
	if (p == 0) {	/* a child that would sleep for a minute */
		pause();
		return 0;
	}
	if (c > 1 && !strcmp(v[1], "sigsuspend"))	/* as shells wait: for SIGCHLD, then reap */
		sigsuspend(&old);
	else if (c > 1) {	/* pid 1 ends at once; its child must not outlive it */
		printf("child %d\n", (int)p);
		return 7;
	}
	int st;
	if (waitpid(p, &st, 0) != p)
		return 1;
	printf("%s %d\n", WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	return 0;
}
C
rt_build
check "a child killed from the host is reported to its waiting parent as killed by SIGKILL" '
	"$CELLA" -C "$RT_INST" run /tests/parent >"$SCRATCH/out" 2>&1 &
	run=$!
	for i in $(seq 100); do	# the launcher ($run) → pid 1 → the child to kill
		pid1=$(pgrep -P $run) && kids=$(pgrep -P "$pid1") && [ -n "$kids" ] && break
		sleep 0.05
	done
	[ -n "$kids" ] && kill -9 $kids && wait $run && cat "$SCRATCH/out" && grep -qx "signal 9" "$SCRATCH/out"'
check "a parent waiting for SIGCHLD in sigsuspend hears of a child killed from the host" '
	"$CELLA" -C "$RT_INST" run /tests/parent sigsuspend >"$SCRATCH/out" 2>&1 &
	run=$!
	for i in $(seq 100); do
		pid1=$(pgrep -P $run) && kids=$(pgrep -P "$pid1") && [ -n "$kids" ] && break
		sleep 0.05
	done
	[ -n "$kids" ] && kill -9 $kids && wait $run && cat "$SCRATCH/out" && grep -qx "signal 9" "$SCRATCH/out"'
check "when pid 1 ends, its children end too and cella run gives pid 1 status" '
	timeout 20 "$CELLA" -C "$RT_INST" run /tests/parent quick >"$SCRATCH/out" 2>&1; rc=$?
	cat "$SCRATCH/out"; [ $rc = 7 ] && ! pgrep -f -- "cella-runtime .*-- /tests/parent quick" >/dev/null'
rt_done
