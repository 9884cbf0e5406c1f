#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Scaled-down Homa comparison as a regression check of MTP's slowdown model.

    scripts/slowdown_regression.py --binary build/bin/mtp-datacenter
        [--baseline test/fabric/slowdown-baseline.csv] [--workdir DIR]
        [--tolerance 0.10] [--update] [--extra-args "ARGS"]

Runs mtp-datacenter over MTP on a small leaf-spine (2 racks of 4 hosts, 2
spines; the 144-host figure of scripts/homa-comparison.sh scaled down) at 80%
load with one-way messages acked (--oneWay=ack), one short run per workload
of CASES, one seed, and compares each size bucket's median and 99th-
percentile slowdown with the checked-in baseline:

  - the bucket bounds and the number of measured messages must equal the
    baseline's exactly: the runs are deterministic, so a different count
    means the workload, the arrivals or the measurement changed (a model
    that finishes nothing, or measures the wrong messages, fails here);
  - the median and the p99 must lie within --tolerance (relative, default
    10%) of the baseline's: above it is a regression, below it an
    improvement too large to accept without looking (a model that measures
    wrongly can look faster); both fail;
  - every measured message must complete (the program exits 1 otherwise).

The baseline records the arguments of each case; when CASES or the
baseline's arguments differ, the check fails and asks for --update.

--extra-args adds arguments to every case (not to the recorded ones): to
see what a setting does to the baseline's numbers, e.g.
--extra-args=--ns3::MtpL4Protocol::UnschedBytes=1500 must fail.

--update runs the cases and rewrites the baseline instead of comparing.  Do
that only after a change that is meant to move the slowdowns (a protocol
change, a new default), after checking the full comparison
(scripts/homa-comparison.sh) did not get worse, and say so in the commit.

