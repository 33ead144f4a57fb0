"""The Python API: starting in the caller's loop or a thread, the device list, the request record."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from camscan.lab import Lab, LabError

from .support import base, device


def test_lab_in_the_callers_event_loop(loopback_ok: None) -> None:
    async def main() -> list[dict[str, Any]]:
        async with Lab(profiles=["hikvision-camera", "axis-camera"], count=5, base=base(20)) as lab:
            async with httpx.AsyncClient(timeout=5) as client:
                for d in lab.devices:
                    assert (await client.get(f"http://{d['ip']}/")).status_code == 200
            return lab.devices

    devices = asyncio.run(main())
    assert [d["name"] for d in devices] == [
        "hikvision-camera-1", "axis-camera-1", "hikvision-camera-2", "axis-camera-2", "hikvision-camera-3",
    ]  # fmt: skip
    assert len({d["ip"] for d in devices}) == len({d["mac"] for d in devices}) == 5
    assert devices[2]["mac"].startswith("58:50:ed:") and devices[2]["truth"]["serial"].endswith("0002")
    assert devices[0]["ports"] == {"tcp": [80, 443, 554, 8000], "udp": [3702, 37020]}


def test_thread_mode_stops_cleanly(loopback_ok: None) -> None:
    lab = Lab(profiles=["dahua-camera"], base=base(21))
    with lab:
        ip = lab.devices[0]["ip"]
        assert httpx.get(f"http://{ip}/", timeout=5).status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://{ip}/", timeout=2)


def test_overrides_for_credentials_and_clock(loopback_ok: None) -> None:
    lab = Lab(profiles=["xiongmai-camera", "axis-camera"], base=base(22), credentials=("demo", "demo-pass"),
              clock_offsets={"axis-camera": 600})  # fmt: skip
    with lab:
        assert {d["credentials"]["username"] for d in lab.devices} == {"demo"}
        assert device(lab, "axis-camera")["clock_offset_s"] == 600
        assert device(lab, "xiongmai-camera")["clock_offset_s"] == 0


def test_a_taken_address_fails_loudly_and_cleans_up(loopback_ok: None) -> None:
    taken = base(23)
    with (
        Lab(profiles=["router"], base=taken),
        pytest.raises(LabError, match=rf"cannot bind {re.escape(taken)}:80"),
    ):
        Lab(profiles=["router"], base=taken, trap=False).start_in_thread()
    with Lab(profiles=["router"], base=taken):  # nothing of the failed lab was left bound
        pass


def test_request_record_and_writes(estate: Lab) -> None:
    d = device(estate, "hikvision-camera")
    httpx.get(f"http://{d['ip']}/ISAPI/System/deviceInfo", timeout=5)
    httpx.put(f"http://{d['ip']}/ISAPI/System/deviceInfo", content=b"<x/>", timeout=5)
    records = estate.requests_for(d["name"])
    read = next(r for r in records if r["method"] == "GET" and r["path"] == "/ISAPI/System/deviceInfo")
    assert read["protocol"] == "http" and read["port"] == 80 and not read["credentials"]
    assert any(r["method"] == "PUT" for r in estate.writes())
    assert all(r["method"] != "GET" for r in estate.writes() if r["protocol"] == "http")


def test_ready_file(estate: Lab, tmp_path: Path) -> None:
    path = tmp_path / "ready.json"
    estate.write_ready_file(path)
    info = json.loads(path.read_text())
    assert info["mode"] == "loopback"
    assert len(info["devices"]) == len(estate.devices)
    first = info["devices"][0]
    assert {"name", "profile", "ip", "mac", "ports", "credentials", "clock_offset_s", "truth"} <= set(first)


def test_capture_command(estate: Lab, tmp_path: Path) -> None:
    command = estate.capture_command(tmp_path / "x.pcap")
    assert command[:3] == ["tcpdump", "-i", "lo"] and f"host {estate.devices[0]['ip']}" in command[-1]
