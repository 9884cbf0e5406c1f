#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""End-to-end test of scripts/sweep.py and scripts/plot.py on a tiny grid.

    scripts/test_sweep.py --binary build/bin/mtp-datacenter [--workdir DIR]
    scripts/test_sweep.py --unit

--unit runs only the unit checks of the statistics (no simulation):
  * scripts/slowdown_stats.py's 95% Student t interval against values
    computed by hand, its t table at and between tabled degrees of freedom,
    and aggregate() (means over seeds, samples, empty buckets, mismatched
    bucket sizes);
  * sweep.py's --seeds parsing (a count or a list).
They run before the simulations in the full test too.

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
     tabs, NA columns, a header) and draws it as an overlay;
  5. results-ci.csv has, per bucket, the mean over the two seeds of the p99
     and its 95% interval (Student t with one degree of freedom), and
     plot.py's table prints them as "mean ± half-width";
  6. per-workload arguments reach only their workload's points;
  7. a protocol "mtp-phost" runs mtp-datacenter --protocol=mtp --stack=phost
     and its results are labelled mtp-phost.
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
import slowdown_stats  # noqa: E402
import sweep  # noqa: E402

FAILURES = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        FAILURES.append(what)
    return cond


def close(a, b, tol=1e-4):
    return a is not None and b is not None and abs(a - b) <= tol


