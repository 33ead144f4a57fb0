"""`python -m camscan.lab up|down|profiles` (mounted by camscan as `camscan lab`)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from .support import base, is_root, wait_for

ROOT = Path(__file__).resolve().parents[2]


def lab_cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "camscan.lab", *args]


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_up_serves_until_signalled(loopback_ok: None, tmp_path: Path, stop: signal.Signals) -> None:
    ready, log = tmp_path / "ready.json", tmp_path / "requests.jsonl"
    first = base(30) if stop == signal.SIGINT else base(31)
    process = subprocess.Popen(
        lab_cli("up", "-p", "hikvision-camera,axis-camera", "--profiles", "printer", "--count", "4",
                "--base", first, "--ready-file", str(ready), "--requests-file", str(log), "--quiet"),
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stderr is not None  # stderr=PIPE
    try:
        assert wait_for(ready.exists, timeout=30), process.stderr.read() if process.poll() is not None else ""
        info = json.loads(ready.read_text())
        names = [d["name"] for d in info["devices"]]
        assert names == ["hikvision-camera-1", "axis-camera-1", "printer-1", "hikvision-camera-2"]
        assert httpx.get(f"http://{info['devices'][0]['ip']}/", timeout=5).status_code == 200
        process.send_signal(stop)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert not ready.exists()
    record = json.loads(log.read_text().splitlines()[0])
    assert record["device"] == "hikvision-camera-1" and record["method"] == "GET"


def test_bad_profile_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run(lab_cli("up", "-p", "no-such-camera", "--base", base(32)), cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 2
    assert "no such profile" in result.stderr and "Traceback" not in result.stderr


def test_profiles_listing() -> None:
    result = subprocess.run(lab_cli("profiles", "--json"), cwd=ROOT, capture_output=True, text=True, timeout=60,
                            check=True)  # fmt: skip
    rows = json.loads(result.stdout)
    assert {"hikvision-camera", "hostile-xxe"} <= {r["name"] for r in rows}


@pytest.mark.skipif(not is_root(), reason="namespace cleanup needs root")
def test_down_removes_leftover_namespaces() -> None:
    lab_id = f"t{os.getpid() % 100000}"
    leftover = f"csl-{lab_id}-d9"
    subprocess.run(["ip", "netns", "add", leftover], check=True)
    try:
        result = subprocess.run(lab_cli("down", "--lab-id", lab_id), cwd=ROOT, capture_output=True, text=True,
                                timeout=60, check=False)  # fmt: skip
        assert result.returncode == 0, result.stderr
        listing = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
        assert leftover not in listing
    finally:
        subprocess.run(["ip", "netns", "del", leftover], capture_output=True, check=False)
