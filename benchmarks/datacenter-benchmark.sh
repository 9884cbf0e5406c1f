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
# (The options below may also come after the build dir or among the
# mtp-datacenter arguments.)
#
# Options:
#   --baseline DIR   before/after in one run: also run MTP with DIR's
#                    bin/mtp-datacenter (a build of another revision), the two
#                    alternating, then print the CPU ratio and whether the two
#                    produced byte-identical message records.  DCTCP is skipped
#                    (it does not change between MTP revisions).
#   --repeat N       run each program N times and keep its least CPU time
#                    (default 1; on a shared machine use 3 or more)
#   --loop-chains N  event chains (pending events) of the bare event loop
#                    (default 10000)
#   --ranks N        one process against N MPI ranks (ns-3's distributed
#                    simulator): MTP only, with the programs of the ns-3
#                    tree that `./ns3 mpi-build` built (no build dir), one
#                    process then `scripts/mpirun.sh N`, alternating; an
#                    N-rank line shows the slowest rank's wall time, CPU
#                    and events summed over the ranks and the largest
#                    rank's peak RSS; then the wall-time speed-up and
#                    whether the records are byte-identical (both runs at
#                    --resolution=ps unless the arguments say otherwise)
#
# e.g.  benchmarks/datacenter-benchmark.sh build --simTime=2ms
#       git worktree add /tmp/before <rev> && (cd /tmp/before && ./ns3 build mtp-datacenter)
#       benchmarks/datacenter-benchmark.sh --baseline /tmp/before/build --repeat 3
#       benchmarks/datacenter-benchmark.sh --baseline build build-opt --repeat 3 --simTime=2ms
#           (the default build against ./ns3 configure -d optimized's, in build-opt)
#       benchmarks/datacenter-benchmark.sh --ranks 2 --simTime=1ms --routes=shortest \
#           --topology=fattree --k=16      (1,024 hosts, 1 process and 2 ranks)
#
# Before the simulations it measures ns-3's bare event loop on this machine
# (bin/mtp-event-loop-benchmark of the build dir: --loop-chains
# self-rescheduling event chains with random delays up to 1 us, 20 M events,
# the scheduler of the runs, also --repeat times keeping the least CPU) and
# prints its line.
#
# Prints, per run: wall seconds, CPU seconds, events, events per second,
# simulated seconds per wall second, peak RSS, and "x.x% of the bare event
# loop's rate": the run's events per CPU second over the loop's (the rest of
# the time goes to the models, not to the scheduler); then the ratio asked
# for: MTP's speed relative to DCTCP's, or the baseline's CPU over this
# build's.
# The figures in doc/datacenter.rst were measured with this script.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASELINE=""
REPEAT=1
CHAINS=10000
RANKS=""
# Our options may come anywhere; the first word that is no option is the
# build dir; everything else goes to mtp-datacenter.
BUILD=""
EXTRA=()
while [ $# -gt 0 ]; do
    case "$1" in
        --baseline) BASELINE="${2:?--baseline needs a build directory}"; shift 2 ;;
        --baseline=*) BASELINE="${1#--baseline=}"; shift ;;
        --repeat) REPEAT="${2:?--repeat needs a count}"; shift 2 ;;
        --repeat=*) REPEAT="${1#--repeat=}"; shift ;;
        --loop-chains) CHAINS="${2:?--loop-chains needs a count}"; shift 2 ;;
        --loop-chains=*) CHAINS="${1#--loop-chains=}"; shift ;;
        --ranks) RANKS="${2:?--ranks needs a count}"; shift 2 ;;
        --ranks=*) RANKS="${1#--ranks=}"; shift ;;
        -*) EXTRA+=("$1"); shift ;;
        *)
            if [ -z "$BUILD" ] && [ ${#EXTRA[@]} -eq 0 ]; then
                BUILD="$1"
            else
                EXTRA+=("$1")
            fi
            shift ;;
    esac
done
set -- "${EXTRA[@]}"
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "datacenter-benchmark: --repeat must be a positive integer, not '$REPEAT'" >&2; exit 2; }
[[ "$CHAINS" =~ ^[1-9][0-9]*$ ]] || { echo "datacenter-benchmark: --loop-chains must be a positive integer, not '$CHAINS'" >&2; exit 2; }
BUILD="${BUILD:-$ROOT/build}"
EXE="$BUILD/bin/mtp-datacenter"
LOOP_EXE="$BUILD/bin/mtp-event-loop-benchmark"
if [ -n "$RANKS" ]; then
    [[ "$RANKS" =~ ^[1-9][0-9]*$ ]] || { echo "datacenter-benchmark: --ranks must be a positive integer, not '$RANKS'" >&2; exit 2; }
    [ -z "$BASELINE" ] || { echo "datacenter-benchmark: --ranks and --baseline do not go together" >&2; exit 2; }
    # The tree ./ns3 mpi-build built (scripts/check-in-tree.sh --mpi records it).
    TREE="$(cat "${MTP_NS3_SRC_CACHE:-${HOME:-/tmp}/.cache/ns3-mtp}/mpi-tree" 2>/dev/null || true)"
    [ -n "$TREE" ] || { echo "datacenter-benchmark: --ranks needs an ns-3 tree built with MPI: ./ns3 mpi-build" >&2; exit 1; }
    in_tree() { find "$TREE/build/contrib/mtp/examples" -maxdepth 1 -type f -perm -u+x -name "ns3*-$1-*" | head -n 1; }
    EXE="$(in_tree mtp-datacenter)"
    LOOP_EXE="$(in_tree mtp-event-loop-benchmark)"
fi
[ -x "$EXE" ] || { echo "datacenter-benchmark: mtp-datacenter not built ($EXE: ./ns3 build mtp-datacenter, or ./ns3 mpi-build)" >&2; exit 1; }
[ -x "$LOOP_EXE" ] || { echo "datacenter-benchmark: mtp-event-loop-benchmark not built ($LOOP_EXE)" >&2; exit 1; }
# The loop uses the runs' scheduler (mtp-datacenter's default is mtp-heap).
SCHEDULER=mtp-heap
for a in "$@"; do
    case "$a" in --scheduler=*) SCHEDULER="${a#--scheduler=}" ;; esac
