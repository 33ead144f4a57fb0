"""Sans-io parsers and builders for the discovery and vendor wire formats the lab speaks.

WS-Discovery Probe (SOAP over UDP 3702), Hikvision SADP (XML over UDP 37020), Dahua DHIP framing (UDP 37810,
TCP 37777), XiongMai DVRIP framing (TCP 34567, UDP 34569) and SSDP M-SEARCH. Nothing here touches a socket.
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass
from typing import Any

from lxml import etree

from camscan.parse.base import ParseError
from camscan.parse.xmlsafe import refuse_declarations

DVRIP_HEADER = struct.Struct("<BB2xII2xHI")  # 0xFF, version, session, sequence, message id, length
DHIP_MAGIC = b"DHIP"
DHIP_HEADER = struct.Struct("<I4sIIIIII")  # 0x20, "DHIP", session, id, length, 0, length, 0
XM_DISCOVERY_REQUEST = 1530
XM_DISCOVERY_REPLY = 1531
DVRIP_LOGIN = 1000
DVRIP_LOGIN_REPLY = 1001
SOFIA_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
MAX_XML = 64 * 1024


def _declares_nothing(data: bytes) -> bool:
    try:
        refuse_declarations(data)
    except ParseError:
        return False
    return True


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


@dataclass(frozen=True, slots=True)
class WsdProbe:
    """A WS-Discovery message: its action's last part (Probe, Resolve, Hello …), MessageID and Types."""

    action: str
    message_id: str
    types: tuple[str, ...]


def parse_wsd_probe(data: bytes) -> WsdProbe | None:
    """Parse a WS-Discovery message safely (nothing declared, no entities); None when it is not one."""
    if len(data) > MAX_XML or not _declares_nothing(data):
        return None
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        return None
    if _local(root.tag) != "Envelope":
        return None
    action = message_id = ""
    types: tuple[str, ...] = ()
    for element in root.iter():
        name = _local(element.tag)
        if name == "Action" and element.text:
            action = element.text.strip().rsplit("/", 1)[-1]
        elif name == "MessageID" and element.text:
            message_id = element.text.strip()
        elif name == "Types" and element.text:
            types = tuple(t.split(":")[-1] for t in element.text.split())
        elif name in {"Probe", "Resolve", "Hello", "Bye", "ProbeMatches"} and not action:
            action = name
    return WsdProbe(action=action, message_id=message_id, types=types)


def wsd_types_match(requested: tuple[str, ...], offered: tuple[str, ...]) -> bool:
    """A probe matches when every requested type (by local name) is offered; an empty probe matches all."""
    offered_local = {t.split(":")[-1] for t in offered}
    return all(t in offered_local for t in requested)


@dataclass(frozen=True, slots=True)
class SadpProbe:
    uuid: str
    types: str


def parse_sadp_probe(data: bytes) -> SadpProbe | None:
    """`<Probe><Uuid>…</Uuid><Types>inquiry</Types></Probe>`; None for anything else."""
    if len(data) > MAX_XML or not _declares_nothing(data):
        return None
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        return None
    if _local(root.tag) != "Probe":
        return None
    fields = {_local(child.tag): (child.text or "").strip() for child in root}
    return SadpProbe(uuid=fields.get("Uuid", ""), types=fields.get("Types", ""))


def build_dhip(body: bytes, session: int = 0, request_id: int = 0) -> bytes:
    """A DHIP frame: the 32-byte header then the body."""
    return DHIP_HEADER.pack(0x20, DHIP_MAGIC, session, request_id, len(body), 0, len(body), 0) + body


def parse_dhip(data: bytes) -> dict[str, Any] | None:
    """The JSON of a DHIP frame (DHDiscover.search and friends); None when it is not DHIP JSON."""
    if len(data) < DHIP_HEADER.size or data[4:8] != DHIP_MAGIC:
        return None
    try:
        value = json.loads(data[DHIP_HEADER.size :].rstrip(b"\x00\n ").decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


@dataclass(frozen=True, slots=True)
class DvripMessage:
    session: int
    sequence: int
    message_id: int
    payload: bytes

    def json(self) -> dict[str, Any] | None:
        try:
            value = json.loads(self.payload.rstrip(b"\x00\n ").decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        return value if isinstance(value, dict) else None


def build_dvrip(message_id: int, payload: bytes, session: int = 0, sequence: int = 0) -> bytes:
    """A DVRIP frame; the payload gets the `\\n\\0` terminator XiongMai devices send."""
    body = payload + b"\n\x00"
    return DVRIP_HEADER.pack(0xFF, 1, session, sequence, message_id, len(body)) + body


def parse_dvrip_header(data: bytes) -> tuple[int, int, int, int] | None:
    """(session, sequence, message id, payload length) of a DVRIP header; None when it is not one."""
    if len(data) < DVRIP_HEADER.size or data[0] != 0xFF:
        return None
    _, _, session, sequence, message_id, length = DVRIP_HEADER.unpack_from(data)
    return session, sequence, message_id, length


def parse_dvrip(data: bytes) -> DvripMessage | None:
    header = parse_dvrip_header(data)
    if header is None:
        return None
    session, sequence, message_id, length = header
    return DvripMessage(session, sequence, message_id, data[DVRIP_HEADER.size : DVRIP_HEADER.size + length])


def sofia_hash(password: str) -> str:
    """XiongMai's 8-character password hash (MD5, pairs of bytes summed modulo 62)."""
    digest = hashlib.md5(password.encode("utf-8")).digest()
    return "".join(SOFIA_ALPHABET[(digest[2 * i] + digest[2 * i + 1]) % 62] for i in range(8))


def parse_msearch(data: bytes) -> str | None:
    """The ST of an SSDP M-SEARCH; None when the datagram is not one."""
    try:
        text = data[:4096].decode("latin-1")
    except UnicodeDecodeError:
        return None
    lines = text.split("\r\n")
    if not lines or not lines[0].upper().startswith("M-SEARCH * HTTP/1.1"):
        return None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().upper() == "ST":
            return value.strip()
    return ""
