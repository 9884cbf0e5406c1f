#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Re-bucket a sweep's messages on the Homa paper's size buckets.

    scripts/rebucket.py POINTS_DIR -o fine.csv [--paper data/homa-sigcomm18-slowdown.csv]
        [--transport Homa] [--load 0.8] [--protocol mtp] [--min-count 100]

POINTS_DIR is the points/ directory of scripts/sweep.py: one directory per
run, <workload>-<protocol>-load<L>-seed<S>, each with the
<protocol>-messages.csv that mtp-datacenter writes (id,size,start_ns,
end_ns,src,dst,unloaded_ns,slowdown,status).  For every run of --protocol
at --load whose workload the paper has (for --transport at --load), the
completed messages ("done") are put into the paper's own size buckets:
bucket k holds the sizes above the paper's previous upper bound up to
size_high_k (the first from 0); sizes above the paper's last bound are left
out.  Adjacent buckets are merged until every run of the workload has at
least --min-count messages in the merged one (a 99th percentile of fewer
than 100 values is the largest of them), the same merging for every seed.
The output has sweep.py's results.csv format (workload,load,protocol,seed,
bucket,size_low,size_high,count,mean,median,p99,unfinished,wall_s), one row
per run and non-empty (merged) bucket, so scripts/plot.py draws it as is
and scripts/homa_compare.py --fine uses it.

Why: a slowdown percentile over a wide bucket is not the paper's per-size
percentile.  The 99th percentile of all W1 messages from 504 bytes to
100 KB is set by the longest of them (the slowest 1% are mostly long
messages), while the paper gives one 99th percentile per narrow bucket
(W1: 83 of them).  Percentiles on the paper's buckets compare like with
like.  Percentiles are nearest-rank, as mtp-datacenter's summary.csv.

Exit status 0; 2 for unreadable input or no run to re-bucket.
"""
import argparse
import bisect
import csv
import math
import os
import re
import sys

# sweep.py's point names; a protocol is "mtp", "dctcp"... or "mtp-STACK".
POINT = re.compile(r"^(?P<w>.+?)-(?P<proto>mtp-[a-z][a-z0-9_]*|[^-]+)"
                   r"-load(?P<load>[0-9.]+)-seed(?P<seed>\d+)$")


def percentile(sorted_values, p):
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    rank = max(1, math.ceil(p * len(sorted_values) / 100.0 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def paper_edges(path, transport, load):
    """workload -> sorted list of the paper's bucket upper bounds."""
    out = {}
    with open(path) as f:
        for r in csv.DictReader(line for line in f if not line.startswith("#")):
            if r["transport"] == transport and float(r["load"]) == load:
                out.setdefault(r["workload"], set()).add(int(r["size_high"]))
    return {w: sorted(v) for w, v in out.items()}


def read_messages(path):
    """(size, slowdown) of the completed messages of one mtp-messages.csv."""
    with open(path) as f:
        rows = csv.DictReader(f)
        if not {"size", "slowdown", "status"} <= set(rows.fieldnames or []):
            raise ValueError(f"{path}: needs the columns size, slowdown, status")
        return [(int(r["size"]), float(r["slowdown"])) for r in rows if r["status"] == "done"]


def per_bucket(messages, edges):
    """The slowdowns of `messages` in each paper bucket (sizes above the last left out)."""
    per = [[] for _ in edges]
    for size, slowdown in messages:
        k = bisect.bisect_left(edges, size)  # first upper bound >= size
        if k < len(edges):
            per[k].append(slowdown)
    return per


def groups(runs, min_count):
    """Runs of adjacent paper buckets, [first, last] index pairs, the same for every run.

    `runs` holds per_bucket() of each run of one workload.  A group grows
    until every run has at least `min_count` messages in it; a remainder
    that never gets there joins the group before it.  Buckets empty in every
    run start no group of their own.
    """
    out, first = [], None
    for k in range(len(runs[0])):
        if first is None:
            if not any(run[k] for run in runs):
                continue
            first = k
        if min(sum(len(run[j]) for j in range(first, k + 1)) for run in runs) >= min_count:
            out.append([first, k])
            first = None
    if first is not None:
        if out:
            out[-1][1] = len(runs[0]) - 1
        else:
            out.append([first, len(runs[0]) - 1])
    return out


def group_rows(per, edges, spans):
    """One row per group: (index, low, high, count, mean, median, p99), empty ones left out."""
    rows = []
    for i, (first, last) in enumerate(spans):
        values = sorted(v for k in range(first, last + 1) for v in per[k])
        if values:
            low = edges[first - 1] + 1 if first > 0 else 0
            rows.append((i, low, edges[last], len(values), sum(values) / len(values),
                         percentile(values, 50), percentile(values, 99)))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("points", help="the points/ directory of a sweep")
    ap.add_argument("-o", "--output", required=True, help="results.csv to write")
    ap.add_argument("--paper", default=os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), "data", "homa-sigcomm18-slowdown.csv"))
    ap.add_argument("--transport", default="Homa")
    ap.add_argument("--load", type=float, default=0.8)
    ap.add_argument("--protocol", default="mtp")
    ap.add_argument("--min-count", type=int, default=100,
                    help="messages per run a (merged) bucket needs at least")
    args = ap.parse_args()
    try:
        edges = paper_edges(args.paper, args.transport, args.load)
        runs = {}
        for name in sorted(os.listdir(args.points)):
            m = POINT.match(name)
            path = os.path.join(args.points, name, f"{args.protocol}-messages.csv")
            if (not m or m["proto"] != args.protocol or float(m["load"]) != args.load
                    or m["w"] not in edges or not os.path.exists(path)):
                continue
            per = per_bucket(read_messages(path), edges[m["w"]])
            runs.setdefault(m["w"], []).append((int(m["seed"]), m["load"], per))
        out = []
        for w, seeds in sorted(runs.items()):
            spans = groups([per for _, _, per in seeds], args.min_count)
            for seed, load, per in sorted(seeds):
                for row in group_rows(per, edges[w], spans):
                    out.append([w, load, args.protocol, seed, *row])
    except (OSError, ValueError, KeyError) as e:
        print(f"rebucket: {e}", file=sys.stderr)
        return 2
    if not out:
        print(f"rebucket: no {args.protocol} run at load {args.load:g} with messages under "
              f"{args.points}", file=sys.stderr)
        return 2
    with open(args.output, "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["workload", "load", "protocol", "seed", "bucket", "size_low", "size_high",
                     "count", "mean", "median", "p99", "unfinished", "wall_s"])
        for r in out:
            wr.writerow(r[:8] + [f"{v:.6g}" for v in r[8:11]] + [0, 0])
    print(f"rebucket: {len(out)} rows in {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
