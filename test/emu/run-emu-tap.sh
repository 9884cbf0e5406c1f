#!/usr/bin/env bash
# CTest emu-tap: real Linux tools reach a simulated host through a tap.
#
#   test/emu/run-emu-tap.sh <path of mtp-emu-tap>
#
# In a network namespace of its own (mtp-tap-<pid>), the script runs
# mtp-emu-tap, which creates the tap, addresses its Linux side 10.77.0.1/24
# and puts the simulated host at 10.77.0.2.  Then Linux's ping must get
# answers from ns-3's ICMP (ARP resolved by ns-3's ARP), and a Linux UDP
# socket must get back, byte for byte, the datagrams it sends to ns-3's UDP
# echo server.  Bounded: 3 pings and 3 datagrams, every step under timeout.
#
# Needs root (namespace, tap).  Exits 77 (CTest: skipped) with the reason
# when it cannot run; 0 on success; 1 on failure.  The namespace (and so the
# tap) is removed on exit, whatever happens.
set -u

PROG="${1:-}"
ECHOES=3

skip() {
    echo "SKIP: $*"
    exit 77
}
fail() {
    echo "FAIL: $*"
    exit 1
}

[ -n "$PROG" ] && [ -x "$PROG" ] || fail "usage: $0 <path of mtp-emu-tap>"
[ "$(id -u)" = 0 ] || skip "needs root to create a network namespace and a tap device;" \
    "run as root (e.g. sudo ctest -R emu-tap)"
command -v ip >/dev/null || skip "no 'ip' command (install iproute2)"
command -v ping >/dev/null || skip "no 'ping' command (install iputils-ping)"
command -v python3 >/dev/null || skip "no python3 (the UDP client)"
[ -c /dev/net/tun ] || skip "no /dev/net/tun (load the tun module: modprobe tun)"

NS="mtp-tap-$$"
TAP="mtpt$$"
TMP="$(mktemp -d)"
SIM_PID=""

cleanup() {
    [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
    ip netns del "$NS" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$NS" 2>"$TMP/err" || skip "cannot create a network namespace: $(cat "$TMP/err")"
ip -n "$NS" link set lo up

timeout -k 5 60 ip netns exec "$NS" "$PROG" --tap="$TAP" --simAddress=10.77.0.2 \
    --linuxAddress=10.77.0.1 --echoes="$ECHOES" --timeout=45 >"$TMP/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 100); do
    grep -q "^ready" "$TMP/sim.log" && break
    kill -0 "$SIM_PID" 2>/dev/null || break
    sleep 0.1
done
grep -q "^ready" "$TMP/sim.log" || {
    cat "$TMP/sim.log"
    fail "mtp-emu-tap did not start"
}
ip -n "$NS" addr show dev "$TAP"

echo "----- ping (Linux -> simulated host) -----"
timeout 20 ip netns exec "$NS" ping -n -c 3 -i 0.2 -W 2 10.77.0.2 | tee "$TMP/ping.log"
grep -q " 0% packet loss" "$TMP/ping.log" || fail "ping did not get 3 answers from 10.77.0.2"
NEIGH="$(ip -n "$NS" neigh show 10.77.0.2 dev "$TAP")"
echo "Linux's ARP entry for the simulated host: $NEIGH"
echo "$NEIGH" | grep -q "02:00:0a:4d:00:02" || fail "ARP did not resolve the simulated MAC"

echo "----- UDP echo (Linux socket -> ns-3 UDP echo server) -----"
timeout 20 ip netns exec "$NS" python3 - "$ECHOES" <<'PY' || fail "UDP echo failed"
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2.0)
for i in range(int(sys.argv[1])):
    payload = os.urandom(64 + 400 * i)
    s.sendto(payload, ("10.77.0.2", 7))
    data, peer = s.recvfrom(65535)
    if data != payload or peer != ("10.77.0.2", 7):
        sys.exit(f"datagram {i}: the echo differs ({len(data)} bytes from {peer})")
    print(f"datagram {i}: {len(payload)} bytes echoed unchanged by 10.77.0.2")
PY

wait "$SIM_PID"
SIM_STATUS=$?
SIM_PID=""
echo "----- mtp-emu-tap -----"
cat "$TMP/sim.log"
[ "$SIM_STATUS" = 0 ] || fail "mtp-emu-tap exited with status $SIM_STATUS"
grep -q "ICMP echo requests received: [1-9]" "$TMP/sim.log" \
    || fail "the simulated host saw no ICMP echo request"
grep -q "UDP datagrams echoed: $ECHOES" "$TMP/sim.log" \
    || fail "the simulated host did not echo $ECHOES datagrams"
echo "PASS: Linux ping and UDP reached the simulated host through tap $TAP"
