"""Generic readers of what a format itself carries (issue 11, items 1, 3, 4, 7): firmware schemes per maker and
for shapes any maker uses, build dates written out, and the ONVIF scopes that carry a serial, a firmware or a
type. Values are copied from the public sources named in the data files, or invented (marked)."""

from __future__ import annotations

import pytest

from camscan.identify.firmware import written_date
from camscan.identify.knowledge import load_knowledge
from camscan.model import Observation


@pytest.fixture(scope="module")
def schemes():
    return load_knowledge().firmware


# ------------------------------------------------------------------------------------------- firmware schemes
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Hanwha SUNAPI reference: FirmwareVersion, and the same shape in ISPVersion
        ("2.01.00_20200721_R201", ("hanwha", "2.01.00", "20200721_R201", "2020-07-21")),
        ("1.00_200721", ("hanwha", "1.00", "200721", "2020-07-21")),
        # XiongMai: discovery and ONVIF append different tails to one version
        (
            "V5.00.R02.00030747.10010.349f17.0000000",
            ("xiongmai", "V5.00.R02.00030747.10010.349f17", None, None),
        ),
        (
            "V5.00.R02.00030747.10010.349f17..ONVIF 16.12",
            ("xiongmai", "V5.00.R02.00030747.10010.349f17", None, None),
        ),
        # Uniview: the whole string is the version, B<nnnn> the build, a final yymmdd stamp the date
        ("GIPC-B6215.1.68.NB.240617", ("uniview", "GIPC-B6215.1.68.NB.240617", "B6215", "2024-06-17")),
        ("IPC_D1211-B0002P62D1907", ("uniview", "IPC_D1211-B0002P62D1907", "B0002", None)),
        # shapes any maker uses
        ("V3.0.2.9 build 2020-12-22 16:27:00", ("generic.build_date", "V3.0.2.9", None, "2020-12-22")),
        ("4.40.1 (Apr 16 2007)", ("generic.month_name_date", "4.40.1", None, "2007-04-16")),
        ("V7.10.2 Jan 30 2007", ("generic.month_name_date", "V7.10.2", None, "2007-01-30")),
        (
            "1.0.5 Build 180323 Rel.53393",
            ("generic.build_number", "1.0.5", "180323", "2018-03-23"),
        ),  # invented
    ],
)
def test_each_scheme_splits_its_makers_strings(schemes, text, expected):
    parts = schemes.parse(text)
    assert (parts.scheme, parts.version, parts.build, parts.build_date) == expected


@pytest.mark.parametrize(
    "text",
    [
        "9.80.1",  # Axis: a plain version, its build date stated apart
        "10.12.165",
        "b2020",  # invented: a bare B and digits is no Uniview build
        "IPC-B12",  # invented: too few digits
        "V5.00.R02.0003.10010.349f17",  # invented: not XiongMai's field widths
        "2.1_2020",  # invented: a year is no build stamp
    ],
)
def test_look_alikes_are_kept_whole(schemes, text):
    parts = schemes.parse(text)
    assert (parts.version, parts.build, parts.build_date) == (text, None, None), parts


def test_an_impossible_date_is_no_build_date(schemes):
    parts = schemes.parse("1.2.3 Feb 30 2020")  # invented: no such day
    assert (parts.version, parts.build_date) == ("1.2.3", None)


def test_older_schemes_still_come_first(schemes):
    assert schemes.parse("V5.5.800build 210628").scheme == "hikvision"
    assert schemes.parse("2.800.0000000.13.R, Build Date 2021-06-16").scheme == "dahua"
    assert schemes.parse("v3.0.0.136_20121102").scheme == "reolink"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2020-06-05", "2020-06-05"),
        ("2020-11-24 16:47:14", "2020-11-24"),
        ("2020.07.21", "2020-07-21"),
        ("Jun 13 2017 14:38", "2017-06-13"),
        ("Dec  5 2000", "2000-12-05"),
        ("190603", None),  # a stamp: only a scheme knows whether it is a date
        ("2017-02-30", None),
        ("2020-07.21", None),  # mixed separators
        ("build 2020", None),
    ],
)
def test_written_dates(text, iso):
    assert written_date(text) == iso


