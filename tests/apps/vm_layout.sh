#!/usr/bin/env bash
# tests/apps/vm_layout.sh — the address-space layout: with security.aslr the program's base (PIE),
# the stack, brk and mmap(NULL) move from run to run, as under Linux; with aslr false they are the
# same on every run. mmap(NULL) places mappings top-down, below the stack.
. "$(dirname "$0")/lib_runtime.sh"
rt_instance
rt_cc layout -static-pie <<'C'
#include <stdio.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/mman.h>
int main(void) {
	int local;
	void *a = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *b = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("main %p stack %p brk %p mmap %p\n", (void *)main, (void *)&local, sbrk(0), a);
	/* top-down: the second mapping lies below the first, both below the stack */
	return (uintptr_t)b < (uintptr_t)a && (uintptr_t)a < (uintptr_t)&local ? 0 : 1;
}
C
rt_build
R() { "$CELLA" -C "$RT_INST" run /tests/layout; }
check "mmap(NULL) is top-down, below the stack" 'R >/dev/null'
check "with aslr, the program, stack, brk and mmap bases differ between runs" '
	a=$(R) && b=$(R) && echo "$a" && echo "$b" &&
	for f in 2 4 6 8; do [ "$(echo "$a" | cut -d" " -f$f)" != "$(echo "$b" | cut -d" " -f$f)" ] || exit 1; done'
python3 - "$RT_INST/cella.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c.setdefault("security", {})["aslr"] = False
json.dump(c, open(p, "w"), indent=2)
PY
rt_build
check "with aslr false, every run has the same layout" 'a=$(R) && b=$(R) && echo "$a" && [ "$a" = "$b" ]'
rt_done
