"""Issue 15: the concerns register current to 2026 — corrections, new entries, status, change tracking, --since."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from camscan.concerns import STATUSES, ConcernRegister
from camscan.errors import DataError
from camscan.identify.knowledge import DEFAULT_DATA_DIR, load_knowledge
from tests.conftest import FIXTURES, ROOT, SHARED, run_camscan

KB = load_knowledge()
REG = KB.concerns
RESEARCH = SHARED / "reference" / "concerns" / "updates_2023_2026.md"


def test_register_carries_version_and_date_and_loads_strictly():
    assert REG.version == "2026.12.1" and REG.date == "2026-12-04"
    assert REG.label == "2026.12.1 of 2026-12-04"
    strict = ConcernRegister.load(DEFAULT_DATA_DIR / "concerns.yaml", KB.vendors, strict=True)
    assert set(strict.concerns) == set(REG.concerns)


def test_every_entry_has_source_quote_date_confidence_status_and_added():
    for c in REG.concerns.values():
        assert c.sources and c.date and c.confidence, c.id
        assert any(s.get("quote") for s in c.sources) or c.raw.get("no_quote"), c.id
        assert c.status in STATUSES and c.raw.get("status_as_of"), c.id
        assert c.raw.get("added"), c.id
        if c.status == "superseded":
            assert all(s in REG.concerns for s in c.raw["superseded_by"]), c.id
    for item in REG.responses + REG.facts:
        assert item.get("added") and item.get("sources"), item["id"]


def test_corrections_are_in_the_register():
    fcc = REG.concerns["fcc-22-84"]
    assert (
        "2 April 2024" in fcc.raw["note"]
        and "communicationsdaily.com, 18 December 2024" not in fcc.raw["note"]
    )
    ruling = REG.concerns["dc-circuit-hikvision-v-fcc-2024"]
    assert ruling.date == "2024-04-02" and ruling.category == "court_ruling"
    hik = REG.concerns["dod-1260h-hikvision"]
    assert hik.confidence == "secondary" and "24 June 2020" in hik.raw["note"]
    assert REG.concerns["dod-1237-2020"].date == "2020-06-24"
    dahua = REG.concerns["dod-1260h-dahua"]
    assert "Chengdu Dahua Wisdom" in dahua.applies_to
    parent = KB.vendors.vendors["Chengdu Dahua Wisdom"].parent
    assert parent is not None and parent.vendor == "Dahua"
    assert "DJI" in REG.concerns["fcc-covered-list"].raw["note"]
    wms = REG.concerns["uk-wms-2022-11-24"]
    assert any("routinely holds secret material" in (s.get("quote") or "") for s in wms.sources)
    assert "4gon.co.uk" not in wms.raw["note"]
    for cid in (
        "fcc-22-84",
        "dod-1260h-hikvision",
        "dod-1260h-dahua",
        "uk-wms-2022-11-24",
        "fcc-covered-list",
    ):
        entry = REG.concerns[cid].raw
        assert entry["updated"] == "2026-12-04" and entry["changes"][-1]["change"], cid


def test_statuses_say_what_is_current():
    assert REG.concerns["fcc-25-71"].status == "under_appeal"
    assert REG.concerns["fcc-25-71-fnprm"].status == "proposed"
    assert REG.concerns["bis-affiliates-rule-2025"].status == "stayed"
    assert REG.concerns["ca-hikvision-ica-order-2025"].status == "under_appeal"
    older = REG.concerns["dod-1260h-2024-2025-updates"]
    assert older.status == "superseded" and older.raw["superseded_by"] == ["dod-1260h-2026"]
    assert REG.concerns["dod-1237-2020"].status == "ended"


def test_new_vendors_from_the_2026_lists_get_their_concerns():
    tp = {link.id for link in REG.links("TP-Link", KB.vendors)}
    assert "dod-1260h-2026" in tp
    dji = {link.id for link in REG.links("DJI", KB.vendors)}
    assert {"dod-1260h-2026", "fcc-covered-list-2025-12-uas-s1709"} <= dji
    autel = {link.id: link for link in REG.links("Autel Robotics", KB.vendors)}
    assert "fcc-covered-list-2025-12-uas-s1709" in autel
    assert autel["texas-prohibited-tech-2026"].confidence == "uncertain"  # the source says only "Autel"


def test_costar_video_systems_is_not_costar_group():
    """The DoD list's "Costar Group Co., Ltd. (Costar)" must not reach the US camera maker, and vice versa."""
    assert KB.vendors.resolve("Costar") == "Costar"
    assert KB.vendors.resolve("Costar Video Systems") == "Costar"
    assert KB.vendors.resolve("Costar Group Co., Ltd.") == "Costar Group"
    assert KB.vendors.resolve("Costar Group Co., Ltd. (Costar)") != "Costar"  # the list's name as written
    assert KB.vendors.lookup_mac("A0:C2:DE:00:00:01") == "Costar"  # the camera maker's OUI
    camera_maker = {link.id for link in REG.links("Costar", KB.vendors)}
    listed = {link.id for link in REG.links("Costar Group", KB.vendors)}
    assert "dod-1260h-costar-group" in listed
    assert "dod-1260h-costar-group" not in camera_maker
    assert not camera_maker & listed
    group = KB.vendors.vendors["Costar Group"]
    assert not group.camera_vendor and "Costar" in group.not_to_be_confused_with
    assert "Costar" not in group.aliases


