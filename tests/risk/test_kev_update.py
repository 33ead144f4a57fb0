"""`camscan advisories update --kev FILE` (camscan/risk/kev.py): validate, update KEV fields only, record the
catalog, list uncurated camera entries; nothing downloaded."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest
import yaml

from camscan.errors import UsageError
from camscan.identify.knowledge import load_knowledge
from camscan.risk.advisories import AdvisorySet
from camscan.risk.kev import plan, read_catalog, rewrite
from tests.conftest import ROOT, SHARED, run_camscan

REF = SHARED / "reference" / "firmware_risk"
JSON_2026 = REF / "known_exploited_vulnerabilities_2026.08.21.json"
CSV_2025 = REF / "known_exploited_vulnerabilities_2025.08.25.csv"
KB = load_knowledge()

pytestmark = pytest.mark.skipif(not JSON_2026.exists(), reason="shared KEV catalogs not present")


def small_catalog(
    tmp_path: Path, *, ransomware: str = "Known", extra: bool = True, count: int | None = None
) -> Path:
    doc = json.loads(JSON_2026.read_text(encoding="utf-8"))
    vulns = [
        v
        for v in doc["vulnerabilities"]
        if v["cveID"] in {"CVE-2021-36260", "CVE-2025-1316", "CVE-2024-3400"}
    ]
    for v in vulns:
        if v["cveID"] == "CVE-2021-36260":
            v["knownRansomwareCampaignUse"] = ransomware
    if extra:  # an invented future entry for a camera maker, to be listed as uncurated
        vulns.append(
            {"cveID": "CVE-2099-0001", "vendorProject": "Hikvision", "product": "IP Camera Firmware",
             "vulnerabilityName": "invented test entry", "dateAdded": "2099-01-02",
             "knownRansomwareCampaignUse": "Unknown"}
        )  # fmt: skip
    doc.update(
        vulnerabilities=vulns, count=len(vulns) if count is None else count, catalogVersion="2099.01.02"
    )
    path = tmp_path / "known_exploited_vulnerabilities.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_reads_the_published_json_and_csv():
    j = read_catalog(JSON_2026)
    assert (j.format, j.version, j.count) == ("json", "2026.08.21", 1674)
    assert j.sha256 == hashlib.sha256(JSON_2026.read_bytes()).hexdigest()
    c = read_catalog(CSV_2025)
    assert (c.format, c.version, c.count) == ("csv", "2025.08.25", 1404)


def test_the_shipped_kev_fields_agree_with_the_catalog():
    update = plan(read_catalog(JSON_2026), KB.advisories, KB.vendors)
    assert update.listed == 21 and update.changed == [] and update.absent == []
    assert update.uncurated == []  # every camera entry of this catalog is curated


def test_an_older_csv_keeps_what_it_lacks_and_warns():
    update = plan(read_catalog(CSV_2025), KB.advisories, KB.vendors)
    assert set(update.absent) == {"CVE-2017-7921", "CVE-2023-52163"}  # added to KEV after 2025-08-25
    assert update.changed == []
    assert any("older" in w for w in update.warnings)


def test_plan_finds_changes_and_uncurated_camera_entries(tmp_path):
    update = plan(read_catalog(small_catalog(tmp_path)), KB.advisories, KB.vendors)
    assert update.changed == [
        {"id": "CVE-2021-36260", "old": {"date_added": "2022-01-10", "ransomware": "Unknown"},
         "new": {"date_added": "2022-01-10", "ransomware": "Known"}}
    ]  # fmt: skip
    assert [e["cveID"] for e in update.uncurated] == [
        "CVE-2099-0001"
    ]  # not the firewall entry (CVE-2024-3400)


def test_rewrite_changes_only_kev_lines_and_the_catalog_record(tmp_path):
    update = plan(read_catalog(small_catalog(tmp_path)), KB.advisories, KB.vendors)
    before = (ROOT / "vendor_signatures" / "advisories.yaml").read_text(encoding="utf-8")
    after = rewrite(before, update)
    diff = [(a, b) for a, b in zip(before.split("\n"), after.split("\n"), strict=True) if a != b]
    assert len(diff) == 2
    assert diff[0][1].startswith("kev_catalog: ") and '"2099.01.02"' in diff[0][1]
    assert diff[1][1] == '    kev: {date_added: "2022-01-10", ransomware: "Known"}'
    doc = yaml.safe_load(after)
    assert doc["kev_catalog"]["sha256"] == update.catalog.sha256


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(count=d["count"] + 1), "count says"),
        (lambda d: d["vulnerabilities"][0].pop("dateAdded"), "lacks dateAdded"),
        (lambda d: d["vulnerabilities"][0].update(dateAdded="21 Jan 2022"), "is not YYYY-MM-DD"),
        (lambda d: d.pop("vulnerabilities"), "no 'vulnerabilities' list"),
    ],
)
def test_a_bad_json_catalog_is_refused(tmp_path, mutate, message):
    doc = json.loads(small_catalog(tmp_path).read_text(encoding="utf-8"))
    mutate(doc)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        read_catalog(bad)


def test_a_csv_without_required_columns_is_refused(tmp_path):
    bad = tmp_path / "kev.csv"
    with bad.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["cveID", "vendorProject", "dateAdded"])
        writer.writerow(["CVE-2021-36260", "Hikvision", "2022-01-10"])
    with pytest.raises(UsageError, match="no column product, knownRansomwareCampaignUse"):
        read_catalog(bad)


def test_cli_updates_a_copy_of_the_data_and_risk_follows(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "vendor_signatures", data)
    env = {"CAMSCAN_DATA": str(data)}
    kev = small_catalog(tmp_path)
    res = run_camscan("advisories", "update", "--kev", str(kev), "--dry-run", "--json", env=env)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["written"] is False
    assert (
        "Known" not in (data / "advisories.yaml").read_text(encoding="utf-8").split("CVE-2021-36260")[1][:900]
    )
    res = run_camscan("advisories", "update", "--kev", str(kev), env=env)
    assert res.returncode == 0, res.stderr
    assert "CVE-2099-0001" in res.stdout and "1 changed" in res.stdout
    updated = AdvisorySet.load(data / "advisories.yaml", KB.vendors)
    advisory = updated.get("CVE-2021-36260")
    assert advisory is not None and advisory.kev == {"date_added": "2022-01-10", "ransomware": "Known"}
    assert updated.kev_catalog["version"] == "2099.01.02"
    res = run_camscan("advisories", "update", "--kev", str(tmp_path / "missing.json"), env=env)
    assert res.returncode == 2


def test_cli_output_leaves_the_data_untouched(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "vendor_signatures", data)
    before = (data / "advisories.yaml").read_bytes()
    out = tmp_path / "advisories.yaml"
    res = run_camscan("advisories", "update", "--kev", str(small_catalog(tmp_path)), "-o", str(out),
                      env={"CAMSCAN_DATA": str(data)})  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert (data / "advisories.yaml").read_bytes() == before
    assert '"2099.01.02"' in out.read_text(encoding="utf-8")
