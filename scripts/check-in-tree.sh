#!/usr/bin/env bash
# Checks the "inside an ns-3 tree" way of building this module, for real:
#
#   1. deps       Debian packages needed to fetch and build ns-3 (root: installs)
#   2. source     Debian's ns-3 source (`apt-get source ns3`, with a deb-src entry
#                 added if missing), unpacked once into a cache dir outside the
#                 repo and reused: ${MTP_NS3_SRC_CACHE:-$HOME/.cache/ns3-mtp}
#   3. link       this repo -> <ns-3 tree>/contrib/mtp (symlink)
#   4. configure  ./ns3 configure --enable-examples --enable-tests --disable-werror
#                   --enable-modules=mtp,csma --filter-module-examples-and-tests=mtp
#                 (csma: ns-3.37's own src/test builds ns3tcp-socket-test-suite.cc,
#                 which uses CsmaHelper, whenever applications and point-to-point
#                 are enabled, but does not pull csma in: without it the
#                 test-runner fails to link. mtp itself does not use csma.)
#   5. build      cmake --build cmake-cache -j <jobs>   (ns-3's ./ns3 build would
#                 use nproc-1 jobs); ccache is used by ns-3 when installed
#   6. suites     ./test.py --no-build -s <suite> for every suite in MTP_TEST_SUITES
#                 (CMakeLists.txt) and every mtp* suite ns-3's test runner lists;
#                 a registered suite the runner lacks is an error
#   7. gtests     the mtp-gtests binary, when GoogleTest was found and it was built
#   8. example    ./ns3 run --no-build mtp-rpc-echo
#
# Environment: MTP_NS3_SRC_CACHE (cache dir), MTP_JOBS (default: nproc),
#              MTP_IN_TREE_EXAMPLE (default: mtp-rpc-echo),
#              MTP_SUITE_TIMEOUT (seconds per suite/example, default 900).
# Exit status: 0 when every stage passed; non-zero, with the failing stage
# named, otherwise.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${MTP_NS3_SRC_CACHE:-${HOME:-/tmp}/.cache/ns3-mtp}"
JOBS="${MTP_JOBS:-$(nproc 2>/dev/null || echo 2)}"
EXAMPLE="${MTP_IN_TREE_EXAMPLE:-mtp-rpc-echo}"
SUITE_TIMEOUT="${MTP_SUITE_TIMEOUT:-900}"   # seconds, per test suite / example
LOG_DIR="$CACHE/logs"

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
    echo "=== check-in-tree: summary ==="
    for i in "${!STAGE_NAMES[@]}"; do
        printf '  %-10s %-6s %8ss\n' "${STAGE_NAMES[$i]}" "${STAGE_RESULTS[$i]}" "${STAGE_TIMES[$i]}"
    done
}

stage_begin() {
    CURRENT_STAGE="$1"
    STAGE_START="$(now)"
    echo
    echo "=== check-in-tree: [$CURRENT_STAGE] $2 ==="
}