# --------------------------------------------------------------------------------------- engine: build dates
def test_a_build_date_written_month_first_gives_the_firmware_date(engine):
    ident = engine.identify(
        [
            Observation(
                "snmp_sysdescr",
                "; AXIS P5534-E; PTZ Dome Network Camera; 5.40.9.2; May 15 2012 09:50; 188.1; 1;",
            )
        ]
    )
    assert (ident.firmware, ident.firmware_date) == ("5.40.9.2", "2012-05-15")
    ident = engine.identify(
        [Observation("ftp_banner", "AXIS 207 Network Camera 4.40.1 (Apr 16 2007) ready.")]
    )
    assert (ident.firmware, ident.firmware_date) == ("4.40.1", "2007-04-16")


def test_xiongmai_sources_agree_on_one_version(engine):
    onvif = Observation(
        "onvif_device_info",
        {
            "manufacturer": "H264",
            "model": "XM530_50X50-WG_8M",
            "firmware_version": "V5.00.R02.00030747.10010.349f17..ONVIF 16.12",
        },
    )
    discovery = Observation(
        "vendor_discovery",
        {
            "protocol": "xm",
            "Version": "V5.00.R02.00030747.10010.349f17.0000000",
            "BuildDate": "2020-11-24 16:47:14",
        },
    )
    for observations in ([onvif], [discovery], [onvif, discovery]):
        ident = engine.identify(observations)
        assert ident.firmware == "V5.00.R02.00030747.10010.349f17"
        assert "firmware" not in ident.conflicts


# ------------------------------------------------------------------------------------------------ ONVIF scopes
UNIVIEW_OEM = [  # a real ProbeMatch (code-index file id 55179640885), trimmed
    "onvif://www.onvif.org/Profile/Streaming",
    "onvif://www.onvif.org/type/video_encoder",
    "onvif://www.onvif.org/type/IPC",
    "onvif://www.onvif.org/manufacturer/NONE",
    "onvif://www.onvif.org/VideoSourceNumber/1",
    "onvif://www.onvif.org/version/GIPC-B6215.1.68.NB.240617",
    "onvif://www.onvif.org/serial/210235UEDW3247000013",
    "onvif://www.onvif.org/macaddr/e4f14c776608",
    "onvif://www.onvif.org/hardware/SC-3243-IWPS-F28",
    "onvif://www.onvif.org/location/",
]


def test_scopes_carry_serial_firmware_and_type(engine):
    ident = engine.identify([Observation("onvif_scopes", UNIVIEW_OEM)])
    assert ident.model == "SC-3243-IWPS-F28"
    assert ident.serial == "210235UEDW3247000013"
    assert (ident.firmware, ident.firmware_build, ident.firmware_date) == (
        "GIPC-B6215.1.68.NB.240617",
        "B6215",
        "2024-06-17",
    )
    assert ident.device_type == "camera"
    assert ident.brand is None and ident.manufacturer is None  # manufacturer/NONE is a placeholder


def test_device_information_outranks_the_scopes(engine):
    info = Observation(
        "onvif_device_info",
        {
            "manufacturer": "Quux",
            "model": "QX-100",
            "firmware_version": "2.0.1",
            "serial_number": "QX0099",
        },  # invented
    )
    scopes = Observation(
        "onvif_scopes",
        [
            "onvif://www.onvif.org/serial/QX0001",
            "onvif://www.onvif.org/version/1.9.9",
        ],  # invented: stale values
    )
    ident = engine.identify([scopes, info])
    assert (ident.serial, ident.firmware) == ("QX0099", "2.0.1")


