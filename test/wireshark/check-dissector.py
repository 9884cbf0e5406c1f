#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Test of the Wireshark dissector tools/wireshark/mtp.lua, run by tshark.

Two checks (standard library only):

  fields     runs an example with --pcap and --record=FILE, decodes the pcaps
             it wrote with tshark and the dissector, and compares every MTP
             field of every packet each recorded node sent with the record the
             simulation wrote (MtpWireRecorder: the module's own header
             classes).  The record's columns are named after the dissector's
             fields; packets are matched in the order each node sent them.
             Every sent packet's mtp.checksum.status must be Good when the
             example runs with --ChecksumEnabled=1 (or ForceChecksum), Not
             computed otherwise.
  malformed  writes a pcap of hand-built MTP packets (truncated, unknown type,
             num_acks above 5, segment outside its message, bad doff, wrong
             and right checksums computed here, ...),
             checks that each one carries the expected expert info, that the
             valid ones carry none, and that no packet (random garbage
             included) makes the dissector fail.

tshark missing is a failure, with what to install.

  check-dissector.py --lua tools/wireshark/mtp.lua fields --types all \\
      -- build/bin/mtp-packet-types --ipv6
  check-dissector.py --lua tools/wireshark/mtp.lua malformed
"""

import argparse
import csv
import glob
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

TYPE_NAMES = {
    0x10: "DATA", 0x11: "GRANT", 0x12: "RESEND", 0x13: "RPC_UNKNOWN", 0x14: "BUSY",
    0x15: "CUTOFFS", 0x16: "FREEZE", 0x17: "NEED_ACK", 0x18: "ACK",
}
META_COLUMNS = {"node", "device", "time", "family", "src", "dst"}
# mtp.checksum.status values (the dissector's, Wireshark's numbering).
CHECKSUM_BAD, CHECKSUM_GOOD, CHECKSUM_UNVERIFIED, CHECKSUM_NOT_COMPUTED = 0, 1, 2, 3
CHECKSUM_OFFSET = 16
# Linux Homa (and MTP) sum a TCP pseudo-header: protocol 6, whatever the IP protocol.
PSEUDO_PROTOCOL = 6
# Text that shows the dissector (or Wireshark around it) failed on a packet.
FAILURE_MARKS = ("Lua Error", "Dissector bug", "Malformed Packet", "lua_pcall")


class Failure(Exception):
    """A check failed; the message says which and why."""


def find_tshark(path):
    found = shutil.which(path)
    if not found:
        raise Failure(
            "tshark not found (looked for '%s'). The dissector test needs it: install the "
            "Debian package with `./ns3 deps` or `sudo apt-get install tshark`, or pass "
            "--tshark PATH." % path)
    return found


def run_tshark(args, tshark, lua, pcap, extra):
    """Run tshark with the dissector on `pcap`; return stdout, failing on any error."""
    cmd = [tshark, "-n", "-X", "lua_script:" + lua, "-r", pcap] + list(args) + list(extra)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=300)
    err = "\n".join(l for l in proc.stderr.splitlines()
                    if "Running as user" not in l and l.strip())
    if proc.returncode != 0 or err:
        raise Failure("tshark failed (exit %d): %s\n%s" % (proc.returncode, " ".join(cmd), err))
    for mark in FAILURE_MARKS:
        if mark in proc.stdout:
            raise Failure("tshark output shows '%s' for %s" % (mark, pcap))
    return proc.stdout


def check_no_failures(tshark, lua, pcap, extra):
    """Decode every packet in full (-V) and fail on any sign of a dissector error."""
    run_tshark(["-V"], tshark, lua, pcap, extra)


def fields_output(tshark, lua, pcap, fields, display_filter, extra):
    """Rows of `-T fields` output (one list per frame) for `fields`."""
    args = ["-Y", display_filter, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a",
            "-E", "aggregator=,", "-E", "header=n"]
    for f in fields:
        args += ["-e", f]
    out = run_tshark(args, tshark, lua, pcap, extra)
    rows = [line.split("\t") for line in out.splitlines()]
    for r in rows:
        if len(r) != len(fields):
            raise Failure("tshark gave %d columns, expected %d: %r" % (len(r), len(fields), r))
    return rows


def normalize(value):
    """Compare values as numbers where they are numbers: '0x10' == '16', 'True' == '1'."""
    parts = value.split(",") if value else []
    out = []
    for p in parts:
        p = p.strip()
        if p in ("True", "False"):
            out.append(1 if p == "True" else 0)
            continue
        try:
            out.append(int(p, 0))
        except ValueError:
            out.append(p)
    return out


# ---------------------------------------------------------------------------
# fields: an example's pcaps against its record
# ---------------------------------------------------------------------------
def read_record(path):
    with open(path, newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        header = next(reader, None)
        if not header:
            raise Failure("record %s is empty" % path)
        rows = [dict(zip(header, r)) for r in reader if r]
    for i, r in enumerate(rows):
        if len(r) != len(header):
            raise Failure("record line %d has %d columns, header %d" % (i + 2, len(r), len(header)))
    return header, rows


def run_example(program, args, workdir):
    cmd = [program] + args + ["--pcap", "--record=record.tsv"]
    proc = subprocess.run(cmd, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=600)
    print(proc.stdout, end="")
    if proc.returncode != 0:
        raise Failure("example failed (exit %d): %s" % (proc.returncode, " ".join(cmd)))
    return os.path.join(workdir, "record.tsv")


def pcap_for(workdir, node, device):
    found = glob.glob(os.path.join(workdir, "*-%s-%s.pcap" % (node, device)))
    if len(found) != 1:
        raise Failure("expected one pcap for node %s device %s in %s, found %r"
                      % (node, device, workdir, found))
    return found[0]


def short(text, limit=48):
    """`text`, cut to `limit` characters for a message."""
    return text if len(text) <= limit else text[:limit] + "...(%d chars)" % len(text)


def compare_group(key, recorded, decoded, columns):
    """Compare one node's sent packets, in order; return a list of mismatch texts."""
    problems = []
    if len(recorded) != len(decoded):
        problems.append("node %s device %s: the record has %d MTP packets, the pcap %d"
                        % (key[0], key[1], len(recorded), len(decoded)))
    for i, (rec, dec) in enumerate(zip(recorded, decoded)):
        for c in columns:
            want, got = normalize(rec[c]), normalize(dec[c])
            if want != got:
                problems.append("node %s device %s packet %d (frame %s, %s): %s: record %r, "
                                "dissector %r" % (key[0], key[1], i, dec["frame.number"],
                                                  TYPE_NAMES.get(int(rec["mtp.type"] or 0), "?"),
                                                  c, short(rec[c]), short(dec[c])))
    return problems


