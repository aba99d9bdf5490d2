#!/usr/bin/env bash
# tests/apps/lib.sh — sourced by every app test. Builds the shared app instance $REPO/out/app-instance
# (busybox, Debian's ls/cat/env, python3 and some data files) once, again only when this file or the
# cella binaries change; `compare` runs one command under cella and natively chrooted into the image.
set -u
: "${CELLA:?CELLA must name the cella binary}" "${REPO:?REPO must name the repo root}" "${SCRATCH:?}"
APP_INST=$REPO/out/app-instance
APP_IMAGE=$APP_INST/image
APP_ENV=(LANG=C PATH=/usr/bin:/bin HOME=/root CELLA_APP=yes PYTHONDONTWRITEBYTECODE=1)
APP_BINS=(/bin/busybox /bin/ls /bin/cat /usr/bin/env /usr/bin/python3 /usr/bin/python3.11)
APP_DIRS=(/usr/lib/python3.11 /etc/python3.11)
app_failures=0
CHROOT=$(PATH=$PATH:/usr/sbin:/sbin command -v chroot)

# Writes the data files the tests read: /etc/{passwd,group,hostname}, /data/*.
app_write_data() {
	local img=$1 i
	mkdir -p "$img/etc" "$img/data/sub" "$img/tmp" "$img/root"
	printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin' \
		'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >"$img/etc/passwd"
	printf '%s\n' 'root:x:0:' 'daemon:x:1:' 'nogroup:x:65534:' >"$img/etc/group"
	echo cella-apps >"$img/etc/hostname"
	for i in $(seq 1 100); do echo "line $i of the sample"; done >"$img/data/lines.txt"
	cat >"$img/data/sample.json" <<-'JSON'
	{"name": "cella", "numbers": [1, 2.5, -3e2], "nested": {"empty": {}, "list": [], "t": true,
	 "f": false, "n": null}, "text": "caf\u00e9 \"quoted\" tab\t end", "unicode": "ünï"}
	JSON
	echo "in a subdirectory" >"$img/data/sub/file.txt"
	ln -sf ../lines.txt "$img/data/sub/link"
	# fixed times, so listings do not depend on when the instance was built
	find "$img/etc" "$img/data" "$img/tmp" "$img/root" -exec touch -h -d @1700000000 {} +
	touch -d @1700000000 "$img"
}

# The config edits: entry points, a known env.default, nothing untrusted.
app_configure() {
	python3 - "$APP_INST/cella.json" "${APP_ENV[@]}" <<-'PY'
	import json, sys
	path, env = sys.argv[1], sys.argv[2:]
	with open(path) as f:
	    cfg = json.load(f)
	eps = cfg.setdefault("entry_points", [])
	for ep in ("/bin", "/usr/bin"):
	    if ep not in eps:
	        eps.append(ep)
	e = cfg.setdefault("env", {})
	e["default"] = dict(kv.split("=", 1) for kv in env) if isinstance(e.get("default"), dict) else env
	if "untrusted" in e:
	    e["untrusted"] = {} if isinstance(e["untrusted"], dict) else []
	with open(path, "w") as f:
	    json.dump(cfg, f, indent=2)
	    f.write("\n")
	PY
}

app_stamp() { cat "$REPO/tests/apps/lib.sh" "$CELLA" "$(dirname "$CELLA")"/cella-{cli,runtime} 2>/dev/null | sha256sum; }

# Builds the app instance unless an up-to-date one exists.
app_instance() {
	local stamp
	stamp=$(app_stamp)
	if [ -f "$APP_INST/.stamp" ] && [ "$(cat "$APP_INST/.stamp")" = "$stamp" ]; then
		return 0
	fi
	echo "building $APP_INST"
	rm -rf "$APP_INST"
	"$CELLA" init "$APP_INST" || { echo "cella init failed"; exit 1; }
	# cella add finds the shared-library closure itself (no ldd).
	"$CELLA" -C "$APP_INST" add "${APP_BINS[@]}" || { echo "cella add failed"; exit 1; }
	local d
	for d in "${APP_DIRS[@]}"; do
		"$CELLA" -C "$APP_INST" add --dir "$d" || { echo "cella add --dir $d failed"; exit 1; }
	done
	app_write_data "$APP_IMAGE"
	app_configure || { echo "editing cella.json failed"; exit 1; }
	"$CELLA" -C "$APP_INST" build || { echo "cella build failed"; exit 1; }
	echo "$stamp" >"$APP_INST/.stamp"
}

# Output filters for compare: drop mount points (their metadata is the mount's, not the image's)
# and ls's block total.
app_filter_mounts() { grep -Ev '^total |[ /](dev|proc|sys|tmp)$'; }

# compare NAME [--sort] [--no-mounts] -- ARGV...: runs ARGV under cella and natively (chroot into
# the image, pid 1 of a new pid namespace, same environment); both must exit 0 with equal stdout.
compare() {
	local name=$1 sort=0 nomounts=0
	shift
	while [ "$1" != "--" ]; do
		case $1 in
		--sort) sort=1 ;;
		--no-mounts) nomounts=1 ;;
		esac
		shift
	done
	shift
	local c=$SCRATCH/cella.out n=$SCRATCH/native.out crc nrc
	timeout -k 5 120 "$CELLA" -C "$APP_INST" run "$@" </dev/null >"$c" 2>"$SCRATCH/cella.err"
	crc=$?
	env -i "${APP_ENV[@]}" timeout -k 5 120 unshare --pid --fork --mount-proc --kill-child \
		"$CHROOT" "$APP_IMAGE" "$@" </dev/null >"$n" 2>"$SCRATCH/native.err"
	nrc=$?
	app_post "$sort" "$nomounts" <"$c" >"$c.post"
	app_post "$sort" "$nomounts" <"$n" >"$n.post"
	if [ $crc -ne 0 ] || [ $nrc -ne 0 ]; then
		echo "FAIL $name: cella exit $crc, native exit $nrc"
		tail -n 10 "$SCRATCH/cella.err" "$SCRATCH/native.err" | sed 's/^/  /'
		app_failures=$((app_failures + 1))
	elif ! cmp -s "$c.post" "$n.post"; then
		echo "FAIL $name: stdout differs"
		diff -u --label native --label cella "$n.post" "$c.post" | head -n 30 | sed 's/^/  /'
		app_failures=$((app_failures + 1))
	else
		echo "ok $name"
	fi
}

app_post() {
	local sort=$1 nomounts=$2
	if [ "$nomounts" = 1 ]; then app_filter_mounts; else cat; fi | if [ "$sort" = 1 ]; then LC_ALL=C sort; else cat; fi
}

# expect NAME WANT_FILE GOT_FILE: a fixed expectation for cella's output.
expect_same() {
	if cmp -s "$2" "$3"; then
		echo "ok $1"
	else
		echo "FAIL $1"
		diff -u --label expected --label cella "$2" "$3" | head -n 30 | sed 's/^/  /'
		app_failures=$((app_failures + 1))
	fi
}

# Ends an app test: exit 1 if any comparison failed.
app_finish() {
	echo "$app_failures failed"
	[ "$app_failures" -eq 0 ]
}
