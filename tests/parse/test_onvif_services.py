"""What an ONVIF device offers (`onvif_services`), read from its GetServices and GetCapabilities answers.

Real: a Dahua camera's GetCapabilities (tests/fixtures/onvif/SOURCES.md) and the lab profiles' answers copied from
real devices. The display device, door controller and recorder answers are invented (no real public answer of one
was found) and say so.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from camscan.parse.content import content_observations
from camscan.parse.http import parse_http_response
from camscan.parse.onvif import onvif_observations, parse_onvif_response
from camscan.parse.onvif_services import MAX_SERVICES, merge_services, service_name
from camscan.parse.xmlsafe import MAX_XML

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "onvif"
ENV = (
    '<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" '
    'xmlns:tmd="http://www.onvif.org/ver10/deviceIO/wsdl" xmlns:v="http://vendor.invalid/ext">'
    "<env:Body>{}</env:Body></env:Envelope>"
)


def _service(namespace: str, capabilities: str = "") -> str:
    caps = f"<tds:Capabilities>{capabilities}</tds:Capabilities>" if capabilities else ""
    return (
        f"<tds:Service><tds:Namespace>{namespace}</tds:Namespace><tds:XAddr>http://192.0.2.9/onvif/x</tds:XAddr>"
        f"{caps}<tds:Version><tt:Major>2</tt:Major><tt:Minor>10</tt:Minor></tds:Version></tds:Service>"
    )


def _services(body: bytes) -> list[dict[str, Any]]:
    return [
        value for kind, value in onvif_observations(parse_onvif_response(body)) if kind == "onvif_services"
    ]


# invented: an ONVIF display device's GetServices, asked with IncludeCapability (DeviceIO counts as attributes)
DISPLAY_SERVICES = ENV.format(
    "<tds:GetServicesResponse>"
    + _service("http://www.onvif.org/ver10/device/wsdl")
    + _service(
        "http://www.onvif.org/ver10/deviceIO/wsdl",
        '<tmd:Capabilities VideoSources="0" VideoOutputs="1" AudioSources="0" AudioOutputs="1" RelayOutputs="0"/>',
    )
    + _service("http://www.onvif.org/ver10/display/wsdl")
    + _service("http://www.onvif.org/ver10/receiver/wsdl")
    + _service("http://vendor.invalid/ext/wsdl")
    + "</tds:GetServicesResponse>"
).encode()
# invented: the same device's GetCapabilities, with a vendor element named Media that is not ONVIF's
DISPLAY_CAPABILITIES = ENV.format(
    "<tds:GetCapabilitiesResponse><tds:Capabilities>"
    "<tt:Device><tt:XAddr>http://192.0.2.9/onvif/device_service</tt:XAddr></tt:Device>"
    "<tt:Extension><tt:DeviceIO><tt:XAddr>http://192.0.2.9/onvif/x</tt:XAddr><tt:VideoSources>0</tt:VideoSources>"
    "<tt:VideoOutputs>1</tt:VideoOutputs><tt:AudioSources>0</tt:AudioSources><tt:AudioOutputs>1</tt:AudioOutputs>"
    "<tt:RelayOutputs>0</tt:RelayOutputs></tt:DeviceIO>"
    "<tt:Display><tt:XAddr>http://192.0.2.9/onvif/x</tt:XAddr><tt:FixedLayout>true</tt:FixedLayout></tt:Display>"
    "<tt:Receiver><tt:XAddr>http://192.0.2.9/onvif/x</tt:XAddr><tt:RTP_Multicast>false</tt:RTP_Multicast>"
    "<tt:SupportedReceivers>4</tt:SupportedReceivers></tt:Receiver></tt:Extension>"
    "<v:Media><tt:XAddr>http://192.0.2.9/vendor</tt:XAddr></v:Media>"
    "</tds:Capabilities></tds:GetCapabilitiesResponse>"
).encode()


def test_service_names_follow_the_onvif_namespaces() -> None:
    assert service_name("http://www.onvif.org/ver10/receiver/wsdl") == "receiver"
    assert service_name("http://www.onvif.org/ver10/deviceIO/wsdl") == "deviceio"
    assert service_name("http://www.onvif.org/ver10/media/wsdl") == "media"
    assert service_name("http://www.onvif.org/ver20/media/wsdl") == "media2"  # ONVIF's Media2 service
    assert service_name("http://www.onvif.org/ver10/doorcontrol/wsdl") == "doorcontrol"
    assert service_name("http://www.hikvision.com/ver10/wsdl") is None


def test_a_real_camera_capabilities_answer() -> None:
    body = (FIXTURES / "go2rtc_GetCapabilities_Dahua_default.xml").read_bytes()
    assert _services(body) == [
        {
            "answer": "GetCapabilities",
            "services": ["analytics", "device", "deviceio", "events", "imaging", "media"],
            "video_sources": 1,
            "video_outputs": 0,
            "audio_sources": 1,
            "audio_outputs": 1,
            "relay_outputs": 1,
        }
    ]


def test_get_services_keeps_namespaces_and_deviceio_counts() -> None:
    assert _services(DISPLAY_SERVICES) == [
        {
            "answer": "GetServices",
            "services": ["device", "deviceio", "display", "receiver"],
            "namespaces": [
                "http://www.onvif.org/ver10/device/wsdl",
                "http://www.onvif.org/ver10/deviceIO/wsdl",
                "http://www.onvif.org/ver10/display/wsdl",
                "http://www.onvif.org/ver10/receiver/wsdl",
                "http://vendor.invalid/ext/wsdl",
            ],
            "video_sources": 0,
            "video_outputs": 1,
            "audio_sources": 0,
            "audio_outputs": 1,
            "relay_outputs": 0,
        }
    ]


def test_capability_categories_are_the_onvif_schema_ones() -> None:
    (value,) = _services(DISPLAY_CAPABILITIES)
    assert value["services"] == [
        "device",
        "deviceio",
        "display",
        "receiver",
    ]  # v:Media is a vendor's, not Media
    assert value["video_sources"] == 0 and value["video_outputs"] == 1


def test_a_capabilities_answer_still_gives_the_recorder_channel_count() -> None:
    body = ENV.format(
        "<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media><tt:XAddr>http://192.0.2.9/m</tt:XAddr></tt:Media>"
        "<tt:Extension><tt:DeviceIO><tt:XAddr>http://192.0.2.9/d</tt:XAddr><tt:VideoSources>8</tt:VideoSources>"
        "</tt:DeviceIO></tt:Extension></tds:Capabilities></tds:GetCapabilitiesResponse>"
    ).encode()  # invented
    kinds = [kind for kind, _ in onvif_observations(parse_onvif_response(body))]
    assert kinds == ["onvif_services", "recorder_summary"]


def test_answers_without_services_give_nothing() -> None:
    assert _services(ENV.format("<tds:GetServicesResponse/>").encode()) == []
    assert (
        _services(
            ENV.format(
                "<tds:GetCapabilitiesResponse><tds:Capabilities/></tds:GetCapabilitiesResponse>"
            ).encode()
        )
        == []
    )


def test_odd_counts_are_not_kept() -> None:
    body = ENV.format(
        "<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Extension><tt:DeviceIO><tt:XAddr>x</tt:XAddr>"
        "<tt:VideoSources>-1</tt:VideoSources><tt:VideoOutputs>99999999999</tt:VideoOutputs>"
        "<tt:RelayOutputs>two</tt:RelayOutputs></tt:DeviceIO></tt:Extension></tds:Capabilities>"
        "</tds:GetCapabilitiesResponse>"
    ).encode()  # invented
    assert _services(body) == [{"answer": "GetCapabilities", "services": ["deviceio"]}]


def test_passive_mode_reads_the_same_answer() -> None:
    """A GetServices answer seen in a capture gives the same observation as the scanner's (one parser)."""
    raw = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml; charset=utf-8\r\nContent-Length: "
        + str(len(DISPLAY_SERVICES)).encode()
        + b"\r\n\r\n"
        + DISPLAY_SERVICES
    )
    facts = content_observations(parse_http_response(raw))
    assert [f for f in facts.findings if f[0] == "onvif_services"] == [
        ("onvif_services", _services(DISPLAY_SERVICES)[0])
    ]


