#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The port mapper on the wire: pcaps show only mapped ports.

Runs the example (mtp-port-mapper) with --pcapPrefix in a temporary
directory, reads every pcap it wrote with tshark and the MTP dissector
(tools/wireshark/mtp.lua), and checks, from the packets alone:

  * the daemons' datagrams (UDP port 3935) decode as this module's message
    format (doc/port-mapper.rst: version 2, 68 bytes, endpoints with their
    address family); every OK ANSWER gives a real endpoint and its mapped
    endpoint, over the IP version the example runs on;
  * some mapped endpoint has a port other than its real one (the server's);
  * every MTP packet to or from the address of such a mapped endpoint
    carries a mapped port of that address (destination port to it, source
    port from it), and never the real (unmapped) port of one of its
    mappings; there are packets in both directions;
  * the example's own report ("server port R mapped to M") agrees with the
    ANSWERs seen on the wire.

Exit 0: passed; 1: failed (why on stderr); 77: skipped, tshark is not
installed (the reason is printed; CTest shows the test as skipped).

  check-mapped-ports.py --lua tools/wireshark/mtp.lua -- build/bin/mtp-port-mapper --ipv6
"""

import argparse
import glob
import ipaddress
import os
import re
import shutil
import subprocess
import sys
import tempfile

IWPM_PORT = 3935
MESSAGE_SIZE = 68          # version 2: 8-byte header + 3 endpoints of 20 bytes
MESSAGE_VERSION = 2
ENDPOINT_SIZE = 20
FAMILY_IPV4 = 4
FAMILY_IPV6 = 6
TYPE_ANSWER = 2
SKIP = 77


class Failure(Exception):
    """A check failed; the message says which and why."""


def run_tshark(tshark, lua, pcap, display_filter, fields):
    """Rows (lists of strings) of `fields` for the frames matching the filter."""
    cmd = [tshark, "-n", "-X", "lua_script:" + lua, "-r", pcap, "-Y", display_filter,
           "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f", "-E", "header=n"]
    for f in fields:
        cmd += ["-e", f]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=300)
    err = "\n".join(l for l in proc.stderr.splitlines()
                    if "Running as user" not in l and l.strip())
    if proc.returncode != 0 or err:
        raise Failure("tshark failed (exit %d): %s\n%s" % (proc.returncode, " ".join(cmd), err))
    rows = [line.split("\t") for line in proc.stdout.splitlines()]
    for r in rows:
        if len(r) != len(fields):
            raise Failure("tshark gave %d columns, expected %d: %r" % (len(r), len(fields), r))
    return rows


def decode_endpoint(b):
    """(address string as tshark prints it, port) of a 20-byte endpoint."""
    family, reserved, port = b[0], b[1], (b[2] << 8) | b[3]
    if reserved != 0:
        raise Failure("endpoint with reserved byte %d" % reserved)
    if family == FAMILY_IPV4:
        if any(b[8:20]):
            raise Failure("IPv4 endpoint with non-zero padding: %s" % b.hex())
        return str(ipaddress.IPv4Address(bytes(b[4:8]))), port
    if family == FAMILY_IPV6:
        return str(ipaddress.IPv6Address(bytes(b[4:20]))), port
    raise Failure("endpoint with unknown family %d" % family)


def decode_message(payload_hex):
    """(type, status, [A, B, C]) of a daemon datagram's payload (hex)."""
    b = bytes.fromhex(payload_hex.replace(":", ""))
    if len(b) != MESSAGE_SIZE or b[0] != MESSAGE_VERSION:
        raise Failure("daemon datagram of %d bytes, version %d: not the version-%d format"
                      % (len(b), b[0] if b else -1, MESSAGE_VERSION))
    eps = [decode_endpoint(b[8 + i * ENDPOINT_SIZE:8 + (i + 1) * ENDPOINT_SIZE])
           for i in range(3)]
    return b[1], b[2], eps


def run_example(program, args, prefix):
    cmd = [program] + args + ["--pcapPrefix=" + prefix]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=600)
    print(proc.stdout, end="")
    if proc.returncode != 0:
        raise Failure("example failed (exit %d): %s" % (proc.returncode, " ".join(cmd)))
    m = re.search(r"server port (\d+) mapped to (\d+)", proc.stdout)
    if not m:
        raise Failure("the example did not report its server's mapping")
    return int(m.group(1)), int(m.group(2))


