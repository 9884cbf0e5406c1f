#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# homa-comparison: the Homa SIGCOMM'18 comparison in one command.  W1-W5 at
# 80% load on the 144-host leaf-spine, MTP and DCTCP, several seeds, then the
# 99th-percentile slowdown per message size (one panel per workload, with 95%
# confidence intervals and the paper's numbers) and a table, per workload and
# size bucket, of MTP against the paper with the ratio, judged against a
# tolerance.
#
#   scripts/homa-comparison.sh [-o DIR] [-j JOBS] [--seeds N] [--quick]
#       [--reference FILE] [--small-tolerance X] [--tolerance X]
#       [--dctcp-small] [--cutoffs default|auto|LIST] [--one-way ack|response]
#       [--results FILE] [--mtp-only]
#
#   -o DIR              results directory (default: homa-comparison-out); an
#                       interrupted run resumes there (scripts/sweep.py skips
#                       finished points, one per workload, load and seed)
#   -j JOBS             parallel simulations (default: nproc)
#   --seeds N           seeds per point, 1..N (default 3); a later run with a
#                       larger N reuses the seeds already done
#   --quick             a small fabric (2 racks of 4 hosts, 2 spines) and short
#                       runs, MTP at 80% only: a minute or so, for a first look
#                       (its numbers are not the 144-host figure's)
#   --reference FILE    the paper's numbers (default: data/homa-sigcomm18-
#                       slowdown.csv, shipped with this module); the paper's
#                       own results table format is accepted too
#   --small-tolerance X allowed |MTP / paper - 1| of each workload's smallest
#                       bucket (default 0.15)
#   --tolerance X       allowed |MTP / paper - 1| of every other bucket
#                       (default 0.30)
#   --mtp-only          no DCTCP runs (the figure then has MTP and the
#                       paper only; DCTCP is not judged)
#   --dctcp-small       also run DCTCP on W1 and W2 (off by default: one ns-3
#                       TCP connection per message makes those runs take hours)
#   --results FILE      no simulation: judge this results.csv (of sweep.py or
#                       of an earlier run) and print the table
#   --cutoffs C         MTP's unscheduled cutoffs, passed to mtp-datacenter
#                       --cutoffs: default (MtpL4Protocol's), auto (each
#                       workload's own, as the Homa paper allocates them; see
#                       doc/datacenter.rst) or a list; use a fresh -o, since
#                       finished points are not run again
#   --one-way MODE      how MTP answers the workload's one-way messages,
#                       passed to mtp-datacenter --oneWay: ack (default: no
#                       response, the receiver acks, as the paper's simulator
#                       has no responses) or response (an empty 78-byte
#                       response per message, MTP's and Linux Homa's default;
#                       then W1 at 62% and W2 at 70% run as well, see below).
#                       The mode is kept in DIR/one-way; a directory holding
#                       runs of the other mode is refused (use a fresh -o)
#
# Simulated time per workload: small-message workloads offer many more
# messages per millisecond, so W1 runs 0.4 ms and W5 10 ms (each about
# 10^5 measured messages or more for W1-W3, a few thousand for W4-W5); see
# WORKLOAD_ARGS below.  The drains (0.5 ms for W1, 3-20 ms for the others,
# whose messages reach 1 MB) are long enough that every measured message
# completes; homa_compare.py fails a workload that left any unfinished.  With --one-way response, besides the 80% points, MTP
# also runs W1 at 62% and W2 at 70% offered load: an empty response (78 bytes
# on the wire) per one-way message adds 29% (W1) and 15% (W2) to the bytes on
# every link, so those loads put 80% on the wire (doc/datacenter.rst).  With
# ack (the default) there are no responses and no such points.
#
# Output: DIR/results.csv (all points and seeds; protocol "mtp-wire0.8" for
# the extra points, plotted in the 80% panels), DIR/p99.png,
# DIR/p99-table.rst and DIR/comparison.csv (the printed table: per bucket
# seeds, messages, MTP's p99 and its 95% interval, the paper's p99, ratio,
# tolerance, verdict; see scripts/homa_compare.py).
#
# Exit status: 0 when every simulation finished and every bucket with a
# paper value is within its tolerance; 1 when a bucket is outside it, a
# run left measured messages unfinished at the end of its drain (their
# slowdown is unknown; homa_compare.py names the workload and seed), or a
# simulation or the plot failed; 2 for bad arguments or input.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT=homa-comparison-out
JOBS="$(nproc 2>/dev/null || echo 2)"
REFERENCE="$ROOT/data/homa-sigcomm18-slowdown.csv"
SEEDS=3
QUICK=0
SMALL_TOL=0.15
TOL=0.30
DCTCP_SMALL=0
MTP_ONLY=0
RESULTS=""
CUTOFFS=""
ONE_WAY=ack
need() { [ $# -ge 2 ] || { echo "homa-comparison: $1 needs a value" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
    case "$1" in
        -o) need "$@"; OUT="$2"; shift 2 ;;
        -j) need "$@"; JOBS="$2"; shift 2 ;;
        --seeds) need "$@"; SEEDS="$2"; shift 2 ;;
        --quick) QUICK=1; shift ;;
        --reference) need "$@"; REFERENCE="$2"; shift 2 ;;
        --small-tolerance) need "$@"; SMALL_TOL="$2"; shift 2 ;;
        --tolerance) need "$@"; TOL="$2"; shift 2 ;;
        --dctcp-small) DCTCP_SMALL=1; shift ;;
        --mtp-only) MTP_ONLY=1; shift ;;
        --results) need "$@"; RESULTS="$2"; shift 2 ;;
        --cutoffs) need "$@"; CUTOFFS="$2"; shift 2 ;;
        --one-way) need "$@"; ONE_WAY="$2"; shift 2 ;;
        -h|--help) sed -n '3,73p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "homa-comparison: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$SEEDS" =~ ^[1-9][0-9]*$ ]] || { echo "homa-comparison: --seeds wants a count, not $SEEDS" >&2; exit 2; }
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || { echo "homa-comparison: -j wants a count, not $JOBS" >&2; exit 2; }
[[ -z "$CUTOFFS" || "$CUTOFFS" =~ ^(default|auto|[0-9]+(,[0-9]+)*)$ ]] ||
    { echo "homa-comparison: --cutoffs wants default, auto or a list of lengths, not $CUTOFFS" >&2; exit 2; }
