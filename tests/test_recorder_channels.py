"""Cameras behind recorders (issue 14): the model, the engine and the store.

Every value below is invented (shaped like the recorder APIs' answers, docs/recorders.md)."""

from __future__ import annotations

import sqlite_utils

from camscan.migrations import migrations
from camscan.model import Device, Observation
from camscan.pipeline import ingest_host
from camscan.store import Store

NVR = "127.150.0.10"
CAM = "127.150.0.20"
HIK_SERIAL = "DS-2CD2143G2-I20220101AAWRJ12345678"


def nvr_observations(
    channels: list[dict[str, object]], *, summary: dict[str, object] | None = None
) -> list[Observation]:
    found = [
        Observation(
            "vendor_discovery",
            {
                "protocol": "sadp",
                "DeviceDescription": "DS-7608NI-K2/8P",
                "SoftwareVersion": "V4.22.005build 191009",
            },
            host=NVR,
            source="sadp",
        ),
        Observation("mac", "c0:56:e3:00:00:10", host=NVR, source="arp"),
    ]
    found += [Observation("recorder_channel", c, host=NVR, port=80, source="http") for c in channels]
    if summary is not None:
        found.append(Observation("recorder_summary", summary, host=NVR, port=80, source="http"))
    return found


HIK_CAM = {
    "api": "hikvision_isapi",
    "channel": 1,
    "input": "ip",
    "address": "192.168.254.2",
    "manufacturer": "HIKVISION",
    "model": "DS-2CD2143G2-I",
    "firmware": "V5.7.3 build 220112",
    "serial": HIK_SERIAL,
}
REBADGED = {
    "api": "hikvision_isapi",
    "channel": 2,
    "input": "ip",
    "address": "192.168.254.3",
    "manufacturer": "LTS",
    "model": "CMIP3C42W-28",
    "serial": "LTS0000000042",
}
ANALOG = {"api": "hikvision_isapi", "channel": 3, "input": "analog", "name": "Camera 03"}


def direct_camera(mac: str | None = "44:19:b6:00:00:20") -> list[Observation]:
    found = [
        Observation(
            "onvif_device_info",
            {
                "manufacturer": "HIKVISION",
                "model": "DS-2CD2143G2-I",
                "firmware_version": "V5.7.3 build 220112",
                "serial_number": HIK_SERIAL,
                "hardware_id": "88",
            },
            host=CAM,
            port=80,
            source="onvif",
        )
    ]
    if mac:
        found.append(Observation("mac", mac, host=CAM, source="arp"))
    return found


def scan(st: Store, engine, hosts: list[tuple[str, list[Observation]]]) -> int:
    with st.scan("active", knowledge=engine.knowledge) as run:
        for ip, obs in hosts:
            ingest_host(st, engine, run.id, ip, obs)
    return run.id


def devices(st: Store) -> list[Device]:
    return [Device.from_row(r) for r in st.db.query("SELECT * FROM devices")]


def test_each_channel_is_a_device_linked_to_its_recorder(tmp_path, engine):
    with Store.open(tmp_path / "inv.db") as st:
        scan(st, engine, [(NVR, nvr_observations([HIK_CAM, REBADGED, ANALOG]))])
        found = devices(st)
        assert len(found) == 4
        (nvr,) = [d for d in found if d.ip == NVR]
        # the recorder keeps its own identity: its cameras' makers and models do not vote for it
        assert (nvr.manufacturer, nvr.model, nvr.device_type) == ("Hikvision", "DS-7608NI-K2/8P", "nvr")
        assert nvr.parent is None
        children = sorted((d for d in found if d.parent), key=lambda d: d.channel or 0)
        assert [c.channel for c in children] == [1, 2, 3]
        assert all(c.parent == nvr.key and c.discovered_by == ["via_nvr"] and c.ip is None for c in children)
        hik, lts, analog = children
        assert (hik.manufacturer, hik.model, hik.firmware, hik.serial) == (
            "Hikvision",
            "DS-2CD2143G2-I",
            "V5.7.3",
            HIK_SERIAL,
        )
        assert hik.private_address == "192.168.254.2" and hik.channel_input == "ip"
        assert lts.brand == "LTS" and lts.model == "CMIP3C42W-28"
        # an analogue input with no identity: counted as a camera, maker unknown, nothing invented
        assert analog.is_camera and analog.channel_input == "analog"
        assert (analog.manufacturer, analog.brand, analog.model, analog.serial) == (None, None, None, None)
        as_json = analog.to_json()
        assert as_json["parent"] == nvr.key and as_json["channel"] == 3 and as_json["private_address"] is None


