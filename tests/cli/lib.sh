#!/usr/bin/env bash
# tests/cli/lib.sh — sourced by the CLI tests: `fail`, `expect` (exit code + message check), and
# `use_fake_runtime`, which points cella run at a stand-in runtime that records what it was given.
fail() { echo "FAIL: $*"; exit 1; }
# expect WHAT CODE REGEX CMD...: CMD must exit with CODE and print (stdout+stderr) a line matching REGEX.
expect() {
	local what=$1 code=$2 re=$3 out rc
	shift 3
	out=$("$@" 2>&1); rc=$?
	[ "$rc" -eq "$code" ] || fail "$what: expected exit $code, got $rc from '$*'; output: $out"
	grep -qE -- "$re" <<<"$out" || fail "$what: expected output matching /$re/ from '$*', got: $out"
	echo "ok $what"
}

# config_instance: a fresh instance in $SCRATCH/inst ($I) with its default cella.json kept as
# $SCRATCH/good.json; try_config WHAT SED REGEX: edit a copy of it, `cella build` must fail
# with exit 1 and a message matching REGEX.
config_instance() {
	I=$SCRATCH/inst
	"$CELLA" init "$I" >/dev/null || fail "init"
	cp "$I/cella.json" "$SCRATCH/good.json"
}
try_config() {
	cp "$SCRATCH/good.json" "$I/cella.json"
	sed -i "$2" "$I/cella.json"
	expect "$1" 1 "$3" "$CELLA" -C "$I" build
}

use_fake_runtime() {
	# A stand-in for cella-runtime: records its argv and open fds in $FAKE_OUT, then exits
	# $FAKE_EXIT. A check that must not run anything asserts that $FAKE_OUT was never written.
	cat > "$SCRATCH/fake-runtime" <<-'FAKE'
	#!/usr/bin/env bash
	ls /proc/$$/fd > "$FAKE_OUT.fds"	# first, before bash opens pipes or saves fds of its own
	{
		echo "argv0: $0"
		echo "argv: $*"
		echo "fds: $(sort -n "$FAKE_OUT.fds" | tr "\n" " ")"
		for fd in 3 4 5 6 7 8; do [ -e /proc/$$/fd/$fd ] && echo "fd$fd: $(readlink /proc/$$/fd/$fd)"; done
		echo "cfgmagic: $(head -c 8 /proc/$$/fd/3)"
		echo "mfmagic: $(head -c 8 /proc/$$/fd/4)"
		tmp=$(printf '%s\n' "$@" | sed -n 's/^--tmp-name=//p')
		echo "tmpname: $tmp made-before: $([ -e "/proc/$$/fd/6/$tmp" ] && echo yes || echo no)"
	} > "$FAKE_OUT"
	# As the runtime does at the app's first use of /tmp; the app leaves a file there.
	[ -n "${FAKE_NO_TMP:-}" ] || { mkdir -m 700 "/proc/$$/fd/6/$tmp" && echo left > "/proc/$$/fd/6/$tmp/file"; }
	exit "${FAKE_EXIT:-0}"
	FAKE
	chmod +x "$SCRATCH/fake-runtime"
	export CELLA_RUNTIME=$SCRATCH/fake-runtime FAKE_OUT=$SCRATCH/fake.out
	not_run() { [ ! -e "$FAKE_OUT" ] || fail "$1: the runtime was started"; echo "ok $1: nothing was run"; }
}
