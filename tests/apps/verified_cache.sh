#!/usr/bin/env bash
# tests/apps/verified_cache.sh — build/verified.bin: an image file hashed once is not hashed again on
# the next run while its inode, size, mtime and ctime are unchanged; any change (even one that
# restores the mtime) makes the next run hash it again and refuse it if its content differs; a
# file changed moments ago is hashed but not recorded. The manifest itself is recorded alike.
. "$(dirname "$0")/lib_runtime.sh"
rt_instance
rt_cc hello -static <<'C'
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
C
printf 'data\n' >"$RT_INST/image/data/file"
touch -d @1700000000 "$RT_INST/image/data/file"
rt_build
sleep 2.1	# the files must be older than the 2 s a record waits for
R() { CELLA_LOG=debug "$CELLA" -C "$RT_INST" run "$@" 2>"$SCRATCH/log"; }
check "the first run hashes the program" 'R /tests/hello && grep -q "hashed /tests/hello" "$SCRATCH/log"'
check "the second run trusts the record: no hashing" 'R /tests/hello && ! grep -q "hashed /tests/hello" "$SCRATCH/log"'
check "a file replaced with the same bytes (new inode) is hashed again" '
	cp -p "$RT_INST/image/tests/hello" "$SCRATCH/h" && mv "$SCRATCH/h" "$RT_INST/image/tests/hello" &&
	touch -d @1700000000 "$RT_INST/image/tests" && "$CELLA" -C "$RT_INST" build >/dev/null && sleep 2.1 &&
	R /tests/hello && grep -q "hashed /tests/hello" "$SCRATCH/log" &&
	R /tests/hello && ! grep -q "hashed /tests/hello" "$SCRATCH/log"'
rt_cc cat -static <<'C'
#include <stdio.h>
int main(int c, char **v) { FILE *f = fopen(v[1], "r"); if (!f) { perror(v[1]); return 1; }
	char b[64]; size_t n = fread(b, 1, sizeof(b), f); fwrite(b, 1, n, stdout); return 0; }
C
rt_build
sleep 2.1
check "a data file read once is recorded" 'R /tests/cat /data/file >/dev/null && R /tests/cat /data/file && ! grep -q "hashed /data/file" "$SCRATCH/log"'
check "an in-place edit that restores the mtime is still caught (ctime) and refused" '
	printf "DATA\n" >"$RT_INST/image/data/file" && touch -d @1700000000 "$RT_INST/image/data/file" &&
	! R /tests/cat /data/file && grep -q "hashed /data/file" "$SCRATCH/log" &&
	grep -q "/data/file does not match the build manifest" "$SCRATCH/log"'
check "a file changed moments ago is hashed on every run until it is older" '
	printf "data\n" >"$RT_INST/image/data/file" && touch -d @1700000000 "$RT_INST/image/data/file" &&
	R /tests/cat /data/file >/dev/null && grep -q "hashed /data/file" "$SCRATCH/log" &&
	R /tests/cat /data/file >/dev/null && grep -q "hashed /data/file" "$SCRATCH/log"'
check "the manifest is hashed once, then trusted while unchanged" '
	R /tests/hello >/dev/null && R /tests/hello && ! grep -q "hashed build/manifest.bin" "$SCRATCH/log"'
# `cella run` itself refuses a build/ whose manifest changed; the runtime is started by hand here
# (as the launcher does, with the same build/verified.bin) to see its own check.
RT() {
	mkdir -p "$SCRATCH/rt-tmp" && CELLA_LOG=debug "$(dirname "$CELLA")/cella-runtime" --config-fd=3 \
		--manifest-fd=4 --image-fd=5 --run-fd=6 --tmp-name=tmp.test --verified-fd=7 -- "$@" 3<"$RT_INST/build/config.bin" \
		4<"$RT_INST/build/manifest.bin" 5<"$RT_INST/image" 6<"$SCRATCH/rt-tmp" \
		7<>"$RT_INST/build/verified.bin" 2>"$SCRATCH/log"
}
check "a manifest edited in place (mtime restored) is hashed again and refused by the runtime" '
	RT /tests/hello >/dev/null && ! grep -q "hashed build/manifest.bin" "$SCRATCH/log" &&
	m="$RT_INST/build/manifest.bin" && cp -p "$m" "$SCRATCH/m.orig" &&
	python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,\"rb\").read()); b[-1]^=1; open(p,\"r+b\").write(b)" "$m" &&
	touch -r "$SCRATCH/m.orig" "$m" && ! RT /tests/hello &&
	grep -q "hashed build/manifest.bin" "$SCRATCH/log" && grep -q "does not belong to build/config.bin" "$SCRATCH/log"'
rt_done
