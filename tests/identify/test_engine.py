"""The engine's decisions, over the small hand-made data set (independent of the shipped data)."""

from __future__ import annotations

from typing import Any

import pytest

from camscan.identify.engine import split_firmware
from camscan.model import Observation


def obs(kind: str, value: object, **kw: Any) -> Observation:
    return Observation(kind=kind, value=value, **kw)


def test_single_banner_gives_maker_type_and_concerns(fixture_engine):
    ident = fixture_engine.identify([obs("http_server", "App-webs/")])
    assert ident.manufacturer == "Hikvision"
    assert ident.brand is None
    assert ident.device_type == "camera" and ident.is_camera
    assert ident.concerns == ["fac-xinjiang-primary-camera-tech", "ndaa-s889"]
    assert ident.confidence == pytest.approx(0.85)


def test_rebadged_label_keeps_brand_and_resolves_real_maker(fixture_engine):
    """A label of one brand with Hikvision-only evidence: manufacturer Hikvision, brand kept."""
    ident = fixture_engine.identify(
        [
            obs("html_title", "Acme Security Network Camera"),
            obs("http_server", "App-webs/"),
            obs(
                "vendor_discovery",
                {
                    "protocol": "sadp",
                    "DeviceDescription": "DS-2CD2032-I",
                    "SoftwareVersion": "V5.6.2build 190701",
                },
            ),
        ]
    )
    assert ident.brand == "Acme Security"
    assert ident.manufacturer == "Hikvision"
    assert ident.model == "DS-2CD2032-I"
    assert (ident.firmware, ident.firmware_build) == ("V5.6.2", "190701")
    assert "ndaa-s889" in ident.concerns
    assert ident.conflicts == {}


def test_a_maker_the_device_states_is_reported_even_when_unlisted(fixture_engine):
    """Open world: GetDeviceInformation names a company vendors.yaml does not know; it is still the maker."""
    ident = fixture_engine.identify([obs("onvif_device_info", {"manufacturer": "Foo Bar Cams Co.,Ltd."})])
    assert ident.brand == "Foo Bar Cams"
    assert ident.manufacturer == "Foo Bar Cams"
    assert ident.unlisted == ["brand", "manufacturer"]
    assert ident.field_confidence["manufacturer"] < ident.field_confidence["brand"]
    assert ident.concerns == []


def test_an_unlisted_label_from_a_banner_alone_names_no_maker(fixture_engine):
    """A free-text title is a label, not the device stating who made it."""
    ident = fixture_engine.identify([obs("html_title", "Foo Bar Network Camera")])
    assert ident.brand == "Foo Bar"
    assert ident.manufacturer is None


@pytest.mark.parametrize(
    "spelling",
    [
        "HIKVISION Technology Co., Ltd",
        "Hangzhou Hikvision Digital Technology Co.,Ltd.",
        "hikvision digital technology",
    ],
)
def test_known_makers_are_recognised_in_other_spellings(fixture_engine, spelling):
    ident = fixture_engine.identify([obs("onvif_device_info", {"manufacturer": spelling})])
    assert ident.brand == "Hikvision" and ident.manufacturer == "Hikvision"
    assert ident.unlisted == []


def test_brand_with_documented_oem_derives_manufacturer(fixture_engine):
    ident = fixture_engine.identify([obs("html_title", "Acme Security Network Camera")])
    assert ident.brand == "Acme Security"
    assert ident.manufacturer == "Hikvision"
    assert ident.field_confidence["manufacturer"] < ident.field_confidence["brand"]


def test_uncertain_oem_is_only_a_possibility(fixture_engine):
    """Lorex: Dahua owned it 2018–2022 and an uncertain OEM link; neither sets the manufacturer or concerns."""
    ident = fixture_engine.identify([obs("mac", "00:1f:54:aa:bb:cc")])
    assert ident.brand == "Lorex"
    assert ident.manufacturer is None
    assert ident.possible_manufacturers[0]["vendor"] == "Dahua"
    assert ident.concerns == []


