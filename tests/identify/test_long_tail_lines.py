"""Issue 11, the video long tail on the shipped data: Arlo, FLIR, Illustra and TVT model numbers name and type a
device wherever a model is stated, and look-alike numbers (base stations, chimes, modems, other makers' codes)
stay what they are."""

from __future__ import annotations

import pytest

from camscan.model import CAMERA_TYPES, Observation

VIDEO = CAMERA_TYPES  # the types is_camera counts (device_types.yaml video_surveillance)


def _upnp(engine, maker: str | None, model: str):
    value = {"modelName": model} if maker is None else {"manufacturer": maker, "modelName": model}
    return engine.identify([Observation("upnp_device", value)])


@pytest.mark.parametrize(
    ("maker", "model", "device_type"),
    [
        ("Arlo", "VMC4041PB", "camera"),
        ("Arlo", "AVD1001B", "camera"),  # a video doorbell is a camera
        ("Arlo Technologies", "VML4030", "camera"),
        ("Arlo", "VMB5000", "hub"),  # the base station the cameras join
        ("Arlo", "AC1001", "chime"),  # no camera
        ("FLIR", "CB-3102-11-I", "camera"),
        ("Teledyne FLIR", "FC-632-O", "camera"),
        ("Illustra", "IPS02-D12-OI04", "camera"),
        ("Illustra", "IFS03B1ONWIT", "camera"),
        ("TVT", "TD-9442S5A", "camera"),
        ("TVT", "TD-2104TS-CL", "dvr"),
        ("Grandstream", "GSC3610", "camera"),
        ("Grandstream", "GDS3710", "intercom"),  # the door system stays an intercom
        ("Siqura", "FD5006M", "camera"),
        ("HiLook", "IPC-B140H", "camera"),
        ("HiLook", "DS-I214W(C)", "camera"),
        ("IDIS", "DC-D4216X", "camera"),
        ("Verkada", "CD22", "camera"),
        ("Digital Watchdog", "DWC-MV72Wi28TW", "camera"),
        ("ACTi", "A310", "camera"),
        ("Vicon", "V2005D-W313MIR", "camera"),
        ("TRENDnet", "TV-IP572PI", "camera"),
        ("INSTAR", "IN-9408 2K+", "camera"),
        ("Arecont Vision", "AV12186DN", "camera"),
        ("Speco Technologies", "O4B9M", "camera"),
        ("LTS", "CMIP3342W-28M", "camera"),
        ("Night Owl", "CAM-FTD8", "camera"),
        ("March Networks", "SE2", "camera"),
        ("IC Realtime", "IPMX-D40F-IRW2", "camera"),
        ("Zmodo", "ZP-IBH13-W", "camera"),
        ("Hikmicro", "HM-TD2628-7", "camera"),
        ("Infinova", "VS210-A2-I0", "camera"),
        ("CP PLUS", "CP-UNC-TA21L3C-Q", "camera"),
        ("Provision-ISR", "DI-320IPEN-28", "camera"),
        ("Provision-ISR", "SH-4050A5-5L(MM)", "dvr"),
        ("Jovision", "JVS-N410-Q1", "camera"),
        ("Kedacom", "IPC2131-AN", "camera"),
    ],
)
def test_the_long_tail_product_line_types_the_device(engine, maker, model, device_type):
    ident = _upnp(engine, maker, model)
    assert ident.device_type == device_type
    assert ident.is_camera == (device_type in VIDEO)


@pytest.mark.parametrize(
    ("model", "maker", "device_type"),
    [
        ("VMC4041PB", "Arlo", "camera"),
        ("VMB5000", "Arlo", "hub"),
        ("CP-6408-21-IA", "FLIR", "camera"),
        ("FB-618-ID", "FLIR", "camera"),
        ("IPR20-M12-OIA4", "Illustra", "camera"),
        ("CS-C6N-B0-1G2WF", "EZVIZ", "camera"),  # CVE-2022-2471's model list
        ("CS-DB1C-A0-1E2W2FR", "EZVIZ", "camera"),  # a video doorbell
        ("CS-CV248", "EZVIZ", "camera"),
        ("DC-S6281HX", "IDIS", "camera"),
        ("DWC-B6263WTIRW", "Digital Watchdog", "camera"),
        ("TV-IP1314PI", "TRENDnet", "camera"),
        ("AV20185", "Arecont Vision", "camera"),
    ],
)
def test_a_bare_model_names_its_maker_and_type(engine, model, maker, device_type):
    ident = _upnp(engine, None, model)
    assert ident.manufacturer == maker
    assert ident.device_type == device_type


@pytest.mark.parametrize(
    ("maker", "model"),
    [
        ("TP-Link", "TD-8840T"),  # a TP-Link ADSL modem: TD- is not TVT's alone
        ("TP-Link", "TD-W8961N"),
        ("Arlo", "VMB5000"),  # base station, not a camera
        ("Arlo", "AC1001"),  # chime
        ("FLIR", "E8"),  # a handheld thermal imager, no product line
        ("D-Link", "DSP-W215"),  # smart plug
        ("Grandstream", "GSC3505"),  # a SIP speaker of the GSC range, not a GSC36xx camera
        ("Grandstream", "GXP1625"),  # an IP phone
        ("TRENDnet", "TEW-827DRU"),  # a router of a camera maker
    ],
)
def test_look_alike_numbers_are_not_cameras(engine, maker, model):
    assert not _upnp(engine, maker, model).is_camera


@pytest.mark.parametrize(
    "model",
    [
        "D-313",
        "FC-632",
        "TD-9442S5A",
        "IPS02D2OCWIT",
        "AC1001",
        "VMC",
        "CS-2000",
        "CS-C6N",
        "DC-12V",
        "CD22",
        "A310",
        "AV108T",
    ],
)
def test_short_or_shared_numbers_name_no_maker_alone(engine, model):
    """Numbers another maker could use (or too short to tell) name nobody without other evidence."""
    ident = _upnp(engine, None, model)
    assert ident.manufacturer is None
    assert not ident.is_camera


def test_an_ezviz_part_number_outside_the_camera_lines_is_no_camera(engine):
    """An EZVIZ number that is not a camera line's (a plug-like T30 code, invented) is not typed a camera."""
    ident = _upnp(engine, "EZVIZ", "CS-T30-10A-EU")  # invented
    assert not ident.is_camera
