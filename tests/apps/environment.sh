#!/usr/bin/env bash
# tests/apps/environment.sh — the app's environment is env.default from cella.json; a host
# variable reaches the app only if env.untrusted names it (then it overrides the default).
. "$(dirname "$0")/lib_runtime.sh"
rt_instance
rt_cc env -static <<'C'
#include <stdio.h>
extern char **environ;
int main(void) { for (char **e = environ; *e; e++) puts(*e); return 0; }
C
python3 - "$RT_INST/cella.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["env"] = {"default": {"PATH": "/bin", "GREETING": "hello"}, "untrusted": ["TERM", "GREETING"]}
json.dump(c, open(p, "w"), indent=2)
PY
rt_build
R() { env -i "$@" "$CELLA" -C "$RT_INST" run /tests/env; }
check "with no host overrides the app sees exactly env.default" \
	'[ "$(R | sort | tr "\n" " ")" = "GREETING=hello PATH=/bin " ]'
check "an untrusted name set on the host is passed in" \
	'R TERM=vt100 | grep -qx TERM=vt100'
check "an untrusted name overrides its default" \
	'[ "$(R GREETING=bye | grep -c GREETING)" = 1 ] && R GREETING=bye | grep -qx GREETING=bye'
check "a host variable not named in env.untrusted stays out" \
	'! R SECRET=x PATH=/usr/bin:/bin | grep -qE "^SECRET=|^PATH=/usr/bin"'
check "cella's own variables do not leak in" \
	'! CELLA_LOG=error R CELLA_LOG=error | grep -q ^CELLA_'
rt_done
