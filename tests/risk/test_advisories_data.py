"""vendor_signatures/advisories.yaml: its schema, its coverage of the KEV camera entries, its examples, its loader."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from camscan.errors import DataError
from camscan.identify.knowledge import load_knowledge
from camscan.risk import selftest
from camscan.risk.advisories import AdvisorySet, load_advisories
from tests.conftest import ROOT, SHARED, run_camscan

KB = load_knowledge()
DATA = ROOT / "vendor_signatures"
KEV_CAMERAS = SHARED / "reference" / "firmware_risk" / "kev_camera_entries_2026-08-21.json"


def test_every_example_gives_its_status():
    count, problems = selftest.run(KB.advisories, KB.firmware)
    assert count >= 80
    assert not problems, "\n".join(f"{i}: {p}" for i, p in problems)


def test_every_kev_camera_entry_is_covered_with_its_kev_fields():
    if not KEV_CAMERAS.exists():
        pytest.skip("shared reference not present")
    entries = json.loads(KEV_CAMERAS.read_text(encoding="utf-8"))["entries"]
    assert len(entries) == 21
    for e in entries:
        adv = KB.advisories.get(e["cveID"])
        assert adv is not None, e["cveID"]
        assert adv.kev == {"date_added": e["dateAdded"], "ransomware": e["knownRansomwareCampaignUse"]}, e[
            "cveID"
        ]
        assert KB.vendors.resolve(e["vendorProject"]) == adv.vendor, e["cveID"]


def test_major_non_kev_camera_cves_are_covered():
    for cve in (
        "CVE-2018-10660",
        "CVE-2018-10661",
        "CVE-2018-10662",
        "CVE-2024-7029",
        "CVE-2017-7577",
        "CVE-2018-10088",
    ):
        adv = KB.advisories.get(cve)
        assert adv is not None and adv.kev is None, cve


def test_every_entry_has_sources_examples_and_a_canonical_vendor():
    for adv in KB.advisories:
        assert adv.sources and adv.examples, adv.id
        assert adv.vendor in KB.vendors, adv.id
        assert any(ex["status"] is not None for ex in adv.examples), adv.id


def test_schema_is_valid_and_the_file_follows_it():
    import jsonschema
    import yaml

    schema = json.loads((DATA / "schema" / "advisories.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    doc = yaml.safe_load((DATA / "advisories.yaml").read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(doc))


def _copy(tmp_path: Path, old: str, new: str) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    path = target / "advisories.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    vendor: Edimax\n", "    vendor: EDIMAX Technology\n", "not a canonical name"),
        (
            "    scheme: hikvision\n    basis: both\n",
            "    scheme: hikvision\n    basis: sometimes\n",
            "basis",
        ),
        ("models: ['IC-7100.*']", "models: ['IC-7100(']", "not a valid regular expression"),
        ('ranges: [{fixed: "2.12"}]', 'ranges: [{fixed: "two.twelve"}]', "does not parse"),
        ("  - id: CVE-2024-8957\n", "  - id: CVE-2024-8956\n", "duplicate id"),
    ],
)
def test_bad_data_is_a_data_error_naming_the_entry(tmp_path, old, new, message):
    target = _copy(tmp_path, old, new)
    with pytest.raises(DataError) as info:
        load_advisories(target, KB.vendors)
    assert message in str(info.value)
    assert "advisories.yaml" in str(info.value)


def test_a_data_directory_without_advisories_has_none(tmp_path):
    assert len(load_advisories(tmp_path)) == 0
    assert isinstance(load_advisories(tmp_path), AdvisorySet)


def test_signatures_test_runs_the_advisory_examples(tmp_path):
    result = run_camscan("signatures", "test", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["advisories"] == len(KB.advisories)
    # A wrong expectation fails the command.
    target = _copy(
        tmp_path,
        '{model: IC-7100, firmware: "1.03", status: no_fix}',
        '{model: IC-7100, firmware: "1.03", status: not_affected}',
    )
    result = run_camscan("signatures", "test", env={"CAMSCAN_DATA": str(target)})
    assert result.returncode == 1
    assert "CVE-2025-1316" in result.stdout and "expected not_affected, got no_fix" in result.stdout