def checksum_expected(args):
    """The checksum status every packet of an example run with `args` must have."""
    on = ("1", "true")
    for a in args:
        name, _, value = a.lstrip("-").partition("=")
        if name in ("ChecksumEnabled", "ns3::MtpL4Protocol::ForceChecksum") and \
                value.lower() in on:
            return CHECKSUM_GOOD
    return CHECKSUM_NOT_COMPUTED


def check_checksum_status(key, decoded, want):
    """Mismatch texts for packets whose mtp.checksum.status is not `want`."""
    problems = []
    for i, d in enumerate(decoded):
        got = d["mtp.checksum.status"]
        if got != str(want):
            problems.append("node %s device %s packet %d (frame %s): mtp.checksum.status %r, "
                            "expected %d (checksum %s)" % (key[0], key[1], i, d["frame.number"],
                                                           got, want, d["mtp.checksum"]))
    return problems


def check_fields(opts, tshark):
    workdir = tempfile.mkdtemp(prefix="mtp-dissector-")
    try:
        record = run_example(opts.program[0], opts.program[1:], workdir)
        header, rows = read_record(record)
        columns = [c for c in header if c not in META_COLUMNS]
        if not rows:
            raise Failure("the record is empty: the example sent no MTP packet")
        extra = ["-o", "mtp.protocol:%d" % opts.protocol] if opts.protocol else []
        want_checksum = checksum_expected(opts.program[1:])
        groups = {}
        for r in rows:
            groups.setdefault((r["node"], r["device"]), []).append(r)
        problems = []
        decoded_types = set()
        for key, recorded in sorted(groups.items()):
            pcap = pcap_for(workdir, *key)
            check_no_failures(tshark, opts.lua, pcap, extra)
            srcs = {r["src"] for r in recorded}
            fields = ["frame.number", "ip.src", "ipv6.src", "mtp.checksum.status"] + columns
            if "mtp.checksum" not in fields:
                fields.append("mtp.checksum")
            frames = fields_output(tshark, opts.lua, pcap, fields, "mtp && !icmp && !icmpv6",
                                   extra)
            decoded = [dict(zip(fields, f)) for f in frames]
            sent = [d for d in decoded if (d["ip.src"] or d["ipv6.src"]) in srcs]
            decoded_types |= {int(d["mtp.type"], 0) for d in sent if d["mtp.type"]}
            problems += compare_group(key, recorded, sent, columns)
            problems += check_checksum_status(key, sent, want_checksum)
            print("node %s device %s: %d packets sent, %d fields each, compared with %s"
                  % (key[0], key[1], len(recorded), len(columns), os.path.basename(pcap)))
        recorded_types = {int(r["mtp.type"]) for r in rows}
        want = set(TYPE_NAMES) if opts.types == "all" else {
            k for k, v in TYPE_NAMES.items() if v in opts.types.split(",")}
        for label, seen in (("record", recorded_types), ("dissector", decoded_types)):
            missing = want - seen
            if missing:
                problems.append("types missing in the %s: %s"
                                % (label, ", ".join(TYPE_NAMES[t] for t in sorted(missing))))
        print("types seen: " + ", ".join(TYPE_NAMES.get(t, hex(t)) for t in sorted(decoded_types)))
        if problems:
            raise Failure("%d mismatches:\n  " % len(problems) + "\n  ".join(problems[:40]))
        print("PASS: %d packets, every field matches the simulation's record, checksum "
              "status %d everywhere" % (len(rows), want_checksum))
    finally:
        if opts.keep:
            print("kept " + workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


# ---------------------------------------------------------------------------
# malformed: hand-built packets
# ---------------------------------------------------------------------------
def common(ptype, sport=32768, dport=100, seq=0, doff=0, sender_id=2):
    return struct.pack("!HHI3sBBBHHHQ", sport, dport, seq, b"\0\0\0", ptype, doff, 0, 0, 0, 0,
                       sender_id)


def data(msg_len, offset, payload, seq=None, doff=0xE0):
    seq = offset if seq is None else seq
    return (common(0x10, seq=seq, doff=doff)
            + struct.pack("!IIQHHB3sI", msg_len, msg_len, 0, 0, 0, 0, b"\0\0\0", offset)
            + payload)


V4_SRC, V4_DST = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
V6_SRC = bytes([0x20, 0x01] + [0] * 13 + [1])
V6_DST = bytes([0x20, 0x01] + [0] * 13 + [2])


def ipv4(payload, proto=146):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0,
                       V4_SRC, V4_DST) + payload


