#!/usr/bin/env bash
# CTest emu-pair: two mtp-emu-pair processes, each in its own network
# namespace, joined by a veth pair, exchange RPCs of 100 B to 1 MB with loss;
# every response is checked byte for byte by the client.
#
#   test/emu/run-emu-pair.sh <path of mtp-emu-pair> [loss rate, default 0.02]
#                            [request sizes, default 100,1000,10000,100000,1000000]
#                            [--portMapper=1]
#
# With --portMapper=1 both processes run a port mapper and its daemon with
# ReservePorts (doc/port-mapper.rst): the test also requires that the server's
# port was mapped, that the mapped port is really bound on the server's side
# while the mapping lives (the example's own real bind fails, and so does one
# this script makes from outside the process, in the server's namespace),
# that the client learned the same mapped port from the server's daemon, and
# that the port was free again once the server closed its socket.
# Loss: netem on both veth ends when the kernel has it, otherwise ns-3's
# RateErrorModel on both emulated devices (the output says which).  The test
# also requires that frames were really lost and that MTP retransmitted.
#
# Needs root (namespaces, veth, raw sockets).  Exits 77 (CTest: skipped) with
# the reason when it cannot run; 0 on success; 1 on failure.  Everything it
# creates (two namespaces named mtp-emu-<pid>-a/b, the veth pair inside them)
# is removed on exit, whatever happens; traffic stays inside the namespaces.
set -u

PROG="${1:-}"
LOSS="${2:-0.02}"
SIZES="${3:-100,1000,10000,100000,1000000}"
PORTMAP="${4:-}"
case "$PORTMAP" in
    "" | --portMapper=0) PORTMAP_ARGS=() ;;
    --portMapper=1) PORTMAP_ARGS=(--portMapper=1) ;;
    *) echo "FAIL: 4th argument must be --portMapper=1 (or absent), not '$PORTMAP'"; exit 1 ;;
esac
RUN_TIMEOUT=120             # seconds each process may run (its own --timeout)
HARD_TIMEOUT=150            # seconds after which `timeout` kills a process

skip() {
    echo "SKIP: $*"
    exit 77
}
fail() {
    echo "FAIL: $*"
    exit 1
}

[ -n "$PROG" ] && [ -x "$PROG" ] || fail "usage: $0 <path of mtp-emu-pair> [loss rate]"
[ "$(id -u)" = 0 ] || skip "needs root to create network namespaces, a veth pair and raw" \
    "sockets; run as root (e.g. sudo ctest -R emu-pair)"
command -v ip >/dev/null || skip "no 'ip' command (install iproute2)"
command -v timeout >/dev/null || skip "no 'timeout' command (install coreutils)"

NS_A="mtp-emu-$$-a"
NS_B="mtp-emu-$$-b"
IF_A="mtpa$$"
IF_B="mtpb$$"
TMP="$(mktemp -d)"
SERVER_PID=""

cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    ip netns del "$NS_A" 2>/dev/null
    ip netns del "$NS_B" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$NS_A" 2>"$TMP/err" || skip "cannot create a network namespace: $(cat "$TMP/err")"
ip netns add "$NS_B" 2>"$TMP/err" || skip "cannot create a network namespace: $(cat "$TMP/err")"
ip link add "$IF_A" netns "$NS_A" type veth peer name "$IF_B" netns "$NS_B" 2>"$TMP/err" \
    || skip "cannot create a veth pair: $(cat "$TMP/err")"
for side in "$NS_A:$IF_A" "$NS_B:$IF_B"; do
    ns="${side%%:*}"
    dev="${side#*:}"
    # The kernel's own IPv6 chatter (router solicitations, MLD) is not needed.
    ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1" 2>/dev/null
    ip -n "$ns" link set "$dev" up || fail "cannot bring $dev up"
done

# Loss: netem where the kernel has it, else the ns-3 error model.
PCT="$(awk -v r="$LOSS" 'BEGIN { printf "%g", r * 100 }')"
if ip netns exec "$NS_A" tc qdisc add dev "$IF_A" root netem loss "$PCT%" 2>/dev/null \
    && ip netns exec "$NS_B" tc qdisc add dev "$IF_B" root netem loss "$PCT%" 2>/dev/null; then
    LOSS_ARGS=(--lossRate=0 "--lossNote=netem loss $PCT% on both veth ends")
    LOSS_BY=netem
    echo "loss: netem, $PCT% on each veth end"
else
    LOSS_ARGS=("--lossRate=$LOSS")
    LOSS_BY=ns3
    echo "loss: this kernel has no netem qdisc; ns-3 RateErrorModel drops $PCT% of the" \
        "frames each emulated device receives"
fi

