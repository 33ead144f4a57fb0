"""Vendor API answers read field by field (issue 11 audit, point 4): every field of a vendor's device-information
answer that carries maker, label, model, firmware, serial or hardware is read, and look-alikes are not.

Bodies are in the shapes of the signatures' sources (vendor_signatures/signatures/http.yaml, vendor_discovery.yaml);
values not copied from a source are invented.
"""

from __future__ import annotations

import pytest

from camscan.identify.engine import Engine
from camscan.model import Evidence, Identity, Observation
from camscan.probe.endpoints import load_endpoints, select


def _http(path: str, body: str, status: int = 200) -> Observation:
    return Observation("http_path", {"path": path, "status": status, "headers": {}, "body": body})


SUNAPI = "/stw-cgi/system.cgi?msubmenu=deviceinfo&action=view"


def test_sunapi_text_and_json_give_model_firmware_serial(engine: Engine) -> None:
    text = "Model=QNV-6012R\r\nSerialNumber=ZB2C3D4E5F6A\r\nFirmwareVersion=1.41.00_20211118\r\nDeviceType=NWC\r\n"
    ident = engine.identify([_http(SUNAPI, text)])
    assert (ident.manufacturer, ident.model, ident.serial) == ("Hanwha", "QNV-6012R", "ZB2C3D4E5F6A")
    assert ident.firmware is not None and ident.firmware.startswith("1.41.00")
    assert ident.device_type == "camera"
    body = '{"Model": "XRN-1610", "SerialNumber": "ZA1B2C3D4E5F", "FirmwareVersion": "2.10.01_20230321"}'
    ident = engine.identify([_http(SUNAPI, body)])
    assert (ident.model, ident.serial, ident.device_type) == ("XRN-1610", "ZA1B2C3D4E5F", "nvr")


def test_sunapi_keys_on_another_path_name_nobody(engine: Engine) -> None:
    ident = engine.identify([_http("/status", "Model=QNV-6012R\r\nSerialNumber=ZB2C3D4E5F6A\r\n")])
    assert ident.manufacturer is None and not ident.is_camera
    # the keys themselves are still read, weakly and for every maker (identity_keys.yaml), as the model is
    assert (ident.model, ident.serial) == ("QNV-6012R", "ZB2C3D4E5F6A")
    assert ident.field_confidence["serial"] < 0.5


def test_dahua_serial_and_vendor_label(engine: Engine) -> None:
    ident = engine.identify([_http("/cgi-bin/magicBox.cgi?action=getSerialNo", "sn=4X7C5A1ZAG21L3F\r\n")])
    assert (ident.manufacturer, ident.serial) == ("Dahua", "4X7C5A1ZAG21L3F")
    ident = engine.identify(
        [
            _http("/cgi-bin/magicBox.cgi?action=getVendor", "vendor=Amcrest\r\n"),
            _http("/cgi-bin/magicBox.cgi?action=getDeviceType", "type=IP2M-841B\r\n"),
        ]
    )
    assert (ident.brand, ident.manufacturer, ident.model) == ("Amcrest", "Dahua", "IP2M-841B")


@pytest.mark.parametrize("label", ["Private", "General"])
def test_dahua_placeholder_vendor_is_no_label(engine: Engine, label: str) -> None:
    ident = engine.identify([_http("/cgi-bin/magicBox.cgi?action=getVendor", f"vendor={label}\r\n")])
    assert ident.brand is None and ident.manufacturer == "Dahua"
    disc = Observation(
        "vendor_discovery", {"protocol": "dahua", "Vendor": label, "DeviceType": "IPC-HDW1431T1-S4"}
    )
    assert engine.identify([disc]).brand is None


def test_dhdiscover_vendor_is_the_label(engine: Engine) -> None:
    disc = Observation(
        "vendor_discovery",
        {"protocol": "dahua", "DeviceClass": "IPC", "DeviceType": "IP2M-841B", "Vendor": "Amcrest"},
    )
    ident = engine.identify([disc])
    assert (ident.brand, ident.manufacturer, ident.model, ident.device_type) == (
        "Amcrest", "Dahua", "IP2M-841B", "camera",
    )  # fmt: skip


def test_dahua_refusal_is_no_serial(engine: Engine) -> None:
    refused = _http("/cgi-bin/magicBox.cgi?action=getSerialNo", "Error\r\nInvalid Authority!\r\n", status=401)
    assert engine.identify([refused]).serial is None


def test_axis_hardware_id_and_basic_device_info_brand(engine: Engine) -> None:
    props = "root.Properties.Firmware.Version=5.20.5\nroot.Properties.System.HardwareID=163\n"
    ident = engine.identify([_http("/axis-cgi/param.cgi?action=list&group=root.Properties", props)])
    assert (ident.manufacturer, ident.hardware, ident.firmware) == ("Axis", "163", "5.20.5")
    bdi = '{"data": {"propertyList": {"Brand": "AXIS", "HardwareID": "70E", "ProdNbr": "C1410", "ProdType": "Network Mini Speaker"}}}'
    ident = engine.identify([_http("/axis-cgi/basicdeviceinfo.cgi", bdi)])
    assert (ident.brand, ident.manufacturer, ident.hardware, ident.model) == ("Axis", "Axis", "70E", "C1410")
    assert ident.device_type == "speaker" and not ident.is_camera  # the product line, not the maker, types it


