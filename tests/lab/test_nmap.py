"""nmap -sV, an independent fingerprinter, recognises the lab's devices as the real products."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from camscan.lab import Lab

from .support import device

EXPECTED = [
    ("hikvision-camera", "80", ["80/tcp open  http    Hikvision IP camera httpd"]),
    ("xiongmai-camera", "554", ["554/tcp open  rtsp    H264DVR rtspd 1.0"]),
    (
        "dahua-camera",
        "80,554",
        ["80/tcp  open  http    Dahua webcam httpd", "554/tcp open  rtsp    Dahua IP camera rtspd"],
    ),
]


@pytest.mark.skipif(shutil.which("nmap") is None, reason="nmap is not installed")
def test_nmap_service_detection(estate: Lab) -> None:
    # Three small scans in parallel: each takes ~6-11 s because of nmap's probe waits.
    runs = []
    for profile, ports, _ in EXPECTED:
        ip = device(estate, profile)["ip"]
        command = ["nmap", "-sV", "-Pn", "-n", "--host-timeout", "60s", "-p", ports, ip]
        runs.append(subprocess.Popen(command, stdout=subprocess.PIPE, text=True))
    for (profile, _, lines), run in zip(EXPECTED, runs, strict=True):
        output, _ = run.communicate(timeout=120)
        for line in lines:
            assert line in output, f"{profile}:\n{output}"
