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
#       [--delays paper|model] [--lengths paper|1mb] [--results FILE [--fine FILE]]
#       [--mtp-only] [--stacks homa[,phost][,unsched]]
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
#                       of an earlier run) and print the table; with
#                       --fine FILE (an earlier run's DIR/fine.csv) judged on
#                       the paper's buckets as a full run is, else on the
#                       pooled percentiles of FILE's buckets
#   --cutoffs C         MTP's unscheduled cutoffs, passed to mtp-datacenter
#                       --cutoffs: auto (default: each workload's own, as the
#                       Homa paper allocates them; see doc/homa-comparison.rst),
#                       default (MtpL4Protocol's) or a list; use a fresh -o,
#                       since finished points are not run again
#   --delays D          the fabric's fixed latencies: paper (default: those
#                       of the paper's simulator, 875 ns host links and
#                       250 ns leaf-spine links, see doc/homa-comparison.rst) or
#                       model (mtp-datacenter's defaults, 250 ns everywhere);
#                       paper also makes switch ports hold 100,000 packets
#                       (the paper's simulated queues have no limit; the
#                       model's default is 1,000); use a fresh -o
#   --stacks LIST       MTP's transport stacks to run (model/stacks/): homa
#                       (default; the one judged) and also phost (pHost's
#                       receiver-driven design) or unsched; each extra stack
#                       runs as protocol mtp-NAME, is drawn in the figure and,
#                       for phost, printed against the paper's pHost numbers
#                       (not judged: the tolerance is Homa's)
#   --lengths L         message lengths: paper (default: each workload's own
#                       maximum, as in the paper: W2 3.5 MB, W3 15 MB, W4
#                       10 MB, W5 29.4 MB; MtpL4Protocol::MaxMessageLength is
#                       raised to match) or 1mb (capped at MTP's default
#                       1,000,000-byte maximum, Linux Homa's); --quick always
#                       caps at 1 MB; use a fresh -o
#   --one-way MODE      how MTP answers the workload's one-way messages,
#                       passed to mtp-datacenter --oneWay: ack (default: no
#                       response, the receiver acks, as the paper's simulator
#                       has no responses) or response (an empty 78-byte
#                       response per message, MTP's and Linux Homa's default;
#                       then W1 at 62% and W2 at 70% run as well, see below).
#
# The choices (--one-way, --cutoffs, --delays, --lengths, --quick) are kept
# in DIR/choices; a directory holding runs of other choices is refused (use
# a fresh -o), since finished points are not run again.
#
# Simulated time per workload: small-message workloads offer many more
# messages per millisecond, so W1 runs 0.4 ms and W5 60 ms (about 10^5
# measured messages or more for W1-W3, 2,300 per bucket and seed for W4,
# 300 for W5); see WORKLOAD_ARGS below.  The drains (0.5 ms for W1, up to
# 200 ms for W5's 29.4 MB messages) are long enough that every measured
# message completes; homa_compare.py fails a workload that left any
# unfinished.  With --one-way response, besides the 80% points, MTP
# also runs W1 at 62% and W2 at 70% offered load: an empty response (78 bytes
# on the wire) per one-way message adds 29% (W1) and 15% (W2) to the bytes on
# every link, so those loads put 80% on the wire (doc/homa-comparison.rst).  With
# ack (the default) there are no responses and no such points.
#
# Judgement on the paper's buckets: the paper gives a 99th percentile per
# narrow size bucket (W1: 83 of them) and a table bucket's paper value is
# their message-share-weighted mean.  MTP's value is the same estimator on
# MTP's messages (scripts/rebucket.py puts them into the paper's buckets,
# homa_compare.py --fine weighs them with the paper's shares), not the 99th
# percentile pooled over the wide bucket, which the longest messages in it
# set; the pooled value is printed beside it.
#
# Output: DIR/results.csv (all points and seeds, on mtp-datacenter's
# buckets; protocol "mtp-wire0.8" for the extra points, plotted in the 80%
# panels), DIR/fine.csv (the same runs on the paper's buckets), DIR/p99.png
# (the figure: fine.csv against the paper's curve), DIR/p99-buckets.png and
# DIR/p99-table.rst (results.csv), and DIR/comparison.csv (the printed
# table: per bucket seeds, messages, MTP's p99 and its 95% interval, the
# paper's p99, ratio, tolerance, verdict, the pooled p99; see
# scripts/homa_compare.py).
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
CUTOFFS=auto
ONE_WAY=ack
DELAYS=paper
LENGTHS=paper
STACKS=homa
FINE=""
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
        --delays) need "$@"; DELAYS="$2"; shift 2 ;;
        --lengths) need "$@"; LENGTHS="$2"; shift 2 ;;
        --stacks) need "$@"; STACKS="$2"; shift 2 ;;
        --fine) need "$@"; FINE="$2"; shift 2 ;;
        -h|--help) sed -n '3,110p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
[[ "$DELAYS" =~ ^(paper|model)$ ]] ||
    { echo "homa-comparison: --delays wants paper or model, not $DELAYS" >&2; exit 2; }
[[ "$LENGTHS" =~ ^(paper|1mb)$ ]] ||
    { echo "homa-comparison: --lengths wants paper or 1mb, not $LENGTHS" >&2; exit 2; }
[[ "$STACKS" =~ ^homa(,(phost|unsched))*$ ]] ||
    { echo "homa-comparison: --stacks wants homa then phost or unsched, not $STACKS" >&2; exit 2; }
