"""Identity objects (issue 11 items 4 and 7): short keys read only inside the one object of an answer that is the
device's identity (vendor_signatures/identity_objects.yaml, camscan/identify/identity_objects.py), and the firmware
schemes written with them (release_stage, build_id). Every value here is invented unless a comment says where it
is from; none is a corpus value."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from camscan.identify.engine import IDENTITY_OBJECT, get_engine
from camscan.identify.identity_objects import IdentityObjects
from camscan.identify.knowledge import DEFAULT_DATA_DIR
from camscan.model import Observation


@pytest.fixture(scope="module")
def engine():
    return get_engine()


@pytest.fixture(scope="module")
def reader() -> IdentityObjects:
    return IdentityObjects.load(DEFAULT_DATA_DIR / "identity_objects.yaml")


def _answer(body: str, path: str = "/api/info") -> Observation:
    return Observation("http_path", {"path": path, "status": 200, "headers": {}, "body": body})


def _read(reader: IdentityObjects, body: str) -> dict[str, str]:
    return {r.field: r.value for r in reader.read("http_body", body)}


def test_the_shipped_examples_behave(reader):
    assert reader.enabled and reader.examples and reader.not_examples
    assert reader.problems() == []


# ---------------------------------------------------------------------------------------------- what is read
@pytest.mark.parametrize(
    ("body", "want"),
    [
        # short keys beside a model / MAC / serial / device name / type
        ('{"model": "QX-7", "ver": "2.3.4"}', {"firmware": "2.3.4"}),
        ('{"mac": "0A1B2C3D4E5F", "fw": "1.0.9"}', {"firmware": "1.0.9"}),
        ('{"deviceName": "hall", "sw": "3.1.0"}', {"firmware": "3.1.0"}),
        ('{"device_type": "plug", "version": "4.0.12"}', {"firmware": "4.0.12"}),
        ('{"result": {"serial_number": "QA12345", "software": "V2.0.1"}}', {"firmware": "V2.0.1"}),
        # the object nested once under a neutral key (a JSON-RPC 2.0 result, a "device" member)
        (
            '{"jsonrpc": "2.0", "id": 1, "result": {"model": "QX-7", "mac": "0A1B2C3D4E5F", "ver": "1.2.3"}}',
            {"firmware": "1.2.3", "model": "QX-7"},
        ),
        ("<info><device><sn>QA98765</sn><software>R4.1.0</software></device></info>", {"firmware": "R4.1.0"}),
        # attributes of an element are its keys too (not a `version` attribute)
        (
            "<report><unit mac_addr='0A:1B:2C:3D:4E:5F' sw_version='2.2.2' serial_num='QS0042'/></report>",
            {"firmware": "2.2.2", "serial": "QS0042"},
        ),
        # key=value lines
        ("model=QC-1\nfw_ver=5.6.7\nmac=0A1B2C3D4E5F\n", {"firmware": "5.6.7", "model": "QC-1"}),
        # plain-text status lines, keys of several words
        (
            "Model Name: QC-2\nFirmware Version: 2.4.6\nMAC Address: 0A:1B:2C:3D:4E:5F\nUptime: 3 days\n",
            {"firmware": "2.4.6", "model": "QC-2"},
        ),
    ],
)
def test_short_keys_are_read_inside_an_identity_object(reader, body, want):
    assert _read(reader, body) == want


@pytest.mark.parametrize(
    "body",
    [
        # no key of another identity class beside the short key
        '{"ver": "1.2.3"}',
        '{"name": "hall", "version": "1.2.3"}',  # a name and a version: an app or a package as well
        '{"type": "switch", "fw": "1.2.3"}',  # a bare "type" is no device type key
        '{"id": "x1", "id2": "y", "sw": "1.2.3"}',
        # an API's, a protocol's or a schema's version
        '{"api_version": "1.4.2", "protocol_version": "3.0", "schema_version": "7.1"}',
        '{"jsonrpc": "2.0", "id": 1, "result": {"version": "2.0"}}',
        '{"version": "1.1", "result": {"ok": true}}',
        # under a key that names something else than the installed device
        '{"model": "QX-7", "update": {"mac": "0A1B2C3D4E5F", "version": "9.9.9"}}',
        '{"model": "QX-7", "app": {"mac": "0A1B2C3D4E5F", "version": "3.2.1"}}',
        '{"model": "QX-7", "latest": {"sn": "QA1", "fw": "9.9.9"}}',
        '{"ota": {"status": "idle", "new_version": "1.2.0", "old_version": "1.1.0"}}',
        # members of a list
        '[{"model": "QX-1", "ver": "1.0.1"}]',
        '{"devices": [{"model": "QX-1", "mac": "0A1B2C3D4E01", "ver": "1.0.1"}]}',
        # a map keyed by identifiers is a list too, even with one member
        '{"0a1b2c3d4e01": {"model": "QX-1", "mac": "0A1B2C3D4E01", "ver": "1.0.1"}}',
        '{"clients": {"17": {"sn": "QA1234", "mac": "0A1B2C3D4E01", "fw": "1.0.1"}}}',
        "<list><cam><sn>QA1</sn><fw>1.0.1</fw></cam><cam><sn>QA2</sn><fw>1.0.2</fw></cam></list>",
        # a value that is no version (a schema's number, a word)
        '{"model": "QX-7", "version": "2"}',
        '{"model": "QX-7", "fw": "unknown"}',
        # two objects that disagree, and a key repeated in one
        '{"a": {"sn": "QA1", "mac": "0A1B2C3D4E01", "fw": "1.0"}, "b": {"sn": "QA2", "mac": "0A1B2C3D4E02", "fw": "2.0"}}',
        "model=QX-1\nver=1.0.1\nver=1.0.2\n",
        # a text answer with versions of other things and no identity key
        "Server: lighttpd/1.4.59\nVersion: 1.4.59\nUptime: 3 days\n",
        # the XML declaration's and a root's version attribute
        '<?xml version="1.0"?><root version="2.0"><deviceName>hall</deviceName></root>',
    ],
)
def test_look_alikes_give_no_firmware(reader, body):
    assert "firmware" not in _read(reader, body)


def test_a_member_object_named_for_the_firmware_gives_its_version(reader):
    body = '{"model": "QX-7", "mac": "0A1B2C3D4E5F", "firmware": {"version": "1.2.3", "latest": "1.3.0"}}'
    assert _read(reader, body) == {"firmware": "1.2.3", "model": "QX-7"}
    xml = "<info><device><sn>QA1234</sn><mac>0A1B2C3D4E5F</mac><firmware><version>4.4.4</version></firmware></device></info>"
    assert _read(reader, xml) == {"firmware": "4.4.4", "serial": "QA1234"}
    # a member's values give no context: an app's version beside the model of the device it runs on is no firmware
    assert _read(reader, '{"name": "myapp", "version": "3.0.1", "device": {"model": "QX-7"}}') == {}
    # members named for something else give nothing (an API's, an update's version)
    assert (
        _read(reader, '{"mac": "0A1B2C3D4E5F", "api": {"version": "1.0.0"}, "update": {"version": "9.9.9"}}')
        == {}
    )


def test_a_preferred_key_is_not_passed_over_for_a_vaguer_one(reader):
    # "firmware" holds no version here: "version" (which may be anything's) is not tried instead
    assert _read(reader, '{"model": "QX-7", "firmware": "stable", "version": "1.2.3"}') == {}
    # the long key wins over the short one in the same object
    assert _read(reader, '{"model": "QX-7", "ver": "1", "fw_version": "1.2.3"}')["firmware"] == "1.2.3"


def test_sdp_format_parameters_are_read_only_beside_an_identity_key(reader):
    sdp = "v=0\nm=video 0 RTP/AVP 96\na=fmtp:96 profile-level-id=42e01e; Ver=1.2.3; packetization-mode=1\n"
    assert reader.read("sdp", sdp) == []  # a codec's parameters, a version and no model, MAC or serial
    sdp += "m=data 0 RTP/AVP 111\na=fmtp:111 Mac=0a1b2c3d4e5f; Model=QC-HD1; FirmVer=1.2.3;\n"
    assert {r.field: r.value for r in reader.read("sdp", sdp)} == {"model": "QC-HD1", "firmware": "1.2.3"}


# ---------------------------------------------------------------------------------------------- the engine
def test_the_engine_reads_the_firmware_and_types_nothing(engine):
    # the Shelly.GetDeviceInfo shape (its API reference's fields), invented values
    body = '{"id": "q-1", "mac": "A1B2C3D4E5F6", "model": "QX-PLUG-2", "gen": 2, "fw_id": "20240101-120000/2.3.4-gabcdef1", "ver": "2.3.4", "app": "QuuxPlug"}'
    ident = engine.identify([_answer(body, "/rpc/Shelly.GetDeviceInfo")])
    assert ident.firmware == "2.3.4"
    # Shelly's API shape names its maker (signatures/http.yaml shelly.*), nothing here types the device
    assert ident.manufacturer == "Shelly" and ident.device_type is None and not ident.is_camera
    sigs = {ev.signature for ev in ident.evidence if "firmware" in ev.asserts}
    assert sigs == {f"{IDENTITY_OBJECT}.http_path.firmware"}


def test_a_model_read_so_names_no_maker_and_makes_no_camera(engine):
    # a numbering only Hikvision uses, beside a MAC in an SDP data line: a model, neither a maker nor a camera
    sdp = "v=0\nm=application 0 RTP/AVP 111\na=fmtp:111 Mac=0a1b2c3d4e5f; Model=DS-2CD2042WD-I; FirmVer=5.4.0;\n"
    ident = engine.identify([Observation("sdp", sdp)])
    assert ident.model == "DS-2CD2042WD-I" and ident.firmware == "5.4.0"
    assert ident.manufacturer is None and not ident.is_camera


def test_a_stated_firmware_wins_and_the_reader_stays_silent(engine):
    # a firmware key the identity_keys signatures read (and here the same object's short key disagrees)
    ident = engine.identify([_answer('{"model": "QX-7", "firmwareVersion": "4.5.6", "sw": "9.9.9"}')])
    assert ident.firmware == "4.5.6"
    assert not any(
        ev.signature.startswith(IDENTITY_OBJECT) and "firmware" in ev.asserts for ev in ident.evidence
    )


def test_one_answer_seen_with_and_without_its_path_is_one_statement(engine):
    body = '{"mac": "0A1B2C3D4E5F", "fw": "1.0.9"}'
    ident = engine.identify([_answer(body), Observation("http_body", body)])
    assert ident.firmware == "1.0.9"
    assert [ev.kind for ev in ident.evidence if ev.signature.startswith(IDENTITY_OBJECT)] == ["http_path"]


def test_a_placeholder_is_no_value(engine):
    ident = engine.identify([_answer('{"mac": "0A1B2C3D4E5F", "model": "IPC-model", "ver": "1.2.3"}')])
    assert ident.model is None and ident.firmware == "1.2.3"


# ---------------------------------------------------------------------------------------------- SDP session name
def test_an_sdp_session_name_gives_the_model_after_the_makers_name(engine):
    sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.7\r\ns=Canon VB-S30D\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\n"
    ident = engine.identify([Observation("sdp", sdp)])
    assert (ident.manufacturer, ident.model) == ("Canon", "VB-S30D")


@pytest.mark.parametrize(
    "sdp",
    [
        # the words stand in a media section's information line, not in the session name
        "v=0\r\no=- 1 1 IN IP4 192.0.2.7\r\ns=Media Presentation\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\ni=Canon VB-S30D\r\n",
        # the origin's user name and a=tool name software, not the device
        "v=0\r\no=Canon-VB-S30D 1 1 IN IP4 192.0.2.7\r\ns=Session\r\na=tool:Canon VB-S30D\r\nt=0 0\r\n",
        # a stream's name: no model token after the maker's name
        "v=0\r\no=- 1 1 IN IP4 192.0.2.7\r\ns=Axis Media Stream 1080p\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\n",
        # software's own session name
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=Session streamed by GStreamer\r\nt=0 0\r\nm=video 5000 RTP/AVP 96\r\n",
    ],
)
def test_other_sdp_lines_give_no_model(engine, sdp):
    assert engine.identify([Observation("sdp", sdp)]).model is None


# ---------------------------------------------------------------------------------------------- hostile answers
def test_hostile_bodies_cost_little_and_give_nothing(reader):
    deep = "[" * 50_000 + "]" * 50_000
    nested = '{"a":' * 5_000 + "1" + "}" * 5_000
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x><sn>QA1</sn><fw>&a;1.2</fw></x>'
    huge = json.dumps({"model": "QX-7", "ver": "1.2.3", "pad": "x" * 300_000})
    lines = "model=QX-1\n" + "k=v\n" * 60_000
    start = time.perf_counter()
    for body in (deep, nested, bomb, huge, "{" * 100_000, "<" * 100_000, lines):
        assert "firmware" not in _read(reader, body)
    assert time.perf_counter() - start < 2.0


# ---------------------------------------------------------------------------------------------- firmware schemes
@pytest.mark.parametrize(
    ("text", "version", "build", "date"),
    [
        ("D7.0.88", "7.0.88", None, None),  # Enphase-API's Info.adoc example answer
        ("R3.0.0 (9720d7)", "3.0.0", "9720d7", None),  # blog.oddbit.com's decoded Envoy report
        ("R5.3", "5.3", None, None),  # an Océ sysDescr's release (Recog's examples)
        ("r8.3.5", "r8.3.5", None, None),  # lower case: not a stage letter (Nortel's versions stay whole)
        ("V5.5.800build 210628", "V5.5.800", "210628", "2021-06-28"),  # other schemes unchanged
        (
            "20231018-132941/1.0.7-beta2-g5d80465",
            "1.0.7-beta2",
            "5d80465",
            "2023-10-18",
        ),  # Shelly's update server
        ("20220209-092750/v1.11.8-g8c7bb8d", "v1.11.8", "8c7bb8d", "2022-02-09"),
        ("20240101-120000/2.3.4", "2.3.4", None, "2024-01-01"),
        ("2.3.4-gabcdef1", "2.3.4-gabcdef1", None, None),  # no build id: kept whole
    ],
)
def test_release_stage_and_build_id_schemes(engine, text, version, build, date):
    parts = engine.firmware.parse(text)
    assert (parts.version, parts.build, parts.build_date) == (version, build, date)


def test_the_data_file_is_optional(tmp_path: Path):
    assert not IdentityObjects.load(tmp_path / "absent.yaml").enabled


def test_a_body_is_parsed_once_for_all_its_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The identity-object reader and the kind words' `values_of_others` read the same JSON or XML answer at
    different stages of one identification: it is parsed once (`one_parse_per_body`), and nothing is kept after."""
    from camscan.identify import identity_objects
    from camscan.parse import xmlsafe

    loads, parse_xml = json.loads, xmlsafe.parse_xml
    parsed: list[str] = []

    def counting_loads(text: str) -> object:
        parsed.append(text)
        return loads(text)

    def counting_xml(data: bytes, **kw: object) -> object:
        parsed.append(data.decode())
        return parse_xml(data, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(json, "loads", counting_loads)
    monkeypatch.setattr(xmlsafe, "parse_xml", counting_xml)
    # invented answers: a device's JSON status with a paired camera listed, and an XML device description
    bodies = [
        '{"model": "EX-100", "mac": "00:00:5e:00:53:01", "ver": "1.2.3", "children": [{"devicetype": "Camera"}]}',
        "<device><model>EX-200</model><sn>SN0001</sn><software>2.0.1</software></device>",
    ]
    observations = [
        Observation("http_path", {"path": f"/api/{n}", "status": 200, "body": body})
        for n, body in enumerate(bodies)
    ]
    get_engine().identify(observations)
    assert sorted(p for p in parsed if p in bodies) == sorted(bodies)
    assert identity_objects._PARSED.get() is None