def test_conflicting_makers_lower_confidence_and_are_reported(fixture_engine):
    ident = fixture_engine.identify([obs("http_server", "App-webs/"), obs("http_server", "DahuaHTTP")])
    assert ident.manufacturer == "Hikvision"
    assert ident.conflicts["manufacturer"] == ["Dahua"]
    assert ident.confidence < 0.85


def test_agreeing_evidence_raises_confidence(fixture_engine):
    one = fixture_engine.identify([obs("http_server", "App-webs/")])
    two = fixture_engine.identify([obs("http_server", "App-webs/"), obs("mac", "c4:2f:90:01:02:03")])
    assert two.confidence > one.confidence


def test_subsidiary_inherits_parent_concern_that_covers_subsidiaries(fixture_engine):
    ident = fixture_engine.identify([obs("mac", "0c:a6:4c:01:02:03")])
    assert ident.manufacturer == "EZVIZ"
    assert ident.concerns == ["ndaa-s889"]  # the FAC report names Hikvision only, not its subsidiaries
    link = ident.concern_links[0]
    assert (link.vendor, link.via, link.relation) == ("Hikvision", "EZVIZ", "subsidiary")


def test_uncertain_parent_gives_uncertain_link_not_a_listed_concern(fixture_engine):
    vendors = fixture_engine.vendors
    links = fixture_engine.concerns.links("Hikmicro", vendors)
    assert [(c.id, c.confidence) for c in links] == [("ndaa-s889", "uncertain")]


def test_related_makers_are_not_a_conflict(fixture_engine):
    ident = fixture_engine.identify([obs("http_server", "App-webs/"), obs("mac", "0c:a6:4c:01:02:03")])
    assert "manufacturer" not in ident.conflicts


def test_lookalikes_are_not_cameras(fixture_engine):
    scale = fixture_engine.identify([obs("mac", "40:2c:76:10:00:01")])
    assert scale.manufacturer == "Shanghai Dahua Scale Factory"
    assert not scale.is_camera and scale.concerns == []
    axis2 = fixture_engine.identify(
        [obs("http_path", {"path": "/axis2/services", "status": 200, "headers": {}, "body": "Apache Axis2"})]
    )
    assert axis2.manufacturer == "Apache Axis" and not axis2.is_camera


def test_a_maker_that_sells_more_than_cameras_implies_no_type(fixture_engine):
    """Hikvision also sells alarm panels and intercoms: its OUI alone says who, not what."""
    ident = fixture_engine.identify([obs("mac", "c4:2f:90:01:02:03")])
    assert ident.manufacturer == "Hikvision"
    assert ident.device_type is None and not ident.is_camera


def test_a_video_only_maker_without_type_evidence_is_a_probable_camera(fixture_engine):
    ident = fixture_engine.identify([obs("onvif_device_info", {"manufacturer": "Hikmicro"})])
    assert ident.manufacturer == "Hikmicro"
    assert ident.device_type == "camera"
    assert ident.field_confidence["device_type"] < 0.5
    assert ident.evidence[-1].signature == "engine.video_only_maker"


def test_failed_observations_are_ignored(fixture_engine):
    ident = fixture_engine.identify([Observation("http_server", "", error="connection reset")])
    assert not ident.identified and ident.evidence == []


def test_nothing_known_gives_empty_identity(fixture_engine):
    ident = fixture_engine.identify([obs("http_server", "nginx")])
    assert ident.to_dict()["is_camera"] is False
    assert ident.confidence == 0


def test_header_lookup_is_case_insensitive_and_scope_values_unquoted(fixture_engine):
    ident = fixture_engine.identify(
        [
            obs(
                "http_path",
                {
                    "path": "/ISAPI/System/deviceInfo",
                    "status": 200,
                    "headers": {"CONTENT-TYPE": "application/xml"},
                    "body": "<model>DS-2CD</model>",
                },
            ),
            obs("onvif_scopes", ["onvif://www.onvif.org/hardware/DS%2D2CD"]),
        ]
    )
    assert ident.model == "DS-2CD"
    assert ident.manufacturer == "Hikvision"


