#!/usr/bin/env bash
# tests/cli/run_outdated.sh — cella run refuses an instance whose cella.json or set of image entries changed since its build (added, removed, renamed, at any depth); a file's content or mode is left to the runtime and the manifest.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

use_fake_runtime

I=$SCRATCH/inst
"$CELLA" init "$I" >/dev/null || fail "init"
cp /bin/true "$I/image/bin/prog" || fail "copy"
printf "#!/bin/sh\necho hi\n" > "$I/image/bin/script"; chmod 755 "$I/image/bin/script"
mkdir -p "$I/image/usr/lib/deep/er"; echo deep > "$I/image/usr/lib/deep/er/file"

"$CELLA" -C "$I" build >/dev/null || fail "build"
sed -i 's/"max_open_files": 1024/"max_open_files": 512/' "$I/cella.json"
expect "an edited cella.json makes run refuse" 1 'cella\.json changed since the last build; run `cella build`' "$CELLA" -C "$I" run /bin/prog
not_run "cella.json changed"
"$CELLA" -C "$I" build >/dev/null || fail "build"
sed -i 's/"max_open_files": 512/  "max_open_files":   512/' "$I/cella.json"
rm -f "$FAKE_OUT"
expect "a whitespace-only edit of cella.json needs no rebuild" 0 '' "$CELLA" -C "$I" run /bin/prog
rm -f "$FAKE_OUT"

# The set of entries: every directory's mtime and ctime are compared, so any add, remove or
# rename is seen however deep it is; the file is then named by a walk of image/.
echo new > "$I/image/etc/newfile"
expect "an added image file makes run refuse, naming it" 1 'image changed since the last build \(e\.g\. image/etc/newfile was added\); run `cella build`' \
	"$CELLA" -C "$I" run /bin/prog
not_run "file added"
"$CELLA" -C "$I" build >/dev/null || fail "build"
rm "$I/image/etc/newfile"
expect "a removed image file makes run refuse, naming it" 1 'image/etc/newfile was removed' "$CELLA" -C "$I" run /bin/prog
"$CELLA" -C "$I" build >/dev/null || fail "build"
mv "$I/image/usr/lib/deep/er/file" "$I/image/usr/lib/deep/er/moved"
expect "a rename four directories down makes run refuse, naming it" 1 'image/usr/lib/deep/er/file was removed' "$CELLA" -C "$I" run /bin/prog
not_run "file renamed"
"$CELLA" -C "$I" build >/dev/null || fail "build"
mkdir "$I/image/usr/lib/deep/er/newdir"
expect "an added directory makes run refuse, naming it" 1 'image/usr/lib/deep/er/newdir was added' "$CELLA" -C "$I" run /bin/prog
"$CELLA" -C "$I" build >/dev/null || fail "build"
touch "$I/image/etc/gone"; rm "$I/image/etc/gone"
expect "a file added and removed again still makes run refuse, naming its directory" 1 \
	'image changed since the last build \(e\.g\. image/etc\); run `cella build`' "$CELLA" -C "$I" run /bin/prog
"$CELLA" -C "$I" build >/dev/null || fail "build"
printf "#!/bin/sh\necho replaced\n" > "$I/image/bin/script.new"; chmod 755 "$I/image/bin/script.new"
mv "$I/image/bin/script.new" "$I/image/bin/script"	# as editors save: a new inode renamed over
expect "a file replaced by a new one makes run refuse, naming it" 1 'image changed since the last build \(e\.g\. image/bin/script' "$CELLA" -C "$I" run /bin/prog
"$CELLA" -C "$I" build >/dev/null || fail "build"

# Contents and modes are not stat'ed by run (that walk cost more than the program's start-up):
# the runtime checks each file's SHA-256 against the manifest on first open, and the app sees
# the manifest's mode until the next build.
rm -f "$FAKE_OUT"
echo "tampered" >> "$I/image/etc/hosts"
expect "a file changed in place does not stop run: its content is the runtime's to check" 0 '' "$CELLA" -C "$I" run /bin/prog
[ -e "$FAKE_OUT" ] || fail "the runtime was not started"
"$CELLA" -C "$I" build >/dev/null || fail "build"
rm -f "$FAKE_OUT"
chmod 600 "$I/image/etc/group"
expect "a mode change does not stop run: the manifest's mode stays in force" 0 '' "$CELLA" -C "$I" run /bin/prog
[ -e "$FAKE_OUT" ] || fail "the runtime was not started"
"$CELLA" -C "$I" build >/dev/null || fail "build"

