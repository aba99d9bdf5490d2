#!/usr/bin/env python3
# tests/fuzz/compare.py — runs the syscall fuzzer with the same seeds natively (unprivileged, pid 1 of a
# fresh pid namespace, in a fresh tmpfs scratch directory) and under cella (uid 65534, a fresh /tmp
# directory of the same path length), and prints the mismatches grouped by (call, native, cella)
# with one example each. Exit 1 on a mismatch in neither intended.txt nor known.txt, on a cella
# crash or hang not listed in known.txt, on a LibOS panic, or if the cella run did not finish.
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
NOBODY = 65534


def native_cmd(binary, args):
    # Always this way: never as root, never outside a fresh pid namespace.
    return ["unshare", "--pid", "--fork", "--mount-proc", "--mount", "setpriv", f"--reuid={NOBODY}",
            f"--regid={NOBODY}", "--clear-groups", binary] + args


def build_instance(cella, inst, fuzz_bin):
    shutil.rmtree(inst, ignore_errors=True)
    log = []

    def run(cmd):
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        log.append(p.stdout)
        if p.returncode:
            sys.exit(f"fuzz: {' '.join(cmd)} failed:\n{''.join(log)}")

    run([cella, "init", inst])
    os.makedirs(f"{inst}/image/fuzz", exist_ok=True)
    os.makedirs(f"{inst}/image/etc", exist_ok=True)
    shutil.copy(fuzz_bin, f"{inst}/image/fuzz/fuzz")
    shutil.copy("/etc/passwd", f"{inst}/image/etc/passwd")	# the same absolute path on both sides
    import json
    cfg_path = f"{inst}/cella.json"
    with open(cfg_path) as f:
        cfg = json.load(f)
    cfg["entry_points"] = ["/fuzz"]
    cfg.setdefault("metadata", {}).update({"uid": NOBODY, "gid": NOBODY})
    cfg.setdefault("resource_limits", {})["max_num_of_threads"] = 4096	# fuzz sets RLIMIT_NPROC to it
    with open(cfg_path, "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    run([cella, "-C", inst, "build"])


def parse(out):
    res = {}
    for line in out.splitlines():
        m = re.match(r"^(\d+) (\S+): ?(.*)$", line)
        if m:
            res[int(m.group(1))] = (m.group(2), m.group(3).split())
    return res


def load_list(path):
    """Lines "CALL NATIVE CELLA [when=argN=VALUE ...]  # reason": the call's argument N must be the
    value named VALUE (as the fuzzer's -A prints it, e.g. path:/etc/passwd)."""
    entries = []
    if not os.path.exists(path):
        return entries
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) < 3 or any(not p.startswith("when=") for p in parts[3:]):
                sys.exit(f"fuzz: {path}: bad line: {line}")
            entries.append((parts[0], parts[1], parts[2], [p[5:] for p in parts[3:]]))
    return entries


def when_holds(w, args):
    """"argN=NAME": argument N (from 0) is the value NAME; anything else: a substring of the call."""
    m = re.match(r"^arg(\d)=(.*)$", w)
    if not m:
        return w in args
    inner = args[args.find("(") + 1:args.rfind(")")].split(", ")
    k = int(m.group(1))
    return k < len(inner) and inner[k].partition("=")[2] == m.group(2)


def crashy(r):
    return r == "hang" or r.startswith("sig")


