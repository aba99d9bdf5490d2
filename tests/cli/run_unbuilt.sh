#!/usr/bin/env bash
# tests/cli/run_unbuilt.sh — cella run refuses an instance that was never built, and runs nothing.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

use_fake_runtime

I=$SCRATCH/inst
"$CELLA" init "$I" >/dev/null || fail "init"
cp /bin/true "$I/image/bin/prog" || fail "copy"
printf "#!/bin/sh\necho hi\n" > "$I/image/bin/script"; chmod 755 "$I/image/bin/script"

expect "run before build says to build" 1 'not built; run `cella build`' "$CELLA" -C "$I" run /bin/prog
not_run "unbuilt"
mkdir "$SCRATCH/empty"
expect "run outside an instance says to init" 1 'no cella.json here' "$CELLA" -C "$SCRATCH/empty" run /bin/prog
not_run "no instance"
"$CELLA" -C "$I" build >/dev/null || fail "build"
rm "$I/build/manifest.bin"
expect "a build missing its manifest counts as unbuilt" 1 'not built.*run `cella build`' "$CELLA" -C "$I" run /bin/prog
"$CELLA" -C "$I" build >/dev/null || fail "build"
printf 'x' >> "$I/build/manifest.bin"
expect "a manifest that does not match config.bin is refused" 1 'build/ is damaged.*run `cella build`' "$CELLA" -C "$I" run /bin/prog
not_run "damaged build"
"$CELLA" -C "$I" build >/dev/null || fail "build"
rm "$I/build/stamp.bin"
expect "a build without build/stamp.bin (what run checks) counts as unbuilt" 1 'not built \(build/stamp\.bin: .*\); run `cella build`' "$CELLA" -C "$I" run /bin/prog
not_run "no stamp"
"$CELLA" -C "$I" build >/dev/null || fail "build"
cp "$I/build/manifest.bin" "$SCRATCH/manifest.bin"; cp "$SCRATCH/manifest.bin" "$I/build/manifest.bin"
expect "a manifest written after the build is refused even with the same bytes (run compares stat data, not content)" 1 \
	'build/ is damaged.*build/manifest\.bin is not the file the last build wrote.*run `cella build`' "$CELLA" -C "$I" run /bin/prog
"$CELLA" -C "$I" build >/dev/null || fail "build"
rm -f "$FAKE_OUT"
expect "cella build makes such a build/ good again" 0 '' "$CELLA" -C "$I" run /bin/prog
expect "run with no path is an error" 1 'run needs the path of a program' "$CELLA" -C "$I" run