stage_end() {
    local t
    t="$(elapsed "$STAGE_START" "$(now)")"
    STAGE_NAMES+=("$CURRENT_STAGE")
    STAGE_TIMES+=("$t")
    STAGE_RESULTS+=("${1:-ok}")
    echo "=== check-in-tree: [$CURRENT_STAGE] ${1:-ok} in ${t}s ==="
    CURRENT_STAGE=""
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

# ---------------------------------------------------------------------------
stage_begin deps "Debian packages to fetch and build ns-3"
# dpkg-dev unpacks source packages; python3 runs ns-3's ./ns3 and test.py.
NEEDED=(dpkg-dev g++ make cmake python3)
OPTIONAL=(ccache libgtest-dev)
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
    echo "not a Debian-like system: not checking packages (need g++, make, cmake, python3, apt-get source)"
fi
for tool in g++ cmake python3; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool not found"
done
stage_end

# ---------------------------------------------------------------------------
stage_begin source "Debian's ns-3 source tree in $CACHE"
mkdir -p "$CACHE" "$LOG_DIR"

find_tree() {
    # The Debian source package is ns-3's "allinone" layout: ns3-<v>/ns-3.<v>/.
    local d
    for d in $(ls -d "$CACHE"/ns3-*/ns-3.* 2>/dev/null | sort -V -r); do
        if [ -x "$d/ns3" ] && [ -f "$d/test.py" ] && [ -d "$d/build-support" ]; then
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

if TREE="$(find_tree)"; then
    echo "reusing $TREE"
else
    command -v apt-get >/dev/null 2>&1 || fail "no apt-get: put an ns-3 (>= 3.37) source tree at $CACHE/ns3-<v>/ns-3.<v>"
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
    TREE="$(find_tree)" || fail "no ns-3 tree found under $CACHE after apt-get source"
fi
echo "ns-3 tree: $TREE (version $(cat "$TREE/VERSION" 2>/dev/null || echo '?'))"
stage_end

# ---------------------------------------------------------------------------
stage_begin link "$TREE/contrib/mtp -> $REPO"
mkdir -p "$TREE/contrib"
if [ -e "$TREE/contrib/mtp" ] && [ ! -L "$TREE/contrib/mtp" ]; then
    fail "$TREE/contrib/mtp exists and is not a symlink; move it away"
fi
ln -sfn "$REPO" "$TREE/contrib/mtp"
ls -l "$TREE/contrib/mtp"
# make decides by timestamps. The cached tree may hold mtp objects built from
# another checkout (an earlier CI clone) whose files can be newer than this
# checkout's: drop mtp's objects so they are always rebuilt from these
# sources (ccache makes that cheap when nothing changed).
if [ -d "$TREE/cmake-cache/contrib/mtp" ]; then
    find "$TREE/cmake-cache/contrib/mtp" -name '*.o' -delete
fi
stage_end

cd "$TREE"

# ---------------------------------------------------------------------------
stage_begin configure "./ns3 configure (examples, tests, mtp only)"
CONFIGURE_LOG="$LOG_DIR/configure.log"
if ! ./ns3 configure --enable-examples --enable-tests --disable-werror \
        --enable-modules=mtp,csma --filter-module-examples-and-tests=mtp 2>&1 | tee "$CONFIGURE_LOG"; then
    fail "ns-3 configure failed (log: $CONFIGURE_LOG)"
fi
grep -q "Processing contrib/mtp" "$CONFIGURE_LOG" \
    || fail "ns-3 did not process contrib/mtp (log: $CONFIGURE_LOG)"
stage_end

# ---------------------------------------------------------------------------
stage_begin build "cmake --build cmake-cache -j $JOBS"
BUILD_LOG="$LOG_DIR/build.log"
echo "(full output in $BUILD_LOG; shown here: linking steps and errors)"
set +e
cmake --build cmake-cache -j "$JOBS" 2>&1 | tee "$BUILD_LOG" \
    | grep --line-buffered -E 'Linking|error:|Error [0-9]'
statuses=("${PIPESTATUS[@]}")
set -e
build_status="${statuses[0]}"
if [ "$build_status" -ne 0 ]; then
    echo "---- last 60 lines of $BUILD_LOG ----"
    tail -n 60 "$BUILD_LOG"
    echo "-------------------------------------"
    mtp_errors="$(grep -E '(contrib/mtp|'"$REPO"')/[^:]+:[0-9]+:[0-9]+: (fatal )?error' "$BUILD_LOG" | sort -u | head -n 30 || true)"
    if [ -n "$mtp_errors" ]; then
        echo "Compile errors in the mtp module's own sources (not in ns-3):"
        echo "$mtp_errors"
        fail "the mtp sources do not compile inside ns-3 (full log: $BUILD_LOG)"
    fi
    if grep -qE 'undefined reference|ld returned' "$BUILD_LOG"; then
        grep -E 'undefined reference|ld returned' "$BUILD_LOG" | sort -u | head -n 20
        fail "link errors (full log: $BUILD_LOG)"
    fi
    fail "ns-3 build failed (full log: $BUILD_LOG)"
fi
tail -n 3 "$BUILD_LOG"
stage_end

# ---------------------------------------------------------------------------
stage_begin suites "./test.py --no-build -s <each mtp suite>"
# Suite names come from ns-3's test runner itself: `./test.py --list` also
# prints the examples of test/examples-to-run.py with the same "example" label.
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
stage_begin gtests "mtp-gtests (GoogleTest), when built"
GTEST_BIN="$(find build -type f -name mtp-gtests -perm -u+x 2>/dev/null | head -n 1 || true)"
if [ -n "$GTEST_BIN" ]; then
    timeout --kill-after=10 "$SUITE_TIMEOUT" "$GTEST_BIN" || fail "$GTEST_BIN failed"
    stage_end
else
    echo "mtp-gtests not built (GoogleTest not found by ns-3's CMake): skipped"
    stage_end skipped
fi

# ---------------------------------------------------------------------------
stage_begin example "./ns3 run --no-build $EXAMPLE"
timeout --kill-after=10 "$SUITE_TIMEOUT" ./ns3 run --no-build "$EXAMPLE" \
    || fail "example $EXAMPLE failed (or ran longer than ${SUITE_TIMEOUT}s)"
stage_end

summary
echo "check-in-tree: all stages passed"
