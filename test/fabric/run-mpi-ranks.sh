#!/usr/bin/env bash
# One process against N MPI ranks: mtp-datacenter must write the same files
# and the same stdout (doc/datacenter.rst, "Several processes (MPI)").
#
# Usage: test/fabric/run-mpi-ranks.sh <mtp-datacenter built with MPI> [ranks]
#
# Runs two leaf-spines (4 and 9 racks) and a k=4 fat tree (flow-hash and
# random multipath), each once as one process and once on N ranks (default
# 2) through scripts/mpirun.sh, and compares (see CASES): mtp-messages.csv
# (every message: size, start, end, hosts, slowdown, status), summary.csv,
# mtp-unfinished.txt and the tables on stdout.  run.txt (each process's own
# time, events and memory) and stderr are not compared.  Exits 77 (skipped)
# without mpirun.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
[ $# -ge 1 ] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
BIN="$(readlink -f "$1")"
RANKS="${2:-2}"
[ -x "$BIN" ] || { echo "run-mpi-ranks: $1 is not a program" >&2; exit 2; }
command -v mpirun >/dev/null 2>&1 || { echo "SKIPPED: mpirun not installed"; exit 77; }

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

COMMON=(--workload=w4 --load=0.7 --simTime=0.6ms --warmup=0.1ms --drain=2ms
        --protocol=mtp --progress=0)
# Each case: "<check> <name> <arguments>".  check "exact": every file and
# stdout byte for byte.  check "messages": the same messages (id, size,
# start, hosts, unloaded time, status) byte for byte, completion times
# compared and the number that differ printed: on the fat tree with random
# multipath some completion times differ between one process and two ranks
# (doc/datacenter.rst, "Several processes (MPI)": what is known of why).
CASES=("exact leafspine --racks=4 --hostsPerRack=4 --spines=2"
       "exact leafspine-9 --racks=9 --hostsPerRack=2 --spines=4 --simTime=1ms"
       "exact fattree-flowhash --topology=fattree --k=4 --ecmp=flowhash --resolution=ps"
       "messages fattree --topology=fattree --k=4 --routes=shortest")
status=0
# same <a> <b> <label>: byte-identical files, or a failure with the diff.
same() {
    if cmp -s "$1" "$2"; then
        echo "   same $3"
    else
        echo "FAIL: $3 differs (first differences below)"
        diff "$1" "$2" | head -n 10 || true
        status=1
    fi
}
# columns <csv> <fields>: the given comma-separated fields of a CSV.
columns() { cut -d, -f"$2" "$1"; }
for c in "${CASES[@]}"; do
    read -r check name rest <<<"$c"
    read -r -a args <<<"$rest"
    echo "== $name ($check): one process, then $RANKS ranks"
    one="$OUT/$name-1"
    many="$OUT/$name-$RANKS"
    "$BIN" "${args[@]}" "${COMMON[@]}" --out="$one" >"$one.stdout"
    "$REPO/scripts/mpirun.sh" "$RANKS" "$BIN" "${args[@]}" "${COMMON[@]}" \
        --out="$many" >"$many.stdout"
    n="$(($(wc -l <"$one/mtp-messages.csv") - 1))"
    [ "$n" -ge 100 ] || { echo "FAIL: $name: only $n messages recorded"; status=1; }
    if [ "$check" = exact ]; then
        for f in mtp-messages.csv summary.csv mtp-unfinished.txt; do
            same "$one/$f" "$many/$f" "$name: $f"
        done
        same "$one.stdout" "$many.stdout" "$name: stdout ($n messages)"
    else
        columns "$one/mtp-messages.csv" 1,2,3,5,6,7,9 >"$one.messages"
        columns "$many/mtp-messages.csv" 1,2,3,5,6,7,9 >"$many.messages"
        same "$one.messages" "$many.messages" "$name: messages, starts, hosts, statuses"
        differ="$(paste -d' ' <(columns "$one/mtp-messages.csv" 4) \
            <(columns "$many/mtp-messages.csv" 4) | awk '$1 != $2' | wc -l)"
        echo "   $differ of $n completion times differ"
    fi
done
[ "$status" -eq 0 ] && echo "run-mpi-ranks: $RANKS ranks wrote what one process wrote"
exit "$status"
