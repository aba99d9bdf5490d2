#!/usr/bin/env bash
# tests/apps/debian_tools.sh — dynamically linked Debian coreutils under cella: ls -la /, cat, and env,
# whose output must be exactly the instance's env.default from cella.json.
# shellcheck source=tests/apps/lib.sh
. "$REPO/tests/apps/lib.sh"
app_instance
compare "ls -la /" --no-mounts -- /bin/ls -la --time-style=long-iso /
compare "ls -laR /data" -- /bin/ls -laR --time-style=long-iso /data
compare "cat a file" -- /bin/cat /data/sample.json
compare "cat two files" -- /bin/cat /etc/passwd /data/sub/file.txt

got=$SCRATCH/env.got
want=$SCRATCH/env.want
timeout -k 5 120 "$CELLA" -C "$APP_INST" run /usr/bin/env </dev/null | LC_ALL=C sort >"$got"
python3 - "$APP_INST/cella.json" <<'PY' | LC_ALL=C sort >"$want"
import json, sys
d = json.load(open(sys.argv[1]))["env"]["default"]
for kv in (d if isinstance(d, list) else ("%s=%s" % item for item in d.items())):
    print(kv)
PY
expect_same "env prints exactly env.default" "$want" "$got"
app_finish