def read_pcaps(tshark, lua, pcaps, ipv6):
    """Daemon messages and MTP packets (src, sport, dst, dport) of every pcap; every one
    must be over IPv6 if `ipv6`, else over IPv4."""
    want = "IPv6" if ipv6 else "IPv4"
    messages = []
    packets = []
    for pcap in pcaps:
        for r in run_tshark(tshark, lua, pcap, "udp.port == %d && !icmp && !icmpv6" % IWPM_PORT,
                            ["ip.src", "ipv6.src", "udp.payload"]):
            if ("IPv6" if r[1] else "IPv4") != want:
                raise Failure("daemon datagram not over %s in %s: %r" % (want, pcap, r))
            messages.append(decode_message(r[2]))
        for r in run_tshark(tshark, lua, pcap, "mtp && !icmp && !icmpv6",
                            ["ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "mtp.sport",
                             "mtp.dport"]):
            if ("IPv6" if r[1] else "IPv4") != want or not r[4] or not r[5]:
                raise Failure("MTP packet not over %s or without ports in %s: %r"
                              % (want, pcap, r))
            packets.append((r[0] or r[1], int(r[4]), r[2] or r[3], int(r[5])))
    return messages, packets


def check(messages, packets, reported):
    """The checks of the module comment; returns a summary line."""
    answers = {(tuple(eps[0]), tuple(eps[1])) for typ, status, eps in messages
               if typ == TYPE_ANSWER and status == 0}
    if not answers:
        raise Failure("no OK ANSWER between the daemons in the pcaps")
    moved = {(real, mapped) for real, mapped in answers if real[1] != mapped[1]}
    if not moved:
        raise Failure("no mapping changes a port: %r" % sorted(answers))
    real_port, wire_port = reported
    if not any(r[1] == real_port and m[1] == wire_port for r, m in moved):
        raise Failure("the example reported %d -> %d, the wire's ANSWERs say %r"
                      % (real_port, wire_port, sorted(moved)))
    hosts = {m[0] for _, m in moved}
    mapped_ports = {h: {m[1] for _, m in answers if m[0] == h} for h in hosts}
    real_ports = {h: {r[1] for r, m in moved if m[0] == h} for h in hosts}
    to_mapped = from_mapped = 0
    for src, sport, dst, dport in packets:
        for host, port, where in ((dst, dport, "destination"), (src, sport, "source")):
            if host not in hosts:
                continue
            if port in real_ports[host]:
                raise Failure("MTP packet %s:%d -> %s:%d carries the unmapped port %d as %s"
                              % (src, sport, dst, dport, port, where))
            if port not in mapped_ports[host]:
                raise Failure("MTP packet %s:%d -> %s:%d: %s port %d is no mapped port of %s %r"
                              % (src, sport, dst, dport, where, port, host,
                                 sorted(mapped_ports[host])))
        to_mapped += dst in hosts
        from_mapped += src in hosts
    if not to_mapped or not from_mapped:
        raise Failure("MTP packets to the mapped host: %d, from it: %d (need both)"
                      % (to_mapped, from_mapped))
    return ("%d MTP packets to and %d from %s, all on mapped ports %s; none on the unmapped %s; "
            "%d daemon messages" % (to_mapped, from_mapped, sorted(hosts),
                                    sorted(p for s in mapped_ports.values() for p in s),
                                    sorted(p for s in real_ports.values() for p in s),
                                    len(messages)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tshark", default="tshark", help="tshark program (default: from PATH)")
    ap.add_argument("--lua", required=True, help="the MTP dissector, tools/wireshark/mtp.lua")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("program", nargs="+", help="the example and its arguments (after --)")
    opts = ap.parse_args()
    tshark = shutil.which(opts.tshark)
    if not tshark:
        print("SKIPPED: tshark not found (looked for '%s'); this test reads the pcaps with it: "
              "install it with `./ns3 deps` or `sudo apt-get install tshark`, or pass "
              "--tshark PATH." % opts.tshark)
        return SKIP
    workdir = tempfile.mkdtemp(prefix="mtp-portmap-pcap-")
    try:
        program, args = opts.program[0], opts.program[1:]
        reported = run_example(program, args, os.path.join(workdir, "pm"))
        pcaps = sorted(glob.glob(os.path.join(workdir, "pm-*.pcap")))
        if not pcaps:
            raise Failure("the example wrote no pcap in %s" % workdir)
        messages, packets = read_pcaps(tshark, opts.lua, pcaps, "--ipv6" in args)
        print("PASS: " + check(messages, packets, reported))
        return 0
    except (Failure, subprocess.TimeoutExpired) as e:
        print("FAILED: %s" % e, file=sys.stderr)
        return 1
    finally:
        if opts.keep:
            print("kept %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
