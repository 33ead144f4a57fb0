"""Issue 11, the long tail of video makers: the names a maker used before a rename, an acquisition or a spin-off
(vendors.yaml `former_names`) still name it, its owners are recorded with dates, and a maker's non-camera lines
(Nest thermostats, smoke alarms and locks) never become cameras."""

from __future__ import annotations

from pathlib import Path

import pytest

from camscan.errors import DataError
from camscan.identify.vendors import VendorRegistry
from camscan.model import CAMERA_TYPES, Observation

VIDEO = CAMERA_TYPES  # the types is_camera counts (device_types.yaml video_surveillance)


@pytest.fixture(scope="module")
def vendors() -> VendorRegistry:
    return VendorRegistry.load(Path(__file__).parents[2] / "vendor_signatures" / "vendors.yaml")


def _upnp(engine, maker: str | None, model: str | None = None):
    value: dict[str, str] = {}
    if maker is not None:
        value["manufacturer"] = maker
    if model is not None:
        value["modelName"] = model
    return engine.identify([Observation("upnp_device", value)])


@pytest.mark.parametrize(
    ("stated", "vendor"),
    [
        ("Doorbot", "Ring"),  # Ring's name until its 2013 rebrand
        ("Bot Home Automation, Inc.", "Ring"),  # its predecessor company
        ("Samsung Techwin", "Hanwha"),
        ("Hanwha Techwin Co., Ltd.", "Hanwha"),
        ("Ubiquiti Networks, Inc.", "Ubiquiti"),
        ("FLIR Systems, Inc.", "FLIR"),
        ("Teledyne FLIR LLC", "FLIR"),
        ("Teledyne Technologies Incorporated", "Teledyne"),  # the owner, not the camera maker
    ],
)
def test_a_former_name_resolves_to_the_vendor(vendors, stated, vendor):
    assert vendors.resolve(stated) == vendor


def test_former_names_are_dated_and_sourced(vendors):
    hanwha = {f.name: f for f in vendors.vendors["Hanwha"].former_names}
    assert hanwha["Samsung Techwin"].until == "2015-06-29"
    assert hanwha["Hanwha Techwin"].since == "2015-06-29"
    assert all(f.source for v in vendors.vendors.values() for f in v.former_names)


@pytest.mark.parametrize(
    "stated",
    [
        "Panasonic Security",  # i-PRO's trade-press "formerly", but devices of the time state Panasonic
        "Ringtone Labs",  # a word that starts like a maker
        "Doorbird",  # another door-station maker's name, not Doorbot
        "Teledyne DALSA Inc.",  # a Teledyne unit that registers its own name
    ],
)
def test_look_alikes_of_former_names_do_not_resolve_to_them(vendors, stated):
    assert vendors.resolve(stated) not in {"Ring", "i-PRO", "Teledyne", "FLIR"}


def test_owners_reach_the_camera_makers_they_own(vendors):
    assert [o for o, _ in vendors.ancestors("FLIR")] == ["Teledyne"]
    assert [o for o, _ in vendors.ancestors("Ring")] == ["Amazon"]
    assert [o for o, _ in vendors.ancestors("Nest")] == ["Google"]
    # a documented owner's products are tried against its subsidiaries' lines; a secondary one's are not
    assert vendors.made_labels("Teledyne") == ["FLIR"]
    assert "Nest" not in vendors.made_labels("Google")


def test_an_owner_is_no_camera_vendor_and_names_no_camera(engine, vendors):
    assert not vendors.is_video_only("Teledyne") and not vendors.is_camera_vendor("Teledyne")
    ident = _upnp(engine, "Teledyne Technologies Incorporated")
    assert ident.device_type not in VIDEO


def test_a_former_name_in_a_device_answer_names_the_maker(engine):
    ident = _upnp(engine, "Samsung Techwin", "SNP-6320H")
    assert ident.manufacturer == "Hanwha"


@pytest.mark.parametrize(
    ("model", "device_type"),
    [
        ("Nest Cam (Indoor)", "camera"),
        ("Nest Cam IQ Outdoor", "camera"),
        ("Nest Cam with floodlight", "camera"),
        ("Nest Doorbell (battery)", "camera"),  # a video doorbell is a camera
        ("Google Nest Cam IQ Indoor", "camera"),
        ("Nest Thermostat", "thermostat"),
        ("Nest Learning Thermostat", "thermostat"),  # invented look-alike spelling of the same line
        ("Nest Protect", "smoke_alarm"),
        ("Nest x Yale Lock", "lock"),
    ],
)
def test_nest_product_names_type_the_device(engine, model, device_type):
    ident = _upnp(engine, "Nest Labs Inc.", model)
    assert ident.manufacturer == "Nest"
    assert ident.device_type == device_type