def test_a_hosts_answers_merge_into_one_statement() -> None:
    merged = merge_services(
        [
            {"answer": "GetCapabilities", "services": ["device", "display"], "video_sources": 0},
            {
                "answer": "GetServices",
                "services": ["device", "receiver"],
                "namespaces": ["urn:a"],
                "video_sources": 1,
            },
        ]
    )
    assert merged == {
        "answer": "GetCapabilities+GetServices",
        "services": ["device", "display", "receiver"],
        "namespaces": ["urn:a"],
        "video_sources": 1,  # a video source stated by any answer counts
    }


def test_non_ascii_digits_are_odd_counts_not_a_crash() -> None:
    """A hostile answer's count in superscript digits ('²' passes str.isdigit, int() refuses it) is not kept, and
    the answer is still read (it used to raise ValueError out of the parser, past the scanner's and the capture
    reader's ParseError handling)."""
    capabilities = ENV.format(
        "<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Extension><tt:DeviceIO><tt:XAddr>x</tt:XAddr>"
        "<tt:VideoSources>\u00b2</tt:VideoSources><tt:VideoOutputs>1</tt:VideoOutputs></tt:DeviceIO></tt:Extension>"
        "</tds:Capabilities></tds:GetCapabilitiesResponse>"
    ).encode()  # invented
    assert _services(capabilities) == [
        {"answer": "GetCapabilities", "services": ["deviceio"], "video_outputs": 1}
    ]
    services = ENV.format(
        "<tds:GetServicesResponse>"
        + _service(
            "http://www.onvif.org/ver10/deviceIO/wsdl",
            '<tmd:Capabilities VideoSources="\u00b9" RelayOutputs="2"/>',
        )
        + "</tds:GetServicesResponse>"
    ).encode()  # invented
    assert _services(services)[0]["services"] == ["deviceio"]
    assert "video_sources" not in _services(services)[0] and _services(services)[0]["relay_outputs"] == 2


