#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Compare a sweep's 99th-percentile slowdowns with the Homa paper's, per size bucket.

    scripts/homa_compare.py RESULTS [--paper data/homa-sigcomm18-slowdown.csv]
        [--load 0.8] [--protocol mtp] [--transport Homa]
        [--small-tolerance 0.15] [--tolerance 0.30] [--min-samples 1000]
        [--allow-unfinished] [--ci-out FILE]

RESULTS is a results.csv of scripts/sweep.py (one row per seed and bucket)
or its results-ci.csv.  For every workload of RESULTS at --load and every
size bucket of --protocol it prints the number of seeds and messages, the
mean over seeds of the bucket's 99th-percentile slowdown with the half-width
of its 95% confidence interval (Student's t over the seeds), the paper's
99th percentile for the same sizes, and their ratio (with the ratio's range
over the interval).

The paper's value for a bucket [low, high] is the mean of the paper's
99th percentiles over its size buckets whose upper bound lies in [low,
high], weighted by their share of the messages (count_pct); a bucket with
no paper size in it is printed and not judged.

Tolerance: the smallest bucket of each workload (lowest sizes) passes when
|ratio - 1| <= --small-tolerance, every other bucket when |ratio - 1| <=
--tolerance (the issue's 15% and 30%).  The judgement uses the mean over
seeds; the interval is printed so that a reader sees how firm it is.  A
bucket with fewer than --min-samples messages per seed (default 1000: with
fewer, the 99th percentile is one of the ten largest values of a seed and
moves with a single message) is judged too, and flagged "few messages".

Unfinished messages: a results.csv of sweep.py says, per run, how many
measured messages were still unfinished at the end of the drain; they have
no slowdown, so a tail could hide among them.  A workload with any is named
(per seed) and fails the comparison (exit 1) unless --allow-unfinished,
which only flags it.  A results-ci.csv does not carry the count; the table
says so.

Exit status: 0 when every judged bucket passes, 1 when one is outside its
tolerance or a workload has unfinished measured messages, 2 for bad input (no rows at --load, a workload the paper does
not have, an unreadable file).
"""
import argparse
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from slowdown_stats import aggregate, mean_ci95  # noqa: E402


def read_paper(path, transport, load):
    """workload -> [(size_high, count_pct, p99)] of `transport` at `load`."""
    out = {}
    with open(path) as f:
        rows = csv.DictReader(l for l in f if not l.startswith("#"))
        need = {"transport", "workload", "load", "size_high", "count_pct", "p99"}
        if not need <= set(rows.fieldnames or []):
            raise ValueError(f"{path}: needs the columns {', '.join(sorted(need))}")
        for r in rows:
            if r["transport"] != transport or float(r["load"]) != load or not r["p99"]:
                continue
            out.setdefault(r["workload"], []).append(
                (int(r["size_high"]), float(r["count_pct"]), float(r["p99"])))
    return out


def read_ours(path, load, protocol):
    """Aggregated bucket rows (slowdown_stats.aggregate) of `protocol` at `load`."""
    with open(path) as f:
        rows = list(csv.DictReader(f))
    if rows and "seeds" in rows[0]:
        agg = [{**r, "bucket": int(r["bucket"]), "size_low": int(r["size_low"]),
                "size_high": int(r["size_high"]), "p99": float(r["p99"]),
                "p99_ci95": float(r["p99_ci95"]) if r["p99_ci95"] else None}
               for r in rows]
    else:
        agg = aggregate(rows)
    return [r for r in agg if r["protocol"] == protocol and float(r["load"]) == load]


def read_unfinished(path, load, protocol):
    """workload -> {seed: unfinished measured messages} of a results.csv, or None.

    None when the file has no unfinished column (a results-ci.csv).  The
    count is per run, repeated on each of its bucket rows.
    """
    with open(path) as f:
        rows = list(csv.DictReader(f))
    if not rows or "unfinished" not in rows[0] or "seed" not in rows[0]:
        return None
    out = {}
    for r in rows:
        if r["protocol"] == protocol and float(r["load"]) == load:
            out.setdefault(r["workload"], {})[r["seed"]] = int(r["unfinished"] or 0)
    return out


def read_fine(path, load, protocol):
    """workload -> {seed: {(size_low, size_high): p99}} of a rebucket.py file."""
    out = {}
    with open(path) as f:
        rows = csv.DictReader(f)
        need = {"workload", "load", "protocol", "seed", "size_low", "size_high", "p99"}
        if not need <= set(rows.fieldnames or []):
            raise ValueError(f"{path}: needs the columns {', '.join(sorted(need))}")
        for r in rows:
            if r["protocol"] == protocol and float(r["load"]) == load:
                out.setdefault(r["workload"], {}).setdefault(r["seed"], {})[
                    (int(r["size_low"]), int(r["size_high"]))] = float(r["p99"])
    return out


def like_for_like(points, fine_seeds, low, high):
    """The paper's estimator applied to both sides, or None.

    `fine_seeds` holds each seed's 99th percentiles on the paper's buckets
    (rebucket.py; a row may span several adjacent paper buckets).  A row
    belongs to [low, high] when its upper bound does, as a paper size does;
    only rows every seed has count.  A row weighs the paper's message share
    of the sizes it spans; each seed's value is the weighted mean of its
    rows, and the paper's value the share-weighted mean of its own 99th
    percentiles over the same sizes.  Returns (paper value, mean over
    seeds, 95% half-width or None, seeds).
    """
    spans = set.intersection(*(set(seed) for seed in fine_seeds.values())) \
        if fine_seeds else set()
    spans = sorted(sp for sp in spans if low <= sp[1] <= high)
    weights, ref_sum = {}, 0.0
    for sp in spans:
        inside = [(w, v) for (s, w, v) in points if sp[0] <= s <= sp[1]]
        weights[sp] = sum(w for w, _ in inside)
        ref_sum += sum(w * v for w, v in inside)
    total = sum(weights.values())
    if total <= 0:
        return None
    values = [sum(weights[sp] * seed[sp] for sp in spans) / total
              for _, seed in sorted(fine_seeds.items())]
    mean, ci = mean_ci95(values)
    return ref_sum / total, mean, ci, len(values)


def paper_value(points, low, high):
    """Message-share-weighted mean p99 of the paper's sizes in [low, high], or None."""
    inside = [(w, v) for (s, w, v) in points if low <= s <= high]
    if not inside:
        return None
    total = sum(w for w, _ in inside)
    if total <= 0:
        return sum(v for _, v in inside) / len(inside)
    return sum(w * v for w, v in inside) / total


def compare(ours, paper, small_tol, tol, min_samples=0, fine=None):
    """Rows of the comparison: one per bucket, with the verdict; in print order.

    Without `fine` a bucket's value is its pooled 99th percentile; with it
    (read_fine), the paper's estimator on both sides (like_for_like), and
    the pooled value is kept as "pooled".
    """
    out = []
    for w in sorted({r["workload"] for r in ours}):
        if w not in paper:
            raise ValueError(f"the paper has no {w!r} at this load and transport")
        buckets = sorted((r for r in ours if r["workload"] == w), key=lambda r: r["size_low"])
        for i, r in enumerate(buckets):
            r = {**r, "pooled": None, "why": "no paper size in this bucket"}
            ref = paper_value(paper[w], r["size_low"], r["size_high"])
            if fine is not None:
                lfl = like_for_like(paper[w], fine.get(w, {}), r["size_low"], r["size_high"])
                if ref is not None:
                    r["why"] = "no merged paper bucket ends here (rebucket.py --min-count)"
                r["pooled"], ref = r["p99"], None
                if lfl is not None:
                    ref, r["p99"], r["p99_ci95"], r["seeds"] = lfl
            limit = small_tol if i == 0 else tol
            row = {**r, "paper": ref, "limit": limit, "ratio": None, "ok": None,
                   "few": r["samples"] < min_samples * r["seeds"]}
            if ref is not None:
                row["ratio"] = r["p99"] / ref
                row["ok"] = abs(row["ratio"] - 1) <= limit + 1e-12
            out.append(row)
    return out


def fmt_row(r, pooled=False):
    ci = r["p99_ci95"]
    ours = f"{r['p99']:.2f}" + (f" ± {ci:.2f}" if ci is not None else "")
    if pooled:
        ours = (f"{r['pooled']:.2f}" if r.get("pooled") is not None else "-", ours)
    else:
        ours = (ours,)
    if r["paper"] is None:
        return (f"{r['size_low']}-{r['size_high']}", str(r["seeds"]), str(r["samples"]), *ours,
                "-", "-", "-", r.get("why", "no paper size in this bucket"))
    span = ""
    if ci is not None:
        span = f" ({(r['p99'] - ci) / r['paper']:.2f} to {(r['p99'] + ci) / r['paper']:.2f})"
    return (f"{r['size_low']}-{r['size_high']}", str(r["seeds"]), str(r["samples"]), *ours,
            f"{r['paper']:.2f}", f"{r['ratio']:.2f}{span}", f"±{r['limit'] * 100:g}%",
            ("ok" if r["ok"] else "OUTSIDE") + (" (few messages)" if r["few"] else ""))


def unfinished_note(unfinished, w):
    """The workload's line about unfinished messages ('' when there are none)."""
    if unfinished is None:
        return "  (unfinished messages: not in this file; check sweep.py's results.csv)"
    seeds = {s: n for s, n in sorted(unfinished.get(w, {}).items()) if n > 0}
    if not seeds:
        return ""
    return ("  UNFINISHED: " + ", ".join(f"seed {s}: {n}" for s, n in seeds.items())
            + " measured messages had not completed at the end of the drain")


def print_table(rows, protocol, transport, load, unfinished=None):
    pooled = any("pooled" in r and r["pooled"] is not None for r in rows)
    ours = (("pooled p99", f"{protocol} p99 ± 95% CI, paper's buckets") if pooled
            else (f"{protocol} p99 ± 95% CI",))
    head = ("size (bytes)", "seeds", "messages", *ours,
            f"{transport} p99 (paper)", "ratio (CI)", "tolerance", "verdict")
    for w in sorted({r["workload"] for r in rows}):
        cells = [head] + [fmt_row(r, pooled) for r in rows if r["workload"] == w]
        width = [max(len(c[i]) for c in cells) for i in range(len(head))]
        print(f"\n{w}, load {load:g}: {protocol} against the paper's {transport}")
        for c in cells:
            print("  " + "  ".join(x.ljust(n) for x, n in zip(c, width)).rstrip())
        note = unfinished_note(unfinished, w)
        if note:
            print(note)


def write_ci(path, rows):
    fields = ["workload", "load", "protocol", "bucket", "size_low", "size_high", "seeds",
              "samples", "p99", "p99_ci95", "paper_p99", "ratio", "tolerance", "ok",
              "pooled_p99"]
    with open(path, "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(fields)
        for r in rows:
            num = lambda v: "" if v is None else f"{v:.6g}"
            wr.writerow([r["workload"], r["load"], r["protocol"], r["bucket"], r["size_low"],
                         r["size_high"], r["seeds"], r["samples"], num(r["p99"]),
                         num(r["p99_ci95"]), num(r["paper"]), num(r["ratio"]),
                         f"{r['limit']:g}", "" if r["ok"] is None else int(r["ok"]),
                         num(r.get("pooled"))])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", help="results.csv or results-ci.csv of scripts/sweep.py")
    ap.add_argument("--paper", default=os.path.join(os.path.dirname(HERE), "data",
                                                    "homa-sigcomm18-slowdown.csv"))
    ap.add_argument("--load", type=float, default=0.8)
    ap.add_argument("--protocol", default="mtp", help="the results' protocol to judge")
    ap.add_argument("--transport", default="Homa", help="the paper's transport to judge by")
    ap.add_argument("--small-tolerance", type=float, default=0.15,
                    help="allowed |ratio - 1| of each workload's smallest bucket")
    ap.add_argument("--tolerance", type=float, default=0.30,
                    help="allowed |ratio - 1| of every other bucket")
    ap.add_argument("--min-samples", type=int, default=1000,
                    help="messages per seed below which a bucket's p99 is flagged as few")
    ap.add_argument("--allow-unfinished", action="store_true",
                    help="flag, do not fail, workloads with unfinished measured messages")
    ap.add_argument("--ci-out", help="also write the comparison as CSV here")
    ap.add_argument("--fine", help="the same runs on the paper's buckets (rebucket.py): "
                    "judge with the paper's estimator on both sides")
    args = ap.parse_args()
    if args.small_tolerance < 0 or args.tolerance < 0:
        print("homa_compare: tolerances must not be negative", file=sys.stderr)
        return 2
    try:
        ours = read_ours(args.results, args.load, args.protocol)
        if not ours:
            raise ValueError(f"{args.results}: no {args.protocol} bucket at load {args.load:g}")
        paper = read_paper(args.paper, args.transport, args.load)
        fine = read_fine(args.fine, args.load, args.protocol) if args.fine else None
        rows = compare(ours, paper, args.small_tolerance, args.tolerance, args.min_samples,
                       fine)
        unfinished = read_unfinished(args.results, args.load, args.protocol)
    except (OSError, ValueError, KeyError) as e:
        print(f"homa_compare: {e}", file=sys.stderr)
        return 2
    print_table(rows, args.protocol, args.transport, args.load, unfinished)
    if args.ci_out:
        write_ci(args.ci_out, rows)
    judged = [r for r in rows if r["ok"] is not None]
    bad = [r for r in judged if not r["ok"]]
    print(f"\nhoma_compare: {len(judged) - len(bad)} of {len(judged)} buckets within tolerance "
          f"(smallest bucket ±{args.small_tolerance * 100:g}%, others ±{args.tolerance * 100:g}%)"
          + (f"; {len(rows) - len(judged)} without a paper value" if len(rows) > len(judged)
             else ""))
    for r in bad:
        print(f"  outside: {r['workload']} {r['size_low']}-{r['size_high']} bytes: ratio "
              f"{r['ratio']:.2f} (limit ±{r['limit'] * 100:g}%)")
    stuck = {w: sum(n.values()) for w, n in (unfinished or {}).items() if sum(n.values())}
    for w in sorted(stuck):
        print(f"  unfinished: {w}: {stuck[w]} measured messages over its seeds"
              + (" (allowed by --allow-unfinished)" if args.allow_unfinished else ""))
    return 1 if bad or (stuck and not args.allow_unfinished) else 0


if __name__ == "__main__":
    sys.exit(main())
