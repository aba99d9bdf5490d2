#!/usr/bin/env bash
# tests/cli/help_version.sh — --version, --help, COMMAND --help, and unknown commands or options.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

expect "--version prints the version" 0 '^cella 0\.1\.0$' "$CELLA" --version
expect "--help shows usage and every command" 0 'usage: cella \[-C DIR\] COMMAND' "$CELLA" --help
for c in init add build run; do
	expect "$c --help shows its usage" 0 "^usage: cella $c" "$CELLA" "$c" --help
done
expect "no command is an error" 1 'usage: cella' "$CELLA"
expect "a misspelt command gets a suggestion" 1 "unknown command 'biuld'; did you mean 'build'\?" "$CELLA" biuld
expect "an unknown option is an error" 1 "unknown option '--frobnicate'" "$CELLA" --frobnicate
expect "-C to a missing directory is an error" 1 "-C $SCRATCH/nope" "$CELLA" -C "$SCRATCH/nope" build