if [ ! -r "$REFERENCE" ]; then
    echo "homa-comparison: cannot read the reference file $REFERENCE" >&2
    exit 2
fi
[[ "$ONE_WAY" =~ ^(ack|response)$ ]] ||
    { echo "homa-comparison: --one-way wants ack or response, not $ONE_WAY" >&2; exit 2; }
mkdir -p "$OUT"
# The paper's own table format is turned into the shipped CSV's format.
if [ "$(grep -v '^#' "$REFERENCE" | grep -m 1 -v '^[[:space:]]*$' | awk '{print $1}')" = TransportType ]; then
    python3 "$ROOT/scripts/make-paper-data.py" "$REFERENCE" -o "$OUT/reference.csv" || exit 2
    REFERENCE="$OUT/reference.csv"
fi
COMPARE=(python3 "$ROOT/scripts/homa_compare.py" --paper "$REFERENCE" --load 0.8
         --protocol mtp --small-tolerance "$SMALL_TOL" --tolerance "$TOL")

if [ -n "$RESULTS" ]; then
    status=0
    "${COMPARE[@]}" "$RESULTS" --ci-out "$OUT/comparison.csv" || status=$?
    exit "$status"
fi

# Finished points are not run again, so one directory holds one mode.  Runs
# made before --one-way existed (no DIR/one-way) were response runs.
if [ -f "$OUT/one-way" ]; then
    DONE_MODE="$(cat "$OUT/one-way")"
elif [ -d "$OUT/mtp" ]; then
    DONE_MODE=response
else
    DONE_MODE="$ONE_WAY"
fi
if [ "$DONE_MODE" != "$ONE_WAY" ]; then
    echo "homa-comparison: $OUT holds --one-way $DONE_MODE runs; use a fresh -o for $ONE_WAY" >&2
    exit 2
