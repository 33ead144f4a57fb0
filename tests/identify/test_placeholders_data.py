"""vendor_signatures/placeholders.yaml: every placeholder names its fields and its source, and the loader applies it."""

from __future__ import annotations

from camscan.datafile import load_yaml
from camscan.identify.knowledge import DEFAULT_DATA_DIR
from camscan.identify.placeholders import Placeholders
from camscan.model import IDENTITY_FIELDS


def test_placeholders_are_sourced_and_name_identity_fields():
    doc = load_yaml(DEFAULT_DATA_DIR / "placeholders.yaml")
    entries = doc["placeholders"]
    assert len(entries) >= 5
    values = [str(e["value"]).casefold() for e in entries if "value" in e]
    assert len(values) == len(set(values)), "a placeholder is listed twice"
    for e in entries:
        assert ("value" in e) != ("pattern" in e), e
        assert e["fields"] and set(e["fields"]) <= set(IDENTITY_FIELDS), e
        assert str(e.get("source") or "").strip(), e
    assert {"h264", "private", "ipcam"} <= set(values)


def test_the_shipped_placeholders_drop_fillers_but_keep_real_values():
    p = Placeholders.load(DEFAULT_DATA_DIR / "placeholders.yaml")
    assert p.is_placeholder("manufacturer", " H264 ")
    assert p.is_placeholder("model", "IPC-model") and p.is_placeholder("model", "Camera")
    assert p.is_placeholder("serial", "Redacted") and p.is_placeholder("hardware", "00001")
    assert not p.is_placeholder("model", "DS-2CD2032-I")
    assert not p.is_placeholder("model", "IPC-HFW2228M-I1-V2")
    assert not p.is_placeholder("manufacturer", "Hikvision")
    assert not p.is_placeholder("model", "4300")  # a real, all-digit model (VBrick)
