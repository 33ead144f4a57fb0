"""Namespace mode, for real: multicast and broadcast discovery across the lab bridge, ARP with vendor OUIs.

The probes run in the scanner namespace through `ip netns exec` (a separate process: nothing is shared with
the lab). Nothing here sends to an address outside the namespaces the test creates.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest

from camscan.lab import Lab, LabError
from camscan.lab.netns import unavailable_reason

from .clients import dhdiscover_request, sadp_probe, wsd_probe, xm_search
from .support import device

pytestmark = pytest.mark.root

PROFILES = [
    "hikvision-camera",
    "dahua-camera",
    "xiongmai-camera",
    "axis-camera",
    "printer",
    "dlink-dcs-camera",
]

SENDER = r"""
import json, socket, sys, time
group, port, payload, wait = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3]), float(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
s.bind(("0.0.0.0", 0))
s.settimeout(0.2)
s.sendto(payload, (group, port))
replies, end = [], time.time() + wait
while time.time() < end:
    try:
        data, addr = s.recvfrom(65535)
        replies.append([addr[0], data.hex()])
    except TimeoutError:
        pass
print(json.dumps(replies))
"""


@pytest.fixture(scope="module")
def ns_lab() -> Iterator[Lab]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"namespace mode: {reason}")
    with Lab(profiles=PROFILES, netns=True, lab_id=f"t{os.getpid() % 100000}") as lab:
        yield lab


def in_scanner(lab: Lab, group: str, port: int, payload: bytes, wait: float = 1.0) -> dict[str, bytes]:
    command = lab.scanner_command([sys.executable, "-c", SENDER, group, str(port), payload.hex(), str(wait)])
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=30).stdout
    return {address: bytes.fromhex(data) for address, data in json.loads(output)}


def test_multicast_ws_discovery_reaches_every_camera(ns_lab: Lab) -> None:
    message_id, probe = wsd_probe()
    replies = in_scanner(ns_lab, "239.255.255.250", 3702, probe)
    cameras = {
        device(ns_lab, p)["ip"]
        for p in ("hikvision-camera", "dahua-camera", "xiongmai-camera", "axis-camera")
    }
    assert set(replies) == cameras  # the printer does not answer a NetworkVideoTransmitter probe
    assert all(message_id.encode() in reply for reply in replies.values())


def test_vendor_multicast_and_broadcast_discovery(ns_lab: Lab) -> None:
    sadp = in_scanner(ns_lab, "239.255.255.250", 37020, sadp_probe()[1])
    assert set(sadp) == {device(ns_lab, "hikvision-camera")["ip"]}
    dahua = in_scanner(ns_lab, "239.255.255.251", 37810, dhdiscover_request())
    assert set(dahua) == {device(ns_lab, "dahua-camera")["ip"]}
    xm = in_scanner(ns_lab, "255.255.255.255", 34569, xm_search())
    assert set(xm) == {device(ns_lab, "xiongmai-camera")["ip"]}
    search = b'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n'
    ssdp = in_scanner(ns_lab, "239.255.255.250", 1900, search)
    assert set(ssdp) == {device(ns_lab, "dlink-dcs-camera")["ip"]}


def test_arp_shows_the_vendor_ouis(ns_lab: Lab) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    for profile in ("hikvision-camera", "axis-camera"):
        d = device(ns_lab, profile)
        out = subprocess.run(ns_lab.scanner_command(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                                      f"http://{d['ip']}/"]),
                             capture_output=True, text=True, timeout=30, check=True)  # fmt: skip
        assert out.stdout == "200"
    neighbours = subprocess.run(["ip", "-n", ns_lab.scanner_namespace or "", "neigh", "show"],
                                capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert f"{device(ns_lab, 'hikvision-camera')['ip']} dev eth0 lladdr 58:50:ed:1f:e3:85" in neighbours
    assert f"{device(ns_lab, 'axis-camera')['ip']} dev eth0 lladdr ac:cc:8e:01:23:45" in neighbours


def test_nothing_lives_in_the_root_namespace(ns_lab: Lab) -> None:
    links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True, check=True).stdout
    assert "csl-" not in links
    bridge = subprocess.run(["ip", "-n", ns_lab.names.lab, "-o", "link", "show", "master", "csl-br0"],
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert len(bridge.splitlines()) == len(PROFILES) + 1  # one port per device plus the scanner


def test_namespaces_are_removed_on_stop() -> None:
    if unavailable_reason():
        pytest.skip(f"namespace mode: {unavailable_reason()}")
    lab_id = f"s{os.getpid() % 100000}"
    with Lab(profiles=["router"], netns=True, lab_id=lab_id) as lab:
        names = set(lab.names.lab.split()) | {lab.scanner_namespace or ""}
        listing = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
        assert names <= {line.split()[0] for line in listing.splitlines()}
    listing = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
    assert f"csl-{lab_id}-" not in listing


def test_a_second_lab_never_touches_the_first(ns_lab: Lab) -> None:
    with pytest.raises(LabError, match="already exist"):
        Lab(profiles=["router"], netns=True, lab_id=ns_lab.names.lab_id).start_in_thread()
    replies = in_scanner(ns_lab, "239.255.255.250", 37020, sadp_probe()[1], wait=0.5)
    assert set(replies) == {device(ns_lab, "hikvision-camera")["ip"]}
