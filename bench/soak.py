"""Soak: scan one loopback lab estate many times in a row into one database, and check that nothing grows but
the data.

The lab (every non-hostile profile, `--devices` devices, all answering to one set of credentials) runs in its own
process; the script starts `camscan scan` on the whole estate `--scans` times one after the other, with the
credentials in the environment, all into one database. Then it restarts the lab with the Hikvision camera
profile on another firmware and scans once more.

Measured per scan: wall time; the scan process's peak RSS (wait4) and its open file descriptors (sampled from
/proc/<pid>/fd every 20 ms: the most seen, and the count at 90 % of its run, near its end); the lab process's RSS and open
descriptors before and after; the rows the scan added to each table; the database's size on disk (file and
-wal) and its pages in use; the devices in the inventory.

Checked (`problems`, also used by tests/reliability/test_soak.py on a small estate):
- every scan ends `complete` with exit 0, and finds, fingerprints and identifies as many hosts as the first;
- the inventory holds one device per identifiable lab device after every scan (no duplicates);
- each scan adds the same rows (hosts, services, sightings exactly; observations within 2 %), no history rows
  for unchanged devices, and the database grows by about the same amount each time;
- the scan's peak RSS and descriptors do not trend upwards; the lab's descriptors are back where they started
  after every scan, and its RSS stays flat once warm;
- after the firmware change, the history holds exactly one row per Hikvision camera: firmware, old → new.

    .venv/bin/python bench/soak.py                          # 1,000 devices, 20 scans (about 10 minutes)
    .venv/bin/python bench/soak.py --devices 50 --scans 3   # a quick look

Traffic goes only to the lab's loopback addresses (127.88.0.0/16 by default).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import itertools
import json
import os
import platform
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CAMSCAN = Path(sys.executable).parent / "camscan"
USER, PASSWORD = "soak", "soak-Pw-5521"
#: Lab profiles that never become a device: nothing they answer identifies anything (by design).
# The Windows host gives nothing to identify a device by. (The VLC server does since issue 11: its SDP names
# VideoLAN as the streaming software, a media server, so it is a device of its own.)
NO_DEVICE = {"windows-host"}
CHANGED_PROFILE, OLD_FIRMWARE, NEW_FIRMWARE = "hikvision-camera", "V5.6.2", "V5.7.9"
TABLES = ("observations", "hosts", "services", "device_scans", "device_history")
#: The lab keeps this many request records (a bounded buffer; its default of 100,000 would fill over the
#: first scans and look like growth).
LAB_RECORDS = 5000


# -- the lab, in its own process ---------------------------------------------------------------------------------


def serve(base: str, count: int, ready: Path, firmware: str | None) -> None:
    """Serve the estate until SIGTERM; the device list (and this pid) goes to `ready` once bound."""
    from camscan.lab import Lab
    from camscan.lab.catalog import expand

    profiles = expand(["estate"])
    if firmware is not None:
        profiles = [
            dataclasses.replace(p, vars={**p.vars, "firmware": firmware}) if p.name == CHANGED_PROFILE else p
            for p in profiles
        ]
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    octets = base.split(".")
    outside = f"127.254.{octets[1]}.{int(octets[2]) + 50}"  # the hostile-redirect trap: unused, but bound
    with Lab(
        profiles=profiles,
        count=count,
        base=base,
        outside_host=outside,
        credentials=(USER, PASSWORD),
        record_limit=LAB_RECORDS,
    ) as lab:
        tmp = ready.with_suffix(".tmp")
        tmp.write_text(json.dumps({"pid": os.getpid(), "devices": lab.devices}))
        tmp.rename(ready)
        signal.sigwait({signal.SIGTERM, signal.SIGINT})


class LabProcess:
    """`serve` in a subprocess."""

    def __init__(self, base: str, count: int, workdir: Path, firmware: str | None = None) -> None:
        self.ready = workdir / f"lab-{time.monotonic_ns()}.json"
        argv = [sys.executable, __file__, "serve", base, str(count), str(self.ready)]
        if firmware:
            argv += ["--firmware", firmware]
        self.proc = subprocess.Popen(argv, cwd=ROOT)
        deadline = time.monotonic() + 120
        while not self.ready.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the lab did not start")
            time.sleep(0.1)
        info = json.loads(self.ready.read_text())
        self.pid: int = info["pid"]
        self.devices: list[dict[str, Any]] = info["devices"]

    def stats(self) -> dict[str, int]:
        rss, hwm = _proc_rss_kb(self.pid)
        return {"rss_kb": rss, "peak_rss_kb": hwm, "fds": _fd_count(self.pid)}

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _fd_count(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def _proc_rss_kb(pid: int) -> tuple[int, int]:
    values = {"VmRSS": 0, "VmHWM": 0}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in values:
            values[key] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


# -- one scan ----------------------------------------------------------------------------------------------------


def scan(target: str, db: Path, timeout_s: float = 600) -> dict[str, Any]:
    """`camscan scan TARGET --json` with the lab's credentials; wall, peak RSS, descriptors, summary."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMSCAN_")}
    env.update({"CAMSCAN_USERNAME": USER, "CAMSCAN_PASSWORD": PASSWORD})
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen(
            [str(CAMSCAN), "scan", target, "--db", str(db), "--json"],
            stdout=out,
            stderr=err,
            env=env,
            cwd=ROOT,
        )
        samples: list[tuple[float, int]] = []
        # The scan's own peak (VmHWM, per address space, so reset by exec): wait4's ru_maxrss is not used, since
        # a child forked from a large parent (a long pytest run) reports the parent's size from before its exec.
        hwm_kb = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)  # not proc.poll(): it would reap the rusage
            if pid:
                break
            if time.monotonic() - started > timeout_s:
                proc.kill()
            n = _fd_count(proc.pid)
            if n:
                samples.append((time.monotonic() - started, n))
            with contextlib.suppress(OSError, ValueError):
                hwm_kb = max(hwm_kb, _proc_rss_kb(proc.pid)[1])
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        fd_peak = max((n for _t, n in samples), default=0)
        # "near the end": the sample at 90 % of the run, while the scan still works (the very last samples are
        # taken while the interpreter shuts down and has closed almost everything)
        fd_last = min(samples, key=lambda s: abs(s[0] - 0.9 * wall))[1] if samples else 0
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode("utf-8", "replace")
    summary = json.loads(stdout) if stdout.strip() else {}
    return {
        "exit": proc.returncode,
        "status": summary.get("status"),
        "scan_id": summary.get("scan_id"),
        "wall_s": round(wall, 2),
        "peak_rss_mb": round((hwm_kb or usage.ru_maxrss) / 1024, 1),  # MiB (both are in KiB)
        "fd_peak": fd_peak,
        "fd_last": fd_last,
        "hosts_found": summary.get("hosts_found"),
        "hosts_fingerprinted": summary.get("hosts_fingerprinted"),
        "hosts_identified": summary.get("hosts_identified"),
        "hosts_failed": summary.get("hosts_failed"),
        "stderr": stderr.strip()[-2000:],
    }


