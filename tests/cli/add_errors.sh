#!/usr/bin/env bash
# tests/cli/add_errors.sh — cella add: a missing host path, a directory without --dir, and no instance are clear errors.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

I=$SCRATCH/inst
"$CELLA" init "$I" >/dev/null || fail "init"
expect "a missing host file is an error" 1 '/no/such/file: No such file or directory on the host' \
	"$CELLA" -C "$I" add /no/such/file
mkdir -p "$SCRATCH/d"
expect "a directory without --dir is refused" 1 'is a directory; use `cella add --dir' "$CELLA" -C "$I" add "$SCRATCH/d"
expect "add with no paths is an error" 1 'add needs at least one host path' "$CELLA" -C "$I" add
expect "an unknown add option is an error" 1 "unknown option '--frob'" "$CELLA" -C "$I" add --frob /bin/ls
mkdir "$SCRATCH/empty"
expect "add outside an instance says to init" 1 'cella init' "$CELLA" -C "$SCRATCH/empty" add /bin/ls
mkfifo "$SCRATCH/fifo"
expect "a fifo cannot be added" 1 'not a regular file, directory or symlink' "$CELLA" -C "$I" add "$SCRATCH/fifo"
