#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Test of scripts/homa-comparison.sh's judgement, on tiny synthetic results.

    scripts/test_homa_comparison.py [--workdir DIR]

No simulation: each case writes a results.csv in sweep.py's format (two
seeds) and runs `homa-comparison.sh --results FILE`, which prints the table
of MTP against the paper and exits 0 (every bucket within tolerance), 1 (one
outside) or 2 (bad input).  The synthetic paper has two sizes in the
smallest bucket with different message shares, so the paper's value is
their share-weighted mean (3.5, where the plain mean would be 3.0).  Checks:
  1. a result within tolerance passes, and the table shows the mean over the
     seeds with its 95% interval, the paper's value and the ratio;
  2. a smallest bucket 20% above the paper fails at the default 15% and
     passes with --small-tolerance 0.25; another bucket 35% below fails at
     the default 30%;
  3. the smallest bucket is the one with the lowest sizes, whatever the
     file's order; a bucket with no paper size is printed and not judged;
  4. the paper's own results-table format is accepted as --reference;
  5. with no --reference the shipped data/homa-sigcomm18-slowdown.csv is
     used (its W1 0-8 byte value at 80% load);
  6. results without MTP at 80% load, or a workload the paper lacks, exit 2;
  7. unfinished measured messages fail it (exit 1, seed named), or are only
     flagged with homa_compare.py --allow-unfinished; a bucket with fewer
     than 1000 messages per seed is flagged "few messages";
  8. scripts/make-paper-data.py merges a bucket's three statistic rows into
     one line, leaves out (with a warning) a row inconsistent with its
     bucket, and stops with the line number on a short row;
  9. scripts/rebucket.py puts a sweep's messages into the paper's buckets
     (byte for byte), merging sparse neighbours, and --fine judges a wide bucket by the paper's
     estimator on both sides, where its pooled 99th percentile fails.
Exit status 0 when every check passes; each failed check is printed.
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "homa-comparison.sh")
FAILURES = []

PAPER = """\
# synthetic paper numbers
transport,workload,load,bucket,size_high,count_pct,p50,p99,mean
Homa,w1,0.8,1,4,1.0,1.1,2.0,1.2
Homa,w1,0.8,2,8,3.0,1.1,4.0,1.2
Homa,w1,0.8,3,100,50.0,1.1,2.0,1.2
Homa,w1,0.5,1,8,1.0,1.1,9.0,1.2
pFabric,w1,0.8,1,8,1.0,1.1,9.0,1.2
"""
# The same numbers in the paper's results-table format (one statistic a row).
PAPER_TABLE = """\
TransportType LoadFactor WorkLoad MsgSizeRange SizeCntPercent BytesPercent UnschedBytes \
MeanStretch MedianStretch 99PercentStretch
Homa 0.8 FACEBOOK_KEY_VALUE 4 1.0 0.1 9328 NA NA 2.0
Homa 0.8 FACEBOOK_KEY_VALUE 8 3.0 0.1 9328 NA NA 4.0
Homa\t0.8\tFACEBOOK_KEY_VALUE\t100\t50.0\t0.1\t9328\tNA\tNA\t2.0
Homa 0.8 FACEBOOK_KEY_VALUE 100 50.0 0.1 9328 NA 1.1 NA
"""
FIELDS = ["workload", "load", "protocol", "seed", "bucket", "size_low", "size_high", "count",
          "mean", "median", "p99", "unfinished", "wall_s"]


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        FAILURES.append(what)
    return cond