def database_figures(db: Path, scan_id: int) -> dict[str, Any]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        rows = {
            t: conn.execute(f"SELECT count(*) FROM {t} WHERE scan_id = ?", (scan_id,)).fetchone()[0]
            for t in TABLES
        }
        devices = conn.execute("SELECT count(*) FROM devices").fetchone()[0]
        distinct_ips = conn.execute("SELECT count(DISTINCT ip) FROM devices").fetchone()[0]
        pages = (
            conn.execute("PRAGMA page_count").fetchone()[0] * conn.execute("PRAGMA page_size").fetchone()[0]
        )
    conn.close()
    files = sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.name != db.name + "-shm")
    return {
        "rows": rows,
        "devices": devices,
        "device_ips": distinct_ips,
        "db_bytes": files,
        "db_pages_bytes": pages,
    }


def history(db: Path, scan_id: int) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        rows = conn.execute(
            "SELECT d.ip, h.field, h.old, h.new FROM device_history h JOIN devices d ON d.key = h.device_key "
            "WHERE h.scan_id = ? ORDER BY d.ip, h.field",
            (scan_id,),
        ).fetchall()
    conn.close()
    return [tuple(r) for r in rows]


# -- the soak ----------------------------------------------------------------------------------------------------


def soak(devices: int, scans: int, base: str, workdir: Path, *, log: Any = None) -> dict[str, Any]:
    """Run the soak; returns every figure and the `problems` found (empty when everything stayed flat)."""
    db = workdir / "soak.db"
    say = log or (lambda _line: None)
    lab = LabProcess(base, devices, workdir)
    records: list[dict[str, Any]] = []
    try:
        target = f"{lab.devices[0]['ip']}-{lab.devices[-1]['ip']}"
        lab_start = lab.stats()
        for n in range(1, scans + 1):
            before = lab.stats()
            record = scan(target, db)
            after = lab.stats()
            record.update(database_figures(db, record["scan_id"] or n))
            record.update({"lab_before": before, "lab_after": after, "scan": n})
            records.append(record)
            say(_line(record))
        expected_devices = sum(1 for d in lab.devices if d["profile"] not in NO_DEVICE)
        changed = sorted(d["ip"] for d in lab.devices if d["profile"] == CHANGED_PROFILE)
        lab_devices = lab.devices
    finally:
        lab.stop()
    lab2 = LabProcess(base, devices, workdir, firmware=NEW_FIRMWARE)
    try:
        change = scan(target, db)
        change.update(database_figures(db, change["scan_id"] or scans + 1))
        change["scan"] = scans + 1
        say(_line(change) + "  (after the firmware change)")
    finally:
        lab2.stop()
    change_history = history(db, change["scan_id"] or scans + 1)
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "devices": devices,
        "lab_devices": len(lab_devices),
        "expected_devices": expected_devices,
        # how many lab devices each profile gave (the estate cycles through its profiles, so this moves when a
        # profile joins the estate)
        "lab_profiles": dict(Counter(d["profile"] for d in lab_devices)),
        "lab_start": lab_start,
        "scans": records,
        "change": change,
        "change_history": change_history,
        "expected_change": [(ip, "firmware", OLD_FIRMWARE, NEW_FIRMWARE) for ip in changed],
    }
    result["problems"] = problems(result)
    return result


