#!/usr/bin/env bash
# tests/cli/build_bad_paths.sh — cella build: entry points and mounts must be canonical, typed, unique, with an image at /.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

config_instance
try_config "a relative entry point is refused" 's/"\/sbin",/"sbin",/' 'entry_points\[3\]: "sbin" is not an absolute path'
try_config "a non-canonical entry point is refused" 's/"\/sbin",/"\/usr\/..\/sbin\/",/' \
	'entry_points\[3\]: "/usr/\.\./sbin/" is not canonical; write "/sbin"'
try_config "an unknown mount type is refused with a suggestion" 's/"type": "procfs"/"type": "porcfs"/' \
	"mounts\[3\]\.type: unknown mount type \"porcfs\"; did you mean 'procfs'\?"
try_config "an unknown mount type lists the types" 's/"type": "procfs"/"type": "nfs"/' \
	'mounts\[3\]\.type: unknown mount type "nfs"; use image, tmpfs, devfs or procfs'
try_config "a duplicate mount target is refused" 's/"target": "\/proc"/"target": "\/tmp"/' \
	'mounts\[3\]\.target: "/tmp" is mounted twice \(also mounts\[1\]\)'
try_config "a relative mount target is refused" 's/"target": "\/proc"/"target": "proc"/' \
	'mounts\[3\]\.target: "proc" is not an absolute path'
try_config "a missing image mount at / is refused" 's/"type": "image"/"type": "tmpfs"/' \
	'mounts: no image mount at "/"'
