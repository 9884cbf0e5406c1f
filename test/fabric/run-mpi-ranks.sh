#!/usr/bin/env bash
# One process against N MPI ranks: mtp-datacenter must write the same files
# and the same stdout (doc/datacenter.rst, "Several processes (MPI)").
#
# Usage: test/fabric/run-mpi-ranks.sh <mtp-datacenter built with MPI> [ranks]
#
# Runs a small leaf-spine (4 racks) and a k=4 fat tree, each once as one
# process and once on N ranks (default 2) through scripts/mpirun.sh, and
# compares byte for byte: mtp-messages.csv (every message: size, start,
# end, hosts, slowdown, status), summary.csv, mtp-unfinished.txt and the
# tables on stdout.  Only run.txt (each process's own time, events and
# memory) and stderr may differ.  Exits 77 (skipped) without mpirun.
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
CASES=("leafspine --racks=4 --hostsPerRack=4 --spines=2"
       "fattree --topology=fattree --k=4 --routes=shortest")
status=0
for c in "${CASES[@]}"; do
    name="${c%% *}"
    read -r -a args <<<"${c#* }"
    echo "== $name: one process, then $RANKS ranks"
    "$BIN" "${args[@]}" "${COMMON[@]}" --out="$OUT/$name-1" >"$OUT/$name-1.stdout"
    "$REPO/scripts/mpirun.sh" "$RANKS" "$BIN" "${args[@]}" "${COMMON[@]}" \
        --out="$OUT/$name-$RANKS" >"$OUT/$name-$RANKS.stdout"
    n="$(($(wc -l <"$OUT/$name-1/mtp-messages.csv") - 1))"
    [ "$n" -ge 100 ] || { echo "FAIL: $name: only $n messages recorded"; status=1; }
    for f in mtp-messages.csv summary.csv mtp-unfinished.txt; do
        if cmp -s "$OUT/$name-1/$f" "$OUT/$name-$RANKS/$f"; then
            echo "   same $f"
        else
            echo "FAIL: $name: $f differs (first differences below)"
            diff "$OUT/$name-1/$f" "$OUT/$name-$RANKS/$f" | head -n 10 || true
            status=1
        fi
    done
    if cmp -s "$OUT/$name-1.stdout" "$OUT/$name-$RANKS.stdout"; then
        echo "   same stdout ($n messages)"
    else
        echo "FAIL: $name: stdout differs"
        diff "$OUT/$name-1.stdout" "$OUT/$name-$RANKS.stdout" | head -n 10 || true
        status=1
    fi
done
[ "$status" -eq 0 ] && echo "run-mpi-ranks: $RANKS ranks wrote what one process wrote"
exit "$status"
