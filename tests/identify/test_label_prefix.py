"""Issue 11: a model stated both bare and with its maker's documented label prefix is one model, and the bare
form is kept (Dahua recorders answer `updateSerial=XVR5108C-X` and `type=DH-XVR5108C-X`).

The model names are Dahua's, from its XVR user manual (DH-XVR5104C-I3 …); the observations pairing them are
COMPOSED for the test (no device answer is quoted)."""

from __future__ import annotations

import pytest

from camscan.model import Observation


@pytest.mark.parametrize(
    ("model", "bare"),
    [
        ("DH-XVR5104C-I3", "XVR5104C-I3"),
        ("DH-IPC-HDBW3433R-AS", "IPC-HDBW3433R-AS"),
        ("DHI-ASC1204B", "ASC1204B"),
        ("dh-xvr5108c-i3", "xvr5108c-i3"),
        ("DS-2CD2043G0-I", None),  # Hikvision's numbering has no label prefix
        ("DH-", None),
        ("XVR5104C-I3", None),
    ],
)
def test_the_documented_label_prefix_comes_off(engine, model, bare):
    assert engine.product_lines.bare_model(model) == bare


@pytest.mark.parametrize("order", [0, 1])
def test_bare_and_prefixed_statements_are_one_model_and_the_bare_form_wins(engine, order):
    found = [
        Observation("onvif_device_info", {"manufacturer": "Dahua", "model": "DH-XVR5104C-I3"}),
        Observation("upnp_device", {"manufacturer": "Dahua", "modelName": "XVR5104C-I3"}),
    ]
    ident = engine.identify(found if order == 0 else found[::-1])
    assert ident.model == "XVR5104C-I3"
    assert "model" not in ident.conflicts
    assert ident.device_type == "dvr"


def test_a_prefixed_model_alone_is_kept_as_stated(engine):
    ident = engine.identify(
        [Observation("onvif_device_info", {"manufacturer": "Dahua", "model": "DH-XVR5104C-I3"})]
    )
    assert ident.model == "DH-XVR5104C-I3"


def test_a_different_model_still_conflicts(engine):
    ident = engine.identify(
        [
            Observation("onvif_device_info", {"manufacturer": "Dahua", "model": "DH-XVR5104C-I3"}),
            Observation("upnp_device", {"manufacturer": "Dahua", "modelName": "XVR5108C-I3"}),
        ]
    )
    assert ident.model == "DH-XVR5104C-I3" and ident.conflicts.get("model") == ["XVR5108C-I3"]
