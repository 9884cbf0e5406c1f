#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Draw per-RPC timelines (grants vs data) as a monitor saw them at a switch.

Input: the CSV that `mtp-monitor --timeline=FILE` writes, one line per DATA,
GRANT and RESEND packet of a tracked RPC (time_ns, client, client_port,
server, server_port, rpc_id, type, sender, offset, length).

For each chosen RPC (the --top largest requests by default, or --rpc
CLIENT:PORT#ID) one panel shows, against time in microseconds, the end
offset of every request DATA packet (dots; retransmitted offsets, i.e.
offsets seen before, as red crosses), the granted offset of every GRANT the
server sent (a step line) and every RESEND (a vertical mark). Writes a PNG.

Example:
    build/bin/mtp-monitor --timeline=timeline.csv
    /usr/bin/python3 scripts/plot-monitor-timeline.py timeline.csv --out timeline.png
"""
import argparse
import collections
import csv
import sys


def load(path):
    """Return {rpc name: [rows]} from the timeline CSV."""
    rpcs = collections.defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            name = "%s:%s#%s->%s:%s" % (row["client"], row["client_port"], row["rpc_id"],
                                         row["server"], row["server_port"])
            row["t_us"] = int(row["time_ns"]) / 1000.0
            row["offset"] = int(row["offset"])
            row["length"] = int(row["length"])
            rpcs[name].append(row)
    return rpcs


def request_bytes(rows):
    """The highest request byte a DATA packet of the RPC reached."""
    ends = [r["offset"] + r["length"] for r in rows
            if r["type"] == "DATA" and r["sender"] == "client"]
    return max(ends) if ends else 0


def choose(rpcs, wanted, top):
    """The RPC names to draw: those named, or the `top` largest requests."""
    if wanted:
        missing = [w for w in wanted if not any(n.startswith(w) for n in rpcs)]
        if missing:
            sys.exit("no such RPC in the timeline: " + ", ".join(missing))
        return [n for n in rpcs if any(n.startswith(w) for w in wanted)]
    return sorted(rpcs, key=lambda n: request_bytes(rpcs[n]), reverse=True)[:top]


def draw(ax, name, rows):
    """One RPC's panel."""
    seen = set()
    data_t, data_end, rex_t, rex_end, grant_t, grant_off = [], [], [], [], [], []
    for r in rows:
        if r["type"] == "DATA" and r["sender"] == "client":
            end = r["offset"] + r["length"]
            (rex_t if r["offset"] in seen else data_t).append(r["t_us"])
            (rex_end if r["offset"] in seen else data_end).append(end)
            seen.add(r["offset"])
        elif r["type"] == "GRANT" and r["sender"] == "server":
            grant_t.append(r["t_us"])
            grant_off.append(r["offset"])
        elif r["type"] == "RESEND" and r["sender"] == "server":
            ax.axvline(r["t_us"], color="orange", linewidth=0.8)
    ax.plot(data_t, data_end, ".", markersize=3, label="request DATA (end offset)")
    if rex_t:
        ax.plot(rex_t, rex_end, "rx", label="retransmitted DATA")
    if grant_t:
        ax.step(grant_t, grant_off, where="post", color="green", label="GRANT offset")
    ax.set_title(name, fontsize=8)
    ax.set_ylabel("bytes")
    ax.legend(fontsize=6, loc="lower right")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("timeline", help="CSV written by mtp-monitor --timeline")
    ap.add_argument("--out", default="monitor-timeline.png", help="PNG to write")
    ap.add_argument("--rpc", action="append", default=[],
                    help="CLIENT:PORT#ID prefix of an RPC to draw (repeatable)")
    ap.add_argument("--top", type=int, default=4, help="largest requests to draw")
    args = ap.parse_args()
    rpcs = load(args.timeline)
    if not rpcs:
        sys.exit("the timeline holds no RPC")
    names = choose(rpcs, args.rpc, args.top)
    try:
        import matplotlib
    except ImportError:
        print("matplotlib is missing (Debian: python3-matplotlib; run with /usr/bin/python3)",
              file=sys.stderr)
        return 1
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(len(names), 1, figsize=(7, 2.4 * len(names)), squeeze=False)
    for ax, name in zip(axes[:, 0], names):
        draw(ax, name, rpcs[name])
    axes[-1, 0].set_xlabel("time at the switch (us)")
    fig.tight_layout()
    fig.savefig(args.out, dpi=120)
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
