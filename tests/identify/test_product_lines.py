"""Product lines: loading (errors name file and entry), matching order, vendor-word stripping, self-test."""

from __future__ import annotations

from pathlib import Path

import pytest

from camscan.errors import DataError
from camscan.identify.knowledge import DEFAULT_DATA_DIR, load_knowledge
from camscan.identify.product_lines import ProductLines
from camscan.identify.vendors import VendorRegistry
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def vendors() -> VendorRegistry:
    return VendorRegistry.load(DEFAULT_DATA_DIR / "vendors.yaml")


LINES = """product_lines:
  - id: hik.nvr
    vendor: Hikvision
    pattern: 'DS-76'
    device_type: nvr
    source: test (invented examples)
    examples: [DS-7608NI-I2]
  - id: hik.any
    vendor: Hikvision
    pattern: 'DS-'
    device_type: camera
    source: test (invented examples)
    examples: [DS-2CD1023G0E-I]
  - id: dahua.any
    vendor: Dahua
    pattern: 'DS-'
    device_type: plug
    source: test (invented examples)
    examples: [DS-1]
"""


def matched_id(lines: ProductLines, makers: list[str], model: str) -> str | None:
    """The id of the product line `lines.match` finds, or None when none matches."""
    line = lines.match(makers, model)
    return line.id if line is not None else None


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "product_lines.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (("vendor: Dahua", "vendor: Dahwa"), "'Dahwa' is not a canonical vendor"),
        (
            ("device_type: plug", "device_type: toaster"),
            "device_type 'toaster' is not a word of the device-type vocabulary",
        ),
        (("pattern: 'DS-76'", "pattern: 'DS-(76'"), "not a valid regular expression"),
        (("    examples: [DS-1]\n", ""), "needs at least one example"),
        (
            ("source: test (invented examples)\n    examples: [DS-1]", "source: ''\n    examples: [DS-1]"),
            "needs a 'source'",
        ),
        (("id: hik.any", "id: hik.nvr"), "duplicate id"),
        (("    examples: [DS-1]", "    examples: [DS-1]\n    colour: red"), "unknown field(s): colour"),
    ],
)
def test_load_errors_name_file_and_entry(tmp_path, vendors, mutation, message):
    old, new = mutation
    assert old in LINES
    path = write(tmp_path, LINES.replace(old, new, 1) if old != "id: hik.any" else LINES.replace(old, new))
    with pytest.raises(DataError) as info:
        ProductLines.load(path, vendors)
    text = str(info.value)
    assert str(path) in text
    assert "product line" in text
    assert message in text


def test_device_types_are_words_of_the_vocabulary(tmp_path, vendors):
    """A synonym is read as its word (dimmer → light_switch); a corpus-only word is no type for data."""
    lines = ProductLines.load(
        write(tmp_path, LINES.replace("device_type: plug", "device_type: dimmer")), vendors
    )
    line = lines.match(["Dahua"], "DS-1")
    assert line is not None and line.device_type == "light_switch"
    with pytest.raises(DataError, match="'unknown' is for corpus truths only"):
        ProductLines.load(
            write(tmp_path, LINES.replace("device_type: plug", "device_type: unknown")), vendors
        )


def test_error_names_the_entry_by_id(tmp_path, vendors):
    path = write(tmp_path, LINES.replace("vendor: Dahua", "vendor: Nobody"))
    with pytest.raises(DataError, match=r"product line 'dahua\.any'"):
        ProductLines.load(path, vendors)


def test_not_a_mapping_is_a_clear_error(tmp_path, vendors):
    path = write(tmp_path, "- just a list\n")
    with pytest.raises(DataError, match="expected a mapping with a 'product_lines' list"):
        ProductLines.load(path, vendors)


def test_file_order_within_a_vendor_and_vendor_preference(tmp_path, vendors):
    lines = ProductLines.load(write(tmp_path, LINES), vendors)
    assert len(lines) == 3
    # the narrow NVR line comes first in the file, so it wins over the broad one
    assert matched_id(lines, ["Hikvision"], "DS-7608NI-I2") == "hik.nvr"
    assert matched_id(lines, ["Hikvision"], "DS-2CD1023G0E-I") == "hik.any"
    # the first vendor in the preference list decides, whatever the file order
    assert matched_id(lines, ["Dahua", "Hikvision"], "DS-7608NI-I2") == "dahua.any"
    assert matched_id(lines, ["Hikvision", "Dahua"], "DS-7608NI-I2") == "hik.nvr"
    # a vendor without lines is skipped; no vendor with lines -> None
    assert matched_id(lines, ["Axis", "Hikvision"], "DS-7608NI-I2") == "hik.nvr"
    assert lines.match(["Axis"], "DS-7608NI-I2") is None
    assert lines.match(["Hikvision"], "") is None


