"""Unit tests of the scanner's parts: endpoints data, Digest auth, redirects, ports, limits, interfaces, UDP."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import time
from pathlib import Path
from typing import Any

import pytest

from camscan.credentials import Credential, Secret
from camscan.discover.interfaces import LocalNet, inside, overlaps, select_networks
from camscan.errors import DataError, UsageError
from camscan.lab.auth import check_digest
from camscan.model import Evidence, Identity, Observation
from camscan.parse.recorders import is_recorder_path
from camscan.probe import vendor_udp, wsd
from camscan.probe.auth import authorization, parse_params
from camscan.probe.endpoints import load_endpoints, parse_endpoints, select
from camscan.probe.http import Fetched, fetch, fetch_with_credentials, redirect_target, request_bytes
from camscan.probe.limits import Limits, LimitSettings, RateLimiter
from camscan.scan.options import parse_ports
from camscan.scan.runner import growing_blocks
from camscan.scan.state import HostState
from camscan.scope import Scope

CRED = Credential("admin", Secret("s3cret pass"), "test")


# -- vendor_signatures/probes.yaml ---------------------------------------------------------------------------


def test_shipped_endpoints_load_and_are_read_only() -> None:
    endpoints = load_endpoints().endpoints
    assert len(endpoints) >= 8
    assert all(e.method in ("GET", "HEAD", "DATAGRAM") or (e.method == "POST" and e.body) for e in endpoints)
    posts = [json.loads(e.body) for e in endpoints if e.method == "POST" and e.body]
    assert posts and all(p["method"].startswith("get") for p in posts)  # a JSON-RPC read, nothing else
    assert all(e.source for e in endpoints)
    assert all(e.tier == "c" for e in endpoints if e.needs_credentials)


def test_endpoint_signatures_exist_for_what_they_fetch(engine) -> None:
    # every credentialed HTTP endpoint is read by at least one http_path signature
    patterns = [s for s in engine.knowledge.signatures if s.kind == "http_path"]
    assert patterns

    def reads(sig, path: str) -> bool:
        return any(name == "path" and rx.search(path) for name, rx in sig.fields)

    for e in load_endpoints().endpoints:
        if e.protocol == "http" and e.tier == "c":
            # a recorder's channel list is read by camscan.parse.recorders (issue 14), which says so itself
            read_by_recorders = is_recorder_path(e.path)
            assert read_by_recorders or any(reads(s, e.path) for s in patterns), e.id


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"method": "PUT"}, "only use GET or HEAD"),
        ({"method": "POST"}, "POST only for a JSON-RPC read"),
        ({"method": "POST", "body": '{"method": "setProperties"}'}, "POST only for a JSON-RPC read"),
        ({"method": "POST", "body": '{"method": "getaway"}'}, "POST only for a JSON-RPC read"),
        ({"method": "POST", "body": "not json"}, "POST only for a JSON-RPC read"),
        ({"body": '{"method": "getAllProperties"}'}, "sent with POST only"),
        ({"tier": "b", "auth": "required"}, "belongs to tier c"),
        ({"source": ""}, "`source` is required"),
        ({"when": {}}, "`when`"),
        ({"when": {"vendor": ["X"]}}, "unknown field"),
        ({"path": "no-slash"}, "`path`"),
        ({"colour": "red"}, "unknown field"),
    ],
)
def test_bad_endpoints_are_refused(change: dict[str, Any], message: str) -> None:
    entry = {
        "id": "x.y", "tier": "c", "protocol": "http", "method": "GET", "path": "/a", "auth": "required",
        "when": {"manufacturer": ["X"]}, "source": "s",
    }  # fmt: skip
    entry.update(change)
    with pytest.raises(DataError, match=message):
        parse_endpoints(Path("probes.yaml"), {"version": 1, "endpoints": [entry]})


def test_duplicate_endpoint_ids_refused() -> None:
    entry = {"id": "x.y", "tier": "b", "protocol": "udp", "payload": "sadp", "ports": [37020],
             "when": {"open_ports": [1]}, "source": "s"}  # fmt: skip
    with pytest.raises(DataError, match="duplicate"):
        parse_endpoints(Path("p.yaml"), {"version": 1, "endpoints": [entry, entry]})


def test_partial_identity_picks_the_endpoints() -> None:
    endpoints = load_endpoints().endpoints
    hik = Identity(manufacturer="Hikvision")
    b = {e.id for e in select(endpoints, "b", hik, [80, 554])}
    assert b == {"hikvision.sadp"}
    c = {e.id for e in select(endpoints, "c", hik, [80], credentials=True)}
    assert c == {"hikvision.isapi_device_info"}
    assert select(endpoints, "c", hik, [80], credentials=False) == []
    assert select(endpoints, "b", Identity(manufacturer="HP"), [80, 443]) == []
    by_port = {e.id for e in select(endpoints, "b", None, [37777])}
    assert by_port == {"dahua.dhdiscover"}
    evidence = Identity(evidence=[Evidence("http_server", "axis.http_server.upnp_kernel", {})])
    assert {e.id for e in select(endpoints, "c", evidence, [80], credentials=True)} == {
        "axis.param_brand_properties"
    }
    assert select(endpoints, "c", hik, [80], done=["hikvision.isapi_device_info"], credentials=True) == []
    # Axis: the unauthenticated JSON-RPC read in tier b, whoever asks (issue 11 point 8)
    assert {e.id for e in select(endpoints, "b", evidence, [80])} == {"axis.basic_device_info"}


# -- credentials on the wire ---------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-256"])
@pytest.mark.parametrize("qop", ['qop="auth", ', ""])
def test_digest_is_what_a_device_checks(algorithm: str, qop: str) -> None:
    challenge = f'Digest realm="cam", {qop}nonce="abc123", opaque="xyz", algorithm={algorithm}'
    header = authorization([challenge], "GET", "/ISAPI/System/deviceInfo", CRED)
    assert header is not None and header.startswith("Digest ")
    assert check_digest(header, "GET", "admin", "s3cret pass", "cam")  # the lab's independent check
    assert not check_digest(header, "GET", "admin", "wrong", "cam")
    assert "s3cret" not in header
    assert parse_params(header[7:])["opaque"] == "xyz"


def test_basic_only_when_nothing_else_is_offered() -> None:
    digest = authorization(['Basic realm="x"', 'Digest realm="r", nonce="n"'], "GET", "/", CRED)
    assert digest is not None and digest.startswith("Digest")
    basic = authorization(['Basic realm="x"'], "GET", "/", CRED)
    assert basic is not None and basic.startswith("Basic ")
    assert authorization(['Bearer realm="x"'], "GET", "/", CRED) is None


# -- HTTP details ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("/doc/page/login.asp", ("10.0.0.5", 80, False, "/doc/page/login.asp")),
        ("http://10.0.0.5:8080/x?y=1", ("10.0.0.5", 8080, False, "/x?y=1")),
        ("https://10.0.0.5/", ("10.0.0.5", 443, True, "/")),
        ("//10.0.0.9/a", ("10.0.0.9", 80, False, "/a")),
        ("ftp://10.0.0.5/", None),
        ("javascript:alert(1)", None),
        ("", None),
    ],
)
def test_redirect_target(location: str, expected: tuple[str, int, bool, str] | None) -> None:
    assert redirect_target(location, "10.0.0.5", 80, False) == expected


def test_request_is_a_plain_get() -> None:
    data = request_bytes("GET", "/", "10.0.0.5", 8080, tls=False, auth=None)
    assert data.startswith(b"GET / HTTP/1.1\r\nHost: 10.0.0.5:8080\r\n") and data.endswith(b"\r\n\r\n")


# -- options, blocks, limits, state ---------------------------------------------------------------------------


def test_parse_ports() -> None:
    assert parse_ports("80, 443,8000-8002") == (80, 443, 8000, 8001, 8002)
    assert 554 in parse_ports(None)
    for bad in ("0", "70000", "a", "10-5", "1-5000"):
        with pytest.raises(UsageError):
            parse_ports(bad)


def test_growing_blocks() -> None:
    sizes = [len(b) for b in growing_blocks(iter(range(1000)))]
    assert sizes == [16, 64, 256, 256, 256, 152]


def test_rate_limiter_spaces_connections() -> None:
    async def run() -> float:
        limiter = RateLimiter(100)
        started = time.monotonic()
        await asyncio.gather(*(limiter.wait() for _ in range(21)))
        return time.monotonic() - started

    assert 0.18 <= asyncio.run(run()) < 0.6


def test_per_host_cap() -> None:
    async def run() -> int:
        limits = Limits(LimitSettings(per_host=2, rate=None))
        busy = peak = 0

        async def one() -> None:
            nonlocal busy, peak
            async with limits.slot("10.0.0.1"):
                busy += 1
                peak = max(peak, busy)
                await asyncio.sleep(0.01)
                busy -= 1

        await asyncio.gather(*(one() for _ in range(10)))
        assert limits._hosts == {}  # per-host state does not outlive the host's connections
        return peak

    assert asyncio.run(run()) == 2


def test_host_state_deduplicates_like_the_pcap_reader() -> None:
    state = HostState("10.0.0.1")
    a = Observation("http_server", "App-webs/", host="10.0.0.1", port=80, source="http")
    b = Observation("http_server", "App-webs/", host="10.0.0.1", port=80, source="http")
    assert state.add([a, b]) == 1 and state.dirty
    assert (
        state.add([Observation("http_server", "App-webs/", host="10.0.0.1", port=443, source="https")]) == 1
    )
    assert not state.failed
    bad = HostState("10.0.0.2")
    bad.add([Observation("http_path", {}, host="10.0.0.2", port=80, source="http", error="timeout")])
    assert bad.failed and "timeout" in (bad.first_error() or "")


# -- interfaces ------------------------------------------------------------------------------------------------


def test_interfaces_inside_and_overlapping() -> None:
    net = ipaddress.IPv4Network("10.1.0.0/24")
    assert inside(net, Scope.build(["10.1.0.0/24"]))
    assert inside(net, Scope.build(["10.0.0.0/12"]))
    assert not inside(net, Scope.build(["10.1.0.1-50"]))
    assert overlaps(net, Scope.build(["10.1.0.1-50"]))
    assert not overlaps(net, Scope.build(["10.2.0.0/24"]))
    nets = [LocalNet("eth1", "10.1.0.2", net)]
    assert select_networks(Scope.build(["10.1.0.0/24"]), available=nets)[0] == nets
    assert select_networks(Scope.build(["10.1.0.1-9"]), available=nets)[0] == []
    assert select_networks(Scope.build(["10.1.0.1-9"]), ["eth1"], available=nets)[0] == nets
    assert "not found" in select_networks(Scope.build(["10.1.0.1-9"]), ["wlan9"], available=nets)[1][0]


# -- discovery payloads ----------------------------------------------------------------------------------------


def test_discovery_requests_are_what_the_devices_expect() -> None:
    from camscan.lab.wire import parse_dhip, parse_dvrip, parse_sadp_probe, parse_wsd_probe

    probe = parse_wsd_probe(wsd.probe_message())
    assert probe is not None and probe.action == "Probe"
    sadp = parse_sadp_probe(vendor_udp.sadp_inquiry())
    assert sadp is not None and sadp.types == "inquiry"
    dhip = parse_dhip(vendor_udp.dhdiscover_search())
    assert dhip is not None and dhip["method"] == "DHDiscover.search"
    dvrip = parse_dvrip(vendor_udp.xm_search())
    assert dvrip is not None and dvrip.message_id == 1530


def test_xaddrs_only_for_the_host_itself() -> None:
    xaddrs = ["http://10.0.0.5/onvif/device_service", "http://10.0.0.99:8080/onvif/device_service",
              "https://10.0.0.5:8443/onvif/device_service", "not a url"]  # fmt: skip
    assert wsd.device_service(xaddrs, "10.0.0.5") == [(80, False, "/onvif/device_service"),
                                                      (8443, True, "/onvif/device_service")]  # fmt: skip


# -- ONVIF: WSDL parsed once, whatever the number of hosts -------------------------------------------------------


def test_wsdl_parsed_once_per_process(loopback_lab_ok: None) -> None:
    from camscan.lab import Lab
    from camscan.probe import onvif

    async def run() -> tuple[int, int, list[bool]]:
        async with Lab(profiles=["hikvision-camera", "dahua-camera", "uniview-camera"], count=9,
                       base="127.99.0.1", trap=False) as lab:  # fmt: skip
            limits = Limits(LimitSettings(timeout_s=2))
            await onvif.warm_up()
            before = onvif.wsdl_documents_parsed()
            results = await asyncio.gather(*(onvif.probe_onvif(d["ip"], 80, limits) for d in lab.devices))
            return before, onvif.wsdl_documents_parsed(), [r.answered for r in results]

    before, after, answered = asyncio.run(run())
    assert all(answered)
    assert before >= 1 and after == before


def test_onvif_skew_and_device_info_with_credentials(loopback_lab_ok: None) -> None:
    from camscan.lab import Lab
    from camscan.probe import onvif

    async def run() -> onvif.OnvifResult:
        async with Lab(profiles=["hikvision-nvr"], base="127.99.1.1", trap=False) as lab:
            cred = Credential("admin", Secret("camscan-lab"), "test")
            return await onvif.probe_onvif(lab.devices[0]["ip"], 80, Limits(LimitSettings(timeout_s=2)), cred)

    result = asyncio.run(run())
    assert result.clock_skew_s is not None and abs(result.clock_skew_s + 5400) < 1.0
    info = [o.value for o in result.observations if o.kind == "onvif_device_info" and o.error is None]
    assert info and info[0]["model"] == "DS-7608NI-K2"
    assert any(o.kind == "mac" for o in result.observations)


def test_digest_challenge_parameters_with_the_standard_library_splitter():
    params = parse_params(
        'realm="Login to 2J0123, door", nonce="a\\"b", qop="auth,auth-int", stale=FALSE, x = "y"'
    )
    assert params == {
        "realm": "Login to 2J0123, door",
        "nonce": 'a"b',
        "qop": "auth,auth-int",
        "stale": "FALSE",
        "x": "y",
    }


def test_a_recorder_camera_list_is_read_beyond_the_scan_byte_cap() -> None:
    """A large console's camera list (megabytes of JSON) is read whole up to `max_list_bytes`; any other answer
    still stops at the scan's byte cap (`max_bytes`)."""
    body = b'{"cameras": "' + b"x" * (600 * 1024) + b'"}'
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    )

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(answer)
        await writer.drain()
        writer.close()

    async def run() -> tuple[Fetched, Fetched, Fetched, Fetched]:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        limits = Limits(LimitSettings(timeout_s=5, rate=None))
        try:
            plain = await fetch("127.0.0.1", port, "/index.html", limits)
            listed = await fetch("127.0.0.1", port, "/proxy/protect/api/cameras", limits,
                                 max_bytes=limits.settings.max_list_bytes)  # fmt: skip
            channels = await fetch_with_credentials("127.0.0.1", port, "/ISAPI/ContentMgmt/InputProxy/channels",
                                                    limits, None)  # fmt: skip
            other = await fetch_with_credentials("127.0.0.1", port, "/index.html", limits, None)
        finally:
            server.close()
            await server.wait_closed()
        return plain, listed, channels[0], other[0]

    assert is_recorder_path("/ISAPI/ContentMgmt/InputProxy/channels")
    plain, listed, channels, other = asyncio.run(run())
    cap = LimitSettings().max_bytes
    assert plain.capped and other.capped and len(plain.response.body) <= cap
    assert not listed.capped and listed.response.body == body
    assert not channels.capped and channels.response.body == body
    assert LimitSettings().max_list_bytes > len(body) > cap