fi
echo "$ONE_WAY" >"$OUT/one-way"

BINARY="${MTP_BUILD_DIR:-$ROOT/build}/bin/mtp-datacenter"
if [ ! -x "$BINARY" ]; then
    "$ROOT/ns3" build mtp-datacenter
fi
[ -x "$BINARY" ] || { echo "homa-comparison: $BINARY was not built" >&2; exit 1; }

if [ "$QUICK" = 1 ]; then
    FABRIC="--racks=2 --hostsPerRack=4 --spines=2"
    WORKLOAD_ARGS="w1=--simTime=0.3ms --warmup=0.05ms --drain=0.5ms;\
w2=--simTime=0.6ms --warmup=0.1ms --drain=2ms;\
w3=--simTime=1ms --warmup=0.2ms --drain=5ms;\
w4=--simTime=10ms --warmup=1ms --drain=20ms;\
w5=--simTime=30ms --warmup=1ms --drain=30ms"
else
    FABRIC=""
    WORKLOAD_ARGS="w1=--simTime=0.4ms --warmup=0.1ms --drain=0.5ms;\
w2=--simTime=0.8ms --warmup=0.2ms --drain=3ms;\
w3=--simTime=1.5ms --warmup=0.3ms --drain=5ms;\
w4=--simTime=8ms --warmup=1ms --drain=20ms;\
w5=--simTime=10ms --warmup=1ms --drain=20ms"
fi
if [ -n "$CUTOFFS" ]; then
    FABRIC+=" --cutoffs=$CUTOFFS"
fi
FABRIC+=" --oneWay=$ONE_WAY"
FABRIC="${FABRIC# }"
SWEEP=(python3 "$ROOT/scripts/sweep.py" --binary "$BINARY" --seeds "$SEEDS" -j "$JOBS"
       --progress 60 "--args=$FABRIC")
status=0
run() { # <subdir> <workloads> <loads> <protocol>
    local ws="" w
    for w in ${2//,/ }; do
        ws+="$(printf '%s\n' "${WORKLOAD_ARGS//;/$'\n'}" | grep "^$w=");"
    done
    "${SWEEP[@]}" --out "$OUT/$1" --workloads "$2" --loads "$3" --protocols "$4" \
        --workload-args "$ws" || status=1
}
run mtp w1,w2,w3,w4,w5 0.8 mtp
if [ "$QUICK" = 0 ]; then
    if [ "$ONE_WAY" = response ]; then
        run mtp-wire-w1 w1 0.62 mtp
        run mtp-wire-w2 w2 0.7 mtp
    fi
    if [ "$MTP_ONLY" = 1 ]; then
        :
    elif [ "$DCTCP_SMALL" = 1 ]; then
        run dctcp w1,w2,w3,w4,w5 0.8 dctcp
    else
        run dctcp w3,w4,w5 0.8 dctcp
    fi
fi

# One results.csv: the extra MTP points go into the 80% panels under their
# own name.
{
    head -n 1 "$OUT/mtp/results.csv"
    for d in mtp dctcp; do
        [ -f "$OUT/$d/results.csv" ] && tail -n +2 "$OUT/$d/results.csv"
    done
    for d in mtp-wire-w1 mtp-wire-w2; do
        [ -f "$OUT/$d/results.csv" ] && tail -n +2 "$OUT/$d/results.csv" |
            awk -F, -v OFS=, '{ $2 = "0.8"; $3 = "mtp-wire0.8"; print }'
    done
    true
} >"$OUT/results.csv"
python3 "$ROOT/scripts/plot.py" "$OUT/results.csv" -o "$OUT/p99.png" \
    --table "$OUT/p99-table.rst" --reference "$REFERENCE" || status=1
compare_status=0
"${COMPARE[@]}" "$OUT/results.csv" --ci-out "$OUT/comparison.csv" || compare_status=$?
echo "homa-comparison: $OUT/results.csv, $OUT/p99.png, $OUT/p99-table.rst, $OUT/comparison.csv"
[ "$compare_status" = 2 ] && exit 2
[ "$status" = 0 ] && [ "$compare_status" = 0 ] && exit 0
exit 1
