"""Passive mode throughput and memory: `camscan pcap` beside `tshark -Y "http || rtsp || ssdp"` on one large file.

    .venv/bin/python bench/bench_pcap.py [--size-gb 1.2] [--out /tmp/camscan-bench] [--keep] [--gzip]

Builds a mixed capture under --out (never committed): the camera traffic of every committed edge-case capture
(tests/fixtures/pcaps) and of the real captures in ../shared/reference/devices (IoT Sentinel, nDPI) when present,
repeated and interleaved with non-camera background traffic (bulk TCP transfers and their ACKs, RTP-like UDP,
DNS, and HTTP downloads from an nginx server). Then, in the same run, it times

    camscan pcap --db OUT/bench.db --json FILE        (and, with --gzip, the same file gzip-compressed)
    tshark -r FILE -Y "http || rtsp || ssdp"          (output to /dev/null)

with /usr/bin/time (wall time, peak resident memory), and checks that camscan finds the same identified devices
in the big file as in the small captures read on their own. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from camscan.passive.capture import LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, open_capture  # noqa: E402
from camscan.passive.pcap_writer import PcapWriter, ethernet_ipv4_tcp, ethernet_ipv4_udp  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "pcaps"
SHARED = ROOT.parent / "shared" / "reference" / "devices"
DAMAGED = {"truncated.pcap", "corrupt_record.pcap", "unknown_linktype.pcap"}
CAMSCAN = Path(sys.executable).parent / "camscan"


def sources() -> list[Path]:
    files = sorted(
        p for p in FIXTURES.iterdir() if p.name.endswith((".pcap", ".pcapng")) and p.name not in DAMAGED
    )
    if SHARED.is_dir():
        files += sorted(SHARED.glob("IoT_Sentinel/*/*.pcap")) + sorted(SHARED.glob("nDPI/*.pcap"))
    return files


def camera_corpus(paths: list[Path]) -> list[bytes]:
    """Every frame of the source captures as Ethernet (Linux cooked frames are given an Ethernet header)."""
    frames: list[bytes] = []
    for path in paths:
        with open_capture(path) as capture:
            for _ts, linktype, buf, off, n in capture.records():
                frame = bytes(buf[off : off + n])
                if linktype == LINKTYPE_LINUX_SLL and len(frame) >= 16:
                    src = frame[6:12] if frame[4:6] == b"\x00\x06" else bytes(6)
                    frame = bytes(6) + src + frame[14:16] + frame[16:]
                elif linktype != LINKTYPE_ETHERNET:
                    continue
                frames.append(frame)
    return frames


class Background:
    """Non-camera traffic. Per draw: 62 % bulk TCP data (SMB, NFS, iperf, rsync, iSCSI ports), 22 % its ACKs,
    10 % RTP-like UDP, the rest DNS queries, except a fraction `short_rate` that starts a short connection:
    half an HTTP download from an nginx server (15 packets, 14 KiB), half an HTTPS (TLS 1.3) session (9)."""

    def __init__(self, short_rate: float, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.short_rate = short_rate
        self.payload = bytes(self.rng.randrange(256) for _ in range(1448))
        hosts = [
            (f"52:54:00:00:{i >> 8:02x}:{i & 255:02x}", f"10.50.{i >> 8}.{i & 255 or 1}")
            for i in range(1, 200)
        ]
        self.flows: list[list[Any]] = []  # [client, server, client seq, server seq]
        for _ in range(256):
            a, b = self.rng.sample(hosts, 2)
            port = self.rng.choice([445, 2049, 5001, 873, 3260])
            self.flows.append(
                [(a[0], a[1], self.rng.randrange(20000, 60000)), (b[0], b[1], port), 1000, 1000]
            )
        self.udp = [
            ((a[0], a[1], self.rng.randrange(10000, 20000)), (b[0], b[1], self.rng.randrange(5004, 5100)))
            for a, b in (self.rng.sample(hosts, 2) for _ in range(64))
        ]
        self.nginx = ("52:54:00:00:ff:01", "10.50.255.1", 8080)
        self.hosts = hosts
        self.http_port = 30000

    def packets(self, count: int) -> list[bytes]:
        out = []
        rng = self.rng
        for _ in range(count):
            r = rng.random()
            if r < 0.62:
                flow = self.flows[rng.randrange(256)]
                out.append(
                    ethernet_ipv4_tcp(flow[0], flow[1], self.payload, seq=flow[2], ack=flow[3], flags=0x18)
                )
                flow[2] += 1448
            elif r < 0.84:
                flow = self.flows[rng.randrange(256)]
                out.append(ethernet_ipv4_tcp(flow[1], flow[0], seq=flow[3], ack=flow[2], flags=0x10))
            elif r < 0.94:
                src, dst = self.udp[rng.randrange(64)]
                out.append(ethernet_ipv4_udp(src, dst, self.payload[: rng.choice((172, 1212))]))
            elif r < 1.0 - self.short_rate:
                host = self.hosts[rng.randrange(len(self.hosts))]
                query = struct.pack("!HHHHHH", rng.randrange(65536), 0x0100, 1, 0, 0, 0)
                query += b"\x07example\x03com\x00\x00\x01\x00\x01"
                dns = ("52:54:00:00:ff:53", "10.50.255.53", 53)
                out.append(ethernet_ipv4_udp((host[0], host[1], rng.randrange(1024, 65535)), dns, query))
            elif r < 1.0 - self.short_rate / 2:
                out.extend(self.http_download())
            else:
                out.extend(self.tls13_session())
        return out

    def _client(self) -> tuple[str, str, int]:
        host = self.hosts[self.rng.randrange(len(self.hosts))]
        self.http_port = 30000 + (self.http_port - 29999) % 30000
        return (host[0], host[1], self.http_port)

    def tls13_session(self) -> list[bytes]:
        """An HTTPS connection to a LAN server: TLS 1.3, so no certificate to read."""
        client, server = self._client(), ("52:54:00:00:ff:02", "10.50.255.2", 443)
        hello = b"\x16\x03\x01\x00\x2d\x01\x00\x00\x29\x03\x03" + bytes(32) + b"\x00\x00\x02\x13\x01\x01\x00"
        server_hello = (
            b"\x02\x00\x00\x2e\x03\x03" + bytes(32) + b"\x00\x13\x01\x00\x00\x06\x00\x2b\x00\x02\x03\x04"
        )
        flight = b"\x16\x03\x03" + len(server_hello).to_bytes(2, "big") + server_hello
        flight += b"\x17\x03\x03\x05\x00" + self.payload[:1280]
        out = [
            ethernet_ipv4_tcp(client, server, seq=0, ack=0, flags=0x02),
            ethernet_ipv4_tcp(server, client, seq=0, ack=1, flags=0x12),
            ethernet_ipv4_tcp(client, server, hello, seq=1, ack=1, flags=0x18),
            ethernet_ipv4_tcp(server, client, flight, seq=1, ack=1 + len(hello), flags=0x18),
        ]
        seq = 1 + len(flight)
        for _ in range(4):
            out.append(
                ethernet_ipv4_tcp(server, client, self.payload, seq=seq, ack=1 + len(hello), flags=0x18)
            )
            seq += len(self.payload)
        out.append(ethernet_ipv4_tcp(server, client, seq=seq, ack=1 + len(hello), flags=0x11))
        return out

    def http_download(self) -> list[bytes]:
        """A short HTTP/1.1 download (handshake, GET, 200 with a 14 KiB body in 10 segments, FIN)."""
        client = self._client()
        server = self.nginx
        body = self.payload * 10
        head = f"HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nContent-Type: application/octet-stream\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        request = b"GET /files/archive.bin HTTP/1.1\r\nHost: files.internal\r\n\r\n"
        out = [
            ethernet_ipv4_tcp(client, server, seq=0, ack=0, flags=0x02),
            ethernet_ipv4_tcp(server, client, seq=0, ack=1, flags=0x12),
            ethernet_ipv4_tcp(client, server, request, seq=1, ack=1, flags=0x18),
        ]
        data = head + body
        for i in range(0, len(data), 1448):
            out.append(
                ethernet_ipv4_tcp(
                    server, client, data[i : i + 1448], seq=1 + i, ack=1 + len(request), flags=0x18
                )
            )
        out.append(ethernet_ipv4_tcp(server, client, seq=1 + len(data), ack=1 + len(request), flags=0x11))
        return out


def build(path: Path, size: int, corpus: list[bytes], *, short_rate: float, every_mb: int) -> tuple[int, int]:
    """Write ~size bytes: background in blocks, the camera corpus inserted every `every_mb` MB."""
    background = Background(short_rate)
    t = 1767225600.0
    with PcapWriter(path) as out:
        copies = 0
        while out.bytes < size:
            for frame in background.packets(6000):
                t += 0.00002
                out.write(t, frame)
            if out.bytes // (every_mb << 20) > copies:
                copies += 1
                for frame in corpus:
                    t += 0.00002
                    out.write(t, frame)
        return out.packets, copies


def timed(
    cmd: list[str], stdout: int | IO[Any] | None = subprocess.DEVNULL
) -> tuple[float, int, subprocess.CompletedProcess[str]]:
    """(wall seconds, peak RSS in KiB, process) measured by /usr/bin/time -v."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        proc = subprocess.run(
            ["/usr/bin/time", "-v", "-o", report.name, *cmd],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        text = report.read()
    wall = rss = 0.0
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("Elapsed (wall clock) time"):
            parts = line.rsplit(" ", 1)[1].split(":")
            wall = sum(float(p) * 60**i for i, p in enumerate(reversed(parts)))
        elif line.startswith("Maximum resident set size"):
            rss = int(line.rsplit(" ", 1)[1])
    return wall, int(rss), proc


