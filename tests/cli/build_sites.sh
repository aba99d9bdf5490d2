#!/usr/bin/env bash
# tests/cli/build_sites.sh — cella build records `mov $nr,%eax; syscall` sites only where a decoder
# proved both instruction boundaries: the bytes are right, objdump agrees, bytes hidden inside
# other instructions or decoded two ways are not sites, and an unchanged file is not re-analysed.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

I=$SCRATCH/inst
"$CELLA" init "$I" >/dev/null || fail "init"
"$CELLA" -C "$I" add /lib/x86_64-linux-gnu/libc.so.6 >/dev/null || fail "add libc"

# A static program with four hand-written functions (sized symbols, no FDE):
#  direct_getpid  a real site;
#  inside_movabs  b8 27 00 00 00 0f 05 as the opcode and immediate of a movabs;
#  inside_movl    the same bytes as displacement and immediate of a movl (written as .byte);
#  split_outer    one byte (REX.W) before split_inner: the two symbols decode the same bytes
#                 as a movabs and as mov+syscall, so the ranges disagree and the site is dropped.
cat > "$SCRATCH/sites.c" <<-'EOF'
	__asm__(".text\n"
		".globl direct_getpid\n.type direct_getpid,@function\n"
		"direct_getpid: mov $39,%eax\n syscall\n ret\n"
		".size direct_getpid,.-direct_getpid\n"
		".globl inside_movabs\n.type inside_movabs,@function\n"
		"inside_movabs: movabs $0x9090050f00000027,%rax\n ret\n"
		".size inside_movabs,.-inside_movabs\n"
		".globl inside_movl\n.type inside_movl,@function\n"
		"inside_movl: .byte 0xc7,0x80,0x00,0xb8,0x27,0x00,0x00,0x00,0x0f,0x05\n ret\n"
		".size inside_movl,.-inside_movl\n"
		".globl split_outer\n.type split_outer,@function\n"
		"split_outer: .byte 0x48\n"
		".globl split_inner\n.type split_inner,@function\n"
		"split_inner: mov $39,%eax\n syscall\n ret\n nop\n"
		".size split_inner,.-split_inner\n"
		".size split_outer,.-split_outer\n");
	int direct_getpid(void);
	int main(void) { return direct_getpid() > 0 ? 0 : 1; }
EOF
gcc -O1 -static -o "$I/image/sites" "$SCRATCH/sites.c" || fail "compiling the test program"
"$I/image/sites" || fail "the test program does not run natively"

out=$("$CELLA" -C "$I" build -v 2>&1) || fail "build: $out"
grep -qE '^analysed 3 ELF files: [0-9]+ patchable syscall sites' <<<"$out" ||
	fail "build should say it analysed libc, ld.so and the program; got: $out"
echo "ok the first build analyses every ELF file and says how many sites it found"
grep -qE 'sites: site at 0x[0-9a-f]+ dropped: ranges disagree' <<<"$out" ||
	fail "build -v should log the site the split_outer/split_inner ranges disagree on; got: $out"
echo "ok build -v logs a site dropped because two ranges decode its bytes differently"

# Reads build/manifest.bin, checks every site against the file's bytes and objdump's
# disassembly, and prints "name value" lines for the shell to judge.
cat > "$SCRATCH/check.py" <<-'EOF'
	import re, struct, subprocess, sys
	mf, root = sys.argv[1], sys.argv[2]
	d = open(mf, "rb").read()
	magic, ver, count, eoff, soff, ssize, total, sitoff, nsites = struct.unpack_from("<QIIQQQQQQ", d, 0)
	assert d[:8] == b"CELLAMNF" and ver == 4 and total == len(d), "manifest header"
	def run(*a):
	    return subprocess.run(a, capture_output=True, text=True, check=True).stdout
	for i in range(count):
	    po, pl, lo, ll, mode, scount, size, sha, sfirst = struct.unpack_from("<IIIIIIQ32sQ", d, eoff + 120 * i)
	    path = d[soff + po:soff + po + pl].decode()
	    if not scount:
	        continue
	    allsites = [struct.unpack_from("<QIBBBb", d, sitoff + 16 * j) for j in range(sfirst, sfirst + scount)]
	    sites = [(o, nr, k, g) for o, nr, k, l, g, p in allsites if k != 3]
	    short = [(o, nr, l, p) for o, nr, k, l, g, p in allsites if k == 3]
	    data = open(f"{root}/{path}", "rb").read()
	    offs = [s[0] for s in allsites]
	    # a short site: xor %eax,%eax (nr 0) or a move into eax/rax, then 0f 05; its slot lies
	    # outside the site and no other site's slot overlaps it
	    slots = sorted(o + 2 + p for o, nr, l, p in short)
	    print(path.replace("/", "_"), "short", len(short), "short_read", sum(nr == 0 for o, nr, l, p in short),
	          "short_ok", int(all(data[o + l:o + l + 2] == b"\x0f\x05" and
	                              ((nr == 0 and data[o + l - 2:o + l] in (b"\x31\xc0", b"\x33\xc0")) or
	                               (nr == 0xffffffff and data[o + l - 2] in (0x89, 0x8b))) and
	                              not (o - 5 < o + 2 + p < o + l + 2) for o, nr, l, p in short) and
	                          all(b - a >= 5 for a, b in zip(slots, slots[1:]))))
	    print(path.replace("/", "_"), "sorted", int(offs == sorted(set(offs))))
	    print(path.replace("/", "_"), "bytes_ok", int(all(
	        ((k == 1 and g == 0) or (k == 2 and 0 < g <= 14)) and data[o:o + 5] == b"\xb8" + struct.pack("<I", nr)
	        and data[o + 5 + g:o + 7 + g] == b"\x0f\x05" for o, nr, k, g in sites)))
	    loads = [(int(f[1], 16), int(f[2], 16), int(f[4], 16)) for f in
	             (l.split() for l in run("readelf", "-lW", f"{root}/{path}").splitlines()) if f and f[0] == "LOAD"]
	    def off(v):
	        return next((v - va + o for o, va, fs in loads if va <= v < va + fs), None)
	    pairs, prev = set(), None	# objdump's `mov $imm,%eax` (b8, imm < 1024) then `syscall`
	    starts = set()		# every instruction start objdump decoded
	    for l in run("objdump", "-d", "-w", f"{root}/{path}").splitlines():
	        m = re.match(r"\s*([0-9a-f]+):\t([0-9a-f ]+)\t", l)
	        if not m:
	            prev = None
	            continue
	        a, b = int(m.group(1), 16), m.group(2).split()
	        starts.add(off(a))
	        if b == ["0f", "05"] and prev is not None and prev + 5 == a:
	            pairs.add(off(prev))
	        prev = a if len(b) == 5 and b[0] == "b8" and int("".join(reversed(b[1:])), 16) < 1024 else None
	    n = path.replace("/", "_")
	    direct = {o for o, nr, k, g in sites if k == 1}
	    gapped = [(o, g) for o, nr, k, g in sites if k == 2]
	    bad_gap = [o for o, g in gapped if o not in starts or o + 5 not in starts or o + 5 + g not in starts]
	    print(n, "sites", len(direct), "gap_sites", len(gapped), "objdump", len(pairs),
	          "not_in_objdump", len(direct - pairs) + len(bad_gap))
	    syms = {}
	    for l in run("nm", f"{root}/{path}").splitlines():
	        f = l.split()
	        if len(f) == 3:
	            syms[f[2]] = off(int(f[0], 16))
	    for name, delta in (("direct_getpid", 0), ("inside_movabs", 1), ("inside_movl", 3), ("split_inner", 0)):
	        if name in syms:
	            print(n, name, int(syms[name] + delta in offs), "pattern", int(data[syms[name] + delta] == 0xb8))
	EOF