def test_an_identified_costar_camera_carries_no_dod_concern():
    from camscan.identify.engine import get_engine
    from camscan.model import Observation

    engine = get_engine()
    ident = engine.identify([Observation(kind="mac", value="a0:c2:de:12:34:56", source="test")])
    assert ident.manufacturer == "Costar"
    assert "dod-1260h-costar-group" not in ident.concerns


def test_names_in_source_never_resolve_to_another_vendor():
    """A name a source uses must not resolve to a vendor the entry does not name (the Costar trap, generally)."""
    for c in REG.concerns.values():
        named = set(c.applies_to) | set(c.raw.get("candidate_vendors") or [])
        family = named | {a for v in named for a, _ in KB.vendors.ancestors(v)}
        for name in c.raw.get("names_in_source") or []:
            resolved = KB.vendors.resolve(name)
            assert resolved is None or resolved in family, (c.id, name, resolved)


def research_items() -> list[str]:
    return re.findall(r"^\*\*((?:US|CA|UK|EU|NZ|IN)-\d+)\. ", RESEARCH.read_text(), re.MULTILINE)


@pytest.mark.skipif(not RESEARCH.is_file(), reason="../shared/reference not present")
def test_every_research_item_is_in_the_register_or_listed_as_left_out():
    items = research_items()
    assert len(items) == 33
    register = (DEFAULT_DATA_DIR / "concerns.yaml").read_text()
    doc = (ROOT / "docs" / "concerns.md").read_text()
    left_out = doc.split("## Left out", 1)[1]
    for item in items:
        in_register = re.search(rf"\b(?:Item|Items|items|item) [^.]*\b{item}\b", register)
        assert in_register or f"**{item}**" in left_out, item
    assert "**EU-2**" in left_out  # one secondary source, date unknown


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", dest)
    return dest