EXTRA_STACKS="$(echo "${STACKS#homa}" | tr ',' ' ')"
EXTRA_DIRS=""
for st in $EXTRA_STACKS; do EXTRA_DIRS+=" mtp-$st"; done
[ "$QUICK" = 0 ] || LENGTHS=1mb
[ -z "$FINE" ] || [ -n "$RESULTS" ] ||
    { echo "homa-comparison: --fine goes with --results" >&2; exit 2; }
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
    "${COMPARE[@]}" "$RESULTS" ${FINE:+--fine "$FINE"} --ci-out "$OUT/comparison.csv" ||
        status=$?
    exit "$status"
fi

# Finished points are not run again, so one directory holds one set of
# choices (DIR/choices).  Runs made before that file existed hold
# DIR/one-way or, before --one-way existed, were response runs.
CHOICES="one-way $ONE_WAY, cutoffs $CUTOFFS, delays $DELAYS, lengths $LENGTHS"
[ "$QUICK" = 1 ] && CHOICES+=", quick"
if [ -f "$OUT/choices" ]; then
    DONE="$(cat "$OUT/choices")"
elif [ -f "$OUT/one-way" ]; then
    DONE="one-way $(cat "$OUT/one-way") (before DIR/choices)"
elif [ -d "$OUT/mtp" ]; then
    DONE="one-way response (before DIR/choices)"
else
    DONE="$CHOICES"
fi
if [ "$DONE" != "$CHOICES" ]; then
    echo "homa-comparison: $OUT holds runs of $DONE; use a fresh -o for $CHOICES" >&2
    exit 2
fi
echo "$CHOICES" >"$OUT/choices"

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
elif [ "$LENGTHS" = 1mb ]; then
    FABRIC=""
    WORKLOAD_ARGS="w1=--simTime=0.4ms --warmup=0.1ms --drain=0.5ms;\
w2=--simTime=0.8ms --warmup=0.2ms --drain=3ms;\
w3=--simTime=1.5ms --warmup=0.3ms --drain=5ms;\
w4=--simTime=8ms --warmup=1ms --drain=20ms;\
w5=--simTime=10ms --warmup=1ms --drain=20ms"
else
    # Each workload up to its own maximum (data/workloads/*.cdf); MTP's
    # maximum message is raised to match.
    FABRIC=""
    max() { echo "--maxMessage=$1 --ns3::MtpL4Protocol::MaxMessageLength=$1"; }
    WORKLOAD_ARGS="w1=--simTime=0.4ms --warmup=0.1ms --drain=0.5ms;\
w2=--simTime=0.8ms --warmup=0.2ms --drain=20ms $(max 3529904);\
w3=--simTime=1.5ms --warmup=0.3ms --drain=60ms $(max 15158197);\
w4=--simTime=24ms --warmup=1ms --drain=100ms $(max 10000000);\
w5=--simTime=60ms --warmup=1ms --drain=200ms $(max 29400000)"
fi
FABRIC+=" --cutoffs=$CUTOFFS"
if [ "$DELAYS" = paper ]; then
    FABRIC+=" --hostDelay=875ns --uplinkDelay=250ns --queuePackets=100000"
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
for st in $EXTRA_STACKS; do
    run "mtp-$st" w1,w2,w3,w4,w5 0.8 "mtp-$st"
done
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
    for d in mtp dctcp $EXTRA_DIRS; do
        [ -f "$OUT/$d/results.csv" ] && tail -n +2 "$OUT/$d/results.csv"
    done
    for d in mtp-wire-w1 mtp-wire-w2; do
        [ -f "$OUT/$d/results.csv" ] && tail -n +2 "$OUT/$d/results.csv" |
            awk -F, -v OFS=, '{ $2 = "0.8"; $3 = "mtp-wire0.8"; print }'
    done
    true
} >"$OUT/results.csv"
# The same messages on the paper's buckets.
{
    for d in mtp dctcp $EXTRA_DIRS; do
        [ -d "$OUT/$d/points" ] || continue
        python3 "$ROOT/scripts/rebucket.py" "$OUT/$d/points" -o "$OUT/fine-$d.csv" \
            --paper "$REFERENCE" --protocol "$d" >/dev/null || status=1
    done
    head -n 1 "$OUT/fine-mtp.csv"
    for d in mtp dctcp $EXTRA_DIRS; do
        [ -f "$OUT/fine-$d.csv" ] && tail -n +2 "$OUT/fine-$d.csv"
    done
    true
} >"$OUT/fine.csv"
REF_TRANSPORTS=Homa
[[ " $EXTRA_STACKS " == *" phost "* ]] && REF_TRANSPORTS=Homa,pHost
python3 "$ROOT/scripts/plot.py" "$OUT/fine.csv" -o "$OUT/p99.png" \
    --reference "$REFERENCE" --ref-transports "$REF_TRANSPORTS" || status=1
python3 "$ROOT/scripts/plot.py" "$OUT/results.csv" -o "$OUT/p99-buckets.png" \
    --table "$OUT/p99-table.rst" --reference "$REFERENCE" || status=1
if [[ " $EXTRA_STACKS " == *" phost "* ]]; then
    echo "MTP's phost stack against the paper's pHost (shown, not judged):"
    python3 "$ROOT/scripts/homa_compare.py" --paper "$REFERENCE" --load 0.8 \
        --protocol mtp-phost --transport pHost "$OUT/results.csv" --fine "$OUT/fine.csv" \
        --ci-out "$OUT/comparison-phost.csv" || true
fi
compare_status=0
"${COMPARE[@]}" "$OUT/results.csv" --fine "$OUT/fine.csv" --ci-out "$OUT/comparison.csv" ||
    compare_status=$?
echo "homa-comparison: $OUT/results.csv, $OUT/fine.csv, $OUT/p99.png, $OUT/p99-buckets.png," \
    "$OUT/p99-table.rst, $OUT/comparison.csv"
[ "$compare_status" = 2 ] && exit 2
[ "$status" = 0 ] && [ "$compare_status" = 0 ] && exit 0
exit 1
