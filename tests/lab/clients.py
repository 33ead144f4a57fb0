"""Independent test clients: written from the protocol specs, sharing no code with camscan.lab."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import socket
import struct
import uuid
from datetime import UTC, datetime, timedelta

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DIGEST_TYPE = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"
)


# ----------------------------------------------------------------------------------------------- RTSP


def rtsp_exchange(ip: str, port: int, request: str, timeout: float = 5.0) -> bytes:
    """Send one RTSP request on a fresh connection; return the whole response (head and body)."""
    with socket.create_connection((ip, port), timeout=timeout) as sock:
        sock.sendall(request.encode())
        return read_message(sock)


def read_message(sock: socket.socket, limit: int = 1 << 20) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
        if len(data) > limit:
            return data
    head, _, body = data.partition(b"\r\n\r\n")
    match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    length = int(match.group(1)) if match else 0
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def parse_message(raw: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers in order, body) of an RTSP/HTTP response."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return status, headers, body


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((v for n, v in headers if n.lower() == name.lower()), None)


def headers_all(headers: list[tuple[str, str]], name: str) -> list[str]:
    return [v for n, v in headers if n.lower() == name.lower()]


def digest_authorization(method: str, uri: str, user: str, password: str, challenge: str) -> str:
    """An RFC 2617 Digest Authorization header for a challenge (MD5, qop=auth when offered)."""
    params = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge.split(" ", 1)[1]))
    realm, nonce = params["realm"], params["nonce"]
    ha1 = hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()
    ha2 = hashlib.md5(f"{method}:{uri}".encode()).hexdigest()
    if "qop" in params:
        cnonce, nc = os.urandom(8).hex(), "00000001"
        response = hashlib.md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}".encode()).hexdigest()
        return (
            f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
            f'response="{response}", qop=auth, nc={nc}, cnonce="{cnonce}"'
        )
    response = hashlib.md5(f"{ha1}:{nonce}:{ha2}".encode()).hexdigest()
    return f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", response="{response}"'


# ----------------------------------------------------------------------------------------------- ONVIF


def wsse_header(user: str, password: str, when: datetime | None = None) -> str:
    """A WS-Security UsernameToken with PasswordDigest = base64(sha1(nonce + created + password))."""
    nonce = os.urandom(16)
    created = (when or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    digest = base64.b64encode(hashlib.sha1(nonce + created.encode() + password.encode()).digest()).decode()
    return (
        f'<s:Header><wsse:Security xmlns:wsse="{WSSE}" xmlns:wsu="{WSU}"><wsse:UsernameToken>'
        f"<wsse:Username>{user}</wsse:Username>"
        f'<wsse:Password Type="{DIGEST_TYPE}">{digest}</wsse:Password>'
        f"<wsse:Nonce>{base64.b64encode(nonce).decode()}</wsse:Nonce>"
        f"<wsu:Created>{created}</wsu:Created></wsse:UsernameToken></wsse:Security></s:Header>"
    )


def soap(
    operation: str, security: str = "", namespace: str = "http://www.onvif.org/ver10/device/wsdl"
) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{SOAP12}">{security}'
        f'<s:Body><{operation} xmlns="{namespace}"/></s:Body></s:Envelope>'
    ).encode()


def skewed(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


# ----------------------------------------------------------------------------------------------- UDP


def udp_query(ip: str, port: int, payload: bytes, timeout: float = 2.0, want: int = 1) -> list[bytes]:
    """Send one datagram; collect up to `want` replies until the timeout."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.sendto(payload, (ip, port))
        replies: list[bytes] = []
        try:
            while len(replies) < want:
                data, _ = sock.recvfrom(65535)
                replies.append(data)
        except TimeoutError:
            pass
        return replies


def wsd_probe(types: str | None = "dn:NetworkVideoTransmitter") -> tuple[str, bytes]:
    message_id = f"uuid:{uuid.uuid4()}"
    types_xml = f"<d:Types>{types}</d:Types>" if types else ""
    probe = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<e:Envelope xmlns:e="{SOAP12}" xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
        'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" '
        'xmlns:dn="http://www.onvif.org/ver10/network/wsdl">'
        f"<e:Header><w:MessageID>{message_id}</w:MessageID>"
        "<w:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To>"
        "<w:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action></e:Header>"
        f"<e:Body><d:Probe>{types_xml}</d:Probe></e:Body></e:Envelope>"
    )
    return message_id, probe.encode()


def sadp_probe(kind: str = "inquiry") -> tuple[str, bytes]:
    probe_uuid = str(uuid.uuid4()).upper()
    return probe_uuid, (
        f'<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>{probe_uuid}</Uuid><Types>{kind}</Types></Probe>'
    ).encode()


def dhdiscover_request(method: str = "DHDiscover.search") -> bytes:
    body = f'{{ "method" : "{method}", "params" : {{ "mac" : "", "uni" : 1 }} }}\n'.encode()
    return struct.pack("<I4sIIIIII", 0x20, b"DHIP", 0, 0, len(body), 0, len(body), 0) + body


def xm_search() -> bytes:
    return struct.pack("BBHIIHHI", 255, 0, 0, 0, 0, 0, 1530, 0)


def dvrip(message: int, payload: bytes, session: int = 0, sequence: int = 0) -> bytes:
    body = payload + b"\n\x00"
    return struct.pack("<BB2xII2xHI", 255, 1, session, sequence, message, len(body)) + body


def recv_dvrip(sock: socket.socket) -> tuple[int, bytes]:
    head = b""
    while len(head) < 20:
        chunk = sock.recv(20 - len(head))
        if not chunk:
            raise ConnectionError("closed")
        head += chunk
    _, _, _, _, message, length = struct.unpack("<BB2xII2xHI", head)
    body = b""
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk:
            break
        body += chunk
    return message, body


def sofia(password: str) -> str:
    """XiongMai's password hash, reimplemented here from its public description."""
    chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    digest = hashlib.md5(password.encode()).digest()
    return "".join(chars[(digest[i] + digest[i + 1]) % 62] for i in range(0, 16, 2))
