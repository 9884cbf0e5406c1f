#!/usr/bin/env bash
# Checks the "inside an ns-3 tree" way of building this module, for real.
#
# Usage: scripts/check-in-tree.sh [--ns3 SOURCE] [--jobs N]
#
#   --ns3 debian        Debian's ns-3 source package (`apt-get source ns3`,
#                       3.37 on bookworm); the default
#   --ns3 FILE.tar.xz   an ns-3 release tarball (.tar.xz/.tar.bz2/.tar.gz),
#                       e.g. ../shared/ns-3/ns-3.48.tar.xz; unpacked once into
#                       the cache dir and reused while the tarball is the same
#   --ns3 DIR           an unpacked ns-3 source tree (used in place)
#   --jobs N, -j N      parallel build jobs (default: $MTP_JOBS, else nproc)
#   --mpi               build ns-3 with MPI (Debian's OpenMPI; configure
#                       --enable-mpi) and run stage 12; without it the tree
#                       is configured --disable-mpi
#   --until STAGE       stop, successfully, after STAGE (e.g. build)
#
# Stages:
#   1. deps       Debian packages needed to fetch and build ns-3 (root: installs)
#   2. isolate    hides every system-wide ns-3 header dir (Debian's libns3-dev:
#                 /usr/include/ns3) from this build: as root, the script runs
#                 itself in a private mount namespace with an empty read-only
#                 tmpfs over each such dir, so `#include "ns3/foo.h"` can only
#                 find the tree's own headers. Not root, or no namespaces: a
#                 loud warning, and stage 7 alone guards against them.
#   3. source     the ns-3 tree (see --ns3); caches live outside the repo, in
#                 ${MTP_NS3_SRC_CACHE:-$HOME/.cache/ns3-mtp}
#   4. link       this repo -> <ns-3 tree>/contrib/mtp (symlink)
#   5. configure  ./ns3 configure --enable-examples --enable-tests --enable-werror
#                   --enable-modules=mtp[,csma] --filter-module-examples-and-tests=mtp
#                 (csma: the test library of ns-3 3.37 ... 3.48 compiles
#                 src/test/ns3tcp/ns3tcp-socket-test-suite.cc, which uses
#                 CsmaHelper, whenever applications and point-to-point are
#                 enabled, but does not pull csma in. mtp itself does not use
#                 csma.) ccache is used by ns-3 when installed.
#   6. build      cmake --build cmake-cache -j <jobs>  (warnings are errors)
#   7. headers    no object of the build depends on a header under a
#                 system-wide ns-3 include dir (from the build's dependency
#                 records: ninja -t deps, or make's depend files)
#   8. suites     ./test.py --no-build -s <suite> for every suite in MTP_TEST_SUITES
#                 (CMakeLists.txt) and every mtp* suite ns-3's test runner lists;
#                 a registered suite the runner lacks is an error
#   9. examples   ./test.py --no-build --constrain=example: every entry of
#                 test/examples-to-run.py must be reported PASS (test.py itself
#                 silently leaves out programs that were not built)
#  10. gtests     the GoogleTest program mtp-gtests, which test.py ran in
#                 stage 9: it must have been built whenever GoogleTest is
#                 installed (libgtest-dev); otherwise the stage says SKIPPED
#  11. run        ./ns3 run --no-build mtp-rpc-echo (the README's way to run one)
#  12. mpi        (--mpi) test/fabric/run-mpi-ranks.sh: mtp-datacenter on 2
#                 MPI ranks writes the same records, tables and stdout as on
#                 one process
# With --mpi, stage configure records the tree's path in $CACHE/mpi-tree,
# where `./ns3 mpirun` finds it.
#
# Environment: MTP_NS3_SRC_CACHE (cache dir), MTP_JOBS (default: nproc),
#              MTP_IN_TREE_EXAMPLE (stage 11's program, default: mtp-rpc-echo),
#              MTP_SUITE_TIMEOUT (seconds per suite, default 900),
#              MTP_EXAMPLES_TIMEOUT (seconds for stage 9, default 1800).
# Logs: $MTP_NS3_SRC_CACHE/logs/<tree name>/.
# Exit status: 0 when every stage passed; non-zero, with the failing stage
# named, otherwise.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SELF="$REPO/scripts/check-in-tree.sh"
CACHE="${MTP_NS3_SRC_CACHE:-${HOME:-/tmp}/.cache/ns3-mtp}"
JOBS="${MTP_JOBS:-$(nproc 2>/dev/null || echo 2)}"
EXAMPLE="${MTP_IN_TREE_EXAMPLE:-mtp-rpc-echo}"
SUITE_TIMEOUT="${MTP_SUITE_TIMEOUT:-900}"           # seconds, per test suite
EXAMPLES_TIMEOUT="${MTP_EXAMPLES_TIMEOUT:-1800}"    # seconds, all examples
NS3_SOURCE=debian
MPI=0
UNTIL=""
ORIG_ARGS=("$@")

