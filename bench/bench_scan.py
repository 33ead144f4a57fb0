"""Active scanning: camscan's complete inventory vs `nmap -sV -T4` vs nmap's plain port scan, same addresses.

The lab: 1,024 loopback addresses (127.100.0.0/22), four blocks of 256, each holding 75 emulated devices
(cameras of eleven profiles — Hikvision, Dahua, Axis, Hanwha, Uniview, XiongMai, D-Link, a generic ONVIF
camera, rebadged Hikvision and Dahua, a Hikvision NVR — and non-cameras: printer, Linux server, NAS, router,
Windows host, VLC) and 181 empty addresses. The labs run in their own processes, so the measured processes are
only the scanners. Every device answers to the same credentials, given to camscan in the environment.

Measured for each run: wall time, CPU time (the process and all its children: nmap's worker and nmap for
camscan), peak RSS of the largest process. For camscan also: when the first identified device was in the
database (polled by this script every 20 ms, from the moment the command was started), how many devices were
identified with manufacturer, model and firmware, and CPU per open port. camscan is also run on the first 256
addresses alone, to show that its memory does not grow with the number of hosts.

    .venv/bin/python bench/bench_scan.py [--nmap-limit 900]

Traffic goes only to 127.100.0.0/22 (loopback).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CAMSCAN = Path(sys.executable).parent / "camscan"
BASES = ("127.100.0.1", "127.100.1.1", "127.100.2.1", "127.100.3.1")
SCOPE_1024 = "127.100.0.0-127.100.3.255"
SCOPE_256 = "127.100.0.0-127.100.0.255"
NMAP_TARGET = "127.100.0.0/22"  # the same 1,024 addresses
PER_LAB = 75
USER, PASSWORD = "admin", "bench-pass"
CAMERAS = [
    "hikvision-camera", "dahua-camera", "axis-camera", "hanwha-camera", "uniview-camera", "xiongmai-camera",
    "dlink-dcs-camera", "generic-onvif-camera", "rebadged-hikvision-camera", "rebadged-dahua-lorex",
    "hikvision-nvr",
]  # fmt: skip
NON_CAMERAS = ["printer", "linux-web-server", "nas", "router", "windows-host", "vlc-rtsp-server"]
PROFILES = CAMERAS * 3 + NON_CAMERAS
PORTS = "80,443,554,2020,5000,7001,8000,8080,8443,8554,8899,34567,37777"


def serve(base: str, ready: str) -> None:
    """One lab in this process until SIGTERM (run by the benchmark as a subprocess)."""
    import dataclasses

    from camscan.lab import Lab
    from camscan.lab.catalog import expand

    # Each lab is its own estate: give its devices their own MACs (the NIC part moved by the lab's number), as
    # four sites of real cameras would have, so that no two devices share an identity.
    lab_number = BASES.index(base)
    profiles = []
    for profile in expand(PROFILES):
        parts = profile.identity.mac.split(":")
        parts[3] = f"{(int(parts[3], 16) + 16 * (lab_number + 1)) % 256:02x}"
        identity = dataclasses.replace(profile.identity, mac=":".join(parts))
        profiles.append(dataclasses.replace(profile, identity=identity))
    with Lab(profiles=profiles, count=PER_LAB, base=base, trap=False, credentials=(USER, PASSWORD)) as lab:
        Path(ready).write_text(json.dumps(lab.devices))
        signal.sigwait({signal.SIGTERM, signal.SIGINT})


def start_labs(tmp: Path) -> tuple[list[subprocess.Popen[bytes]], list[dict[str, Any]]]:
    procs, devices = [], []
    for n, base in enumerate(BASES):
        ready = tmp / f"lab{n}.json"
        procs.append(subprocess.Popen([sys.executable, __file__, "--serve", base, str(ready)], cwd=ROOT))
    for n, _base in enumerate(BASES):
        ready = tmp / f"lab{n}.json"
        deadline = time.monotonic() + 300
        while not ready.exists():
            if time.monotonic() > deadline:
                raise SystemExit("the lab did not start")
            time.sleep(0.2)
        time.sleep(0.1)
        devices += json.loads(ready.read_text())
    return procs, devices


def measured(
    argv: list[str], env: dict[str, str], limit: float, poll_db: Path | None = None
) -> dict[str, Any]:
    """Run `argv`; wall, CPU (it and its children) and peak RSS; first identified device when `poll_db`."""
    with tempfile.TemporaryFile() as out_file:
        return _measured(argv, env, limit, poll_db, out_file)


def _measured(
    argv: list[str], env: dict[str, str], limit: float, poll_db: Path | None, out_file: Any
) -> dict[str, Any]:
    started = time.monotonic()
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out_file, stderr=subprocess.DEVNULL)
    first = None
    capped = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)  # not proc.poll(): it would reap the rusage
        if pid:
            break
        if not capped and time.monotonic() - started > limit:
            proc.send_signal(signal.SIGINT)
            capped = True
        # Poll only once the database is in WAL mode (a reader then never blocks the scan's writer).
        if poll_db is not None and first is None and Path(f"{poll_db}-wal").exists():
            try:
                with sqlite3.connect(f"file:{poll_db}?mode=ro", uri=True, timeout=1) as conn:
                    n = conn.execute(
                        "SELECT count(*) FROM devices WHERE manufacturer IS NOT NULL"
                    ).fetchone()[0]
                if n:
                    first = time.monotonic() - started
            except sqlite3.Error:
                pass
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    out_file.seek(0)
    out = out_file.read()
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "capped_at_limit": capped,
        "exit": os.waitstatus_to_exitcode(status),
        "first_identified_s": None if first is None else round(first, 2),
        "stdout": out,
    }


def camscan_run(scope: str, tmp: Path, name: str) -> dict[str, Any]:
    db = tmp / f"{name}.db"
    env = {**os.environ, "CAMSCAN_USERNAME": USER, "CAMSCAN_PASSWORD": PASSWORD}
    result = measured(
        [str(CAMSCAN), "scan", scope, "--db", str(db), "--json", "--quiet"], env, 900, poll_db=db
    )
    summary = json.loads(result.pop("stdout") or b"{}")
    with sqlite3.connect(db) as conn:
        open_ports = conn.execute("SELECT count(*) FROM services").fetchone()[0]
    result.update(
        {
            "summary": {k: v for k, v in summary.items() if k not in ("devices", "failures")},
            "devices": summary.get("devices", []),
            "open_ports": open_ports,
            "cpu_ms_per_open_port": round(1000 * result["cpu_s"] / max(1, open_ports), 2),
        }
    )
    return result


def accuracy(devices: list[dict[str, Any]], truth: list[dict[str, Any]]) -> dict[str, Any]:
    found = {d["ip"]: d for d in devices}
    cameras = [t for t in truth if t["category"] == "camera"]
    fields = ("manufacturer", "model", "firmware")
    exact = sum(all(found.get(t["ip"], {}).get(f) == t["truth"].get(f) for f in fields) for t in cameras)
    return {
        "cameras": len(cameras),
        "cameras_exact_manufacturer_model_firmware": exact,
        "devices": len(devices),
    }


def nmap_run(args: list[str], tmp: Path, name: str, limit: float) -> dict[str, Any]:
    xml = tmp / f"{name}.xml"
    argv = ["nmap", "-n", *args, "-p", PORTS, "-oX", str(xml), NMAP_TARGET]
    result = measured(argv, dict(os.environ), limit)
    result.pop("stdout")
    text = xml.read_text() if xml.exists() else ""
    result["open_ports"] = text.count('state="open"')
    result["argv"] = " ".join(argv)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--nmap-limit", type=float, default=900, help="wall limit for nmap -sV (seconds)")
    parser.add_argument("--camscan-only", action="store_true", help="skip the nmap runs")
    parser.add_argument("--serve", nargs=2, metavar=("BASE", "READY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(*args.serve)
        return
    with tempfile.TemporaryDirectory(prefix="camscan-bench-") as tmpdir:
        tmp = Path(tmpdir)
        procs, truth = start_labs(tmp)
        try:
            results: dict[str, Any] = {
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                "lab": {
                    "addresses": 1024,
                    "devices": len(truth),
                    "cameras": sum(t["category"] == "camera" for t in truth),
                },
            }
            camscan_1024 = camscan_run(SCOPE_1024, tmp, "camscan1024")
            results["camscan_1024"] = {k: v for k, v in camscan_1024.items() if k != "devices"}
            results["camscan_1024"]["accuracy"] = accuracy(camscan_1024["devices"], truth)
            camscan_256 = camscan_run(SCOPE_256, tmp, "camscan256")
            results["camscan_256"] = {k: v for k, v in camscan_256.items() if k != "devices"}
            if not args.camscan_only:
                results["nmap_ports"] = nmap_run(["-T4"], tmp, "nmap-ports", 900)
                results["nmap_sV"] = nmap_run(
                    ["-sV", "-T4", "--host-timeout", "120s"], tmp, "nmap-sv", args.nmap_limit
                )
                results["speedup_vs_nmap_sV"] = round(
                    results["nmap_sV"]["wall_s"] / camscan_1024["wall_s"], 1
                )
            print(json.dumps(results, indent=2))
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(30)


if __name__ == "__main__":
    main()
