#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Run mtp-datacenter over a parameter grid, in parallel, resumably.

Grid: every combination of --workloads x --loads x --protocols x seeds
(comma-separated lists). --seeds N runs N seeds, 1..N (default 1); a
comma-separated list (--seeds 3,7, or --seeds 5, for seed 5 alone) runs
exactly those seeds. Each point runs

    <binary> --workload=W --load=L --protocol=P --seed=S --out=<out>/points/<name> \
             --progress=0 <--args ...>

in its own directory; a protocol mtp-STACK (mtp-phost, mtp-unsched) runs
--protocol=mtp --stack=STACK, MTP with that transport stack (<name> is
workload-protocol-loadL-seedS, with every
character other than letters, digits, '.', '_' and '-' of a workload given
as a path replaced by '_'). A point is finished when its directory holds
`done.json` (written only after the program exited 0 and wrote its
summary.csv); finished points are skipped, so an interrupted sweep resumes
where it stopped. A failed point keeps its stdout/stderr and exit code in
`failed.json` and is run again next time. The exit status is 1 if a point
failed (or the plot could not be drawn), else 0.

Per-workload arguments: --workload-args "w1=--simTime=0.3ms --warmup=0.1ms;w5=--simTime=10ms"
adds arguments to the points of one workload only (after --args, so they
win): workloads of small messages need far fewer simulated milliseconds for
the same number of packets.

Progress: each point's program writes its own progress report (ns-3's
ShowProgress, every --progress wall seconds) to its stderr.txt; every
--progress seconds the sweep prints how many points are finished and the
last progress line of each running point. --progress=0 turns both off.

Results: <out>/results.csv (one row per point and size bucket:
workload,load,protocol,seed,bucket,size_low,size_high,count,mean,median,p99,
unfinished,wall_s) and <out>/results.json (the same, grouped by point, with
the run's command line and wall time). <out>/results-ci.csv has one row per
workload, load, protocol and size bucket, over the seeds:
workload,load,protocol,bucket,size_low,size_high,seeds,samples, then p99,
median and mean, each the mean over seeds of that slowdown statistic, and
p99_ci95, median_ci95, mean_ci95, the half-width of its 95% confidence
interval (Student's t over the seeds' values, empty with one seed; see
scripts/slowdown_stats.py). seeds counts the seeds that completed a message
of the bucket, samples the bucket's messages over all seeds. With --plot,
scripts/plot.py draws <out>/p99.png from results.csv, with error bars where
a bucket has two or more seeds.

Example (tiny grid):
    scripts/sweep.py --binary build/bin/mtp-datacenter --out sweep1 \
        --workloads w3,w5 --loads 0.5,0.8 --protocols mtp,dctcp --seeds 1 -j 2 \
        --args "--racks=2 --hostsPerRack=4 --spines=2 --simTime=1ms --warmup=0.2ms" --plot
"""
import argparse
import concurrent.futures
import csv
import json
import os
import re
import shlex
import subprocess
import sys
import time

from slowdown_stats import STATS, aggregate


def point_name(w, load, proto, seed):
    """Directory name of a point; safe for workloads given as paths."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", w).strip("_") or "workload"
    return f"{safe}-{proto}-load{load}-seed{seed}"