@pytest.mark.parametrize("model", ["Nest Hub Max", "Nest Hub", "Nest Mini", "Nest Wifi", "Nest Protect"])
def test_nest_non_cameras_are_not_cameras(engine, model):
    ident = _upnp(engine, "Google Nest", model)
    assert ident.device_type not in VIDEO
    assert not ident.is_camera


def test_a_former_name_needs_a_source(tmp_path):
    path = tmp_path / "vendors.yaml"
    path.write_text(
        "vendors:\n  - name: Example\n    former_names:\n      - name: Old Example\n    sources: [x]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError):
        VendorRegistry.load(path)


def test_a_former_name_may_not_be_another_vendors_name(tmp_path):
    path = tmp_path / "vendors.yaml"
    path.write_text(
        "vendors:\n"
        "  - name: Alpha\n    sources: [x]\n"
        "  - name: Beta\n    former_names:\n      - {name: Alpha, source: s}\n    sources: [x]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError):
        VendorRegistry.load(path)


@pytest.mark.parametrize(
    ("mac", "maker"),
    [
        ("00:bf:15:01:02:03", "Genetec"),  # Genetec Inc., Saint-Laurent, Quebec
        ("0c:bf:15:01:02:03", "Genetec"),
        ("10:74:6f:01:02:03", "Motorola Solutions"),  # its Malaysian company's block
    ],
)
def test_a_makers_registered_blocks_name_it(engine, mac, maker):
    assert engine.identify([Observation("mac", mac)]).manufacturer == maker


def test_a_registrant_that_only_folds_to_a_makers_name_is_not_that_maker(engine):
    # "GENETEC Corporation" (Tokyo) folds to the same word as "Genetec Inc." but is another company
    ident = engine.identify([Observation("mac", "00:0a:b1:01:02:03")])
    assert ident.manufacturer != "Genetec"
    assert ident.device_type not in VIDEO


def test_a_labels_own_line_keeps_another_makers_numbering_from_naming_it(engine):
    # Marantz's AV7705 surround processor fits Arecont Vision's "AV + four digits"; UPnP states Marantz as the label
    ident = _upnp(engine, "Marantz", "AV7705")
    assert ident.manufacturer != "Arecont Vision"
    assert ident.device_type == "av_receiver"
    assert not ident.is_camera
    # the scheme still names its maker where nothing else is known, and for the maker's own label
    assert _upnp(engine, "Arecont Vision", "AV12186DN").device_type == "camera"
    # an OEM label keeps its maker's numbering (HiLook is Hikvision's budget label)
    assert _upnp(engine, "HiLook", "IPC-B140H").is_camera


def test_every_product_line_example_keeps_its_maker_and_its_kind(engine):
    """Each product line's examples, stated with their own maker as a UPnP label, get no unrelated maker and stay on
    their side of video / non-video: one maker's numbering never fires on another's model."""
    vendors, lines = engine.vendors, engine.product_lines
    video = VIDEO
    problems = []
    for entry in lines._entries:
        line = entry.line
        family = vendors.kin(line.vendor)
        for example in entry.examples:
            ident = _upnp(engine, line.vendor, example)
            if ident.manufacturer and ident.manufacturer not in family:
                problems.append(f"{line.id} {example}: maker {ident.manufacturer}")
            if (ident.device_type in video) != (line.device_type in video):
                problems.append(f"{line.id} {example}: type {ident.device_type}, line {line.device_type}")
    assert not problems, problems


def test_no_product_line_example_is_named_by_another_makers_numbering(engine):
    """A bare model (no maker stated) names a maker only through that maker's own numbering: no example of any
    product line falls under an unrelated maker's `model_makers` scheme (Marantz's AV7705 under Arecont's AV + four
    digits was one)."""
    vendors, lines = engine.vendors, engine.product_lines
    problems = []
    for entry in lines._entries:
        line = entry.line
        family = vendors.kin(line.vendor)
        for example in entry.examples:
            scheme = lines.maker_of(example)
            if scheme is not None and scheme.vendor not in family:
                owner = vendors.vendors[scheme.vendor]
                if line.vendor not in {r.vendor for r in owner.made_by} | set(
                    vendors.made_labels(scheme.vendor)
                ):
                    problems.append(f"{line.id} {example}: {scheme.id}")
    assert not problems, problems


def test_a_bare_marantz_processor_model_is_no_arecont_camera(engine):
    ident = _upnp(engine, None, "AV7705")
    assert ident.manufacturer != "Arecont Vision"
    assert not ident.is_camera


def test_a_former_owner_is_recorded_but_no_longer_owns(vendors):
    arlo = vendors.vendors["Arlo"]
    assert arlo.parent is not None and arlo.parent.vendor == "Netgear" and not arlo.parent.current
    assert vendors.ancestors("Arlo") == []  # a spun-off maker's devices are not tried against Netgear's lines
    assert "Arlo" not in vendors.made_labels("Netgear")
