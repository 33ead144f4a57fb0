"""AVM FRITZ!Box (issue 11): the FRITZ!OS page title names AVM as the maker and a router as the type; pages of
third-party tools about a FRITZ!Box do not. Titles below are INVENTED in FRITZ!OS's shape (none is a corpus value).
"""

from __future__ import annotations

import pytest

from camscan.model import Observation


@pytest.mark.parametrize(
    ("title", "model"),
    [
        ("FRITZ!Box 7590", "FRITZ!Box 7590"),
        ("FRITZ!Box 7590 AX", "FRITZ!Box 7590 AX"),
        ("FRITZ!Box 6660 Cable", "FRITZ!Box 6660 Cable"),
    ],
)
def test_the_fritzos_title_names_avm_and_a_router(engine, title, model):
    ident = engine.identify([Observation("html_title", title, port=80)])
    assert (ident.manufacturer, ident.model, ident.device_type) == ("AVM", model, "router")
    assert not ident.is_camera
    assert "avm.html_title.fritzbox" in {ev.signature for ev in ident.evidence}


@pytest.mark.parametrize("title", ["FRITZ!Box Tools", "FRITZ!Box Mesh Übersicht", "My FRITZ!Box 7590"])
def test_other_pages_about_a_fritzbox_name_no_maker(engine, title):
    ident = engine.identify([Observation("html_title", title, port=80)])
    assert ident.manufacturer is None
