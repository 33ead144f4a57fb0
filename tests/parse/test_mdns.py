"""mDNS service instances: the sender's own records only (never a querier's known answers)."""

from __future__ import annotations

import pytest
from scapy.layers.dns import DNS, DNSQR, DNSRR, DNSRRSRV
from scapy.packet import Packet

from camscan.parse import ParseError
from camscan.parse.mdns import mdns_observations, parse_mdns

INSTANCE = "D-Link HNAP Service._dhnap._tcp.local."
TXT = [b"mac=B0:C5:54:25:5B:0E", b"model_number=DCS-935L"]


def records() -> list[Packet]:
    return [
        DNSRR(rrname="_dhnap._tcp.local.", type="PTR", rdata=INSTANCE),
        DNSRRSRV(rrname=INSTANCE, target="DCS-935L-B0C554255B0E.local.", port=80),
        DNSRR(rrname=INSTANCE, type="TXT", rdata=TXT),
        DNSRR(rrname="_services._dns-sd._udp.local.", type="PTR", rdata="_dhnap._tcp.local."),
    ]


def test_response() -> None:
    message = parse_mdns(bytes(DNS(qr=1, aa=1, an=records())))
    assert mdns_observations(message) == [
        (
            "mdns",
            {
                "name": "D-Link HNAP Service",
                "type": "_dhnap._tcp",
                "txt": ["mac=B0:C5:54:25:5B:0E", "model_number=DCS-935L"],
                "host": "DCS-935L-B0C554255B0E",
            },
        )
    ]


def test_instance_names_may_contain_dots() -> None:
    ptr = DNSRR(
        rrname="_http._tcp.local.",
        type="PTR",
        rdata="D-Link DCS-935L Configuration Utility._http._tcp.local.",
    )
    [(_, value)] = mdns_observations(parse_mdns(bytes(DNS(qr=1, an=[ptr]))))
    assert value["name"] == "D-Link DCS-935L Configuration Utility" and value["type"] == "_http._tcp"


def test_query_known_answers_are_ignored_but_probes_count() -> None:
    query = DNS(qr=0, qd=DNSQR(qname="_dhnap._tcp.local.", qtype="PTR"), an=records())
    assert mdns_observations(parse_mdns(bytes(query))) == []
    probe = DNS(qr=0, qd=DNSQR(qname=INSTANCE, qtype=255), ns=records()[1:3])
    [(_, value)] = mdns_observations(parse_mdns(bytes(probe)))
    assert value["name"] == "D-Link HNAP Service" and value["txt"]


def test_compression_loop_is_refused() -> None:
    loop = b"\x00\x00\x84\x00\x00\x00\x00\x01\x00\x00\x00\x00" + b"\xc0\x0c" + b"\x00\x0c\x00\x01" + bytes(6)
    with pytest.raises(ParseError):
        parse_mdns(loop)


@pytest.mark.parametrize(
    "data", [b"", b"\x00" * 11, b"\x00\x00\x84\x00\x00\x01\x00\x00\x00\x00\x00\x00\x05ab"]
)
def test_cut_short(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_mdns(data)
