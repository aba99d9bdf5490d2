#!/usr/bin/env bash
# tests/cli/build_bad_paths.sh — cella build: entry points and mounts must be canonical, typed, unique, with an image at /.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

I=$SCRATCH/inst
"$CELLA" init "$I" >/dev/null || fail "init"
cp "$I/cella.json" "$SCRATCH/good.json"
try() { # WHAT SED REGEX
	cp "$SCRATCH/good.json" "$I/cella.json"
	sed -i "$2" "$I/cella.json"
	expect "$1" 1 "$3" "$CELLA" -C "$I" build
}
try "a relative entry point is refused" 's/"\/sbin",/"sbin",/' 'entry_points\[3\]: "sbin" is not an absolute path'
try "a non-canonical entry point is refused" 's/"\/sbin",/"\/usr\/..\/sbin\/",/' \
	'entry_points\[3\]: "/usr/\.\./sbin/" is not canonical; write "/sbin"'
try "an unknown mount type is refused with a suggestion" 's/"type": "procfs"/"type": "porcfs"/' \
	"mounts\[3\]\.type: unknown mount type \"porcfs\"; did you mean 'procfs'\?"
try "an unknown mount type lists the types" 's/"type": "procfs"/"type": "nfs"/' \
	'mounts\[3\]\.type: unknown mount type "nfs"; use image, tmpfs, devfs or procfs'
try "a duplicate mount target is refused" 's/"target": "\/proc"/"target": "\/tmp"/' \
	'mounts\[3\]\.target: "/tmp" is mounted twice \(also mounts\[1\]\)'
try "a relative mount target is refused" 's/"target": "\/proc"/"target": "proc"/' \
	'mounts\[3\]\.target: "proc" is not an absolute path'
try "a missing image mount at / is refused" 's/"type": "image"/"type": "tmpfs"/' \
	'mounts: no image mount at "/"'