def test_match_is_anchored_and_case_insensitive(tmp_path, vendors):
    lines = ProductLines.load(write(tmp_path, LINES), vendors)
    assert matched_id(lines, ["Hikvision"], "ds-7608ni-i2") == "hik.nvr"
    assert lines.match(["Hikvision"], "XDS-7608") is None  # re.match, not re.search


def test_leading_vendor_word_is_stripped(tmp_path, vendors):
    lines = ProductLines.load(write(tmp_path, LINES), vendors)
    assert matched_id(lines, ["Hikvision"], "HIKVISION DS-7608NI-I2") == "hik.nvr"
    assert matched_id(lines, ["Hikvision"], "Hikvision-DS-2CD1023G0E-I") == "hik.any"


def test_selftest_catches_a_bad_example_and_a_shadowed_one(tmp_path, vendors):
    bad = LINES.replace("examples: [DS-2CD1023G0E-I]", "examples: [DS-2CD1023G0E-I, IPC-HDW1230S]")
    bad = bad.replace(
        "examples: [DS-7608NI-I2]", "examples: [DS-7608NI-I2]\n    not_examples: [DS-7616NI-K2]"
    )
    bad += """  - id: hik.late
    vendor: Hikvision
    pattern: 'DS-2CD'
    device_type: nvr
    source: test (invented examples)
    examples: [DS-2CD2043G0-I]
"""
    lines = ProductLines.load(write(tmp_path, bad), vendors)
    problems = lines.selftest()
    assert any("hik.any" in p and "'IPC-HDW1230S' matches no line of Hikvision" in p for p in problems)
    assert any("hik.nvr" in p and "not_example 1 'DS-7616NI-K2'" in p for p in problems)
    assert any("hik.late" in p and "taken by the earlier line 'hik.any'" in p for p in problems)
    assert all(str(tmp_path) in p for p in problems)


def test_selftest_catches_an_example_an_earlier_line_of_the_same_type_takes(tmp_path, vendors):
    # a second entry for models an earlier line already takes is never reached for them (Bosch's B426 was listed
    # twice so, as bosch.alarm_module and bosch.alarm_communicator)
    twice = (
        LINES
        + """  - id: hik.any_again
    vendor: Hikvision
    pattern: 'DS-2CD1'
    device_type: camera
    source: test (invented examples)
    examples: [DS-2CD1023G0E-I]
"""
    )
    problems = ProductLines.load(write(tmp_path, twice), vendors).selftest()
    assert any("hik.any_again" in p and "the same type: a second entry" in p for p in problems)


def test_shipped_product_lines_pass_their_self_test():
    kb = load_knowledge()
    assert len(kb.product_lines) >= 60
    assert kb.product_lines.selftest() == []


@pytest.mark.parametrize(
    ("vendors_", "model", "device_type"),
    [
        (["Axis"], "AXIS M1065-LW", "camera"),
        (["Axis"], "C1410", "speaker"),
        (["Axis"], "A1001", "access_control"),
        (["Axis"], "Q7401", "encoder"),
        (["D-Link"], "DCS-930L", "camera"),
        (["D-Link"], "DSP-W215", "plug"),
        (["D-Link"], "DCH-S150", "sensor"),
        (["Edimax"], "SP-2101W", "plug"),
        (["Edimax"], "IC-3116W", "camera"),
        (["TP-Link"], "HS110", "plug"),
        (["Hikvision"], "DS-2CD7A47FWD-XZS", "camera"),
        (["Hikvision"], "DS-7616NI-I2/16P", "nvr"),
        (["Dahua"], "DH-IPC-HDBW3433R-AS", "camera"),
        (["Dahua"], "VTO6521H", "intercom"),
        (["Ubiquiti"], "U6-LR", "access_point"),
    ],
)
def test_shipped_lines_type_real_models(vendors_, model, device_type):
    line = load_knowledge().product_lines.match(vendors_, model)
    assert line is not None and line.device_type == device_type


def test_data_directory_without_product_lines_loads_empty():
    kb = load_knowledge(FIXTURES / "data")
    assert len(kb.product_lines) == 0
    assert kb.product_lines.match(["Hikvision"], "DS-2CD2043G0-I") is None
