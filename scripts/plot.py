#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Plot 99th-percentile slowdown vs message size (log x), per protocol.

Input: a results.csv of scripts/sweep.py (workload,load,protocol,seed,bucket,
size_low,size_high,count,mean,median,p99,...) or the summary.csv of one
mtp-datacenter run (protocol,bucket,size_low,size_high,count,mean,median,p99;
give --workload/--load to label it). One panel per (workload, load); one line
per protocol, the point of a bucket at its upper size bound; seeds are
averaged. Buckets with no completed message are left out.

--reference FILE overlays published numbers, in either format:
  * the Homa SIGCOMM'18 simulation results table (whitespace columns
    TransportType LoadFactor WorkLoad MsgSizeRange ... 99PercentStretch, one
    metric per row, others NA); WorkLoad names map to w1..w5
    (FACEBOOK_KEY_VALUE, GOOGLE_SEARCH_RPC, GOOGLE_ALL_RPC,
    FACEBOOK_HADOOP_ALL, DCTCP); --ref-transports picks the transports
    (default Homa);
  * a CSV with columns workload,load,protocol,size,p99.
Reference lines are dashed and labelled "<transport> (ref)".

Uses Matplotlib with the Agg backend (no display needed).
"""
import argparse
import csv
import os
import sys
from collections import defaultdict

try:
    import matplotlib
except ImportError:
    # Debian's python3-matplotlib lives in the system interpreter.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != \
            os.path.realpath("/usr/bin/python3") and not os.environ.get("MTP_PLOT_REEXEC"):
        os.environ["MTP_PLOT_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("plot.py needs Matplotlib (Debian: apt-get install python3-matplotlib)")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HOMA_NAMES = {"FACEBOOK_KEY_VALUE": "w1", "GOOGLE_SEARCH_RPC": "w2", "GOOGLE_ALL_RPC": "w3",
              "FACEBOOK_HADOOP_ALL": "w4", "DCTCP": "w5"}


def fmt_load(x):
    return f"{float(x):g}"


def read_results(path, workload, load):
    data = defaultdict(lambda: defaultdict(list))  # (w, load) -> proto -> [(size, p99, seed)]
    with open(path) as f:
        for r in csv.DictReader(f):
            if int(r["count"]) == 0:
                continue
            w = r.get("workload") or workload
            ld = fmt_load(r.get("load") or load)
            data[(w, ld)][r["protocol"]].append((int(r["size_high"]), float(r["p99"])))
    out = {}
    for key, protos in data.items():
        out[key] = {}
        for proto, pts in protos.items():
            by = defaultdict(list)
            for s, v in pts:
                by[s].append(v)
            out[key][proto] = sorted((s, sum(v) / len(v)) for s, v in by.items())
    return out


def read_reference(path, transports):
    ref = defaultdict(lambda: defaultdict(list))
    with open(path) as f:
        first = f.readline()
        f.seek(0)
        if first.startswith("TransportType"):
            f.readline()
            for line in f:
                c = line.split()
                if len(c) < 10 or c[9] == "NA":
                    continue
                if c[0] not in transports or c[2] not in HOMA_NAMES:
                    continue
                ref[(HOMA_NAMES[c[2]], fmt_load(c[1]))][c[0]].append((int(c[3]), float(c[9])))
        else:
            for r in csv.DictReader(f):
                ref[(r["workload"], fmt_load(r["load"]))][r["protocol"]].append(
                    (int(r["size"]), float(r["p99"])))
    return {k: {p: sorted(v) for p, v in d.items()} for k, d in ref.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", help="results.csv (sweep) or summary.csv (one run)")
    ap.add_argument("-o", "--output", default="p99.png")
    ap.add_argument("--workload", default="?", help="label for a summary.csv")
    ap.add_argument("--load", default="0", help="label for a summary.csv")
    ap.add_argument("--reference", help="reference results to overlay")
    ap.add_argument("--ref-transports", default="Homa",
                    help="comma-separated transports of a Homa-format reference")
    args = ap.parse_args()

    data = read_results(args.results, args.workload, args.load)
    if not data:
        sys.exit(f"{args.results}: no completed buckets to plot")
    ref = read_reference(args.reference, set(args.ref_transports.split(","))) \
        if args.reference else {}
    keys = sorted(data)
    n = len(keys)
    cols = min(n, 3)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(5.5 * cols, 4 * rows), squeeze=False)
    for idx, key in enumerate(keys):
        ax = axes[idx // cols][idx % cols]
        for proto, pts in sorted(data[key].items()):
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=proto)
        for proto, pts in sorted(ref.get(key, {}).items()):
            ax.plot([p[0] for p in pts], [p[1] for p in pts], linestyle="--",
                    label=f"{proto} (ref)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("message size (bytes, bucket upper bound)")
        ax.set_ylabel("99th percentile slowdown")
        ax.set_title(f"{key[0]}, load {key[1]}")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    for idx in range(n, rows * cols):
        axes[idx // cols][idx % cols].axis("off")
    fig.tight_layout()
    fig.savefig(args.output, dpi=110)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