def ipv6(payload, proto=146):
    return struct.pack("!IHBB", 6 << 28, len(payload), proto, 64) + V6_SRC + V6_DST + payload


def ones_complement_sum(data):
    """RFC 1071 sum of `data` (zero-padded to even length), folded to 16 bits."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def mtp_checksum(mtp, src, dst):
    """The checksum Linux Homa writes: TCP's over a pseudo-header with protocol 6."""
    zeroed = mtp[:CHECKSUM_OFFSET] + b"\0\0" + mtp[CHECKSUM_OFFSET + 2:]
    if len(src) == 4:
        pseudo = src + dst + struct.pack("!BBH", 0, PSEUDO_PROTOCOL, len(mtp))
    else:
        pseudo = src + dst + struct.pack("!I3xB", len(mtp), PSEUDO_PROTOCOL)
    value = 0xFFFF - ones_complement_sum(pseudo + zeroed)
    return 0xFFFF if value == 0 else value


def with_checksum(mtp, src, dst, delta=0):
    """`mtp` with its checksum field filled (plus `delta`: a wrong one)."""
    value = (mtp_checksum(mtp, src, dst) + delta) & 0xFFFF
    return mtp[:CHECKSUM_OFFSET] + struct.pack("!H", value) + mtp[CHECKSUM_OFFSET + 2:]


