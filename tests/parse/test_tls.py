"""TLS server flights and certificate names, rendered as OpenSSL's `-nameopt RFC2253` does."""

from __future__ import annotations

import base64

import pytest

from camscan.parse import ParseError
from camscan.parse.tls import (
    certificate_names,
    looks_like_server_hello,
    parse_server_flight,
    tls_observations,
)

# A self-signed EC certificate made with: openssl req -x509 -subj '/C=TW/O=Edimax Technology Co., Ltd./
# OU=2C413883186A+OU=J8028E/CN=#edimax, "cam" ' (special characters, a multi-valued RDN); OpenSSL renders it as
# OPENSSL_SUBJECT (openssl x509 -noout -subject -nameopt RFC2253).
CERT = base64.b64decode(
    "MIICOjCCAeGgAwIBAgIUBR0N3Zvk0f2g65Uo58Jm36ikyE0wCgYIKoZIzj0EAwIwczELMAkGA1UEBhMCVFcxJDAiBgNVBAoMG0Vk"
    "aW1heCBUZWNobm9sb2d5IENvLiwgTHRkLjEkMA0GA1UECwwGSjgwMjhFMBMGA1UECwwMMkM0MTM4ODMxODZBMRgwFgYDVQQDDA8j"
    "ZWRpbWF4LCAiY2FtIiAwHhcNMjYxMTIyMDExODIzWhcNMzYxMTE5MDExODIzWjBzMQswCQYDVQQGEwJUVzEkMCIGA1UECgwbRWRp"
    "bWF4IFRlY2hub2xvZ3kgQ28uLCBMdGQuMSQwDQYDVQQLDAZKODAyOEUwEwYDVQQLDAwyQzQxMzg4MzE4NkExGDAWBgNVBAMMDyNl"
    "ZGltYXgsICJjYW0iIDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABFMnydqDge5VbaZVMeyx7lQwb/RCb5nUn/qZlPA3uqD9LxEB"
    "L+jHa2wH848WanK2xLu46IRKasiRUWALsqv1eIajUzBRMB0GA1UdDgQWBBQt+UurT1P8gafhbia8hu2xjVBuCzAfBgNVHSMEGDAW"
    "gBQt+UurT1P8gafhbia8hu2xjVBuCzAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCICIZ2qakAtb7Jx00GjzPua/O"
    "xinT4zl0ibxL8X4Wbz+BAiBQiS9r3PQpeoxup0+WHHD9Llyb2EBLtw6VUsbfwwwdlw=="
)
OPENSSL_SUBJECT = r"CN=\#edimax\, \"cam\"\ ,OU=2C413883186A+OU=J8028E,O=Edimax Technology Co.\, Ltd.,C=TW"


def handshake(*messages: bytes) -> bytes:
    body = b"".join(messages)
    return b"\x16\x03\x03" + len(body).to_bytes(2, "big") + body


def message(kind: int, body: bytes) -> bytes:
    return bytes([kind]) + len(body).to_bytes(3, "big") + body


def server_hello(extensions: bytes = b"") -> bytes:
    body = b"\x03\x03" + bytes(32) + b"\x00" + b"\x00\x2f\x00"
    if extensions:
        body += len(extensions).to_bytes(2, "big") + extensions
    return message(2, body)


def certificate(*certs: bytes) -> bytes:
    chain = b"".join(len(c).to_bytes(3, "big") + c for c in certs)
    return message(11, len(chain).to_bytes(3, "big") + chain)


def test_names_match_openssl() -> None:
    subject, issuer = certificate_names(CERT)
    assert subject == OPENSSL_SUBJECT and issuer == OPENSSL_SUBJECT


def test_tls12_flight_across_records_and_in_pieces() -> None:
    flight = handshake(server_hello(), certificate(CERT)[:100]) + handshake(certificate(CERT)[100:])
    flight += handshake(message(14, b""))
    assert looks_like_server_hello(flight)
    assert parse_server_flight(flight[:50]).done is False  # more bytes needed
    parsed = parse_server_flight(flight)
    assert parsed.version == 0x0303 and parsed.certificates == (CERT,) and parsed.done
    assert tls_observations(parsed.certificates) == [
        ("tls_subject", f"{OPENSSL_SUBJECT}\nissuer: {OPENSSL_SUBJECT}")
    ]


def test_tls13_hides_the_certificate() -> None:
    flight = handshake(server_hello(b"\x00\x2b\x00\x02\x03\x04"))
    parsed = parse_server_flight(flight + b"\x17\x03\x03\x00\x05abcde")
    assert parsed.version == 0x0304 and parsed.certificates == () and parsed.done


def test_resumed_session_without_certificate() -> None:
    parsed = parse_server_flight(handshake(server_hello()) + b"\x14\x03\x03\x00\x01\x01")
    assert parsed.done and parsed.certificates == ()


@pytest.mark.parametrize(
    "data", [b"HTTP/1.1 200 OK\r\n", b"\x16\x02\x00", b"\x16\x03\x03\xff\xff" + bytes(10)]
)
def test_not_tls(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_server_flight(data)


@pytest.mark.parametrize("cut", [1, 10, 100, 300])
def test_broken_certificates(cut: int) -> None:
    with pytest.raises(ParseError):
        certificate_names(CERT[:cut])
