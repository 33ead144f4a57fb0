"""A minimal, bounded BER/DER reader: enough for X.509 names (TLS certificates) and SNMP messages.

Only definite lengths and single-byte tags, which is all X.509 DER and every SNMP agent camscan meets use; an
indefinite length or a multi-byte tag is a ParseError.
"""

from __future__ import annotations

from collections.abc import Iterator

from camscan.parse.base import ParseError

SEQUENCE = 0x30
SET = 0x31
INTEGER = 0x02
OCTET_STRING = 0x04
NULL = 0x05
OID = 0x06
MAX_DEPTH = 32


def read_tlv(data: bytes, offset: int, end: int | None = None) -> tuple[int, int, int]:
    """(tag, value start, value end) of the element at `offset`, checked to lie within `end`."""
    end = len(data) if end is None else end
    if offset + 2 > end:
        raise ParseError("BER element cut short")
    tag = data[offset]
    if tag & 0x1F == 0x1F:
        raise ParseError("multi-byte BER tags are not supported")
    first = data[offset + 1]
    pos = offset + 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0:
            raise ParseError("indefinite BER length")
        if count > 4 or pos + count > end:
            raise ParseError("bad BER length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > end:
        raise ParseError("BER element longer than its container")
    return tag, pos, pos + length


def children(data: bytes, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """The elements inside a constructed value, as (tag, value start, value end)."""
    offset = start
    while offset < end:
        tag, vstart, vend = read_tlv(data, offset, end)
        yield tag, vstart, vend
        offset = vend


def expect(data: bytes, offset: int, tag: int, end: int | None = None) -> tuple[int, int]:
    """(value start, value end) of the element at `offset`, which must have tag `tag`."""
    found, vstart, vend = read_tlv(data, offset, end)
    if found != tag:
        raise ParseError(f"expected BER tag 0x{tag:02x}, found 0x{found:02x}")
    return vstart, vend


def decode_oid(value: bytes) -> str:
    """Dotted text of an OBJECT IDENTIFIER's content octets."""
    if not value or len(value) > 128:
        raise ParseError("bad OID")
    parts: list[int] = []
    current = 0
    for byte in value:
        current = (current << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(current)
            current = 0
    if value[-1] & 0x80:
        raise ParseError("OID cut short")
    first = parts[0]
    head = [0, first] if first < 40 else [1, first - 40] if first < 80 else [2, first - 80]
    return ".".join(str(p) for p in head + parts[1:])


def decode_int(value: bytes) -> int:
    if not value or len(value) > 16:
        raise ParseError("bad INTEGER")
    return int.from_bytes(value, "big", signed=True)
