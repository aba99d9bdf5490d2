#!/usr/bin/env bash
# tests/apps/loader.sh — the program loader beyond the three test builds: a static PIE, #! scripts
# (with and without an interpreter argument, nested), and what happens when a #! names something
# that is not an executable. Natively the same scripts give the same argv.
. "$(dirname "$0")/lib_runtime.sh"
rt_instance
ARGV_SRC='#include <stdio.h>
int main(int c, char **v) { for (int i = 0; i < c; i++) printf("[%s]", v[i]); printf("\n"); return 0; }'
rt_cc argv -static <<<"$ARGV_SRC"
rt_cc argv-pie -static-pie -fPIE <<<"$ARGV_SRC"
img=$RT_INST/image/tests
printf '#!/tests/argv\n' >"$img/plain.sh"
printf '#!/tests/argv  one-arg  \n' >"$img/witharg.sh"
printf '#!/tests/plain.sh\n' >"$img/nested.sh"
printf 'not an executable\n' >"$img/text"
printf '#!/tests/text\n' >"$img/badinterp.sh"
chmod +x "$img"/*.sh "$img/text"
rt_build
R() { "$CELLA" -C "$RT_INST" run "$@"; }
N() { unshare --pid --fork --mount-proc --kill-child chroot "$RT_INST/image" "$@"; }

check "a static PIE runs" '[ "$(R /tests/argv-pie a b)" = "[/tests/argv-pie][a][b]" ]'
check "a #! script gets interpreter, script path, args (as natively)" \
	'[ "$(R /tests/plain.sh x y)" = "[/tests/argv][/tests/plain.sh][x][y]" ] && [ "$(R /tests/plain.sh x y)" = "$(N /tests/plain.sh x y)" ]'
check "a #! interpreter argument is one word, trimmed (as natively)" \
	'[ "$(R /tests/witharg.sh z)" = "[/tests/argv][one-arg][/tests/witharg.sh][z]" ] && [ "$(R /tests/witharg.sh z)" = "$(N /tests/witharg.sh z)" ]'
check "nested #! scripts resolve (as natively)" \
	'[ "$(R /tests/nested.sh q)" = "$(N /tests/nested.sh q)" ]'
check "a #! naming a non-ELF file fails with a message" \
	'! R /tests/badinterp.sh >/dev/null 2>"$SCRATCH/e" && grep -q "not an x86-64 ELF executable or #! script" "$SCRATCH/e"'
rt_done