def computing_zero(mtp, src, dst):
    """`mtp` with its urgent field (bytes 18, 19) chosen so that the checksum
    computes to 0, which is sent as 0xFFFF."""
    mtp = mtp[:18] + b"\0\0" + mtp[20:]
    urgent = 0xFFFF - (0xFFFF - mtp_checksum(mtp, src, dst))
    mtp = mtp[:18] + struct.pack("!H", urgent) + mtp[20:]
    assert mtp_checksum(mtp, src, dst) == 0xFFFF
    return with_checksum(mtp, src, dst)


# (description, IP packet, expert fields that must be present; None: valid, no expert at all)
def malformed_cases():
    ack_slot = struct.pack("!QH", 4, 100)
    cases = [
        ("10 bytes", ipv4(bytes(range(10))), {"mtp.truncated"}),
        ("27 bytes of a common header", ipv4(common(0x14)[:27]), {"mtp.truncated"}),
        ("GRANT of 30 bytes", ipv4(common(0x11) + b"\0\0"), {"mtp.truncated"}),
        ("DATA of 40 bytes", ipv4(data(3000, 0, b"")[:40]), {"mtp.truncated"}),
        ("CUTOFFS of 45 bytes", ipv4((common(0x15) + struct.pack("!8IH", *range(8), 1))[:45]),
         {"mtp.truncated"}),
        ("ACK of 50 bytes", ipv4(common(0x18) + struct.pack("!H", 2) + ack_slot * 2),
         {"mtp.truncated"}),
        ("RESEND of 33 bytes over IPv6",
         ipv6((common(0x12) + struct.pack("!IIB", 0, 100, 7))[:33]), {"mtp.truncated"}),
        ("unknown type 0x42", ipv4(common(0x42)), {"mtp.unknown_type"}),
        ("type 0 (all zero)", ipv4(bytes(28)), {"mtp.unknown_type"}),
        ("ACK with num_acks 9", ipv4(common(0x18) + struct.pack("!H", 9) + ack_slot * 5),
         {"mtp.bad_num_acks"}),
        ("DATA past the end of its message", ipv4(data(1000, 900, b"x" * 200)),
         {"mtp.bad_offset"}),
        ("DATA of an empty message with payload", ipv4(data(0, 0, b"x" * 10)),
         {"mtp.bad_offset"}),
        ("DATA with no payload", ipv4(data(1000, 0, b"")), {"mtp.bad_offset"}),
        ("DATA of a 2000000-byte message", ipv4(data(2000000, 0, b"x" * 100)),
         {"mtp.bad_length"}),
        ("doff with its low nibble set", ipv4(data(1000, 0, b"x" * 100, doff=0xE3)),
         {"mtp.bad_doff"}),
        ("doff claiming 60 bytes in a 28-byte BUSY", ipv4(common(0x14, doff=0xF0)),
         {"mtp.bad_doff"}),
        ("BUSY with 4 trailing bytes", ipv4(common(0x14) + b"abcd"), {"mtp.trailing_bytes"}),
        ("GRANT at priority 9", ipv4(common(0x11) + struct.pack("!IB", 5000, 9)),
         {"mtp.bad_priority"}),
        # Valid packets: no expert info at all.
        ("Homa single-segment DATA (offset in sequence)",
         ipv4(data(1500, 0xFFFFFFFF, b"y" * 100, seq=1400)), None),
        ("RESEND of everything (length -1)",
         ipv6(common(0x12, doff=0x50) + struct.pack("!IIB", 1400, 0xFFFFFFFF, 5)), None),
        ("NEED_ACK", ipv4(common(0x17, doff=0x50, sender_id=3)), None),
        ("ACK of two RPCs", ipv4(common(0x18) + struct.pack("!H", 2) + ack_slot * 2
                                 + bytes(30)), None),
    ]
    return cases + checksum_cases()


