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
app_finish