def results(path, buckets, protocol="mtp", load="0.8", workload="w1", count=2000,
            unfinished=(0, 0)):
    """buckets: [(bucket, low, high, p99 of seed 1, p99 of seed 2)], written in that order;
    count messages per bucket and seed, unfinished: the two seeds' unfinished messages."""
    with open(path, "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=FIELDS)
        wr.writeheader()
        for (b, lo, hi, a, c) in buckets:
            for seed, p99, left in (("1", a, unfinished[0]), ("2", c, unfinished[1])):
                wr.writerow({"workload": workload, "load": load, "protocol": protocol,
                             "seed": seed, "bucket": b, "size_low": lo, "size_high": hi,
                             "count": count, "mean": 1.5, "median": 1.4, "p99": p99,
                             "unfinished": left, "wall_s": 1.0})
    return path


def run(work, res, *extra, paper=None):
    cmd = ["bash", SCRIPT, "-o", os.path.join(work, "out"), "--results", res] + list(extra)
    if paper:
        cmd += ["--reference", paper]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    print(f"$ {' '.join(cmd)}\n{p.stdout}{p.stderr}", flush=True)
    return p


def table_row(out, size):
    rows = [l.split() for l in out.splitlines() if l.strip().startswith(size + " ")]
    return rows[0] if len(rows) == 1 else []


def messages(path, rows):
    """An mtp-messages.csv with (size, slowdown text, status) rows."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("id,size,start_ns,end_ns,src,dst,unloaded_ns,slowdown,status\n")
        for i, (size, slowdown, status) in enumerate(rows):
            f.write(f"{i},{size},0,1000,0,1,500,{slowdown},{status}\n")


def fine_case(work, paper):
    """rebucket.py puts messages into the paper's buckets; --fine judges on them.

    Per seed: sizes 4 and 8 (the paper's buckets 0-4 and 5-8) hold 98
    messages at 1.5, one at 2.0 (size 4) or 4.0 (size 8) and one at 9.0, so
    their nearest-rank 99th percentiles are 2.0 and 4.0, the paper's; size
    50 (bucket 9-100) 100 at 2.0.  A size above the paper's last bound, a
    failed and an unfinished message, a DCTCP run and a 50% run are left
    out.  The coarse results say 5.0 for 0-8 (pooled): outside by itself,
    while on the paper's buckets the value is (1 x 2.0 + 3 x 4.0) / 4 = 3.5.
    """
    points = os.path.join(work, "fine-points")
    rows = ([(4, "1.5", "done")] * 98 + [(4, "2.0", "done"), (4, "9.0", "done")] +
            [(8, "1.5", "done")] * 98 + [(8, "4.0", "done"), (8, "9.0", "done")] +
            [(50, "2.0", "done")] * 100 +
            [(200, "50.0", "done"), (4, "80.0", "failed:timeout"), (8, "", "unfinished")])
    for seed in ("1", "2"):
        messages(os.path.join(points, f"w1-mtp-load0.8-seed{seed}", "mtp-messages.csv"), rows)
    messages(os.path.join(points, "w1-dctcp-load0.8-seed1", "dctcp-messages.csv"),
             [(4, "70.0", "done")])
    messages(os.path.join(points, "w1-mtp-load0.5-seed1", "mtp-messages.csv"),
             [(4, "70.0", "done")])
    fine = os.path.join(work, "fine.csv")
    p = subprocess.run([sys.executable, os.path.join(HERE, "rebucket.py"), points, "-o", fine,
                        "--paper", paper], capture_output=True, text=True)
    print(p.stdout + p.stderr)
    got = open(fine).read().splitlines() if p.returncode == 0 else []
    want = ["workload,load,protocol,seed,bucket,size_low,size_high,count,mean,median,p99,"
            "unfinished,wall_s"]
    for seed in ("1", "2"):
        want += [f"w1,0.8,mtp,{seed},0,0,4,100,1.58,1.5,2,0,0",
                 f"w1,0.8,mtp,{seed},1,5,8,100,1.6,1.5,4,0,0",
                 f"w1,0.8,mtp,{seed},2,9,100,100,2,2,2,0,0"]
    check(got == want, f"rebucket.py: the paper's buckets, byte for byte: {got}")
    # --min-count 150: 0-4 and 5-8 merge (200 messages); 9-100 (100) is a
    # remainder and joins them: 300 values, 196 at 1.5, 101 at 2.0, then
    # 4.0, 9.0, 9.0, so the median is 1.5, the 99th percentile (rank 297)
    # 2.0 and the mean 518 / 300.
    merged = os.path.join(work, "merged-fine.csv")
    p = subprocess.run([sys.executable, os.path.join(HERE, "rebucket.py"), points, "-o", merged,
                        "--paper", paper, "--min-count", "150"], capture_output=True, text=True)
    got = open(merged).read().splitlines()[1:] if p.returncode == 0 else []
    check(got == [f"w1,0.8,mtp,{seed},0,0,100,300,1.72667,1.5,2,0,0" for seed in "12"],
          f"rebucket.py --min-count 150 merges adjacent buckets, the remainder too: {got}")
    coarse = results(os.path.join(work, "coarse.csv"), [(0, 0, 8, 5.0, 5.0),
                                                        (1, 9, 100, 2.0, 2.0)])
    p = run(work, coarse, paper=paper)
    check(p.returncode == 1, f"pooled 5.0 against 3.5: outside (got {p.returncode})")
    p = run(work, coarse, "--fine", fine, paper=paper)
    row = table_row(p.stdout, "0-8")
    check(p.returncode == 0 and row[3:9] == ["5.00", "3.50", "±", "0.00", "3.50", "1.00"],
          f"--fine: pooled 5.00, on the paper's buckets 3.50 ± 0.00, ratio 1.00: {row}")
    empty = os.path.join(work, "no-points")
    os.makedirs(empty, exist_ok=True)
    p = subprocess.run([sys.executable, os.path.join(HERE, "rebucket.py"), empty, "-o",
                        os.path.join(work, "none.csv"), "--paper", paper],
                       capture_output=True, text=True)
    check(p.returncode == 2 and "no mtp run" in p.stderr, f"no runs: exit 2 ({p.stderr})")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", help="scratch directory (default: a temporary one)")
    args = ap.parse_args()
    if args.workdir:
        shutil.rmtree(args.workdir, ignore_errors=True)
        os.makedirs(args.workdir)
    work = args.workdir or tempfile.mkdtemp(prefix="mtp-test-homa-comparison-")
    paper = os.path.join(work, "paper.csv")
    with open(paper, "w") as f:
        f.write(PAPER)

    # 1. Within tolerance: bucket 0-8 at 3.85 = 1.1 x 3.5 (seeds 3.75 and
    # 3.95: +- 12.7062 x 0.1 = 1.27), bucket 9-100 at 2.5 = 1.25 x 2.0 (2.4
    # and 2.6, +- 1.27 too).
    good = results(os.path.join(work, "good.csv"), [(1, 9, 100, 2.4, 2.6),
                                                    (0, 0, 8, 3.75, 3.95)])
    p = run(work, good, paper=paper)
    check(p.returncode == 0, f"within tolerance: exit 0 (got {p.returncode})")
    row = table_row(p.stdout, "0-8")
    check(row[:8] == ["0-8", "2", "4000", "3.85", "±", "1.27", "3.50", "1.10"],
          f"smallest bucket: 2 seeds, 4000 messages, 3.85 ± 1.27, paper 3.50, ratio 1.10: {row}")
    check(row[-2:] == ["±15%", "ok"], f"smallest bucket judged at ±15%: {row}")
    row = table_row(p.stdout, "9-100")
    check(row[3:8] == ["2.50", "±", "1.27", "2.00", "1.25"] and row[-2:] == ["±30%", "ok"],
          f"other bucket: 2.50 ± 1.27 against 2.00, ratio 1.25, ±30%: {row}")
    check("2 of 2 buckets within tolerance" in p.stdout, "summary line")
    with open(os.path.join(work, "out", "comparison.csv")) as f:
        comp = {r["size_low"]: r for r in csv.DictReader(f)}
    check(comp.get("0", {}).get("paper_p99") == "3.5" and comp["0"]["ok"] == "1" and
          comp["0"]["p99_ci95"] == "1.27062", f"comparison.csv: {comp.get('0')}")

    # 2. Outside: the smallest bucket 20% above (4.2 = 1.2 x 3.5).
    small = results(os.path.join(work, "small.csv"), [(0, 0, 8, 4.1, 4.3),
                                                      (1, 9, 100, 2.4, 2.6)])
    p = run(work, small, paper=paper)
    check(p.returncode == 1, f"smallest bucket 20% above: exit 1 (got {p.returncode})")
    check(table_row(p.stdout, "0-8")[-1:] == ["OUTSIDE"] and
          "outside: w1 0-8 bytes: ratio 1.20 (limit ±15%)" in p.stdout,
          "the smallest bucket is named as outside")
    p = run(work, small, "--small-tolerance", "0.25", paper=paper)
    check(p.returncode == 0, f"--small-tolerance 0.25 lets it pass (got {p.returncode})")
    low = results(os.path.join(work, "low.csv"), [(0, 0, 8, 3.5, 3.5), (1, 9, 100, 1.3, 1.3)])
    p = run(work, low, paper=paper)
    check(p.returncode == 1 and "outside: w1 9-100 bytes: ratio 0.65 (limit ±30%)" in p.stdout,
          f"another bucket 35% below: exit 1 (got {p.returncode})")
    p = run(work, low, "--tolerance", "0.4", paper=paper)
    check(p.returncode == 0, f"--tolerance 0.4 lets it pass (got {p.returncode})")

    # 3. The smallest bucket is found by size; a bucket without paper sizes.
    order = results(os.path.join(work, "order.csv"), [(5, 101, 200, 9.0, 9.0),
                                                      (1, 9, 100, 2.0, 2.0),
                                                      (0, 0, 8, 3.5, 3.5)])
    p = run(work, order, paper=paper)
    check(p.returncode == 0 and table_row(p.stdout, "0-8")[-2:] == ["±15%", "ok"] and
          table_row(p.stdout, "9-100")[-2:] == ["±30%", "ok"],
          f"judged by size, not by file order (got {p.returncode})")
    check("no paper size in this bucket" in " ".join(table_row(p.stdout, "101-200")) and
          "1 without a paper value" in p.stdout, "a bucket without paper sizes is not judged")

    # 4. The paper's own table format.
    table = os.path.join(work, "paper.txt")
    with open(table, "w") as f:
        f.write(PAPER_TABLE)
    p = run(work, good, paper=table)
    check(p.returncode == 0 and table_row(p.stdout, "0-8")[6:8] == ["3.50", "1.10"],
          f"the results-table format gives the same paper value (got {p.returncode})")

    # 5. The shipped data: W1 0-8 bytes at 80% is 1.8495 (weighted over sizes 1-8).
    shipped = results(os.path.join(work, "shipped.csv"), [(0, 0, 8, 2.03, 2.03)])
    p = run(work, shipped)
    check(p.returncode == 0 and table_row(p.stdout, "0-8")[3:8] == ["2.03", "±", "0.00",
                                                                    "1.85", "1.10"],
          f"the default reference is data/homa-sigcomm18-slowdown.csv (got {p.returncode})")
    shipped_bad = results(os.path.join(work, "shipped-bad.csv"), [(0, 0, 8, 5.13, 5.13)])
    p = run(work, shipped_bad)
    check(p.returncode == 1, f"W1 at 5.13 (the doc's number) is outside (got {p.returncode})")

    # 6. Bad input.
    p = run(work, results(os.path.join(work, "dctcp.csv"), [(0, 0, 8, 3.5, 3.5)], "dctcp"),
            paper=paper)
    check(p.returncode == 2 and "no mtp bucket at load 0.8" in p.stderr,
          f"no MTP rows: exit 2 (got {p.returncode})")
    p = run(work, results(os.path.join(work, "w9.csv"), [(0, 0, 8, 3.5, 3.5)], workload="w9"),
            paper=paper)
    check(p.returncode == 2 and "w9" in p.stderr, f"a workload the paper lacks: exit 2 "
          f"(got {p.returncode})")
    p = run(work, good, "--seeds", "x", paper=paper)
    check(p.returncode == 2, f"--seeds x: exit 2 (got {p.returncode})")

    # 7. Unfinished measured messages fail the comparison (named per seed);
    # homa_compare.py --allow-unfinished only flags them.  Fewer than 1000
    # messages per seed in a bucket are flagged "few messages".
    stuck = results(os.path.join(work, "stuck.csv"), [(0, 0, 8, 3.5, 3.5)],
                    unfinished=(0, 3))
    p = run(work, stuck, paper=paper)
    check(p.returncode == 1 and "UNFINISHED: seed 2: 3 measured messages" in p.stdout and
          "unfinished: w1: 3 measured messages" in p.stdout,
          f"unfinished messages in seed 2: exit 1, named (got {p.returncode})")
    compare = [sys.executable, os.path.join(HERE, "homa_compare.py"), "--paper", paper]
    p = subprocess.run(compare + [stuck, "--allow-unfinished"], capture_output=True, text=True)
    print(p.stdout + p.stderr)
    check(p.returncode == 0 and "allowed by --allow-unfinished" in p.stdout,
          f"--allow-unfinished flags them only (got {p.returncode})")
    few = results(os.path.join(work, "few.csv"), [(0, 0, 8, 3.5, 3.5)], count=999)
    p = run(work, few, paper=paper)
    check(p.returncode == 0 and table_row(p.stdout, "0-8")[-3:] == ["ok", "(few", "messages)"],
          f"999 messages per seed: flagged as few, still judged (got {p.returncode})")
    p = run(work, results(os.path.join(work, "enough.csv"), [(0, 0, 8, 3.5, 3.5)],
                          count=1000), paper=paper)
    check(table_row(p.stdout, "0-8")[-1:] == ["ok"], "1000 messages per seed: not flagged")

    # 8. make-paper-data.py on its own.
    make = [sys.executable, os.path.join(HERE, "make-paper-data.py")]
    table = os.path.join(work, "merge.txt")
    with open(table, "w") as f:
        f.write(PAPER_TABLE.splitlines()[0] + "\n"
                "Homa 0.8 DCTCP 1442 2.5 0.1 9328 1.2 NA NA\n"
                "Homa 0.8 DCTCP 1442 2.5 0.1 9328 NA 1.1 NA\n"
                "Homa 0.8 DCTCP 1442 2.5 0.1 9328 NA NA 1.4\n"
                "Homa 0.8 DCTCP 1442 2.4 0.1 9328 1.0 NA NA\n"
                "Homa 0.8 OTHER 8 1.0 0.1 9328 NA NA 1.9\n"
                "Homa 0.8 DCTCP 2884 2.6 0.2 9328 NA NA 1.5\n")
    merged = os.path.join(work, "merged.csv")
    p = subprocess.run(make + [table, "-o", merged], capture_output=True, text=True)
    print(p.stdout + p.stderr)
    lines = [l for l in open(merged).read().splitlines() if not l.startswith("#")] \
        if p.returncode == 0 else []
    check(lines == ["transport,workload,load,bucket,size_high,count_pct,p50,p99,mean",
                    "Homa,w5,0.8,1,1442,2.5,1.1,1.4,1.2", "Homa,w5,0.8,2,2884,2.6,,1.5,"],
          f"make-paper-data merges a bucket's rows: {lines}")
    check("left out line 5" in p.stderr and
          "Left out, inconsistent" in open(merged).read() if p.returncode == 0 else False,
          "the inconsistent row is left out, with a warning and a note")
    check("Montazeri" in open(merged).read() if p.returncode == 0 else False,
          "the output cites the paper")
    with open(table, "a") as f:
        f.write("Homa 0.8 DCTCP 4326\n")
    p = subprocess.run(make + [table, "-o", merged], capture_output=True, text=True)
    check(p.returncode != 0 and "line 8" in p.stderr and "4 columns" in p.stderr,
          f"a short row stops it with its line number: {p.stderr.strip()}")

    # 9. The paper's buckets: rebucket.py and homa_compare.py --fine.
    fine_case(work, paper)

    if FAILURES:
        print(f"\n{len(FAILURES)} check(s) failed:\n  " + "\n  ".join(FAILURES))
        return 1
    print("\nall checks passed")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
