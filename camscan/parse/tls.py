"""TLS (1.0–1.2) server handshakes, sans-io: the server's certificate and its subject and issuer as text.

`parse_server_flight` reads the records a server sends first (ServerHello, Certificate, ...); in TLS 1.3 the
certificate is encrypted, so only the negotiated version is learned. `certificate_names` renders an X.509
certificate's subject and issuer as RFC 4514 strings (most specific first: `CN=...,OU=...,O=...,C=..`), and
`tls_observations` gives the `tls_subject` finding `"<subject>\\nissuer: <issuer>"` that tls.yaml matches.
"""

from __future__ import annotations

import re
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


# ── subjects typed or pasted in other printed forms ─────────────────────────────────────────────────────────

#: Long attribute names (OpenSSL's `lname`, RFC 4519) → the short names `certificate_names` writes.
_LONG_NAMES = {
    "commonname": "CN",
    "surname": "SN",
    "serialnumber": "serialNumber",
    "countryname": "C",
    "localityname": "L",
    "stateorprovincename": "ST",
    "streetaddress": "STREET",
    "organizationname": "O",
    "organisationname": "O",
    "organizationalunitname": "OU",
    "organisationalunitname": "OU",
    "givenname": "GN",
    "userid": "UID",
    "domaincomponent": "DC",
    "email": "emailAddress",
    "e": "emailAddress",
    "s": "ST",
}
_SHORT_NAMES = {name.casefold(): name for name in ATTRIBUTE_NAMES.values()}
#: `subject=` / `Subject:` / `issuer=` that OpenSSL (`x509 -subject`, `-text`, `s_client`) and other tools write first.
_LABEL = re.compile(r"^\s*(?:\d+\s+)?(subject|issuer)\s*[=:]\s*", re.IGNORECASE)
#: An attribute type: a name or a dotted OID.
_TYPE = r"(?:[A-Za-z][A-Za-z0-9-]*+|\d++(?:\.\d++)++)"
#: OpenSSL's compat form (`/C=SE/O=Axis Communications AB/CN=axis-…`, X.509 order): a `/` before `type=` starts an RDN.
_COMPAT_SPLIT = re.compile(rf"/(?={_TYPE}\s*=)")
#: nmap's ssl-cert output (`commonName=x/organizationName=y/countryName=SE`): names known here, joined by `/`.
_NMAP_NAMES = "|".join(sorted({*_LONG_NAMES, *_SHORT_NAMES}, key=len, reverse=True))
_NMAP_FORM = re.compile(rf"^(?:[A-Za-z]+)=[^/]*/(?:{_NMAP_NAMES})=", re.IGNORECASE)
#: One `type = value` of a comma-separated form (RFC 4514; OpenSSL's oneline `C = SE, O = "A, B", CN = x`;
#: Windows/.NET/Java `CN=x, O="A, B"`): a value quoted, or escaped RFC 4514 text up to the next `,`/`+`/`;`.
#: Tried only at the start or right after a separator, and with no two parts that can take the same blank (the value
#: is stripped in code), so that it stays linear on hostile text (tests/identify/test_regex_worst_case.py).
_PAIR = re.compile(
    rf'(?:^|(?<=[,+;]))\s*+({_TYPE})\s*+=(\s*+"(?:[^"\\]|\\.)*+"\s*+|(?:[^,+;\\"]|\\.)*+)([,+;]|$)'
)
#: How wide a part of a name each type usually names (X.509's directory tree: country, then region, organisation,
#: unit, then the entity itself); other types count as the entity. A printed name whose first RDN is wider than its
#: last is in X.509 order (most general first), the reverse of RFC 4514's.
_WIDTH = {"C": 0, "DC": 0, "ST": 1, "L": 1, "STREET": 1, "O": 2, "OU": 3}
_ENTITY = 4


def _type_name(raw: str) -> str:
    folded = raw.casefold()
    return _SHORT_NAMES.get(folded) or _LONG_NAMES.get(folded) or ATTRIBUTE_NAMES.get(raw, raw)


def _unescape(raw: str) -> str:
    """An RFC 4514 or quoted value as its characters."""
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        raw = raw[1:-1]
    return re.sub(
        r"\\([0-9A-Fa-f]{2}|.)",
        lambda m: m.group(1) if len(m.group(1)) == 1 else chr(int(m.group(1), 16)),
        raw,
    )


def _rdns(text: str) -> list[list[tuple[str, str]]] | None:
    """The RDNs of a printed name, as printed (each a list of type/value pairs), or None if it is not one."""
    text = text.strip()
    if not text:
        return None
    if text.startswith("/") or _NMAP_FORM.match(text):
        rdns = []
        for part in _COMPAT_SPLIT.split(text.removeprefix("/")):
            kind, eq, value = part.partition("=")
            if not eq or not re.fullmatch(_TYPE, kind.strip()):
                return None
            rdns.append([(_type_name(kind.strip()), value.strip())])
        return rdns
    rdns, current, pos = [], [], 0
    while pos < len(text):
        m = _PAIR.match(text, pos)
        if m is None or m.end() == pos:
            return None
        current.append((_type_name(m.group(1)), _unescape(m.group(2))))
        if m.group(3) != "+":
            rdns.append(current)
            current = []
        pos = m.end()
    if current:
        rdns.append(current)
    return rdns or None


def _name_text(rdns: list[list[tuple[str, str]]]) -> str:
    return ",".join("+".join(f"{kind}={_escape(value)}" for kind, value in rdn) for rdn in rdns)


def canonical_name(text: str) -> str:
    """A distinguished name printed by any usual tool, in the form `certificate_names` writes (RFC 4514, most specific
    first, no space around separators): RFC 4514 itself and the Windows/.NET/Java `CN=x, O=y, C=z`; OpenSSL's
    oneline (`C = SE, O = Axis Communications AB, CN = axis-…`), its compat form (`/C=SE/O=…/CN=…`) and its older
    `-text` form (`C=SE, O=…, CN=…`) and nmap's (`commonName=x/organizationName=y`). A name printed in X.509 order
    (most general first: its first RDN names a wider part than its last, `_WIDTH`) is turned round; quoted
    values are unquoted; long names (`commonName`) are shortened. Text that is not a name is returned unchanged."""
    rdns = _rdns(text)
    if rdns is None:
        return text
    if _WIDTH.get(rdns[0][0][0], _ENTITY) < _WIDTH.get(rdns[-1][0][0], _ENTITY):
        rdns.reverse()
    return _name_text(rdns)


def canonical_subject(value: str) -> str:
    """A `tls_subject` value typed or imported in another printed form, as `subject_text` writes it: the subject
    (`canonical_name`), then `issuer: ` and the issuer when one is given. `subject=`/`Subject:` labels (OpenSSL's
    `x509 -subject -issuer`, `-text`, `s_client`) are dropped; a value already in the scanner's form is unchanged."""
    subject, issuer = None, None
    for number, line in enumerate(value.splitlines()):
        if not line.strip():
            continue
        m = _LABEL.match(line)
        label = m.group(1).casefold() if m else ("subject" if number == 0 else None)
        if label is None:
            return value  # a third line that is neither: not a printed subject/issuer pair
        name = canonical_name(line[m.end() :] if m else line)
        if label == "subject" and subject is None:
            subject = name
        elif label == "issuer" and issuer is None:
            issuer = name
        else:
            return value
    if subject is None:
        return value
    return subject if issuer is None else f"{subject}\nissuer: {issuer}"
