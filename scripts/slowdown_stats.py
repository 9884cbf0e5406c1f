# SPDX-License-Identifier: GPL-2.0-only
"""Statistics over seeds for scripts/sweep.py, plot.py and homa_compare.py.

Each seed of a sweep point is one independent simulation, so a per-bucket
statistic (the 99th-percentile slowdown, say) has one value per seed.  Its
95% confidence interval is Student's t interval over those values:

    mean +- t(0.975, n - 1) * s / sqrt(n)

with s the sample standard deviation (n - 1 in the denominator).  With one
seed there is no interval (None).  Standard library only.
"""
import math

# Two-sided 95% quantiles of Student's t distribution, t(0.975, df).
T95 = {1: 12.7062, 2: 4.3027, 3: 3.1824, 4: 2.7764, 5: 2.5706, 6: 2.4469, 7: 2.3646,
       8: 2.3060, 9: 2.2622, 10: 2.2281, 11: 2.2010, 12: 2.1788, 13: 2.1604, 14: 2.1448,
       15: 2.1314, 16: 2.1199, 17: 2.1098, 18: 2.1009, 19: 2.0930, 20: 2.0860, 21: 2.0796,
       22: 2.0739, 23: 2.0687, 24: 2.0639, 25: 2.0595, 26: 2.0555, 27: 2.0518, 28: 2.0484,
       29: 2.0452, 30: 2.0423, 40: 2.0211, 60: 2.0003, 120: 1.9799}
T95_LIMIT = 1.9600  # df -> infinity (the normal distribution)


def t95(df):
    """t(0.975, df); between tabled degrees of freedom, the next lower one (wider)."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, not {df}")
    if df > 120:
        return T95_LIMIT
    return T95[max(d for d in T95 if d <= df)]


def mean_ci95(values):
    """(mean, half-width of the 95% t interval or None for fewer than 2 values)."""
    if not values:
        raise ValueError("no values")
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, None
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, t95(n - 1) * math.sqrt(var / n)


STATS = ("p99", "median", "mean")


def aggregate(rows):
    """Per-seed bucket rows -> one row per (workload, load, protocol, bucket).

    rows: dicts with workload, load, protocol, seed, bucket, size_low,
    size_high, count and the STATS (numbers).  A seed whose bucket holds no
    completed message gives no value for it.  Result rows: the keys, size_low,
    size_high, seeds (seeds with a value), samples (messages over all seeds)
    and per statistic S: S (the mean over seeds) and S_ci95 (the half-width,
    None with one seed); rows with no value at all are left out.
    """
    groups = {}
    for r in rows:
        key = (r["workload"], r["load"], r["protocol"], int(r["bucket"]))
        g = groups.setdefault(key, {"size_low": int(r["size_low"]),
                                    "size_high": int(r["size_high"]), "samples": 0,
                                    "values": {s: [] for s in STATS}, "seeds": set()})
        if (int(r["size_low"]), int(r["size_high"])) != (g["size_low"], g["size_high"]):
            raise ValueError(f"bucket {key}: sizes {r['size_low']}-{r['size_high']} in seed "
                             f"{r['seed']}, {g['size_low']}-{g['size_high']} in another")
        if int(r["count"]) == 0:
            continue
        if r["seed"] in g["seeds"]:
            raise ValueError(f"bucket {key}: seed {r['seed']} twice")
        g["seeds"].add(r["seed"])
        g["samples"] += int(r["count"])
        for s in STATS:
            g["values"][s].append(float(r[s]))
    out = []
    for key in sorted(groups, key=lambda k: (k[0], float(k[1]), k[2], k[3])):
        g = groups[key]
        if not g["seeds"]:
            continue
        row = dict(zip(("workload", "load", "protocol", "bucket"), key))
        row.update(size_low=g["size_low"], size_high=g["size_high"], seeds=len(g["seeds"]),
                   samples=g["samples"])
        for s in STATS:
            row[s], row[s + "_ci95"] = mean_ci95(g["values"][s])
        out.append(row)
    return out
