#!/usr/bin/env bash
# tests/run.sh — the test runner behind `make test`: unit tests, CLI scripts, test programs (native
# vs cella, three builds each) and real apps. One `PASS name` / `FAIL name: reason` line per test,
# then exactly one closing line `N passed, N failed` (`, N skipped` when a program's native run
# skipped: the host kernel lacks what it tests); exits 1 if anything failed.
#
# Debugging aid: CELLA_TEST_FAKE=1 runs the "cella" side of the programs natively from the test
# instance's image instead of through cella (to check this runner's plumbing without a runtime).
# CELLA_TEST_BIN=path uses another cella binary (a stand-in for the CLI, say).
# TESTS_ONLY=unit|cli|programs|fuzz|apps runs one section; PROGRAMS="hello auxv" limits the programs.
set -u
cd "$(dirname "$0")/.." || exit 1
REPO=$PWD
OUT=${OUT:-out}
CELLA=${CELLA_TEST_BIN:-$REPO/$OUT/bin/cella}
TIMEOUT=${TEST_TIMEOUT:-60}
VARIANTS="glibc-static glibc-dynamic musl-static"
TMPD=$(mktemp -d /tmp/cella-run.XXXXXX)
trap 'rm -rf "$TMPD"' EXIT
passed=0
failed=0
skipped=0

pass() { echo "PASS $1"; passed=$((passed + 1)); }

# fail NAME REASON [LOGFILE...]: the last 20 lines of each log, indented.
fail() {
	local name=$1 reason=$2 f
	shift 2
	echo "FAIL $name: $reason"
	for f in "$@"; do
		[ -s "$f" ] && tail -n 20 "$f" | sed 's/^/    /'
	done
	failed=$((failed + 1))
}

want() { [ -z "${TESTS_ONLY:-}" ] || [ "$TESTS_ONLY" = "$1" ]; }

# ---- build ----
if ! make -s tests-programs >"$TMPD/build.log" 2>&1; then
	fail build/programs "make tests-programs failed" "$TMPD/build.log"
fi