def test_a_rescan_finds_the_same_devices(tmp_path, engine):
    with Store.open(tmp_path / "inv.db") as st:
        scan(st, engine, [(NVR, nvr_observations([HIK_CAM, REBADGED, ANALOG]))])
        first = {d.key for d in devices(st)}
        scan(st, engine, [(NVR, nvr_observations([HIK_CAM, REBADGED, ANALOG]))])
        assert {d.key for d in devices(st)} == first
        history = st.db.execute("SELECT count(*) FROM device_history").fetchone()[0]
        assert history == 0


def test_a_camera_also_reached_directly_is_counted_once_whatever_the_order(tmp_path, engine):
    for order in ("recorder first", "camera first"):
        hosts = [(NVR, nvr_observations([HIK_CAM, ANALOG])), (CAM, direct_camera())]
        if order == "camera first":
            hosts.reverse()
        with Store.open(tmp_path / f"{order}.db") as st:
            scan_id = scan(st, engine, hosts)
            found = devices(st)
            assert len(found) == 3, order
            (cam,) = [d for d in found if d.serial == HIK_SERIAL]
            assert cam.ip == CAM and cam.mac == "44:19:b6:00:00:20", order
            assert cam.parent is not None and cam.channel == 1, order
            assert {"via_nvr", "onvif"} <= set(cam.discovered_by) | {"onvif"}, order
            assert "via_nvr" in cam.discovered_by, order
            sightings = list(
                st.db.query(
                    "SELECT * FROM device_scans WHERE scan_id = ? AND device_key = ?", [scan_id, cam.key]
                )
            )
            assert len(sightings) == 1 and sightings[0]["ip"] == CAM and sightings[0]["channel"] == 1, order
            assert st.db.execute("SELECT count(*) FROM device_scans").fetchone()[0] == 3, order


def test_a_camera_matched_by_the_mac_the_recorder_reports(tmp_path, engine):
    by_mac = {
        "api": "unifi_protect",
        "channel": 1,
        "input": "ip",
        "model": "G4 Bullet",
        "mac": "74:AC:B9:00:00:21",
    }
    camera = [
        Observation("mac", "74:ac:b9:00:00:21", host=CAM, source="arp"),
        Observation("http_server", "lighttpd", host=CAM, port=80, source="http"),
    ]
    with Store.open(tmp_path / "inv.db") as st:
        scan(st, engine, [(CAM, camera), (NVR, nvr_observations([by_mac]))])
        found = devices(st)
        assert len(found) == 2
        (cam,) = [d for d in found if d.ip == CAM]
        assert cam.parent is not None and cam.model == "G4 Bullet"


def test_a_camera_swapped_on_a_channel_shows_in_the_sightings(tmp_path, engine):
    swapped = {**HIK_CAM, "serial": "DS-2CD2143G2-I20230505AAWRK99999999", "firmware": "V5.7.15 build 230505"}
    with Store.open(tmp_path / "inv.db") as st:
        one = scan(st, engine, [(NVR, nvr_observations([HIK_CAM, ANALOG]))])
        two = scan(st, engine, [(NVR, nvr_observations([swapped, ANALOG]))])
        on_channel = {
            r["scan_id"]: r["device_key"]
            for r in st.db.query("SELECT scan_id, device_key FROM device_scans WHERE channel = 1")
        }
        assert set(on_channel) == {one, two} and on_channel[one] != on_channel[two]
        analog = {
            r["scan_id"]: r["device_key"]
            for r in st.db.query("SELECT scan_id, device_key FROM device_scans WHERE channel = 3")
        }
        assert (
            analog[one] == analog[two]
        )  # an analogue camera cannot be told apart: the channel is its identity


def test_a_factory_default_serial_on_two_channels_is_not_one_camera(tmp_path, engine):
    twin = {**HIK_CAM, "channel": 2, "address": "192.168.254.9"}
    with Store.open(tmp_path / "inv.db") as st:
        scan(st, engine, [(NVR, nvr_observations([HIK_CAM, twin]))])
        children = [d for d in devices(st) if d.parent]
        channels = [c.channel for c in children]
        assert None not in channels and sorted(ch for ch in channels if ch is not None) == [1, 2]
        assert any(c.findings for c in children)


