"""Cameras behind recorders in every output (issue 14): `devices` (the tree), `devices --json`, the questionnaire,
the HTML report and `diff` (a camera swapped on a channel); and a recorder that could not list its cameras.

The inventory is built with the one pipeline from invented observations (tests/test_recorder_channels.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from camscan.model import Observation
from camscan.pipeline import ingest_host
from camscan.store import Store
from tests.conftest import run_camscan
from tests.test_recorder_channels import ANALOG, HIK_CAM, REBADGED, nvr_observations

OTHER_NVR = "127.150.0.30"
SWAPPED = {**HIK_CAM, "serial": "DS-2CD2143G2-I20230505AAWRK99999999", "firmware": "V5.7.15 build 230505"}


def unlisted_nvr() -> list[Observation]:
    """A Dahua NVR seen without credentials: DHDiscover says 16 channels; the scan says why nothing was listed."""
    return [
        Observation(
            "vendor_discovery",
            {
                "protocol": "dahua",
                "DeviceType": "DHI-NVR4216-4KS2",
                "DeviceClass": "NVR",
                "Vendor": "Private",
                "SerialNo": "5J0000000000030",
                "VideoInputChannels": 0,
                "RemoteVideoInputChannels": 16,
            },
            host=OTHER_NVR,
            port=37810,
            source="dhdiscover",
        ),
        Observation(
            "recorder_summary",
            {
                "api": "dahua_cgi",
                "listed": False,
                "channels": 16,
                "counted_by": "dahua discovery reply (no login)",
            },
            host=OTHER_NVR,
            port=37810,
            source="dhdiscover",
        ),
        Observation(
            "recorder_summary",
            {
                "api": "dahua_cgi",
                "listed": False,
                "note": "no credentials were given for this recorder: the cameras "
                "on its channels could not be listed",
            },
            host=OTHER_NVR,
            source="scan",
        ),
    ]


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory, engine) -> Path:
    db = tmp_path_factory.mktemp("recorders") / "inventory.db"
    with Store.open(db) as st:
        for channels in ([HIK_CAM, REBADGED, ANALOG], [SWAPPED, REBADGED, ANALOG]):
            with st.scan("active", knowledge=engine.knowledge) as run:
                ingest_host(st, engine, run.id, "127.150.0.10", nvr_observations(channels))
                ingest_host(st, engine, run.id, OTHER_NVR, unlisted_nvr())
    return db


def test_devices_shows_each_recorder_with_its_channels(inventory: Path) -> None:
    result = run_camscan("devices", "--db", str(inventory), env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    recorder_row = next(i for i, line in enumerate(lines) if "DS-7608NI-K2/8P" in line)
    assert "└ ch 1 (IP, 192.168.254.2)" in lines[recorder_row + 1]
    assert "└ ch 3 (analogue)" in "\n".join(lines[recorder_row + 1 : recorder_row + 6])
    assert "of them behind recorders" in result.stdout
    assert (
        "16 channels (from its dahua discovery reply (no login)); no credentials were given" in result.stdout
    )


def test_devices_json_links_cameras_to_their_recorder(inventory: Path) -> None:
    result = run_camscan("devices", "--db", str(inventory), "--json")
    devices = json.loads(result.stdout)
    (nvr,) = [d for d in devices if d["ip"] == "127.150.0.10"]
    children = [d for d in devices if d["parent"] == nvr["key"]]
    # channel 1 held two cameras over the two scans (the second replaced the first): both stay in the inventory
    assert sorted((d["channel"], d["serial"]) for d in children) == [
        (1, HIK_CAM["serial"]), (1, SWAPPED["serial"]), (2, REBADGED["serial"]), (3, None),
    ]  # fmt: skip
    (analog,) = [d for d in children if d["channel_input"] == "analog"]
    assert analog["private_address"] is None and analog["manufacturer"] is None and analog["is_camera"]
    (other,) = [d for d in devices if d["ip"] == OTHER_NVR]
    assert other["recorder"]["listed"] is False and other["recorder"]["channels"] == 16


def test_questionnaire_counts_cameras_behind_recorders(inventory: Path) -> None:
    result = run_camscan("export", "questionnaire", "--db", str(inventory), "-f", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    summary = {r["id"]: r["value"] for r in doc["summary"]}
    assert summary["cameras_behind_recorders"] == 4
    assert summary["analog_maker_unknown"] == 1
    assert (summary["recorders"], summary["recorders_unlisted"], summary["channels_unlisted"]) == (2, 1, 16)
    answers = [r["answer"] for r in doc["answers"] if r["table"] == "recorders"]
    assert answers and "4 of them were found behind 1 recorder" in answers[0]
    assert "1 recorder could not list its cameras (16 channels declared)" in answers[0]
    rows = doc["recorders"]
    assert {r["camera"] for r in rows if r.get("channel")} >= {
        "analogue camera, maker unknown",
        "LTS CMIP3C42W-28",
    }
    assert any(r["recorder_ip"] == OTHER_NVR and "no credentials" in (r.get("note") or "") for r in rows)


def test_html_report_draws_each_recorder_with_its_cameras(inventory: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run_camscan("report", "--db", str(inventory), "-o", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text()
    section = page[page.index('<section id="recorders">') :]
    section = section[: section.index("</section>")]
    assert "Hikvision DS-7608NI-K2/8P at 127.150.0.10" in section
    assert "analogue camera, maker unknown" in section and "192.168.254.3" in section
    assert "16 channels" in section and "no credentials were given" in section
    assert "Cameras swapped on a recorder channel" in page


def test_diff_notices_a_camera_swapped_on_a_channel(inventory: Path) -> None:
    result = run_camscan("diff", "--db", str(inventory), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["swapped"] == 1
    (swap,) = data["swapped"]
    assert swap["channel"] == 1 and swap["recorder_ip"] == "127.150.0.10"
    assert (swap["before"]["serial"], swap["after"]["serial"]) == (HIK_CAM["serial"], SWAPPED["serial"])
    text = run_camscan("diff", "--db", str(inventory))
    assert "swapped: channel 1 of recorder 127.150.0.10" in text.stdout