usage() {
    sed -n '2,16p' "$SELF" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
        --ns3) [ $# -ge 2 ] || { usage >&2; exit 2; }; NS3_SOURCE="$2"; shift 2 ;;
        --ns3=*) NS3_SOURCE="${1#--ns3=}"; shift ;;
        -j|--jobs) [ $# -ge 2 ] || { usage >&2; exit 2; }; JOBS="$2"; shift 2 ;;
        -j*) JOBS="${1#-j}"; shift ;;
        --jobs=*) JOBS="${1#--jobs=}"; shift ;;
        --mpi) MPI=1; shift ;;
        --until) [ $# -ge 2 ] || { usage >&2; exit 2; }; UNTIL="$2"; shift 2 ;;
        --until=*) UNTIL="${1#--until=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "check-in-tree: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
case "$JOBS" in
    ''|*[!0-9]*|0) echo "check-in-tree: --jobs wants a positive number, not '$JOBS'" >&2; exit 2 ;;
esac
case "$UNTIL" in
    ''|deps|isolate|source|link|configure|build|headers|suites|examples|gtests|run|mpi) ;;
    *) echo "check-in-tree: --until wants a stage name (deps ... run, mpi), not '$UNTIL'" >&2; exit 2 ;;
esac

STAGE_NAMES=()
STAGE_TIMES=()
STAGE_RESULTS=()
CURRENT_STAGE=""
STAGE_START=0

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

summary() {
    local i
    echo
    echo "=== check-in-tree: summary (ns-3 source: $NS3_SOURCE${TREE_VERSION:+, version $TREE_VERSION}) ==="
    for i in "${!STAGE_NAMES[@]}"; do
        printf '  %-10s %-8s %8ss\n' "${STAGE_NAMES[$i]}" "${STAGE_RESULTS[$i]}" "${STAGE_TIMES[$i]}"
    done
}

stage_begin() {
    CURRENT_STAGE="$1"
    STAGE_START="$(now)"
    echo
    echo "=== check-in-tree: [$CURRENT_STAGE] $2 ==="
}

stage_end() {
    local t done_stage="$CURRENT_STAGE"
    t="$(elapsed "$STAGE_START" "$(now)")"
    STAGE_NAMES+=("$CURRENT_STAGE")
    STAGE_TIMES+=("$t")
    STAGE_RESULTS+=("${1:-ok}")
    echo "=== check-in-tree: [$CURRENT_STAGE] ${1:-ok} in ${t}s ==="
    CURRENT_STAGE=""
    if [ -n "$UNTIL" ] && [ "$done_stage" = "$UNTIL" ] && [ "${1:-ok}" != FAILED ]; then
        summary
        echo "check-in-tree: stopped after stage $UNTIL (--until)${TREE:+; tree: $TREE}"
        exit 0
    fi
}

fail() {
    echo >&2
    echo "check-in-tree: FAILED in stage [${CURRENT_STAGE:-?}]: $*" >&2
    if [ -n "$CURRENT_STAGE" ]; then
        stage_end FAILED
    fi
    summary >&2
    exit 1
}

on_exit() {
    local rc=$?
    if [ $rc -ne 0 ] && [ -n "$CURRENT_STAGE" ]; then
        echo "check-in-tree: FAILED in stage [$CURRENT_STAGE] (exit status $rc)" >&2
        stage_end FAILED
        summary >&2
    fi
}
trap on_exit EXIT

pkg_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = installed ]
}

as_root() { [ "$(id -u)" -eq 0 ]; }

# The C++ compiler's own include search list (the dirs searched for
# #include <...>, and for "..." after -iquote/-I): where a system-wide ns-3
# installs its headers as <dir>/ns3/.
system_include_dirs() {
    local cxx="${CXX:-}"
    [ -n "$cxx" ] || cxx="$(command -v c++ || command -v g++ || true)"
    [ -n "$cxx" ] || return 0
    "$cxx" -x c++ -E -v - </dev/null 2>&1 >/dev/null \
        | sed -n '/#include <...> search starts here:/,/End of search list./p' \
        | sed -e '1d' -e '$d' -e 's/^ *//' -e 's/ (framework directory)$//'
}