def matches(entries, name, nat, cel, args, allow_crash):
    for en, ena, ece, when in entries:
        if en != name and en != "*":
            continue
        if ena != "*" and ena != nat:
            continue
        if ece == "*" and crashy(cel):
            continue	# a cella crash or hang must be listed by name, never by wildcard
        if ece != "*" and ece != cel:
            continue
        if crashy(cel) and not allow_crash:
            continue
        if not all(when_holds(w, args) for w in when):
            continue
        return True
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-s", "--seed", action="append", type=int, help="a seed (repeatable; default 1)")
    ap.add_argument("-N", "--iters", type=int, default=20, help="calls per number")
    ap.add_argument("-n", "--numbers", default="0-460", help="call numbers, e.g. 0-460 or 2,72-80")
    ap.add_argument("-t", "--limit-ms", type=int, default=10000,
                    help="per-call time limit (generous: no call is expected to block, and a loaded machine must not look like a hang)")
    ap.add_argument("--out", default=os.environ.get("OUT", "out"))
    ap.add_argument("--cella", default=None)
    ap.add_argument("--keep", default=None, help="save each side's raw output in this directory")
    ap.add_argument("--brief", action="store_true", help="only the unlisted mismatches and the summary")
    a = ap.parse_args()
    os.chdir(REPO)
    seeds = a.seed or [1]
    out = os.path.abspath(a.out)
    cella = a.cella or os.environ.get("CELLA_TEST_BIN") or f"{out}/bin/cella"
    fuzz_bin = f"{out}/tests/fuzz/fuzz"
    if os.geteuid() != 0:
        sys.exit("fuzz: compare.py needs root for the native side's unshare/setpriv")
    inst = f"{out}/fuzz-instance"
    t0 = time.time()
    build_instance(cella, inst, fuzz_bin)
    bindir = tempfile.mkdtemp(prefix="cella-fuzz-bin.")
    os.chmod(bindir, 0o755)
    nbin = f"{bindir}/fuzz"
    shutil.copy(fuzz_bin, nbin)
    os.chmod(nbin, 0o755)
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None	# tmpfs, like cella's /tmp
    intended = load_list(f"{HERE}/intended.txt")
    known = load_list(f"{HERE}/known.txt")
    diffs = []	# (seed, nr, i, name, native, cella)
    hard = []	# failures no list can excuse
    compared = 0
    times = {"native": 0.0, "cella": 0.0}
    limit = max(120, a.iters * 3)
    # the VM manager checks its invariants (and the host's mappings) after every memory operation
    # and panics on the first broken one, as for the test programs
    cella_env = dict(os.environ, CELLA_VM_CHECK="1")
    for seed in seeds:
        args = ["-s", str(seed), "-N", str(a.iters), "-n", a.numbers, "-t", str(a.limit_ms)]
        scratch = tempfile.mkdtemp(prefix="cella-fuzz.", dir=shm)
        try:
            os.chown(scratch, NOBODY, NOBODY)
            t = time.time()
            n = subprocess.run(["timeout", "-k", "5", str(limit)] + native_cmd(nbin, args), cwd=scratch,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
            times["native"] += time.time() - t
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        if n.returncode:
            sys.exit(f"fuzz: the native run (seed {seed}) failed, exit {n.returncode}:\n{n.stderr[-2000:]}")
        # the same path length as the native scratch directory (getcwd with a small size)
        cdir = "/tmp/cella-fuzz." + "x" * max(1, len(scratch) - len("/tmp/cella-fuzz."))
        t = time.time()
        c = subprocess.run(["timeout", "-k", "5", str(limit), cella, "-C", inst, "run", "/fuzz/fuzz"] + args +
                           ["-C", cdir], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=cella_env,
                           stderr=subprocess.PIPE, text=True, errors="replace")
        times["cella"] += time.time() - t
        if "panic" in c.stderr:
            hard.append(f"seed {seed}: LibOS panic: " +
                        "; ".join(l for l in c.stderr.splitlines() if "panic" in l)[:2000])
        if c.returncode:
            hard.append(f"seed {seed}: cella run exit {c.returncode}: {c.stderr[-1500:].strip()}")
        if a.keep:
            os.makedirs(a.keep, exist_ok=True)
            for side, text in (("native", n.stdout), ("cella", c.stdout), ("cella.err", c.stderr)):
                with open(f"{a.keep}/seed{seed}.{side}", "w") as f:
                    f.write(text)
        nat, cel = parse(n.stdout), parse(c.stdout)
        for nr in sorted(nat):
            name, nres = nat[nr]
            if nr not in cel:
                hard.append(f"seed {seed}: no cella result for {nr} {name} (the run stopped there)")
                break
            cres = cel[nr][1]
            for i, (x, y) in enumerate(zip(nres, cres)):
                compared += 1
                if x != y:
                    diffs.append((seed, nr, i, name, x, y))
    # every mismatching call's arguments, computed by the fuzzer itself (it makes no call in -A mode)
    args = {}
    if diffs:
        p = subprocess.run(native_cmd(nbin, ["-A", "-"]), input="".join(f"{d[0]}:{d[1]}:{d[2]}\n" for d in diffs),
                           stdout=subprocess.PIPE, text=True, cwd="/")
        for line in p.stdout.splitlines():
            k, _, rest = line.partition(" ")
            args[k] = rest
    shutil.rmtree(bindir, ignore_errors=True)
    cats = {"unlisted": {}, "known": {}, "intended": {}}	# (nr, name, native, cella) -> [count, example]
    for seed, nr, i, name, x, y in diffs:
        arg = args.get(f"{seed}:{nr}:{i}", "?")
        if matches(intended, name, x, y, arg, allow_crash=False):
            cat = "intended"
        elif matches(known, name, x, y, arg, allow_crash=True):
            cat = "known"
        else:
            cat = "unlisted"
        g = cats[cat].setdefault((nr, name, x, y), [0, f"seed {seed} call {i}: {arg}"])
        g[0] += 1
    for cat, title in (("unlisted", "NOT LISTED (fix cella, or list in known.txt/intended.txt)"),
                       ("known", "known bugs (known.txt)"), ("intended", "intended (intended.txt)")):
        if not cats[cat] or (a.brief and cat != "unlisted"):
            continue
        print(f"== {title}: {len(cats[cat])} groups")
        for key in sorted(cats[cat]):
            nr, name, x, y = key
            count, example = cats[cat][key]
            crash = "  CELLA CRASH/HANG" if crashy(y) else ""
            print(f"  {nr} {name}: native {x}, cella {y} ({count}x){crash}")
            print(f"      e.g. {example}")
    for h in hard:
        print(f"FAIL {h}")
    crashes = [k for k in cats["unlisted"] if crashy(k[3])]
    print(f"fuzz: seeds {','.join(map(str, seeds))}, {a.iters} calls per number, {compared} calls compared; "
          f"{len(cats['unlisted'])} unlisted ({len(crashes)} cella crash/hang), {len(cats['known'])} known, "
          f"{len(cats['intended'])} intended mismatch groups; native {times['native']:.1f}s, "
          f"cella {times['cella']:.1f}s, total {time.time() - t0:.1f}s")
    return 1 if cats["unlisted"] or hard else 0


if __name__ == "__main__":
    sys.exit(main())
