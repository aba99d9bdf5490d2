#!/usr/bin/env bash
# scripts/demo.sh — `make demo`: a fresh instance in out/demo with busybox and python3, built and
# run. Shows the whole user path: init, add (with library closure), build, run.
set -euo pipefail
cd "$(dirname "$0")/.."
CELLA=$PWD/out/bin/cella
DEMO=$PWD/out/demo
rm -rf "$DEMO"
"$CELLA" init "$DEMO"
cd "$DEMO"
"$CELLA" add /bin/busybox /usr/bin/python3
"$CELLA" add --dir /usr/lib/python3.11
"$CELLA" build
echo '$ cella run /bin/busybox echo hello from busybox in cella'
"$CELLA" run /bin/busybox echo hello from busybox in cella
echo "\$ cella run /usr/bin/python3 -c 'print(\"hello from cella\")'"
"$CELLA" run /usr/bin/python3 -c 'print("hello from cella")'
