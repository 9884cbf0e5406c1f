#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Run every libFuzzer harness of fuzz/ for a bounded time (doc/testing.rst).
#
#   fuzz/run-fuzzers.sh BUILD_DIR SECONDS [extra libFuzzer flags...]
#
# BUILD_DIR was configured with --enable-sanitizers --enable-fuzz (CXX=clang++)
# and holds bin/mtp-fuzz-*.  For each harness:
#   - its working corpus is BUILD_DIR/fuzz/corpus/<harness>/, seeded from
#     fuzz/corpus/<harness>/ (the committed seeds are never written to);
#   - crash, timeout and leak inputs go to BUILD_DIR/fuzz/artifacts/<harness>/;
#   - the run stops after SECONDS (-max_total_time) or, whichever comes first,
#     after MTP_FUZZ_MAX_RUNS inputs (-runs; default: no limit);
#   - the log is BUILD_DIR/fuzz/<harness>.log; its last lines are printed.
# Exits non-zero if any harness failed (a crash, an ASan/UBSan report, a
# violated property, a timeout, a leak or out of memory).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 2 ] || { sed -n '3,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
BUILD="$(cd "$1" && pwd)"
SECONDS_EACH="$2"
shift 2

HARNESSES=(mtp-fuzz-header mtp-fuzz-receive)
# Per input: 10 s is far above what any input needs (a few ms); a slower
# one is a hang.  3 GB of RSS caps runaway memory use.
FLAGS=(-max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=3072 -print_final_stats=1)
[ -z "${MTP_FUZZ_MAX_RUNS:-}" ] || FLAGS+=(-runs="$MTP_FUZZ_MAX_RUNS")
# ASan, for runs of hours:
#  malloc_context_size=0  no allocation stack recorded per malloc.  The ns-3
#      libraries are built without frame pointers, so ASan's fast unwinder
#      reads stale stack words as return addresses past their first frame, and
#      every input adds "new" stacks to ASan's stack depot, which is never
#      freed: RSS grows by ~80 KB per whole-node input (3 GB in ~10 min) with
#      the heap flat.  Reports keep the stack of the bad access; replay the
#      saved input with ASAN_OPTIONS=malloc_context_size=30 for the
#      allocation and free stacks (doc/testing.rst).
#  quarantine_size_mb=64  freed memory held back to catch use-after-free:
#      64 MB instead of 256 MB, as each input's network is short-lived.
#  detect_leaks=1  memory an input leaves behind is a finding (leak-*).
# Options already in the environment come after these, so they win.
export ASAN_OPTIONS="malloc_context_size=0:quarantine_size_mb=64:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

failed=()
for h in "${HARNESSES[@]}"; do
    exe="$BUILD/bin/$h"
    [ -x "$exe" ] || { echo "run-fuzzers: $exe not built (configure with --enable-fuzz)" >&2; exit 2; }
    corpus="$BUILD/fuzz/corpus/$h"
    artifacts="$BUILD/fuzz/artifacts/$h"
    log="$BUILD/fuzz/$h.log"
    mkdir -p "$corpus" "$artifacts"
    cp -n "$ROOT/fuzz/corpus/$h/"* "$corpus/" 2>/dev/null || true
    echo "run-fuzzers: $h for ${SECONDS_EACH}s (corpus $corpus, artifacts $artifacts)"
    if "$exe" "${FLAGS[@]}" -artifact_prefix="$artifacts/" "$@" "$corpus" >"$log" 2>&1; then
        grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | sed 's/^/  /' || true
    else
        echo "run-fuzzers: $h FAILED; last lines of $log:" >&2
        tail -40 "$log" >&2
        ls -l "$artifacts" >&2
        failed+=("$h")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "run-fuzzers: failed: ${failed[*]}" >&2
    exit 1
fi
echo "run-fuzzers: all harnesses ran ${SECONDS_EACH}s without a finding"
