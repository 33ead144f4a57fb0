"""Firmware schemes whose release carries an update (Synology `7.1.1-42962 Update 5`, VMware ESXi `7.0 Update 3`),
the release string preferred over a bare build number in an identity object, and models read from one-line SNMP
sysDescr formats (a FortiGate designation, Beward's `<model>_rev<version>`). Values are invented unless marked; none
is a corpus value."""

from __future__ import annotations

import pytest

from camscan.model import Observation


@pytest.mark.parametrize(
    ("text", "version", "build", "scheme"),
    [
        (
            "DSM 7.1.1-42962 Update 5",
            "7.1.1-42962 Update 5",
            "42962",
            "synology",
        ),  # dsm_helper's model (real)
        ("DSM 7.2-64570", "7.2-64570", "64570", "synology"),
        ("SRM 1.3.1-9346 Update 4", "1.3.1-9346 Update 4", "9346", "synology"),
        ("7.2-64570 Update 1", "7.2-64570 Update 1", "64570", "synology"),
        ("VMware ESXi 8.0.1 build-21495797", "8.0.1", "21495797", "vmware_esxi"),
        ("VMware ESXi 7.0 Update 3", "7.0 Update 3", None, "vmware_esxi"),
    ],
)
def test_update_releases_split_into_version_and_build(engine, text, version, build, scheme):
    parts = engine.firmware.parse(text)
    assert (parts.version, parts.build, parts.scheme) == (version, build, scheme)


@pytest.mark.parametrize(
    "text",
    [
        "2.1-1234",  # many makers' <version>-<build>: no OS name, no update: kept whole
        "4.2.1-1234-5",
        "V5.5.800build 210628",  # Hikvision's own scheme still wins
        "TrueNAS-13.0-U6.1",  # another maker's update notation: kept whole
    ],
)
def test_look_alikes_are_not_read_as_synology(engine, text):
    assert engine.firmware.parse(text).scheme != "synology"


def test_the_release_string_wins_over_the_bare_build_number(engine):
    body = (
        '{"data": {"model": "QX-NAS4", "serial": "QX0000NAS0001", "version": "42962", '
        '"version_string": "DSM 7.1.1-42962 Update 5"}, "success": true}'
    )
    ident = engine.identify([Observation("http_body", body)])
    assert (ident.firmware, ident.firmware_build, ident.firmware_scheme) == (
        "7.1.1-42962 Update 5",
        "42962",
        "synology",
    )
    assert not ident.is_camera


def test_an_apps_version_string_is_no_firmware(engine):
    body = '{"app": "QuuxSync", "version_string": "QuuxSync 3.1-4711 Update 2", "build": "4711"}'
    assert engine.identify([Observation("http_body", body)]).firmware is None


@pytest.mark.parametrize(
    ("sysdescr", "model"),
    [
        ("Branch office FortiGate-101F", "FortiGate-101F"),
        ("hq-FortiGate100E-a", "FortiGate100E"),
        ("FortiWiFi-61F", "FortiWiFi-61F"),
    ],
)
def test_a_fortigate_designation_names_fortinet_a_model_and_a_firewall(engine, sysdescr, model):
    ident = engine.identify([Observation("snmp_sysdescr", sysdescr)])
    assert (ident.manufacturer, ident.model, ident.device_type) == ("Fortinet", model, "firewall")
    assert not ident.is_camera


@pytest.mark.parametrize(
    "sysdescr",
    [
        "FortiAP-221E",
        "FortiSwitch-124E-POE",
        "FortiGate 7.2 upgrade pending",
        "Monitored by FortiAnalyzer-VM",
    ],
)
def test_fortinet_look_alikes_are_no_fortigate(engine, sysdescr):
    ident = engine.identify([Observation("snmp_sysdescr", sysdescr)])
    assert ident.device_type != "firewall" and ident.model is None


def test_a_beward_sysdescr_gives_model_and_firmware_and_no_camera_for_a_door_station(engine):
    ident = engine.identify(
        [Observation("snmp_sysdescr", "Beward IP Doorphone DKS, 12001, DKS15122_rev4.1.0.3, 3.1.0.0.1.20.11")]
    )
    assert (ident.model, ident.firmware) == ("DKS15122", "rev4.1.0.3")
    assert ident.device_type == "intercom" and not ident.is_camera


@pytest.mark.parametrize(
    "sysdescr",
    ["Beward IP Doorphone DKS", "Linux DKS15122_rev4.1.0.3 2.6.18 #1", "Quux NVR, 12, QX1234_rev1.2.3, 1.0"],
)
def test_beward_look_alikes_give_no_model(engine, sysdescr):
    assert engine.identify([Observation("snmp_sysdescr", sysdescr)]).model is None


# ----------------------------------------------------------------------------- device classes stated in answers
def _tapo(cls: str, key: str = "device_type") -> list[Observation]:
    body = '{"device_info": {"basic_info": {"device_model": "QX-1", "' + key + '": "SMART.' + cls + '"}}}'
    return [Observation("http_body", body)]


