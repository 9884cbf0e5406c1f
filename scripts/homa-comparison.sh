#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# homa-comparison: the Homa SIGCOMM'18 comparison in one command.  W1-W5 at
# 80% load on the 144-host leaf-spine, MTP and DCTCP, then the 99th-percentile
# slowdown per message size, one panel per workload, optionally next to the
# paper's published numbers.
#
#   scripts/homa-comparison.sh [-o DIR] [-j JOBS] [--reference FILE] [--dctcp-small]
#
#   -o DIR              results directory (default: homa-comparison-out); an
#                       interrupted run resumes there (scripts/sweep.py skips
#                       finished points)
#   -j JOBS             parallel simulations (default: nproc)
#   --reference FILE    overlay a results table in the format of the Homa
#                       paper's simulation results (see scripts/plot.py)
#   --dctcp-small       also run DCTCP on W1 and W2 (off by default: one ns-3
#                       TCP connection per message makes those runs take hours)
#
# Simulated time per workload: small-message workloads offer many more
# messages per millisecond, so W1 runs 0.4 ms and W5 10 ms (each about
# 10^5 measured messages or more for W1-W3, a few thousand for W4-W5); see
# WORKLOAD_ARGS below.  Besides the 80% points, MTP also runs W1 at 62% and W2
# at 70% offered load: MTP answers every one-way message with an empty
# response (78 bytes on the wire), which adds 29% (W1) and 15% (W2) to the
# bytes on every link, so those loads put 80% on the wire (doc/datacenter.rst).
#
# Output: DIR/results.csv (all points; protocol "mtp-wire0.8" for the extra
# points, plotted in the 80% panels), DIR/p99.png and DIR/p99-table.rst.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT=homa-comparison-out
JOBS="$(nproc 2>/dev/null || echo 2)"
REFERENCE=""
DCTCP_SMALL=0
while [ $# -gt 0 ]; do
    case "$1" in
        -o) OUT="$2"; shift 2 ;;
        -j) JOBS="$2"; shift 2 ;;
        --reference) REFERENCE="$2"; shift 2 ;;
        --dctcp-small) DCTCP_SMALL=1; shift ;;
        -h|--help) sed -n '3,29p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "homa-comparison: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
BINARY="${MTP_BUILD_DIR:-$ROOT/build}/bin/mtp-datacenter"
if [ ! -x "$BINARY" ]; then
    "$ROOT/ns3" build mtp-datacenter
fi
[ -x "$BINARY" ] || { echo "homa-comparison: $BINARY was not built" >&2; exit 1; }
if [ -n "$REFERENCE" ] && [ ! -r "$REFERENCE" ]; then
    echo "homa-comparison: cannot read the reference file $REFERENCE" >&2
    exit 1
fi

WORKLOAD_ARGS="w1=--simTime=0.4ms --warmup=0.1ms --drain=0.5ms;\
w2=--simTime=0.8ms --warmup=0.2ms --drain=0.5ms;\
w3=--simTime=1.5ms --warmup=0.3ms --drain=1ms;\
w4=--simTime=8ms --warmup=1ms --drain=2ms;\
w5=--simTime=10ms --warmup=1ms --drain=2ms"
SWEEP=(/usr/bin/env python3 "$ROOT/scripts/sweep.py" --binary "$BINARY" --seeds 1 -j "$JOBS"
       --progress 60)
mkdir -p "$OUT"
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
run mtp-wire-w1 w1 0.62 mtp
run mtp-wire-w2 w2 0.7 mtp
if [ "$DCTCP_SMALL" = 1 ]; then
    run dctcp w1,w2,w3,w4,w5 0.8 dctcp
else
    run dctcp w3,w4,w5 0.8 dctcp
fi

# One results.csv: the extra MTP points go into the 80% panels under their
# own name.
{
    head -n 1 "$OUT/mtp/results.csv"
    for d in mtp dctcp; do
        tail -n +2 "$OUT/$d/results.csv"
    done
    for d in mtp-wire-w1 mtp-wire-w2; do
        tail -n +2 "$OUT/$d/results.csv" | awk -F, -v OFS=, '{ $2 = "0.8"; $3 = "mtp-wire0.8"; print }'
    done
} >"$OUT/results.csv"
PLOT=(/usr/bin/env python3 "$ROOT/scripts/plot.py" "$OUT/results.csv" -o "$OUT/p99.png"
      --table "$OUT/p99-table.rst")
[ -n "$REFERENCE" ] && PLOT+=(--reference "$REFERENCE")
"${PLOT[@]}" || status=1
echo "homa-comparison: $OUT/results.csv, $OUT/p99.png, $OUT/p99-table.rst"
exit "$status"