ENTRY = """  - id: local-policy
    title: Local policy
    applies_to: [Dahua]
    date: "2025-01-01"
    authority: Acme
    jurisdiction: UK
    category: organisation_policy
    summary: no new Dahua
    sources: [{document: policy, quote: "no Dahua"}]
"""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    status: gone\n", "status 'gone' is not one of"),
        ("    status: in_force\n", "'status' needs 'status_as_of'"),
        ('    status: superseded\n    status_as_of: "2026-01-01"\n', "needs 'superseded_by'"),
        (
            '    status: superseded\n    status_as_of: "2026-01-01"\n    superseded_by: [nope]\n',
            "refers to unknown concern 'nope'",
        ),
        ('    added: "2026-13-01"\n', "'added' '2026-13-01' must be an ISO date"),
        ('    added: "2026-01-01"\n    updated: "2026-02-01"\n', "'updated' needs a 'changes' entry"),
        (
            '    added: "2026-01-01"\n    updated: "2026-02-01"\n    changes: [{date: "2026-01-15", change: x}]\n',
            "differs from the latest change",
        ),
        (
            '    added: "2026-03-01"\n    updated: "2026-02-01"\n    changes: [{date: "2026-02-01", change: x}]\n',
            "is before 'added'",
        ),
        ('    changes: [{date: "2026-02-01"}]\n', "'changes' must be a list of {date, change}"),
    ],
)
def test_bad_tracking_and_status_fields_are_clear_errors(data_copy, extra, message):
    path = data_copy / "concerns.yaml"
    text = path.read_text().replace("concerns:\n", "concerns:\n" + ENTRY + extra, 1)
    path.write_text(text)
    with pytest.raises(DataError, match=re.escape(message)):
        ConcernRegister.load(path, load_knowledge(data_copy).vendors)


def test_strict_load_requires_tracking_fields(data_copy):
    path = data_copy / "concerns.yaml"
    vendors = load_knowledge(data_copy).vendors
    ConcernRegister.load(path, vendors)  # a user's register without tracking fields is fine
    with pytest.raises(DataError, match="needs a top-level 'date'"):
        ConcernRegister.load(path, vendors, strict=True)
    path.write_text('date: "2026-01-01"\n' + path.read_text())
    with pytest.raises(DataError, match="needs 'added'"):
        ConcernRegister.load(path, vendors, strict=True)


def test_concerns_since_lists_only_what_changed():
    before = json.loads(run_camscan("concerns", "--json").stdout)
    result = run_camscan("concerns", "--since", "2026-12-01", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(before) <= set(report)  # a superset of the plain answer's keys
    assert report["since"] == "2026-12-01" and report["date"] == "2026-12-04"
    ids = {c["id"] for c in report["concerns"]}
    assert {"fcc-25-71", "fcc-22-84", "ca-fc-2025-1527"} <= ids
    assert (
        "ndaa-s889" not in ids and "commissioner-letter-16-july-2021" not in ids
    )  # unchanged since 2026-11-22
    assert {r["id"] for r in report["responses"]} >= {"hik-petition-fcc-25-71"}
    assert all(r["added"] >= "2026-12-01" for r in report["responses"])
    later = json.loads(run_camscan("concerns", "--since", "2026-12-05", "--json").stdout)
    assert later["concerns"] == [] and later["responses"] == []
    everything = json.loads(run_camscan("concerns", "--since", "2000-01-01", "--json").stdout)
    assert len(everything["concerns"]) == len(before["concerns"])


def test_concerns_since_human_output_and_vendor_filter():
    result = run_camscan("concerns", "Hikvision", "--since", "2026-12-01")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert (
        "Changes to the concerns register 2026.12.1 of 2026-12-04 since 2026-12-01 that apply to Hikvision"
        in out
    )
    assert "updated 2026-12-04: Litigation note corrected" in out
    assert "status: in force, under appeal" in out
    assert "fac-xinjiang-primary-camera-tech" not in out


@pytest.mark.parametrize("bad", ["yesterday", "2026-02-30", "12/04/2026"])
def test_concerns_since_bad_date_is_a_clear_usage_error(bad):
    result = run_camscan("concerns", "--since", bad)
    assert result.returncode == 2
    assert "is not a date; use YYYY-MM-DD" in result.stderr and "Traceback" not in result.stderr


def test_docs_concerns_md_matches_the_register():
    """docs/concerns.md lists every entry from the data file; regenerate with `python -m camscan.concerns_doc`."""
    from camscan.concerns_doc import updated_page

    page = (ROOT / "docs" / "concerns.md").read_text(encoding="utf-8")
    assert updated_page(page, REG) == page
    for cid in REG.concerns:
        assert f"### {cid}\n" in page, cid


def test_concerns_help_documents_since():
    result = run_camscan("concerns", "--help")
    assert result.returncode == 0 and "--since" in result.stdout and "YYYY-MM-DD" in result.stdout