def test_hostile_values_are_cleaned_and_bounded(fixture_engine):
    ident = fixture_engine.identify([obs("onvif_device_info", {"model": "X\x1b[31m" + "A" * 5000})])
    assert "\x1b" not in ident.model and len(ident.model) <= 200


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("V5.1.8 build 140616", ("V5.1.8", "140616")),
        ("V5.6.2build 190701", ("V5.6.2", "190701")),
        ("V4.0.1 Build 20190925", ("V4.0.1", "20190925")),
        ("2.800.0000000.13.R", ("2.800.0000000.13.R", None)),
        ("build", ("build", None)),
    ],
)
def test_split_firmware(raw, expected):
    assert split_firmware(raw) == expected


def test_bad_observations_are_rejected():
    from camscan.model import ObservationError

    with pytest.raises(ObservationError, match="unknown observation kind"):
        Observation("http_banner", "x")
    with pytest.raises(ObservationError, match="needs a string"):
        Observation("http_server", {"a": 1})
    with pytest.raises(ObservationError, match="needs a list"):
        Observation("onvif_scopes", "onvif://x")


def test_chip_makers_reference_firmware_is_a_platform_not_the_maker(fixture_engine):
    ident = fixture_engine.identify([obs("http_server", "Cross Web Server")])
    assert ident.platform == "HiSilicon"
    assert ident.manufacturer is None
    assert ident.device_type == "dvr"
    assert ident.concerns == []
    with_label = fixture_engine.identify(
        [obs("http_server", "Cross Web Server"), obs("http_server", "DahuaHTTP")]
    )
    assert (with_label.platform, with_label.manufacturer) == ("HiSilicon", "Dahua")


def test_a_label_that_only_repeats_the_model_is_not_a_brand(fixture_engine):
    ident = fixture_engine.identify(
        [
            obs("onvif_device_info", {"manufacturer": "XNV-6080R", "model": "XNV-6080R"}),
        ]
    )
    assert ident.model == "XNV-6080R" and ident.brand is None
    known = fixture_engine.identify([obs("onvif_device_info", {"manufacturer": "AXIS", "model": "AXIS"})])
    assert known.brand == "Axis"


def test_a_maker_that_names_its_models_after_itself_keeps_its_brand(fixture_engine):
    """Home Assistant issue 63399: an unlisted maker whose model starts with its own name (`EYEPLUS`, model
    `EYEPLUS_DEV`) is still the brand and, open world, the maker; a model code the model starts with is not."""
    ident = fixture_engine.identify(
        [obs("onvif_device_info", {"manufacturer": "EYEPLUS", "model": "EYEPLUS_DEV"})]
    )
    assert (ident.brand, ident.manufacturer, ident.model) == ("EYEPLUS", "EYEPLUS", "EYEPLUS_DEV")
    code = fixture_engine.identify(
        [obs("onvif_device_info", {"manufacturer": "QNV-7080R", "model": "QNV-7080R-1"})]
    )
    assert code.brand is None and code.model == "QNV-7080R-1"


def test_placeholders_are_not_values(fixture_engine):
    """`Camera` in a hardware scope and `H264` as the manufacturer say nothing about the device."""
    ident = fixture_engine.identify(
        [
            obs("onvif_scopes", ["onvif://www.onvif.org/hardware/Camera"]),
            obs("onvif_device_info", {"manufacturer": "H264", "model": "XM530_50X50-WG_8M"}),
        ]
    )
    assert ident.model == "XM530_50X50-WG_8M"
    assert ident.brand is None and ident.manufacturer is None
    assert "model" not in ident.conflicts
    ignored = {k: v for e in ident.evidence for k, v in e.ignored.items()}
    assert ignored == {"model": "Camera", "brand": "H264"}


