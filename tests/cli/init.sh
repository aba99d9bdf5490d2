#!/usr/bin/env bash
# tests/cli/init.sh — cella init: every cella.json key at its default, the image skeleton, /etc files, and refusal to overwrite.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

I=$SCRATCH/inst
expect "init creates an instance" 0 "created instance in $I" "$CELLA" init "$I"
for key in entry_points env default untrusted resource_limits user_space_size kernel_heap_size \
	max_num_of_threads max_open_files process default_stack_size default_heap_size mounts \
	target type size metadata hostname uid gid security aslr; do
	grep -q "\"$key\":" "$I/cella.json" || fail "cella.json lacks key $key"
done
echo "ok cella.json has every key"
order=$(grep -oE '^  "[a-z_]+"' "$I/cella.json" | tr -d ' "' | tr '\n' ' ')
[ "$order" = "entry_points env resource_limits process mounts metadata security " ] ||
	fail "top-level key order: got '$order'"
echo "ok top-level keys are ordered by how often users change them"
grep -q '"user_space_size": "4G"' "$I/cella.json" && grep -q '"aslr": true' "$I/cella.json" &&
	grep -q '"type": "tmpfs"' "$I/cella.json" || fail "defaults missing from cella.json"
echo "ok defaults are written"
for d in bin lib lib64 etc tmp root usr/bin usr/lib dev proc; do
	[ -d "$I/image/$d" ] && [ ! -L "$I/image/$d" ] || fail "image/$d is not a directory"
done
echo "ok image skeleton directories exist"
grep -qx 'root:x:0:0:root:/root:/bin/sh' "$I/image/etc/passwd" || fail "bad /etc/passwd"
grep -qx 'root:x:0:' "$I/image/etc/group" || fail "bad /etc/group"
grep -qE '^127\.0\.0\.1[[:space:]]+localhost' "$I/image/etc/hosts" && grep -q cella "$I/image/etc/hosts" ||
	fail "bad /etc/hosts: $(cat "$I/image/etc/hosts")"
echo "ok /etc/passwd, /etc/group and /etc/hosts are written"
echo '{"edited": true}' > "$I/cella.json"
expect "a second init refuses" 1 "cella.json already exists" "$CELLA" init "$I"
grep -q edited "$I/cella.json" || fail "the refused init changed cella.json"
echo "ok the refused init left cella.json alone"
mkdir "$SCRATCH/here"
expect "init without DIR uses -C DIR" 0 "created instance" "$CELLA" -C "$SCRATCH/here" init
[ -f "$SCRATCH/here/cella.json" ] || fail "-C init did not create cella.json"
expect "the default cella.json builds" 0 "wrote build/config.bin" "$CELLA" -C "$SCRATCH/here" build
