#!/usr/bin/env bash
# tests/cli/build_incremental.sh — cella build hashes only what changed, says so, and rewrites nothing when nothing changed.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

I=$SCRATCH/inst
"$CELLA" init "$I" >/dev/null || fail "init"
mkdir -p "$I/image/data"
for n in 1 2 3 4 5; do echo "file $n" > "$I/image/data/f$n"; done
expect "the first build hashes every file" 0 'hashed 8 files .*, 0 unchanged; wrote build/manifest\.bin \(21 entries\); wrote build/config\.bin' \
	"$CELLA" -C "$I" build
for f in build/config.bin build/manifest.bin build/cache.bin; do [ -s "$I/$f" ] || fail "$f missing"; done
[ -d "$I/run" ] || fail "run/ was not created"
echo "ok build writes config.bin, manifest.bin, the cache and run/"
head -c 8 "$I/build/config.bin" | grep -q CELLACFG || fail "config.bin magic"
head -c 8 "$I/build/manifest.bin" | grep -q CELLAMNF || fail "manifest.bin magic"
echo "ok outputs carry their magic"
m1=$(stat -c %Y.%i "$I/build/manifest.bin")
expect "a second build says nothing changed" 0 '^nothing changed; config and manifest are up to date$' "$CELLA" -C "$I" build
[ "$(stat -c %Y.%i "$I/build/manifest.bin")" = "$m1" ] || fail "an up-to-date build rewrote manifest.bin"
echo "ok an up-to-date build rewrites nothing"
sleep 0.01; touch "$I/image/data/f3"
# The manifest records each file's times (stat answers from it), so a touch rewrites it.
expect "touching one file re-hashes exactly that file and records its new times" 0 'hashed 1 file \(7 B\), 7 unchanged; wrote build/manifest\.bin' \
	"$CELLA" -C "$I" build
echo "changed" > "$I/image/data/f4"
expect "changing one file re-hashes it and rewrites the manifest" 0 'hashed 1 file .*, 7 unchanged; wrote build/manifest\.bin' \
	"$CELLA" -C "$I" build
rm "$I/image/data/f5"
expect "removing a file hashes nothing and rewrites the manifest" 0 'hashed 0 files .*, 7 unchanged; wrote build/manifest\.bin' \
	"$CELLA" -C "$I" build
sed -i 's/"max_open_files": 1024/"max_open_files": 2048/' "$I/cella.json"
expect "a config change rewrites config.bin only" 0 'hashed 0 files .*build/manifest\.bin unchanged.*wrote build/config\.bin' \
	"$CELLA" -C "$I" build
rm "$I/build/cache.bin"
expect "a lost cache means hashing everything again" 0 'hashed 7 files' "$CELLA" -C "$I" build
mkfifo "$I/image/data/pipe"
expect "a fifo in the image is an error naming it" 1 'image/data/pipe: is a fifo; an image may hold only' "$CELLA" -C "$I" build
