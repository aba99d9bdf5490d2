#!/usr/bin/env bash
# tests/apps/vm_python.sh — python3 as a memory-hungry app under cella: 2 GiB mapped, touched and
# unmapped three times over, malloc'd buffers freed and reused, a buffer grown by appends; as natively.
# shellcheck source=tests/apps/lib.sh
. "$REPO/tests/apps/lib.sh"
app_instance

# Page faults are slow on virtualised hosts (~20 µs each), so the 2 GiB rounds touch one page in
# sixteen (32768 faults a round): the mappings are all there, and the touched pages are spread
# across every one of them.
compare "python3 maps, touches and unmaps 2 GiB three times" -- /usr/bin/python3 -c '
import mmap
MIB = 1 << 20
for r in range(3):
    maps = []
    for i in range(8):
        m = mmap.mmap(-1, 256 * MIB, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        mark = (r * 8 + i) % 251 + 1
        m[::65536] = bytes([mark]) * (len(m) // 65536)
        maps.append((m, mark))
    good = all(m[::65536].count(k) == len(m) // 65536 and m[4096] == 0 for m, k in maps)
    print("round", r, sum(len(m) for m, _ in maps) // MIB, "MiB mapped", "ok" if good else "BAD")
    for m, _ in maps:
        m.close()
print("done")'

# bytearray goes through pymalloc/glibc malloc: the first round is mmap'd chunks, and once they
# are freed glibc raises its mmap threshold, so later rounds come from the brk heap (grown, trimmed).
compare "python3 allocates, fills and frees 8 x 16 MiB three times" -- /usr/bin/python3 -c '
MIB = 1 << 20
for r in range(3):
    bufs = [bytearray(16 * MIB) for i in range(8)]
    for i, b in enumerate(bufs):
        b[::4096] = bytes([r * 8 + i + 1]) * (len(b) // 4096)
    good = all(b[::4096].count(r * 8 + i + 1) == len(b) // 4096 and b[1] == 0 for i, b in enumerate(bufs))
    print("round", r, sum(map(len, bufs)) // MIB, "MiB", "ok" if good else "BAD")
    del bufs'

# Appending grows the buffer through realloc; glibc moves big chunks with mremap(MREMAP_MAYMOVE).
compare "python3 grows a buffer to 128 MiB by appends and shrinks it" -- /usr/bin/python3 -c '
import hashlib
b = bytearray()
chunk = bytes(range(256)) * 4096
while len(b) < 128 << 20:
    b += chunk
print(len(b) >> 20, "MiB", hashlib.sha256(b[::4093]).hexdigest())
del b[1 << 20:]
print(len(b) >> 20, "MiB after shrinking", b[-1], b[12345])'
app_finish
