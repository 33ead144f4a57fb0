"""Telnet, FTP and SSH greetings and SNMP sysDescr (banners.yaml examples; SNMP built with scapy)."""

from __future__ import annotations

import pytest
from scapy.asn1.asn1 import ASN1_OID, ASN1_STRING
from scapy.layers.snmp import SNMP, SNMPget, SNMPresponse, SNMPvarbind

from camscan.parse import ParseError
from camscan.parse.banners import (
    ftp_banner,
    parse_snmp,
    snmp_observations,
    ssh_banner,
    strip_telnet,
    telnet_banner,
)


def test_telnet_negotiation_is_removed() -> None:
    data = b"\xff\xfd\x18\xff\xfa\x18\x01\xff\xf0\xff\xfb\x01192.0.0.64 login: \xff\xff"
    assert strip_telnet(data) == b"192.0.0.64 login: \xff"
    assert telnet_banner(data).startswith("192.0.0.64 login: ")
    with pytest.raises(ParseError):
        telnet_banner(b"\xff\xfd\x18\xff\xfd\x20")


def test_ftp_greeting() -> None:
    assert ftp_banner(b"220 AXIS P1346 Network Camera 5.50beta3 (2014) ready.\r\n") == (
        "220 AXIS P1346 Network Camera 5.50beta3 (2014) ready."
    )
    assert ftp_banner(b"220-Welcome\r\n220-to the camera\r\n220 ready\r\n331 next\r\n") == (
        "220-Welcome\r\n220-to the camera\r\n220 ready"
    )
    with pytest.raises(ParseError):
        ftp_banner(b"SSH-2.0-x\r\n")


def test_ssh_identification() -> None:
    assert ssh_banner(b"hello\r\nSSH-2.0-dropbear_2019.78\r\n\x00\x00") == "SSH-2.0-dropbear_2019.78"
    with pytest.raises(ParseError):
        ssh_banner(b"220 ftp\r\n")


def varbind(oid: str, value: bytes) -> SNMPvarbind:
    return SNMPvarbind(oid=ASN1_OID(oid), value=ASN1_STRING(value))


def test_snmp_sysdescr() -> None:
    response = SNMP(
        version=1,
        community=b"public",
        PDU=SNMPresponse(
            id=3,
            varbindlist=[
                varbind("1.3.6.1.2.1.1.5.0", b"name"),
                varbind("1.3.6.1.2.1.1.1.0", b"WJ-HD300 SWVer1.53"),
            ],
        ),
    )
    message = parse_snmp(bytes(response))
    assert message.community == "public" and message.version == 1
    assert snmp_observations(message) == [("snmp_sysdescr", "WJ-HD300 SWVer1.53")]


def test_snmp_request_describes_nobody() -> None:
    request = SNMP(community=b"public", PDU=SNMPget(varbindlist=[varbind("1.3.6.1.2.1.1.1.0", b"")]))
    assert snmp_observations(parse_snmp(bytes(request))) == []


@pytest.mark.parametrize("data", [b"", b"\x30\x80", b"\x30\x03\x02\x01\x03", b"\x30\x05\x02\x01\x00\x04\x09"])
def test_not_snmp(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_snmp(data)
