#!/usr/bin/env bash
# mpirun as this project runs it: Debian's OpenMPI with the options a
# simulation on one machine needs.
#
# Usage: scripts/mpirun.sh <ranks> <program> [args...]
#
#   --oversubscribe        more ranks than cores is allowed (slower, still
#                          correct: each rank waits for the others)
#   --allow-run-as-root    only when run as root (OpenMPI refuses otherwise)
#   --bind-to none         ranks are not pinned to cores, which a shared or
#                          small machine does not want
#   --mca btl self,vader   shared memory between the ranks of one machine;
#                          vader's single-copy mode off, because containers
#                          often forbid the cross-memory attach it uses
# Exit status: the program's (any rank's failure fails the run).
set -euo pipefail

[ $# -ge 2 ] || { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
ranks="$1"
shift
case "$ranks" in
    ''|*[!0-9]*|0) echo "mpirun.sh: ranks must be a positive number, not '$ranks'" >&2; exit 2 ;;
esac
command -v mpirun >/dev/null 2>&1 \
    || { echo "mpirun.sh: mpirun not found (Debian: apt-get install openmpi-bin libopenmpi-dev)" >&2; exit 2; }
flags=(--oversubscribe --bind-to none --mca btl self,vader
       --mca btl_vader_single_copy_mechanism none)
[ "$(id -u)" -ne 0 ] || flags+=(--allow-run-as-root)
exec mpirun "${flags[@]}" -np "$ranks" "$@"
