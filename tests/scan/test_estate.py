"""The loopback estate end to end: a real `camscan scan` subprocess against every non-hostile lab profile."""

from __future__ import annotations

from typing import Any

import pytest

from camscan.lab import Lab
from camscan.store import Store

from .support import by_ip, rows

CAMERA_FIELDS = ("brand", "manufacturer", "model", "firmware")


def cameras(lab: Lab) -> list[dict[str, Any]]:
    return [d for d in lab.devices if d["category"] == "camera"]


def test_credentialed_scan_completes(credentialed_scan: dict[str, Any], estate: Lab) -> None:
    result, summary = credentialed_scan["result"], credentialed_scan["summary"]
    assert result.returncode == 0, result.stderr
    assert summary["status"] == "complete"
    assert summary["addresses"] == len(estate.devices)
    assert summary["hosts_failed"] == 0
    assert summary["hosts_identified"] >= len(cameras(estate))


@pytest.mark.parametrize("field", CAMERA_FIELDS)
def test_every_camera_identified_with_credentials(
    credentialed_scan: dict[str, Any], estate: Lab, field: str
) -> None:
    found = by_ip(credentialed_scan["summary"])
    wrong = {}
    for d in cameras(estate):
        got = found.get(d["ip"], {}).get(field)
        if got != d["truth"].get(field):
            wrong[d["name"]] = (got, d["truth"].get(field))
    assert not wrong, f"{field}: (found, truth) {wrong}"


def test_site_recorded(credentialed_scan: dict[str, Any]) -> None:
    assert {d["site"] for d in credentialed_scan["summary"]["devices"]} == {"lab-estate"}
    assert rows(credentialed_scan["db"], "SELECT site FROM scans") == [("lab-estate",)]


def test_every_camera_is_a_camera(credentialed_scan: dict[str, Any], estate: Lab) -> None:
    found = by_ip(credentialed_scan["summary"])
    for d in cameras(estate):
        assert found[d["ip"]]["is_camera"] is True, d["name"]
        assert found[d["ip"]]["device_type"] == d["truth"]["device_type"], d["name"]


def test_rebadged_devices_resolve_to_their_real_manufacturer(
    credentialed_scan: dict[str, Any], estate: Lab
) -> None:
    found = by_ip(credentialed_scan["summary"])
    for profile, brand, maker in (("rebadged-hikvision-camera", "Northwind", "Hikvision"),
                                  ("rebadged-dahua-lorex", "Lorex", "Dahua")):  # fmt: skip
        d = next(x for x in estate.devices if x["profile"] == profile)
        assert (found[d["ip"]]["brand"], found[d["ip"]]["manufacturer"]) == (brand, maker)


def test_non_cameras_are_not_cameras(credentialed_scan: dict[str, Any], estate: Lab) -> None:
    found = by_ip(credentialed_scan["summary"])
    for d in estate.devices:
        if d["category"] == "non-camera" and d["ip"] in found:
            assert found[d["ip"]]["is_camera"] is False, d["name"]


def test_discovery_methods_recorded(credentialed_scan: dict[str, Any], estate: Lab) -> None:
    found = by_ip(credentialed_scan["summary"])
    hik = next(d for d in estate.devices if d["profile"] == "hikvision-camera")
    dlink = next(d for d in estate.devices if d["profile"] == "dlink-dcs-camera")
    assert {"nmap", "wsd"} <= set(found[hik["ip"]]["discovered_by"])
    assert {"nmap", "ssdp"} <= set(found[dlink["ip"]]["discovered_by"])


def test_mac_learned_from_onvif_and_vendor_discovery(credentialed_scan: dict[str, Any], estate: Lab) -> None:
    found = by_ip(credentialed_scan["summary"])
    for profile in ("hikvision-camera", "dahua-camera", "axis-camera", "rebadged-hikvision-camera"):
        d = next(x for x in estate.devices if x["profile"] == profile)
        assert found[d["ip"]]["mac"] == d["mac"], profile


def test_clock_skew_stored_per_device(credentialed_scan: dict[str, Any], estate: Lab) -> None:
    found = by_ip(credentialed_scan["summary"])
    nvr = next(d for d in estate.devices if d["profile"] == "hikvision-nvr")
    assert nvr["clock_offset_s"] == -5400
    assert abs(found[nvr["ip"]]["clock_skew_s"] - nvr["clock_offset_s"]) < 1.0
    with Store.open(credentialed_scan["db"]) as store:
        row = next(store.db["devices"].rows_where("ip = ?", [nvr["ip"]]))
    assert abs(row["clock_skew_s"] + 5400) < 1.0
    cam = next(d for d in estate.devices if d["profile"] == "hikvision-camera")
    assert abs(found[cam["ip"]]["clock_skew_s"]) < 1.0


