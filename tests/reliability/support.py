"""Helpers for the reliability tests: captures of any size, written fast without scapy."""

from __future__ import annotations

import struct
from pathlib import Path

PCAP_HEADER = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def udp_frame(
    src_mac: bytes, src_ip: bytes, dst_ip: bytes, *, sport: int, dport: int, payload: bytes
) -> bytes:
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, src_ip, dst_ip)
    ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
    return b"\x01\x00\x5e\x7f\xff\xfa" + src_mac + b"\x08\x00" + ip + udp


def ssdp_notify(n: int) -> bytes:
    return (
        "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=1800\r\n"
        f"LOCATION: http://10.99.{n >> 8 & 255}.{n & 255}:80/upnp.xml\r\nNT: upnp:rootdevice\r\n"
        "NTS: ssdp:alive\r\nSERVER: Linux/3.10 UPnP/1.0 Axis/1.0\r\n"
        f"USN: uuid:00000000-0000-0000-0000-{n:012x}::upnp:rootdevice\r\n\r\n"
    ).encode()


def write_capture(path: Path, *, hosts: int, background: int = 0, host_every: int = 1) -> Path:
    """`hosts` devices announcing themselves over SSDP, interleaved with `background` bulk UDP packets.

    Each device has its own Hikvision-prefix MAC and private address, so it becomes its own stored device.
    """
    ts = 1_767_225_600
    noise_src, noise_dst = bytes([10, 98, 0, 1]), bytes([10, 98, 0, 2])
    noise = udp_frame(
        b"\x02\x00\x00\x00\x00\x01", noise_src, noise_dst, sport=40000, dport=9999, payload=b"\xaa" * 1000
    )
    with path.open("wb") as f:
        f.write(PCAP_HEADER)
        written_hosts = 0
        total = max(hosts * host_every, background + hosts)
        for i in range(total):
            if written_hosts < hosts and i % host_every == 0:
                n = written_hosts
                mac = bytes([0xC4, 0x2F, 0x90, n >> 16 & 255, n >> 8 & 255, n & 255])
                frame = udp_frame(
                    mac,
                    bytes([10, 99, n >> 8 & 255, n & 255]),
                    bytes([239, 255, 255, 250]),
                    sport=1900,
                    dport=1900,
                    payload=ssdp_notify(n),
                )
                written_hosts += 1
            else:
                frame = noise
            f.write(struct.pack("<IIII", ts + i // 1000, (i % 1000) * 1000, len(frame), len(frame)) + frame)
    return path
