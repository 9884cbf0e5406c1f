#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Run mtp-datacenter over a parameter grid, in parallel, resumably.

Grid: every combination of --workloads x --loads x --protocols x --seeds
(comma-separated lists). Each point runs

    <binary> --workload=W --load=L --protocol=P --seed=S --out=<out>/points/<name> \
             --progress=0 <--args ...>

in its own directory. A point is finished when its directory holds
`done.json` (written only after the program exited 0); finished points are
skipped, so an interrupted sweep resumes where it stopped. A failed point
keeps its stdout/stderr and exit code in `failed.json` and is run again next
time.

Results: <out>/results.csv (one row per point and size bucket:
workload,load,protocol,seed,bucket,size_low,size_high,count,mean,median,p99,
unfinished,wall_s) and <out>/results.json (the same, grouped by point, with
the run's command line and wall time). With --plot, scripts/plot.py draws
<out>/p99.png from results.csv.

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


def point_name(w, load, proto, seed):
    return f"{w}-{proto}-load{load}-seed{seed}"


def run_point(binary, outdir, w, load, proto, seed, extra, timeout):
    name = point_name(w, load, proto, seed)
    pdir = os.path.join(outdir, "points", name)
    os.makedirs(pdir, exist_ok=True)
    cmd = [binary, f"--workload={w}", f"--load={load}", f"--protocol={proto}",
           f"--seed={seed}", f"--out={pdir}", "--progress=0"] + extra
    t0 = time.time()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        rc, out, err = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as e:
        rc, out, err = -1, e.stdout or "", f"timeout after {timeout} s"
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
    wall = time.time() - t0
    with open(os.path.join(pdir, "stdout.txt"), "w") as f:
        f.write(out)
    with open(os.path.join(pdir, "stderr.txt"), "w") as f:
        f.write(err)
    info = {"name": name, "workload": w, "load": load, "protocol": proto, "seed": seed,
            "command": " ".join(shlex.quote(c) for c in cmd), "returncode": rc, "wall_s": wall}
    if rc == 0 and os.path.exists(os.path.join(pdir, "summary.csv")):
        with open(os.path.join(pdir, "done.json"), "w") as f:
            json.dump(info, f, indent=1)
        if os.path.exists(os.path.join(pdir, "failed.json")):
            os.remove(os.path.join(pdir, "failed.json"))
    else:
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
    return len(grouped)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", required=True, help="path to the mtp-datacenter program")
    ap.add_argument("--out", required=True, help="sweep directory")
    ap.add_argument("--workloads", default="w5")
    ap.add_argument("--loads", default="0.8")
    ap.add_argument("--protocols", default="mtp,dctcp",
                    help="mtp, tcp, dctcp (one simulation each)")
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--args", default="", help="more mtp-datacenter arguments, one string")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=None, help="seconds per point")
    ap.add_argument("--plot", action="store_true", help="draw <out>/p99.png at the end")
    ap.add_argument("--reference", default=None, help="reference file for the plot overlay")
    args = ap.parse_args()

    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"not an executable: {binary}")
    split = lambda s: [x for x in s.split(",") if x]
    points = [(w, l, p, s) for w in split(args.workloads) for l in split(args.loads)
              for p in split(args.protocols) for s in split(args.seeds)]
    for (_, _, p, _) in points:
        if p not in ("mtp", "tcp", "dctcp"):
            sys.exit(f"protocol {p!r}: use mtp, tcp or dctcp (both/all are split into points)")
    os.makedirs(os.path.join(args.out, "points"), exist_ok=True)
    extra = shlex.split(args.args)

    todo = [pt for pt in points if not os.path.exists(
        os.path.join(args.out, "points", point_name(*pt), "done.json"))]
    print(f"sweep: {len(points)} points, {len(points) - len(todo)} already done, "
          f"{len(todo)} to run with {args.jobs} jobs", flush=True)
    failed = 0
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futs = {pool.submit(run_point, binary, args.out, *pt, extra, args.timeout): pt
                for pt in todo}
        for fut in concurrent.futures.as_completed(futs):
            info = fut.result()
            ok = info["returncode"] == 0
            failed += 0 if ok else 1
            print(f"  {'done' if ok else 'FAILED'} {info['name']} ({info['wall_s']:.1f} s)",
                  flush=True)
    n = collect(args.out, points)
    print(f"sweep: {n} of {len(points)} points in {os.path.join(args.out, 'results.csv')}")
    if args.plot:
        plot = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plot.py")
        cmd = [sys.executable, plot, os.path.join(args.out, "results.csv"),
               "-o", os.path.join(args.out, "p99.png")]
        if args.reference:
            cmd += ["--reference", args.reference]
        subprocess.run(cmd, check=False)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
