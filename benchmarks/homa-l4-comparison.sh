#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# homa-l4-comparison: CPU time of MTP against HomaL4Protocol-ns-3 (the other
# ns-3 model of Homa, github.com/serhatarslan-hub/HomaL4Protocol-ns-3, an
# ns-3.33 tree) on the same experiment: the Homa paper's W5 (uncapped:
# messages up to 30 MB) at 80% load on the 144-host leaf-spine (9 racks x 16
# hosts, 4 spines, 10/40 Gbps), messages generated for 10 ms, one-way (no
# responses, as that simulator has none), every message run to completion.
# A benchmark that prints figures, not a test.
#
#   benchmarks/homa-l4-comparison.sh --homa-l4 DIR [--repeat N] [build dir]
#
#   --homa-l4 DIR  a HomaL4Protocol-ns-3 tree built optimized (below)
#   --repeat N     run each N times, alternating, keep the least CPU (default 1)
#   build dir      where bin/mtp-datacenter is (default: build; for the
#                  optimized one, "$(benchmarks/optimized-tree.sh | tail -1)")
#
# Building HomaL4Protocol-ns-3 optimized (as measured in doc/datacenter.rst),
# in its tree, with g++ 12 and Python 3.11:
#
#   ./waf configure -d optimized --disable-examples --disable-tests \
#       --disable-python --disable-werror \
#       --enable-modules=core,network,internet,point-to-point,applications,traffic-control
#   ./waf build
#
# after two source fixes: `#include <limits>` in src/core/helper/csv-reader.cc
# (g++ 12), and in HomaSendScheduler::TxDataPacket
# (src/internet/model/homa-l4-protocol.cc) the call inside
# `NS_ASSERT(this->GetNextPktOfMsg(nextTxMsgID, p))` moved out of the assert:
# an optimized build compiles NS_ASSERT out, the call with it, and crashes on
# the first data packet.
#
# What runs:
#   HomaL4Protocol-ns-3: build/scratch/HomaL4Protocol-paper-reproduction
#     --load=0.8 --duration=0.01 (its defaults otherwise: W5 from its
#     inputs/, random ECMP, retransmissions on; it runs until its event list
#     is empty, i.e. every message delivered), from DIR, which it writes
#     outputs/ under;
#   MTP: mtp-datacenter --workload=w5 --maxMessage=30000000
#     --ns3::MtpL4Protocol::MaxMessageLength=30000000 --oneWay=ack
#     --simTime=10ms --warmup=0ms --drain=60ms (every message finishes well
#     before 70 ms; the script fails if one does not).
# Prints, per simulator: CPU seconds (user + system, of the process and its
# children), peak RSS, messages started and finished; then HomaL4's CPU time
# over MTP's.  The two draw their messages from their own random streams,
# so the messages are alike in number and bytes, not the same ones.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOMA=""
REPEAT=1
BUILD=""
die() { echo "homa-l4-comparison: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
        --homa-l4) HOMA="${2:?--homa-l4 needs a directory}"; shift 2 ;;
        --homa-l4=*) HOMA="${1#--homa-l4=}"; shift ;;
        --repeat) REPEAT="${2:?--repeat needs a count}"; shift 2 ;;
        --repeat=*) REPEAT="${1#--repeat=}"; shift ;;
        -h|--help) sed -n '3,45p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "homa-l4-comparison: unknown option $1 (see --help)" >&2; exit 2 ;;
        *) [ -z "$BUILD" ] || { echo "homa-l4-comparison: one build dir only" >&2; exit 2; }
           BUILD="$1"; shift ;;
    esac
done
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "homa-l4-comparison: --repeat wants a count, not '$REPEAT'" >&2; exit 2; }
[ -n "$HOMA" ] || { echo "homa-l4-comparison: --homa-l4 DIR is required (see --help)" >&2; exit 2; }
[ -d "$HOMA" ] || die "no directory $HOMA"
HOMA="$(cd "$HOMA" && pwd)"
HOMA_EXE="$HOMA/build/scratch/HomaL4Protocol-paper-reproduction"
[ -x "$HOMA_EXE" ] || die "$HOMA_EXE not built (see --help)"
EXE="${BUILD:-$ROOT/build}/bin/mtp-datacenter"
[ -x "$EXE" ] || die "$EXE not built"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# measure <dir> <command...>: runs it in <dir>; prints "CPU_S PEAK_RSS_MB",
# the children's user + system time and largest RSS (no /usr/bin/time needed).
measure() {
    local dir=$1
    shift
    (cd "$dir" && python3 - "$@" <<'EOF'
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if r.returncode != 0:
    sys.stderr.write(r.stderr.decode(errors="replace"))
    sys.exit("exit status %d: %s" % (r.returncode, " ".join(sys.argv[1:])))
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.2f %.0f" % (u.ru_utime + u.ru_stime, u.ru_maxrss / 1024))
EOF
    )
}

declare -A best rss msgs
keep() { # keep <label> <cpu> <rss> <messages>
    if [ -z "${best[$1]:-}" ] || awk -v a="$2" -v b="${best[$1]}" 'BEGIN { exit !(a < b) }'; then
        best[$1]=$2
        rss[$1]=$3
        msgs[$1]=$4
    fi
}

run_homa() {
    local trace="$HOMA/outputs/homa-paper-reproduction/MsgTraces_W5_load-80p_0.tr" r started finished
    rm -f "$trace"
    r=$(LD_LIBRARY_PATH="$HOMA/build/lib" measure "$HOMA" "$HOMA_EXE" --load=0.8 --duration=0.01) ||
        die "HomaL4Protocol-ns-3 failed"
    [ -f "$trace" ] || die "HomaL4Protocol-ns-3 wrote no $trace"
    started=$(grep -c '^+' "$trace" || true)
    finished=$(grep -c '^-' "$trace" || true)
    keep homa ${r% *} ${r#* } "$started started, $finished finished"
}

run_mtp() {
    local r summary
    rm -rf "$OUT/mtp"
    r=$(measure "$OUT" "$EXE" --workload=w5 --load=0.8 --maxMessage=30000000 \
        --ns3::MtpL4Protocol::MaxMessageLength=30000000 --oneWay=ack --protocol=mtp \
        --simTime=10ms --warmup=0ms --drain=60ms --progress=0 --out="$OUT/mtp") ||
        die "mtp-datacenter failed (an unfinished message fails it)"
    summary=$(awk -F, 'NR > 1 { n++; if ($9 == "done") d++ } END { printf "%d started, %d finished", n, d }' \
        "$OUT/mtp/mtp-messages.csv")
    keep mtp ${r% *} ${r#* } "$summary"
}

for ((i = 1; i <= REPEAT; ++i)); do
    run_homa
    run_mtp
done
printf 'HomaL4Protocol-ns-3  cpu %6.1f s  peak RSS %4d MB  messages %s\n' "${best[homa]}" "${rss[homa]}" "${msgs[homa]}"
printf 'MTP                  cpu %6.1f s  peak RSS %4d MB  messages %s\n' "${best[mtp]}" "${rss[mtp]}" "${msgs[mtp]}"
awk -v h="${best[homa]}" -v m="${best[mtp]}" \
    -v r="$REPEAT" 'BEGIN { printf "HomaL4Protocol-ns-3 / MTP: %.2fx the CPU time (least of %d run(s) each)\n", h / m, r }'