res=$(python3 "$SCRATCH/check.py" "$I/build/manifest.bin" "$I/image") || fail "manifest check script: $res"
echo "$res" | sed 's/^/    /'
val() { awk -v k="$1" -v f="$2" '$1 == k { for (i = 2; i < NF; i++) if ($i == f) print $(i + 1) }' <<<"$res"; }
libc=lib_x86_64-linux-gnu_libc.so.6
[ "$(val $libc sites)" -ge 200 ] 2>/dev/null || fail "libc.so.6 should have hundreds of sites, got '$(val $libc sites)'"
echo "ok libc.so.6 has hundreds of sites ($(val $libc sites))"
[ "$(val $libc short_read)" -ge 2 ] 2>/dev/null || fail "libc.so.6 should have xor %eax,%eax; syscall sites (read) with padding slots, got '$(val $libc short_read)'"
[ "$(val $libc short_ok)" = 1 ] || fail "libc.so.6: a short site's bytes are not an eax setter + 0f 05, or two slots overlap"
echo "ok libc.so.6 has xor %eax,%eax; syscall sites (read), each with its own padding slot ($(val $libc short))"
for f in $libc sites; do
	[ "$(val $f sorted)" = 1 ] || fail "$f: sites not sorted by offset or duplicated"
	[ "$(val $f bytes_ok)" = 1 ] || fail "$f: a site's bytes are not b8 <nr le32> 0f 05"
	[ "$(val $f not_in_objdump)" = 0 ] || fail "$f: $(val $f not_in_objdump) sites are not a mov+syscall pair in objdump -d"
	# objdump decodes everything linearly; the decoder pass may only miss a few pairs
	# (outside any function range, after bytes it cannot decode, or dropped as ambiguous).
	[ $(( $(val $f sites) * 100 )) -ge $(( $(val $f objdump) * 95 )) ] ||
		fail "$f: $(val $f sites) sites but objdump shows $(val $f objdump) pairs"
done
echo "ok every site's bytes are b8 <nr> 0f 05, in order, each one a mov+syscall pair in objdump -d"
echo "ok the sites cover at least 95% of objdump's pairs (libc $(val $libc sites)/$(val $libc objdump), program $(val sites sites)/$(val sites objdump))"
[ "$(val sites direct_getpid)" = 1 ] || fail "the direct mov+syscall function was not recorded"
echo "ok a plain mov \$39,%eax; syscall function is a site"
for fn in inside_movabs inside_movl split_inner; do
	[ "$(awk -v f=$fn '$1 == "sites" && $2 == f { print $5 }' <<<"$res")" = 1 ] || fail "$fn: the test bytes are not where the test expects"
	[ "$(val sites $fn)" = 0 ] || fail "$fn: bytes inside another instruction (or decoded two ways) were recorded as a site"
done
echo "ok b8 27 00 00 00 0f 05 inside a movabs, inside a movl, or decoded two ways is not a site"

expect "a second build re-analyses nothing" 0 '^nothing changed; config and manifest are up to date$' "$CELLA" -C "$I" build
sleep 0.01; touch "$I/image/sites"
expect "a touched ELF file is analysed again, alone, with the same result" 0 \
	'^analysed 1 ELF file: [0-9]+ patchable syscall sites .*; [0-9]+ in the image$' "$CELLA" -C "$I" build
res2=$(python3 "$SCRATCH/check.py" "$I/build/manifest.bin" "$I/image") || fail "manifest check script"
[ "$res2" = "$res" ] || fail "sites changed after re-analysing an unchanged program"
echo "ok sites taken from the cache are the ones the analysis gave"