done
if [ -n "$BASELINE" ]; then
    BASE_EXE="$BASELINE/bin/mtp-datacenter"
    [ -x "$BASE_EXE" ] || { echo "datacenter-benchmark: baseline $BASE_EXE not built" >&2; exit 1; }
fi
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# run <label> <exe> <protocol> [args]: one run; leaves $OUT/<label>/run.txt
# and the message records, and keeps the least CPU time in best[<label>].
declare -A best line rate wallof
run() {
    local label=$1 exe=$2 proto=$3
    shift 3
    local unfinished=()
    # Builds older than --allowUnfinished ended unfinished runs with status 0.
    # (The help is read whole first: `| grep -q` may close the pipe while the
    # program still writes, and with pipefail its SIGPIPE would read as "no".)
    local help
    help=$("$exe" --PrintHelp 2>/dev/null || true)
    if grep -q allowUnfinished <<<"$help"; then
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
        rate[$label]=$(awk -v e="$events" -v c="$c" 'BEGIN { printf "%.6g", e / (c > 0 ? c : 1e-9) }')
        line[$label]=$(awk -v p="$label" -v w="$wall" -v c="$c" -v e="$events" -v r="$eps" -v m="$rss" -v s="$sim" \
            'BEGIN { printf "%-9s sim %.3f s  wall %.1f s  cpu %.1f s  events %d  events/s %.0f  sim-s/wall-s %.2e  peak RSS %d MB", p, s, w, c, e, r, s / w, m }')
        wallof[$label]=$wall
    fi
}

# run_ranks <label> <ranks> [args]: one MTP run on that many MPI ranks; each
# rank's stderr line is "rank R mtp: wall W s, cpu C s, E events (...), peak
# RSS M MB".  Keeps the least summed CPU time in best[<label>].
run_ranks() {
    local label=$1 n=$2
    shift 2
    rm -rf "$OUT/$label"
    "$ROOT/scripts/mpirun.sh" "$n" "$EXE" --workload=w5 --load=0.8 --simTime=10ms --warmup=1ms \
        --drain=0ms --allowUnfinished --protocol=mtp --progress=0 --out="$OUT/$label" "$@" \
        >"$OUT/$label.stdout" 2>"$OUT/$label.stderr" ||
        { echo "datacenter-benchmark: $n ranks of $EXE failed:" >&2; cat "$OUT/$label.stderr" >&2; exit 1; }
    local wall c events rss sim
    read -r wall c events rss < <(awk '/^rank [0-9]+ mtp: wall / {
            w = $5 + 0; if (w > wall) wall = w; cpu += $8; ev += $10
            r = $(NF - 1) + 0; if (r > rss) rss = r }
        END { printf "%s %s %d %d\n", wall, cpu, ev, rss }' "$OUT/$label.stderr")
    read -r _ _ _ _ _ _ _ _ _ _ _ _ sim _ <"$OUT/$label/run.txt"
    if [ -z "${best[$label]:-}" ] || awk -v a="$c" -v b="${best[$label]}" 'BEGIN { exit !(a < b) }'; then
        best[$label]=$c
        rate[$label]=$(awk -v e="$events" -v c="$c" 'BEGIN { printf "%.6g", e / (c > 0 ? c : 1e-9) }')
        line[$label]=$(awk -v p="$label" -v w="$wall" -v c="$c" -v e="$events" -v m="$rss" -v s="$sim" \
            'BEGIN { printf "%-9s sim %.3f s  wall %.1f s  cpu %.1f s  events %d  events/s %.0f  sim-s/wall-s %.2e  peak RSS %d MB", p, s, w, c, e, e / w, s / w, m }')
        wallof[$label]=$wall
    fi
}

