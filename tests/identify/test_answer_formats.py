"""Readers for answer formats the dev misses showed (issue 11 items 1, 4, 7): JSON device information seen as a body,
PPStrong firmware strings, Canon's WebView `name:=value` lines, the Foscam/Netwave MJPEG CGI's `var name='value';`
lines, and the kind a device's own Server header names on an endpoint's answer. Values are invented unless a comment
names their source; none is a corpus value."""

from __future__ import annotations

import pytest

from camscan.identify.engine import get_engine
from camscan.model import Observation


@pytest.fixture(scope="module")
def engine():
    return get_engine()


def _body(text: str) -> Observation:
    return Observation("http_body", text)


def _path(path: str, body: str, headers: dict[str, str] | None = None) -> Observation:
    return Observation("http_path", {"path": path, "status": 200, "headers": headers or {}, "body": body})


# ------------------------------------------------------------------ JSON device information seen as a body
def test_a_json_body_names_model_firmware_serial_and_its_kind(engine):
    # a PPStrong /devices/deviceinfo answer (code-index file id 69426256909), trimmed of its keys and MAC
    ident = engine.identify(
        [
            _body(
                '{"devname":"Smart Home Camera","model":"Mini 8X","serialno":"058376543","softwareversion":"2.9.1",'
                '"hardwareversion":"M8X_H1_V10_F23","firmwareversion":"ppstrong-c5-tuya2_pearl-2.9.1.20190920"}'
            )
        ]
    )
    assert (ident.model, ident.firmware, ident.serial) == ("Mini 8X", "2.9.1", "058376543")
    assert ident.device_type == "camera" and ident.is_camera  # the device's own name says camera
    assert ident.manufacturer is None  # nothing in the answer names a maker


def test_the_ppstrong_firmware_string_splits_into_version_and_build_date(engine):
    ident = engine.identify(
        [_body('{"model":"Mini 8X","firmwareversion":"ppstrong-c5-tuya2_pearl-2.9.1.20190920"}')]
    )
    assert (ident.firmware, ident.firmware_build) == ("2.9.1", "20190920")
    assert ident.firmware_date == "2019-09-20"


@pytest.mark.parametrize(
    "body",
    [
        '{"appVersion": "4.2.0", "apiVersion": "2", "protocolVersion": "1.1", "version": "7"}',  # app, API, protocol
        '{"hardwareversion": "M8X_H1_V10_F23"}',  # a hardware version
        '[{"firmwareVersion": "1.0.1"}, {"firmwareVersion": "1.0.2"}]',  # a list of devices
    ],
)
def test_versions_of_other_things_are_no_firmware(engine, body):
    assert engine.identify([_body(body)]).firmware is None


def test_a_printers_json_gives_a_model_but_no_camera_and_no_maker(engine):
    ident = engine.identify([_body('{"name": "Office", "model": "QL-7300DW", "firmwareVersion": "1.20"}')])
    assert (ident.model, ident.firmware) == ("QL-7300DW", "1.20")
    assert not ident.is_camera and ident.manufacturer is None


@pytest.mark.parametrize(
    "body",
    [
        '{"devname": "/dev/video0", "model": "QX-7"}',  # a device node's name: no kind word
        '{"devname": "Camera Hub", "model": "QH-1"}',  # a hub names the cameras it manages
        '{"devname": "Smart Plug", "model": "QP-1"}',
    ],
)
def test_a_devname_without_a_camera_word_makes_no_camera(engine, body):
    assert not engine.identify([_body(body)]).is_camera


# ------------------------------------------------------------------ Canon WebView (WV-HTTP) info.cgi
def test_canon_webview_info_names_maker_model_and_firmware(engine):
    ident = engine.identify(
        [
            _path(
                "/-wvhttp-01-/info.cgi",
                "s.epoch:=Tue, 01 Mar 2016 09:00:00 +0900\ns.hardware:=Canon VB-M42\ns.firmware:=1.0.2\ns.protocol:=02.10\n",
                {"server": "VB"},
            )
        ]
    )
    assert (ident.manufacturer, ident.model, ident.firmware) == ("Canon", "VB-M42", "1.0.2")
    assert ident.is_camera  # Canon's VB- product line types it


def test_canon_webview_bare_model_and_no_type_without_a_line(engine):
    # the form a Canon XC-protocol client's tests use (code-index file id 58061518591)
    ident = engine.identify(
        [_path("/-wvhttp-01-/info.cgi?item=s,p", "s.hardware:=CR-N400\ns.firmware:=1.1.0\np.count:=100\n")]
    )
    assert (ident.manufacturer, ident.model, ident.firmware) == ("Canon", "CR-N400", "1.1.0")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "/-wvhttp-01-/info.cgi",
            "s.protocol:=02.31\nc.1.type:=dome\n",
        ),  # the protocol's version is no firmware
        ("/cgi-bin/info.cgi", "s.hardware:=Canon VB-M42\ns.firmware:=1.0.2\n"),  # not a WebView path
    ],
)
def test_canon_webview_look_alikes(engine, path, body):
    ident = engine.identify([_path(path, body)])
    assert ident.firmware is None and ident.manufacturer is None


