"""Network and office makers' numbering (product_lines.yaml `model_makers`): a bare model (no maker stated) of a
switch, router, access point, NAS, printer or UPS names its maker through that maker's own prefix grammar, never a
camera, and a look-alike of another maker's numbering names not that maker (docs/identify.md)."""

from __future__ import annotations

import pytest

from camscan.model import Observation

SCHEMES = [
    "tplink.network_models",
    "netgear.network_models",
    "linksys.network_models",
    "dlink.network_models",
    "ubiquiti.unifi_network_models",
    "mikrotik.routerboard_models",
    "cisco.network_models",
    "aruba.ap_models",
    "hpe.part_numbers",
    "hp.printer_models",
    "brother.printer_models",
    "epson.printer_models",
    "xerox.printer_models",
    "ricoh.mfp_models",
    "synology.nas_models",
    "qnap.nas_models",
    "apc.ups_models",
]


def _scheme(engine, ident: str):
    found = [m for m in engine.product_lines.model_makers if m.id == ident]
    assert found, ident
    return found[0]


def _bare(engine, model: str):
    return engine.identify([Observation("upnp_device", {"modelName": model})])


@pytest.mark.parametrize("scheme_id", SCHEMES)
def test_a_bare_model_names_its_maker_and_no_camera(engine, scheme_id):
    scheme = _scheme(engine, scheme_id)
    problems = []
    for model in scheme.examples:
        ident = _bare(engine, model)
        if ident.manufacturer not in engine.vendors.kin(scheme.vendor):
            problems.append(f"{model}: maker {ident.manufacturer!r}")
        if ident.is_camera:
            problems.append(f"{model}: called a camera ({ident.device_type})")
    assert not problems, problems


@pytest.mark.parametrize("scheme_id", SCHEMES)
def test_a_look_alike_names_not_this_maker(engine, scheme_id):
    scheme = _scheme(engine, scheme_id)
    for model in scheme.not_examples:
        got = engine.product_lines.maker_of(model)
        assert got is None or got.vendor != scheme.vendor, (model, got.id if got else None)


@pytest.mark.parametrize(
    ("model", "not_maker"),
    [
        ("GS1900-24E", "Netgear"),  # Zyxel's GS + four digits (zyxel.com: GS1900-24E)
        ("DSL-N55U", "D-Link"),  # ASUS's DSL- + letters (asus.com: DSL-N55U)
        ("CP-6408-21-IA", "Cisco"),  # FLIR's part number (flir.security_models)
        ("MP495", "Ricoh"),  # Canon PIXMA MP495 (canon.com)
        ("HL_CAM3P", "Brother"),  # Wyze's code (wyze.wyze_models)
        ("AP-7131", "Aruba Networks"),  # Zebra's access point (zebra.com: AP-7131)
        ("DS-2CD2043G0-I", "Synology"),  # Hikvision's DS- numbering is never Synology's
        ("DS-7608NI-K2", "Synology"),  # invented: a Hikvision recorder's form
    ],
)
def test_another_makers_look_alike(engine, model, not_maker):
    got = engine.product_lines.maker_of(model)
    assert got is None or got.vendor != not_maker
    assert _bare(engine, model).manufacturer != not_maker


@pytest.mark.parametrize("model", ["EAP245", "EAP600", "R7000", "E1200", "L3150"])
def test_shared_or_short_numbering_names_no_maker(engine, model):
    """Left out on purpose: EAP + three digits is TP-Link's (EAP245) and EnGenius's (EAP600); R7000, E1200 and
    L3150 are too short to be one maker's."""
    assert engine.product_lines.maker_of(model) is None


def test_a_synology_diskstation_is_a_nas_and_a_hikvision_ds_model_stays_hikvision(engine):
    ident = _bare(engine, "DS1621xs+")
    assert ident.manufacturer == "Synology" and ident.device_type == "nas" and not ident.is_camera
    assert _bare(engine, "DS-2CD1023G0E-I").manufacturer == "Hikvision"
