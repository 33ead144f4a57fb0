"""The packet loop: a cheap prefilter on raw bytes, and full decoding only of what can identify a device.

For every record the decoder reads a few header bytes in place (link type, EtherType, IP protocol, ports) and:

- TCP: looks the direction's 4-tuple up in one dictionary. A direction already judged uninteresting costs that
  look-up and nothing else. A new direction is reassembled and classified by its first bytes
  (`camscan.passive.streams`); SYN and SYN-ACK are remembered so out-of-order first segments wait in place.
- UDP: only the discovery and management ports in `datagrams.UDP_PORTS` are decoded; fragments of UDP datagrams
  are reassembled first.
- ARP and DHCP bind MACs to addresses; other non-IP frames only record their source MAC.

Ethernet (with 802.1Q/802.1ad tags), Linux cooked captures (v1, v2), raw IP and BSD loopback are understood;
IPv4 and IPv6 (with extension headers and fragments). Per-flow buffers are bounded, idle flows expire, and a
global budget caps the bytes held, so memory stays flat whatever the capture size.
"""

from __future__ import annotations

import functools
import socket
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import cast

from camscan.passive.capture import (
    LINKTYPE_ETHERNET,
    LINKTYPE_IPV4,
    LINKTYPE_IPV6,
    LINKTYPE_LINUX_SLL,
    LINKTYPE_LINUX_SLL2,
    LINKTYPE_LOOP,
    LINKTYPE_NULL,
    LINKTYPE_RAW,
    Capture,
    Record,
    RecordWalk,
)
from camscan.passive.datagrams import UDP_PORTS, handle_udp
from camscan.passive.fragments import Defragmenter
from camscan.passive.hosts import HostTable, mac_text
from camscan.passive.reassembly import HalfStream
from camscan.passive.streams import Classifier, FlowInfo

_SEQ = struct.Struct("!I").unpack_from
_MISSING = object()
_QUIET = object()
SYN, RST, FIN, ACK = 0x02, 0x04, 0x01, 0x10
VLAN_TYPES = (0x8100, 0x88A8, 0x9100)
#: Idle seconds (capture time) after which a followed stream is closed.
IDLE_TIMEOUT = 600.0
MAX_FLOWS = 262_144
MAX_ACTIVE = 20_000
MAX_SYN = 65_536
MAX_REGISTRY = 65_536
MAX_SEEN = 65_536
#: Bytes all followed streams may hold together before the largest are closed early.
BUFFER_BUDGET = 64 * 1024 * 1024
MAINTAIN_EVERY = 0x1000
_RAW_TYPES = (LINKTYPE_RAW, 12, 14, LINKTYPE_IPV4, LINKTYPE_IPV6)
_IPV6_EXT = (0, 43, 60)  # hop-by-hop, routing, destination options
AF_INET, AF_INET6 = socket.AF_INET, socket.AF_INET6


@dataclass(slots=True)
class DecodeStats:
    streams: int = 0  # TCP directions followed beyond classification
    datagrams: int = 0  # UDP datagrams decoded
    undecodable: int = 0  # candidate datagrams that did not parse
    expired: int = 0  # streams closed early (idle, too many, over budget)


def _ntop(family: int, raw: bytes) -> str:
    return socket.inet_ntop(family, raw)


