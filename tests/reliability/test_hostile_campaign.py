"""The mixed estate: every normal profile and every hostile one in one lab, scanned with credentials.

What tests/scan/test_hostile.py checks on four cameras beside the hostile devices is checked here on the whole
estate, with what it leaves out: no entity expansion (the billion-laughs device), the byte cap on everything
stored, the redirect loop bounded, every request read-only, and every normal device identified exactly as it is
without hostile neighbours. Time bound and measured time: docs/reliability.md.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from camscan.lab.records import READ_ONLY_DISCOVERY, RequestRecord, is_connection_only, is_read_only

from .conftest import TIME_BOUND_S, Campaign
from .support import count, database_bytes, query

#: Bytes read from any one response (docs/scanning.md): nothing longer can be stored.
BYTE_CAP = 256 * 1024
#: The scan with the billion-laughs device must stay far from the ~3 GB an expansion would take.
PEAK_RSS_LIMIT_KB = 400 * 1024
IDENTITY = ("brand", "manufacturer", "model", "firmware", "serial", "device_type", "is_camera")
READ_METHODS = {"http": {"GET", "HEAD", "OPTIONS"}, "https": {"GET", "HEAD", "OPTIONS"}}


def identities(campaign: Campaign, scan_id: int) -> dict[str, dict[str, Any]]:
    """What one scan saw of each address (device_scans.identity)."""
    rows = query(campaign.db, "SELECT ip, identity FROM device_scans WHERE scan_id = ?", (scan_id,))
    return {ip: json.loads(identity) for ip, identity in rows}


def test_the_mixed_estate_completes_within_its_time_bound(campaign: Campaign) -> None:
    run = campaign.mixed
    summary = run.json()
    assert summary["status"] == "complete", run.stderr
    assert run.returncode == 3, run.stderr  # the hostile hosts failed, everything else was stored
    assert run.elapsed < TIME_BOUND_S
    assert "Traceback" not in run.stderr


def test_every_normal_device_identified_as_without_hostile_neighbours(campaign: Campaign) -> None:
    assert campaign.estate.returncode == 0, campaign.estate.stderr
    mixed, alone = identities(campaign, 1), identities(campaign, 2)
    for d in campaign.devices("normal"):
        if d["ip"] not in alone:  # the VLC server and the Windows host give nothing to identify a device by
            assert d["profile"] in {"vlc-rtsp-server", "windows-host"}, d["name"]
            continue
        got, reference = mixed[d["ip"]], alone[d["ip"]]
        assert {k: got[k] for k in IDENTITY} == {k: reference[k] for k in IDENTITY}, d["name"]
        if d["category"] == "camera":  # with credentials every camera is known exactly
            truth = d["truth"]
            assert [got[k] for k in ("brand", "manufacturer", "model", "firmware")] == [
                truth["brand"], truth["manufacturer"], truth["model"], truth["firmware"],
            ], d["name"]  # fmt: skip


def test_hostile_hosts_cut_at_caps_and_timeouts(campaign: Campaign) -> None:
    failures = {f["ip"]: f["error"] for f in campaign.mixed.json()["failures"]}
    expected = {
        "hostile-huge-header": "longer than 65536 bytes",
        "hostile-endless-headers": "longer than 65536 bytes",
        "hostile-slow-drip": "timeout",
        "hostile-reset": "reset",
    }
    for profile, error in expected.items():
        assert error in failures[campaign.device(profile)["ip"]], (profile, failures)
    # nothing longer than the byte cap ever reaches the store
    assert count(campaign.db, "SELECT coalesce(max(length(value)), 0) FROM observations") <= BYTE_CAP


def test_no_entity_expanded(campaign: Campaign) -> None:
    bomb = campaign.device("hostile-xml-bomb")["ip"]
    data = database_bytes(campaign.db)
    assert b"lollollol" not in data
    assert "lollollol" not in campaign.mixed.stdout + campaign.mixed.stderr
    stored = query(
        campaign.db, "SELECT manufacturer, model, firmware, serial FROM devices WHERE ip = ?", (bomb,)
    )
    assert all(value is None for row in stored for value in row)
    assert campaign.mixed.peak_rss_kb < PEAK_RSS_LIMIT_KB


def test_no_external_entity_resolved(campaign: Campaign) -> None:
    assert campaign.canary.encode() not in database_bytes(campaign.db)
    for run in (campaign.mixed, campaign.estate):
        assert campaign.canary not in run.stdout + run.stderr
    assert campaign.trap_hits == []  # the SADP reply's external parameter entity was not fetched either


def test_redirects_bounded_and_never_outside(campaign: Campaign) -> None:
    assert campaign.trap_hits == []
    loop = campaign.device("hostile-redirect-loop")["name"]
    gets = Counter(r["path"] for r in campaign.requests if r["device"] == loop and r["method"] == "GET")
    assert sum(n for path, n in gets.items() if path.startswith("/loop/")) <= 3, gets  # at most three hops
    assert max(gets.values()) <= 2, gets


def test_every_request_is_read_only(campaign: Campaign) -> None:
    assert campaign.requests, "the lab recorded nothing"
    assert campaign.writes == []
    wrong = []
    for r in campaign.requests:
        record = RequestRecord(**r)
        if is_connection_only(record):  # a connection on which the device read no request
            continue
        protocol, method, action = r["protocol"], r["method"], r["action"]
        if protocol in READ_METHODS:
            ok = (
                method in READ_METHODS[protocol]
                or (method == "POST" and r["path"].startswith("/onvif/") and action.startswith("Get"))
                or (  # the JSON-RPC read probes.yaml allows (Axis basicdeviceinfo getAllUnrestrictedProperties)
                    method == "POST"
                    and r["path"] == "/axis-cgi/basicdeviceinfo.cgi"
                    and action.startswith("get")
                )
            )
        elif protocol == "onvif":
            ok = action.startswith("Get")
        elif protocol == "rtsp":
            ok = method in {"OPTIONS", "DESCRIBE"}
        elif protocol in {"wsd", "sadp", "dhdiscover", "xm", "ssdp"}:
            ok = action in READ_ONLY_DISCOVERY and action != "unknown"
        else:
            ok = False
        if not (ok and is_read_only(record)):
            wrong.append(r)
    assert wrong == []


def test_hostile_onvif_service_lists_bounded_and_identity_kept(campaign: Campaign) -> None:
    """The hostile-onvif-services device (docs/lab.md): nested, confusable and overlong GetServices, a GetCapabilities
    past libxml2's depth limit. The device's identity is kept, one bounded service list is stored, and the unreadable
    answer is recorded as a failed observation."""
    ip = campaign.device("hostile-onvif-services")["ip"]
    stored = [json.loads(v) for (v,) in query(
        campaign.db, "SELECT value FROM observations WHERE ip = ? AND kind = 'onvif_services' AND error IS NULL", (ip,)
    )]  # fmt: skip
    assert len(stored) == 1, stored
    (value,) = stored
    assert value["services"] == ["device", "deviceio", "display", "receiver"]  # no confusable read as ONVIF's
    assert len(value["namespaces"]) == 64
    assert {k: v for k, v in value.items() if k not in ("answer", "services", "namespaces")} == {
        "audio_outputs": 1, "digital_inputs": 2,
    }  # fmt: skip
    errors = [
        e
        for (e,) in query(
            campaign.db, "SELECT error FROM observations WHERE ip = ? AND error IS NOT NULL", (ip,)
        )
    ]
    assert any(e.startswith("unreadable SOAP: bad XML: Excessive depth") for e in errors), errors
    got = identities(campaign, 1)[ip]
    assert (got["manufacturer"], got["model"], got["device_type"], got["is_camera"]) == (
        "Fabrikam", "FD-6660", "decoder", False,
    )  # fmt: skip
