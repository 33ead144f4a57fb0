"""Every parser, on garbage and on damaged real messages: ParseError or a result, never another exception."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from camscan.parse import ParseError, banners, dhcp, discovery, mdns, onvif, rtsp, tls, upnp, wsd
from camscan.parse.framing import MessageReader
from camscan.parse.http import decode_body, http_observations, parse_http_request, parse_http_response

from .test_onvif import INFO
from .test_tls import CERT
from .test_upnp import DESCRIPTION, NOTIFY
from .test_wsd import HELLO

#: More with CAMSCAN_FUZZ_EXAMPLES=10000 (a longer local run).
EXAMPLES = int(os.environ.get("CAMSCAN_FUZZ_EXAMPLES", "300"))
PARSERS: list[Callable[[bytes], Any]] = [
    lambda d: http_observations("/", parse_http_response(d)),
    parse_http_request,
    lambda d: rtsp.rtsp_observations(rtsp.parse_rtsp_response(d)),
    lambda d: wsd.wsd_observations(wsd.parse_wsd(d)),
    lambda d: onvif.onvif_observations(onvif.parse_onvif_response(d)),
    discovery.parse_sadp,
    discovery.parse_dahua,
    discovery.parse_xm,
    lambda d: upnp.ssdp_observations(upnp.parse_ssdp(d)),
    upnp.parse_description,
    dhcp.parse_dhcp,
    lambda d: mdns.mdns_observations(mdns.parse_mdns(d)),
    tls.parse_server_flight,
    tls.certificate_names,
    banners.telnet_banner,
    banners.ftp_banner,
    banners.ssh_banner,
    lambda d: banners.snmp_observations(banners.parse_snmp(d)),
    lambda d: decode_body(d, "gzip"),
]
SEEDS = [
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"RTSP/1.0 200 OK\r\nContent-Length: 4\r\n\r\nv=0\n",
    HELLO,
    INFO,
    NOTIFY,
    DESCRIPTION,
    b"\x16\x03\x03\x02\x00" + b"\x0b\x00\x01\xfc\x00\x01\xf9" + CERT[:500],
    CERT,
]


def run_all(data: bytes) -> None:
    for parser in PARSERS:
        with contextlib.suppress(ParseError):
            parser(data)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_random_bytes(data: bytes) -> None:
    run_all(data)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.sampled_from(SEEDS), st.integers(0, 4000), st.integers(0, 255), st.integers(0, 4000))
def test_damaged_messages(seed: bytes, at: int, value: int, cut: int) -> None:
    data = bytearray(seed)
    if data:
        data[at % len(data)] = value
    run_all(bytes(data[: cut % (len(data) + 1)]))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SEEDS[:2]), st.lists(st.integers(1, 64), max_size=20))
def test_reader_any_split(seed: bytes, sizes: list[int]) -> None:
    """Framing does not depend on how the bytes were split into segments."""
    whole = MessageReader(responses=True).feed(seed)
    reader, pos, pieces = MessageReader(responses=True), 0, []
    for size in [*sizes, len(seed)]:
        pieces += reader.feed(seed[pos : pos + size])
        pos += size
    assert [m.body for m in pieces] == [m.body for m in whole]
