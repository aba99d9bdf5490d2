#!/usr/bin/env python3
"""bench/run.py — runs every benchmark natively and under cella in the same run, interleaved,
several repetitions, and reports the median of each side and their ratio: a table on stdout,
results.json and ratios.svg in --out. Micro-benchmarks print ns/op themselves; start-up
benchmarks are timed here as whole commands. Application benchmarks join through add_command()."""
import argparse, json, os, shutil, statistics, subprocess, sys, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


class Bench:
    def __init__(self, out, reps):
        self.out, self.reps = out, reps
        self.cella = os.path.join(REPO, "out", "bin", "cella")
        self.inst = os.path.join(out, "instance")
        self.rows = []

    def make_instance(self):
        shutil.rmtree(self.inst, ignore_errors=True)
        sh(self.cella, "init", self.inst)
        img = os.path.join(self.inst, "image")
        os.makedirs(os.path.join(img, "bench"), exist_ok=True)
        for name in sorted(os.listdir(self.out)):
            p = os.path.join(self.out, name)
            if os.path.isfile(p) and os.access(p, os.X_OK):
                shutil.copy2(p, os.path.join(img, "bench", name))
        sh(self.cella, "-C", self.inst, "add", "/usr/bin/python3", "/lib/x86_64-linux-gnu/libc.so.6")
        sh(self.cella, "-C", self.inst, "add", "--dir", "/usr/lib/python3.11")
        cfg_path = os.path.join(self.inst, "cella.json")
        cfg = json.load(open(cfg_path))
        cfg["entry_points"].append("/bench")
        json.dump(cfg, open(cfg_path, "w"), indent=2)
        sh(self.cella, "-C", self.inst, "build")

    def native_cmd(self, prog, args):
        # Paths inside the image exist natively too for /etc/passwd and /dev/null; the bench
        # binaries themselves run from out/bench.
        if prog.startswith("/bench/"):
            prog = os.path.join(self.out, prog[len("/bench/"):])
        return [prog] + args

    def cella_cmd(self, prog, args):
        return [self.cella, "-C", self.inst, "run", prog] + args

    def micro(self, label, prog, args=(), native=True):
        """A program that prints ns/op. native=False: only the cella side exists (and the
        'native' column is filled by another row's program, see limit())."""
        args = list(args)
        n, c = [], []
        for _ in range(self.reps):
            if native:
                n.append(float(sh(*self.native_cmd(prog, args)).stdout))
            c.append(float(sh(*self.cella_cmd(prog, args)).stdout))
        self.add(label, "ns/op", n, c)

    def limit(self, label, native_prog, cella_prog, args=()):
        """cella running cella_prog against a native program that models the floor."""
        n, c = [], []
        for _ in range(self.reps):
            n.append(float(sh(*self.native_cmd(native_prog, list(args))).stdout))
            c.append(float(sh(*self.cella_cmd(cella_prog, list(args))).stdout))
        self.add(label, "ns/op", n, c)

    def startup(self, label, prog, args=()):
        args = list(args)
        n, c = [], []
        for _ in range(self.reps):
            for side, cmd in (("n", self.native_cmd(prog, args)), ("c", self.cella_cmd(prog, args))):
                t0 = time.perf_counter()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
                dt = (time.perf_counter() - t0) * 1e3
                (n if side == "n" else c).append(dt)
        self.add(label, "ms", n, c)

    def add_command(self, label, native_argv, cella_argv):
        """Application benchmarks: any command, timed whole on both sides."""
        n, c = [], []
        for _ in range(self.reps):
            for lst, cmd in ((n, native_argv), (c, cella_argv)):
                t0 = time.perf_counter()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
                lst.append((time.perf_counter() - t0) * 1e3)
        self.add(label, "ms", n, c)

    def add(self, label, unit, n, c):
        mn, mc = statistics.median(n) if n else None, statistics.median(c)
        row = {"operation": label, "unit": unit, "native": mn, "cella": mc,
               "ratio": (mc / mn) if mn else None, "native_samples": n, "cella_samples": c}
        self.rows.append(row)
        ratio = f"{row['ratio']:.2f}x" if row["ratio"] else "-"
        print(f"{label:<44} {mn if mn is not None else float('nan'):>10.1f} {mc:>10.1f} {unit:<6} {ratio:>8}",
              flush=True)

    def write(self):
        with open(os.path.join(self.out, "results.json"), "w") as f:
            json.dump({"reps": self.reps, "results": self.rows}, f, indent=2)
        with open(os.path.join(self.out, "ratios.svg"), "w") as f:
            f.write(svg(self.rows))


