"""Build the fuzz seed corpus (fuzz/seeds/<target>/) from camscan's own real-data fixtures.

Sources: the edge-case captures in tests/fixtures/pcaps/ (UDP payloads by port; the server side of TCP
streams, concatenated in sequence order) and raw answers of the lab's devices (real devices' responses, served
on loopback). Re-run after the fixtures or the lab profiles change:

    .venv/bin/python fuzz/make_seeds.py          # needs root for the lab's ports below 1024
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import socket
from collections import defaultdict
from pathlib import Path

from scapy.all import IP, TCP, UDP, IPv6, PcapNgReader, PcapReader  # type: ignore[attr-defined]

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fuzz" / "seeds"
PCAPS = ROOT / "tests" / "fixtures" / "pcaps"
ONVIF_FIXTURES = ROOT / "tests" / "fixtures" / "onvif"
UDP_PORTS = {
    67: "dhcp",
    68: "dhcp",
    5353: "mdns",
    161: "snmp",
    1900: "ssdp",
    3702: "wsd",
    37020: "sadp",
    37810: "dahua",
    34569: "xm",
}
TCP_PORTS = {80: "http", 554: "rtsp", 443: "tls", 23: "banners", 21: "banners", 22: "banners"}


def save(target: str, data: bytes) -> None:
    if not data:
        return
    folder = SEEDS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def from_captures() -> None:
    for path in sorted(PCAPS.glob("*.pcap*")):
        if path.suffix == ".gz":
            continue
        save("pcap", path.read_bytes())
        if path.name in ("truncated.pcap", "corrupt_record.pcap", "unknown_linktype.pcap"):
            continue
        reader = PcapNgReader if path.suffix == ".pcapng" else PcapReader
        streams: dict[tuple[str, str, int, str, int], dict[int, bytes]] = defaultdict(dict)
        with reader(str(path)) as packets:
            for pkt in packets:
                ip = pkt.getlayer(IP) or pkt.getlayer(IPv6)
                if ip is None:
                    continue
                if pkt.haslayer(UDP):
                    udp = pkt[UDP]
                    name = UDP_PORTS.get(udp.sport)
                    if name:
                        save(name, bytes(udp.payload))
                elif pkt.haslayer(TCP):
                    tcp = pkt[TCP]
                    name = TCP_PORTS.get(tcp.sport) or (
                        "http" if b"HTTP/1." in bytes(tcp.payload)[:8] else None
                    )
                    if name and bytes(tcp.payload):
                        streams[(name, ip.src, tcp.sport, ip.dst, tcp.dport)][tcp.seq] = bytes(tcp.payload)
        for (name, *_), segments in streams.items():
            data = b"".join(segments[k] for k in sorted(segments))
            save(name, data)
            if name == "http" and b"Envelope" in data:
                save("onvif", data.split(b"\r\n\r\n", 1)[-1])
            if name in ("http", "rtsp"):
                save("http_stream", data)
            if b"<root" in data:
                save("upnp_description", data.split(b"\r\n\r\n", 1)[-1])


def _exchange(ip: str, port: int, request: bytes, *, udp: bool = False) -> bytes:
    kind = socket.SOCK_DGRAM if udp else socket.SOCK_STREAM
    with socket.socket(socket.AF_INET, kind) as s:
        s.settimeout(2)
        if udp:
            s.sendto(request, (ip, port))
            try:
                return s.recvfrom(65535)[0]
            except TimeoutError:
                return b""
        s.connect((ip, port))
        s.sendall(request)
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except TimeoutError:
            pass
        return b"".join(chunks)


SOAP = (
    b'<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">'
    b'<s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>'
)
WSD_PROBE = (
    b'<?xml version="1.0" encoding="UTF-8"?><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" '
    b'xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
    b'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><e:Header><w:MessageID>uuid:0</w:MessageID>'
    b"<w:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To><w:Action>"
    b"http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action></e:Header><e:Body><d:Probe/>"
    b"</e:Body></e:Envelope>"
)


def tls_server_flight(ip: str, port: int) -> bytes:
    """The raw bytes a TLS server sends after a TLS 1.2 ClientHello (its certificate is in the clear)."""
    import ssl

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    conn = ctx.wrap_bio(incoming, outgoing)
    with contextlib.suppress(ssl.SSLWantReadError):
        conn.do_handshake()
    hello = outgoing.read()
    with socket.create_connection((ip, port), timeout=2) as s:
        s.sendall(hello)
        data = b""
        try:
            while len(data) < 65536:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                if b"\x0e\x00\x00\x00" in data:  # ServerHelloDone
                    break
        except TimeoutError:
            pass
    return data


def from_lab() -> None:
    from camscan.lab import Lab

    with Lab(profiles=["estate"], base="127.78.0.1") as lab:
        for device in lab.devices:
            ip, ports = device["ip"], device["ports"]
            tcp = set(ports.get("tcp", [])) if isinstance(ports, dict) else set()
            if 80 in tcp:
                save(
                    "http",
                    _exchange(ip, 80, f"GET / HTTP/1.1\r\nHost: {ip}\r\nConnection: close\r\n\r\n".encode()),
                )
                soap = _exchange(
                    ip,
                    80,
                    b"POST /onvif/device_service HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    b"Content-Type: application/soap+xml\r\nContent-Length: %d\r\n\r\n" % len(SOAP) + SOAP,
                )
                if b"Envelope" in soap:
                    save("onvif", soap.split(b"\r\n\r\n", 1)[-1])
            if 443 in tcp:
                save("tls", tls_server_flight(ip, 443))
            if 554 in tcp:
                save(
                    "rtsp",
                    _exchange(ip, 554, b"OPTIONS rtsp://%s/ RTSP/1.0\r\nCSeq: 1\r\n\r\n" % ip.encode()),
                )
            wsd = _exchange(ip, 3702, WSD_PROBE, udp=True)
            save("wsd", wsd)


def from_onvif_fixtures() -> None:
    """Real ONVIF answers kept as fixtures (tests/fixtures/onvif/SOURCES.md): a GetCapabilities answer, which the
    lab's GetSystemDateAndTime exchange does not give (`onvif_services`)."""
    for path in sorted(ONVIF_FIXTURES.glob("*.xml")):
        save("onvif", path.read_bytes())


def sdp_seeds() -> None:
    """Stream descriptions (target `sdp`): the bodies of the RTSP seeds that hold one, and the lab profiles' own."""
    import yaml

    for path in sorted((SEEDS / "rtsp").glob("*")):
        body = path.read_bytes().partition(b"\r\n\r\n")[2]
        if body.lstrip().startswith(b"v="):
            save("sdp", body)

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "sdp" and isinstance(value, str):
                    save("sdp", value.replace("\n", "\r\n").encode())
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((ROOT / "camscan" / "lab" / "profiles").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text()))


def main() -> None:
    shutil.rmtree(SEEDS, ignore_errors=True)
    from_captures()
    from_onvif_fixtures()
    from_lab()
    sdp_seeds()
    for folder in sorted(SEEDS.iterdir()):
        print(f"{folder.name}: {len(list(folder.iterdir()))} seeds")


if __name__ == "__main__":
    main()
