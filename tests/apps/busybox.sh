#!/usr/bin/env bash
# tests/apps/busybox.sh — Debian's static busybox under cella against the same applets run natively
# on the same image: echo, ls -l /, cat, wc -l, sha256sum, sh arithmetic, find, sh's exec.
# shellcheck source=tests/apps/lib.sh
. "$REPO/tests/apps/lib.sh"
app_instance
B=/bin/busybox
compare "busybox echo" -- $B echo hello from cella
compare "busybox ls -l /" --no-mounts -- $B ls -l /
compare "busybox ls -la /data" -- $B ls -la /data
compare "busybox cat /etc/passwd" -- $B cat /etc/passwd
compare "busybox wc -l" -- $B wc -l /data/lines.txt /etc/passwd
compare "busybox sha256sum" -- $B sha256sum /data/lines.txt /data/sample.json /bin/busybox
compare "busybox sh arithmetic" -- $B sh -c 'x=2; echo $((x*21))'
compare "busybox find /etc" --sort -- $B find /etc
compare "busybox find /data" --sort -- $B find /data
compare "busybox readlink" -- $B readlink /data/sub/link
compare "busybox sh exec replaces the shell (execve)" -- $B sh -c 'exec /bin/cat /data/sub/file.txt'
compare "busybox sh pipeline (fork, pipe, wait)" -- $B sh -c \
	'/bin/busybox cat /data/lines.txt | /bin/busybox wc -l; echo a b c | /bin/busybox tr a-z A-Z'
compare "busybox sh subshell exit status" -- $B sh -c '(echo in a subshell; exit 3); echo rc=$?'
compare "busybox sh command substitution" -- $B sh -c 'x=$(echo captured; echo twice); echo "[$x]"'
compare "busybox sh external commands and their status" -- $B sh -c '/bin/busybox false; echo false=$?; /bin/busybox true; echo true=$?'
compare "busybox xargs runs a command per batch" -- $B sh -c \
	'printf "%s\n" /data/lines.txt /etc/passwd | /bin/busybox xargs /bin/busybox wc -l'
# Background jobs need /dev/null, which the chrooted native run lacks: checked against the text.
bg() {
	timeout -k 5 60 "$CELLA" -C "$APP_INST" run $B sh -c "$2" </dev/null >"$SCRATCH/bg.got" 2>&1
	printf '%s\n' "$3" >"$SCRATCH/bg.want"
	expect_same "$1" "$SCRATCH/bg.want" "$SCRATCH/bg.got"
}
bg "busybox sh background job and wait" \
	'echo bg >/tmp/bg.out & wait $!; echo waited=$?; /bin/busybox cat /tmp/bg.out' $'waited=0\nbg'
bg "busybox sh kills a background child" \
	'kill -0 $$ && echo alive; /bin/busybox sleep 30 & p=$!; kill $p; wait $p; echo status=$?' $'alive\nTerminated\nstatus=143'
# The private /tmp: run/<name> exists only once the app has used /tmp, holds what it wrote there
# (seen by the host while the run lasts), and is gone after the run.
tmp_during() {	# NAME SCRIPT WANT: WANT is what run/ holds while SCRIPT sleeps after printing "ready"
	local got=none i
	rm -f "$SCRATCH/tmp.out"
	"$CELLA" -C "$APP_INST" run $B sh -c "$2; echo ready; /bin/busybox sleep 1" </dev/null >"$SCRATCH/tmp.out" 2>&1 &
	for i in $(seq 100); do grep -q ready "$SCRATCH/tmp.out" 2>/dev/null && break; sleep 0.1; done
	grep -q ready "$SCRATCH/tmp.out" && got=$(cd "$APP_INST/run" && find . -mindepth 1 -printf '%y %m %d %f\n' | sed -E 's/tmp\.[A-Za-z0-9]{12}/TMP/')
	wait $!
	got="$got
after: $(ls -A "$APP_INST/run" | wc -l)"
	printf '%s\n' "$got" >"$SCRATCH/tmp.got"
	printf '%s\n' "$3" "after: 0" >"$SCRATCH/tmp.want"
	expect_same "$1" "$SCRATCH/tmp.want" "$SCRATCH/tmp.got"
}
tmp_during "no private /tmp is made for a run that does not use it" 'echo no tmp' ''
tmp_during "the private /tmp is made at first use, mode 0700, and removed after the run" \
	'echo x >/tmp/f && /bin/busybox cat /tmp/f >/dev/null' $'d 700 1 TMP\nf 644 2 f'
app_finish
