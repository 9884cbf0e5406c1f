#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Run mtp-host-cores over steering policies and core counts; plot the p99.

Every combination of --policies x --cores runs

    <binary> --policy=P --cores=C <--args ...>

(in parallel, -j jobs), plus one run with ideal hosts (--model=0) as the
reference. The result line of each run ("policy=... p50_us=... p99_us=...")
is collected into <out>/host-cores.csv, and <out>/host-cores-p99.png shows
the p99 latency of short RPCs per policy against the core count (with the
p50 dashed and the ideal-host p99 as a grey line).

Example:
    scripts/plot-host-cores.py --binary build/bin/mtp-host-cores --out host-cores \\
        --policies same,gen2,gen3 --cores 2,4,8 -j 2 --args "--simTime=10ms"
"""
import argparse
import concurrent.futures
import csv
import os
import shlex
import subprocess
import sys

FIELDS = ["policy", "cores", "short_rpcs", "mean_us", "p50_us", "p90_us", "p99_us", "max_us",
          "bg_gbps", "failures"]


def parse(line):
    """The key=value fields of a result line, or None."""
    if not line.startswith("policy="):
        return None
    out = {}
    for word in line.split():
        if "=" in word:
            k, v = word.split("=", 1)
            out[k] = v
    return out


def run(binary, policy, cores, extra, model=True):
    """Run one point; return its parsed result (raises on failure)."""
    cmd = [binary, f"--policy={policy}", f"--cores={cores}"] + extra
    if not model:
        cmd.append("--model=0")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr}")
    for line in proc.stdout.splitlines():
        r = parse(line)
        if r:
            return r
    raise RuntimeError(f"{' '.join(cmd)}: no result line in its output")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default="build/bin/mtp-host-cores",
                    help="the mtp-host-cores program")
    ap.add_argument("--out", default="host-cores-out", help="output directory")
    ap.add_argument("--policies", default="same,gen2,gen3", help="comma-separated policies")
    ap.add_argument("--cores", default="2,4,8", help="comma-separated core counts")
    ap.add_argument("--args", default="", help="more arguments for every run")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="runs in parallel")
    ap.add_argument("--no-plot", action="store_true", help="write the CSV only")
    a = ap.parse_args()

    policies = [p for p in a.policies.split(",") if p]
    cores = [int(c) for c in a.cores.split(",") if c]
    extra = shlex.split(a.args)
    os.makedirs(a.out, exist_ok=True)

    points = [(p, c) for p in policies for c in cores]
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        futures = {pool.submit(run, a.binary, p, c, extra): (p, c) for p, c in points}
        ideal = pool.submit(run, a.binary, policies[0], cores[0], extra, False)
        for f in concurrent.futures.as_completed(futures):
            p, c = futures[f]
            results[(p, c)] = f.result()
            r = results[(p, c)]
            print(f"{p:5s} cores={c:3d}  p50={r['p50_us']:>8s} us  p99={r['p99_us']:>8s} us",
                  flush=True)
        ideal_r = ideal.result()
    print(f"ideal hosts        p50={ideal_r['p50_us']:>8s} us  p99={ideal_r['p99_us']:>8s} us")

    csv_path = os.path.join(a.out, "host-cores.csv")
    with open(csv_path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS, extrasaction="ignore")
        w.writeheader()
        for p, c in points:
            w.writerow(results[(p, c)])
        w.writerow(ideal_r)
    print(f"wrote {csv_path}")
    if a.no_plot:
        return 0

    try:
        import matplotlib
    except ImportError:
        print("matplotlib is missing (Debian: python3-matplotlib; run with /usr/bin/python3, "
              "or pass --no-plot)", file=sys.stderr)
        return 1
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for p in policies:
        xs = cores
        p99 = [float(results[(p, c)]["p99_us"]) for c in cores]
        p50 = [float(results[(p, c)]["p50_us"]) for c in cores]
        line, = ax.plot(xs, p99, marker="o", label=f"{p} p99")
        ax.plot(xs, p50, marker=".", linestyle="--", color=line.get_color(), alpha=0.6,
                label=f"{p} p50")
    ax.axhline(float(ideal_r["p99_us"]), color="grey", linestyle=":", label="ideal hosts p99")
    ax.set_xlabel("cores per host")
    ax.set_ylabel("short-RPC latency (us, log scale)")
    ax.set_yscale("log")
    ax.set_xticks(cores)
    ax.set_title("mtp-host-cores: short RPCs under background load")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    png = os.path.join(a.out, "host-cores-p99.png")
    fig.savefig(png, dpi=120)
    print(f"wrote {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