def checksum_cases():
    """Packets with checksums computed here: (name, packet, experts, checksum status)."""
    ack_slot = struct.pack("!QH", 4, 100)
    dat = data(3000, 1000, b"odd payload")  # odd length: the last byte is padded
    grant = common(0x11, doff=0x50) + struct.pack("!IB", 5000, 3)
    ack = common(0x18) + struct.pack("!H", 1) + ack_slot + bytes(40)
    return [
        ("DATA with a correct checksum", ipv4(with_checksum(dat, V4_SRC, V4_DST)), None,
         CHECKSUM_GOOD),
        ("DATA with a checksum off by one", ipv4(with_checksum(dat, V4_SRC, V4_DST, 1)),
         {"mtp.bad_checksum"}, CHECKSUM_BAD),
        ("GRANT over IPv6 with a correct checksum", ipv6(with_checksum(grant, V6_SRC, V6_DST)),
         None, CHECKSUM_GOOD),
        ("GRANT over IPv6 with the IPv4 addresses' checksum",
         ipv6(with_checksum(grant, V4_SRC, V4_DST)), {"mtp.bad_checksum"}, CHECKSUM_BAD),
        ("ACK with a checksum computed as 0 (sent as 0xFFFF)",
         ipv4(computing_zero(ack, V4_SRC, V4_DST)), None, CHECKSUM_GOOD),
        ("DATA with a checksum summed over a protocol-146 pseudo-header",
         ipv4(with_checksum(dat, V4_SRC, V4_DST, -(146 - PSEUDO_PROTOCOL))),
         {"mtp.bad_checksum"}, CHECKSUM_BAD),
        ("DATA with checksum 0 (not computed)", ipv4(dat), None, CHECKSUM_NOT_COMPUTED),
    ]


