#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Plot 99th-percentile slowdown vs message size (log x), per protocol.

Input: a results.csv of scripts/sweep.py (workload,load,protocol,seed,bucket,
size_low,size_high,count,mean,median,p99,...) or the summary.csv of one
mtp-datacenter run (protocol,bucket,size_low,size_high,count,mean,median,p99;
give --workload/--load to label it), or a results-ci.csv of sweep.py. One
panel per (workload, load); one line per protocol, the point of a bucket at
its upper size bound; seeds are averaged. Where a bucket has values from two
or more seeds, an error bar shows the 95% confidence interval of that mean
(Student's t over the seeds, scripts/slowdown_stats.py; drawn down to a
slowdown of 1 at most, the least a slowdown can be). Buckets with no
completed message are left out.

--metric picks what is plotted: p99 (default), median or mean slowdown.
--table FILE also writes the numbers as reStructuredText tables, one per
panel: a row per size bucket, a column per protocol (the mean over seeds,
"± half-width" of its 95% interval with two or more seeds), and per reference
transport the range of its values over the sizes inside the bucket.

--reference FILE overlays published numbers, in either format:
  * the Homa SIGCOMM'18 simulation results table: a header line naming the
    columns (TransportType LoadFactor WorkLoad MsgSizeRange SizeCntPercent
    BytesPercent UnschedBytes MeanStretch MedianStretch 99PercentStretch),
    then whitespace-separated rows (spaces or tabs), one metric per row and
    NA in the other metric columns; MsgSizeRange is the upper size bound of
    the row's bucket in bytes. WorkLoad names map to w1..w5
    (FACEBOOK_KEY_VALUE, GOOGLE_SEARCH_RPC, GOOGLE_ALL_RPC,
    FACEBOOK_HADOOP_ALL, DCTCP); other workloads are ignored.
    --ref-transports picks the transports (default Homa; "all" for every one);
  * a CSV with columns workload,load,protocol,size and the metric (p99,
    median or mean); "transport" may stand for protocol, "size_high" for
    size and "p50" for median (as in data/homa-sigcomm18-slowdown.csv, the
    paper's numbers shipped with this module), lines starting with '#' are
    comments, and --ref-transports picks the transports here too.
Reference lines are dashed and labelled "<transport> (ref)".

Example:
    scripts/plot.py sweep1/results.csv -o p99.png \
        --reference data/homa-sigcomm18-slowdown.csv

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
from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from slowdown_stats import aggregate  # noqa: E402

HOMA_NAMES = {"FACEBOOK_KEY_VALUE": "w1", "GOOGLE_SEARCH_RPC": "w2", "GOOGLE_ALL_RPC": "w3",
              "FACEBOOK_HADOOP_ALL": "w4", "DCTCP": "w5"}


def fmt_load(x):
    return f"{float(x):g}"


REF_COLUMNS = {"p99": "99PercentStretch", "median": "MedianStretch", "mean": "MeanStretch"}


def read_aggregated(path, workload, load, metric):
    """Bucket rows of any results file, each with `metric` and `metric`_ci95.

    A results-ci.csv is already aggregated over seeds; a results.csv or a
    summary.csv (no workload, load or seed columns: the labels given) is
    aggregated here."""
    with open(path) as f:
        rows = list(csv.DictReader(f))
    if rows and "seeds" in rows[0]:
        ci = metric + "_ci95"
        return [{**r, metric: float(r[metric]), ci: float(r[ci]) if r[ci] else None}
                for r in rows]
    for r in rows:
        r.setdefault("workload", workload)
        r.setdefault("load", load)
        r.setdefault("seed", "1")
    return aggregate(rows)


def read_results(path, workload, load, metric="p99"):
    """(workload, load) -> protocol -> [(bucket upper size, metric, CI half-width)].

    The metric is the mean over seeds; the half-width is None with one seed."""
    agg = read_aggregated(path, workload, load, metric)
    out = defaultdict(lambda: defaultdict(list))
    for r in agg:
        out[(r["workload"], fmt_load(r["load"]))][r["protocol"]].append(
            (int(r["size_high"]), r[metric], r[metric + "_ci95"]))
    return {k: {p: sorted(v) for p, v in d.items()} for k, d in out.items()}


def read_reference(path, transports, metric="p99"):
    """(workload, load) -> transport -> [(size, metric)], from either format.

    transports: a set of names, or None for every transport."""
    ref = defaultdict(lambda: defaultdict(list))
    with open(path) as f:
        lines = f.read().splitlines()
    body = [l for l in lines if l.strip()]
    if body and body[0].split()[0] == "TransportType":
        header = body[0].split()
        try:
            col = {name: header.index(name) for name in
                   ("TransportType", "LoadFactor", "WorkLoad", "MsgSizeRange",
                    REF_COLUMNS[metric])}
        except ValueError as e:
            sys.exit(f"{path}: header lacks a column: {e}")
        for lineno, line in enumerate(body[1:], 2):
            c = line.split()
            if c[0] == "TransportType":
                continue  # a repeated header
            if len(c) != len(header):
                sys.exit(f"{path}: line {lineno}: {len(c)} columns, header has {len(header)}")
            value = c[col[REF_COLUMNS[metric]]]
            transport = c[col["TransportType"]]
            workload = HOMA_NAMES.get(c[col["WorkLoad"]])
            if value == "NA" or workload is None:
                continue
            if transports is not None and transport not in transports:
                continue
            ref[(workload, fmt_load(c[col["LoadFactor"]]))][transport].append(
                (int(float(c[col["MsgSizeRange"]])), float(value)))
    else:
        columns = {"p99": ("p99",), "median": ("median", "p50"), "mean": ("mean",)}[metric]
        with open(path) as f:
            for r in csv.DictReader(l for l in f if not l.startswith("#")):
                proto = r.get("protocol") or r.get("transport")
                value = next((r[c] for c in columns if r.get(c)), "")
                if not value or (transports is not None and proto not in transports):
                    continue
                size = r.get("size") or r.get("size_high")
                ref[(r["workload"], fmt_load(r["load"]))][proto].append(
                    (int(float(size)), float(value)))
    return {k: {p: sorted(v) for p, v in d.items()} for k, d in ref.items()}


def write_table(path, results, workload, load, metric, ref):
    """RST tables of `metric` per bucket and protocol, with reference ranges."""
    rows = defaultdict(lambda: defaultdict(dict))  # key -> (low, high) -> proto -> cell
    for r in read_aggregated(results, workload, load, metric):
        key = (r["workload"], fmt_load(r["load"]))
        b = (int(r["size_low"]), int(r["size_high"]))
        ci = r[metric + "_ci95"]
        rows[key][b][r["protocol"]] = f"{r[metric]:.2f}" + ("" if ci is None else f" ± {ci:.2f}")
    out = []
    for key in sorted(rows):
        protos = sorted({p for b in rows[key].values() for p in b})
        refs = sorted(ref.get(key, {}))
        head = ["size (bytes)"] + [f"{p} {metric}" for p in protos] + \
            [f"{t} (ref)" for t in refs]
        body = []
        for (lo, hi) in sorted(rows[key]):
            cells = [f"{lo}-{hi}"]
            for p in protos:
                cells.append(rows[key][(lo, hi)].get(p, ""))
            for t in refs:
                vals = [v for (sz, v) in ref[key][t] if lo <= sz <= hi]
                if not vals:
                    cells.append("")
                elif min(vals) == max(vals) or f"{min(vals):.2f}" == f"{max(vals):.2f}":
                    cells.append(f"{min(vals):.2f}")
                else:
                    cells.append(f"{min(vals):.2f}-{max(vals):.2f}")
            body.append(cells)
        width = [max(len(c[i]) for c in [head] + body) for i in range(len(head))]
        rule = "  ".join("=" * w for w in width)
        line = lambda c: "  ".join(x.ljust(w) for x, w in zip(c, width)).rstrip()
        out += [f"{os.path.basename(key[0])}, load {key[1]}", "", rule, line(head), rule]
        out += [line(c) for c in body] + [rule, ""]
    with open(path, "w") as f:
        f.write("\n".join(out))


# One colour per protocol in every panel; others take the next free colour.
COLOURS = {"mtp": "C0", "dctcp": "C1", "tcp": "C2", "mtp-wire0.8": "C4", "mtp-phost": "C3",
           "mtp-unsched": "C5"}


# The paper's transports, dashed: Homa grey, pHost the colour of MTP's phost stack.
REF_COLOURS = {"Homa": "0.35", "pHost": "C3", "pFabric": "C8", "PIAS": "C9", "NDP": "C7"}


def colour(proto, used):
    """The protocol's colour, the same in every panel (`used`: protocol -> colour so far)."""
    if proto in COLOURS:
        return COLOURS[proto]
    if proto not in used:
        free = [f"C{i}" for i in range(6, 10)
                if f"C{i}" not in COLOURS.values() and f"C{i}" not in used.values()]
        used[proto] = free[0] if free else None
    return used[proto]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", help="results.csv (sweep) or summary.csv (one run)")
    ap.add_argument("-o", "--output", default="p99.png")
    ap.add_argument("--workload", default="?", help="label for a summary.csv")
    ap.add_argument("--load", default="0", help="label for a summary.csv")
    ap.add_argument("--reference", help="reference results to overlay")
    ap.add_argument("--ref-transports", default="Homa",
                    help="comma-separated transports of a Homa-format reference, or 'all'")
    ap.add_argument("--metric", choices=sorted(REF_COLUMNS), default="p99",
                    help="slowdown statistic to plot")
    ap.add_argument("--table", help="also write the numbers as RST tables to this file")
    args = ap.parse_args()

    print(f"plot: reading {args.results}", flush=True)
    try:
        data = read_results(args.results, args.workload, args.load, args.metric)
    except (KeyError, ValueError) as e:
        sys.exit(f"{args.results}: cannot read it as results: {e}")
    if not data:
        sys.exit(f"{args.results}: no completed buckets to plot")
    ref = {}
    if args.reference:
        print(f"plot: reading reference {args.reference}", flush=True)
        wanted = None if args.ref_transports == "all" else set(args.ref_transports.split(","))
        ref = read_reference(args.reference, wanted, args.metric)
        matched = sorted(k for k in data if k in ref)
        if not matched:
            print(f"plot: warning: the reference has nothing for "
                  f"{', '.join(f'{w} load {l}' for w, l in sorted(data))}", flush=True)
    keys = sorted(data)
    n = len(keys)
    cols = min(n, 3)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(5.5 * cols, 4 * rows), squeeze=False)
    used = {}
    for idx, key in enumerate(keys):
        ax = axes[idx // cols][idx % cols]
        for proto, pts in sorted(data[key].items()):
            ci = [p[2] or 0 for p in pts]
            # A slowdown is at least 1: the bar stops there (and stays on a log axis).
            below = [min(c, max(0.0, p[1] - 1)) for c, p in zip(ci, pts)]
            ax.errorbar([p[0] for p in pts], [p[1] for p in pts],
                        yerr=[below, ci] if any(ci) else None, capsize=3 if any(ci) else 0,
                        marker="o", label=proto + (" (95% CI)" if any(ci) else ""),
                        color=colour(proto, used))
        for proto, pts in sorted(ref.get(key, {}).items()):
            ax.plot([p[0] for p in pts], [p[1] for p in pts], linestyle="--",
                    label=f"{proto} (ref)", color=REF_COLOURS.get(proto))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("message size (bytes, bucket upper bound)")
        ax.set_ylabel({"p99": "99th percentile slowdown", "median": "median slowdown",
                       "mean": "mean slowdown"}[args.metric])
        ax.set_title(f"{os.path.basename(key[0])}, load {key[1]}")
        # Slowdowns span a decade or two: plain numbers read better than 10^x.
        lo, hi = ax.get_ylim()
        if hi / max(lo, 1e-9) >= 30:
            ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(ScalarFormatter())
        # Minor labels only where there are few (less than a decade and a half).
        ax.yaxis.set_minor_formatter(ScalarFormatter() if hi / max(lo, 1e-9) < 30
                                     else NullFormatter())
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    for idx in range(n, rows * cols):
        axes[idx // cols][idx % cols].axis("off")
    fig.tight_layout()
    fig.savefig(args.output, dpi=110)
    print(f"plot: wrote {args.output} ({n} panel{'s' if n != 1 else ''})", flush=True)
    if args.table:
        write_table(args.table, args.results, args.workload, args.load, args.metric, ref)
        print(f"plot: wrote {args.table}", flush=True)


if __name__ == "__main__":
    main()
