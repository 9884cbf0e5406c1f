#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""End-to-end test of scripts/sweep.py and scripts/plot.py on a tiny grid.

    scripts/test_sweep.py --binary build/bin/mtp-datacenter [--workdir DIR]

Runs the real mtp-datacenter program (passed by CTest) on a 2-point grid
(W1, two seeds, a 2x2-host leaf-spine, 0.3 ms of simulated time) and checks:
  1. the sweep finishes, writes done.json, results.csv/json and a PNG plot;
  2. a second run resumes: it skips both points and does not rerun them
     (their files keep their modification times and contents);
  3. a point that fails (a workload file that does not exist yet) is
     recorded in failed.json with its exit code, makes the sweep exit 1 and
     is left out of the results; once the file exists, the next run reruns
     exactly the failed points and removes failed.json;
  4. plot.py reads a reference table in the Homa results format (spaces and
     tabs, NA columns, a header) and draws it as an overlay.
Exit status 0 when every check passes; each failed check is printed.
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import matplotlib  # noqa: F401  (plot.py needs it; it is imported below)
except ImportError:
    # Debian's python3-matplotlib lives in the system interpreter.
    if os.path.exists("/usr/bin/python3") and not os.environ.get("MTP_PLOT_REEXEC"):
        os.environ["MTP_PLOT_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("test_sweep.py needs Matplotlib (Debian: python3-matplotlib)")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import plot  # noqa: E402
import sweep  # noqa: E402

FAILURES = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        FAILURES.append(what)
    return cond


def run_sweep(binary, out, workloads, extra=()):
    cmd = [sys.executable, os.path.join(HERE, "sweep.py"), "--binary", binary, "--out", out,
           "--workloads", workloads, "--loads", "0.5", "--protocols", "mtp", "--seeds", "1,2",
           "-j", "2", "--timeout", "300", "--progress", "1", "--plot",
           "--args", "--topology=leafspine --racks=2 --hostsPerRack=2 --spines=1 "
                     "--simTime=0.3ms --warmup=0.05ms --drain=0.5ms"] + list(extra)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    print(f"$ {' '.join(cmd)}\n{proc.stdout}{proc.stderr}", flush=True)
    return proc


def snapshot(pdir):
    """Modification times and contents of a point's files."""
    snap = {}
    for name in sorted(os.listdir(pdir)):
        path = os.path.join(pdir, name)
        with open(path, "rb") as f:
            snap[name] = (os.stat(path).st_mtime_ns, f.read())
    return snap


def points_in_results(out):
    with open(os.path.join(out, "results.csv")) as f:
        return sorted({(r["workload"], r["seed"]) for r in csv.DictReader(f)})


def is_png(path):
    if not os.path.exists(path) or os.path.getsize(path) < 1000:
        return False
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", required=True, help="the mtp-datacenter program")
    ap.add_argument("--workdir", help="scratch directory (default: a temporary one)")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    if args.workdir:
        shutil.rmtree(args.workdir, ignore_errors=True)
        os.makedirs(args.workdir)
        work = args.workdir
    else:
        work = tempfile.mkdtemp(prefix="mtp-test-sweep-")
    out = os.path.join(work, "sweep")
    names = [sweep.point_name("w1", "0.5", "mtp", s) for s in ("1", "2")]
    pdirs = [os.path.join(out, "points", n) for n in names]

    # 1. A fresh sweep finishes.
    p = run_sweep(binary, out, "w1")
    check(p.returncode == 0, "first sweep exits 0")
    check("2 points, 0 already done, 2 to run" in p.stdout, "first sweep runs both points")
    check("[2/2] done" in p.stdout, "first sweep reports progress per point")
    for d in pdirs:
        check(os.path.exists(os.path.join(d, "done.json")), f"{d}: done.json")
        check(not os.path.exists(os.path.join(d, "failed.json")), f"{d}: no failed.json")
        check(not os.path.exists(os.path.join(d, "running")), f"{d}: no running marker")
        with open(os.path.join(d, "done.json")) as f:
            info = json.load(f)
        check(info["returncode"] == 0 and "--simTime=0.3ms" in info["command"],
              f"{d}: done.json has the command and exit code")
        with open(os.path.join(d, "stdout.txt")) as f:
            text = f.read()
        check("=== protocol mtp" in text and "measured messages" in text,
              f"{d}: the program's table is in stdout.txt")
    check(points_in_results(out) == [("w1", "1"), ("w1", "2")], "results.csv has both points")
    with open(os.path.join(out, "results.json")) as f:
        check(len(json.load(f)) == 2, "results.json has both points")
    png = os.path.join(out, "p99.png")
    check(is_png(png), "the plot is a non-empty PNG")
    before = [snapshot(d) for d in pdirs]

    # 2. A second run resumes: nothing is rerun.
    os.remove(png)
    p = run_sweep(binary, out, "w1")
    check(p.returncode == 0, "second sweep exits 0")
    check("2 points, 2 already done, 0 to run" in p.stdout, "second sweep skips both points")
    check([snapshot(d) for d in pdirs] == before, "finished points are not touched")
    check(points_in_results(out) == [("w1", "1"), ("w1", "2")], "results.csv still complete")
    check(is_png(png), "the plot is drawn again")

    # 3. Failed points are recorded, and rerun once they can succeed.
    late = os.path.join(work, "late.cdf")
    late_names = [sweep.point_name(late, "0.5", "mtp", s) for s in ("1", "2")]
    late_dirs = [os.path.join(out, "points", n) for n in late_names]
    check(all("/" not in n for n in late_names), "a workload path gives a flat point name")
    p = run_sweep(binary, out, f"w1,{late}")
    check(p.returncode == 1, "a sweep with failed points exits 1")
    check("4 points, 2 already done, 2 to run" in p.stdout, "only the new points run")
    check(p.stdout.count("FAILED") == 2, "both new points are reported as failed")
    for d in late_dirs:
        failed = os.path.join(d, "failed.json")
        if check(os.path.exists(failed), f"{d}: failed.json"):
            with open(failed) as f:
                info = json.load(f)
            check(info["returncode"] != 0, f"{d}: failed.json has the exit code")
            check("cannot open" in info.get("stderr_tail", "") or
                  "cannot open" in open(os.path.join(d, "stderr.txt")).read(),
                  f"{d}: the program's error is kept")
        check(not os.path.exists(os.path.join(d, "done.json")), f"{d}: no done.json")
    check([snapshot(d) for d in pdirs] == before, "finished points are still not touched")
    check(points_in_results(out) == [("w1", "1"), ("w1", "2")], "failed points are not results")

    with open(late, "w") as f:
        f.write("# a late workload\n100 0.5\n3000 0.9\n20000 1\n")
    p = run_sweep(binary, out, f"w1,{late}")
    check(p.returncode == 0, "the rerun exits 0")
    check("4 points, 2 already done, 2 to run" in p.stdout, "the rerun runs the failed points")
    for d in late_dirs:
        check(os.path.exists(os.path.join(d, "done.json")), f"{d}: done.json after the rerun")
        check(not os.path.exists(os.path.join(d, "failed.json")), f"{d}: failed.json removed")
    check([snapshot(d) for d in pdirs] == before, "the old points were not rerun")
    check(len(points_in_results(out)) == 4, "results.csv has all four points")

    # 4. The reference overlay, in the Homa results format.
    ref = os.path.join(work, "ref.txt")
    with open(ref, "w") as f:
        f.write("TransportType    LoadFactor   WorkLoad   MsgSizeRange  SizeCntPercent  "
                "BytesPercent   UnschedBytes   MeanStretch   MedianStretch 99PercentStretch\n"
                "    Homa   0.5   FACEBOOK_KEY_VALUE   8   1.0   0.1   9328   1.2   NA   NA\n"
                "    Homa   0.5   FACEBOOK_KEY_VALUE   8   1.0   0.1   9328   NA   1.1   NA\n"
                "    Homa   0.5   FACEBOOK_KEY_VALUE   8   1.0   0.1   9328   NA   NA   1.75\n"
                "    Homa\t\t0.5\t\tFACEBOOK_KEY_VALUE\t\t1000\t\t2.0\t\t0.2\t\t9328\t\tNA\t\tNA"
                "\t\t2.5\n"
                "    pFabric   0.5   FACEBOOK_KEY_VALUE   8   1.0   0.1   9328   NA   NA   1.6\n"
                "    Homa   0.5   FABRICATED_HEAVY_MIDDLE   8   1.0   0.1   9328   NA   NA   9\n"
                "    Homa   0.8   DCTCP   1442   1.0   0.1   9328   NA   NA   1.48\n")
    r = plot.read_reference(ref, {"Homa"})
    check(r == {("w1", "0.5"): {"Homa": [(8, 1.75), (1000, 2.5)]},
                ("w5", "0.8"): {"Homa": [(1442, 1.48)]}}, f"reference parsed: {r}")
    r = plot.read_reference(ref, None, "median")
    check(r == {("w1", "0.5"): {"Homa": [(8, 1.1)]}}, f"reference medians parsed: {r}")
    r = plot.read_reference(ref, None)
    check(r[("w1", "0.5")].get("pFabric") == [(8, 1.6)], "--ref-transports all")
    png2 = os.path.join(work, "overlay.png")
    p = subprocess.run([sys.executable, os.path.join(HERE, "plot.py"),
                        os.path.join(out, "results.csv"), "-o", png2, "--reference", ref],
                       capture_output=True, text=True, timeout=300)
    print(p.stdout + p.stderr)
    check(p.returncode == 0 and is_png(png2), "plot with a reference overlay")
    check("warning" not in p.stdout, "the reference matched the w1 panel")

    # The same numbers as RST tables: a row per bucket, the reference range.
    table = os.path.join(work, "table.rst")
    p = subprocess.run([sys.executable, os.path.join(HERE, "plot.py"),
                        os.path.join(out, "results.csv"), "-o", png2, "--reference", ref,
                        "--table", table], capture_output=True, text=True, timeout=300)
    check(p.returncode == 0 and os.path.exists(table), "plot --table writes the table")
    with open(os.path.join(out, "results.csv")) as f:
        w1rows = [r for r in csv.DictReader(f) if r["workload"] == "w1" and int(r["count"]) > 0]
    text = open(table).read() if os.path.exists(table) else ""
    check("w1, load 0.5" in text and "mtp p99" in text and "Homa (ref)" in text,
          "table titled by panel, with protocol and reference columns")
    for b in sorted({(int(r["size_low"]), int(r["size_high"])) for r in w1rows}):
        vals = [float(r["p99"]) for r in w1rows
                if (int(r["size_low"]), int(r["size_high"])) == b]
        want = f"{sum(vals) / len(vals):.2f}"
        row = [l for l in text.splitlines() if l.startswith(f"{b[0]}-{b[1]} ")]
        check(len(row) >= 1 and want in row[0].split(),
              f"table row {b[0]}-{b[1]} has the seed-averaged p99 {want}: {row}")
        ref_in = [v for (sz, v) in ((8, "1.75"), (1000, "2.50")) if b[0] <= sz <= b[1]]
        for v in ref_in:
            check(len(row) >= 1 and v in row[0], f"table row {b[0]}-{b[1]} has reference {v}")
    png3 = os.path.join(work, "summary.png")
    p = subprocess.run([sys.executable, os.path.join(HERE, "plot.py"),
                        os.path.join(pdirs[0], "summary.csv"), "-o", png3, "--workload", "w1",
                        "--load", "0.5", "--metric", "median"],
                       capture_output=True, text=True, timeout=300)
    print(p.stdout + p.stderr)
    check(p.returncode == 0 and is_png(png3), "plot of one run's summary.csv")

    # 5. Per-workload arguments reach only their workload's points, after --args.
    out5 = os.path.join(work, "sweep5")
    p = run_sweep(binary, out5, "w1,w2", ["--workload-args", "w2=--simTime=0.2ms --seed=7"])
    check(p.returncode == 0, "sweep with --workload-args exits 0")
    for w, wanted in (("w1", False), ("w2", True)):
        with open(os.path.join(out5, "points", sweep.point_name(w, "0.5", "mtp", "1"),
                               "done.json")) as f:
            cmd = json.load(f)["command"]
        has = cmd.endswith("--simTime=0.2ms --seed=7")
        check(has == wanted, f"{w}: per-workload arguments {'last' if wanted else 'absent'}: {cmd}")
    p = run_sweep(binary, out5, "w1", ["--workload-args", "w9=--simTime=1ms"])
    check(p.returncode != 0 and "w9" in p.stdout + p.stderr,
          "--workload-args naming a workload outside the grid is refused")

    if FAILURES:
        print(f"\n{len(FAILURES)} check(s) failed:\n  " + "\n  ".join(FAILURES))
        return 1
    print("\nall checks passed")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