def test_the_recorder_keeps_what_it_said_about_its_channels(tmp_path, engine):
    summary = {
        "api": "hikvision_isapi",
        "channels": 8,
        "ip_channels": 8,
        "analog_channels": 0,
        "listed": False,
        "note": "the channel list needs the recorder's credentials",
    }
    with Store.open(tmp_path / "inv.db") as st:
        scan(st, engine, [(NVR, nvr_observations([], summary=summary))])
        (nvr,) = devices(st)
        assert nvr.recorder == summary
        assert nvr.to_json()["recorder"]["channels"] == 8


def test_recorder_channel_observations_never_identify_the_recorder(engine):
    obs = nvr_observations([HIK_CAM, REBADGED])
    assert engine.identify(obs).model == "DS-7608NI-K2/8P"
    assert engine.identify([o for o in obs if o.kind == "recorder_channel"]).evidence == []


def test_migration_adds_the_channel_columns_to_an_older_file(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m009_recorder_channels")
    db.table("devices").insert({"key": "mac:aa", "ip": "10.0.0.1", "discovered_by": "[]"})
    db.close()
    with Store.open(path) as st:
        assert {"parent", "channel", "private_address", "channel_input", "recorder"} <= set(
            st.db["devices"].columns_dict
        )
        assert {"parent", "channel"} <= set(st.db["device_scans"].columns_dict)
        assert "recorder_channels" in st.db.view_names()
        (row,) = st.db.query("SELECT * FROM devices")
        assert Device.from_row(row).parent is None


def test_merge_keeps_each_camera_linked_to_its_recorder(tmp_path, engine):
    from camscan.merge import merge_stores

    paths = []
    for site in ("north", "south"):
        path = tmp_path / f"{site}.db"
        with Store.open(path) as st, st.scan("active", knowledge=engine.knowledge, site=site) as run:
            obs = [o for o in nvr_observations([ANALOG]) if o.kind != "mac"]  # keyed by site + address
            ingest_host(st, engine, run.id, NVR, obs, site=site)
        paths.append(path)
    merge_stores(paths, tmp_path / "estate.db")
    with Store.open(tmp_path / "estate.db") as st:
        found = devices(st)
        keys = {d.key for d in found}
        children = [d for d in found if d.parent]
        assert len(found) == 4 and len(children) == 2
        assert all(c.parent in keys for c in children)
        assert {c.site for c in children} == {"north", "south"}
        assert st.db.execute("SELECT count(*) FROM device_scans WHERE channel = 3").fetchone()[0] == 2


def test_recorder_endpoints_are_asked_of_recorders_only():
    from pathlib import Path

    import pytest as _pytest

    from camscan.errors import DataError
    from camscan.model import Identity
    from camscan.probe.endpoints import load_endpoints, parse_endpoints, select

    endpoints = load_endpoints().endpoints
    camera = Identity(manufacturer="Hikvision", device_type="camera")
    nvr = Identity(manufacturer="Hikvision", device_type="nvr")
    dvr = Identity(manufacturer="Dahua", device_type="dvr")
    ids = {e.id for e in select(endpoints, "c", camera, [80], credentials=True)}
    assert not any("input_proxy" in i or "video_inputs" in i for i in ids)
    assert "hikvision.isapi_input_proxy_channels" in {
        e.id for e in select(endpoints, "c", nvr, [80], credentials=True)
    }
    assert "hikvision.isapi_input_proxy_channels" not in {e.id for e in select(endpoints, "c", nvr, [80])}
    assert {"dahua.remote_devices", "dahua.video_loss"} <= {
        e.id for e in select(endpoints, "c", dvr, [80], credentials=True)
    }
    alone = {
        "version": 1,
        "endpoints": [
            {
                "id": "x.y",
                "tier": "c",
                "protocol": "http",
                "path": "/",
                "auth": "required",
                "when": {"device_type": ["nvr"]},
                "source": "s",
            }
        ],
    }
    with _pytest.raises(DataError):
        parse_endpoints(Path("probes.yaml"), alone)