def test_apache_axis_is_not_axis(engine: Engine) -> None:
    ident = engine.identify([_http("/axis2/axis2-web/HappyAxis.jsp", "Axis2 Happiness Page HardwareID=163")])
    assert ident.manufacturer != "Axis" and ident.hardware is None and not ident.is_camera


def test_reolink_serial_and_hardware(engine: Engine) -> None:
    body = '[{"cmd":"GetDevInfo","code":0,"value":{"DevInfo":{"hardVer":"IPC_3816M","model":"RLC-411WS","serial":"00F2A3B4C5D6E7","type":"IPC"}}}]'
    ident = engine.identify([_http("/cgi-bin/api.cgi?cmd=GetDevInfo", body)])
    assert (ident.serial, ident.hardware, ident.device_type) == ("00F2A3B4C5D6E7", "IPC_3816M", "camera")
    zeroed = body.replace("00F2A3B4C5D6E7", "00000000000000")
    assert engine.identify([_http("/cgi-bin/api.cgi?cmd=GetDevInfo", zeroed)]).serial is None


def test_scanner_asks_hanwha_and_dahua_for_their_device_information() -> None:
    endpoints = load_endpoints().endpoints
    hanwha = Identity(evidence=[Evidence("html_title", "hanwha.html_title.hanwha_techwin", {})])
    assert {e.id for e in select(endpoints, "c", hanwha, [80], credentials=True)} == {
        "hanwha.sunapi_device_info"
    }
    assert select(endpoints, "c", hanwha, [80], credentials=False) == []
    dahua = {e.id for e in select(endpoints, "c", Identity(manufacturer="Dahua"), [80], credentials=True)}
    assert {"dahua.vendor", "dahua.system_info"} <= dahua
    assert not {e.id for e in select(endpoints, "c", Identity(manufacturer="HP"), [80], credentials=True)}


XM_VERSION = "V5.00.R02.00030747.10010.349f17.0000000"


def test_a_build_date_stated_beside_the_version_is_the_firmware_date(engine: Engine) -> None:
    # issue 11 point 7: version, build, build date, whichever field of the answer states the date
    xm = Observation(
        "vendor_discovery", {"protocol": "xm", "BuildDate": "2020-11-24 16:47:14", "Version": XM_VERSION}
    )
    ident = engine.identify([xm])
    assert (ident.firmware, ident.firmware_build, ident.firmware_date) == (
        "V5.00.R02.00030747.10010.349f17", "2020-11-24", "2020-11-24",
    )  # fmt: skip
    dahua = _http(
        "/cgi-bin/magicBox.cgi?action=getSoftwareVersion", "version=2.800.0000016.0.R,build:2020-06-05\r\n"
    )
    ident = engine.identify([dahua])
    assert (ident.firmware, ident.firmware_date, ident.firmware_scheme) == (
        "2.800.0000016.0.R",
        "2020-06-05",
        "dahua",
    )


@pytest.mark.parametrize("build_date", ["2020-02-30 16:47:14", "2020-13-45 16:47:14", "", "24/11/2020"])
def test_no_calendar_date_no_firmware_date(engine: Engine, build_date: str) -> None:
    xm = Observation("vendor_discovery", {"protocol": "xm", "BuildDate": build_date, "Version": XM_VERSION})
    ident = engine.identify([xm])
    assert ident.firmware is not None and ident.firmware_date is None


def test_a_build_number_is_no_date(engine: Engine) -> None:
    body = '[{"cmd":"GetDevInfo","code":0,"value":{"DevInfo":{"model":"RLC-411WS","firmVer":"v2.0.0.1389_18081408"}}}]'
    ident = engine.identify([_http("/cgi-bin/api.cgi?cmd=GetDevInfo", body)])
    assert (ident.firmware_build, ident.firmware_date) == ("18081408", "2018-08-14")  # the scheme's own date


USER_CHECK_LOCKED = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<userCheck version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">\n'
    "<statusValue>401</statusValue>\n<statusString>Unauthorized</statusString>\n</userCheck>\n"
)


def test_hikvision_namespace_on_any_endpoint_names_the_maker_not_a_camera(engine: Engine) -> None:
    ident = engine.identify([_http("/ISAPI/Security/userCheck", USER_CHECK_LOCKED, status=401)])
    assert ident.manufacturer == "Hikvision"
    assert ident.device_type is None and not ident.is_camera  # access terminals answer in the same namespace
    plain = USER_CHECK_LOCKED.replace(' version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema"', "")
    assert engine.identify([_http("/ISAPI/Security/userCheck", plain, status=401)]).manufacturer is None
    link = '<a href="http://www.hikvision.com/ver20/XMLSchema">schema</a>'  # the URL, not a namespace declaration
    assert engine.identify([_http("/", link)]).manufacturer is None