def _line(r: dict[str, Any]) -> str:
    rows = r["rows"]
    return (
        f"scan {r['scan']:>2}: exit {r['exit']} {r['status']}, {r['wall_s']:6.1f} s, RSS {r['peak_rss_mb']:6.1f} MiB, "
        f"fds {r['fd_peak']:>4} peak {r['fd_last']:>4} last, identified {r['hosts_identified']}, "
        f"+{rows['observations']} obs +{rows['hosts']} hosts +{rows['services']} services "
        f"+{rows['device_scans']} sightings +{rows['device_history']} history, devices {r['devices']}, "
        f"db {r['db_bytes'] / 1e6:.2f} MB"
        + (
            f", lab RSS {r['lab_after']['rss_kb'] / 1024:.1f} MiB fds {r['lab_before']['fds']}→{r['lab_after']['fds']}"
            if "lab_after" in r
            else ""
        )
    )


def _trend(values: list[float]) -> float:
    """The mean of the last third over the mean of the first third (1.0: flat)."""
    k = max(1, len(values) // 3)
    return statistics.fmean(values[-k:]) / max(1e-9, statistics.fmean(values[:k]))


def problems(result: dict[str, Any]) -> list[str]:
    """What did not stay flat or right."""
    out: list[str] = []
    scans: list[dict[str, Any]] = result["scans"]
    first = scans[0]
    for r in [*scans, result["change"]]:
        n = r["scan"]
        if r["exit"] != 0 or r["status"] != "complete":
            out.append(f"scan {n}: exit {r['exit']}, status {r['status']}: {r['stderr'][-300:]}")
        for key in ("hosts_found", "hosts_fingerprinted", "hosts_identified"):
            if r[key] != first[key]:
                out.append(f"scan {n}: {key} {r[key]} (scan 1: {first[key]})")
        if r["devices"] != result["expected_devices"] or r["device_ips"] != r["devices"]:
            out.append(
                f"scan {n}: {r['devices']} devices at {r['device_ips']} addresses, expected "
                f"{result['expected_devices']}"
            )
        for table in ("hosts", "services", "device_scans"):
            if r["rows"][table] != first["rows"][table]:
                out.append(f"scan {n}: +{r['rows'][table]} {table} (scan 1: +{first['rows'][table]})")
        obs = [s["rows"]["observations"] for s in scans]
        if abs(r["rows"]["observations"] - statistics.median(obs)) > 0.02 * statistics.median(obs):
            out.append(
                f"scan {n}: +{r['rows']['observations']} observations (median {statistics.median(obs)})"
            )
    for r in scans[1:]:
        if r["rows"]["device_history"]:
            out.append(
                f"scan {r['scan']}: {r['rows']['device_history']} history rows for an identical rescan"
            )
    if len(scans) >= 3:
        growth = [b["db_pages_bytes"] - a["db_pages_bytes"] for a, b in itertools.pairwise(scans)]
        if growth and max(growth) > 1.5 * statistics.median(growth) + 256 * 1024:
            out.append(f"database growth per scan not steady: {growth}")
        rss = [s["peak_rss_mb"] for s in scans]
        if _trend(rss) > 1.10:
            out.append(f"scan peak RSS trends upwards: {rss}")
        fds = [s["fd_last"] for s in scans]
        if max(fds) - min(fds) > 16:
            out.append(f"scan descriptors near the end vary: {fds}")
    lab_fds = [result["lab_start"]["fds"]] + [s["lab_after"]["fds"] for s in scans]
    if max(lab_fds) - min(lab_fds) > 2:
        out.append(f"lab descriptors after each scan vary: {lab_fds}")
    lab_rss = [s["lab_after"]["rss_kb"] for s in scans]
    if len(lab_rss) >= 3 and _trend(lab_rss[1:]) > 1.10:
        out.append(f"lab RSS trends upwards: {lab_rss}")
    if sorted(map(tuple, result["change_history"])) != sorted(map(tuple, result["expected_change"])):
        out.append(f"history after the firmware change: {result['change_history']}")
    return out


def table(result: dict[str, Any]) -> str:
    """The figures as the Markdown table in docs/reliability.md."""
    head = (
        "| scan | wall | scan peak RSS | scan fds (peak / near end) | lab RSS after | lab fds before → after "
        "| + observations | + hosts | + services | + sightings | + history | devices | database (file + WAL) |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    lines = []
    for r in [*result["scans"], result["change"]]:
        rows = r["rows"]
        lab = (
            (
                f"{r['lab_after']['rss_kb'] / 1024:.1f} MiB",
                f"{r['lab_before']['fds']} → {r['lab_after']['fds']}",
            )
            if "lab_after" in r
            else ("(new lab)", "(new lab)")
        )
        lines.append(
            f"| {r['scan']} | {r['wall_s']:.1f} s | {r['peak_rss_mb']:.1f} MiB | {r['fd_peak']} / {r['fd_last']} "
            f"| {lab[0]} | {lab[1]} | {rows['observations']:,} | {rows['hosts']} | {rows['services']} "
            f"| {rows['device_scans']} | {rows['device_history']} | {r['devices']} | {r['db_bytes'] / 1e6:.2f} MB |"
        )
    return head + "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command")
    serve_p = sub.add_parser("serve", help=argparse.SUPPRESS)
    serve_p.add_argument("base")
    serve_p.add_argument("count", type=int)
    serve_p.add_argument("ready", type=Path)
    serve_p.add_argument("--firmware")
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--scans", type=int, default=20)
    parser.add_argument("--base", default="127.88.0.1", help="first lab address (default 127.88.0.1)")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args()
    if args.command == "serve":
        serve(args.base, args.count, args.ready, args.firmware)
        return
    with tempfile.TemporaryDirectory(prefix="camscan-soak-") as tmp:
        result = soak(
            args.devices, args.scans, args.base, Path(tmp), log=lambda line: print(line, flush=True)
        )
    print()
    print(table(result))
    print()
    print("problems:", "none" if not result["problems"] else "")
    for p in result["problems"]:
        print("  -", p)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    sys.exit(1 if result["problems"] else 0)


if __name__ == "__main__":
    main()
