#!/usr/bin/env bash
# tests/cli/add_closure.sh — cella add /bin/ls copies it with its whole library closure, keeping host paths and symlinks.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

I=$SCRATCH/inst
"$CELLA" init "$I" >/dev/null || fail "init"
[ -x /bin/ls ] && readelf -l /bin/ls 2>/dev/null | grep -q 'interpreter' || { echo "ok skipped: /bin/ls is not a dynamic ELF here"; exit 0; }
expect "add /bin/ls succeeds" 0 'added [0-9]+ files \([0-9]+ copied' "$CELLA" -C "$I" add /bin/ls
[ -f "$I/image/bin/ls" ] && [ ! -L "$I/image/bin/ls" ] && [ ! -L "$I/image/bin" ] || fail "image/bin/ls is not a regular file in a real directory"
cmp -s /bin/ls "$I/image/bin/ls" || fail "image/bin/ls differs from /bin/ls"
[ "$(stat -c %a /bin/ls)" = "$(stat -c %a "$I/image/bin/ls")" ] || fail "mode not preserved"
echo "ok /bin/ls is copied to image/bin/ls with its mode"
interp=$(readelf -l /bin/ls | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
if [ -L "$interp" ]; then
	[ -L "$I/image$interp" ] || fail "image$interp should be a symlink like the host's"
	[ "$(readlink "$I/image$interp")" = "$(readlink "$interp")" ] || fail "symlink target text differs"
	t=$(readlink "$interp"); case $t in /*) ;; *) t=$(dirname "$interp")/$t;; esac
	[ -f "$I/image$t" ] || fail "the interpreter's target image$t is missing"
	echo "ok the interpreter symlink $interp is recreated and its target $t copied"
else
	[ -f "$I/image$interp" ] || fail "image$interp missing"
	echo "ok the interpreter $interp is copied"
fi
for lib in $(readelf -d /bin/ls | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
	found=$(find "$I/image" -name "$lib" | head -1)
	[ -n "$found" ] || fail "DT_NEEDED $lib of /bin/ls is not in the image"
	[ -e "$found" ] || fail "$found is a dangling link"
done
echo "ok every DT_NEEDED of /bin/ls is in the image"
find "$I/image" -name 'libc.so.6' | grep -q . || fail "libc.so.6 missing"
if readelf -d /bin/ls | grep -q libselinux; then
	find "$I/image" -name 'libselinux.so.1' | grep -q . || fail "libselinux.so.1 missing"
	find "$I/image" -name 'libpcre2-8.so.0*' | grep -q . || fail "libpcre2 (needed by libselinux) missing"
	echo "ok libselinux and its own dependency libpcre2 are in the image"
fi
grep -q '"/bin/ls"' "$I/added.json" && grep -q 'DT_NEEDED of /bin/ls' "$I/added.json" && grep -q 'PT_INTERP of /bin/ls' "$I/added.json" ||
	fail "added.json does not record what pulled files in"
echo "ok added.json records host paths and what pulled them in"
expect "re-adding copies nothing" 0 'added [0-9]+ files \(0 copied, 0 B; [0-9]+ already up to date\)' "$CELLA" -C "$I" add /bin/ls
expect "the instance builds after add" 0 'wrote build/manifest\.bin' "$CELLA" -C "$I" build
if [ "$(id -u)" = 0 ] && command -v chroot >/dev/null; then
	out=$(chroot "$I/image" /bin/ls / 2>&1) || fail "chroot image /bin/ls failed: $out"
	echo "ok /bin/ls runs in a chroot of the image"
fi
