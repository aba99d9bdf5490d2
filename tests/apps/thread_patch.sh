#!/usr/bin/env bash
# tests/apps/thread_patch.sh — the site that tests/programs/thread_patch hammers from eight threads
# really is patched while they run: of its 160000 calls, nearly all must go through the fast path
# (the debug counters), not the trap path. The program itself checks every result and register.
. "$(dirname "$0")/lib_runtime.sh"
rt_instance
for v in glibc-static musl-static; do
	cp "$REPO/out/tests/programs/thread_patch.$v" "$RT_INST/image/tests/" || { echo "FAIL no thread_patch.$v"; exit 1; }
done
rt_build
for v in glibc-static musl-static; do
	check "thread_patch.$v: the hammered site is patched while 8 threads run through it" '
		CELLA_LOG=debug "$CELLA" -C "$RT_INST" run /tests/thread_patch.'$v' >"$SCRATCH/out" 2>"$SCRATCH/log" || exit 1
		line=$(grep "through patched sites" "$SCRATCH/log") || exit 1
		echo "$line"
		trapped=$(echo "$line" | sed -E "s/.* ([0-9]+) trapped.*/\1/")
		fast=$(echo "$line" | sed -E "s/.*syscalls: ([0-9]+) through.*/\1/")
		[ "$fast" -ge 160000 ] && [ "$trapped" -lt 2000 ]'
done
rt_done
