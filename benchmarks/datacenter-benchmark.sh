#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# datacenter-benchmark: how fast the simulator runs the Homa paper's
# experiment (a benchmark that prints figures, not a test).
#
# W5 at 80% load on the 144-host leaf-spine (9 racks x 16 hosts, 4 spines,
# 10/40 Gbps), messages generated for --simTime (default 10 ms) and no drain,
# so every protocol simulates the same span.  Each run is its own process
# (one core), so the peak memory printed is that run's alone.
#
#   benchmarks/datacenter-benchmark.sh [options] [build dir] [extra mtp-datacenter args]
#
# Options:
#   --baseline DIR   before/after in one run: also run MTP with DIR's
#                    bin/mtp-datacenter (a build of another revision), the two
#                    alternating, then print the CPU ratio and whether the two
#                    produced byte-identical message records.  DCTCP is skipped
#                    (it does not change between MTP revisions).
#   --repeat N       run each program N times and keep its least CPU time
#                    (default 1; on a shared machine use 3 or more)
#
# e.g.  benchmarks/datacenter-benchmark.sh build --simTime=2ms
#       git worktree add /tmp/before <rev> && (cd /tmp/before && ./ns3 build mtp-datacenter)
#       benchmarks/datacenter-benchmark.sh --baseline /tmp/before/build --repeat 3
#
# Prints, per run: wall seconds, CPU seconds, events, events per second,
# simulated seconds per wall second, peak RSS; then the ratio asked for:
# MTP's speed relative to DCTCP's, or the baseline's CPU over this build's.
# The figures in doc/datacenter.rst were measured with this script.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASELINE=""
REPEAT=1
while [ $# -gt 0 ]; do
    case "$1" in
        --baseline) BASELINE="${2:?--baseline needs a build directory}"; shift 2 ;;
        --baseline=*) BASELINE="${1#--baseline=}"; shift ;;
        --repeat) REPEAT="${2:?--repeat needs a count}"; shift 2 ;;
        --repeat=*) REPEAT="${1#--repeat=}"; shift ;;
        *) break ;;
    esac
done
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "datacenter-benchmark: --repeat must be a positive integer, not '$REPEAT'" >&2; exit 2; }
BUILD="${1:-$ROOT/build}"
[ $# -gt 0 ] && shift
EXE="$BUILD/bin/mtp-datacenter"
[ -x "$EXE" ] || { echo "datacenter-benchmark: $EXE not built (./ns3 build mtp-datacenter)" >&2; exit 1; }
if [ -n "$BASELINE" ]; then
    BASE_EXE="$BASELINE/bin/mtp-datacenter"
    [ -x "$BASE_EXE" ] || { echo "datacenter-benchmark: baseline $BASE_EXE not built" >&2; exit 1; }
fi
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# run <label> <exe> <protocol> [args]: one run; leaves $OUT/<label>/run.txt
# and the message records, and keeps the least CPU time in best[<label>].
declare -A best line
run() {
    local label=$1 exe=$2 proto=$3
    shift 3
    local unfinished=()
    # Builds older than --allowUnfinished ended unfinished runs with status 0.
    # (Read the whole help first: grep -q would close the pipe early.)
    local help
    help=$("$exe" --PrintHelp 2>/dev/null || true)
    if [[ "$help" == *allowUnfinished* ]]; then
        unfinished=(--allowUnfinished)
    fi
    rm -rf "$OUT/$label"
    # No drain: messages in flight at the end are expected.
    "$exe" --workload=w5 --load=0.8 --simTime=10ms --warmup=1ms --drain=0ms "${unfinished[@]}" \
        --protocol="$proto" --progress=0 --out="$OUT/$label" "$@" >"$OUT/$label.stdout" 2>"$OUT/$label.stderr" ||
        { echo "datacenter-benchmark: $exe failed:" >&2; cat "$OUT/$label.stderr" >&2; exit 1; }
    # run.txt: <proto> wall_s W cpu_s C events E events_per_s R peak_rss_mb M sim_s S
    local wall c events eps rss sim
    read -r _ _ wall _ c _ events _ eps _ rss _ sim <"$OUT/$label/run.txt"
    if [ -z "${best[$label]:-}" ] || awk -v a="$c" -v b="${best[$label]}" 'BEGIN { exit !(a < b) }'; then
        best[$label]=$c
        line[$label]=$(awk -v p="$label" -v w="$wall" -v c="$c" -v e="$events" -v r="$eps" -v m="$rss" -v s="$sim" \
            'BEGIN { printf "%-9s sim %.3f s  wall %.1f s  cpu %.1f s  events %d  events/s %.0f  sim-s/wall-s %.2e  peak RSS %d MB", p, s, w, c, e, r, s / w, m }')
    fi
}

if [ -z "$BASELINE" ]; then
    for ((i = 0; i < REPEAT; i++)); do
        run mtp "$EXE" mtp "$@"
        run dctcp "$EXE" dctcp "$@"
    done
    echo "${line[mtp]}"
    echo "${line[dctcp]}"
    awk -v a="${best[mtp]}" -v b="${best[dctcp]}" \
        'BEGIN { printf "MTP simulates %.2fx as fast as DCTCP per CPU second\n", b / a }'
    exit 0
fi

# Before/after: alternate, so a change in the machine's load hits both.
for ((i = 0; i < REPEAT; i++)); do
    run before "$BASE_EXE" mtp "$@"
    run after "$EXE" mtp "$@"
done
echo "${line[before]}   ($BASE_EXE)"
echo "${line[after]}   ($EXE)"
if cmp -s "$OUT/before/mtp-messages.csv" "$OUT/after/mtp-messages.csv"; then
    same="byte-identical message records"
else
    same="message records DIFFER"
fi
awk -v a="${best[after]}" -v b="${best[before]}" -v n="$REPEAT" -v s="$same" \
    'BEGIN { printf "after/before: %.3f of the CPU time (%.2fx the speed), least of %d runs each; %s\n", a / b, b / a, n, s }'