def svg(rows):
    """A horizontal bar per operation: cella time / native time, with a line at 1x."""
    rows = [r for r in rows if r["ratio"]]
    w, bar_h, left, top = 760, 22, 330, 30
    maxr = max([r["ratio"] for r in rows] + [2.0])
    scale = (w - left - 60) / maxr
    h = top + bar_h * len(rows) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<text x="10" y="18" font-size="14">cella / native (lower is better)</text>']
    for i, r in enumerate(rows):
        y = top + i * bar_h
        bw = r["ratio"] * scale
        color = "#3a7" if r["ratio"] <= 1 else "#c84"
        out.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{r["operation"]}</text>')
        out.append(f'<rect x="{left}" y="{y + 3}" width="{bw:.1f}" height="{bar_h - 6}" fill="{color}"/>')
        out.append(f'<text x="{left + bw + 4:.1f}" y="{y + 15}">{r["ratio"]:.2f}x</text>')
    x1 = left + scale
    out.append(f'<line x1="{x1:.1f}" y1="{top}" x2="{x1:.1f}" y2="{h - 20}" stroke="#000" stroke-dasharray="4 3"/>')
    out.append(f'<text x="{x1:.1f}" y="{h - 6}" text-anchor="middle">1x</text></svg>')
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(REPO, "out", "bench"))
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    b = Bench(os.path.abspath(a.out), a.reps)
    b.make_instance()
    print(f"{'operation':<44} {'native':>10} {'cella':>10} {'unit':<6} {'ratio':>8}")
    b.micro("getppid (libc wrapper site)", "/bench/getppid")
    b.micro("getppid (trap path)", "/bench/getppid_trap")
    b.limit("getppid: trap path vs bare SUD+SIGSYS floor", "/bench/sud_limit", "/bench/getppid_trap")
    b.micro("read 1 B /dev/null", "/bench/devnull", ["200000", "read"])
    b.micro("write 1 B /dev/null", "/bench/devnull", ["200000", "write"])
    b.micro("write+read 1 B through a pipe", "/bench/pipe1")
    b.micro("open+close /etc/passwd", "/bench/openclose")
    b.micro("stat /etc/passwd", "/bench/stat")
    b.micro("access /etc/passwd", "/bench/access")
    b.micro("chown of a /tmp file", "/bench/chown")
    b.micro("mmap+munmap 4 KiB", "/bench/mmap")
    b.micro("mmap+touch+munmap 4 KiB", "/bench/mmap_touch", ["20000", "4096"])
    b.micro("mmap+touch+munmap 1 MiB", "/bench/mmap_touch", ["100", "1048576"])
    b.micro("mprotect one page RW<->R", "/bench/mprotect")
    b.micro("sbrk +64 KiB, touch, sbrk -64 KiB", "/bench/brk")
    b.micro("page fault (first write, fresh anon page)", "/bench/pagefault", ["16384"])
    b.micro("fork + _exit + waitpid", "/bench/fork")
    b.micro("posix_spawn (vfork+exec) + waitpid", "/bench/spawn")
    b.startup("start-up: static hello", "/bench/hello")
    b.startup("start-up: dynamic hello", "/bench/hello-dynamic")
    b.startup("start-up: python3 -c pass", "/usr/bin/python3", ["-c", "pass"])
    b.write()
    print(f"wrote {os.path.join(a.out, 'results.json')} and ratios.svg")


if __name__ == "__main__":
    sys.exit(main())
