#!/usr/bin/env bash
# tests/cli/build_invalid_json.sh — cella build on a cella.json that is not JSON: the message gives file, line and column.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

I=$SCRATCH/inst
"$CELLA" init "$I" >/dev/null || fail "init"
sed -i 's/"uid": 0,/"uid": 0,,/' "$I/cella.json"
line=$(grep -n '"uid"' "$I/cella.json" | cut -d: -f1)
expect "invalid JSON names cella.json:line:column" 1 "cella\.json:$line:[0-9]+: invalid JSON" "$CELLA" -C "$I" build
[ ! -e "$I/build/config.bin" ] || fail "a failed build wrote build/config.bin"
echo "ok nothing is written on error"
printf '' > "$I/cella.json"
expect "an empty cella.json is invalid JSON" 1 'cella\.json:1:[0-9]+: invalid JSON' "$CELLA" -C "$I" build
echo '[1, 2]' > "$I/cella.json"
expect "a non-object top level is refused" 1 'top level must be an object' "$CELLA" -C "$I" build
rm "$I/cella.json"
expect "a missing cella.json says to run init" 1 'cella init' "$CELLA" -C "$I" build