# same_records <label> <label>: whether two runs wrote the same message records.
same_records() {
    if cmp -s "$OUT/$1/mtp-messages.csv" "$OUT/$2/mtp-messages.csv"; then
        echo "byte-identical message records"
    else
        echo "message records DIFFER"
    fi
}

# loop_run: one run of the bare event loop; keeps the least CPU time.
loop_run() {
    local out
    out=$("$LOOP_EXE" --chains="$CHAINS" --scheduler="$SCHEDULER") ||
        { echo "datacenter-benchmark: $LOOP_EXE failed" >&2; exit 1; }
    # event-loop wall_s W cpu_s C events E events_per_s R peak_rss_mb M sim_s S
    #     events_per_cpu_s Q chains N scheduler X
    local c events epc
    read -r _ _ _ _ c _ events _ _ _ _ _ _ _ epc _ <<<"$out"
    if [ -z "${best[loop]:-}" ] || awk -v a="$c" -v b="${best[loop]}" 'BEGIN { exit !(a < b) }'; then
        best[loop]=$c
        rate[loop]=$epc
        line[loop]=$(awk -v c="$c" -v e="$events" -v q="$epc" -v n="$CHAINS" -v s="$SCHEDULER" \
            'BEGIN { printf "%-9s cpu %.2f s  events %d  events/CPU-s %.0f   (bare ns-3 event loop: %d pending events, %s scheduler)", "loop", c, e, q, n, s }')
    fi
}

# with_loop_ratio <label>: the label's line and its share of the loop's rate.
with_loop_ratio() {
    awk -v l="${line[$1]}" -v r="${rate[$1]}" -v q="${rate[loop]}" \
        'BEGIN { printf "%s  %.1f%% of the bare event loop'"'"'s rate\n", l, 100 * r / q }'
}

for ((i = 0; i < REPEAT; i++)); do
    loop_run
done
echo "${line[loop]}"

if [ -n "$RANKS" ]; then
    # One process (the same MPI-built program, not under mpirun), then N
    # ranks, at picosecond resolution (an argument --resolution=ns after
    # this one wins): at ns-3's nanoseconds, same-instant events make the
    # records of N ranks differ from one process's (doc/datacenter.rst).
    set -- --resolution=ps "$@"
    for ((i = 0; i < REPEAT; i++)); do
        run "1-proc" "$EXE" mtp "$@"
        run_ranks "$RANKS-ranks" "$RANKS" "$@"
    done
    echo "$(with_loop_ratio 1-proc)   ($EXE)"
    echo "$(with_loop_ratio "$RANKS-ranks")"
    same="$(same_records 1-proc "$RANKS-ranks")"
    awk -v a="${wallof[$RANKS-ranks]}" -v b="${wallof[1-proc]}" -v n="$RANKS" -v s="$same" \
        'BEGIN { printf "%d ranks: %.2fx the wall-clock speed of one process; %s\n", n, b / a, s }'
    exit 0
fi

if [ -z "$BASELINE" ]; then
    for ((i = 0; i < REPEAT; i++)); do
        run mtp "$EXE" mtp "$@"
        run dctcp "$EXE" dctcp "$@"
    done
    with_loop_ratio mtp
    with_loop_ratio dctcp
    awk -v a="${best[mtp]}" -v b="${best[dctcp]}" \
        'BEGIN { printf "MTP simulates %.2fx as fast as DCTCP per CPU second\n", b / a }'
    exit 0
fi

# Before/after: alternate, so a change in the machine's load hits both.
for ((i = 0; i < REPEAT; i++)); do
    run before "$BASE_EXE" mtp "$@"
    run after "$EXE" mtp "$@"
done
echo "$(with_loop_ratio before)   ($BASE_EXE)"
echo "$(with_loop_ratio after)   ($EXE)"
same="$(same_records before after)"
awk -v a="${best[after]}" -v b="${best[before]}" -v n="$REPEAT" -v s="$same" \
    'BEGIN { printf "after/before: %.3f of the CPU time (%.2fx the speed), least of %d runs each; %s\n", a / b, b / a, n, s }'