def identified(summary: dict[str, Any], among: set[str] | None = None) -> list[tuple[str | None, ...]]:
    """(MAC or IP, manufacturer, brand, model, type) of every identified device (of those in `among`)."""
    return sorted(
        (d["mac"] or d["ip"], d["manufacturer"], d["brand"], d["model"], d["device_type"])
        for d in summary["devices"]
        if (d["manufacturer"] or d["brand"] or d["device_type"])
        and (among is None or (d["mac"] or d["ip"]) in among)
    )


def same_devices(summary: dict[str, Any], reference: dict[str, Any]) -> bool:
    """The camera traffic's devices, identified alike (background hosts, e.g. the nginx server, set aside)."""
    keys = {d["mac"] or d["ip"] for d in reference["devices"]}
    return identified(summary, keys) == identified(reference)


def run_camscan(db: Path, files: list[Path]) -> tuple[float, int, dict[str, Any]]:
    if db.exists():
        db.unlink()
    wall, rss, proc = timed(
        [str(CAMSCAN), "pcap", "--db", str(db), "--json", "--quiet", *map(str, files)], subprocess.PIPE
    )
    if proc.returncode not in (0, 3):
        raise SystemExit(f"camscan pcap failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall, rss, json.loads(proc.stdout)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    tshark = subprocess.run(
        ["tshark", "--version"], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    return (
        f"{os.cpu_count()}-core {platform.machine()} ({cpu}), {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') >> 30} GiB RAM, "
        f"Python {platform.python_version()}, {tshark[0] if tshark else 'tshark not found'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-gb", type=float, default=1.2)
    parser.add_argument(
        "--reuse", action="store_true", help="time an existing OUT/mixed.pcap instead of building"
    )
    parser.add_argument("--out", type=Path, default=Path("/tmp/camscan-bench"))
    parser.add_argument("--keep", action="store_true", help="keep the generated capture")
    parser.add_argument("--gzip", action="store_true", help="also time camscan on a gzip-compressed copy")
    parser.add_argument(
        "--short-rate",
        type=float,
        default=0.002,
        help="fraction of background draws that open a short connection",
    )
    parser.add_argument(
        "--corpus-every-mb", type=int, default=16, help="insert the camera traffic every N MB"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of each tool, alternated; the best counts"
    )
    args = parser.parse_args()
    if shutil.which("tshark") is None:
        raise SystemExit("tshark is needed: apt-get install -y tshark")
    args.out.mkdir(parents=True, exist_ok=True)
    small = sources()
    corpus = camera_corpus(small)
    big = args.out / "mixed.pcap"
    started = time.perf_counter()
    if args.reuse and big.exists():
        with open_capture(big) as capture:
            packets = sum(1 for _ in capture.records())
        copies = -1
    else:
        packets, copies = build(
            big, int(args.size_gb * 1e9), corpus, short_rate=args.short_rate, every_mb=args.corpus_every_mb
        )
    size = big.stat().st_size
    print(
        f"built {big}: {size / 1e9:.2f} GB, {packets:,} packets ({copies} copies of {len(corpus)} camera frames "
        f"from {len(small)} captures) in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )

    os.sync()  # the file's pages are written out before anything is timed
    _w, _r, reference = run_camscan(args.out / "small.db", small)
    runs: dict[str, list[tuple[float, int]]] = {"camscan": [], "tshark": []}
    for _ in range(args.rounds):  # alternate the tools; the best round of each counts (a shared machine)
        wall, rss, summary = run_camscan(args.out / "bench.db", [big])
        runs["camscan"].append((wall, rss))
        t_wall, t_rss, t_proc = timed(["tshark", "-r", str(big), "-Y", "http || rtsp || ssdp"])
        if t_proc.returncode != 0:
            print(f"tshark exit {t_proc.returncode}: {t_proc.stderr[-500:]}", file=sys.stderr)
        runs["tshark"].append((t_wall, t_rss))
    print(f"rounds (wall s, peak RSS KiB): {runs}", file=sys.stderr)
    tiny = FIXTURES / "dhcp_mdns_arp.pcap"  # 4 packets: what each tool costs before its first packet
    startup = {
        "camscan": min(run_camscan(args.out / "tiny.db", [tiny])[0] for _ in range(3)),
        "tshark": min(timed(["tshark", "-r", str(tiny), "-Y", "http || rtsp || ssdp"])[0] for _ in range(3)),
    }
    rows: list[tuple[str, float, int, bool | None, int | None, Any]] = []
    same = same_devices(summary, reference)
    wall, rss = min(runs["camscan"])
    rows.append(("camscan pcap", wall, rss, same, len(identified(reference)), summary["hosts"]))
    t_wall, t_rss = min(runs["tshark"])
    rows.append(('tshark -Y "http || rtsp || ssdp"', t_wall, t_rss, None, None, None))
    if args.gzip:
        packed = args.out / "mixed.pcap.gz"
        subprocess.run(["gzip", "-1", "-k", "-f", str(big)], check=True)
        wall, rss, summary = run_camscan(args.out / "bench-gz.db", [packed])
        gz_same = same_devices(summary, reference)
        rows.append(
            ("camscan pcap (.pcap.gz)", wall, rss, gz_same, len(identified(reference)), summary["hosts"])
        )
        packed.unlink()

    print(f"\nMachine: {machine()}")
    print(
        f"File: {size / 1e9:.2f} GB, {packets:,} packets; camera traffic every {args.corpus_every_mb} MB, short "
        f"connections in {args.short_rate:.1%} of background draws; reference: {len(small)} small captures, "
        f"{len(identified(reference))} identified devices\n"
    )
    print(
        "| tool | wall | packets/s | MB/s | start-up | packets/s after start-up | peak RSS | identified devices "
        "(same as small captures) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, wall, rss, alike, count, hosts in rows:
        found = (
            "" if alike is None else f"{count} identified among {hosts} hosts ({'yes' if alike else 'NO'})"
        )
        start = startup["tshark" if name.startswith("tshark") else "camscan"]
        print(
            f"| {name} | {wall:.2f} s | {packets / wall:,.0f} | {size / 1e6 / wall:,.0f} | {start:.2f} s | "
            f"{packets / (wall - start):,.0f} | {rss / 1024:,.0f} MB | {found} |"
        )
    ratio = rows[1][1] / rows[0][1]
    net = (rows[1][1] - startup["tshark"]) / (rows[0][1] - startup["camscan"])
    print(f"\ncamscan: {ratio:.1f}x tshark's throughput end to end, {net:.1f}x after each tool's start-up.")
    if not rows[0][3]:
        print("\nDIFFERENT devices:\n  small: " + repr(identified(reference)))
    if not args.keep:
        big.unlink()


if __name__ == "__main__":
    main()
