#!/usr/bin/env bash
# tests/cli/add_dir.sh — cella add --dir copies a tree (modes, symlinks) and the library closure of every ELF in it; --to picks the image.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

I=$SCRATCH/inst
T=$SCRATCH/tree
"$CELLA" init "$I" >/dev/null || fail "init"
mkdir -p "$T/sub/deeper"
echo data > "$T/sub/deeper/file.txt"
chmod 0640 "$T/sub/deeper/file.txt"
chmod 0750 "$T/sub"
cp /bin/true "$T/tool"
ln -s sub/deeper/file.txt "$T/link"
ln -s sub "$T/a_dirlink"	# sorts before sub/: must not stop sub/ from being copied
echo outside > "$SCRATCH/outside.txt"
ln -s ../outside.txt "$T/outlink"
expect "add --dir copies the tree" 0 'added' "$CELLA" -C "$I" add --dir "$T"
[ -f "$I/image$T/sub/deeper/file.txt" ] || fail "file in tree not copied"
[ "$(stat -c %a "$I/image$T/sub/deeper/file.txt")" = 640 ] || fail "file mode not kept"
[ "$(stat -c %a "$I/image$T/sub")" = 750 ] || fail "directory mode not kept"
echo "ok tree files and directories keep their modes"
[ "$(readlink "$I/image$T/link")" = sub/deeper/file.txt ] || fail "symlink inside the tree not recreated"
[ -f "$I/image$SCRATCH/outside.txt" ] || fail "target of a symlink leaving the tree not added"
[ "$(readlink "$I/image$T/a_dirlink")" = sub ] && [ -d "$I/image$T/sub" ] && [ ! -L "$I/image$T/sub" ] ||
	fail "a link to a directory inside the tree broke the copy of that directory"
echo "ok symlinks are recreated and their targets added"
find "$I/image" -name 'libc.so.6' | grep -q . || fail "the closure of an ELF file in the tree (libc.so.6) is missing"
echo "ok the library closure of ELF files in the tree is added"
O=$SCRATCH/other/img
expect "--to writes into another image directory" 0 "to $O/" "$CELLA" -C "$I" add --to "$O" /bin/true
[ -f "$O/bin/true" ] || [ -f "$O/usr/bin/true" ] || fail "--to did not copy into $O"
[ -f "$SCRATCH/other/added.json" ] || fail "--to did not record in $SCRATCH/other/added.json"
echo "ok --to copies there and records next to it"