def test_a_hostile_list_is_bounded() -> None:
    body = ENV.format(
        "<tds:GetServicesResponse>"
        + "".join(
            _service(f"http://www.onvif.org/ver10/x{chr(97 + i // 26)}{chr(97 + i % 26)}/wsdl")
            for i in range(500)
        )
        + "</tds:GetServicesResponse>"
    ).encode()  # invented
    (value,) = _services(body)
    assert len(value["services"]) == 64 and len(value["namespaces"]) == 64


def test_merged_service_names_are_bounded() -> None:
    merged = merge_services(
        [{"services": [f"s{i}" for i in range(100)]}, {"services": [f"t{i}" for i in range(100)]}]
    )
    assert len(merged["services"]) == MAX_SERVICES


def test_merging_odd_values_from_identify_input_does_not_fail() -> None:
    """`camscan identify` takes any JSON as an observation's value: a host's `onvif_services` whose `services` or
    `namespaces` is a number or an object used to raise TypeError (a traceback) when merged; a lone string is one
    name."""
    merged = merge_services(
        [
            {"answer": "GetServices", "services": 5, "namespaces": {"a": 1}},
            {"answer": 7, "services": "display", "namespaces": 3, "video_sources": True},
            {"services": ["receiver", 9, None]},
        ]
    )
    assert merged == {"answer": "GetServices", "services": ["display", "receiver"]}


def test_merged_counts_are_counts_as_the_parser_gives_them() -> None:
    """From `camscan identify` input: a negative count was merged into a stated 0 (max with the default), which the
    display rule reads as "no video source"; counts out of the parser's range are not kept."""
    merged = merge_services(
        [{"services": ["display"], "video_sources": -5}, {"services": ["media"], "video_sources": 10**30}]
    )
    assert "video_sources" not in merged
    assert merge_services([{"video_sources": 0}, {"video_sources": 2}])["video_sources"] == 2


def test_services_nested_in_services_are_read_in_linear_time() -> None:
    """DeviceIO services nested 250 deep (libxml2 allows 256 levels), repeated to the 256 KiB XML cap: each service's
    whole subtree was walked for its counts, ~1.6 s of CPU for one answer; now only where the schema puts them
    (`Service/Capabilities/Capabilities`). Invented, hostile."""
    level = _service("http://www.onvif.org/ver10/deviceIO/wsdl", '<tmd:Capabilities VideoSources="1"/>')
    level = level.removesuffix("</tds:Service>")
    group = level * 250 + "</tds:Service>" * 250
    body = ENV.format(
        "<tds:GetServicesResponse>" + group * ((MAX_XML - 1000) // len(group)) + "</tds:GetServicesResponse>"
    )
    assert 200_000 < len(body.encode()) <= MAX_XML
    started = time.process_time()
    (value,) = _services(body.encode())
    assert time.process_time() - started < 0.4  # measured: 1.6 s before, 0.04 s after
    assert value["services"] == ["deviceio"] and value["video_sources"] == 1
