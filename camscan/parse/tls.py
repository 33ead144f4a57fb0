"""TLS (1.0–1.2) server handshakes, sans-io: the server's certificate and its subject and issuer as text.

`parse_server_flight` reads the records a server sends first (ServerHello, Certificate, ...); in TLS 1.3 the
certificate is encrypted, so only the negotiated version is learned. `certificate_names` renders an X.509
certificate's subject and issuer as RFC 4514 strings (most specific first: `CN=...,OU=...,O=...,C=..`), and
`tls_observations` gives the `tls_subject` finding `"<subject>\\nissuer: <issuer>"` that tls.yaml matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from camscan.parse import der
from camscan.parse.base import MAX_TEXT, Finding, ParseError

MAX_FLIGHT = 128 * 1024
MAX_CERTS = 16
_HANDSHAKE, _CCS, _ALERT, _APPDATA = 22, 20, 21, 23
_SERVER_HELLO, _CERTIFICATE, _SERVER_HELLO_DONE = 2, 11, 14
TLS13 = 0x0304

#: RFC 4514 attribute names (and the names OpenSSL uses for a few others).
ATTRIBUTE_NAMES: dict[str, str] = {
    "2.5.4.3": "CN",
    "2.5.4.4": "SN",
    "2.5.4.5": "serialNumber",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.9": "STREET",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.12": "title",
    "2.5.4.42": "GN",
    "0.9.2342.19200300.100.1.1": "UID",
    "0.9.2342.19200300.100.1.25": "DC",
    "1.2.840.113549.1.9.1": "emailAddress",
    "1.2.840.113549.1.9.2": "unstructuredName",
}


@dataclass(frozen=True, slots=True)
class ServerFlight:
    """What a server's first handshake flight showed.

    `version` is the negotiated version (0x0303 for TLS 1.2, 0x0304 for 1.3); `certificates` the DER chain,
    leaf first; `done` is True once nothing more can be learned (certificate seen, TLS 1.3, or the handshake
    moved past where the certificate would be).
    """

    version: int | None
    certificates: tuple[bytes, ...]
    done: bool


def looks_like_server_hello(data: bytes) -> bool:
    """A cheap test of a stream's first bytes: a TLS handshake record carrying a ServerHello."""
    return (
        len(data) >= 6
        and data[0] == _HANDSHAKE
        and data[1] == 3
        and data[2] <= 3
        and data[5] == _SERVER_HELLO
    )


def parse_server_flight(data: bytes) -> ServerFlight:
    """Parse the server's side of a handshake from its first byte, as far as `data` goes."""
    if not data:
        return ServerFlight(None, (), False)
    if data[0] not in (_HANDSHAKE, _ALERT) or (len(data) > 1 and data[1] != 3):
        raise ParseError("not a TLS record stream")
    data = data[:MAX_FLIGHT]
    handshake = bytearray()
    offset = 0
    ended = False
    while offset + 5 <= len(data):
        ctype, major, length = (
            data[offset],
            data[offset + 1],
            int.from_bytes(data[offset + 3 : offset + 5], "big"),
        )
        if major != 3 or length > 18432:
            raise ParseError("bad TLS record header")
        if offset + 5 + length > len(data):
            break
        if ctype == _HANDSHAKE:
            handshake += data[offset + 5 : offset + 5 + length]
        elif ctype in (_CCS, _APPDATA, _ALERT):
            ended = True
            break
        else:
            raise ParseError(f"unknown TLS record type {ctype}")
        offset += 5 + length
    version, certificates, done = _handshake_messages(bytes(handshake))
    return ServerFlight(version, certificates, done or ended or len(data) >= MAX_FLIGHT)


def _handshake_messages(data: bytes) -> tuple[int | None, tuple[bytes, ...], bool]:
    version: int | None = None
    offset = 0
    while offset + 4 <= len(data):
        mtype = data[offset]
        length = int.from_bytes(data[offset + 1 : offset + 4], "big")
        body = data[offset + 4 : offset + 4 + length]
        if len(body) < length:
            break
        if mtype == _SERVER_HELLO:
            version = _server_hello_version(body)
            if version == TLS13:
                return version, (), True
        elif mtype == _CERTIFICATE:
            return version, _certificate_list(body), True
        elif mtype == _SERVER_HELLO_DONE:
            return version, (), True
        offset += 4 + length
    return version, (), False


def _server_hello_version(body: bytes) -> int:
    if len(body) < 38:
        raise ParseError("ServerHello cut short")
    version = int.from_bytes(body[0:2], "big")
    pos = 34
    pos += 1 + body[pos]  # session id
    pos += 3  # cipher suite, compression
    if pos + 2 <= len(body):
        end = min(len(body), pos + 2 + int.from_bytes(body[pos : pos + 2], "big"))
        pos += 2
        while pos + 4 <= end:
            ext, elen = (
                int.from_bytes(body[pos : pos + 2], "big"),
                int.from_bytes(body[pos + 2 : pos + 4], "big"),
            )
            if ext == 43 and elen == 2:  # supported_versions: the version really chosen
                return int.from_bytes(body[pos + 4 : pos + 6], "big")
            pos += 4 + elen
    return version


