#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# datacenter-benchmark: how fast the simulator runs the Homa paper's
# experiment (a benchmark that prints figures, not a test).
#
# W5 at 80% load on the 144-host leaf-spine (9 racks x 16 hosts, 4 spines,
# 10/40 Gbps), messages generated for --simTime (default 10 ms) and no drain,
# so every protocol simulates the same span.  Each protocol runs in its own
# process (one core), so the peak memory printed is that protocol's alone.
#
#   benchmarks/datacenter-benchmark.sh [build dir] [extra mtp-datacenter args]
#   e.g. benchmarks/datacenter-benchmark.sh build --simTime=2ms
#
# Prints, per protocol: wall seconds, CPU seconds, events, events per second,
# simulated seconds per wall second, peak RSS; then MTP's speed relative to
# DCTCP's (simulated seconds per CPU second).  The figures in doc/datacenter.rst
# were measured with this script.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
[ $# -gt 0 ] && shift
EXE="$BUILD/bin/mtp-datacenter"
[ -x "$EXE" ] || { echo "datacenter-benchmark: $EXE not built (./ns3 build mtp-datacenter)" >&2; exit 1; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

declare -A cpu
for proto in mtp dctcp; do
    # No drain: messages in flight at the end are expected (--allowUnfinished).
    "$EXE" --workload=w5 --load=0.8 --simTime=10ms --warmup=1ms --drain=0ms --allowUnfinished \
        --protocol="$proto" --progress=0 --out="$OUT/$proto" "$@" >"$OUT/$proto.stdout"
    # run.txt: <proto> wall_s W cpu_s C events E events_per_s R peak_rss_mb M sim_s S
    read -r _ _ wall _ c _ events _ eps _ rss _ sim <"$OUT/$proto/run.txt"
    cpu[$proto]=$c
    awk -v p="$proto" -v w="$wall" -v c="$c" -v e="$events" -v r="$eps" -v m="$rss" -v s="$sim" \
        'BEGIN { printf "%-6s sim %.3f s  wall %.1f s  cpu %.1f s  events %d  events/s %.0f  sim-s/wall-s %.2e  peak RSS %d MB\n", p, s, w, c, e, r, s / w, m }'
done
awk -v a="${cpu[mtp]}" -v b="${cpu[dctcp]}" \
    'BEGIN { printf "MTP simulates %.2fx as fast as DCTCP per CPU second\n", b / a }'
