"""UDP datagrams that identify devices, by port: DHCP, mDNS, SSDP, WS-Discovery, SADP, DHDiscover, XiongMai
discovery and SNMP responses. Every other datagram is dropped by the decoder before it gets here.
"""

from __future__ import annotations

from collections.abc import Callable

from camscan.parse import banners, dhcp, discovery, mdns, upnp, wsd
from camscan.parse.base import Finding, ParseError
from camscan.passive.hosts import HostTable
from camscan.passive.macs import discovery_macs

DHCP_PORTS = (67, 68)
#: Ports whose datagrams are decoded (either side of the exchange).
UDP_PORTS = frozenset({67, 68, 161, 1900, 3702, 5353, 34569, 37020, 37810})


def _ssdp(data: bytes) -> list[Finding]:
    return upnp.ssdp_observations(upnp.parse_ssdp(data))


def _wsd(data: bytes) -> list[Finding]:
    return wsd.wsd_observations(wsd.parse_wsd(data))


def _mdns(data: bytes) -> list[Finding]:
    return mdns.mdns_observations(mdns.parse_mdns(data))


def _vendor(findings: list[Finding]) -> list[Finding]:
    """A vendor discovery reply, and the device's own MAC when it states it (as the active probe records)."""
    return findings + discovery_macs(findings)


def _sadp(data: bytes) -> list[Finding]:
    return _vendor(discovery.discovery_observations(discovery.parse_sadp(data)))


def _dahua(data: bytes) -> list[Finding]:
    return _vendor(discovery.discovery_observations(discovery.parse_dahua(data)))


def _xm(data: bytes) -> list[Finding]:
    return _vendor(discovery.discovery_observations(discovery.parse_xm(data)))


def _snmp(data: bytes) -> list[Finding]:
    return banners.snmp_observations(banners.parse_snmp(data))


#: Discovery port (the device's, or the one it answers) → parser.
_BY_PORT: dict[int, Callable[[bytes], list[Finding]]] = {
    5353: _mdns,
    1900: _ssdp,
    3702: _wsd,
    37020: _sadp,
    37810: _dahua,
    34569: _xm,
}


def handle_udp(
    table: HostTable, src: str, payload: bytes, ts: float, *, sport: int, dport: int, src_mac: str | None
) -> bool:
    """Decode one datagram and record what it says about its sender. Returns False when it did not parse."""
    try:
        if sport in DHCP_PORTS and dport in DHCP_PORTS:
            return _dhcp(table, src, payload, ts, src_mac)
        if sport == 161:
            table.add(src, sport, _snmp(payload), ts)
            return True
        parser = _BY_PORT.get(sport) or _BY_PORT.get(dport)
        if parser is None:
            return True
        table.add(src, sport if sport in _BY_PORT else None, parser(payload), ts)
        return True
    except ParseError:
        return False


def _dhcp(table: HostTable, src: str, payload: bytes, ts: float, src_mac: str | None) -> bool:
    message = dhcp.parse_dhcp(payload)
    mac = message.client_mac
    if message.from_client:
        ip = message.client_ip or (src if src != "0.0.0.0" else None)
        if mac and ip:
            table.bind(mac, ip, ts, strong=True)
        table.add(ip, None, dhcp.dhcp_observations(message), ts, mac=mac or src_mac)
    elif message.message_type == "ack" and mac and message.your_ip:
        table.bind(mac, message.your_ip, ts, strong=True)
    return True