class PacketDecoder:
    def __init__(self, table: HostTable) -> None:
        self.table = table
        self.flows: dict[bytes, object] = {}
        self.active: dict[bytes, HalfStream] = {}
        self.syn: dict[bytes, tuple[int, bool]] = {}
        self.registry: dict[bytes, object] = {}
        self.defrag = Defragmenter()
        self.seen: set[int] = set()
        self.stats = DecodeStats()
        self.last_ts = 0.0
        self._created = 0

    # -- the loop -------------------------------------------------------------------------------------

    def run_capture(self, capture: Capture, progress: Callable[[int], None] | None = None) -> None:
        """Decode a whole capture: a memory-mapped classic pcap through the fused fast path, anything else
        (pcapng, compressed, a pipe) through `run(capture.records())`. `progress(bytes read)` is called now
        and then."""
        walk = capture.fast_walk()
        if walk is None:
            records: Iterable[Record] = capture.records()
            if progress is not None:
                records = _reporting(records, capture, progress)
            self.run(records)
            return
        self._walk(capture, walk, progress)

    def _walk(self, capture: Capture, walk: RecordWalk, progress: Callable[[int], None] | None) -> None:
        """`run`'s Ethernet/IPv4 fast path fused with the pcap record walk (`Capture._pcap`'s loop, inlined:
        a generator and a tuple per packet would cost as much as everything else here)."""
        flows_get = self.flows.get
        missing, quiet = _MISSING, _QUIET
        udp_ports = UDP_PORTS
        frame, tcp, udp = self._frame, self._tcp, self._udp
        buf, pos, end = walk.buf, walk.pos, walk.end
        size, lt, limit = walk.header.size, walk.linktype, walk.limit
        length = struct.Struct(walk.header.format[0] + "I").unpack_from  # incl_len only: time stamps are
        stamp = functools.partial(_record_ts, walk)  # read when a packet is decoded further
        ethernet = lt == LINKTYPE_ETHERNET
        packets = 0
        last_record = pos
        try:
            while pos + size <= end:
                (n,) = length(buf, pos + 8)
                off = pos + size
                if n > limit or off + n > end:
                    break  # damage: Capture.walked describes it
                last_record = pos
                pos = off + n
                packets += 1
                if not packets & 0x3FFF:
                    walk.window.release(pos)
                    if progress is not None:
                        progress(pos)
                # Plain Ethernet and IPv4 without options; everything else takes `frame`.
                p = off + 14
                if not ethernet or n < 54 or buf[off + 12] != 8 or buf[off + 13] or buf[p] != 0x45:
                    frame(stamp(last_record), lt, buf, off, n)
                    continue
                proto = buf[p + 9]
                if proto == 6:
                    key = buf[p + 12 : p + 24]
                    state = flows_get(key, missing)
                    if state is None and not buf[p + 33] & SYN:
                        continue  # an ignored direction: the commonest case by far
                    if buf[p + 6] & 0x3F or buf[p + 7]:
                        frame(stamp(last_record), lt, buf, off, n)  # a fragment
                        continue
                    if (
                        state is quiet
                        and not buf[p + 33] & SYN
                        and (buf[p + 2] << 8 | buf[p + 3]) - 20 - ((buf[p + 32] >> 4) << 2) <= 0
                    ):
                        continue  # still no payload in this direction
                    tcp(stamp(last_record), buf, p, p + 20, off + n, AF_INET, key, state, off + 6)
                elif proto == 17:
                    if buf[p + 6] & 0x3F or buf[p + 7]:
                        frame(stamp(last_record), lt, buf, off, n)  # a fragment: reassembled there
                    elif (buf[p + 20] << 8 | buf[p + 21]) in udp_ports or (
                        buf[p + 22] << 8 | buf[p + 23]
                    ) in udp_ports:
                        udp(stamp(last_record), buf, p, p + 20, off + n, AF_INET, off + 6)
        finally:
            first = last = None
            if packets:
                first, last = _record_ts(walk, walk.pos), _record_ts(walk, last_record)
                self.last_ts = max(self.last_ts, last)
            capture.walked(walk, packets, first, last, pos)

    def run(self, records: Iterable[Record]) -> None:
        """Decode every record. The Ethernet/IPv4 path is written out here because it is most of the traffic.

        A TCP direction's state is `_MISSING` (never seen), `_QUIET` (seen, no payload yet: the other side of a
        bulk transfer sends only ACKs), None (judged uninteresting) or the HalfStream being followed."""
        flows_get = self.flows.get
        missing, quiet = _MISSING, _QUIET
        udp_ports = UDP_PORTS
        frame, tcp, udp = self._frame, self._tcp, self._udp
        ts = self.last_ts
        try:
            for ts, lt, buf, off, n in records:
                if lt != LINKTYPE_ETHERNET or n < 34 or buf[off + 12] != 8 or buf[off + 13] != 0:
                    frame(ts, lt, buf, off, n)
                    continue
                p = off + 14
                vihl = buf[p]
                if vihl >> 4 != 4 or buf[p + 6] & 0x3F or buf[p + 7]:
                    frame(ts, lt, buf, off, n)  # not plain IPv4, or a fragment
                    continue
                proto = buf[p + 9]
                if proto == 6:
                    l4 = p + ((vihl & 15) << 2)
                    if l4 + 20 > off + n:
                        continue
                    key = buf[p + 12 : p + 24] if l4 == p + 20 else buf[p + 12 : p + 20] + buf[l4 : l4 + 4]
                    state = flows_get(key, missing)
                    if state is None or state is quiet:
                        flags = buf[l4 + 13]
                        if not flags & SYN and (
                            state is None
                            or (buf[p + 2] << 8 | buf[p + 3]) - (l4 - p) - ((buf[l4 + 12] >> 4) << 2) <= 0
                        ):
                            continue
                    tcp(ts, buf, p, l4, off + n, AF_INET, key, state, off + 6)
                elif proto == 17:
                    l4 = p + ((vihl & 15) << 2)
                    if l4 + 8 > off + n:
                        continue
                    if (buf[l4] << 8 | buf[l4 + 1]) in udp_ports or (
                        buf[l4 + 2] << 8 | buf[l4 + 3]
                    ) in udp_ports:
                        udp(ts, buf, p, l4, off + n, AF_INET, off + 6)
        finally:
            self.last_ts = max(self.last_ts, ts)

    # -- link layer -----------------------------------------------------------------------------------

    def _frame(self, ts: float, lt: int, buf: bytes, off: int, n: int) -> None:
        """Everything but plain Ethernet/IPv4: link layers, tags, IPv6, ARP, fragments."""
        end = off + n
        mac_off = -1
        if lt == LINKTYPE_ETHERNET:
            if n < 14:
                return
            mac_off = off + 6
            etype = buf[off + 12] << 8 | buf[off + 13]
            p = off + 14
            while etype in VLAN_TYPES and p + 4 <= end:
                etype = buf[p + 2] << 8 | buf[p + 3]
                p += 4
        elif lt == LINKTYPE_LINUX_SLL:
            if n < 16:
                return
            if buf[off + 4] == 0 and buf[off + 5] == 6:
                mac_off = off + 6
            etype = buf[off + 14] << 8 | buf[off + 15]
            p = off + 16
        elif lt == LINKTYPE_LINUX_SLL2:
            if n < 20:
                return
            if buf[off + 11] == 6:
                mac_off = off + 12
            etype = buf[off] << 8 | buf[off + 1]
            p = off + 20
        elif lt in _RAW_TYPES:
            if n < 1:
                return
            version = buf[off] >> 4
            etype = 0x0800 if version == 4 else 0x86DD if version == 6 else 0
            p = off
        elif lt in (LINKTYPE_NULL, LINKTYPE_LOOP):
            if n < 4:
                return
            family = int.from_bytes(buf[off : off + 4], "big" if lt == LINKTYPE_LOOP else "little")
            if family > 0xFFFF:  # written on a host of the other byte order
                family = int.from_bytes(buf[off : off + 4], "little" if lt == LINKTYPE_LOOP else "big")
            etype = 0x0800 if family == 2 else 0x86DD if family in (10, 24, 28, 30) else 0
            p = off + 4
        else:
            return
        if etype == 0x0800:
            self._ipv4(ts, buf, p, end, mac_off)
        elif etype == 0x86DD:
            self._ipv6(ts, buf, p, end, mac_off)
        elif etype == 0x0806:
            self._arp(ts, buf, p, end)
        elif mac_off >= 0:
            mac = mac_text(bytes(buf[mac_off : mac_off + 6]))
            if mac:
                self.table.see_mac(mac, ts)

    def _arp(self, ts: float, buf: bytes, p: int, end: int) -> None:
        if p + 28 > end or buf[p + 2 : p + 6] != b"\x08\x00\x06\x04":
            return
        mac = mac_text(bytes(buf[p + 8 : p + 14]))
        if mac is None:
            return
        sender = bytes(buf[p + 14 : p + 18])
        if sender == b"\x00\x00\x00\x00":  # an ARP probe: the address is not the sender's yet
            self.table.see_mac(mac, ts)
            return
        self.table.bind(mac, _ntop(AF_INET, sender), ts, strong=True)

    # -- network layer --------------------------------------------------------------------------------

    def _ipv4(self, ts: float, buf: bytes, p: int, end: int, mac_off: int) -> None:
        if p + 20 > end or buf[p] >> 4 != 4:
            return
        ihl = (buf[p] & 15) << 2
        total = buf[p + 2] << 8 | buf[p + 3]
        if total >= ihl:
            end = min(end, p + total)
        l4 = p + ihl
        proto = buf[p + 9]
        frag = (buf[p + 6] & 0x1F) << 8 | buf[p + 7]
        more = bool(buf[p + 6] & 0x20)
        if frag or more:
            if proto != 17:
                return
            key = bytes(buf[p + 12 : p + 20]) + bytes(buf[p + 4 : p + 6])
            whole = self.defrag.add(key, frag * 8, more, bytes(buf[l4:end]), ts)
            if whole is None or len(whole) < 8:
                return
            size = ihl + len(whole)
            header = bytes(buf[p : p + 2]) + min(size, 0xFFFF).to_bytes(2, "big") + bytes(buf[p + 4 : l4])
            self._udp(ts, header + whole, 0, ihl, size, AF_INET, mac_off, buf)
            return
        if proto == 6 and l4 + 20 <= end:
            key = bytes(buf[p + 12 : p + 20]) + bytes(buf[l4 : l4 + 4])
            self._tcp(ts, buf, p, l4, end, AF_INET, key, self.flows.get(key, _MISSING), mac_off)
        elif proto == 17 and l4 + 8 <= end:
            sport = buf[l4] << 8 | buf[l4 + 1]
            dport = buf[l4 + 2] << 8 | buf[l4 + 3]
            if sport in UDP_PORTS or dport in UDP_PORTS:
                self._udp(ts, buf, p, l4, end, AF_INET, mac_off)

    def _ipv6(self, ts: float, buf: bytes, p: int, end: int, mac_off: int) -> None:
        if p + 40 > end or buf[p] >> 4 != 6:
            return
        end = min(end, p + 40 + (buf[p + 4] << 8 | buf[p + 5]))
        nxt = buf[p + 6]
        l4 = p + 40
        for _ in range(8):
            if nxt in _IPV6_EXT:
                if l4 + 8 > end:
                    return
                nxt, l4 = buf[l4], l4 + 8 + buf[l4 + 1] * 8
            elif nxt == 44:  # fragment header
                if l4 + 8 > end:
                    return
                frag_nxt = buf[l4]
                offset = (buf[l4 + 2] << 8 | buf[l4 + 3]) & 0xFFF8
                more = bool(buf[l4 + 3] & 1)
                if frag_nxt != 17:
                    return
                key = bytes(buf[p + 8 : p + 40]) + bytes(buf[l4 + 4 : l4 + 8])
                whole = self.defrag.add(key, offset, more, bytes(buf[l4 + 8 : end]), ts)
                if whole is None or len(whole) < 8:
                    return
                header = bytes(buf[p : p + 40])
                self._udp(ts, header + whole, 0, 40, 40 + len(whole), AF_INET6, mac_off, buf)
                return
            else:
                break
        if nxt == 6 and l4 + 20 <= end:
            key = bytes(buf[p + 8 : p + 40]) + bytes(buf[l4 : l4 + 4])
            self._tcp(ts, buf, p, l4, end, AF_INET6, key, self.flows.get(key, _MISSING), mac_off)
        elif nxt == 17 and l4 + 8 <= end:
            sport = buf[l4] << 8 | buf[l4 + 1]
            dport = buf[l4 + 2] << 8 | buf[l4 + 3]
            if sport in UDP_PORTS or dport in UDP_PORTS:
                self._udp(ts, buf, p, l4, end, AF_INET6, mac_off)

    def _addresses(self, buf: bytes, p: int, family: int) -> tuple[str, str]:
        if family == AF_INET:
            return _ntop(AF_INET, bytes(buf[p + 12 : p + 16])), _ntop(AF_INET, bytes(buf[p + 16 : p + 20]))
        return _ntop(AF_INET6, bytes(buf[p + 8 : p + 24])), _ntop(AF_INET6, bytes(buf[p + 24 : p + 40]))

    # -- transport ------------------------------------------------------------------------------------

    def _udp(  # noqa: PLR0917 - the per-packet path: positional arguments are cheapest
        self,
        ts: float,
        buf: bytes,
        p: int,
        l4: int,
        end: int,
        family: int,
        mac_off: int,
        mac_buf: bytes | None = None,
    ) -> None:
        if family == AF_INET:
            total = buf[p + 2] << 8 | buf[p + 3]
            if total >= l4 - p:
                end = min(end, p + total)
        length = buf[l4 + 4] << 8 | buf[l4 + 5]
        if length >= 8:
            end = min(end, l4 + length)
        frame_buf = buf if mac_buf is None else mac_buf
        raw_mac = bytes(frame_buf[mac_off : mac_off + 6]) if mac_off >= 0 else b""
        # Announcements repeat byte for byte (SSDP NOTIFY, mDNS, WS-Discovery Hello every few seconds): a
        # datagram already decoded from the same sender (MAC, address, ports, payload) says nothing new.
        source = buf[p + 12 : p + 16] if family == AF_INET else buf[p + 8 : p + 24]
        digest = hash((raw_mac, source, buf[l4:end]))
        if digest in self.seen:
            return
        if len(self.seen) >= MAX_SEEN:
            self.seen.clear()
        self.seen.add(digest)
        src, _dst = self._addresses(buf, p, family)
        mac = mac_text(raw_mac) if raw_mac else None
        sport = buf[l4] << 8 | buf[l4 + 1]
        dport = buf[l4 + 2] << 8 | buf[l4 + 3]
        payload = bytes(buf[l4 + 8 : end])
        self.table.bind(mac, src, ts)
        self.stats.datagrams += 1
        if not handle_udp(self.table, src, payload, ts, sport=sport, dport=dport, src_mac=mac):
            self.stats.undecodable += 1

    def _tcp(  # noqa: PLR0917 - the per-packet path: positional arguments are cheapest
        self,
        ts: float,
        buf: bytes,
        p: int,
        l4: int,
        end: int,
        family: int,
        key: bytes,
        state: object,
        mac_off: int,
    ) -> None:
        if family == AF_INET:
            total = buf[p + 2] << 8 | buf[p + 3]
            if total >= l4 - p:
                end = min(end, p + total)
        flags = buf[l4 + 13]
        start = l4 + ((buf[l4 + 12] >> 4) << 2)
        (seq,) = _SEQ(buf, l4 + 4)
        if flags & SYN:
            if isinstance(state, HalfStream):
                state.close(ts)  # the 4-tuple is reused by a new connection
                self.active.pop(key, None)
            self.flows.pop(key, None)
            if len(self.syn) >= MAX_SYN:
                self.syn.clear()
            self.syn[key] = (seq, bool(flags & ACK))
            self._bind_frame(buf, p, family, mac_off, ts)
            return
        if state is None:
            return
        if state is _MISSING or state is _QUIET:
            if start >= end:
                if state is _MISSING:
                    self.flows[key] = _QUIET  # no payload yet: classification waits for the first data
                    self._new_direction(ts)
                return
            syn = self.syn.pop(key, None)
            src, dst = self._addresses(buf, p, family)
            flow = FlowInfo(
                src=src,
                dst=dst,
                sport=buf[l4] << 8 | buf[l4 + 1],
                dport=buf[l4 + 2] << 8 | buf[l4 + 3],
                server=None if syn is None else syn[1],
            )
            classifier = Classifier(self.table, flow, _connection_key(key, family), self.registry)
            stream = HalfStream(classifier, None if syn is None else syn[0], ts)
            classifier.stream = stream
            self.flows[key] = state = stream
            self.active[key] = stream
            self._new_direction(ts)
            self._bind_frame(buf, p, family, mac_off, ts)
        state = cast(HalfStream, state)
        state.segment(seq, buf[start:end] if start < end else b"", bool(flags & FIN), ts)
        if flags & RST:
            state.close(ts)
            reverse = _reverse(key, family)
            other = self.flows.get(reverse)
            if isinstance(other, HalfStream):
                other.close(ts)
                self.flows[reverse] = None
                self.active.pop(reverse, None)
        if state.finished:
            self.flows[key] = None
            self.active.pop(key, None)
            if not isinstance(state.sink, Classifier):
                self.stats.streams += 1

    def _bind_frame(self, buf: bytes, p: int, family: int, mac_off: int, ts: float) -> None:
        if mac_off < 0:
            return
        mac = mac_text(bytes(buf[mac_off : mac_off + 6]))
        if mac is not None:
            self.table.bind(mac, self._addresses(buf, p, family)[0], ts)

    # -- housekeeping ---------------------------------------------------------------------------------

    def _new_direction(self, ts: float) -> None:
        """Tables only grow when directions appear, so that is when their bounds are checked."""
        self._created += 1
        if not self._created & (MAINTAIN_EVERY - 1):
            self.maintain(ts)

    def maintain(self, ts: float) -> None:
        """Expire idle streams, keep the flow table and the buffers within their bounds."""
        self.last_ts = max(self.last_ts, ts)
        idle = [k for k, s in self.active.items() if s.last < self.last_ts - IDLE_TIMEOUT]
        self._close(idle)
        if len(self.active) > MAX_ACTIVE:
            oldest = sorted(self.active, key=lambda k: self.active[k].last)[: len(self.active) - MAX_ACTIVE]
            self._close(oldest)
        if sum(s.buffered() for s in self.active.values()) > BUFFER_BUDGET:
            largest = sorted(self.active, key=lambda k: -self.active[k].buffered())
            self._close(largest[: max(1, len(largest) // 4)])
        if len(self.flows) > MAX_FLOWS:
            for key in [k for k, v in self.flows.items() if v is None or v is _QUIET]:
                del self.flows[key]
        if len(self.registry) > MAX_REGISTRY:
            self.registry.clear()

    def _close(self, keys: list[bytes]) -> None:
        for key in keys:
            stream = self.active.pop(key)
            stream.close(self.last_ts)
            self.flows[key] = None
            self.stats.expired += 1

    def finish(self) -> None:
        """End of input: every followed stream is closed, so half-received messages are reported."""
        for stream in list(self.active.values()):
            stream.close(self.last_ts)
        self.active.clear()
        self.flows.clear()
        self.syn.clear()
        self.registry.clear()


def _record_ts(walk: RecordWalk, pos: int) -> float:
    """The time stamp of the record whose header starts at `pos`."""
    sec, frac, _n, _o = walk.header.unpack_from(walk.buf, pos)
    ts: float = sec + frac / walk.divisor
    return ts


def _reporting(
    records: Iterable[Record], capture: Capture, progress: Callable[[int], None]
) -> Iterator[Record]:
    for n, record in enumerate(records, 1):
        if not n & 0x3FFF:
            progress(capture.position)
        yield record


def _reverse(key: bytes, family: int) -> bytes:
    n = 4 if family == AF_INET else 16
    src, dst, ports = key[:n], key[n : 2 * n], key[2 * n :]
    return dst + src + ports[2:4] + ports[0:2]


def _connection_key(key: bytes, family: int) -> bytes:
    return min(key, _reverse(key, family))
