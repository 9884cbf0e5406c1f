#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# monitor-benchmark: what a passive monitor costs (a benchmark that prints
# figures, not a test).
#
# One fixed scenario (mtp-monitor-benchmark's default: W4 at 50% load on a
# 2-rack x 8-host leaf-spine with 2 spines, 40 ms of messages, 20 ms drain),
# run with each monitor set-up on the ToR of rack 0, each run in its own
# process:
#   none    no monitor (no trace sink connected: no monitor code runs at all)
#   idle    a STREAM monitor installed, no callbacks
#   stream  a STREAM monitor with a callback on every built-in event
#   peek    as stream, plus a 64 KB buffer per side consumed at every NEW_DATA
# The modes run round-robin REPEAT times (default 3); the minimum CPU and
# wall seconds of each are kept (the least disturbed run on a shared machine).
#
#   benchmarks/monitor-benchmark.sh [build dir] [extra mtp-monitor-benchmark args]
#   e.g. REPEAT=5 benchmarks/monitor-benchmark.sh build --protocol=tcp
#
# Prints per mode: simulator events, CPU and wall seconds of Simulator::Run,
# CPU relative to "none", events the monitor delivered, and whether every
# message record (MtpMessageRecorder CSV) is byte-identical to the "none"
# run's.  Exits 1 if a record differs (a monitor must change no result).
# The figures in doc/monitor.rst ("Cost") were measured with this script.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
[ $# -gt 0 ] && shift
EXE="$BUILD/bin/mtp-monitor-benchmark"
[ -x "$EXE" ] || { echo "monitor-benchmark: $EXE not built (./ns3 build mtp-monitor-benchmark)" >&2; exit 1; }
REPEAT="${REPEAT:-3}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

MODES=(none idle stream peek)
declare -A cpu wall events delivered same
for mode in "${MODES[@]}"; do
    cpu[$mode]=""
    wall[$mode]=""
    same[$mode]=identical
done
for ((r = 1; r <= REPEAT; ++r)); do
    for mode in "${MODES[@]}"; do
        line="$("$EXE" --mode="$mode" --records="$OUT/$mode.$r.csv" "$@")"
        # line: mode M protocol P events E cpu_s C wall_s W monitor_events N flows F ...
        read -r _ _ _ _ _ e _ c _ w _ n _ <<<"$line"
        if [ -n "${events[$mode]:-}" ] && [ "${events[$mode]}" != "$e" ]; then
            echo "monitor-benchmark: $mode gave $e events, earlier ${events[$mode]}" >&2
            same[$mode]=DIFFERENT
        fi
        events[$mode]=$e
        delivered[$mode]=$n
        cpu[$mode]="$(awk -v a="${cpu[$mode]}" -v b="$c" 'BEGIN { print (a == "" || b < a) ? b : a }')"
        wall[$mode]="$(awk -v a="${wall[$mode]}" -v b="$w" 'BEGIN { print (a == "" || b < a) ? b : a }')"
        if ! cmp -s "$OUT/none.1.csv" "$OUT/$mode.$r.csv"; then
            same[$mode]=DIFFERENT
        fi
    done
done

echo "monitor cost, $REPEAT run(s) per mode (min CPU/wall), args: ${*:-(defaults)}"
printf '%-7s %12s %9s %9s %11s %15s  %s\n' mode events cpu_s wall_s "cpu vs none" "monitor events" "message records vs none"
status=0
for mode in "${MODES[@]}"; do
    awk -v m="$mode" -v e="${events[$mode]}" -v c="${cpu[$mode]}" -v w="${wall[$mode]}" \
        -v base="${cpu[none]}" -v n="${delivered[$mode]}" -v s="${same[$mode]}" \
        'BEGIN { printf "%-7s %12d %9.2f %9.2f %+10.1f%% %15d  %s\n", m, e, c, w, 100 * (c / base - 1), n, s }'
    [ "${same[$mode]}" = identical ] || status=1
done
exit $status