def test_only_read_requests(credentialed_scan: dict[str, Any]) -> None:
    assert credentialed_scan["writes"] == []
    methods = {(r["protocol"], r["method"]) for r in credentialed_scan["requests"]}
    # CONNECT: the lab's record of a connection on which no request was read (TCP banner and silent ports).
    allowed = {"GET", "HEAD", "OPTIONS", "DESCRIBE", "DATAGRAM", "POST", "CONNECT"}
    assert {m for _, m in methods} <= allowed, methods
    posts = [r for r in credentialed_scan["requests"] if r["method"] == "POST"]
    onvif = [r for r in posts if r["protocol"] == "onvif" or r["path"].startswith("/onvif/")]
    assert onvif and all(r["action"].startswith("Get") for r in onvif), {r["action"] for r in onvif}
    # besides ONVIF, only JSON-RPC reads (probes.yaml `body`): Axis basicdeviceinfo getAllUnrestrictedProperties
    rpc = [(r["path"], r["action"]) for r in posts if r not in onvif]
    assert rpc == [("/axis-cgi/basicdeviceinfo.cgi", "getAllUnrestrictedProperties")], rpc


def test_observations_and_services_stored(credentialed_scan: dict[str, Any], estate: Lab) -> None:
    db = credentialed_scan["db"]
    scan_id = credentialed_scan["summary"]["scan_id"]
    kinds = {k for (k,) in rows(db, "SELECT DISTINCT kind FROM observations WHERE scan_id = ?", (scan_id,))}
    assert {"http_server", "rtsp_server", "onvif_scopes", "onvif_device_info", "vendor_discovery", "tls_subject",
            "http_path", "mac", "sdp"} <= kinds  # fmt: skip
    services = rows(db, "SELECT ip, port FROM services WHERE scan_id = ?", (scan_id,))
    hik = next(d for d in estate.devices if d["profile"] == "hikvision-camera")
    assert {(hik["ip"], p) for p in (80, 443, 554, 8000)} <= set(services)
    (status,) = rows(db, "SELECT status FROM scans WHERE id = ?", (scan_id,))[0]
    assert status == "complete"


def test_favicon_hash_is_recorded_when_served(credentialed_scan: dict[str, Any]) -> None:
    # mmh3 is a dependency: /favicon.ico, when a device serves one, is stored as an http_path with its hash.
    db = credentialed_scan["db"]
    favicons = rows(
        db, "SELECT value FROM observations WHERE kind = 'http_path' AND value LIKE '%favicon_mmh3%'"
    )
    for (value,) in favicons:
        assert '"path": "/favicon.ico"' in value


# -- without credentials: what the unauthenticated tiers can know -------------------------------------------

#: What each camera shows without a login (banners, discovery replies, PRE_AUTH ONVIF, open vendor endpoints).
UNAUTHENTICATED = {
    "hikvision-camera": ("brand", "manufacturer", "model", "firmware"),  # SADP answers without login
    "hikvision-nvr": ("manufacturer", "model"),
    "dahua-camera": ("brand", "manufacturer", "model", "firmware"),  # DHDiscover
    "rebadged-hikvision-camera": ("brand", "manufacturer", "model", "firmware"),
    "rebadged-dahua-lorex": ("brand", "manufacturer", "model", "firmware"),
    "xiongmai-camera": ("manufacturer", "model", "firmware"),  # XiongMai discovery on 34569
    "dlink-dcs-camera": ("brand", "manufacturer", "model", "firmware"),  # HNAP answers without login
    "axis-camera": ("brand", "manufacturer", "model"),
    "generic-onvif-camera": ("model",),
}


def test_anonymous_scan_knows_what_the_unauthenticated_tier_can(
    anonymous_scan: dict[str, Any], estate: Lab
) -> None:
    result, summary = anonymous_scan["result"], anonymous_scan["summary"]
    assert result.returncode == 0, result.stderr
    found = by_ip(summary)
    wrong = {}
    for d in estate.devices:
        for field in UNAUTHENTICATED.get(d["profile"], ()):
            got = found.get(d["ip"], {}).get(field)
            if got != d["truth"][field]:
                wrong[(d["name"], field)] = (got, d["truth"][field])
    assert not wrong, f"(found, truth): {wrong}"


def test_anonymous_scan_never_sends_credentials(anonymous_scan: dict[str, Any]) -> None:
    assert not [r for r in anonymous_scan["requests"] if r["credentials"]]
