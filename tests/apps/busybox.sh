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
app_finish
