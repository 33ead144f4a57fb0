"""DNS wire format (RFC 1035), sans-io and bounded: enough of it for mDNS service discovery.

Names are kept as tuples of labels, because a DNS-SD instance label may itself contain dots
(`D-Link DCS-935L Configuration Utility._http._tcp.local`).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from camscan.parse.base import ParseError

A, PTR, TXT, AAAA, SRV = 1, 12, 16, 28, 33
MAX_RECORDS = 256
MAX_JUMPS = 32
MAX_LABELS = 64

Name = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Record:
    name: Name
    rtype: int
    ttl: int
    value: object  # Name (PTR), tuple[str, ...] (TXT), (priority, weight, port, Name) (SRV), str (A/AAAA)


@dataclass(frozen=True, slots=True)
class DnsMessage:
    id: int
    is_response: bool
    questions: tuple[tuple[Name, int], ...]
    answers: tuple[Record, ...]
    authority: tuple[Record, ...]
    additional: tuple[Record, ...]


def read_name(data: bytes, offset: int) -> tuple[Name, int]:
    """(labels, offset after the name); compression pointers are followed with a bound on jumps."""
    labels: list[str] = []
    end: int | None = None
    jumps = 0
    while True:
        if offset >= len(data):
            raise ParseError("DNS name runs past the message")
        length = data[offset]
        if length & 0xC0 == 0xC0:
            if offset + 1 >= len(data):
                raise ParseError("DNS pointer cut short")
            if end is None:
                end = offset + 2
            offset = ((length & 0x3F) << 8) | data[offset + 1]
            jumps += 1
            if jumps > MAX_JUMPS:
                raise ParseError("DNS compression loop")
            continue
        if length & 0xC0:
            raise ParseError("unsupported DNS label type")
        offset += 1
        if length == 0:
            break
        label = data[offset : offset + length]
        if len(label) < length:
            raise ParseError("DNS label cut short")
        labels.append(label.decode("utf-8", errors="replace"))
        if len(labels) > MAX_LABELS:
            raise ParseError("DNS name with too many labels")
        offset += length
    return tuple(labels), (end if end is not None else offset)


def _record(data: bytes, offset: int) -> tuple[Record, int]:
    name, offset = read_name(data, offset)
    if offset + 10 > len(data):
        raise ParseError("DNS record header cut short")
    rtype = int.from_bytes(data[offset : offset + 2], "big")
    ttl = int.from_bytes(data[offset + 4 : offset + 8], "big")
    rdlen = int.from_bytes(data[offset + 8 : offset + 10], "big")
    start, end = offset + 10, offset + 10 + rdlen
    if end > len(data):
        raise ParseError("DNS record data cut short")
    rdata = data[start:end]
    value: object = rdata
    if rtype == PTR:
        value = read_name(data, start)[0]
    elif rtype == SRV and rdlen >= 7:
        value = (
            int.from_bytes(rdata[0:2], "big"),
            int.from_bytes(rdata[2:4], "big"),
            int.from_bytes(rdata[4:6], "big"),
            read_name(data, start + 6)[0],
        )
    elif rtype == TXT:
        strings: list[str] = []
        pos = 0
        while pos < len(rdata) and len(strings) < 64:
            n = rdata[pos]
            strings.append(rdata[pos + 1 : pos + 1 + n].decode("utf-8", errors="replace"))
            pos += 1 + n
        value = tuple(strings)
    elif rtype == A and rdlen == 4:
        value = str(ipaddress.IPv4Address(rdata))
    elif rtype == AAAA and rdlen == 16:
        value = str(ipaddress.IPv6Address(rdata))
    return Record(name, rtype, ttl, value), end


def parse_dns(data: bytes) -> DnsMessage:
    if len(data) < 12:
        raise ParseError("DNS header cut short")
    ident = int.from_bytes(data[0:2], "big")
    flags = int.from_bytes(data[2:4], "big")
    counts = [int.from_bytes(data[i : i + 2], "big") for i in (4, 6, 8, 10)]
    if sum(counts) > MAX_RECORDS:
        raise ParseError("DNS message with too many records")
    offset = 12
    questions = []
    for _ in range(counts[0]):
        name, offset = read_name(data, offset)
        if offset + 4 > len(data):
            raise ParseError("DNS question cut short")
        questions.append((name, int.from_bytes(data[offset : offset + 2], "big")))
        offset += 4
    sections: list[list[Record]] = [[], [], []]
    for section, count in zip(sections, counts[1:], strict=True):
        for _ in range(count):
            record, offset = _record(data, offset)
            section.append(record)
    return DnsMessage(
        id=ident,
        is_response=bool(flags & 0x8000),
        questions=tuple(questions),
        answers=tuple(sections[0]),
        authority=tuple(sections[1]),
        additional=tuple(sections[2]),
    )
