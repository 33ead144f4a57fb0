"""The host table: MAC bindings, routers, public addresses, de-duplication and caps, mDNS merging."""

from __future__ import annotations

from camscan.passive.hosts import DEFAULT_CAP, HostGroup, HostTable, mac_text


def group_map(table: HostTable, **kw: bool) -> dict[str | None, HostGroup]:
    return {g.mac or g.ip: g for g in table.groups(**kw)}


def test_mac_text() -> None:
    assert mac_text(bytes.fromhex("b0c554255b0e")) == "b0:c5:54:25:5b:0e"
    assert mac_text(bytes(6)) is None and mac_text(b"\x01\x00\x5e\x00\x00\xfb") is None
    assert mac_text(b"\xff" * 6) is None


def test_device_that_changed_address_is_one_host() -> None:
    table = HostTable()
    table.bind("b0:c5:54:25:5b:0e", "192.168.0.20", 1.0)
    table.add("192.168.0.20", 5353, [("mdns", {"name": "cam", "type": "_http._tcp", "txt": []})], 1.0)
    table.bind("b0:c5:54:25:5b:0e", "10.10.10.37", 2.0, strong=True)
    table.add("10.10.10.37", 1900, [("upnp_server", "Linux UPnP/1.0 DCS-935L/1.0")], 2.0)
    [group] = table.groups()
    assert group.ip == "10.10.10.37" and group.addresses == ["10.10.10.37", "192.168.0.20"]
    assert [o.kind for o in group.observations] == ["mac", "mdns", "upnp_server"]


def test_router_mac_is_not_bound_to_what_it_forwards() -> None:
    table = HostTable()
    router = "00:b5:6d:06:08:ba"
    table.bind(router, "10.10.10.1", 1.0, strong=True)
    table.bind(router, "54.229.64.81", 1.0)  # a public server's packets arrive with the router's MAC
    table.bind(router, "10.2.2.2", 1.0)
    table.add("54.229.64.81", 443, [("tls_subject", "CN=cloud")], 1.0)
    table.add("10.2.2.2", 554, [("rtsp_server", "VLC/3.0.12")], 1.0)
    groups = group_map(table)
    assert groups[router].addresses == ["10.10.10.1"]
    assert "10.2.2.2" in groups and "54.229.64.81" not in groups  # public: not inventoried by default
    assert table.public_hosts() == 1
    assert "54.229.64.81" in group_map(table, allow_public=True)


def test_dhcp_findings_before_an_address_join_the_mac() -> None:
    table = HostTable()
    table.add(None, None, [("dhcp_hostname", "DCS-930LB")], 1.0, mac="b0:c5:54:1c:71:85")
    table.bind("b0:c5:54:1c:71:85", "10.10.10.58", 2.0, strong=True)
    [group] = table.groups()
    hostname = next(o for o in group.observations if o.kind == "dhcp_hostname")
    assert group.ip == "10.10.10.58" and hostname.host == "10.10.10.58"


def test_duplicates_and_caps() -> None:
    table = HostTable()
    for i in range(DEFAULT_CAP + 10):
        table.add(
            "10.0.0.5", 554, [("rtsp_www_authenticate", f'Digest nonce="{i}"'), ("rtsp_server", "x")], 1.0
        )
    [group] = table.groups()
    kinds = [o.kind for o in group.observations]
    assert kinds.count("rtsp_server") == 1 and kinds.count("rtsp_www_authenticate") == DEFAULT_CAP
    assert table.dropped == 10


def test_mdns_instances_merge_across_packets() -> None:
    table = HostTable()
    table.add(
        "10.0.0.5", 5353, [("mdns", {"name": "D-Link HNAP Service", "type": "_dhnap._tcp", "txt": []})], 1.0
    )
    table.add(
        "10.0.0.5",
        5353,
        [
            (
                "mdns",
                {
                    "name": "D-Link HNAP Service",
                    "type": "_dhnap._tcp",
                    "txt": ["model_number=DCS-935L"],
                    "host": "h",
                },
            )
        ],
        2.0,
    )
    [group] = table.groups()
    [mdns] = [o for o in group.observations if o.kind == "mdns"]
    assert mdns.value == {
        "name": "D-Link HNAP Service",
        "type": "_dhnap._tcp",
        "txt": ["model_number=DCS-935L"],
        "host": "h",
    }


def test_clock_skew_is_the_median() -> None:
    table = HostTable()
    for skew in (118.0, 120.0, 500.0):
        table.clock("10.0.0.5", 1000.0 + skew, 1000.0)
    [group] = table.groups()
    assert group.clock_skew_s == 120.0


def test_multicast_and_unspecified_are_not_hosts() -> None:
    table = HostTable()
    table.add("224.0.0.251", 5353, [("upnp_server", "x")], 1.0)
    table.add("0.0.0.0", 68, [("dhcp_hostname", "x")], 1.0)
    assert list(table.groups()) == []
