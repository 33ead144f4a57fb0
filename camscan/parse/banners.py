"""Service banners, sans-io: telnet, FTP and SSH greetings, and SNMP sysDescr from a GetResponse.

A banner is what a server says before the client has said anything; the caller collects those first bytes
(a probe: until a line end or a short timeout; the pcap reader: the server's first data) and passes them here.
"""

from __future__ import annotations

from dataclasses import dataclass

from camscan.parse import der
from camscan.parse.base import Finding, ParseError, text

BANNER_LIMIT = 1024
IAC, SB, SE = 255, 250, 240
SYS_DESCR = "1.3.6.1.2.1.1.1.0"
_GET_RESPONSE = 0xA2


def strip_telnet(data: bytes) -> bytes:
    """Remove telnet option negotiation (IAC sequences and subnegotiations); an escaped 0xFF is kept."""
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        byte = data[i]
        if byte != IAC:
            out.append(byte)
            i += 1
            continue
        if i + 1 >= n:
            break
        command = data[i + 1]
        if command == IAC:
            out.append(IAC)
            i += 2
        elif command == SB:
            end = data.find(bytes((IAC, SE)), i + 2)
            i = n if end < 0 else end + 2
        elif 251 <= command <= 254:  # WILL, WONT, DO, DONT + option
            i += 3
        else:
            i += 2
    return bytes(out)


def telnet_banner(data: bytes) -> str:
    """The text a telnet server sent first, negotiation removed; ParseError when there is no text."""
    banner = text(strip_telnet(data[: BANNER_LIMIT * 4]), BANNER_LIMIT)
    if not banner.strip():
        raise ParseError("no telnet banner text")
    return banner


def ftp_banner(data: bytes) -> str:
    """An FTP server's greeting (`220 ...`, multi-line replies included), without the final line end."""
    lines = text(data[: BANNER_LIMIT * 4], BANNER_LIMIT * 4).split("\n")
    if not lines or len(lines[0]) < 3 or not lines[0][:3].isdigit():
        raise ParseError("not an FTP reply")
    code = lines[0][:3]
    kept = []
    for line in lines:
        kept.append(line.rstrip("\r"))
        if line[:4] == f"{code} " or line.rstrip("\r") == code:
            break
    return "\r\n".join(kept).strip()[:BANNER_LIMIT]


def ssh_banner(data: bytes) -> str:
    """An SSH server's identification line (`SSH-2.0-...`); lines a server sends before it are skipped."""
    for raw in data[:8192].split(b"\n")[:32]:
        if raw.startswith(b"SSH-"):
            return text(raw.rstrip(b"\r"), 255).strip()
    raise ParseError("no SSH identification line")


@dataclass(frozen=True, slots=True)
class SnmpMessage:
    version: int  # 0 = v1, 1 = v2c
    community: str
    pdu_type: int
    varbinds: tuple[tuple[str, object], ...]


def parse_snmp(data: bytes) -> SnmpMessage:
    """An SNMP v1/v2c message; values of OCTET STRING varbinds are kept as bytes, INTEGERs as int."""
    start, end = der.expect(data, 0, der.SEQUENCE)
    version_start, version_end = der.expect(data, start, der.INTEGER, end)
    version = der.decode_int(data[version_start:version_end])
    if version not in (0, 1):
        raise ParseError(f"SNMP version {version + 1} is not decoded")
    community_start, community_end = der.expect(data, version_end, der.OCTET_STRING, end)
    pdu_type, pdu_start, pdu_end = der.read_tlv(data, community_end, end)
    fields = list(der.children(data, pdu_start, pdu_end))
    if len(fields) < 4 or fields[3][0] != der.SEQUENCE:
        raise ParseError("SNMP PDU without variable bindings")
    varbinds: list[tuple[str, object]] = []
    for tag, vb_start, vb_end in der.children(data, fields[3][1], fields[3][2]):
        if tag != der.SEQUENCE or len(varbinds) >= 64:
            continue
        oid_start, oid_end = der.expect(data, vb_start, der.OID, vb_end)
        vtag, vstart, vend = der.read_tlv(data, oid_end, vb_end)
        raw = data[vstart:vend]
        value: object = (
            raw if vtag == der.OCTET_STRING else der.decode_int(raw) if vtag == der.INTEGER else None
        )
        varbinds.append((der.decode_oid(data[oid_start:oid_end]), value))
    community = data[community_start:community_end].decode("latin-1")
    return SnmpMessage(version, community, pdu_type, tuple(varbinds))


def snmp_observations(message: SnmpMessage) -> list[Finding]:
    """`snmp_sysdescr` from a GetResponse carrying sysDescr.0."""
    if message.pdu_type != _GET_RESPONSE:
        return []
    for oid, value in message.varbinds:
        if oid == SYS_DESCR and isinstance(value, bytes):
            descr = text(value, BANNER_LIMIT).strip()
            if descr:
                return [("snmp_sysdescr", descr)]
    return []