@pytest.mark.parametrize(
    ("cls", "key", "want", "camera"),
    [
        ("TAPODOORBELL", "device_type", "camera", True),
        ("TAPOHUB", "device_type", "hub", False),
        ("TAPOCHIME", "type", "chime", False),
    ],
)
def test_a_tapo_class_types_the_device(engine, cls, key, want, camera):
    ident = engine.identify(_tapo(cls, key))
    assert ident.device_type == want and ident.is_camera is camera


def test_a_tapo_class_elsewhere_is_not_read(engine):
    body = '{"model": "QX-2", "note": "pairs with SMART.TAPODOORBELL"}'
    assert not engine.identify([Observation("http_body", body)]).is_camera


def test_a_dahua_camera_submodule_makes_a_camera_and_a_ptz_driver_alone_does_not(engine):
    cam = '{"id":3,"params":{"subModules":[{"ModuleName":"PTZ"},{"ModuleName":"Camera"}]},"result":true}'
    ptz = '{"id":3,"params":{"subModules":[{"ModuleName":"PTZ"}]},"result":true}'
    assert engine.identify([Observation("http_body", cam)]).device_type == "camera"
    assert not engine.identify([Observation("http_body", ptz)]).is_camera


def test_the_recorder_family_realm_is_camera_side_and_names_no_maker(engine):
    ident = engine.identify([Observation("http_www_authenticate", 'Basic realm="DVRNVRDVS"')])
    assert ident.device_type == "nvr" and ident.is_camera and ident.manufacturer is None
    other = engine.identify([Observation("http_www_authenticate", 'Digest realm="DVRNVRDVS-Lab"')])
    assert not other.is_camera


def test_yi_hack_status_gives_the_cameras_firmware_not_the_hacks(engine):
    body = (
        '{"name":"yi-hack-v5","hostname":"yi-hall","fw_version":"0.2.4",'
        '"home_version":"12.0.51.08_202105181130","ptz":"yes"}'
    )
    ident = engine.identify([Observation("http_body", body)])
    assert (ident.firmware, ident.firmware_date, ident.device_type) == ("12.0.51", "2021-05-18", "camera")


def test_another_projects_status_keeps_the_generic_reading_and_makes_no_camera(engine):
    body = '{"name":"quux-tools","fw_version":"0.2.4","home_version":"12.0.51.08_202105181130"}'
    ident = engine.identify([Observation("http_body", body)])
    assert not ident.is_camera and ident.firmware != "12.0.51"


@pytest.mark.parametrize(
    ("model", "want"),
    [("HS110(EU)", "HS110"), ("QX-60(US)", "QX-60"), ("QX-60(Rev A)", "QX-60(Rev A)"), ("QX(60)", "QX(60)")],
)
def test_a_market_code_in_parentheses_is_not_part_of_the_model(engine, model, want):
    body = '{"sw_ver": "1.0.8 Build 151113 Rel.24658", "model": "' + model + '", "alias": "desk"}'
    assert engine.identify([Observation("http_body", body)]).model == want


@pytest.mark.parametrize(
    ("text", "version", "build"),
    [
        ("SFOS 20.0.2 MR-2-Build378", "20.0.2 MR-2", "378"),
        ("XG310_XN02_SFOS 18.5.1 GA-Build326", "18.5.1 GA", "326"),
    ],
)
def test_sophos_releases_keep_their_stage(engine, text, version, build):
    parts = engine.firmware.parse(text)
    assert (parts.version, parts.build, parts.scheme) == (version, build, "sophos_sfos")


def test_a_build_word_without_sfos_is_not_sophos(engine):
    assert engine.firmware.parse("QOS 2.0.1 MR-2-Build378").scheme != "sophos_sfos"


def test_hisilicons_sdk_rtsp_server_is_a_weak_camera_with_no_maker(engine):
    ident = engine.identify(
        [Observation("rtsp_server", "Hisilicon Streaming Media Server/1.0.0(Mar 14 2016)")]
    )
    assert ident.device_type == "camera" and ident.manufacturer is None
    for text in (
        "Hisilicon Streaming Media Client/1.0.0(Mar 14 2016)",
        "hisilicon streaming media server/1.0",
    ):
        assert not engine.identify([Observation("rtsp_server", text)]).is_camera, text
    # a stronger statement of a recorder wins over the weak camera
    both = engine.identify(
        [
            Observation("rtsp_server", "Hisilicon Streaming Media Server/1.0.0(Mar 14 2016)"),
            Observation("http_server", "DNVRS-Webs"),
        ]
    )
    assert both.device_type == "nvr"


@pytest.mark.parametrize(
    ("text", "version", "date"),
    [
        ("QTS 5.0.1.2376 build 20230421", "5.0.1.2376", "2023-04-21"),
        ("QES 2.2.0.1234 build 20220101", "2.2.0.1234", "2022-01-01"),
    ],
)
def test_qnap_releases_drop_the_os_name(engine, text, version, date):
    parts = engine.firmware.parse(text)
    assert (parts.version, parts.build_date, parts.scheme) == (version, date, "qnap")


def test_a_three_field_version_with_a_build_stays_generic(engine):
    assert engine.firmware.parse("V5.1.0 build 20230421").scheme != "qnap"
