"""DHCP options 12 and 60 (a D-Link DCS-935L's DISCOVER, as in the IoT Sentinel capture), built with scapy."""

from __future__ import annotations

import pytest
from scapy.layers.dhcp import BOOTP, DHCP

from camscan.parse import ParseError
from camscan.parse.dhcp import dhcp_observations, parse_dhcp

MAC = bytes.fromhex("b0c554255b0e")


def test_client_discover() -> None:
    packet = BOOTP(chaddr=MAC + bytes(10)) / DHCP(
        options=[
            ("message-type", "discover"),
            ("hostname", b"DCS-935L"),
            ("vendor_class_id", b"udhcp 1.22.1"),
            "end",
        ]
    )
    message = parse_dhcp(bytes(packet))
    assert message.client_mac == "b0:c5:54:25:5b:0e" and message.message_type == "discover"
    assert dhcp_observations(message) == [
        ("dhcp_hostname", "DCS-935L"),
        ("dhcp_vendor_class", "udhcp 1.22.1"),
    ]


def test_server_ack_binds_but_describes_nobody() -> None:
    packet = BOOTP(op=2, chaddr=MAC + bytes(10), yiaddr="10.10.10.37") / DHCP(
        options=[("message-type", "ack"), ("hostname", b"router"), "end"]
    )
    message = parse_dhcp(bytes(packet))
    assert message.your_ip == "10.10.10.37" and message.message_type == "ack"
    assert dhcp_observations(message) == []


@pytest.mark.parametrize("data", [b"", bytes(240), b"\x03" + bytes(300)])
def test_not_dhcp(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_dhcp(data)
