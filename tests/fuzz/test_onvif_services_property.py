"""Property tests for what an ONVIF device offers (`onvif_services`): hostile GetServices/GetCapabilities answers
through the parser, and values of any JSON shape through `camscan identify`'s path. Every answer is invented.

The parser either gives at most one bounded finding or raises ParseError; the engine reads whatever it gives, and
whatever a user's JSON says, without raising.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from camscan.identify.engine import get_engine
from camscan.identify.stream import identify_lines
from camscan.model import Observation
from camscan.parse.base import ParseError
from camscan.parse.onvif import onvif_observations, parse_onvif_response
from camscan.parse.onvif_services import COUNTS, MAX_COUNT, MAX_NAMESPACES, MAX_SERVICES

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" '
    'xmlns:tmd="http://www.onvif.org/ver10/deviceIO/wsdl" xmlns:v="http://vendor.invalid/x"><s:Body>'
)
TAIL = "</s:Body></s:Envelope>"
NAMESPACES = [
    "http://www.onvif.org/ver10/device/wsdl", "http://www.onvif.org/ver10/deviceIO/wsdl",
    "http://www.onvif.org/ver10/display/wsdl", "http://www.onvif.org/ver10/receiver/wsdl",
    "http://www.onvif.org/ver10/media/wsdl", "http://www.onvif.org/ver20/media/wsdl",
    "http://www.onvif.org/ver10/recording/wsdl", "http://www.onvif.org/ver10/doorcontrol/wsdl",
    " \u3000http://www.onvif.org/ver10/display/wsdl\u00a0", "http://www.onvif.org/ver10/d\u0456splay/wsdl",
    "http://www.onvif.org/ver10/\uff24ISPLAY/wsdl", "https://www.onvif.org/ver99/zz/wsdl/", "http://vendor.invalid/x",
    "http://www.onvif.org/ver10/" + "a" * 5000 + "/wsdl", "", "&#x1F4A9;", "<![CDATA[http://www.onvif.org/ver10/ptz/wsdl]]>",
]  # fmt: skip
COUNT_TEXTS = ["0", "1", "000004", "-1", "+3", "1" * 31, "\u00b2", "\u0663", "\uff11", " 7 ", "\u3000 2 \u00a0", "1e3",
               "0x10", "", "99999", "100001", "\u2007", "&#x37;"]  # fmt: skip
CATEGORIES = [
    "Device",
    "Media",
    "Display",
    "Receiver",
    "Recording",
    "Search",
    "DeviceIO",
    "Events",
    "Nonsense",
]
PREFIXES = ["tt", "tds", "v", "tmd"]


@st.composite
def service(draw: st.DrawFn, depth: int = 0) -> str:
    namespace = draw(st.sampled_from(NAMESPACES))
    attrs = " ".join(
        f'{draw(st.sampled_from(sorted(COUNTS)))}="{draw(st.sampled_from(COUNT_TEXTS))}"'
        for _ in range(draw(st.integers(0, 4)))
    )
    caps = draw(st.sampled_from(["", f"<tds:Capabilities><tmd:Capabilities {attrs}/></tds:Capabilities>",
                                 f"<tmd:Capabilities {attrs}/>", f"<x><tmd:Capabilities {attrs}/></x>"]))  # fmt: skip
    inner = draw(service(depth + 1)) if depth < 3 and draw(st.integers(0, 5)) == 0 else ""
    names = draw(st.integers(0, 2))
    return (
        "<tds:Service>"
        + f"<tds:Namespace>{namespace}</tds:Namespace>" * names
        + caps
        + inner
        + "</tds:Service>"
    )


@st.composite
def category(draw: st.DrawFn) -> str:
    prefix, name = draw(st.sampled_from(PREFIXES)), draw(st.sampled_from(CATEGORIES))
    counts = ""
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from(sorted(COUNTS)))
        counts += f"<tt:{key}>{draw(st.sampled_from(COUNT_TEXTS))}</tt:{key}>"
    return f"<{prefix}:{name}>{counts}</{prefix}:{name}>"


@st.composite
def answer(draw: st.DrawFn) -> bytes:
    """A GetServices or GetCapabilities answer: repeated, nested, duplicated and mis-namespaced parts, junk around
    them, sometimes repeated to near the 256 KiB XML cap, sometimes cut or given a stray byte."""
    if draw(st.booleans()):
        parts = draw(st.lists(service(), max_size=8))
        inner = "<tds:GetServicesResponse>" + "".join(parts) + "</tds:GetServicesResponse>"
    else:
        cats = draw(st.lists(category(), max_size=8))
        ext = "<tt:Extension>" + "".join(draw(st.lists(category(), max_size=4))) + "</tt:Extension>"
        inner = ("<tds:GetCapabilitiesResponse>" + "<tds:Capabilities>" * draw(st.integers(1, 2)) + "".join(cats)
                 + ext + "</tds:Capabilities>" + "</tds:GetCapabilitiesResponse>")  # fmt: skip
        inner = inner.replace(
            "</tds:Capabilities></tds:GetCapabilitiesResponse>",
            "</tds:Capabilities>" * (inner.count("<tds:Capabilities>")) + "</tds:GetCapabilitiesResponse>",
            1,
        )
    junk = draw(st.sampled_from(["", "<!-- c -->", "<?pi x?>", "<v:x a='1'/>", "\x00", "<!ENTITY a 'b'>"]))
    body = inner.replace("><", ">" + junk + "<", draw(st.integers(0, 3)))
    repeat = draw(st.sampled_from([1, 1, 1, 50, 400]))
    if repeat > 1:
        opening = body[: body.index(">") + 1]
        closing = body[body.rindex("</") :]
        middle = body[len(opening) : -len(closing)] if len(body) > len(opening) + len(closing) else ""
        body = opening + middle * repeat + closing
    data = (HEAD + body + TAIL).encode("utf-8")
    cut = draw(st.sampled_from([None, None, None, "cut", "byte"]))
    if cut == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif cut == "byte":
        pos = draw(st.integers(0, len(data) - 1))
        data = data[:pos] + bytes([draw(st.integers(0, 255))]) + data[pos + 1 :]
    return data


def _check(value: dict[str, Any]) -> None:
    assert value["answer"] in ("GetServices", "GetCapabilities")
    services = value["services"]
    assert services == sorted(set(services)) and len(services) <= MAX_SERVICES
    assert all(name.isascii() and name.isalnum() and name == name.lower() for name in services)
    namespaces = value.get("namespaces", [])
    assert len(namespaces) <= MAX_NAMESPACES and len(set(namespaces)) == len(namespaces)
    assert all(0 < len(n) <= 256 and "\n" not in n and "\x00" not in n for n in namespaces)
    for key in set(value) - {"answer", "services", "namespaces"}:
        assert key in COUNTS.values()
        assert type(value[key]) is int and 0 <= value[key] <= MAX_COUNT
    json.dumps(value)


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(answer())
def test_a_hostile_answer_gives_one_bounded_finding_or_parse_error(data: bytes) -> None:
    try:
        parsed = parse_onvif_response(data)
    except ParseError:
        return
    found = [value for kind, value in onvif_observations(parsed) if kind == "onvif_services"]
    assert len(found) <= 1
    for value in found:
        _check(value)
    if found:  # what the parser gives, the engine reads
        get_engine().identify([Observation("onvif_services", found[0])]).to_dict()


ATOMS: list[Any] = [None, True, False, 0, -1, 10**30, -(10**30), 1.5, 1e308, "", "display", "media", "media2",
                    "receiver", "recording", "search", "doorcontrol", "\u00b2", "00001", "display\x00media",
                    "\uff24ISPLAY", " display ", "display\nmedia", "x" * 3000, "GetServices", {}, []]  # fmt: skip
KEYS = ["answer", "services", "namespaces", *COUNTS.values(), "other"]
json_values = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
    max_leaves=20,
)
services_values = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=8)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(services_values | json_values, min_size=1, max_size=4), st.booleans())
def test_identify_reads_any_onvif_services_value_without_raising(
    values: list[Any], with_device: bool
) -> None:
    """`camscan identify` takes any JSON as a value (CONTRACT: bad input gets an error line, never a traceback):
    one or several `onvif_services` of any shape, alone or beside a device's own statement."""
    observations: list[dict[str, Any]] = [{"kind": "onvif_services", "value": v} for v in values]
    if with_device:
        observations.append({"kind": "onvif_device_info", "value": {"manufacturer": "Quux", "model": "Q1"}})
    lines = [json.dumps({"observations": observations}), json.dumps(observations[0])]
    for result in identify_lines(lines, get_engine()):
        assert (result.output is None) != (result.error is None)
        json.dumps(result.output)


@pytest.mark.parametrize("count", [-1, -(10**30), 10**30, 1.5, True])
def test_an_odd_count_is_not_a_stated_zero(count: Any) -> None:
    """Display beside Media is a decoder only when the device states no video source (`video_sources: 0`): an odd
    count, alone or merged with another answer of the host, states none."""
    value = {"answer": "GetCapabilities", "services": ["device", "display", "media"], "video_sources": count}
    other = {"answer": "GetServices", "services": ["device", "display", "media"]}
    lines = [json.dumps({"kind": "onvif_services", "value": value}),
             json.dumps({"observations": [{"kind": "onvif_services", "value": v} for v in (value, other)]})]  # fmt: skip
    for result in identify_lines(lines, get_engine()):
        assert result.output is not None and result.output["device_type"] != "decoder"