def _certificate_list(body: bytes) -> tuple[bytes, ...]:
    if len(body) < 3:
        raise ParseError("Certificate message cut short")
    total = int.from_bytes(body[0:3], "big")
    end = min(len(body), 3 + total)
    pos = 3
    certs: list[bytes] = []
    while pos + 3 <= end and len(certs) < MAX_CERTS:
        length = int.from_bytes(body[pos : pos + 3], "big")
        cert = body[pos + 3 : pos + 3 + length]
        if len(cert) < length:
            break
        certs.append(cert)
        pos += 3 + length
    return tuple(certs)


def certificate_names(cert: bytes) -> tuple[str, str]:
    """(subject, issuer) of a DER X.509 certificate, each as an RFC 4514 string."""
    start, end = der.expect(cert, 0, der.SEQUENCE)
    tbs_start, tbs_end = der.expect(cert, start, der.SEQUENCE, end)
    fields = list(der.children(cert, tbs_start, tbs_end))
    if fields and fields[0][0] == 0xA0:  # [0] version
        fields = fields[1:]
    if len(fields) < 5:
        raise ParseError("certificate too short")
    # serialNumber, signature, issuer, validity, subject
    issuer, subject = fields[2], fields[4]
    if issuer[0] != der.SEQUENCE or subject[0] != der.SEQUENCE:
        raise ParseError("certificate names are not SEQUENCEs")
    return _name(cert, subject[1], subject[2]), _name(cert, issuer[1], issuer[2])


def _name(data: bytes, start: int, end: int) -> str:
    """RFC 4514 text of a Name, in OpenSSL's `-nameopt RFC2253` order: every attribute reversed, those of one
    multi-valued RDN joined with `+` (the order Recog's and nmap's certificate strings were written in)."""
    entries: list[tuple[int, str]] = []  # (RDN index, "type=value")
    for index, (tag, rstart, rend) in enumerate(der.children(data, start, end)):
        if tag != der.SET:
            raise ParseError("RDN is not a SET")
        if index >= 64:
            raise ParseError("too many RDNs")
        for atag, astart, aend in der.children(data, rstart, rend):
            if atag != der.SEQUENCE:
                raise ParseError("attribute is not a SEQUENCE")
            oid_start, oid_end = der.expect(data, astart, der.OID, aend)
            oid = der.decode_oid(data[oid_start:oid_end])
            vtag, vstart, vend = der.read_tlv(data, oid_end, aend)
            entries.append((index, f"{ATTRIBUTE_NAMES.get(oid, oid)}={_value(vtag, data[vstart:vend])}"))
    out: list[str] = []
    previous = None
    for index, text_ in reversed(entries):
        out.append(("+" if index == previous else ",") + text_ if out else text_)
        previous = index
    return "".join(out)


def _value(tag: int, value: bytes) -> str:
    """An attribute value as RFC 4514 text: strings decoded and escaped, anything else as #hex."""
    if tag == 0x1E:  # BMPString
        return _escape(value.decode("utf-16-be", errors="replace"))
    if tag == 0x1C:  # UniversalString
        return _escape(value.decode("utf-32-be", errors="replace"))
    if tag == 0x0C:  # UTF8String
        return _escape(value.decode("utf-8", errors="replace"))
    if tag in (0x13, 0x16, 0x1A, 0x14, 0x12):  # Printable, IA5, Visible, T61, Numeric
        return _escape(value.decode("latin-1"))
    return "#" + value.hex()


def _escape(value: str) -> str:
    """RFC 4514 section 2.4 escaping."""
    out = []
    for i, ch in enumerate(value):
        if ch in ',+"\\<>;' or (ch == "#" and i == 0) or (ch == " " and i in (0, len(value) - 1)):
            out.append("\\" + ch)
        elif ch == "\x00":
            out.append("\\00")
        else:
            out.append(ch)
    return "".join(out)


def subject_text(cert: bytes) -> str:
    """The `tls_subject` value: the subject, a line break, then `issuer: ` and the issuer."""
    subject, issuer = certificate_names(cert)
    return f"{subject[:MAX_TEXT]}\nissuer: {issuer[:MAX_TEXT]}"


def tls_observations(certificates: tuple[bytes, ...] | list[bytes]) -> list[Finding]:
    """`tls_subject` for the server's own (leaf) certificate."""
    if not certificates:
        return []
    return [("tls_subject", subject_text(certificates[0]))]
