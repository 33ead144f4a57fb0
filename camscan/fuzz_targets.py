"""Fuzz targets: every parser that reads device or capture data, behind one signature `target(data: bytes)`.

A target may return anything; the only exception it may raise is `ParseError` (or `UsageError` for whole
capture files). Anything else — an IndexError, a RecursionError, a MemoryError, a hang — is a bug. The targets
are shared by the property tests (tests/fuzz/) and the coverage-guided fuzzer (fuzz/run_campaign.py, fuzz/fuzz_one.py).
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from pathlib import Path

from camscan.errors import UsageError
from camscan.parse import banners, dhcp, discovery, http, mdns, onvif, rtsp, sdp, tls, upnp, wsd
from camscan.parse.base import ParseError, text
from camscan.parse.framing import MessageReader
from camscan.passive.capture import open_capture

_SCRATCH = "/dev/shm" if Path("/dev/shm").is_dir() else None

EXPECTED = (ParseError,)


def _http(data: bytes) -> object:
    """A response (its observations, gzip and chunked bodies decoded), or a request when it is not one."""
    if not data.startswith(b"HTTP/"):
        return http.parse_http_request(data)
    response = http.parse_http_response(data)
    return http.http_observations("/", response)


def _http_stream(data: bytes) -> object:
    """The incremental reader fed in uneven pieces, as TCP reassembly delivers them."""
    reader = MessageReader(responses=True, interleaved=bool(data[:1] == b"$"))
    out = []
    step = (data[0] % 7 + 1) if data else 1
    for i in range(0, len(data), step):
        out.extend(reader.feed(data[i : i + step]))
    return out


def _rtsp(data: bytes) -> object:
    return rtsp.rtsp_observations(rtsp.parse_rtsp_response(data))


def _sdp(data: bytes) -> object:
    """A stream description, undecoded as the RTSP reader keeps it (camscan.parse.base.text), and also as Latin-1
    (every character the parser may see), parsed and read by the readers that need no loaded knowledge."""
    from camscan.identify import video_sources

    out = []
    for value in (text(data, sdp.MAX_CHARS), data.decode("latin-1")):
        parsed = sdp.parse(value)
        out.append(
            (
                parsed,
                parsed.origin,
                parsed.fmtp(),
                video_sources.is_live_video(parsed),
                video_sources.broadcast_reason(parsed),
            )
        )
    return out


def _wsd(data: bytes) -> object:
    return wsd.wsd_observations(wsd.parse_wsd(data))


def _onvif(data: bytes) -> object:
    return onvif.onvif_observations(onvif.parse_onvif_response(data))


def _sadp(data: bytes) -> object:
    return discovery.discovery_observations(discovery.parse_sadp(data))


def _dahua(data: bytes) -> object:
    return discovery.discovery_observations(discovery.parse_dahua(data))


def _xm(data: bytes) -> object:
    return discovery.discovery_observations(discovery.parse_xm(data))


def _ssdp(data: bytes) -> object:
    return upnp.ssdp_observations(upnp.parse_ssdp(data))


def _upnp_description(data: bytes) -> object:
    return upnp.upnp_observations(upnp.parse_description(data))


def _dhcp(data: bytes) -> object:
    return dhcp.dhcp_observations(dhcp.parse_dhcp(data))


def _mdns(data: bytes) -> object:
    return mdns.mdns_observations(mdns.parse_mdns(data))


def _tls(data: bytes) -> object:
    flight = tls.parse_server_flight(data)
    return tls.tls_observations(flight.certificates)


def _snmp(data: bytes) -> object:
    return banners.snmp_observations(banners.parse_snmp(data))


def _banners(data: bytes) -> object:
    """The banner readers; the bytes are one protocol's greeting, so the others may reject them."""
    found = []
    for reader in (banners.telnet_banner, banners.ftp_banner, banners.ssh_banner):
        try:
            found.append(reader(data))
        except ParseError:
            continue
    if not found:
        raise ParseError("no banner")
    return found


def pcap_file(data: bytes) -> object:
    """A whole capture file with these bytes, read through the passive reader (records and decoding)."""
    with tempfile.NamedTemporaryFile(suffix=".pcap", dir=_SCRATCH) as f:
        f.write(data)
        f.flush()
        try:
            capture = open_capture(Path(f.name))
        except UsageError:
            return None
        with capture:
            return sum(1 for _ in capture.records())


TARGETS: dict[str, Callable[[bytes], object]] = {
    "http": _http,
    "http_stream": _http_stream,
    "rtsp": _rtsp,
    "sdp": _sdp,
    "wsd": _wsd,
    "onvif": _onvif,
    "sadp": _sadp,
    "dahua": _dahua,
    "xm": _xm,
    "ssdp": _ssdp,
    "upnp_description": _upnp_description,
    "dhcp": _dhcp,
    "mdns": _mdns,
    "tls": _tls,
    "snmp": _snmp,
    "banners": _banners,
    "pcap": pcap_file,
}


def run(name: str, data: bytes) -> None:
    """Call one target; expected rejections are swallowed, anything else propagates."""
    with contextlib.suppress(*EXPECTED):
        TARGETS[name](data)
