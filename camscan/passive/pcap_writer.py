"""Write pcap files: what the benchmark and the tests use to build captures (no scapy needed, and fast).

    with PcapWriter(path) as out:
        out.write(ts, frame)           # one Ethernet frame (or a frame of `linktype`)

`ethernet_ipv4_tcp` and `ethernet_ipv4_udp` build frames with correct lengths (checksums are left zero: camscan
does not check them, nor do most capture tools when reading).
"""

from __future__ import annotations

import struct
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

_RECORD = struct.Struct("<IIII")


class PcapWriter:
    def __init__(self, path: Path | str, linktype: int = 1, snaplen: int = 262144) -> None:
        self._file: BinaryIO = open(path, "wb")  # noqa: SIM115 - closed by close()/__exit__
        self._file.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
        self.packets = 0
        self.bytes = 24

    def write(self, ts: float, frame: bytes) -> None:
        sec = int(ts)
        usec = round((ts - sec) * 1e6)
        if usec >= 1_000_000:
            sec, usec = sec + 1, usec - 1_000_000
        self._file.write(_RECORD.pack(sec, usec, len(frame), len(frame)))
        self._file.write(frame)
        self.packets += 1
        self.bytes += 16 + len(frame)

    def write_raw(self, data: bytes, packets: int) -> None:
        """Append already-encoded records (a block copied from another pcap of the same link type)."""
        self._file.write(data)
        self.packets += packets
        self.bytes += len(data)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> PcapWriter:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()


def _mac(text: str) -> bytes:
    return bytes.fromhex(text.replace(":", ""))


def _ipv4_header(src: str, dst: str, proto: int, length: int, ident: int = 0) -> bytes:
    return struct.pack(
        "!BBHHHBBH4s4s",
        0x45,
        0,
        20 + length,
        ident & 0xFFFF,
        0x4000,
        64,
        proto,
        0,
        bytes(int(x) for x in src.split(".")),
        bytes(int(x) for x in dst.split(".")),
    )


def ethernet_ipv4_tcp(
    src: tuple[str, str, int],
    dst: tuple[str, str, int],
    payload: bytes = b"",
    *,
    seq: int,
    ack: int,
    flags: int,
) -> bytes:
    """(mac, ip, port) → (mac, ip, port); flags as TCP flag bits (0x02 SYN, 0x10 ACK, 0x18 PSH+ACK, ...)."""
    tcp = struct.pack(
        "!HHIIBBHHH", src[2], dst[2], seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 0x50, flags, 65535, 0, 0
    )
    ip = _ipv4_header(src[1], dst[1], 6, len(tcp) + len(payload))
    return _mac(dst[0]) + _mac(src[0]) + b"\x08\x00" + ip + tcp + payload


def ethernet_ipv4_udp(src: tuple[str, str, int], dst: tuple[str, str, int], payload: bytes) -> bytes:
    udp = struct.pack("!HHHH", src[2], dst[2], 8 + len(payload), 0)
    ip = _ipv4_header(src[1], dst[1], 17, len(udp) + len(payload))
    return _mac(dst[0]) + _mac(src[0]) + b"\x08\x00" + ip + udp + payload
