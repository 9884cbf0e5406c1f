#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Convert a message-length weights table into the mtp workload CDF format.

Input (as in HomaModule's util/dist.cc tables): one "length_bytes weight" pair
per line, '#' starts a comment. Weights need not sum to 1; each length is a
point mass of probability weight / sum(weights). Lengths may repeat (their
weights add up) and appear in any order.

Output (the format MtpMessageSizeDistribution reads, documented in
model/fabric/mtp-workload.h): one "size_bytes cumulative_probability" pair per line,
sizes strictly increasing, cumulative probability non-decreasing and exactly 1
on the last line, '#' comment lines first (name, source, mean).

    scripts/make-workload-cdf.py --name "W5 ..." --source "..." in.txt > w5.cdf

No weights are invented: the conversion is cumsum(weights) / sum(weights),
printed with 12 significant digits.
"""
import argparse
import sys
from collections import OrderedDict


def read_weights(path):
    weights = {}
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 2:
                sys.exit(f"{path}:{lineno}: expected 'length weight', got {line!r}")
            length, weight = int(parts[0]), float(parts[1])
            if length < 0 or weight < 0:
                sys.exit(f"{path}:{lineno}: negative length or weight")
            weights[length] = weights.get(length, 0.0) + weight
    if not weights:
        sys.exit(f"{path}: no data")
    return OrderedDict(sorted(weights.items()))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", help="weights table: 'length weight' per line")
    ap.add_argument("--name", default="", help="workload name for the header comment")
    ap.add_argument("--source", default="", help="where the numbers come from")
    args = ap.parse_args()

    weights = read_weights(args.input)
    total = sum(weights.values())
    mean = sum(l * w for l, w in weights.items()) / total
    out = sys.stdout
    if args.name:
        out.write(f"# {args.name}\n")
    if args.source:
        out.write(f"# Source: {args.source}\n")
    out.write("# Format: size_bytes cumulative_probability (point masses; see "
              "model/fabric/mtp-workload.h)\n")
    out.write(f"# {len(weights)} sizes, mean {mean:.1f} bytes (uncapped), "
              f"max {max(weights)} bytes\n")
    cum = 0.0
    items = list(weights.items())
    for idx, (length, w) in enumerate(items):
        cum += w
        p = 1.0 if idx == len(items) - 1 else min(cum / total, 1.0)
        out.write(f"{length} {p:.12g}\n")


if __name__ == "__main__":
    main()
