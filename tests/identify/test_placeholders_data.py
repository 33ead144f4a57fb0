"""vendor_signatures/placeholders.yaml: every placeholder names its fields and its source (no loader yet)."""

from __future__ import annotations

from camscan.identify.knowledge import DEFAULT_DATA_DIR
from camscan.identify.yamlio import load_yaml
from camscan.model import IDENTITY_FIELDS


def test_placeholders_are_sourced_and_name_identity_fields():
    doc = load_yaml(DEFAULT_DATA_DIR / "placeholders.yaml")
    entries = doc["placeholders"]
    assert len(entries) >= 5
    values = [str(e["value"]).casefold() for e in entries]
    assert len(values) == len(set(values)), "a placeholder is listed twice"
    for e in entries:
        assert str(e["value"]).strip(), e
        assert e["fields"] and set(e["fields"]) <= set(IDENTITY_FIELDS), e
        assert str(e.get("source") or "").strip(), e
    assert {"h264", "private", "ipcam"} <= set(values)