# ------------------------------------------------------------------ Foscam/Netwave MJPEG CGI get_status.cgi
def test_get_status_sys_ver_is_the_firmware_and_the_server_header_names_a_camera(engine):
    # a get_status.cgi answer quoted in a Java client (code-index file id 24273413546), trimmed
    ident = engine.identify(
        [
            _path(
                "/get_status.cgi",
                "var id='00A8F6006B4B';\nvar sys_ver='4.22.2.27';\nvar app_ver='4.3.3.42';\nvar alias='IPCAM-127';\n",
                {"Server": "Netwave IP Camera"},
            )
        ]
    )
    assert ident.firmware == "4.22.2.27"
    assert ident.is_camera


def test_get_status_app_ver_is_no_firmware(engine):
    ident = engine.identify([_path("/get_status.cgi", "var app_ver='4.3.3.42';\nvar alias='hall';\n")])
    assert ident.firmware is None and not ident.is_camera


@pytest.mark.parametrize("server", ["webcamXP 5", "lighttpd/1.4.59", "Quux Camera Hub"])
def test_an_answers_server_header_without_a_camera_kind_makes_no_camera(engine, server):
    assert not engine.identify([_path("/", "", {"Server": server})]).is_camera


# ------------------------------------------------------------------ UPnP root device firmware (vendor extensions)
def _description(extra: str) -> bytes:
    return (
        '<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device>'
        "<deviceType>urn:Belkin:device:insight:1</deviceType><manufacturer>Belkin International Inc.</manufacturer>"
        f"<modelName>Insight</modelName><modelNumber>1.0</modelNumber>{extra}"
        "<deviceList><device><deviceType>urn:x:device:sub:1</deviceType>"
        "<firmwareVersion>9.9.9</firmwareVersion></device></deviceList></device></root>"
    ).encode()


def test_a_upnp_root_devices_firmware_element_is_kept_and_read(engine):
    from camscan.parse.upnp import parse_description

    # setup.xml values of a WeMo Insight (code-index file id 31410447805)
    fields = parse_description(
        _description(
            "<serialNumber>231550K1200093</serialNumber>"
            "<firmwareVersion>WeMo_WW_2.00.9213.PVT-OWRT-InsightV2</firmwareVersion>"
            "<hardwareVersion>v2</hardwareVersion>"
        )
    )
    assert fields["firmwareVersion"] == "WeMo_WW_2.00.9213.PVT-OWRT-InsightV2"
    assert "hardwareVersion" not in fields  # a hardware revision is not kept
    ident = engine.identify([Observation("upnp_device", fields)])
    assert (ident.firmware, ident.firmware_build) == ("2.00.9213", "PVT-OWRT-InsightV2")
    assert not ident.is_camera


def test_a_upnp_embedded_devices_firmware_is_not_the_root_devices(engine):
    from camscan.parse.upnp import parse_description

    fields = parse_description(_description(""))
    assert "firmwareVersion" not in fields  # 9.9.9 belongs to the embedded device
    assert engine.identify([Observation("upnp_device", fields)]).firmware is None


def test_upnp_software_version_yields_to_firmware_version(engine):
    ident = engine.identify(
        [
            Observation(
                "upnp_device",
                {
                    "manufacturer": "Quux",
                    "modelName": "Q1",
                    "firmwareVersion": "3.1.4",
                    "softwareVersion": "77.1-1",
                },
            )
        ]
    )
    assert ident.firmware == "3.1.4"


# ------------------------------------------------------------------ "productName": weaker than a model key
def test_a_product_name_is_a_model_unless_a_model_key_says_otherwise(engine):
    assert engine.identify(
        [_body('{"productName": "Elgato Ring Light", "firmwareVersion": "1.0.4"}')]
    ).model == ("Elgato Ring Light")
    ident = engine.identify([_body('{"productName": "Quux Cam Pro", "model": "QC-300"}')])
    assert ident.model == "QC-300"
    assert ident.manufacturer is None  # a weakly stated model names no maker


@pytest.mark.parametrize(
    "body",
    [
        '[{"productName": "QX-1"}, {"productName": "QX-2"}]',  # a list of products
        '{"appProductName": "Quux App", "productNameShort": "QX"}',  # other keys
    ],
)
def test_product_name_look_alikes(engine, body):
    assert engine.identify([_body(body)]).model is None


# ------------------------------------------------------------------ DNS-SD TXT serial and firmware keys
def _mdns(txt: list[str], service: str = "_http._tcp") -> Observation:
    return Observation("mdns", {"name": "x", "type": service, "txt": txt})


