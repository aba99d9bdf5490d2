#!/usr/bin/env bash
# tests/cli/build_unknown_key.sh — cella build: an unknown key is named by its full path, with a did-you-mean for near misses.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

I=$SCRATCH/inst
"$CELLA" init "$I" >/dev/null || fail "init"
cp "$I/cella.json" "$SCRATCH/good.json"
sed -i 's/"user_space_size"/"user_space_sise"/' "$I/cella.json"
expect "a misspelt nested key gets did-you-mean" 1 \
	"resource_limits\.user_space_sise: unknown key; did you mean 'user_space_size'\?" "$CELLA" -C "$I" build
cp "$SCRATCH/good.json" "$I/cella.json"
sed -i 's/"security"/"secruity"/' "$I/cella.json"
expect "a transposed top-level key gets did-you-mean" 1 "secruity: unknown key; did you mean 'security'\?" \
	"$CELLA" -C "$I" build
cp "$SCRATCH/good.json" "$I/cella.json"
sed -i 's/"aslr": true/"aslr": true, "nx_everything": 1/' "$I/cella.json"
expect "a key far from any known one lists the known keys" 1 \
	'security\.nx_everything: unknown key; remove it \(known keys here: aslr\)' "$CELLA" -C "$I" build
cp "$SCRATCH/good.json" "$I/cella.json"
sed -i 's/"type": "devfs"/"type": "devfs", "tpye": "x"/' "$I/cella.json"
expect "an unknown key inside a mount names its index" 1 "mounts\[2\]\.tpye: unknown key; did you mean 'type'\?" \
	"$CELLA" -C "$I" build
