"""A thousand devices in one process (`lab up --count 1000`), seen by nmap."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .support import base, wait_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_thousand_devices_on_loopback(loopback_ok: None, tmp_path: Path) -> None:
    if shutil.which("nmap") is None:
        pytest.skip("nmap is not installed")
    ready = tmp_path / "ready.json"
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "camscan.lab", "up", "-p", "estate", "--count", "1000", "--base", base(200),
         "--ready-file", str(ready), "--quiet"],
        cwd=ROOT,
    )  # fmt: skip
    try:
        assert wait_for(ready.exists, timeout=120)
        elapsed = time.monotonic() - started
        info = json.loads(ready.read_text())
        devices = info["devices"]
        assert len(devices) == 1000 and len({d["ip"] for d in devices}) == 1000
        assert len({d["mac"] for d in devices}) == 1000
        rss_kb = int(next(line for line in Path(f"/proc/{process.pid}/status").read_text().splitlines()
                          if line.startswith("VmRSS")).split()[1])  # fmt: skip
        print(f"\n1000 devices ready in {elapsed:.1f} s (lab: {info['stats']['start_s']} s, "
              f"{info['stats']['listeners']} listeners), RSS {rss_kb / 1024:.0f} MiB")  # fmt: skip
        last = devices[-1]
        assert httpx.get(f"http://{last['ip']}:{last['ports']['tcp'][0]}/", timeout=5).status_code < 500

        targets = [d["ip"] for d in devices[:10]]
        scan = subprocess.run(
            ["nmap", "-sV", "--version-intensity", "0", "-Pn", "-n", "-p", "80,554", "-oX", "-", *targets],
            capture_output=True, text=True, timeout=280, check=True,
        )  # fmt: skip
        xml = scan.stdout
        assert xml.count('<port protocol="tcp" portid="80"><state state="open"') == 10
        for product in (
            "Dahua webcam httpd",
            "Hikvision IP camera httpd",
            "Hikvision Network Video Recorder",
        ):
            assert product in xml
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