# ... and the real runtime does refuse such a file: EACCES, and a log line naming it.
RUNTIME=$(dirname "$CELLA")/cella-runtime
gcc -O1 -w -static -x c -o "$I/image/bin/cat1" - <<'C' || fail "compiling cat1"
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
int main(int c, char **v) {
	int fd = open(v[1], O_RDONLY);
	if (fd < 0) { printf("open %s: %s\n", v[1], strerror(errno)); return 3; }
	char b[256]; int n = read(fd, b, sizeof b); fwrite(b, 1, n > 0 ? n : 0, stdout); return 0;
}
C
"$CELLA" -C "$I" build >/dev/null || fail "build"
CELLA_RUNTIME=$RUNTIME expect "the runtime opens an unchanged file" 0 '^127\.0\.0\.1.localhost' "$CELLA" -C "$I" run /bin/cat1 /etc/hosts
old=$(stat -c %y "$I/image/etc/hosts")
printf 'X' | dd of="$I/image/etc/hosts" bs=1 seek=0 conv=notrunc status=none	# in place: no rename
touch -d "$old" "$I/image/etc/hosts"
CELLA_RUNTIME=$RUNTIME expect "a file changed in place (same size and mtime) fails to open with EACCES" 3 \
	'open /etc/hosts: Permission denied' "$CELLA" -C "$I" run /bin/cat1 /etc/hosts
CELLA_RUNTIME=$RUNTIME expect "... and the runtime's log names it" 3 \
	'image file /etc/hosts does not match the build manifest' "$CELLA" -C "$I" run /bin/cat1 /etc/hosts
printf '\x90' | dd of="$I/image/bin/cat1" bs=1 seek=1000 conv=notrunc status=none
out=$(CELLA_RUNTIME=$RUNTIME "$CELLA" -C "$I" run /bin/cat1 /etc/passwd 2>&1) &&
	fail "a program changed in place ran: $out"
grep -q 'image file /bin/cat1 does not match the build manifest' <<<"$out" && ! grep -q '^root:' <<<"$out" ||
	fail "a program changed in place: expected the runtime to refuse it by name, got: $out"
echo "ok a program changed in place does not start, and the runtime names it"
"$CELLA" -C "$I" build >/dev/null || fail "build"

# The check is cheap: cella run reads no directory of image/ and stats each directory once,
# never each file, however many files the image holds.
if command -v strace >/dev/null; then
	mkdir -p "$I/image/usr/share/many"
	for n in $(seq 500); do echo "$n" > "$I/image/usr/share/many/f$n"; done
	"$CELLA" -C "$I" build >/dev/null || fail "build"
	dirs=$(find "$I/image" -type d | wc -l)
	FAKE_NO_TMP=1 strace -o "$SCRATCH/trace" -e trace=getdents64,newfstatat,fstatat64,statx,lstat,stat,fstat \
		"$CELLA" -C "$I" run /bin/prog >/dev/null 2>&1 || fail "traced run failed: $(tail -3 "$SCRATCH/trace")"
	[ "$(grep -c getdents "$SCRATCH/trace")" = 0 ] || fail "run read a directory of image/: $(grep -m3 getdents "$SCRATCH/trace")"
	stats=$(grep -cE '^(newfstatat|fstatat64|statx|lstat|stat|fstat)\(' "$SCRATCH/trace")
	[ "$stats" -le $((dirs + 8)) ] || fail "run made $stats stat calls for $dirs directories and 500+ files"
	echo "ok run reads no image directory and makes $stats stat calls for $dirs directories and 500+ files"
else
	echo "skip the syscall count of run: no strace"
fi
