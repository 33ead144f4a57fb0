"""Model names written without spaces (issue 11): a certificate CN or host-name label that spells one of a maker's
listed model names (product_lines.yaml `model_names`) without spaces or punctuation names that model, once the
device's maker is that vendor and no observation stated a model.

The subjects below are INVENTED in the shape of Polycom's (CN=<model>.polycom.com, OU=Video Division, O=Polycom
Inc.); none is a value of the real-device corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from camscan.errors import DataError
from camscan.identify.engine import MODEL_NAME
from camscan.identify.knowledge import DEFAULT_DATA_DIR
from camscan.identify.product_lines import ProductLines, squash
from camscan.identify.vendors import VendorRegistry
from camscan.model import Observation

POLYCOM = "OU=Video Division,O=Polycom Inc.,L=San Jose,ST=California,C=US"


def subject(cn: str) -> Observation:
    return Observation("tls_subject", f"CN={cn},{POLYCOM}", port=443)


def named_evidence(ident):
    return [ev for ev in ident.evidence if ev.signature.startswith(f"{MODEL_NAME}.")]


@pytest.mark.parametrize(
    ("cn", "model"),
    [
        ("RealPresenceGroup500.polycom.com", "RealPresence Group 500"),
        ("eagleeyeproducer.polycom.com", "EagleEye Producer"),
        ("Studio-X50", "Studio X50"),
    ],
)
def test_a_cn_label_spelling_a_listed_model_names_it(engine, cn, model):
    ident = engine.identify([subject(cn)])
    assert ident.manufacturer == "Polycom" and ident.model == model
    assert ident.device_type == "video_conferencing" and not ident.is_camera
    used = named_evidence(ident)
    assert len(used) == 1 and used[0].asserts == {"model": model} and used[0].port == 443
    assert ident.field_confidence["model"] < 1.0


def test_a_roman_numeral_suffix_is_another_model(engine):
    """`EagleEye Director` and `EagleEye Director II` are both listed: the label must equal one, not start with it."""
    assert engine.identify([subject("EagleEyeDirector.polycom.com")]).model == "EagleEye Director"
    assert engine.identify([subject("EagleEyeDirectorIII.polycom.com")]).model is None


def test_a_dhcp_host_name_names_the_model_too(engine):
    ident = engine.identify(
        [subject("vc-room-4.example.org"), Observation("dhcp_hostname", "RealPresence-Group-700")]
    )
    assert ident.model == "RealPresence Group 700"


def test_without_the_maker_the_name_is_not_used(engine):
    """A label alone does not name a model: the maker must be the listed vendor (other makers' names collide)."""
    ident = engine.identify(
        [Observation("tls_subject", "CN=RealPresenceGroup500.example.com,O=Example Ltd,C=GB")]
    )
    assert ident.model is None
    unused = named_evidence(ident)
    assert (
        len(unused) == 1
        and unused[0].asserts == {}
        and unused[0].ignored == {"model": "RealPresence Group 500"}
    )


def test_a_stated_model_wins_over_a_spelled_one(engine):
    stated = Observation(
        "onvif_device_info", {"manufacturer": "Polycom", "model": "RealPresence Group 310"}
    )  # invented
    ident = engine.identify([subject("RealPresenceGroup500.polycom.com"), stated])
    assert ident.model == "RealPresence Group 310"
    assert all(ev.asserts == {} for ev in named_evidence(ident))


def test_squash_and_lookup():
    assert squash("EagleEye Director II") == squash("Eagle-Eye_Director.ii") == "eagleeyedirectorii"
    lines = ProductLines.load(
        DEFAULT_DATA_DIR / "product_lines.yaml", VendorRegistry.load(DEFAULT_DATA_DIR / "vendors.yaml")
    )
    assert [name for _, name in lines.named("RealPresenceGroup550")] == ["RealPresence Group 550"]
    assert lines.named("polycom") == [] and lines.named("X50") == []
    assert not [p for p in lines.all_problems() if p[0] == "polycom.video_conferencing_names"]


NAMES = """product_lines: []
model_names:
  - id: acme.names
    vendor: Hikvision
    names: [Room Kit Pro]
    source: test (invented)
    examples:
      - {token: RoomKitPro, model: Room Kit Pro}
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("names: [Room Kit Pro]", "names: [Kit 1]", "shorter than 6"),
        ("vendor: Hikvision", "vendor: Nobody", "'Nobody' is not a canonical vendor"),
        ("      - {token: RoomKitPro, model: Room Kit Pro}\n", "", "example"),
    ],
)
def test_bad_model_names_are_data_errors(tmp_path: Path, old, new, message):
    path = tmp_path / "product_lines.yaml"
    path.write_text(NAMES.replace(old, new), encoding="utf-8")
    vendors = VendorRegistry.load(DEFAULT_DATA_DIR / "vendors.yaml")
    with pytest.raises(DataError, match=message):
        ProductLines.load(path, vendors)


def test_an_example_that_yields_another_name_fails_the_self_test(tmp_path: Path):
    path = tmp_path / "product_lines.yaml"
    path.write_text(NAMES.replace("model: Room Kit Pro", "model: Room Kit"), encoding="utf-8")
    lines = ProductLines.load(path, VendorRegistry.load(DEFAULT_DATA_DIR / "vendors.yaml"))
    assert [ident for ident, _ in lines.all_problems()] == ["acme.names"]
