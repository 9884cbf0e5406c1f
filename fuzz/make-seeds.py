#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write the fuzzers' seed corpora from real MTP packets.

Runs the example mtp-packet-types (which makes MTP send all nine packet
types) with --pcap, over IPv4 and over IPv6, reads the pcaps it writes and
keeps the first packet of each type that each node sent:

  fuzz/corpus/mtp-fuzz-header/<type>            the MTP bytes (IP payload), IPv4 run
  fuzz/corpus/mtp-fuzz-receive/<type>-<v4|v6>   three steering bytes, then those bytes

The steering bytes (fuzz/mtp-fuzz-receive.cc) deliver the packet to the node
it was sent to, from its peer's address, with its ports and RPC id rewritten
to those of a live RPC (the 30000-byte one for DATA, GRANT and RESEND), 10 us
after the RPCs start, at the IP priority it was sent with.

  fuzz/make-seeds.py build/bin/mtp-packet-types [--out fuzz/corpus]
"""

import argparse
import os
import struct
import subprocess
import sys
import tempfile

MTP_PROTOCOL = 146
TYPE_NAMES = {
    0x10: "data",
    0x11: "grant",
    0x12: "resend",
    0x13: "rpc-unknown",
    0x14: "busy",
    0x15: "cutoffs",
    0x16: "freeze",
    0x17: "need-ack",
    0x18: "ack",
}
DLT_PPP = 9
DLT_RAW = 101
ARRIVAL = 40  # x 250 ns: 10 us after the RPCs start


def read_pcap(path):
    """Yield the link-layer frames of a classic pcap file."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    pos = 24
    while pos + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[pos + 8 : pos + 12])[0]
        frame = data[pos + 16 : pos + 16 + incl]
        pos += 16 + incl
        yield linktype, frame


def ip_payload(linktype, frame):
    """(ipv6, priority, source, MTP bytes) of an MTP packet, or None."""
    if linktype == DLT_PPP:
        frame = frame[2:]
    elif linktype != DLT_RAW:
        raise SystemExit(f"make-seeds: unexpected pcap link type {linktype}")
    if not frame:
        return None
    version = frame[0] >> 4
    if version == 4:
        ihl = (frame[0] & 0x0F) * 4
        if frame[9] != MTP_PROTOCOL:
            return None
        total = struct.unpack(">H", frame[2:4])[0]
        return False, frame[1] >> 5, frame[12:16], frame[ihl:total]
    if version == 6:
        if frame[6] != MTP_PROTOCOL:
            return None
        tclass = ((frame[0] & 0x0F) << 4) | (frame[1] >> 4)
        length = struct.unpack(">H", frame[4:6])[0]
        return True, tclass >> 5, frame[8:24], frame[40 : 40 + length]
    return None


def collect(binary, ipv6):
    """{(type code, sent by client?): (priority, MTP bytes)}, first of each."""
    found = {}
    with tempfile.TemporaryDirectory() as tmp:
        args = [os.path.abspath(binary), "--pcap"] + (["--ipv6"] if ipv6 else [])
        subprocess.run(args, cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        # Node 0 is the client: its pcap holds what it sent and what it got.
        client_pcap = os.path.join(tmp, "mtp-packet-types-0-1.pcap")
        client_addr = None
        for linktype, frame in read_pcap(client_pcap):
            parsed = ip_payload(linktype, frame)
            if parsed is None or len(parsed[3]) < 28:
                continue
            _, prio, src, mtp = parsed
            if client_addr is None:
                client_addr = src  # the client speaks first
            key = (mtp[11], src == client_addr)
            found.setdefault(key, (prio, bytes(mtp)))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", help="path to the mtp-packet-types example")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "corpus"))
    args = ap.parse_args()

    header_dir = os.path.join(args.out, "mtp-fuzz-header")
    receive_dir = os.path.join(args.out, "mtp-fuzz-receive")
    os.makedirs(header_dir, exist_ok=True)
    os.makedirs(receive_dir, exist_ok=True)
    for ipv6 in (False, True):
        family = "v6" if ipv6 else "v4"
        found = collect(args.binary, ipv6)
        for code, name in TYPE_NAMES.items():
            # Prefer the packet as the client sent it (to the server).
            key = (code, True) if (code, True) in found else (code, False)
            if key not in found:
                sys.exit(f"make-seeds: no {name} packet in the {family} run")
            prio, mtp = found[key]
            if not ipv6:
                with open(os.path.join(header_dir, name), "wb") as f:
                    f.write(mtp)
            flags = 0x08  # patch ports and id to a live RPC's
            flags |= 0x01 if ipv6 else 0
            flags |= 0x00 if key[1] else 0x02  # to the server if the client sent it
            flags |= 0x10 if code in (0x10, 0x11, 0x12) else 0
            with open(os.path.join(receive_dir, f"{name}-{family}"), "wb") as f:
                f.write(bytes([flags, ARRIVAL, prio]) + mtp)
    print(f"make-seeds: wrote {header_dir} and {receive_dir}")


if __name__ == "__main__":
    main()