def test_one_statement_is_one_vote(fixture_engine):
    """The same scope from WS-Discovery and from GetScopes, or a banner on two ports, counts once."""
    once = fixture_engine.identify([obs("http_server", "App-webs/", port=80)])
    twice = fixture_engine.identify(
        [obs("http_server", "App-webs/", port=80), obs("http_server", "App-webs/", port=443)]
    )
    assert twice.confidence == pytest.approx(once.confidence)
    scopes = ["onvif://www.onvif.org/hardware/DS-2CD2032-I"]
    ident = fixture_engine.identify(
        [
            obs("onvif_scopes", scopes, source="wsd"),
            obs("onvif_scopes", scopes, source="onvif"),
            obs("onvif_device_info", {"model": "DS-2CD2043G0-I"}),
        ]
    )
    assert ident.model == "DS-2CD2043G0-I"


def test_device_info_outranks_scopes_and_the_conflict_stays_visible(fixture_engine):
    """A stronger source wins its field even against a heavier lower-tier vote; the loser is a conflict."""
    ident = fixture_engine.identify(
        [
            obs("onvif_scopes", ["onvif://www.onvif.org/hardware/DS-2CD2032-I"]),
            obs(
                "vendor_discovery",
                {
                    "protocol": "sadp",
                    "DeviceDescription": "DS-2CD2032-I",
                    "SoftwareVersion": "V5.4.0 build 160530",
                },
            ),
            obs(
                "http_path",
                {
                    "path": "/ISAPI/System/deviceInfo",
                    "status": 200,
                    "headers": {"Content-Type": "application/xml"},
                    "body": "<DeviceInfo><model>DS-2CD2142FWD-I</model></DeviceInfo>",
                },
            ),
        ]
    )
    assert ident.model == "DS-2CD2142FWD-I"
    assert ident.conflicts["model"] == ["DS-2CD2032-I"]
    detail = ident.conflict_details["model"][0]
    assert detail["value"] == "DS-2CD2032-I" and detail["tier"] < 6
    assert set(detail["signatures"]) == {"onvif.scope.hardware", "hikvision.vendor_discovery.sadp"}


@pytest.mark.parametrize(
    ("raw", "version", "build", "built"),
    [
        ("V5.5.800build 210628", "V5.5.800", "210628", "2021-06-28"),
        ("V5.4.0 build 160530", "V5.4.0", "160530", "2016-05-30"),
        ("2.800.0000000.13.R, Build Date 2021-06-16", "2.800.0000000.13.R", "2021-06-16", "2021-06-16"),
        ("9.80.1", "9.80.1", None, None),
    ],
)
def test_firmware_is_split_by_its_vendor_scheme(fixture_engine, raw, version, build, built):
    ident = fixture_engine.identify([obs("onvif_device_info", {"firmware_version": raw})])
    assert (ident.firmware, ident.firmware_build, ident.firmware_date) == (version, build, built)


def test_a_model_number_only_one_maker_uses_names_it(engine):
    """Shipped data: a Uniview IPC numbering in an ONVIF hardware scope names Uniview though nothing else does."""
    ident = engine.identify([obs("onvif_scopes", ["onvif://www.onvif.org/hardware/IPC2122LB-SF28K-A"])])
    assert ident.manufacturer == "Uniview"
    assert ident.field_confidence["manufacturer"] < ident.field_confidence["model"]
    assert any(e.signature == "model_maker.uniview.ipc_models" for e in ident.evidence)
    rebadged = engine.identify(
        [obs("onvif_device_info", {"manufacturer": "Acme Vision Co.,Ltd.", "model": "DS-2CD2143G0-I"})]
    )
    assert (rebadged.brand, rebadged.manufacturer) == ("Acme Vision", "Hikvision")