# ---- 1. unit ----
if want unit; then
	for src in tests/unit/*.c; do
		[ -e "$src" ] || continue
		name=$(basename "$src" .c)
		bin=$OUT/tests/unit/$name
		if ! make -s "$bin" >"$TMPD/u.log" 2>&1; then
			fail "unit/$name" "build failed" "$TMPD/u.log"
			continue
		fi
		timeout -k 5 "$TIMEOUT" "$bin" </dev/null >"$TMPD/u.log" 2>&1
		rc=$?
		if [ $rc -eq 0 ]; then pass "unit/$name"; else fail "unit/$name" "exit $rc" "$TMPD/u.log"; fi
	done
fi

# exit_text RC: "exit N", or the signal or timeout it stands for.
exit_text() {
	case $1 in
	124) echo "timed out after ${TIMEOUT}s" ;;
	137) echo "killed (timeout)" ;;
	*) if [ "$1" -gt 128 ]; then echo "killed by signal $(($1 - 128))"; else echo "exit $1"; fi ;;
	esac
}

# run_scripts SECTION TIMEOUT: every tests/SECTION/*.sh but the sourced lib*.sh helpers, each
# with CELLA, REPO and a fresh SCRATCH directory; exit 0 passes.
run_scripts() {
	local section=$1 limit=$2 t name scratch rc
	for t in tests/"$section"/*.sh; do
		[ -e "$t" ] || continue
		name=$(basename "$t" .sh)
		case $name in lib*) continue ;; esac
		scratch=$(mktemp -d "/tmp/cella-$section.XXXXXX")
		CELLA=$CELLA SCRATCH=$scratch REPO=$REPO timeout -k 5 "$limit" bash "$t" </dev/null >"$TMPD/s.log" 2>&1
		rc=$?
		rm -rf "$scratch"
		if [ $rc -eq 0 ]; then pass "$section/$name"; else fail "$section/$name" "$(exit_text $rc)" "$TMPD/s.log"; fi
	done
}

# ---- 2. cli ----
want cli && run_scripts cli 300

# ---- 3. programs: native vs cella ----
INST=$OUT/test-instance
ARGS_ENV_ARGS=(one "two words" "" "x=y")
ARGS_ENV_ENV=(CELLA_TEST_A=alpha "CELLA_TEST_B=b c=d")

# Builds $INST: the test binaries under /tests, glibc for the dynamic builds, the args_env
# variables in env.default, /tests as an entry point. Log in $TMPD/inst.log.
setup_test_instance() {
	rm -rf "$INST"
	{
		if [ "${CELLA_TEST_FAKE:-}" = 1 ]; then
			mkdir -p "$INST/image"
		else
			"$CELLA" init "$INST" || return 1
		fi
		mkdir -p "$INST/image/tests" "$INST/image/tmp" "$INST/image/etc" || return 1
		cp "$OUT"/tests/programs/*.*-* "$INST/image/tests/" || return 1
		[ -e "$INST/image/etc/passwd" ] || echo "root:x:0:0:root:/root:/bin/sh" >"$INST/image/etc/passwd"
		[ "${CELLA_TEST_FAKE:-}" = 1 ] && return 0
		"$CELLA" -C "$INST" add /lib/x86_64-linux-gnu/libc.so.6 /lib64/ld-linux-x86-64.so.2 || return 1
		python3 - "$INST/cella.json" "${ARGS_ENV_ENV[@]}" <<-'EOF' || return 1
		import json, sys
		path, env = sys.argv[1], sys.argv[2:]
		with open(path) as f:
		    cfg = json.load(f)
		eps = cfg.setdefault("entry_points", [])
		if "/tests" not in eps:
		    eps.append("/tests")
		e = cfg.setdefault("env", {})
		d = e.get("default", [])
		if isinstance(d, dict):
		    d.update(kv.split("=", 1) for kv in env)
		else:
		    d = [kv for kv in d if kv.split("=", 1)[0] not in {x.split("=", 1)[0] for x in env}] + env
		e["default"] = d
		with open(path, "w") as f:
		    json.dump(cfg, f, indent=2)
		    f.write("\n")
		EOF
		"$CELLA" -C "$INST" build || return 1
	} >"$TMPD/inst.log" 2>&1
}

# run_native BIN ARGS... — as pid 1 of a fresh pid namespace; stdout/stderr to $TMPD/n.{out,err}.
run_native() {
	local bin=$1
	shift
	timeout -k 5 "$TIMEOUT" unshare --pid --fork --mount-proc --kill-child "$bin" "$@" \
		</dev/null >"$TMPD/n.out" 2>"$TMPD/n.err"
}

# run_cella NAME ARGS... — the image's /tests/NAME under cella; output to $TMPD/c.{out,err}.
# Its environment is the instance's env.default (the fake gets the same through ${envp[@]}).
run_cella() {
	local name=$1
	shift
	if [ "${CELLA_TEST_FAKE:-}" = 1 ]; then
		timeout -k 5 "$TIMEOUT" unshare --pid --fork --mount-proc --kill-child \
			${envp[@]+"${envp[@]}"} "$INST/image/tests/$name" "$@" </dev/null >"$TMPD/c.out" 2>"$TMPD/c.err"
	else
		# CELLA_VM_CHECK: the VM manager checks its invariants (and the host's mappings) after
		# every memory operation and panics on the first broken one.
		CELLA_VM_CHECK=1 timeout -k 5 "$TIMEOUT" "$CELLA" -C "$INST" run "/tests/$name" "$@" \
			</dev/null >"$TMPD/c.out" 2>"$TMPD/c.err"
	fi
}


if want programs; then
	inst_ok=1
	if ! setup_test_instance; then
		inst_ok=0
		fail test-instance "setting up $INST failed" "$TMPD/inst.log"
	fi
	programs=${PROGRAMS:-$(cd tests/programs && for f in *.c; do echo "${f%.c}"; done)}
	for p in $programs; do
		for v in $VARIANTS; do
			name=$p.$v
			bin=$OUT/tests/programs/$name
			if [ ! -x "$bin" ]; then
				fail "programs/$name" "not built"
				continue
			fi
			args=()
			envp=()
			if [ "$p" = args_env ]; then
				args=("${ARGS_ENV_ARGS[@]}")
				envp=(env -i "${ARGS_ENV_ENV[@]}")
			fi
			run_native ${envp[@]+"${envp[@]}"} "$bin" ${args[@]+"${args[@]}"}
			nrc=$?
			if [ $inst_ok = 1 ]; then
				run_cella "$name" ${args[@]+"${args[@]}"}
				crc=$?
			else
				crc=-1
				echo "(test instance not set up)" >"$TMPD/c.err"
				: >"$TMPD/c.out"
			fi
			if [ $nrc -eq 77 ] && [ $crc -eq 0 ]; then
				# The host kernel lacks what the program tests (check.h's skip()).
				echo "SKIP programs/$name: native: $(tail -n 1 "$TMPD/n.err") (cella passed)"
				skipped=$((skipped + 1))
			elif [ $nrc -ne 0 ] && [ $crc -ne 0 ]; then
				if [ $crc = -1 ]; then ctext="not run (no instance)"; else ctext=$(exit_text $crc); fi
				fail "programs/$name" "native $(exit_text $nrc), cella $ctext" \
					"$TMPD/n.out" "$TMPD/n.err" "$TMPD/c.err"
			elif [ $nrc -ne 0 ]; then
				fail "programs/$name" "native $(exit_text $nrc) (cella passed)" "$TMPD/n.out" "$TMPD/n.err"
			elif [ $crc = -1 ]; then
				fail "programs/$name" "cella not run: no test instance (native passed)"
			elif [ $crc -ne 0 ]; then
				fail "programs/$name" "cella $(exit_text $crc) (native passed)" "$TMPD/c.out" "$TMPD/c.err"
			elif ! cmp -s "$TMPD/n.out" "$TMPD/c.out"; then
				diff -u --label native --label cella "$TMPD/n.out" "$TMPD/c.out" >"$TMPD/diff"
				fail "programs/$name" "stdout differs between native and cella" "$TMPD/diff"
			else
				pass "programs/$name"
			fi
		done
	done
fi

# ---- 4. fuzz: the syscall fuzzer's short run, native vs cella (tests/fuzz/; `make fuzz` is the long one) ----
if want fuzz && [ "${CELLA_TEST_FAKE:-}" != 1 ]; then
	if ! make -s fuzz-build >"$TMPD/f.log" 2>&1; then
		fail fuzz/short "make fuzz-build failed" "$TMPD/f.log"
	elif timeout -k 5 300 python3 tests/fuzz/compare.py -N 20 -s 1 --brief --out "$OUT" --cella "$CELLA" \
		</dev/null >"$TMPD/f.log" 2>&1; then
		pass fuzz/short
	else
		fail fuzz/short "$(exit_text $?): a mismatch in neither list, or a cella crash or hang" "$TMPD/f.log"
	fi
fi

# ---- 5. apps ----
want apps && run_scripts apps 600

if [ $skipped -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