def test_a_txt_serial_key_is_the_serial(engine):
    # a Synology RS815+'s _http._tcp TXT (code-index file id 2506138122), trimmed
    ident = engine.identify(
        [_mdns(["vendor=Synology", "model=RS815+", "serial=1760MRN646600", "version_major=6"])]
    )
    assert ident.serial == "1760MRN646600"


def test_a_txt_firmware_key_is_the_firmware(engine):
    assert engine.identify([_mdns(["model=QC-20", "fw_version=3.2.1"])]).firmware == "3.2.1"


@pytest.mark.parametrize(
    ("txt", "service"),
    [
        (
            ["version=2024.1.0", "base_url=http://10.0.0.2:8123"],
            "_home-assistant._tcp",
        ),  # an application's version
        (["vers=3", "protovers=1.24.1"], "_sonos._tcp"),  # protocol versions
        (["srcvers=366.0", "osvers=14.5", "pv=1.1"], "_airplay._tcp"),  # AirPlay's, the OS's, a protocol's
        (["txtvers=1", "version=0124"], "_dhnap._tcp"),
    ],
)
def test_txt_versions_of_other_things_are_no_firmware(engine, txt, service):
    assert engine.identify([_mdns(txt, service)]).firmware is None


def test_a_txt_serial_port_is_no_serial(engine):
    assert engine.identify([_mdns(["serial_port=ttyS0", "baud=9600"])]).serial is None


def test_a_server_header_seen_as_a_banner_too_is_one_statement(engine):
    # the port's banner and an endpoint's answer carry the same header: one fact, one statement (issue 11 item 3)
    banner = Observation("http_server", "Quux IPCam Web")
    answer = _path("/status", "", {"Server": "Quux IPCam Web"})
    ident = engine.identify([banner, answer])
    kinds = [ev for ev in ident.evidence if ev.signature.startswith("engine.kind_words.")]
    assert [ev.kind for ev in kinds] == ["http_server"]
    assert ident.is_camera
    # a different header on the endpoint is a statement of its own
    ident = engine.identify([banner, _path("/status", "", {"Server": "Quux Camera Server"})])
    assert sorted(ev.kind for ev in ident.evidence if ev.signature.startswith("engine.kind_words.")) == [
        "http_path",
        "http_server",
    ]


def test_every_generic_body_reader_has_a_path_twin(engine):
    ids = {s.id for s in engine.signatures}
    body = sorted(i for i in ids if i.startswith("generic.http_body."))
    assert body and all(i.replace("generic.http_body.", "generic.http_path.") in ids for i in body)


def test_a_body_seen_with_and_without_its_path_is_one_statement(engine):
    # a scan reports an endpoint's answer both as http_path and as http_body (camscan/parse/http.py)
    text = '{"model": "QX-7", "firmwareVersion": "2.3.4"}'
    ident = engine.identify([_path("/api/info", text), _body(text)])
    assert (ident.model, ident.firmware) == ("QX-7", "2.3.4")
    keys = [ev for ev in ident.evidence if ev.signature.startswith("generic.http_")]
    assert {ev.kind for ev in keys} == {"http_path"}
    assert ident.field_confidence["model"] == pytest.approx(0.4)
    # a body seen alone is still read
    assert engine.identify([_body(text)]).model == "QX-7"


# ------------------------------------------------------------------ a category the device states: AV receivers
def test_a_stated_category_types_an_av_receiver(engine):
    body = "<Device_Info><CategoryName>AV RECEIVER</CategoryName><ModelName>QR-7000</ModelName></Device_Info>"
    ident = engine.identify([_path("/goform/Deviceinfo.xml", body)])
    assert ident.device_type == "av_receiver" and not ident.is_camera


@pytest.mark.parametrize(
    "body",
    [
        '{"category": "AV RECEIVER", "name": "x"}',  # a bare "category" key is not read
        "<info><CategoryName>GNSS Receiver</CategoryName></info>",  # a bare "receiver" is no kind word
        "<info><CategoryName>AVR Board</CategoryName></info>",  # nor "AVR"
    ],
)
def test_category_look_alikes_type_nothing(engine, body):
    assert engine.identify([_path("/api/info", body)]).device_type is None


@pytest.mark.parametrize(
    "body",
    [
        '{"model": "DS-2CD2042WD-I", "firmwareVersion": "1.0"}',  # a camera maker's numbering on an unknown answer
        "<x><model>DS-2CD2042WD-I</model></x>",
    ],
)
def test_a_body_model_names_no_maker_and_no_camera(engine, body):
    ident = engine.identify([_body(body)])
    assert ident.model == "DS-2CD2042WD-I"
    assert ident.manufacturer is None and not ident.is_camera


def test_a_body_listing_devices_names_no_model(engine):
    body = "<list><cam><model>QX-1</model><serialNumber>QA0001</serialNumber></cam><cam><model>QX-2</model><serialNumber>QA0002</serialNumber></cam></list>"
    ident = engine.identify([_body(body)])
    assert ident.model is None and ident.serial is None