def last_line(path):
    """The last non-empty line of a (progress) file, or ''."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 4096))
            lines = [l for l in f.read().decode(errors="replace").splitlines() if l.strip()]
    except OSError:
        return ""
    return lines[-1].strip() if lines else ""


def run_point(binary, outdir, w, load, proto, seed, extra, timeout, progress):
    name = point_name(w, load, proto, seed)
    pdir = os.path.join(outdir, "points", name)
    os.makedirs(pdir, exist_ok=True)
    # Messages still in flight at the end are data here (the slowdown tables
    # list them), not a failed point; failed messages still fail the point.
    # "mtp-NAME" is MTP with the transport stack NAME (mtp-datacenter
    # labels its files so).
    selects = ([f"--protocol={proto}"] if not proto.startswith("mtp-")
               else ["--protocol=mtp", f"--stack={proto[4:]}"])
    cmd = [binary, f"--workload={w}", f"--load={load}", *selects,
           f"--seed={seed}", f"--out={pdir}", f"--progress={progress:g}",
           "--allowUnfinished"] + extra
    running = os.path.join(pdir, "running")
    open(running, "w").close()
    t0 = time.time()
    # The program writes straight into the files, so its progress can be
    # followed while it runs (and nothing is lost if the sweep is killed).
    with open(os.path.join(pdir, "stdout.txt"), "w") as out, \
            open(os.path.join(pdir, "stderr.txt"), "w") as err:
        try:
            rc = subprocess.run(cmd, stdout=out, stderr=err, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            rc = -1
            err.write(f"\nsweep: timeout after {timeout} s\n")
        except OSError as e:
            rc = -1
            err.write(f"\nsweep: cannot run {binary}: {e}\n")
    wall = time.time() - t0
    os.remove(running)
    info = {"name": name, "workload": w, "load": load, "protocol": proto, "seed": seed,
            "command": " ".join(shlex.quote(c) for c in cmd), "returncode": rc, "wall_s": wall}
    if rc == 0 and os.path.exists(os.path.join(pdir, "summary.csv")):
        with open(os.path.join(pdir, "done.json"), "w") as f:
            json.dump(info, f, indent=1)
        if os.path.exists(os.path.join(pdir, "failed.json")):
            os.remove(os.path.join(pdir, "failed.json"))
    else:
        info["stderr_tail"] = last_line(os.path.join(pdir, "stderr.txt"))
        with open(os.path.join(pdir, "failed.json"), "w") as f:
            json.dump(info, f, indent=1)
    return info


def collect(outdir, points):
    rows = []
    grouped = []
    for (w, load, proto, seed) in points:
        pdir = os.path.join(outdir, "points", point_name(w, load, proto, seed))
        done = os.path.join(pdir, "done.json")
        if not os.path.exists(done):
            continue
        with open(done) as f:
            info = json.load(f)
        unfinished = 0
        m = None
        try:
            with open(os.path.join(pdir, "stdout.txt")) as f:
                m = re.search(r"(\d+) unfinished", f.read())
        except OSError:
            pass
        if m:
            unfinished = int(m.group(1))
        buckets = []
        with open(os.path.join(pdir, "summary.csv")) as f:
            for r in csv.DictReader(f):
                row = {"workload": w, "load": load, "protocol": r["protocol"], "seed": seed,
                       "bucket": int(r["bucket"]), "size_low": int(r["size_low"]),
                       "size_high": int(r["size_high"]), "count": int(r["count"]),
                       "mean": float(r["mean"]), "median": float(r["median"]),
                       "p99": float(r["p99"]), "unfinished": unfinished,
                       "wall_s": round(info["wall_s"], 3)}
                rows.append(row)
                buckets.append(row)
        grouped.append({**info, "unfinished": unfinished, "buckets": buckets})
    fields = ["workload", "load", "protocol", "seed", "bucket", "size_low", "size_high",
              "count", "mean", "median", "p99", "unfinished", "wall_s"]
    with open(os.path.join(outdir, "results.csv"), "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=fields)
        wr.writeheader()
        wr.writerows(rows)
    with open(os.path.join(outdir, "results.json"), "w") as f:
        json.dump(grouped, f, indent=1)
    write_ci(os.path.join(outdir, "results-ci.csv"), rows)
    return len(grouped)


CI_FIELDS = ["workload", "load", "protocol", "bucket", "size_low", "size_high", "seeds",
             "samples"] + list(STATS) + [s + "_ci95" for s in STATS]


def write_ci(path, rows):
    """results-ci.csv: per bucket, the mean over seeds and its 95% interval."""
    with open(path, "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=CI_FIELDS)
        wr.writeheader()
        for r in aggregate(rows):
            wr.writerow({k: ("" if r[k] is None else
                             f"{r[k]:.6g}" if isinstance(r[k], float) else r[k])
                         for k in CI_FIELDS})


def parse_seeds(text):
    """--seeds: a count N (seeds 1..N) or a comma-separated list of seeds."""
    items = [x.strip() for x in text.split(",") if x.strip()]
    if not items or not all(x.isdigit() for x in items):
        raise ValueError(f"--seeds {text!r}: give a count N or a list like 1,2,3")
    if "," not in text:
        n = int(items[0])
        if n < 1:
            raise ValueError("--seeds: the count must be at least 1")
        return [str(i) for i in range(1, n + 1)]
    if len(set(int(x) for x in items)) != len(items):
        raise ValueError(f"--seeds {text!r}: a seed is listed twice")
    return [str(int(x)) for x in items]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", required=True, help="path to the mtp-datacenter program")
    ap.add_argument("--out", required=True, help="sweep directory")
    ap.add_argument("--workloads", default="w5")
    ap.add_argument("--loads", default="0.8")
    ap.add_argument("--protocols", default="mtp,dctcp",
                    help="mtp, tcp, dctcp (one simulation each)")
    ap.add_argument("--seeds", default="1",
                    help="a count N (seeds 1..N) or a comma-separated list of seeds")
    ap.add_argument("--args", default="", help="more mtp-datacenter arguments, one string")
    ap.add_argument("--workload-args", default="",
                    help='per-workload arguments: "w1=ARGS;w2=ARGS" (added after --args)')
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=None, help="seconds per point")
    ap.add_argument("--progress", type=float, default=10,
                    help="progress report interval, wall seconds (0 = off)")
    ap.add_argument("--plot", action="store_true", help="draw <out>/p99.png at the end")
    ap.add_argument("--reference", default=None, help="reference file for the plot overlay")
    args = ap.parse_args()

    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"not an executable: {binary}")
    split = lambda s: [x for x in s.split(",") if x]
    try:
        seeds = parse_seeds(args.seeds)
    except ValueError as e:
        sys.exit(str(e))
    points = [(w, l, p, s) for w in split(args.workloads) for l in split(args.loads)
              for p in split(args.protocols) for s in seeds]
    for (_, _, p, _) in points:
        if p not in ("mtp", "tcp", "dctcp") and not re.fullmatch(r"mtp-[a-z][a-z0-9_]*", p):
            sys.exit(f"protocol {p!r}: use mtp, mtp-STACK (mtp-phost...), tcp or dctcp "
                     "(both/all are split into points)")
    os.makedirs(os.path.join(args.out, "points"), exist_ok=True)
    extra = shlex.split(args.args)
    per_workload = {}
    for item in [x for x in args.workload_args.split(";") if x.strip()]:
        if "=" not in item:
            sys.exit(f"--workload-args: {item!r} is not WORKLOAD=ARGS")
        w, a = item.split("=", 1)
        per_workload[w.strip()] = shlex.split(a)
    unknown = set(per_workload) - {w for (w, _, _, _) in points}
    if unknown:
        sys.exit(f"--workload-args names workloads not in the grid: {', '.join(sorted(unknown))}")

    todo = [pt for pt in points if not os.path.exists(
        os.path.join(args.out, "points", point_name(*pt), "done.json"))]
    print(f"sweep: {len(points)} points, {len(points) - len(todo)} already done, "
          f"{len(todo)} to run with {args.jobs} jobs", flush=True)
    for pt in todo:
        # A marker left by a sweep that was killed.
        stale = os.path.join(args.out, "points", point_name(*pt), "running")
        if os.path.exists(stale):
            os.remove(stale)
    failed = 0
    finished = 0
    t0 = time.time()
    # Threads are enough: each point is a separate process.
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futs = {pool.submit(run_point, binary, args.out, *pt,
                            extra + per_workload.get(pt[0], []), args.timeout,
                            args.progress): pt for pt in todo}
        pending = set(futs)
        while pending:
            ready, pending = concurrent.futures.wait(
                pending, timeout=args.progress if args.progress > 0 else None,
                return_when=concurrent.futures.FIRST_COMPLETED)
            for fut in ready:
                info = fut.result()
                ok = info["returncode"] == 0
                failed += 0 if ok else 1
                finished += 1
                print(f"  [{finished}/{len(todo)}] {'done' if ok else 'FAILED'} {info['name']} "
                      f"({info['wall_s']:.1f} s)"
                      + ("" if ok else f": exit {info['returncode']}, {info['stderr_tail']}"),
                      flush=True)
            if not ready and pending:
                print(f"sweep: {finished}/{len(todo)} finished after {time.time() - t0:.0f} s",
                      flush=True)
                for pt in todo:
                    pdir = os.path.join(args.out, "points", point_name(*pt))
                    if os.path.exists(os.path.join(pdir, "running")):
                        line = last_line(os.path.join(pdir, "stderr.txt"))
                        print(f"    running {point_name(*pt)}: {line or '(no progress yet)'}",
                              flush=True)
    try:
        n = collect(args.out, points)
    except ValueError as e:
        sys.exit(f"sweep: cannot combine the seeds: {e}")
    print(f"sweep: {n} of {len(points)} points in {os.path.join(args.out, 'results.csv')}",
          flush=True)
    plot_failed = False
    if args.plot:
        if n == 0:
            print("sweep: no finished point to plot", flush=True)
            plot_failed = True
        else:
            plot = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plot.py")
            cmd = [sys.executable, plot, os.path.join(args.out, "results.csv"),
                   "-o", os.path.join(args.out, "p99.png")]
            if args.reference:
                cmd += ["--reference", args.reference]
            plot_failed = subprocess.run(cmd, check=False).returncode != 0
    sys.exit(1 if failed or plot_failed else 0)


if __name__ == "__main__":
    main()