def write_pcap(path, packets):
    """A pcap with link type 101 (raw IPv4/IPv6).  A packet given as
    (bytes, captured) was captured only up to `captured` bytes (a snap length)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))
        for i, p in enumerate(packets):
            p, caplen = p if isinstance(p, tuple) else (p, len(p))
            f.write(struct.pack("<IIII", i, 0, caplen, len(p)) + p[:caplen])


def check_checksum_edges(tshark, lua, pcap, decoded, cases, garbage):
    """A packet with a correct checksum captured without its last 3 bytes is
    Unverified, not Bad; with -o mtp.check_checksum:FALSE the wrong
    checksums are Unverified and raise no mtp.bad_checksum."""
    problems = []
    cut = decoded[len(cases) + len(garbage) + 1]
    if cut["mtp.checksum.status"] != str(CHECKSUM_UNVERIFIED):
        problems.append("DATA captured in part: mtp.checksum.status %r, expected %d"
                        % (cut["mtp.checksum.status"], CHECKSUM_UNVERIFIED))
    off = fields_output(tshark, lua, pcap, ["frame.number", "mtp.checksum.status",
                                             "mtp.bad_checksum"],
                        "mtp.checksum != 0", ["-o", "mtp.check_checksum:FALSE"])
    if not off:
        problems.append("no packet with a non-zero checksum with the preference off")
    for frame, status, bad in off:
        if status != str(CHECKSUM_UNVERIFIED) or bad:
            problems.append("preference off: frame %s has status %r, bad_checksum %r"
                            % (frame, status, bad))
    return problems


def check_malformed(opts, tshark):
    cases = [c[:3] for c in malformed_cases()]
    statuses = {c[0]: c[3] for c in malformed_cases() if len(c) > 3}
    # Shorter than the common header: no checksum status at all.
    statuses.update({"10 bytes": "", "27 bytes of a common header": ""})
    rng = random.Random(146)
    garbage = []
    for _ in range(60):
        n = rng.randrange(1, 100)  # (IP hands an empty payload to no dissector)
        body = bytes(rng.randrange(256) for _ in range(n))
        if n > 11 and rng.random() < 0.7:
            # Mostly known type bytes, so that every type's parser meets garbage.
            body = body[:11] + bytes([rng.randrange(0x10, 0x19)]) + body[12:]
        garbage.append(ipv4(body) if rng.random() < 0.5 else ipv6(body))
    other_proto = ipv4(common(0x14), proto=200)
    experts = sorted({e for _, _, want in cases if want for e in want})
    good_sum = [p for name, p, _ in cases if name == "DATA with a correct checksum"][0]
    workdir = tempfile.mkdtemp(prefix="mtp-dissector-")
    problems = []
    try:
        pcap = os.path.join(workdir, "malformed.pcap")
        write_pcap(pcap, [p for _, p, _ in cases] + garbage + [other_proto, (good_sum, len(good_sum) - 3)])
        check_no_failures(tshark, opts.lua, pcap, [])
        fields = ["frame.number", "mtp.type", "mtp.data.offset", "mtp.resend.length",
                  "mtp.checksum.status", "_ws.expert.message"] + experts
        rows = fields_output(tshark, opts.lua, pcap, fields, "frame", [])
        decoded = [dict(zip(fields, r)) for r in rows]
        plain = fields_output(tshark, opts.lua, pcap, ["frame.number", "mtp"], "mtp", [])
        mtp_frames = {int(r[0]) for r in plain}
        for i, (name, _, want) in enumerate(cases):
            d = decoded[i]
            present = {e for e in experts if d[e]}
            if want is None and (present or d["_ws.expert.message"]):
                problems.append("%s: expected no expert info, got %s" % (name,
                                d["_ws.expert.message"]))
            elif want is not None and not want <= present:
                problems.append("%s: expected %s, got %s (%s)" % (name, sorted(want),
                                sorted(present), d["_ws.expert.message"]))
        for i, (name, _, _) in enumerate(cases):
            want = statuses.get(name, CHECKSUM_NOT_COMPUTED)
            if decoded[i]["mtp.checksum.status"] != str(want):
                problems.append("%s: mtp.checksum.status %r, expected %r"
                                % (name, decoded[i]["mtp.checksum.status"], want))
        problems += check_checksum_edges(tshark, opts.lua, pcap, decoded, cases, garbage)
        homa = decoded[[c[0] for c in cases].index("Homa single-segment DATA (offset in sequence)")]
        if homa["mtp.data.offset"] != "1400":
            problems.append("Homa single-segment DATA: mtp.data.offset %r, expected 1400"
                            % homa["mtp.data.offset"])
        resend = decoded[[c[0] for c in cases].index("RESEND of everything (length -1)")]
        if resend["mtp.resend.length"] != str(0xFFFFFFFF):
            problems.append("RESEND length -1 decoded as %r" % resend["mtp.resend.length"])
        first_garbage = len(cases) + 1
        for n in range(first_garbage, first_garbage + len(garbage)):
            if n not in mtp_frames:
                problems.append("garbage frame %d was not handed to the MTP dissector" % n)
        proto_frame = first_garbage + len(garbage)
        if proto_frame in mtp_frames:
            problems.append("IP protocol 200 decoded as MTP without the preference")
        pref = fields_output(tshark, opts.lua, pcap, ["frame.number", "mtp.type"],
                             "frame.number == %d" % proto_frame, ["-o", "mtp.protocol:200"])
        if not pref or pref[0][1] not in ("0x14", "20"):
            problems.append("with -o mtp.protocol:200 the protocol-200 packet decodes as %r"
                            % pref)
        if problems:
            raise Failure("%d problems:\n  " % len(problems) + "\n  ".join(problems))
        print("PASS: %d hand-built packets flagged as expected, %d garbage packets decoded "
              "without error, protocol preference works" % (len(cases), len(garbage)))
    finally:
        if opts.keep:
            print("kept " + workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tshark", default="tshark", help="tshark program (default: from PATH)")
    ap.add_argument("--lua", required=True, help="the dissector, tools/wireshark/mtp.lua")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    sub = ap.add_subparsers(dest="mode", required=True)
    f = sub.add_parser("fields", help="compare an example's pcaps with its record")
    f.add_argument("--types", default="",
                   help="'all' or comma-separated type names that must appear")
    f.add_argument("--protocol", type=int, default=0,
                   help="MTP's IP protocol number when it is not 146 (tshark -o mtp.protocol)")
    f.add_argument("program", nargs="+", help="the example and its arguments (after --)")
    sub.add_parser("malformed", help="hand-built malformed packets")
    opts = ap.parse_args()
    opts.lua = os.path.abspath(opts.lua)
    try:
        tshark = find_tshark(opts.tshark)
        if opts.mode == "fields":
            opts.program[0] = os.path.abspath(opts.program[0])
            check_fields(opts, tshark)
        else:
            check_malformed(opts, tshark)
    except Failure as e:
        print("FAIL: %s" % e, file=sys.stderr)
        return 1
    except subprocess.TimeoutExpired as e:
        print("FAIL: timed out: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
