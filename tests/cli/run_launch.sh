#!/usr/bin/env bash
# tests/cli/run_launch.sh — cella run starts the runtime as launch.h says: argv, fds 3-8, environment, exit status, signals, /tmp cleanup.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

use_fake_runtime

I=$SCRATCH/inst
"$CELLA" init "$I" >/dev/null || fail "init"
cp /bin/true "$I/image/bin/prog" || fail "copy"
printf "#!/bin/sh\necho hi\n" > "$I/image/bin/script"; chmod 755 "$I/image/bin/script"

"$CELLA" -C "$I" build >/dev/null || fail "build"
expect "run starts the runtime and returns its status 0" 0 '' "$CELLA" -C "$I" run /bin/prog a 'b c' --flag
grep -qE "^argv: --config-fd=3 --manifest-fd=4 --image-fd=5 --run-fd=6 --verified-fd=7 --tmp-name=tmp\.[A-Za-z0-9]{12} -- /bin/prog a b c --flag$" "$FAKE_OUT" ||
	fail "runtime argv: $(grep argv: "$FAKE_OUT")"
echo "ok the runtime gets launch.h's argv with PATH and ARGS after --"
grep -qx "argv0: $CELLA_RUNTIME" "$FAKE_OUT" || fail "CELLA_RUNTIME not used"
echo "ok CELLA_RUNTIME picks the runtime"
grep -qx "fds: 0 1 2 3 4 5 6 7 255 " "$FAKE_OUT" || fail "the runtime must get exactly fds 0-7 (+bash's 255): $(grep fds: "$FAKE_OUT")"
echo "ok no fd leaks into the runtime"
grep -qx "fd3: $I/build/config.bin" "$FAKE_OUT" && grep -qx "fd4: $I/build/manifest.bin" "$FAKE_OUT" &&
	grep -qx "fd5: $I/image" "$FAKE_OUT" && grep -qx "fd6: $I/run" "$FAKE_OUT" &&
	grep -qx "fd7: $I/build/verified.bin" "$FAKE_OUT" ||
	fail "fd targets: $(grep ^fd "$FAKE_OUT")"
grep -qx "cfgmagic: CELLACFG" "$FAKE_OUT" && grep -qx "mfmagic: CELLAMNF" "$FAKE_OUT" || fail "fd contents"
echo "ok fds 3-7 are config.bin, manifest.bin, image/, run/ and build/verified.bin"
grep -qE "^tmpname: tmp\.[A-Za-z0-9]{12} made-before: no$" "$FAKE_OUT" || fail "tmp dir: $(grep tmpname "$FAKE_OUT")"
[ -z "$(ls -A "$I/run")" ] || fail "run/ still holds $(ls "$I/run")"
echo "ok the private /tmp is not made in advance, and removed with what the app left in it after the run"
first=$(sed -n 's/^tmpname: \([^ ]*\).*/\1/p' "$FAKE_OUT")
FAKE_NO_TMP=1 expect "a run that never used /tmp" 0 '' "$CELLA" -C "$I" run /bin/prog
[ -z "$(ls -A "$I/run")" ] || fail "run/ holds $(ls "$I/run") after a run that made no /tmp"
[ "$(sed -n 's/^tmpname: \([^ ]*\).*/\1/p' "$FAKE_OUT")" != "$first" ] || fail "two runs got the same /tmp name"
echo "ok a run that never used /tmp leaves run/ empty, and each run names its own /tmp"
FAKE_EXIT=7 expect "the runtime's exit status is cella's" 7 '' "$CELLA" -C "$I" run /bin/prog
CELLA_LOG_FILE=$SCRATCH/log expect "CELLA_LOG_FILE is passed as --log-fd=8" 0 '' "$CELLA" -C "$I" run /bin/prog
grep -qE -- "--verified-fd=7 --log-fd=8 --tmp-name=[^ ]+ -- /bin/prog" "$FAKE_OUT" && grep -qx "fd8: $SCRATCH/log" "$FAKE_OUT" ||
	fail "log fd: $(cat "$FAKE_OUT")"
echo "ok the log file is fd 8"
# A runtime that dies by a signal: cella exits 128+signal.
cat > "$SCRATCH/killer" <<'K'
#!/usr/bin/env bash
kill -SEGV $$
K
chmod +x "$SCRATCH/killer"
CELLA_RUNTIME=$SCRATCH/killer expect "death by SIGSEGV gives 139" 139 '' "$CELLA" -C "$I" run /bin/prog
# SIGTERM sent to cella reaches the runtime; cella itself survives to report the status.
cat > "$SCRATCH/waiter" <<'W'
#!/usr/bin/env bash
trap 'echo got-term > "$FAKE_OUT.term"; exit 42' TERM
touch "$FAKE_OUT.ready"
for i in $(seq 100); do sleep 0.1; done
exit 3
W
chmod +x "$SCRATCH/waiter"
CELLA_RUNTIME=$SCRATCH/waiter "$CELLA" -C "$I" run /bin/prog & pid=$!
for i in $(seq 50); do [ -e "$FAKE_OUT.ready" ] && break; sleep 0.1; done
[ -e "$FAKE_OUT.ready" ] || fail "the waiting runtime never started"
kill -TERM $pid
wait $pid; rc=$?
[ "$rc" = 42 ] && [ -e "$FAKE_OUT.term" ] || fail "SIGTERM forwarding: cella exited $rc, runtime saw TERM: $([ -e "$FAKE_OUT.term" ] && echo yes || echo no)"
echo "ok SIGTERM to cella is forwarded to the runtime and its status returned"
[ -z "$(ls -A "$I/run")" ] || fail "run/ not cleaned after a signal"
echo "ok the private /tmp is removed after a forwarded signal"
expect "-- before PATH is accepted" 0 '' "$CELLA" -C "$I" run -- /bin/prog --help
grep -q -- "-- /bin/prog --help" "$FAKE_OUT" || fail "-- handling: $(grep argv: "$FAKE_OUT")"
echo "ok ARGS that look like options pass through"