Exit status: 0 when every bucket matches, 1 on a mismatch or a failed run,
2 for bad arguments or an unreadable baseline.
"""
import argparse
import csv
import os
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BASELINE = os.path.join(os.path.dirname(HERE), "test", "fabric",
                                "slowdown-baseline.csv")

# The fabric and the settings common to every case: the quick fabric of
# scripts/homa-comparison.sh, MTP only, 80% load, one-way messages acked.
COMMON = ["--racks=2", "--hostsPerRack=4", "--spines=2", "--protocol=mtp", "--load=0.8",
          "--oneWay=ack", "--cutoffs=auto", "--seed=1", "--progress=0"]

# One run per workload: generation times chosen so that each bucket holds
# 560-16,700 messages (W1-W4) or 200-660 (W5), 120,085 in all, at about 27
# CPU seconds for the five runs; drains long enough that all complete.
CASES = [
    ("w1", ["--workload=w1", "--simTime=2ms", "--warmup=0.2ms", "--drain=1ms"]),
    ("w2", ["--workload=w2", "--simTime=3ms", "--warmup=0.3ms", "--drain=2ms"]),
    ("w3", ["--workload=w3", "--simTime=6ms", "--warmup=0.5ms", "--drain=5ms"]),
    ("w4", ["--workload=w4", "--simTime=50ms", "--warmup=2ms", "--drain=20ms"]),
    ("w5", ["--workload=w5", "--simTime=120ms", "--warmup=5ms", "--drain=30ms"]),
]

FIELDS = ["case", "bucket", "size_low", "size_high", "count", "median", "p99"]


def case_args(case):
    """The full argument list of a case (without --out)."""
    return COMMON + dict(CASES)[case]


def run_case(binary, workdir, case, extra):
    """Run one case; (rows of its summary.csv, None) or (None, error text)."""
    out = os.path.join(workdir, case)
    os.makedirs(out, exist_ok=True)
    cmd = [binary] + case_args(case) + extra + [f"--out={out}"]
    t0 = time.time()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.time() - t0
    with open(os.path.join(out, "stdout.txt"), "w") as f:
        f.write(proc.stdout)
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        return None, f"{' '.join(cmd)}: exit {proc.returncode}: {tail[0]}"
    rows = []
    with open(os.path.join(out, "summary.csv")) as f:
        for r in csv.DictReader(f):
            if r["protocol"] != "mtp":
                continue
            rows.append({"case": case, "bucket": int(r["bucket"]),
                         "size_low": int(r["size_low"]), "size_high": int(r["size_high"]),
                         "count": int(r["count"]), "median": float(r["median"]),
                         "p99": float(r["p99"])})
    if not rows:
        return None, f"{case}: summary.csv has no mtp bucket"
    print(f"slowdown_regression: {case}: {sum(r['count'] for r in rows)} messages in "
          f"{len(rows)} buckets, {wall:.1f} s", flush=True)
    return rows, None


def read_baseline(path):
    """(case -> recorded argument string, rows) of a baseline file."""
    args = {}
    rows = []
    with open(path) as f:
        lines = f.readlines()
    for line in lines:
        if line.startswith("# case "):
            name, _, text = line[len("# case "):].partition(":")
            args[name.strip()] = text.strip()
    reader = csv.DictReader(l for l in lines if not l.startswith("#"))
    if set(reader.fieldnames or []) != set(FIELDS):
        raise ValueError(f"{path}: wants the columns {','.join(FIELDS)}")
    for r in reader:
        rows.append({"case": r["case"], "bucket": int(r["bucket"]),
                     "size_low": int(r["size_low"]), "size_high": int(r["size_high"]),
                     "count": int(r["count"]), "median": float(r["median"]),
                     "p99": float(r["p99"])})
    return args, rows


def write_baseline(path, rows):
    with open(path, "w", newline="") as f:
        f.write("# Baseline of scripts/slowdown_regression.py (CTest slowdown-regression):\n"
                "# MTP's per-bucket slowdowns on a 2x4-host leaf-spine, seed 1.  Regenerate\n"
                "# with --update only after a change meant to move them (doc/testing.rst).\n")
        for case, _ in CASES:
            f.write(f"# case {case}: {' '.join(case_args(case))}\n")
        wr = csv.writer(f)
        wr.writerow(FIELDS)
        for r in rows:
            wr.writerow([r["case"], r["bucket"], r["size_low"], r["size_high"], r["count"],
                         f"{r['median']:.6g}", f"{r['p99']:.6g}"])


def compare_case(case, ours, base, tol):
    """Mismatch messages of one case's buckets against the baseline's."""
    errors = []
    if len(ours) != len(base):
        return [f"{case}: {len(ours)} buckets, the baseline has {len(base)}"]
    for o, b in zip(ours, base):
        where = f"{case} bucket {o['bucket']} ({o['size_low']}-{o['size_high']} bytes)"
        if (o["size_low"], o["size_high"]) != (b["size_low"], b["size_high"]):
            errors.append(f"{where}: the baseline's bucket is {b['size_low']}-{b['size_high']}")
            continue
        if o["count"] != b["count"]:
            errors.append(f"{where}: {o['count']} messages, the baseline has {b['count']}")
        for stat in ("median", "p99"):
            ratio = o[stat] / b[stat] if b[stat] > 0 else float("inf")
            if ratio > 1 + tol:
                errors.append(f"{where}: {stat} slowdown {o[stat]:.4g} is {ratio:.3f}x the "
                              f"baseline's {b[stat]:.4g} (regression, limit +{tol * 100:g}%)")
            elif ratio < 1 - tol:
                errors.append(f"{where}: {stat} slowdown {o[stat]:.4g} is {ratio:.3f}x the "
                              f"baseline's {b[stat]:.4g} (improvement beyond -{tol * 100:g}%: "
                              f"check the model and the measurement, then --update)")
    return errors


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", required=True, help="the mtp-datacenter program")
    ap.add_argument("--baseline", default=DEFAULT_BASELINE)
    ap.add_argument("--workdir", default="slowdown-regression-out",
                    help="where each case writes its output")
    ap.add_argument("--tolerance", type=float, default=0.10,
                    help="allowed relative deviation of median and p99 (default 0.10)")
    ap.add_argument("--update", action="store_true", help="rewrite the baseline")
    ap.add_argument("--extra-args", default="",
                    help="more mtp-datacenter arguments for every case (not with --update)")
    args = ap.parse_args()
    extra = shlex.split(args.extra_args)
    if extra and args.update:
        print("slowdown_regression: --extra-args and --update exclude each other",
              file=sys.stderr)
        return 2
    if not 0 <= args.tolerance < 1:
        print("slowdown_regression: --tolerance wants a fraction in [0, 1)", file=sys.stderr)
        return 2
    if not os.access(args.binary, os.X_OK):
        print(f"slowdown_regression: {args.binary} is not an executable", file=sys.stderr)
        return 2
    recorded, base_rows = {}, []
    if not args.update:
        try:
            recorded, base_rows = read_baseline(args.baseline)
        except (OSError, ValueError, KeyError) as e:
            print(f"slowdown_regression: {e}", file=sys.stderr)
            return 2
        stale = [c for c, _ in CASES if recorded.get(c) != " ".join(case_args(c))]
        if stale or set(recorded) != {c for c, _ in CASES}:
            print(f"slowdown_regression: {args.baseline} was made with other cases or "
                  f"arguments ({', '.join(stale) or 'case list'}); regenerate it with --update",
                  file=sys.stderr)
            return 1
    all_rows, errors = [], []
    for case, _ in CASES:
        rows, err = run_case(args.binary, args.workdir, case, extra)
        if err:
            errors.append(err)
            continue
        all_rows += rows
        if not args.update:
            base = [r for r in base_rows if r["case"] == case]
            errors += compare_case(case, rows, base, args.tolerance)
    if args.update:
        if errors:
            print("\n".join(errors), file=sys.stderr)
            print("slowdown_regression: baseline not written", file=sys.stderr)
            return 1
        write_baseline(args.baseline, all_rows)
        print(f"slowdown_regression: wrote {args.baseline} ({len(all_rows)} buckets)")
        return 0
    for e in errors:
        print(f"  {e}")
    print(f"slowdown_regression: {len(all_rows)} buckets, {len(errors)} mismatches "
          f"(median and p99 within ±{args.tolerance * 100:g}% of {args.baseline}, "
          f"message counts exact)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