# Every <dir>/ns3 of those (plus /usr/include and /usr/local/include, the
# usual homes of a packaged or installed ns-3) that holds ns-3 headers.
system_ns3_dirs() {
    local d
    { system_include_dirs; echo /usr/include; echo /usr/local/include; } \
        | while read -r d; do
            [ -n "$d" ] && [ -d "$d/ns3" ] && readlink -f "$d/ns3"
        done | sort -u
}

# ---------------------------------------------------------------------------
# Stage "isolate", first part: as root, run this whole script in a private
# mount namespace (before anything else, so every later stage is inside it).
if [ -z "${MTP_IN_TREE_NAMESPACE:-}" ]; then
    if [ -n "$(system_ns3_dirs)" ] && as_root && command -v unshare >/dev/null 2>&1 \
        && unshare --mount --propagation private true 2>/dev/null; then
        export MTP_IN_TREE_NAMESPACE=1
        exec unshare --mount --propagation private bash "$SELF" "${ORIG_ARGS[@]}"
    fi
    export MTP_IN_TREE_NAMESPACE=0
fi

# ---------------------------------------------------------------------------
stage_begin deps "Debian packages to fetch and build ns-3"
# dpkg-dev unpacks source packages; python3 runs ns-3's ./ns3 and test.py;
# xz-utils unpacks release tarballs; util-linux has unshare (stage isolate).
NEEDED=(dpkg-dev g++ make cmake python3 xz-utils bzip2 util-linux)
# --mpi: ns-3's mpi module builds against Debian's OpenMPI.
[ "$MPI" = 0 ] || NEEDED+=(libopenmpi-dev openmpi-bin)
OPTIONAL=(ccache libgtest-dev ninja-build)
if command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    for p in "${NEEDED[@]}"; do pkg_installed "$p" || missing+=("$p"); done
    optional=()
    for p in "${OPTIONAL[@]}"; do pkg_installed "$p" || optional+=("$p"); done
    if [ ${#missing[@]} -gt 0 ] || [ ${#optional[@]} -gt 0 ]; then
        if as_root; then
            export DEBIAN_FRONTEND=noninteractive
            compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || apt-get update -q
            apt-get install -y -q --no-install-recommends "${missing[@]}" "${optional[@]}" \
                || { apt-get update -q && apt-get install -y -q --no-install-recommends \
                        "${missing[@]}" "${optional[@]}"; } \
                || fail "apt-get install ${missing[*]} ${optional[*]} failed"
        elif [ ${#missing[@]} -gt 0 ]; then
            fail "missing Debian packages: ${missing[*]}
Install them with:  sudo apt-get install -y ${missing[*]} ${optional[*]}"
        else
            echo "optional packages not installed: ${optional[*]} (sudo apt-get install ${optional[*]})"
        fi
    fi
else
    echo "not a Debian-like system: not checking packages (need g++, make, cmake, python3, tar)"
fi
for tool in g++ cmake python3 tar; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool not found"
done
if command -v ccache >/dev/null 2>&1; then
    echo "ccache: $(command -v ccache) (cache: $(ccache -k cache_dir 2>/dev/null || echo '?'))"
else
    echo "ccache not installed: every build is cold (apt-get install ccache)"
fi
stage_end

# ---------------------------------------------------------------------------
stage_begin isolate "hide system-wide ns-3 headers from the build"
mapfile -t SYSTEM_NS3_DIRS < <(system_ns3_dirs)
if [ ${#SYSTEM_NS3_DIRS[@]} -eq 0 ]; then
    echo "no system-wide ns-3 headers on the compiler's include path: nothing to hide"
    stage_end
elif [ "$MTP_IN_TREE_NAMESPACE" = 1 ]; then
    for d in "${SYSTEM_NS3_DIRS[@]}"; do
        mount -t tmpfs -o ro,size=4k,mode=0555 mtp-hidden-ns3 "$d" \
            || fail "cannot mount an empty tmpfs over $d in this mount namespace"
        [ -z "$(ls -A "$d")" ] || fail "$d is still visible after mounting over it"
        echo "hidden in this build's mount namespace: $d"
    done
    stage_end
else
    {
        echo "WARNING: ${SYSTEM_NS3_DIRS[*]} hold(s) another ns-3's headers, which"
        echo "WARNING: '#include \"ns3/...\"' can silently pick up when the tree lacks a header."
        if ! as_root; then
            echo "WARNING: Not root, so they cannot be hidden (a private mount namespace needs root)."
        else
            echo "WARNING: 'unshare --mount' failed (no mount namespaces here?), so they cannot be hidden."
        fi
        echo "WARNING: Stage [headers] will fail the check if any object depends on them."
    } >&2
    stage_end WARNING
fi

# ---------------------------------------------------------------------------
mkdir -p "$CACHE"

is_tree() { [ -x "$1/ns3" ] && [ -f "$1/test.py" ] && [ -d "$1/build-support" ] && [ -f "$1/VERSION" ]; }

find_debian_tree() {
    # The Debian source package is ns-3's "allinone" layout: ns3-<v>/ns-3.<v>/.
    local d
    for d in $(ls -d "$CACHE"/ns3-*/ns-3.* 2>/dev/null | sort -V -r); do
        if is_tree "$d"; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

has_deb_src() {
    # True when apt knows source packages (a deb-src entry, lists fetched).
    [ -n "$(apt-cache showsrc ns3 2>/dev/null | head -1)" ]
}

add_deb_src() {
    # bookworm keeps its sources in deb822 format (/etc/apt/sources.list.d/debian.sources);
    # add a separate deb-src file with the same mirror, suites and key.
    local f=/etc/apt/sources.list.d/ns3-mtp-deb-src.sources
    local uri suites key
    uri="$(awk '/^URIs:/ && !/security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
    suites="$(awk '/^Suites:/ && !/security/ {$1=""; sub(/^ /, ""); print; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
    key="$(awk '/^Signed-By:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
    if [ -z "$suites" ]; then
        . /etc/os-release
        suites="${VERSION_CODENAME:-bookworm} ${VERSION_CODENAME:-bookworm}-updates"
    fi
    {
        echo "# Added by ns3-mtp scripts/check-in-tree.sh: source packages for 'apt-get source ns3'."
        echo "Types: deb-src"
        echo "URIs: ${uri:-http://deb.debian.org/debian}"
        echo "Suites: $suites"
        echo "Components: main"
        echo "Signed-By: ${key:-/usr/share/keyrings/debian-archive-keyring.gpg}"
    } >"$f"
    echo "added $f:"
    cat "$f"
}

debian_tree() {
    if TREE="$(find_debian_tree)"; then
        echo "reusing $TREE"
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 \
        || fail "no apt-get: use --ns3 <tarball or tree> (ns-3 >= 3.37), or put a tree at $CACHE/ns3-<v>/ns-3.<v>"
    if ! has_deb_src; then
        if as_root; then
            has_deb_src || { apt-get update -q >/dev/null 2>&1 || true; }
            if ! has_deb_src; then
                add_deb_src
                apt-get update -q || fail "apt-get update failed after adding a deb-src entry"
            fi
        else
            fail "apt has no source package for ns3 (no deb-src entry). As root, run this script once,
or add a deb-src entry yourself, e.g. /etc/apt/sources.list.d/ns3-mtp-deb-src.sources with
  Types: deb-src
  URIs: http://deb.debian.org/debian
  Suites: bookworm bookworm-updates
  Components: main
  Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
then: sudo apt-get update"
        fi
    fi
    has_deb_src || fail "apt still knows no source package for ns3"
    echo "apt-get source ns3 (into $CACHE)"
    (cd "$CACHE" && apt-get source -q ns3) || fail "apt-get source ns3 failed"
    TREE="$(find_debian_tree)" || fail "no ns-3 tree found under $CACHE after apt-get source"
}

tarball_tree() {
    # $1: a release tarball. Unpacked into $CACHE/<its top-level dir>, with a
    # stamp holding the tarball's sha256: reused while it matches, replaced
    # (the old tree, objects included, removed) when the tarball changed.
    local tarball top sum stamp tmp
    tarball="$(readlink -f "$1")"
    [ -f "$tarball" ] || fail "ns-3 tarball $1 not found"
    top="$(tar -tf "$tarball" 2>/dev/null | head -n 1 | cut -d/ -f1 || true)"
    [ -n "$top" ] && [ "$top" != . ] && [ "$top" != .. ] \
        || fail "$tarball: cannot read its top-level directory (not an ns-3 release tarball?)"
    sum="$(sha256sum "$tarball" | cut -d' ' -f1)"
    TREE="$CACHE/$top"
    stamp="$TREE/.ns3-mtp-tarball.sha256"
    if is_tree "$TREE" && [ "$(cat "$stamp" 2>/dev/null || true)" = "$sum" ]; then
        echo "reusing $TREE (unpacked from $tarball, sha256 $sum)"
        return 0
    fi
    if [ -e "$TREE" ]; then
        if [ -f "$stamp" ] || is_tree "$TREE"; then
            echo "$TREE is from another tarball (or unpacked without a stamp): replacing it"
            rm -rf "$TREE"
        else
            fail "$TREE exists but is no ns-3 tree of this script; move it away"
        fi
    fi
    echo "unpacking $tarball into $CACHE"
    tmp="$(mktemp -d "$CACHE/.unpack.XXXXXX")"
    tar -xf "$tarball" -C "$tmp" || { rm -rf "$tmp"; fail "cannot unpack $tarball"; }
    is_tree "$tmp/$top" || { rm -rf "$tmp"; fail "$tarball does not hold an ns-3 source tree"; }
    echo "$sum" >"$tmp/$top/.ns3-mtp-tarball.sha256"
    mv "$tmp/$top" "$TREE"
    rmdir "$tmp"
}

stage_begin source "ns-3 source tree ($NS3_SOURCE)"
TREE=""
case "$NS3_SOURCE" in
    debian) debian_tree ;;
    *.tar.xz|*.tar.bz2|*.tar.gz|*.tgz|*.tar) tarball_tree "$NS3_SOURCE" ;;
    *)
        [ -d "$NS3_SOURCE" ] || fail "--ns3 $NS3_SOURCE: neither 'debian', a tarball nor a directory"
        TREE="$(cd "$NS3_SOURCE" && pwd)"
        is_tree "$TREE" || fail "$TREE is not an ns-3 source tree (no ns3, test.py, build-support, VERSION)"
        ;;
esac
case "$TREE/" in
    "$REPO"/*) fail "the ns-3 tree $TREE is inside this repository; use one outside it" ;;
esac
TREE_VERSION="$(tr -d ' \n' <"$TREE/VERSION")"
case "$TREE_VERSION" in
    3.*) minor="${TREE_VERSION#3.}"; minor="${minor%%[!0-9]*}" ;;
    *) minor="" ;;
esac
[ -n "$minor" ] && [ "$minor" -ge 37 ] || fail "ns-3 $TREE_VERSION in $TREE: mtp needs ns-3 3.37 or newer"
LOG_DIR="$CACHE/logs/$(basename "$TREE")"
mkdir -p "$LOG_DIR"
echo "ns-3 tree: $TREE (version $TREE_VERSION); logs: $LOG_DIR"
# One check per tree at a time: a second one waits here.
exec 9>"$TREE/.ns3-mtp-check.lock"
if ! flock -n 9; then
    echo "another check-in-tree run is using $TREE: waiting for it"
    flock 9
fi
stage_end

# ---------------------------------------------------------------------------
stage_begin link "$TREE/contrib/mtp -> $REPO"
mkdir -p "$TREE/contrib"
if [ -e "$TREE/contrib/mtp" ] && [ ! -L "$TREE/contrib/mtp" ]; then
    fail "$TREE/contrib/mtp exists and is not a symlink; move it away"
fi
ln -sfn "$REPO" "$TREE/contrib/mtp"
ls -l "$TREE/contrib/mtp"
# The build tool decides by timestamps. The cached tree may hold mtp objects
# built from another checkout (an earlier CI clone) whose files can be newer
# than this checkout's: drop mtp's objects so they are always rebuilt from
# these sources (ccache makes that cheap when nothing changed).
if [ -d "$TREE/cmake-cache/contrib/mtp" ]; then
    find "$TREE/cmake-cache/contrib/mtp" -name '*.o' -delete
fi
# At configure time ns-3 puts one stub (or symlink) per module header in
# build/include/ns3 and never rewrites one that exists: a header that moved
# (model/x.h -> model/transport/x.h) would keep pointing at its old place.
# Drop mtp's stubs and links so that configure writes them afresh.
if [ -d "$TREE/build/include/ns3" ]; then
    for h in "$TREE"/build/include/ns3/*.h; do
        if [ -L "$h" ]; then
            case "$(readlink "$h")" in *contrib/mtp/*) rm -f "$h" ;; esac
        elif grep -qs 'contrib/mtp/' "$h"; then
            rm -f "$h"
        fi
    done
fi
stage_end

cd "$TREE"

# ---------------------------------------------------------------------------
MODULES=mtp
if grep -qs 'csma-helper.h' src/test/ns3tcp/*.cc && [ -d src/csma ]; then
    MODULES="$MODULES,csma"
fi
MPI_FLAG=--disable-mpi
[ "$MPI" = 0 ] || MPI_FLAG=--enable-mpi
stage_begin configure "./ns3 configure (examples, tests, warnings as errors, modules $MODULES, $MPI_FLAG)"
CONFIGURE_LOG="$LOG_DIR/configure.log"
if ! ./ns3 configure --enable-examples --enable-tests --enable-werror "$MPI_FLAG" \
        --enable-modules="$MODULES" --filter-module-examples-and-tests=mtp 2>&1 | tee "$CONFIGURE_LOG"; then
    fail "ns-3 configure failed (log: $CONFIGURE_LOG)"
fi
if [ "$MPI" = 1 ]; then
    grep -qE '^NS3_MPI:BOOL=ON' cmake-cache/CMakeCache.txt || fail "--enable-mpi did not set NS3_MPI"
    echo "$TREE" >"$CACHE/mpi-tree"
    echo "MPI tree recorded in $CACHE/mpi-tree (for ./ns3 mpirun)"
fi
grep -q "Processing contrib/mtp" "$CONFIGURE_LOG" \
    || fail "ns-3 did not process contrib/mtp (log: $CONFIGURE_LOG)"
grep -qE 'NS3_WARNINGS_AS_ERRORS:BOOL=ON' cmake-cache/CMakeCache.txt \
    || fail "--enable-werror did not set NS3_WARNINGS_AS_ERRORS"
grep -E '^CCACHE:' cmake-cache/CMakeCache.txt || true
stage_end

# ---------------------------------------------------------------------------
stage_begin build "cmake --build cmake-cache -j $JOBS"
BUILD_LOG="$LOG_DIR/build.log"
echo "(full output in $BUILD_LOG; shown here: linking steps, warnings and errors)"
set +e
# (colour escapes, which ns-3 asks the compiler for, are stripped for the scans below)
cmake --build cmake-cache -j "$JOBS" 2>&1 | sed -u 's/\x1b\[[0-9;]*[mK]//g' | tee "$BUILD_LOG" \
    | grep --line-buffered -E 'Linking|warning:|error:|Error [0-9]|FAILED:'
statuses=("${PIPESTATUS[@]}")
set -e
build_status="${statuses[0]}"
if [ "$build_status" -ne 0 ]; then
    echo "---- last 60 lines of $BUILD_LOG ----"
    tail -n 60 "$BUILD_LOG"
    echo "-------------------------------------"
    for d in "${SYSTEM_NS3_DIRS[@]}"; do
        if grep -qF "$d/" "$BUILD_LOG"; then
            grep -F "$d/" "$BUILD_LOG" | sort -u | head -n 10
            fail "the build reached another ns-3's headers in $d (an include the tree lacks?); full log: $BUILD_LOG"
        fi
    done
    mtp_errors="$(grep -E '(contrib/mtp|'"$REPO"')/[^:]+:[0-9]+:[0-9]+: (fatal )?error' "$BUILD_LOG" | sort -u | head -n 30 || true)"
    if [ -n "$mtp_errors" ]; then
        echo "Compile errors (or warnings made errors) in the mtp module's own sources:"
        echo "$mtp_errors"
        fail "the mtp sources do not compile warning-free inside ns-3 $TREE_VERSION (full log: $BUILD_LOG)"
    fi
    if grep -qE 'undefined reference|ld returned' "$BUILD_LOG"; then
        grep -E 'undefined reference|ld returned' "$BUILD_LOG" | sort -u | head -n 20
        fail "link errors (full log: $BUILD_LOG)"
    fi
    fail "ns-3 build failed (full log: $BUILD_LOG)"
fi
# -Werror makes warnings fatal, except those ns-3 exempts (deprecations):
# none is allowed in mtp's own sources either.
mtp_warnings="$(grep -E '(contrib/mtp|'"$REPO"')/[^:]+:[0-9]+:[0-9]+: warning' "$BUILD_LOG" | sort -u | head -n 30 || true)"
if [ -n "$mtp_warnings" ]; then
    echo "$mtp_warnings"
    fail "warnings in the mtp module's sources (full log: $BUILD_LOG)"
fi
tail -n 3 "$BUILD_LOG"
stage_end

# ---------------------------------------------------------------------------
stage_begin headers "no object depends on a system-wide ns-3 header"
DEPS_LOG="$LOG_DIR/deps.log"
if [ -f cmake-cache/build.ninja ]; then
    NINJA="$(sed -n 's/^CMAKE_MAKE_PROGRAM:[A-Z]*=//p' cmake-cache/CMakeCache.txt)"
    "${NINJA:-ninja}" -C cmake-cache -t deps >"$DEPS_LOG" 2>&1 \
        || fail "${NINJA:-ninja} -t deps failed (log: $DEPS_LOG)"
else
    find cmake-cache -name '*.d' -o -name 'compiler_depend.make' -o -name 'depend.make' \
        | xargs -r cat >"$DEPS_LOG" 2>/dev/null || true
fi
[ -s "$DEPS_LOG" ] || fail "the build left no dependency records to check (log: $DEPS_LOG)"
echo "$(grep -c . "$DEPS_LOG") dependency lines in $DEPS_LOG"
# Each dependency on a header under one of those dirs, as "object -> header"
# (ninja -t deps: an unindented "object: #deps ..." line, then one indented
# path per line; make's depend files: "object: dep dep \" lines).
mapfile -t CHECK_DIRS < <({ system_ns3_dirs; echo /usr/include/ns3; echo /usr/local/include/ns3; } | sort -u)
leaks="$(awk -v dirs="${CHECK_DIRS[*]}" '
    BEGIN { n = split(dirs, d, " ") }
    {
        for (i = 1; i <= NF; i++) {
            if ($i ~ /:$/ && i == 1) { obj = substr($i, 1, length($i) - 1); continue }
            for (k = 1; k <= n; k++)
                if (index($i, d[k] "/") == 1) print obj " -> " $i
        }
    }' "$DEPS_LOG" | sort -u)"
if [ -n "$leaks" ]; then
    echo "$leaks" | head -n 30
    fail "the build used system-wide ns-3 headers instead of the tree's: $(echo "$leaks" | wc -l) dependencies (above; $DEPS_LOG)"
fi
echo "no dependency on ${SYSTEM_NS3_DIRS[*]:-/usr/include/ns3}"
stage_end

# ---------------------------------------------------------------------------
stage_begin suites "./test.py --no-build -s <each mtp suite>"
LIST_LOG="$LOG_DIR/test-list.log"
./test.py --no-build --nocolor --list >"$LIST_LOG" 2>&1 || { cat "$LIST_LOG"; fail "./test.py --list failed"; }
RUNNER="$(find build/utils -maxdepth 1 -type f -name 'ns3*-test-runner*' -perm -u+x 2>/dev/null | head -n 1 || true)"
[ -n "$RUNNER" ] || fail "ns-3's test-runner was not built (build/utils/ns3*-test-runner*)"
"$RUNNER" --print-test-name-list >"$LOG_DIR/runner-list.log" 2>&1 \
    || { cat "$LOG_DIR/runner-list.log"; fail "$RUNNER --print-test-name-list failed"; }
# The module's suites: those registered in MTP_TEST_SUITES (CMakeLists.txt),
# plus any suite named mtp* that the runner knows (registered or not).
mapfile -t REGISTERED < <(sed -n '/^set(MTP_TEST_SUITES/,/)/p' "$REPO/CMakeLists.txt" \
    | sed -e 's/#.*//' -e 's/set(MTP_TEST_SUITES//' -e 's/)//' | tr -s ' \t' '\n\n' | grep -v '^$' || true)
mapfile -t SUITES < <({ printf '%s\n' "${REGISTERED[@]}"; grep -E '^mtp' "$LOG_DIR/runner-list.log"; } \
    | grep -v '^$' | sort -u)
if [ ${#SUITES[@]} -eq 0 ]; then
    cat "$LIST_LOG"
    fail "no mtp test suite: none registered in MTP_TEST_SUITES and none named mtp* in the runner"
fi
for s in "${SUITES[@]}"; do
    grep -qxF "$s" "$LOG_DIR/runner-list.log" \
        || fail "suite $s is registered in MTP_TEST_SUITES (CMakeLists.txt) but ns-3's test runner does not have it"
    grep -qE "^[a-z]+ +$s\$" "$LIST_LOG" || fail "suite $s is missing from ./test.py --list"
    if ! printf '%s\n' "${REGISTERED[@]}" | grep -qxF "$s"; then
        echo "WARNING: suite $s is not registered in MTP_TEST_SUITES (CMakeLists.txt); run here anyway"
    fi
done
echo "mtp suites: ${SUITES[*]}"
failed_suites=()
for s in "${SUITES[@]}"; do
    if ! timeout --kill-after=10 "$SUITE_TIMEOUT" ./test.py --no-build --nocolor -s "$s"; then
        failed_suites+=("$s")
    fi
done
[ ${#failed_suites[@]} -eq 0 ] || fail "suites failed (or ran longer than ${SUITE_TIMEOUT}s): ${failed_suites[*]}"
stage_end

# ---------------------------------------------------------------------------
# The entries of test/examples-to-run.py whose run condition is "True", as
# test.py names them: "<program> [args]".
mapfile -t EXPECTED_EXAMPLES < <(python3 - "$REPO/test/examples-to-run.py" <<'EOF'
import sys

ns = {}
exec(open(sys.argv[1]).read(), ns)
for entry in ns.get("cpp_examples", []):
    if entry[1] == "True":
        print(entry[0])
EOF
)
GTEST_NAME=mtp-gtests
gtest_installed() {
    { command -v dpkg-query >/dev/null 2>&1 && pkg_installed libgtest-dev; } \
        || [ -f /usr/include/gtest/gtest.h ] || [ -f /usr/local/include/gtest/gtest.h ]
}

stage_begin examples "./test.py --no-build --constrain=example (test/examples-to-run.py)"
EXAMPLES_LOG="$LOG_DIR/examples.log"
set +e
timeout --kill-after=10 "$EXAMPLES_TIMEOUT" ./test.py --no-build --nocolor --constrain=example 2>&1 \
    | tee "$EXAMPLES_LOG"
examples_status="${PIPESTATUS[0]}"
set -e
missing_examples=()
for e in "${EXPECTED_EXAMPLES[@]}"; do
    if ! grep -qxF "PASS: Example contrib/mtp/examples/$e" <(sed -E 's/^\[[0-9]+\/[0-9]+\] //' "$EXAMPLES_LOG"); then
        if [ "${e%% *}" = "$GTEST_NAME" ] && ! gtest_installed; then
            continue
        fi
        missing_examples+=("$e")
    fi
done
if [ ${#missing_examples[@]} -gt 0 ]; then
    printf '  not reported PASS: %s\n' "${missing_examples[@]}"
    fail "${#missing_examples[@]} entries of test/examples-to-run.py did not pass (or were not built); log: $EXAMPLES_LOG"
fi
[ "$examples_status" -eq 0 ] || fail "./test.py --constrain=example failed (exit status $examples_status); log: $EXAMPLES_LOG"
echo "all ${#EXPECTED_EXAMPLES[@]} entries of test/examples-to-run.py passed"
stage_end

# ---------------------------------------------------------------------------
stage_begin gtests "$GTEST_NAME (GoogleTest) built and run by test.py"
GTEST_BIN="$(find build/contrib/mtp/examples -maxdepth 1 -type f -name "ns3*-$GTEST_NAME*" -perm -u+x 2>/dev/null | head -n 1 || true)"
if [ -n "$GTEST_BIN" ]; then
    n="$("$GTEST_BIN" --gtest_list_tests | grep -c '^  ' || true)"
    grep -qxF "PASS: Example contrib/mtp/examples/$GTEST_NAME" <(sed -E 's/^\[[0-9]+\/[0-9]+\] //' "$EXAMPLES_LOG") \
        || fail "$GTEST_BIN was built but test.py did not run it (is it in test/examples-to-run.py?)"
    echo "$GTEST_BIN: $n tests, passed under test.py (stage examples)"
    stage_end
elif gtest_installed; then
    grep -E "mtp: (not building|GoogleTest)" "$CONFIGURE_LOG" || true
    fail "GoogleTest is installed but $GTEST_NAME was not built (see cmake/mtp-gtest.cmake and $CONFIGURE_LOG)"
else
    echo "GoogleTest is not installed (Debian: apt-get install libgtest-dev): $GTEST_NAME not built"
    stage_end SKIPPED
fi

# ---------------------------------------------------------------------------
stage_begin run "./ns3 run --no-build $EXAMPLE"
timeout --kill-after=10 "$SUITE_TIMEOUT" ./ns3 run --no-build "$EXAMPLE" \
    || fail "example $EXAMPLE failed (or ran longer than ${SUITE_TIMEOUT}s)"
stage_end

# ---------------------------------------------------------------------------
if [ "$MPI" = 1 ]; then
    stage_begin mpi "test/fabric/run-mpi-ranks.sh: 2 ranks write what 1 process writes"
    DC_BIN="$(find build/contrib/mtp/examples -maxdepth 1 -type f -name 'ns3*-mtp-datacenter*' -perm -u+x 2>/dev/null | head -n 1 || true)"
    [ -n "$DC_BIN" ] || fail "mtp-datacenter was not built in $TREE"
    timeout --kill-after=10 "$SUITE_TIMEOUT" "$REPO/test/fabric/run-mpi-ranks.sh" "$DC_BIN" 2 \
        || fail "mtp-datacenter on 2 MPI ranks differs from one process (or failed)"
    stage_end
fi

summary
echo "check-in-tree: all stages passed (ns-3 $TREE_VERSION, $TREE)"