def unit_checks():
    """The statistics against numbers computed by hand."""
    ci = slowdown_stats.mean_ci95
    # [1, 2, 3]: mean 2, s = 1, t(0.975, 2) = 4.3027: 4.3027 / sqrt(3) = 2.48417.
    m, h = ci([1.0, 2.0, 3.0])
    check(m == 2.0 and close(h, 2.48417), f"CI of 1,2,3 is 2 +- 2.48417: {m} +- {h}")
    # [2, 4]: mean 3, s = sqrt(2), n = 2: 12.7062 * sqrt(2) / sqrt(2) = 12.7062.
    m, h = ci([4.0, 2.0])
    check(m == 3.0 and close(h, 12.7062), f"CI of 2,4 is 3 +- 12.7062: {m} +- {h}")
    # [3.1, 2.9, 3.0, 3.4]: mean 3.1, s^2 = (0 + .04 + .01 + .09) / 3 = 0.046667,
    # s = 0.216025, t(0.975, 3) = 3.1824: 3.1824 * 0.216025 / 2 = 0.343739.
    m, h = ci([3.1, 2.9, 3.0, 3.4])
    check(close(m, 3.1) and close(h, 0.343739), f"CI of 3.1,2.9,3.0,3.4: {m} +- {h}")
    m, h = ci([5.0])
    check(m == 5.0 and h is None, f"one seed: a mean and no interval: {m}, {h}")
    m, h = ci([1.5] * 4)
    check(m == 1.5 and h == 0.0, f"equal values: a zero-width interval: {h}")
    # 35 values (df 34, between 30 and 40): the df-30 quantile 2.0423; values
    # 0..34: mean 17, s^2 = 35 * 36 / 12 = 105, so 2.0423 * sqrt(105 / 35) = 3.53737.
    m, h = ci([float(i) for i in range(35)])
    check(m == 17.0 and close(h, 3.53737), f"df 34 uses t(30) = 2.0423: {h}")
    check(slowdown_stats.t95(1) == 12.7062 and slowdown_stats.t95(200) == 1.96 and
          slowdown_stats.t95(120) == 1.9799 and slowdown_stats.t95(59) == 2.0211,
          "t table: tabled, beyond 120, between 40 and 60")
    for bad in ([], None):
        try:
            ci(bad) if bad is not None else slowdown_stats.t95(0)
            check(False, f"{bad!r}: refused")
        except ValueError:
            check(True, f"{'no values' if bad is not None else 'df 0'}: ValueError")

    # aggregate(): two seeds, one of them without a message in bucket 1.
    row = lambda seed, b, lo, hi, n, p99: {
        "workload": "w1", "load": "0.8", "protocol": "mtp", "seed": seed, "bucket": b,
        "size_low": lo, "size_high": hi, "count": n, "p99": p99, "median": p99 / 2,
        "mean": p99 / 3}
    agg = slowdown_stats.aggregate([row("1", 0, 0, 8, 100, 2.0), row("2", 0, 0, 8, 50, 4.0),
                                    row("1", 1, 9, 20, 0, 0.0), row("2", 1, 9, 20, 7, 6.0)])
    check(len(agg) == 2, f"aggregate: one row per bucket: {agg}")
    if len(agg) == 2:
        a, b = agg
        check(a["bucket"] == 0 and a["seeds"] == 2 and a["samples"] == 150 and
              a["p99"] == 3.0 and close(a["p99_ci95"], 12.7062) and a["median"] == 1.5 and
              close(a["median_ci95"], 6.3531), f"aggregate bucket 0: {a}")
        check(b["seeds"] == 1 and b["samples"] == 7 and b["p99"] == 6.0 and
              b["p99_ci95"] is None, f"aggregate: an empty seed is no value: {b}")
    try:
        slowdown_stats.aggregate([row("1", 0, 0, 8, 1, 2.0), row("2", 0, 0, 9, 1, 2.0)])
        check(False, "buckets with other sizes in another seed are refused")
    except ValueError:
        check(True, "buckets with other sizes in another seed are refused")

    # --seeds: a count or a list.
    check(sweep.parse_seeds("1") == ["1"] and sweep.parse_seeds("3") == ["1", "2", "3"],
          "--seeds N is seeds 1..N")
    check(sweep.parse_seeds("3,7") == ["3", "7"] and sweep.parse_seeds("5,") == ["5"],
          "--seeds with a comma lists the seeds")
    for bad in ("0", "x", "", "2,2", "1,-3"):
        try:
            sweep.parse_seeds(bad)
            check(False, f"--seeds {bad!r} refused")
        except ValueError:
            check(True, f"--seeds {bad!r} refused")


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
    ap.add_argument("--binary", help="the mtp-datacenter program")
    ap.add_argument("--workdir", help="scratch directory (default: a temporary one)")
    ap.add_argument("--unit", action="store_true", help="only the statistics' unit checks")
    args = ap.parse_args()
    unit_checks()
    if args.unit:
        return report()
    if not args.binary:
        ap.error("--binary is needed (or --unit)")
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

    # 6. results-ci.csv: the mean over the two seeds and its 95% interval.
    with open(os.path.join(out, "results.csv")) as f:
        per_seed = [r for r in csv.DictReader(f) if r["workload"] == "w1"]
    with open(os.path.join(out, "results-ci.csv")) as f:
        cis = [r for r in csv.DictReader(f) if r["workload"] == "w1"]
    check(len(cis) == len({r["bucket"] for r in per_seed if int(r["count"]) > 0}) > 0,
          f"results-ci.csv has a row per w1 bucket: {len(cis)}")
    for c in cis:
        vals = [float(r["p99"]) for r in per_seed
                if r["bucket"] == c["bucket"] and int(r["count"]) > 0]
        n = sum(int(r["count"]) for r in per_seed if r["bucket"] == c["bucket"])
        # Two seeds: the half-width is t(0.975, 1) * |a - b| / 2.
        want = 12.7062 * abs(vals[0] - vals[1]) / 2 if len(vals) == 2 else None
        check(int(c["seeds"]) == len(vals) and int(c["samples"]) == n and
              close(float(c["p99"]), sum(vals) / len(vals), 1e-3) and
              (close(float(c["p99_ci95"]), want, 1e-3 * max(1, want)) if want is not None
               else c["p99_ci95"] == ""),
              f"results-ci.csv bucket {c['bucket']}: {c} from {vals}")
        row = [l for l in text.splitlines()
               if l.startswith(f"{c['size_low']}-{c['size_high']} ")]
        if want is not None:
            cell = f"{sum(vals) / len(vals):.2f} ± {want:.2f}"
            check(len(row) == 1 and cell in row[0], f"table prints {cell}: {row}")

    # 7. "mtp-STACK" runs MTP with that transport stack, under its own label.
    out7 = os.path.join(work, "sweep7")
    cmd = [sys.executable, os.path.join(HERE, "sweep.py"), "--binary", binary, "--out", out7,
           "--workloads", "w1", "--loads", "0.5", "--protocols", "mtp-phost", "--seeds", "1",
           "--args", "--racks=2 --hostsPerRack=2 --spines=1 --simTime=0.3ms --warmup=0.05ms "
           "--drain=0.5ms"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    print(p.stdout + p.stderr)
    pdir7 = os.path.join(out7, "points", sweep.point_name("w1", "0.5", "mtp-phost", "1"))
    cmd7 = json.load(open(os.path.join(pdir7, "done.json")))["command"] \
        if os.path.exists(os.path.join(pdir7, "done.json")) else ""
    check(p.returncode == 0 and " --protocol=mtp --stack=phost " in cmd7,
          f"mtp-phost runs --protocol=mtp --stack=phost: {cmd7}")
    with open(os.path.join(out7, "results.csv")) if p.returncode == 0 else open(os.devnull) as f:
        protos = {r["protocol"] for r in csv.DictReader(f)}
    check(protos == {"mtp-phost"} and
          os.path.exists(os.path.join(pdir7, "mtp-phost-messages.csv")),
          f"its rows and messages are labelled mtp-phost: {protos}")
    p = subprocess.run(cmd[:-2] + ["--protocols", "mtp-"], capture_output=True, text=True)
    check(p.returncode != 0 and "mtp-STACK" in p.stderr, "protocol 'mtp-' is refused")

    code = report()
    if code == 0 and not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return code


def report():
    if FAILURES:
        print(f"\n{len(FAILURES)} check(s) failed:\n  " + "\n  ".join(FAILURES))
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
