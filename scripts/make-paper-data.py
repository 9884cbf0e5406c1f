#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the Homa SIGCOMM'18 simulation results table into data/homa-sigcomm18-slowdown.csv.

    scripts/make-paper-data.py RESULTS.txt [-o data/homa-sigcomm18-slowdown.csv]

RESULTS.txt is the paper's published simulation results table: a header line
(TransportType LoadFactor WorkLoad MsgSizeRange SizeCntPercent BytesPercent
UnschedBytes MeanStretch MedianStretch 99PercentStretch), then whitespace-
separated rows, one statistic per row with NA in the other two statistic
columns.  MsgSizeRange is the upper size bound, in bytes, of the row's size
bucket (the bucket runs from just above the previous row's bound).

The output has one line per transport, workload, load and size bucket with
the three statistics merged:

    transport,workload,load,bucket,size_high,count_pct,p50,p99,mean

workload is w1..w5 (FACEBOOK_KEY_VALUE, GOOGLE_SEARCH_RPC, GOOGLE_ALL_RPC,
FACEBOOK_HADOOP_ALL, DCTCP, as doc/datacenter.rst and scripts/plot.py name
them; the table's other workloads are left out), bucket counts from 1 in
size order, count_pct is SizeCntPercent (the bucket's share of the messages,
in percent).  The numbers are copied, not recomputed: the program only
reshapes the table.  A row whose SizeCntPercent and BytesPercent differ from
those of the other rows of its bucket is left out with a warning (and named
in the output's header): the published table has one, an SRPT-Oracle W5 row
labelled load 0.5 whose shares are those of the load 0.8 group.  Bad input (a missing column, a short row, a number that
does not parse, two values for one statistic) stops it with the line number.
"""
import argparse
import os
import sys

WORKLOADS = {"FACEBOOK_KEY_VALUE": "w1", "GOOGLE_SEARCH_RPC": "w2", "GOOGLE_ALL_RPC": "w3",
             "FACEBOOK_HADOOP_ALL": "w4", "DCTCP": "w5"}
STATS = {"MedianStretch": "p50", "99PercentStretch": "p99", "MeanStretch": "mean"}
NEEDED = ["TransportType", "LoadFactor", "WorkLoad", "MsgSizeRange", "SizeCntPercent",
          "BytesPercent"] + list(STATS)

HEADER = """\
# The Homa paper's published simulation results: slowdown (completion time
# over the unloaded completion time) per message-size bucket.
# Source: Behnam Montazeri, Yilong Li, Mohammad Alizadeh, John Ousterhout,
# "Homa: A Receiver-Driven Low-Latency Transport Protocol Using Network
# Priorities", ACM SIGCOMM 2018 (Figure 12 and the simulation results
# published with it).  These are the paper's figures, facts and not code;
# scripts/make-paper-data.py only reshaped the published table (one row per
# statistic) into one line per bucket.
# transport: the simulated transport; workload: w1..w5 (doc/datacenter.rst);
# load: offered load; bucket: 1, 2, ... in size order; size_high: the
# bucket's upper size bound in bytes (it starts just above the previous
# bucket's); count_pct: the bucket's share of the messages, percent;
# p50, p99, mean: median, 99th-percentile and mean slowdown.
"""


def fail(path, lineno, what):
    sys.exit(f"{path}: line {lineno}: {what}")


def number(path, lineno, text, what):
    try:
        return float(text)
    except ValueError:
        fail(path, lineno, f"{what} {text!r} is not a number")


def parse(path):
    """(transport, workload, load, size_high) -> {count_pct, p50, p99, mean}, in file order."""
    with open(path) as f:
        lines = f.read().splitlines()
    header = None
    rows = {}
    skipped = []
    for lineno, line in enumerate(lines, 1):
        cells = line.split()
        if not cells:
            continue
        if cells[0] == "TransportType":
            header = cells
            missing = [c for c in NEEDED if c not in header]
            if missing:
                fail(path, lineno, f"the header lacks {', '.join(missing)}")
            continue
        if header is None:
            fail(path, lineno, "data before the header line")
        if len(cells) != len(header):
            fail(path, lineno, f"{len(cells)} columns, the header has {len(header)}")
        c = dict(zip(header, cells))
        workload = WORKLOADS.get(c["WorkLoad"])
        if workload is None:
            continue
        load = number(path, lineno, c["LoadFactor"], "LoadFactor")
        size = number(path, lineno, c["MsgSizeRange"], "MsgSizeRange")
        if size != int(size) or size < 1:
            fail(path, lineno, f"MsgSizeRange {c['MsgSizeRange']} is not a size in bytes")
        key = (c["TransportType"], workload, f"{load:g}", int(size))
        shares = (c["SizeCntPercent"], c["BytesPercent"])
        row = rows.setdefault(key, {"count_pct": c["SizeCntPercent"], "shares": shares})
        if row["shares"] != shares:
            # The published table has such a row: its shares are those of
            # another group's bucket, so which group it belongs to is unknown.
            skipped.append(f"line {lineno}: {' '.join(cells)} (its bucket's other rows "
                           f"have SizeCntPercent {row['shares'][0]}, BytesPercent "
                           f"{row['shares'][1]})")
            continue
        for col, name in STATS.items():
            if c[col] == "NA":
                continue
            number(path, lineno, c[col], col)
            if name in row:
                fail(path, lineno, f"a second {col} for {key}")
            row[name] = c[col]
    if header is None:
        sys.exit(f"{path}: no header line (TransportType ...)")
    return rows, skipped


def write(rows, skipped, out):
    groups = {}
    for key in rows:
        groups.setdefault(key[:3], []).append(key[3])
    notes = "".join(f"# Left out, inconsistent with its bucket: {s}\n" for s in skipped)
    lines = [HEADER + notes + "transport,workload,load,bucket,size_high,count_pct,p50,p99,mean"]
    for group in sorted(groups):
        for i, size in enumerate(sorted(groups[group]), 1):
            r = rows[group + (size,)]
            vals = [r.get(s, "") for s in ("p50", "p99", "mean")]
            lines.append(",".join([*group, str(i), str(size), r["count_pct"], *vals]))
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    return len(lines) - 1


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", help="the paper's simulation results table")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("-o", "--output", default=os.path.join(root, "data",
                                                           "homa-sigcomm18-slowdown.csv"))
    args = ap.parse_args()
    rows, skipped = parse(args.results)
    for s in skipped:
        print(f"make-paper-data: warning: {args.results}: left out {s}", file=sys.stderr)
    if not rows:
        sys.exit(f"{args.results}: no rows for the workloads {', '.join(WORKLOADS)}")
    n = write(rows, skipped, args.output)
    print(f"make-paper-data: wrote {args.output} ({n} buckets)")


if __name__ == "__main__":
    main()
