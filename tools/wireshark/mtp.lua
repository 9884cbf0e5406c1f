-- SPDX-License-Identifier: GPL-2.0-only
--
-- Wireshark / tshark dissector for MTP, the Homa wire format of the ns-3 `mtp`
-- module (IP protocol 146 by default; the same bytes Linux Homa writes).
--
-- Use it without installing anything:
--   tshark -X lua_script:tools/wireshark/mtp.lua -r mtp-rpc-echo-0-1.pcap -V
-- or install it for the Wireshark GUI:
--   mkdir -p ~/.local/lib/wireshark/plugins && cp tools/wireshark/mtp.lua "$_"
--
-- It decodes the 28-byte common header and all nine packet types field by
-- field (DATA, GRANT, RESEND, RPC_UNKNOWN, BUSY, CUTOFFS, FREEZE, NEED_ACK,
-- ACK), flags malformed packets with expert info and never raises a Lua error
-- on short or garbage input.  Every field has a display filter name under
-- `mtp.` (doc/wireshark.rst lists them).
--
-- Registered on ip.proto 146 (IPv4 and IPv6 both dispatch on ip.proto), on the
-- number in the preference "mtp.protocol" (set it to MtpL4Protocol's
-- IpProtocolNumber Attribute when a simulation uses another one), and for
-- "Decode As... > IP protocol".
--
-- DATA offsets: MTP writes the segment offset both in `sequence` and in the
-- segment header's `offset`; Linux Homa writes 0xFFFFFFFF in the segment's
-- `offset` of a single-segment packet and the offset in `sequence`.  The
-- dissector shows the raw fields and, as mtp.data.offset, the offset the
-- segment really has (from `sequence` when the segment field is 0xFFFFFFFF).
--
-- Checksum: a non-zero `checksum` is verified as Linux Homa and MTP compute
-- it: the TCP checksum (pseudo-header with protocol 6, not MTP's number) over
-- the IP addresses, the MTP length, the header with the checksum field taken
-- as zero and the payload; a computed 0 is sent as 0xFFFF.  0 means "not
-- computed" (ns-3's ChecksumEnabled and MtpL4Protocol::ForceChecksum off).
-- The preference "mtp.check_checksum" turns verification off.

local DEFAULT_PROTO = 146
local COMMON_SIZE = 28
local MAX_ACKS = 5
local ACK_SLOT_SIZE = 10
local MAX_MESSAGE_LENGTH = 1000000
local SEG_OFFSET_NONE = 0xFFFFFFFF -- Homa: "offset is in the sequence field"
local LENGTH_ALL = 0xFFFFFFFF      -- RESEND: everything from offset
local ONE_WAY_FLAG = 0x01          -- MTP extension flag in DATA pad[0]
local ACK_ONLY_FLAG = 0x02         -- MTP extension: a one-way message wants an ack, no response
local CHECKSUM_OFFSET = 16
local PSEUDO_PROTOCOL = 6          -- Homa sums a TCP pseudo-header

-- mtp.checksum.status values (Wireshark's own checksum status numbering).
local CK = { BAD = 0, GOOD = 1, UNVERIFIED = 2, NOT_COMPUTED = 3 }
local checksum_status_names = {
    [CK.BAD] = "Bad", [CK.GOOD] = "Good", [CK.UNVERIFIED] = "Unverified",
    [CK.NOT_COMPUTED] = "Not computed",
}

local mtp = Proto("mtp", "MTP (Homa wire format)")

-- Packet type codes and names (homa_wire.h's codes).
local T = {
    DATA = 0x10, GRANT = 0x11, RESEND = 0x12, RPC_UNKNOWN = 0x13, BUSY = 0x14,
    CUTOFFS = 0x15, FREEZE = 0x16, NEED_ACK = 0x17, ACK = 0x18,
}
local type_names = {}
for name, code in pairs(T) do
    type_names[code] = name
end

-- Full header size (common header included) of each type.
local header_size = {
    [T.DATA] = 56, [T.GRANT] = 33, [T.RESEND] = 37, [T.RPC_UNKNOWN] = 28,
    [T.BUSY] = 28, [T.CUTOFFS] = 62, [T.FREEZE] = 28, [T.NEED_ACK] = 28,
    [T.ACK] = 80,
}

-- ---------------------------------------------------------------------------
-- Fields
-- ---------------------------------------------------------------------------
local pf = {
    -- common header
    sport = ProtoField.uint16("mtp.sport", "Source port", base.DEC),
    dport = ProtoField.uint16("mtp.dport", "Destination port", base.DEC),
    port = ProtoField.uint16("mtp.port", "Port (source or destination)", base.DEC),
    sequence = ProtoField.uint32("mtp.sequence", "Sequence", base.DEC),
    tcp_ack = ProtoField.bytes("mtp.tcp_ack", "Unused (TCP ack field bytes)"),
    type = ProtoField.uint8("mtp.type", "Type", base.HEX, type_names),
    doff = ProtoField.uint8("mtp.doff", "Data offset byte", base.HEX),
    doff_len = ProtoField.uint8("mtp.doff.hdr_len", "Header length from doff (bytes)", base.DEC),
    flags = ProtoField.uint8("mtp.flags", "Flags", base.HEX),
    window = ProtoField.uint16("mtp.window", "Window", base.DEC),
    checksum = ProtoField.uint16("mtp.checksum", "Checksum", base.HEX),
    checksum_status = ProtoField.uint8("mtp.checksum.status", "Checksum status", base.DEC,
                                       checksum_status_names),
    checksum_calc = ProtoField.uint16("mtp.checksum.calculated", "Calculated checksum",
                                      base.HEX),
    urgent = ProtoField.uint16("mtp.urgent", "Urgent", base.HEX),
    sender_id = ProtoField.uint64("mtp.sender_id", "Sender's RPC id", base.DEC),
    rpc_id = ProtoField.uint64("mtp.rpc_id", "RPC id as the receiver knows it (sender_id ^ 1)",
                               base.DEC),
    role = ProtoField.string("mtp.role", "Sender's role in the RPC"),
    -- DATA
    msg_len = ProtoField.uint32("mtp.data.message_length", "Message length", base.DEC),
    incoming = ProtoField.uint32("mtp.data.incoming", "Incoming (sent without more grants)",
                                 base.DEC),
    data_ack_id = ProtoField.uint64("mtp.data.ack.client_id", "Ack: client id", base.DEC),
    data_ack_port = ProtoField.uint16("mtp.data.ack.server_port", "Ack: server port", base.DEC),
    cutoff_version = ProtoField.uint16("mtp.data.cutoff_version", "Cutoff version", base.DEC),
    retransmit = ProtoField.uint8("mtp.data.retransmit", "Retransmit", base.DEC),
    pad = ProtoField.bytes("mtp.data.pad", "Pad (MTP extension flags in byte 0)"),
    one_way = ProtoField.bool("mtp.data.one_way", "One-way message (MTP extension)", 8,
                              nil, ONE_WAY_FLAG),
    ack_only = ProtoField.bool("mtp.data.ack_only",
                               "Ack instead of a response (MTP extension)", 8, nil,
                               ACK_ONLY_FLAG),
    seg_offset = ProtoField.uint32("mtp.data.seg_offset", "Segment offset field", base.DEC),
    offset = ProtoField.uint32("mtp.data.offset", "Offset of this segment", base.DEC),
    payload_len = ProtoField.uint32("mtp.data.payload_length", "Segment payload length",
                                    base.DEC),
    payload = ProtoField.bytes("mtp.data.payload", "Segment payload"),
    -- GRANT
    grant_offset = ProtoField.uint32("mtp.grant.offset", "Grant up to offset", base.DEC),
    grant_prio = ProtoField.uint8("mtp.grant.priority", "Priority", base.DEC),
    -- RESEND
    resend_offset = ProtoField.uint32("mtp.resend.offset", "Offset", base.DEC),
    resend_length = ProtoField.uint32("mtp.resend.length", "Length", base.DEC,
                                      {[LENGTH_ALL] = "all (-1)"}),
    resend_prio = ProtoField.uint8("mtp.resend.priority", "Priority", base.DEC),
    -- CUTOFFS
    cutoff = ProtoField.uint32("mtp.cutoffs.cutoff", "Unscheduled cutoff", base.DEC),
    cutoffs_version = ProtoField.uint16("mtp.cutoffs.version", "Cutoff version", base.DEC),
    -- ACK
    num_acks = ProtoField.uint16("mtp.ack.num_acks", "Number of acks", base.DEC),
    ack_id = ProtoField.uint64("mtp.ack.client_id", "Client id", base.DEC),
    ack_port = ProtoField.uint16("mtp.ack.server_port", "Server port", base.DEC),
    ack_unused = ProtoField.bytes("mtp.ack.unused_slot", "Unused ack slot"),
    -- anything else
    trailing = ProtoField.bytes("mtp.trailing", "Bytes after the header"),
}
local field_list = {}
for _, f in pairs(pf) do
    field_list[#field_list + 1] = f
end
mtp.fields = field_list

local ex = {
    truncated = ProtoExpert.new("mtp.truncated", "Packet too short for its MTP header",
                                expert.group.MALFORMED, expert.severity.ERROR),
    unknown_type = ProtoExpert.new("mtp.unknown_type", "Unknown MTP packet type",
                                   expert.group.MALFORMED, expert.severity.ERROR),
    num_acks = ProtoExpert.new("mtp.bad_num_acks", "num_acks above 5",
                               expert.group.MALFORMED, expert.severity.ERROR),
    doff = ProtoExpert.new("mtp.bad_doff", "doff inconsistent with the packet",
                           expert.group.MALFORMED, expert.severity.WARN),
    bad_offset = ProtoExpert.new("mtp.bad_offset", "Segment lies outside its message",
                                 expert.group.MALFORMED, expert.severity.ERROR),
    bad_length = ProtoExpert.new("mtp.bad_length", "message_length above 1000000",
                                 expert.group.MALFORMED, expert.severity.WARN),
    bad_prio = ProtoExpert.new("mtp.bad_priority", "Priority above 7",
                               expert.group.PROTOCOL, expert.severity.WARN),
    trailing = ProtoExpert.new("mtp.trailing_bytes", "Bytes after a header-only packet",
                               expert.group.PROTOCOL, expert.severity.NOTE),
    checksum = ProtoExpert.new("mtp.bad_checksum", "Bad MTP checksum",
                               expert.group.CHECKSUM, expert.severity.WARN),
}
mtp.experts = { ex.truncated, ex.unknown_type, ex.num_acks, ex.doff, ex.bad_offset,
                ex.bad_length, ex.bad_prio, ex.trailing, ex.checksum }

mtp.prefs.protocol = Pref.uint("IP protocol number", DEFAULT_PROTO,
    "Also decode this IP protocol as MTP (MtpL4Protocol::IpProtocolNumber; "
    .. DEFAULT_PROTO .. " is always decoded)")
mtp.prefs.check_checksum = Pref.bool("Verify the checksum", true,
    "Verify a non-zero checksum (TCP pseudo-header with protocol 6, as Linux Homa)")

-- ---------------------------------------------------------------------------
-- Checksum
-- ---------------------------------------------------------------------------
local f_ip_src = Field.new("ip.src")
local f_ip_dst = Field.new("ip.dst")
local f_ipv6_src = Field.new("ipv6.src")
local f_ipv6_dst = Field.new("ipv6.dst")

-- The last (innermost so far) occurrence of an address field, or nil.
local function last_field(extractor)
    local all = { extractor() }
    return all[#all]
end

-- The raw source and destination address bytes (Lua strings) of the IP header
-- that carries this packet, or nil when there is none (e.g. Decode As over
-- something else).  With both families present (a tunnel), the one whose
-- source matches pinfo.net_src is taken.
local function pseudo_addresses(pinfo)
    local families = {
        { last_field(f_ip_src), last_field(f_ip_dst), 4 },
        { last_field(f_ipv6_src), last_field(f_ipv6_dst), 16 },
    }
    local net_src = tostring(pinfo.net_src)
    local found = nil
    for _, fam in ipairs(families) do
        local src, dst, size = fam[1], fam[2], fam[3]
        if src and dst and src.len == size and dst.len == size then
            local cand = { src.range:bytes():raw(), dst.range:bytes():raw() }
            if tostring(src.value) == net_src or not found then
                found = cand
            end
        end
    end
    if not found then
        return nil, nil
    end
    return found[1], found[2]
end

-- Sum of the big-endian 16-bit words of string `s` (an odd last byte padded
-- with zero), added to `sum`.  Plain numbers: exact far beyond any IP packet.
local function add_words(sum, s)
    local n = #s
    local i = 1
    while i + 1 <= n do
        local hi, lo = string.byte(s, i, i + 1)
        sum = sum + hi * 256 + lo
        i = i + 2
    end
    if i == n then
        sum = sum + string.byte(s, n) * 256
    end
    return sum
end

-- Fold a sum into 16 bits, ones'-complement style.
local function fold(sum)
    while sum > 0xFFFF do
        sum = (sum % 0x10000) + math.floor(sum / 0x10000)
    end
    return sum
end

-- The checksum MTP writes for the packet `bytes` (a Lua string with the
-- checksum field as sent) between addresses `src` and `dst`.
local function compute_checksum(src, dst, bytes)
    local length = #bytes
    local sum = add_words(add_words(0, src), dst)
    sum = sum + PSEUDO_PROTOCOL + math.floor(length / 0x10000) + length % 0x10000
    sum = add_words(sum, bytes:sub(1, CHECKSUM_OFFSET))
    sum = add_words(sum, bytes:sub(CHECKSUM_OFFSET + 3))
    local checksum = 0xFFFF - fold(sum)
    return checksum == 0 and 0xFFFF or checksum
end

-- Add mtp.checksum.status (and mtp.checksum.calculated, mtp.bad_checksum) for
-- the checksum field `item` holding `value`.  Called only when the common
-- header was captured.
local function check_checksum(tvb, pinfo, item, value)
    local status_range = tvb(CHECKSUM_OFFSET, 2)
    if value == 0 then
        item:add(pf.checksum_status, status_range, CK.NOT_COMPUTED):set_generated()
        return
    end
    local src, dst = pseudo_addresses(pinfo)
    if not mtp.prefs.check_checksum or not src or tvb:len() ~= tvb:reported_len() then
        item:add(pf.checksum_status, status_range, CK.UNVERIFIED):set_generated()
        return
    end
    local calc = compute_checksum(src, dst, tvb():bytes():raw())
    item:add(pf.checksum_calc, status_range, calc):set_generated()
    if calc == value then
        item:add(pf.checksum_status, status_range, CK.GOOD):set_generated()
        item:append_text(" [correct]")
        return
    end
    item:add(pf.checksum_status, status_range, CK.BAD):set_generated()
    item:append_text(string.format(" [incorrect, should be 0x%04x]", calc))
    item:add_proto_expert_info(ex.checksum,
        string.format("Bad checksum 0x%04x, should be 0x%04x", value, calc))
end

-- ---------------------------------------------------------------------------
-- A reader that never reads past the captured bytes: each call returns the
-- tree item and the value, or nil (and marks the packet truncated).
-- ---------------------------------------------------------------------------
local Reader = {}
Reader.__index = Reader

local function new_reader(tvb)
    return setmetatable({ tvb = tvb, short = false }, Reader)
end

-- Whether `n` bytes at `off` were captured.
function Reader:has(off, n)
    return off + n <= self.tvb:len()
end

-- Add field `f` of `n` bytes at `off` to `tree`; `kind` is "uint", "uint64" or
-- "bytes" and picks how the value is returned.
function Reader:add(tree, f, off, n, kind)
    if not self:has(off, n) then
        self.short = true
        return nil, nil
    end
    local range = self.tvb(off, n)
    local item = tree:add(f, range)
    if kind == "uint64" then
        return item, range:uint64()
    elseif kind == "bytes" then
        return item, range:bytes()
    end
    return item, range:uint()
end

-- ---------------------------------------------------------------------------
-- Type-specific parts: each returns a short summary for the Info column.
-- ---------------------------------------------------------------------------
local function dissect_data(r, tree, common)
    local _, mlen = r:add(tree, pf.msg_len, 28, 4)
    r:add(tree, pf.incoming, 32, 4)
    local ack = tree
    if r:has(36, ACK_SLOT_SIZE) then
        ack = tree:add(r.tvb(36, ACK_SLOT_SIZE), "Piggybacked ack")
    end
    local _, ack_id = r:add(ack, pf.data_ack_id, 36, 8, "uint64")
    local _, ack_port = r:add(ack, pf.data_ack_port, 44, 2)
    if ack_id and ack_port and ack ~= tree then
        ack:append_text(ack_id == UInt64(0) and ": none" or (": " .. tostring(ack_id) .. "@"
            .. tostring(ack_port)))
    end
    r:add(tree, pf.cutoff_version, 46, 2)
    r:add(tree, pf.retransmit, 48, 1)
    local pad_item = r:add(tree, pf.pad, 49, 3, "bytes")
    if pad_item then
        pad_item:add(pf.one_way, r.tvb(49, 1))
        pad_item:add(pf.ack_only, r.tvb(49, 1))
    end
    local seg_item, seg = r:add(tree, pf.seg_offset, 52, 4)
    if not seg then
        return "DATA (truncated)"
    end
    local offset = seg
    if seg == SEG_OFFSET_NONE then
        seg_item:append_text(" (none: offset is in the sequence field)")
        offset = common.sequence
    end
    tree:add(pf.offset, r.tvb(52, 4), offset):set_generated()
    local plen = r.tvb:reported_len() - 56
    tree:add(pf.payload_len, r.tvb(0, 56), plen):set_generated()
    if r.tvb:len() > 56 then
        tree:add(pf.payload, r.tvb(56))
    end
    if mlen > MAX_MESSAGE_LENGTH then
        tree:add_proto_expert_info(ex.bad_length,
            "message_length " .. mlen .. " above " .. MAX_MESSAGE_LENGTH)
    end
    if mlen == 0 then
        if plen ~= 0 or offset ~= 0 then
            tree:add_proto_expert_info(ex.bad_offset,
                "Empty message with " .. plen .. " payload bytes at offset " .. offset)
        end
    elseif plen == 0 or offset + plen > mlen then
        tree:add_proto_expert_info(ex.bad_offset, "Segment [" .. offset .. ", " .. offset + plen
            .. ") outside a message of " .. mlen .. " bytes")
    end
    return string.format("DATA off=%d len=%d msg=%d", offset, plen, mlen)
end

local function check_prio(item, prio)
    if prio and prio > 7 then
        item:add_proto_expert_info(ex.bad_prio, "Priority " .. prio .. " above 7")
    end
end

local function dissect_grant(r, tree)
    local _, off = r:add(tree, pf.grant_offset, 28, 4)
    local item, prio = r:add(tree, pf.grant_prio, 32, 1)
    check_prio(item, prio)
    if not prio then
        return "GRANT (truncated)"
    end
    return string.format("GRANT off=%d prio=%d", off, prio)
end

local function dissect_resend(r, tree)
    local _, off = r:add(tree, pf.resend_offset, 28, 4)
    local _, len = r:add(tree, pf.resend_length, 32, 4)
    local item, prio = r:add(tree, pf.resend_prio, 36, 1)
    check_prio(item, prio)
    if not prio then
        return "RESEND (truncated)"
    end
    return string.format("RESEND off=%d len=%s prio=%d", off,
        len == LENGTH_ALL and "all" or tostring(len), prio)
end

local function dissect_cutoffs(r, tree)
    local values = {}
    for p = 0, 7 do
        local item, c = r:add(tree, pf.cutoff, 28 + 4 * p, 4)
        if item then
            item:prepend_text("[" .. p .. "] ")
            values[#values + 1] = tostring(c)
        end
    end
    local _, version = r:add(tree, pf.cutoffs_version, 60, 2)
    if not version then
        return "CUTOFFS (truncated)"
    end
    return "CUTOFFS " .. table.concat(values, ",") .. " v" .. version
end

local function dissect_ack(r, tree)
    local item, n = r:add(tree, pf.num_acks, 28, 2)
    if not n then
        return "ACK (truncated)"
    end
    if n > MAX_ACKS then
        item:add_proto_expert_info(ex.num_acks, "num_acks " .. n .. " above " .. MAX_ACKS)
    end
    local acks = {}
    for s = 0, MAX_ACKS - 1 do
        local off = 30 + ACK_SLOT_SIZE * s
        if s < n then
            if r:has(off, ACK_SLOT_SIZE) then
                local slot = tree:add(r.tvb(off, ACK_SLOT_SIZE), "Ack " .. s)
                local _, id = r:add(slot, pf.ack_id, off, 8, "uint64")
                local _, port = r:add(slot, pf.ack_port, off + 8, 2)
                slot:append_text(": " .. tostring(id) .. "@" .. port)
                acks[#acks + 1] = tostring(id) .. "@" .. port
            else
                r.short = true
            end
        else
            r:add(tree, pf.ack_unused, off, ACK_SLOT_SIZE, "bytes")
        end
    end
    return "ACK [" .. table.concat(acks, " ") .. "]"
end

local dissect_type = {
    [T.DATA] = dissect_data, [T.GRANT] = dissect_grant, [T.RESEND] = dissect_resend,
    [T.CUTOFFS] = dissect_cutoffs, [T.ACK] = dissect_ack,
}

-- ---------------------------------------------------------------------------
-- Common header
-- ---------------------------------------------------------------------------
local function dissect_common(r, tree, pinfo)
    local c = {}
    local _
    _, c.sport = r:add(tree, pf.sport, 0, 2)
    _, c.dport = r:add(tree, pf.dport, 2, 2)
    tree:add(pf.port, r.tvb(0, 2)):set_hidden()
    tree:add(pf.port, r.tvb(2, 2)):set_hidden()
    _, c.sequence = r:add(tree, pf.sequence, 4, 4)
    r:add(tree, pf.tcp_ack, 8, 3, "bytes")
    _, c.type = r:add(tree, pf.type, 11, 1)
    local doff_item
    doff_item, c.doff = r:add(tree, pf.doff, 12, 1)
    c.doff_item = doff_item
    doff_item:add(pf.doff_len, r.tvb(12, 1), math.floor(c.doff / 16) * 4):set_generated()
    r:add(tree, pf.flags, 13, 1)
    r:add(tree, pf.window, 14, 2)
    local checksum_item, checksum = r:add(tree, pf.checksum, CHECKSUM_OFFSET, 2)
    check_checksum(r.tvb, pinfo, checksum_item, checksum)
    r:add(tree, pf.urgent, 18, 2)
    _, c.sender_id = r:add(tree, pf.sender_id, 20, 8, "uint64")
    local client = c.sender_id:band(1) == UInt64(0)
    tree:add(pf.rpc_id, r.tvb(20, 8), c.sender_id:bxor(1)):set_generated()
    tree:add(pf.role, r.tvb(20, 8), client and "client" or "server"):set_generated()
    return c
end

-- doff: the header length in 4-byte words in the high nibble (TCP style); the
-- low nibble is reserved.  It may be smaller than the MTP header (Linux Homa
-- writes 0x50 in control packets) but never claim more than the packet holds.
local function check_doff(r, c)
    local claimed = math.floor(c.doff / 16) * 4
    if c.doff % 16 ~= 0 then
        c.doff_item:add_proto_expert_info(ex.doff,
            string.format("doff 0x%02x: low nibble is reserved", c.doff))
    elseif claimed > r.tvb:reported_len() then
        c.doff_item:add_proto_expert_info(ex.doff, "doff claims a " .. claimed
            .. "-byte header in a " .. r.tvb:reported_len() .. "-byte packet")
    end
end

function mtp.dissector(tvb, pinfo, root)
    pinfo.cols.protocol = "MTP"
    local len = tvb:len()
    local tree = root:add(mtp, tvb())
    local r = new_reader(tvb)
    if len < COMMON_SIZE then
        tree:add_proto_expert_info(ex.truncated,
            len .. " bytes, shorter than the 28-byte common header")
        pinfo.cols.info = "MTP malformed: " .. len .. " bytes"
        return len
    end
    local c = dissect_common(r, tree, pinfo)
    check_doff(r, c)
    local name = type_names[c.type]
    local prefix = string.format("%d -> %d id=%s ", c.sport, c.dport, tostring(c.sender_id))
    if not name then
        tree:add_proto_expert_info(ex.unknown_type, string.format("Type 0x%02x", c.type))
        if len > COMMON_SIZE then
            tree:add(pf.trailing, tvb(COMMON_SIZE))
        end
        pinfo.cols.info = prefix .. string.format("unknown type 0x%02x", c.type)
        return len
    end
    tree:append_text(", " .. name)
    local summary = name
    local handler = dissect_type[c.type]
    if handler then
        summary = handler(r, tree, c)
    elseif len > COMMON_SIZE then
        tree:add(pf.trailing, tvb(COMMON_SIZE)):add_proto_expert_info(ex.trailing)
    end
    if r.short then
        tree:add_proto_expert_info(ex.truncated, string.format("%s needs %d bytes, packet has %d",
            name, header_size[c.type], len))
    end
    pinfo.cols.info = prefix .. summary
    return len
end

-- ---------------------------------------------------------------------------
-- Registration
-- ---------------------------------------------------------------------------
local ip_proto = DissectorTable.get("ip.proto")
ip_proto:add(DEFAULT_PROTO, mtp)
ip_proto:add_for_decode_as(mtp)
local registered_extra = nil

function mtp.prefs_changed()
    local want = mtp.prefs.protocol
    if registered_extra == want then
        return
    end
    if registered_extra and registered_extra ~= DEFAULT_PROTO then
        ip_proto:remove(registered_extra, mtp)
    end
    if want >= 0 and want <= 255 and want ~= DEFAULT_PROTO then
        ip_proto:add(want, mtp)
    end
    registered_extra = want
end