def test_plain_isapi_device_info_gives_the_serial(engine: Engine) -> None:
    body = (
        "<DeviceInfo><model>DS-7616NI-I2/16P</model><serialNumber>DS-7616NI-I2/16P1620190101CCRRC12345678WCVU"
        "</serialNumber><deviceType>NVR</deviceType></DeviceInfo>"
    )
    ident = engine.identify([_http("/ISAPI/System/deviceInfo", body)])
    assert (ident.serial, ident.device_type) == ("DS-7616NI-I2/16P1620190101CCRRC12345678WCVU", "nvr")
    assert engine.identify([_http("/api/deviceInfo", body)]).serial is None  # not Hikvision's endpoint


def _devinfo(**fields: str) -> Observation:
    inner = ",".join(f'"{k}":"{v}"' for k, v in fields.items())
    body = '[{"cmd":"GetDevInfo","code":0,"value":{"DevInfo":{' + inner + "}}}]"
    return _http("/cgi-bin/api.cgi?cmd=GetDevInfo", body)


@pytest.mark.parametrize(
    ("fields", "device_type", "is_camera"),
    [
        ({"model": "RLC-411WS", "type": "IPC"}, "camera", True),
        ({"model": "Reolink NVR", "type": "NVR", "exactType": "NVR"}, "nvr", True),
        ({"model": "Reolink NVR", "type": "WIFI_NVR"}, "nvr", True),
        ({"model": "Reolink Home Hub", "type": "HOMEHUB", "exactType": "HOMEHUB"}, "hub", False),
        # a type word nobody documented: no type from the Reolink rule; the answer's own word "Chime" (type and model
        # keys, kind_words.yaml) types it as what it says it is
        ({"model": "Reolink Chime", "type": "CHIME"}, "chime", False),
    ],
)
def test_reolink_type_field_says_camera_recorder_or_hub(
    engine: Engine, fields: dict[str, str], device_type: str | None, is_camera: bool
) -> None:
    ident = engine.identify([_devinfo(**fields)])
    assert (ident.manufacturer, ident.device_type, ident.is_camera) == ("Reolink", device_type, is_camera)


def test_dahua_system_info_hardware_version(engine: Engine) -> None:
    body = "deviceType=IPC-HDW5831R-ZE\r\nhardwareVersion=1.00\r\nserialNumber=4X7C5A1ZAG21L3F\r\n"
    ident = engine.identify([_http("/cgi-bin/magicBox.cgi?action=getSystemInfo", body)])
    assert (ident.model, ident.hardware, ident.serial) == ("IPC-HDW5831R-ZE", "1.00", "4X7C5A1ZAG21L3F")
    assert (
        engine.identify(
            [_http("/cgi-bin/magicBox.cgi?action=getSystemInfo", "hardwareVersion=\r\n")]
        ).hardware
        is None
    )


LAPI = "/LAPI/V1.0/System/DeviceBasicInfo"


def test_uniview_lapi_device_basic_info(engine: Engine) -> None:
    data = (
        '{"Manufacturer": "UNIVIEW", "DeviceModel": "IPC2124LR3-PF40M-D", "SerialNumber": "210235C3EN3193000099",'
        ' "FirmwareVersion": "IPC_D1211-B0002P62D1907"}'
    )
    body = '{"Response": {"ResponseCode": 0, "Data": ' + data + "}}"
    ident = engine.identify([_http(LAPI, body)])
    assert (ident.brand, ident.manufacturer, ident.model, ident.serial) == (
        "Uniview", "Uniview", "IPC2124LR3-PF40M-D", "210235C3EN3193000099",
    )  # fmt: skip
    assert ident.firmware == "IPC_D1211-B0002P62D1907"
    assert engine.identify([_http(LAPI, "", status=401)]).manufacturer is None  # a refusal says nothing
    other = engine.identify([_http("/api/info", body)])  # the keys on another path: not Uniview's signature
    assert not other.is_camera and not any(ev.signature.startswith("uniview.") for ev in other.evidence)
    # only the generic identity-object reader reads its maker key, weakly (identity_objects.yaml `manufacturer`)
    assert (
        other.manufacturer == "Uniview"
        and other.field_confidence["manufacturer"] < ident.field_confidence["manufacturer"]
    )
    # only the generic key reader (identity_keys.yaml) reads its serial, weakly
    assert other.field_confidence.get("serial", 0) < 0.5


def test_scanner_asks_uniview_for_lapi_with_credentials_only() -> None:
    endpoints = load_endpoints().endpoints
    unv = Identity(manufacturer="Uniview")
    assert "uniview.lapi_device_basic_info" in {
        e.id for e in select(endpoints, "c", unv, [80], credentials=True)
    }
    assert not [e for e in select(endpoints, "b", unv, [80]) if e.id.startswith("uniview.")]
