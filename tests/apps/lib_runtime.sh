#!/usr/bin/env bash
# tests/apps/lib_runtime.sh — sourced by the runtime-behaviour tests: a small instance in $SCRATCH with
# test programs compiled on the spot, and `check` for one assertion with a readable failure.
set -u
: "${CELLA:?}" "${SCRATCH:?}" "${REPO:?}"
RT_INST=$SCRATCH/inst
rt_failures=0

# rt_instance [NAME=C-SOURCE-FILE ...]: init an instance, compile each source statically into
# /tests/NAME, allow /tests, build.
rt_instance() {
	"$CELLA" init "$RT_INST" >/dev/null || { echo "FAIL cella init"; exit 1; }
	mkdir -p "$RT_INST/image/tests" "$RT_INST/image/data"
	python3 - "$RT_INST/cella.json" <<-'PY' || { echo "FAIL editing cella.json"; exit 1; }
	import json, sys
	p = sys.argv[1]
	c = json.load(open(p))
	c["entry_points"].append("/tests")
	json.dump(c, open(p, "w"), indent=2)
	PY
}

rt_build() {
	"$CELLA" -C "$RT_INST" build >/dev/null || { echo "FAIL cella build"; exit 1; }
}

# rt_cc NAME [gcc flags...] <<<SOURCE: compiles C from stdin into the image's /tests/NAME.
rt_cc() {
	local name=$1
	shift
	gcc -O1 -w "$@" -x c -o "$RT_INST/image/tests/$name" - || { echo "FAIL compiling $name"; exit 1; }
}

# check NAME COMMAND...: runs COMMAND (a shell snippet evaluated); ok if it exits 0.
check() {
	local name=$1
	shift
	if (eval "$*") >"$SCRATCH/check.out" 2>&1; then
		echo "ok $name"
	else
		echo "FAIL $name"
		sed 's/^/  /' "$SCRATCH/check.out" | tail -n 15
		rt_failures=$((rt_failures + 1))
	fi
}

rt_done() {
	[ "$rt_failures" -eq 0 ] || { echo "$rt_failures failed"; exit 1; }
}
