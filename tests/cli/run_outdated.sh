#!/usr/bin/env bash
# tests/cli/run_outdated.sh — cella run refuses an instance changed since its build: cella.json, added/removed/tampered image files.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

use_fake_runtime

I=$SCRATCH/inst
"$CELLA" init "$I" >/dev/null || fail "init"
cp /bin/true "$I/image/bin/prog" || fail "copy"
printf "#!/bin/sh\necho hi\n" > "$I/image/bin/script"; chmod 755 "$I/image/bin/script"

"$CELLA" -C "$I" build >/dev/null || fail "build"
sed -i 's/"max_open_files": 1024/"max_open_files": 512/' "$I/cella.json"
expect "an edited cella.json makes run refuse" 1 'cella\.json changed since the last build; run `cella build`' "$CELLA" -C "$I" run /bin/prog
not_run "cella.json changed"
"$CELLA" -C "$I" build >/dev/null || fail "build"
sed -i 's/"max_open_files": 512/  "max_open_files":   512/' "$I/cella.json"
rm -f "$FAKE_OUT"
expect "a whitespace-only edit of cella.json needs no rebuild" 0 '' "$CELLA" -C "$I" run /bin/prog
rm -f "$FAKE_OUT"
echo new > "$I/image/etc/newfile"
expect "an added image file makes run refuse, naming it" 1 'image changed since the last build \(e\.g\. image/etc/newfile was added\); run `cella build`' \
	"$CELLA" -C "$I" run /bin/prog
not_run "file added"
"$CELLA" -C "$I" build >/dev/null || fail "build"
rm "$I/image/etc/newfile"
expect "a removed image file makes run refuse, naming it" 1 'image/etc/newfile was removed' "$CELLA" -C "$I" run /bin/prog
"$CELLA" -C "$I" build >/dev/null || fail "build"
echo "tampered" >> "$I/image/etc/hosts"
expect "a tampered image file makes run refuse, naming it" 1 'image changed since the last build \(e\.g\. image/etc/hosts\)' \
	"$CELLA" -C "$I" run /bin/prog
not_run "file tampered"
"$CELLA" -C "$I" build >/dev/null || fail "build"
# Same size, same mtime, different bytes: only the ctime (and the hash) betray it.
old=$(stat -c %y "$I/image/etc/passwd")
sed -i 's/root:x/ROOT:x/' "$I/image/etc/passwd"
touch -d "$old" "$I/image/etc/passwd"
expect "tampering that keeps size and mtime is still caught" 1 'image/etc/passwd' "$CELLA" -C "$I" run /bin/prog
not_run "stealthy tamper"
"$CELLA" -C "$I" build >/dev/null || fail "build"
chmod 600 "$I/image/etc/group"
expect "a mode change makes run refuse" 1 'image/etc/group' "$CELLA" -C "$I" run /bin/prog