@pytest.mark.parametrize(
    "scopes",
    [
        ["onvif://www.onvif.org/serialport/1", "onvif://www.onvif.org/name/Serial%20Gateway"],
        ["onvif://www.onvif.org/onvif_version/2.6"],
        ["onvif://www.onvif.org/type/IPCHub"],
        ["onvif://www.onvif.org/serial/", "onvif://www.onvif.org/version/"],
    ],
)
def test_scope_look_alikes_say_nothing(engine, scopes):  # invented
    ident = engine.identify([Observation("onvif_scopes", scopes)])
    assert (ident.serial, ident.firmware, ident.device_type) == (None, None, None)
    assert not ident.is_camera


# ------------------------------------------------------------------------ serial and build-date keys in answers
SUNAPI_TEXT = (  # Hanwha Vision SUNAPI reference 2.6.3 §1.4.1, trimmed
    "Model=XNF-9010RV\nSerialNumber=ZLNA70GKA0001JZ\nFirmwareVersion=2.01.00_20200721_R201\nBuildDate=2020.07.21\n"
)


def _answer(body: str, path: str = "/api/info") -> Observation:
    return Observation("http_path", {"path": path, "status": 200, "headers": {}, "body": body})


def test_an_answer_names_its_serial_and_build_date_whoever_made_it(engine):
    # invented: an unlisted maker's JSON and XML answers
    ident = engine.identify(
        [
            _answer(
                '{"modelName": "QX-7", "serialNumber": "QX7-000123", "firmwareVersion": "1.4.2", "buildDate": "Jun 13 2017 14:38"}'
            )
        ]
    )
    assert (ident.serial, ident.firmware_build, ident.firmware_date) == (
        "QX7-000123",
        "Jun 13 2017 14:38",
        "2017-06-13",
    )
    ident = engine.identify(
        [
            _answer(
                "<info><device_serial>AB12CD34</device_serial><swVersion>3.1</swVersion><fwBuildDate>2020-11-24 16:47:14</fwBuildDate></info>"
            )
        ]
    )
    assert (ident.serial, ident.firmware_date) == ("AB12CD34", "2020-11-24")


def test_sunapi_text_answer_gives_serial_firmware_and_date(engine):
    ident = engine.identify([_answer(SUNAPI_TEXT, "/stw-cgi/system.cgi?msubmenu=deviceinfo&action=view")])
    assert ident.manufacturer == "Hanwha"
    assert (ident.serial, ident.firmware, ident.firmware_date) == ("ZLNA70GKA0001JZ", "2.01.00", "2020-07-21")


@pytest.mark.parametrize(
    "body",
    [
        '[{"serialNumber": "QA0001"}, {"serialNumber": "QA0002"}]',  # a list of devices
        '{"serial": "ttyS0", "baud": 9600}',  # a serial port
        "lens_serial_number=QL0003\n",  # a part
        '{"serialNumber": "not set", "buildDate": "tomorrow"}',
        "<x><releaseDate>2020-01-01</releaseDate></x>",  # a release of something else
    ],
)
def test_key_look_alikes_give_no_serial_nor_date(engine, body):  # invented
    ident = engine.identify([_answer(body)])
    assert (ident.serial, ident.firmware_build, ident.firmware_date) == (None, None, None)
    assert not ident.is_camera


def test_a_protocol_name_as_manufacturer_names_nobody(engine):
    # the answer quoted in code-index file id 14151792484 (placeholders.yaml)
    info = {
        "manufacturer": "ONVIF_ICAMERA",
        "model": "MSJ10_AF",
        "firmware_version": "V3.0.2.9 build 2020-12-22 16:27:00",
    }
    ident = engine.identify([Observation("onvif_device_info", info)])
    assert (ident.brand, ident.manufacturer, ident.unlisted) == (None, None, [])
    assert (ident.model, ident.firmware, ident.firmware_date) == ("MSJ10_AF", "V3.0.2.9", "2020-12-22")
