#!/usr/bin/env bash
# tests/apps/image_integrity.sh — the runtime's own check of every image file against the build
# manifest. `cella run` refuses an image whose directories changed since the build (a file edited
# in place is left to this check), and a change made after its check is simulated by starting cella-runtime directly,
# exactly as the launcher does (include/cella/launch.h): the file must then fail to open with
# EACCES and a log line naming it.
. "$(dirname "$0")/lib_runtime.sh"
rt_instance
rt_cc cat -static <<'C'
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
echo "original content" >"$RT_INST/image/data/file"
rt_build
RUNTIME=$(dirname "$CELLA")/cella-runtime
R() {
	local tmp rc
	tmp=$(mktemp -d "$SCRATCH/tmp.XXXXXX")
	"$RUNTIME" --config-fd=3 --manifest-fd=4 --image-fd=5 --run-fd=6 --tmp-name=tmp.test -- "$@" \
		3<"$RT_INST/build/config.bin" 4<"$RT_INST/build/manifest.bin" 5<"$RT_INST/image" 6<"$tmp"
	rc=$?
	rm -rf "$tmp"
	return $rc
}

check "an unchanged image file opens" 'R /tests/cat /data/file | grep -q "original content"'
check "cella run refuses an image changed since the build" \
	'echo x >"$RT_INST/image/data/other"; ! "$CELLA" -C "$RT_INST" run /tests/cat /data/file >"$SCRATCH/o" 2>&1;
	 rc=$?; rm "$RT_INST/image/data/other"; [ $rc = 0 ] && grep -q "image changed since the last build" "$SCRATCH/o" && ! grep -q original "$SCRATCH/o"'
# Same length: only the content hash can tell.
echo "tampered content" >"$RT_INST/image/data/file"
check "a tampered data file fails with EACCES" \
	'R /tests/cat /data/file 2>/dev/null | grep -q "open /data/file: Permission denied"'
check "the log names the tampered file" \
	'R /tests/cat /data/file 2>&1 >/dev/null | grep -q "image file /data/file does not match the build manifest"'
# A tampered program does not start at all.
printf '\x90' | dd of="$RT_INST/image/tests/cat" bs=1 seek=1000 conv=notrunc status=none
check "a tampered program does not start: non-zero exit and a message" \
	'! R /tests/cat /data/file >"$SCRATCH/o" 2>"$SCRATCH/e" && grep -q "image file /tests/cat does not match" "$SCRATCH/e" && ! grep -q content "$SCRATCH/o"'
rt_done