timeout -k 5 "$HARD_TIMEOUT" ip netns exec "$NS_A" "$PROG" --role=server --interface="$IF_A" \
    --local=10.0.0.1 --run=1 --timeout="$RUN_TIMEOUT" "${LOSS_ARGS[@]}" \
    ${PORTMAP_ARGS[@]+"${PORTMAP_ARGS[@]}"} >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
    grep -q "server ready" "$TMP/server.log" && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
done
grep -q "server ready" "$TMP/server.log" || {
    cat "$TMP/server.log"
    fail "the server did not start"
}

# Port mapper: the mapped port must be really bound in the server's namespace
# now, seen from outside the process (a real bind there fails: in use).
MAPPED=""
OUTSIDE=""
if [ ${#PORTMAP_ARGS[@]} -gt 0 ]; then
    MAPPED="$(sed -n 's/^server: port [0-9]* mapped to \([0-9]*\);.*/\1/p' "$TMP/server.log")"
    [ -n "$MAPPED" ] || { cat "$TMP/server.log"; fail "the server did not report its mapped port"; }
    OUTSIDE="$(ip netns exec "$NS_A" python3 -c '
import errno, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.bind(("0.0.0.0", int(sys.argv[1])))
    print("bound")
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e.errno)))
' "$MAPPED" 2>&1)"
    echo "port mapper: a real bind of port $MAPPED in the server's namespace, from outside" \
        "the server: $OUTSIDE"
fi

timeout -k 5 "$HARD_TIMEOUT" ip netns exec "$NS_B" "$PROG" --role=client --interface="$IF_B" \
    --local=10.0.0.2 --peer=10.0.0.1 --run=2 --timeout="$RUN_TIMEOUT" --sizes="$SIZES" --repeat=5 \
    "${LOSS_ARGS[@]}" ${PORTMAP_ARGS[@]+"${PORTMAP_ARGS[@]}"} \
    >"$TMP/client.log" 2>&1
CLIENT_STATUS=$?
wait "$SERVER_PID"
SERVER_STATUS=$?
SERVER_PID=""

echo "----- client -----"
cat "$TMP/client.log"
echo "----- server -----"
cat "$TMP/server.log"
echo "------------------"

[ "$CLIENT_STATUS" = 0 ] || fail "client exited with status $CLIENT_STATUS"
[ "$SERVER_STATUS" = 0 ] || fail "server exited with status $SERVER_STATUS"
grep -q "^RESULT: PASS" "$TMP/client.log" || fail "client did not report PASS"

if [ -n "$MAPPED" ]; then
    [ "$MAPPED" != 100 ] || fail "the server's port 100 was not mapped to another port"
    [ "$OUTSIDE" = EADDRINUSE ] \
        || fail "port $MAPPED was not held on the host while mapped (outside bind: $OUTSIDE)"
    grep -q "^server: port 100 mapped to $MAPPED; real port $MAPPED reserved on the host" \
        "$TMP/server.log" || fail "the server did not see its mapped port reserved"
    grep -q "^client: server port 100 is mapped to $MAPPED " "$TMP/client.log" \
        || fail "the client did not learn mapped port $MAPPED from the server's daemon"
    grep -q "^server: socket closed, mapping removed; real port $MAPPED free again" \
        "$TMP/server.log" || fail "the mapped port was not released when the socket closed"
    echo "port mapper: server port 100 mapped to $MAPPED, held on the host while mapped" \
        "(EADDRINUSE from outside), learned by the client, free again after close"
fi

# Loss must really have happened, and MTP must have recovered it.
sum() { sed -n "s/.*$1 \([0-9]*\).*/\1/p" "$TMP/client.log" "$TMP/server.log" \
    | awk '{ s += $1 } END { print s + 0 }'; }
DROPS="$(sum 'dropped by the error model here:')"
RETX="$(sum 'DATA packets retransmitted')"
RESENDS="$(sum 'RESENDs sent')"
echo "frames dropped by the ns-3 error model: $DROPS; RESENDs sent: $RESENDS;" \
    "DATA packets retransmitted: $RETX"
if [ "$LOSS_BY" = ns3 ] && [ "$(awk -v r="$LOSS" 'BEGIN { print (r > 0) }')" = 1 ]; then
    [ "$DROPS" -gt 0 ] || fail "no frame was dropped: the loss injection did not work"
fi
if [ "$(awk -v r="$LOSS" 'BEGIN { print (r > 0) }')" = 1 ]; then
    [ "$RESENDS" -gt 0 ] && [ "$RETX" -gt 0 ] \
        || fail "loss was injected but MTP never resent: recovery was not exercised"
fi
MEDIAN100="$(awk '$1 == 100 && $2 ~ /\// { print $3 }' "$TMP/client.log")"
echo "PASS: every RPC ($SIZES bytes, 5 of each) answered byte for byte across the veth," \
    "with loss ($LOSS_BY: $DROPS frames dropped by ns-3, $RESENDS RESENDs, $RETX DATA" \
    "retransmitted); 100 B median ${MEDIAN100:-n/a} us"
