"""Issue 11 (items 1, 2, 4, 5): European video, alarm and door-entry makers — their legal names as the IEEE
registry writes them fold to the vendor, their product lines type the device, and the look-alikes of each range
(an alarm photo detector, intercom door stations, a video server, a decoder) are not called cameras."""

from __future__ import annotations

import pytest

from camscan.identify import oui
from camscan.model import Observation

VIDEO = {"camera", "nvr", "dvr", "encoder"}


def _upnp(engine, maker: str, model: str):
    return engine.identify([Observation("upnp_device", {"manufacturer": maker, "modelName": model})])


@pytest.mark.parametrize(
    ("registrant", "vendor"),
    [
        ("ABUS Security-Center GmbH & Co. KG", "ABUS"),
        ("Ajax Systems DMCC", "Ajax Systems"),
        ("Ajax Systems Inc", "Ajax Systems"),
        ("Comelit Group S.P.A", "Comelit"),
        ("Fermax Electronica S.A.U.", "Fermax"),
        ("Akuvox (Xiamen) Networks Co., Ltd", "Akuvox"),
        ("Aiphone co.,Ltd", "Aiphone"),
        ("HeiTel Digital Video GmbH", "HeiTel"),
        ("Intelbras", "Intelbras"),
        ("Lumi United Technology Co., Ltd", "Aqara"),
        ("Somfy-Protect By Myfox SAS", "Somfy"),
        ("SnapAV", "SnapAV"),
        ("Assa Abloy AB - Yale", "Yale"),
        ("Steinel GmbH", "Steinel"),
    ],
)
def test_registrants_map_to_the_vendor(engine, registrant, vendor):
    assert oui.maker_name(registrant, engine.vendors) == vendor


@pytest.mark.parametrize(
    ("spelling", "vendor"),
    [
        ("ABUS Security-Center GmbH & Co. KG", "ABUS"),
        ("ABUS Security Center", "ABUS"),
        ("FERMAX ELECTRONICA S.A.U.", "Fermax"),  # dotted legal form, other case
        ("Comelit Group S.p.A.", "Comelit"),
        ("AIPHONE CO., LTD.", "Aiphone"),
        ("Lupus-Electronics GmbH", "Lupus Electronics"),
        ("Uniarch by Uniview", "Uniarch"),
    ],
)
def test_device_spellings_resolve(engine, spelling, vendor):
    assert engine.vendors.resolve(spelling) == vendor


@pytest.mark.parametrize(
    ("maker", "model", "device_type"),
    [
        ("ABUS", "IPCB42515A", "camera"),
        ("ABUS Security-Center GmbH & Co. KG", "TVIP41550", "camera"),
        ("ABUS", "HDCC35512", "camera"),
        ("ABUS", "TVVR36402", "nvr"),
        ("ABUS", "TVIP40000", "encoder"),  # the video server, not a camera
        ("Lupus Electronics", "LE221", "camera"),
        ("Ajax Systems", "TurretCam (5 MP/2.8 mm)", "camera"),
        ("Ajax", "DoorBell", "camera"),  # a video doorbell is a camera
        ("Uniarch", "IPC-T122-APF28", "camera"),
        ("Imou", "Ranger 2", "camera"),
        ("Imou", "DB61i", "camera"),
        ("2N TELEKOMUNIKACE a.s.", "2N IP Vario", "intercom"),
        ("2N", "2N® Indoor Touch 2.0", "intercom"),
        ("2N", "2N Access Unit 2.0", "access_control"),
        ("Aiphone", "IX-DV", "intercom"),
        ("Akuvox", "R20A", "intercom"),
        ("Haivision", "Makito X4 Encoder", "encoder"),
        ("Haivision", "Makito X Decoder", "decoder"),
        ("Vaddio", "RoboSHOT 12 HDBT", "camera"),
        ("Intelbras", "VIP 1020 B G2", "camera"),
        ("Intelbras", "iM5", "camera"),
        ("Lumi United Technology Co., Ltd", "Camera Hub G3", "camera"),
        ("Aqara", "Video Doorbell G4", "camera"),
        ("Somfy", "Outdoor Camera", "camera"),
        ("Luma", "LUM-510-DOM", "camera"),
        ("Blink", "Outdoor 4", "camera"),
        ("Blink by Amazon", "Video Doorbell", "camera"),
        ("Yale", "SV-DAFX-W", "camera"),
        ("STEINEL", "L 620 CAM", "camera"),
    ],
)
def test_product_lines_type_the_device(engine, maker, model, device_type):
    ident = _upnp(engine, maker, model)
    assert ident.device_type == device_type
    assert ident.is_camera == (device_type in VIDEO)


@pytest.mark.parametrize(
    ("maker", "model"),
    [
        ("Ajax Systems", "MotionCam"),  # an alarm detector that takes photos
        ("Ajax Systems", "MotionCam Outdoor"),
        ("Ajax Systems", "Hub 2 Plus"),
        ("2N", "IP Verso"),  # door station of an intercom system
        ("Aiphone", "IXG-DM7"),
        ("Akuvox", "R20A"),
        ("Haivision", "Makito X Decoder"),
        ("Fermax", "DUOX"),  # no product line: the name alone never makes a camera
        ("Comelit", "6741W"),  # invented model number
        ("ABUS", "Secvest"),
        ("Aqara", "Hub M2"),  # a Zigbee hub without a camera
        ("Aqara", "Motion Sensor P1"),
        ("Somfy", "TaHoma Switch"),  # the home-automation hub
        ("Intelbras", "IWR 3000N"),  # a router of a camera maker
        ("SnapAV", "LUM-510-DOM"),
        ("Blink", "Sync Module 2"),  # the hub the battery cameras join
        ("Steinel", "L 620 S"),  # a sensor light without a camera
        ("Yale", "Linus Smart Lock"),  # the distributor's own name does not make its brand's lines apply
    ],
)
def test_look_alikes_are_not_cameras(engine, maker, model):
    assert not _upnp(engine, maker, model).is_camera


def test_no_new_maker_is_video_only(engine):
    """These makers sell alarms, intercoms or access control too: the name alone never types a device."""
    for name in (
        "ABUS",
        "Ajax Systems",
        "Comelit",
        "Fermax",
        "Akuvox",
        "Aiphone",
        "Lupus Electronics",
        "Uniarch",
        "Intelbras",
        "Aqara",
        "Somfy",
    ):
        assert not engine.vendors.is_video_only(name)
