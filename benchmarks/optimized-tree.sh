#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# optimized-tree: builds mtp-datacenter and mtp-event-loop-benchmark inside
# an ns-3 tree configured with ns-3's optimized profile (-d optimized: -O3
# -march=native, no NS_LOG and no NS_ASSERT in ns-3 itself, which Debian's
# libns3 keeps), for benchmarks/datacenter-benchmark.sh.
#
#   benchmarks/optimized-tree.sh [--ns3 SOURCE] [-j JOBS]
#
#   --ns3 SOURCE   as scripts/check-in-tree.sh --ns3 (default debian: Debian's
#                  ns-3.37 source, fetched and unpacked once into the cache)
#   -j JOBS        parallel build jobs (default: $MTP_JOBS, else nproc)
#
# The source tree comes from scripts/check-in-tree.sh --until source; it is
# copied (without its builds) to $CACHE/optimized/<tree name>, so the trees
# that CI checks keep their own configuration, and this repository is linked
# as its contrib/mtp.  Only the modules mtp needs are built, no tests.  At
# the end $CACHE/optimized/bin holds the two programs (links), and the last
# line printed is that directory's parent, a "build dir" for
#
#   benchmarks/datacenter-benchmark.sh --baseline build "$(benchmarks/optimized-tree.sh | tail -1)"
#
# Cache: ${MTP_NS3_SRC_CACHE:-$HOME/.cache/ns3-mtp}.  Measured here (ns-3.37,
# 2 cores): 11 minutes with ccache warm from an earlier optimized build,
# about 35 cold on a busy machine; a rebuild after a change to mtp takes
# what mtp's own files take.
# Exit status 0 when both programs were built; non-zero, with the failing
# step named, otherwise.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${MTP_NS3_SRC_CACHE:-${HOME:-/tmp}/.cache/ns3-mtp}"
JOBS="${MTP_JOBS:-$(nproc 2>/dev/null || echo 2)}"
SOURCE=debian
die() { echo "optimized-tree: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
        --ns3) [ $# -ge 2 ] || die "--ns3 needs a value"; SOURCE="$2"; shift 2 ;;
        -j) [ $# -ge 2 ] || die "-j needs a value"; JOBS="$2"; shift 2 ;;
        -h|--help) sed -n '3,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "optimized-tree: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || { echo "optimized-tree: -j wants a count, not $JOBS" >&2; exit 2; }

# The source tree, as the in-tree check unpacks it.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
"$REPO/scripts/check-in-tree.sh" --ns3 "$SOURCE" --until source >"$log" 2>&1 ||
    { cat "$log" >&2; die "scripts/check-in-tree.sh --until source failed"; }
src="$(sed -n 's/.*stopped after stage source (--until); tree: //p' "$log" | tail -n 1)"
[ -n "$src" ] && [ -x "$src/ns3" ] || { cat "$log" >&2; die "no ns-3 tree found in its output"; }

# A copy of it without builds, configured once.
tree="$CACHE/optimized/$(basename "$src")"
if [ ! -x "$tree/ns3" ]; then
    echo "optimized-tree: copying $src to $tree"
    mkdir -p "$tree"
    (cd "$src" && tar cf - --exclude=./build --exclude=./cmake-cache --exclude=./testpy-output \
        --exclude=./contrib/mtp .) | (cd "$tree" && tar xf -) || die "copying $src failed"
fi
ln -sfn "$REPO" "$tree/contrib/mtp"
cd "$tree"

# The programs are linked with tcmalloc (Debian's libtcmalloc-minimal4, the
# allocator of Google's gperftools): a simulation allocates and frees a few
# small objects per packet per hop (packets, buffers, events), and glibc's
# malloc spent about 12% of a W5 run on it (measured: 8.1 against 7.1 s, the
# same records).  Without the library the programs use glibc's malloc.
malloc_lib() { ldconfig -p 2>/dev/null | awk '/libtcmalloc_minimal\.so\.4 /{print $NF; exit}'; }
MALLOC="$(malloc_lib)"
if [ -z "$MALLOC" ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "optimized-tree: installing libtcmalloc-minimal4"
    apt-get install -y -q libtcmalloc-minimal4 >/dev/null 2>&1 || true
    MALLOC="$(malloc_lib)"
fi
LINK=""
if [ -n "$MALLOC" ]; then
    LINK="-Wl,--no-as-needed $MALLOC -Wl,--as-needed"
else
    echo "optimized-tree: libtcmalloc_minimal.so.4 not found: glibc's malloc (slower)" >&2
fi
if ! grep -qs 'CMAKE_BUILD_TYPE:STRING=release' cmake-cache/CMakeCache.txt ||
    ! grep -qs 'NS3_NATIVE_OPTIMIZATIONS:BOOL=ON' cmake-cache/CMakeCache.txt ||
    ! grep -qsxF "CMAKE_EXE_LINKER_FLAGS:STRING=$LINK" cmake-cache/CMakeCache.txt; then
    ./ns3 configure -d optimized --enable-examples --disable-tests --disable-mpi \
        --enable-modules=mtp --filter-module-examples-and-tests=mtp \
        -- "-DCMAKE_EXE_LINKER_FLAGS=$LINK" ||
        die "./ns3 configure -d optimized failed in $tree"
fi
for prog in mtp-datacenter mtp-event-loop-benchmark; do
    ./ns3 build -j "$JOBS" "$prog" || die "./ns3 build $prog failed in $tree"
done

# Links under $CACHE/optimized/bin, the layout datacenter-benchmark.sh wants.
bin="$CACHE/optimized/bin"
mkdir -p "$bin"
for prog in mtp-datacenter mtp-event-loop-benchmark; do
    exe="$(find "$tree/build/contrib/mtp/examples" -maxdepth 1 -type f \
        -name "ns3*-$prog-optimized" -print -quit)"
    [ -x "$exe" ] || die "$prog was not built under $tree/build"
    ln -sfn "$exe" "$bin/$prog"
done
echo "optimized-tree: $bin holds mtp-datacenter and mtp-event-loop-benchmark (ns-3 -d optimized${MALLOC:+, tcmalloc})"
echo "$CACHE/optimized"
