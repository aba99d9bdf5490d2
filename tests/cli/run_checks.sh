#!/usr/bin/env bash
# tests/cli/run_checks.sh — cella run checks PATH before running: absolute, canonical, allowed by entry_points, present, an executable.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

use_fake_runtime

I=$SCRATCH/inst
"$CELLA" init "$I" >/dev/null || fail "init"
cp /bin/true "$I/image/bin/prog" || fail "copy"
printf "#!/bin/sh\necho hi\n" > "$I/image/bin/script"; chmod 755 "$I/image/bin/script"

mkdir -p "$I/image/opt"; cp /bin/true "$I/image/opt/prog"
printf 'just text\n' > "$I/image/bin/text"; chmod 755 "$I/image/bin/text"
cp /bin/true "$I/image/bin/noexec"; chmod 644 "$I/image/bin/noexec"
ln -s prog "$I/image/bin/link"
ln -s /../../../../bin/true "$I/image/bin/escape"
"$CELLA" -C "$I" build >/dev/null || fail "build"
expect "a path outside entry_points is refused, listing them" 1 \
	'/opt/prog is not allowed by entry_points \["/bin", "/usr/bin", "/usr/local/bin", "/sbin", "/usr/sbin"\] in cella\.json' \
	"$CELLA" -C "$I" run /opt/prog
not_run "outside entry_points"
expect "a prefix that is not a directory boundary is refused" 1 'not allowed by entry_points' "$CELLA" -C "$I" run /binx
expect "a relative path is refused" 1 'bin/prog: not an absolute path' "$CELLA" -C "$I" run bin/prog
expect "a non-canonical path is refused with its canonical form" 1 'not a canonical path; write it as /opt/prog' \
	"$CELLA" -C "$I" run /bin/../opt/prog
expect "a missing file is refused" 1 '/bin/nothere: no such file in the image' "$CELLA" -C "$I" run /bin/nothere
expect "a non-ELF file is refused" 1 '/bin/text: not an executable: not an x86-64 ELF file or #! script' "$CELLA" -C "$I" run /bin/text
expect "a directory is refused" 1 '/bin: not an executable: a directory' "$CELLA" -C "$I" run /bin
expect "a file without an x bit is refused" 1 '/bin/noexec: not an executable: its mode 0644 has no x bit' "$CELLA" -C "$I" run /bin/noexec
expect "a symlink escaping the image resolves inside it" 1 '/bin/escape: no such file in the image' "$CELLA" -C "$I" run /bin/escape
not_run "bad paths"
expect "a symlink to an executable in the image is fine" 0 '' "$CELLA" -C "$I" run /bin/link
rm -f "$FAKE_OUT"
expect "a #! script is fine" 0 '' "$CELLA" -C "$I" run /bin/script
rm -f "$FAKE_OUT"
CELLA_RUNTIME=$SCRATCH/no-runtime expect "a missing runtime is a clear error" 1 'cannot run the runtime .*no-runtime.*CELLA_RUNTIME' \
	"$CELLA" -C "$I" run /bin/prog
