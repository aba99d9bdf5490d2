#!/usr/bin/env bash
# tests/apps/runtime_binary.sh — cella-runtime is a freestanding static PIE: no interpreter, no
# shared libraries, no undefined symbols, nothing from a host libc, and exactly one section holding
# syscall instructions (the PAL gate).
. "$(dirname "$0")/lib_runtime.sh"
RUNTIME=$(dirname "$CELLA")/cella-runtime
check "it is a position-independent executable" 'readelf -h "$RUNTIME" | grep -q "Type: *DYN"'
check "it has no program interpreter" '! readelf -l "$RUNTIME" | grep -q INTERP'
check "it needs no shared library" '! readelf -d "$RUNTIME" | grep -q NEEDED'
check "it has no undefined symbol" '[ -z "$(nm -u "$RUNTIME")" ]'
check "no host libc symbol is linked in" '! nm "$RUNTIME" | grep -qE " (__libc_start_main|printf|malloc|__errno_location|pthread_create)$"'
check "syscall instructions appear only in the cella_gate section" \
	'objdump -d "$RUNTIME" | awk "/^Disassembly of section/ { sec = \$4 } /\tsyscall/ { print sec }" | sort -u | tee "$SCRATCH/secs" | grep -qx "cella_gate:" && [ "$(wc -l <"$SCRATCH/secs")" = 1 ]'
rt_done
