"""`camscan export questionnaire` in every format, through the real CLI."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from camscan.store import Store
from tests.conftest import run_camscan

from . import support


def export(db, *args):
    return run_camscan("export", "questionnaire", "--db", str(db), *args)


def test_json_on_stdout_is_pure_and_complete(example_db):
    r = export(example_db, "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)  # nothing but JSON on stdout
    assert data["schema"] == "camscan.questionnaire/1"
    assert data["totals"]["devices"] == 12
    assert data["totals"]["unknown_manufacturer"] == 3
    makers = {m["manufacturer"]: m for m in data["manufacturers"]}
    assert makers["Hikvision"]["brands"] == ["Hikvision", "LTS"]
    assert makers["(unknown)"]["devices"] == 3
    assert len(data["unknown_manufacturer"]) == 3
    assert sum(1 for d in data["unknown_manufacturer"] if d["unidentified_camera"]) == 1
    concern = next(c for c in data["concerns"] if c["id"] == "ndaa-s889" and c["manufacturer"] == "Dahua")
    assert concern["authority"] == "United States Congress" and concern["date"] == "2018-08-13"
    assert concern["url"] == "https://www.acquisition.gov/far/52.204-25"
    device = next(d for d in data["devices"] if d["ip"] == "127.10.0.6")
    assert (device["supplier"], device["brand"], device["model"]) == ("Hikvision", "LTS", "CMIP3042W-28M")
    assert device["description"] == "IP video surveillance camera"
    assert device["supplier_legal_name"] == "Hangzhou Hikvision Digital Technology Co., Ltd."
    assert device["firmware"] == "V5.5.0"
    assert data["scans"][0]["kind"] == "demo"
    assert {"method", "sources", "FAR 52.204-25"} <= set(data["notes"])
    assert {r["table"] for r in data["answers"]} >= {"manufacturers", "concerns", "unknown_manufacturer"}


def test_csv_sections_and_single_table(example_db):
    r = export(example_db, "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout)))
    titles = [row[0] for row in rows if row and row[0].startswith("# ")]
    for title in ("# Devices by manufacturer", "# Devices whose manufacturer is unknown", "# Scans behind the numbers",
                  "# Devices (FAR 52.204-25 reporting fields)", "# Concerns that apply, per manufacturer", "# Notes"):  # fmt: skip
        assert title in titles
    one = list(
        csv.DictReader(io.StringIO(export(example_db, "-f", "csv", "--table", "manufacturers").stdout))
    )
    assert one[0]["manufacturer"] == "Hikvision" and one[0]["devices"] == "3"
    assert one[-1]["manufacturer"] == "(unknown)"


def test_markdown(example_db):
    r = export(example_db, "-f", "md")
    assert r.returncode == 0
    assert "## Devices by manufacturer" in r.stdout
    assert "| Hikvision | Hangzhou Hikvision Digital Technology Co., Ltd. | CN | 3 |" in r.stdout
    assert "## Notes" in r.stdout


def test_xlsx_sheets_frozen_headers_widths_and_notes(example_db, tmp_path):
    out = tmp_path / "q.xlsx"
    r = export(example_db, "-o", str(out))  # format from the suffix
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == ["summary", "answers", "manufacturers"]
    assert {
        "models",
        "device_types",
        "sites",
        "unknown_manufacturer",
        "concerns",
        "devices",
        "scans",
        "notes",
    } <= set(wb.sheetnames)
    ws = wb["manufacturers"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].value == "manufacturer" and ws["A1"].font.bold
    assert ws["A2"].value == "Hikvision" and ws["D2"].value == 3
    assert ws.column_dimensions["A"].width >= 10
    assert ws.auto_filter.ref
    notes = {row[0].value: row[1].value for row in wb["notes"].iter_rows(min_row=2)}
    assert "FAR 52.204-25" in notes and "sources" in notes and "method" in notes


def test_site_and_scan_scope(two_scan_db):
    data = json.loads(export(two_scan_db, "-f", "json", "--scan", "1").stdout)
    assert data["scope"] == {"site": None, "scan": 1, "text": "all sites, as seen by scan 1"}
    assert data["totals"]["devices"] == 12
    assert [s["id"] for s in data["scans"]] == [1]
    data = json.loads(export(two_scan_db, "-f", "json", "--site", "hq").stdout)
    assert data["totals"]["devices"] == 13


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "xlsx"], "xlsx is a binary format: give -o FILE.xlsx"),
        (["-f", "pdf"], "--format 'pdf': choose csv, xlsx, json or md"),
        ([], "choose --format csv, xlsx, json or md"),
        (["-f", "csv", "--scan", "7"], "no scan 7 in"),
        (["-f", "csv", "--site", "mars"], "no devices at site 'mars'"),
        (["-f", "csv", "--table", "nope"], "--table 'nope': choose one of"),
    ],
)
def test_usage_errors_are_one_line_exit_2(example_db, args, message):
    r = export(example_db, *args)
    assert r.returncode == 2
    assert r.stdout == ""
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_missing_and_empty_inventory(tmp_path):
    r = export(tmp_path / "none.db", "-f", "csv")
    assert r.returncode == 2 and "no such inventory" in r.stderr
    Store.open(tmp_path / "empty.db").close()
    r = export(tmp_path / "empty.db", "-f", "csv")
    assert r.returncode == 2 and "the inventory has no devices yet" in r.stderr


def test_hostile_strings_neutralised_in_csv_and_xlsx(tmp_path, engine):
    db = tmp_path / "inv.db"
    with Store.open(db) as store:
        support.scan(store, engine, support.hostile_hosts())
    r = export(db, "-f", "csv", "--table", "devices")
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout and "\x9b" not in r.stdout and "\u202e" not in r.stdout
    row = next(csv.DictReader(io.StringIO(r.stdout)))
    assert row["model number"] == "'" + support.FORMULA
    assert row["serial"] == "'@SUM(1+1)"
    assert row["brand"] == support.SCRIPT  # harmless in a spreadsheet; escaped in HTML and Markdown
    out = tmp_path / "q.xlsx"
    assert export(db, "-o", str(out)).returncode == 0
    ws = openpyxl.load_workbook(out)["devices"]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [v for v in values if v.startswith(("=", "+", "-", "@"))]
    assert "'" + support.FORMULA in values
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    md = export(db, "-f", "md", "--table", "devices").stdout
    assert "<script>" not in md and "&lt;script&gt;" in md


def test_unwritable_output_is_a_usage_error(example_db, tmp_path):
    for fmt in ("csv", "xlsx"):
        r = export(example_db, "-o", str(tmp_path / "missing-dir" / f"q.{fmt}"))
        assert r.returncode == 2 and "cannot write" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "command",
    [
        ["export", "questionnaire"],
        ["report"],
        ["diff"],
        ["check"],
        ["import-nmap"],
        ["merge"],
        ["datasette-metadata"],
    ],
)
def test_every_command_has_help(command):
    r = run_camscan(*command, "--help")
    assert r.returncode == 0
    assert "Usage:" in r.stdout and len(r.stdout) > 300


def test_every_format_names_the_concerns_register_and_each_concern_status(example_db, tmp_path):
    """Issue 15: an answer given in 2026 says which register (version and date) it relied on."""
    from camscan.identify.knowledge import load_knowledge

    label = load_knowledge().concerns.label  # e.g. "2026.12.1 of 2026-12-04"
    data = json.loads(export(example_db, "--format", "json").stdout)
    assert data["concerns register"] == label and data["notes"]["concerns register"] == label
    ndaa = next(c for c in data["concerns"] if c["id"] == "ndaa-s889")
    assert ndaa["status"] == "in_force" and ndaa["status_as_of"]
    assert f"# concerns register,{label}" in export(example_db, "--format", "csv").stdout
    assert label in export(example_db, "--format", "md").stdout
    out = tmp_path / "q.xlsx"
    assert export(example_db, "--format", "xlsx", "-o", str(out)).returncode == 0
    notes = {row[0]: row[1] for row in openpyxl.load_workbook(out)["notes"].iter_rows(values_only=True)}
    assert notes["concerns register"] == label


def test_an_older_inventory_shows_the_register_version_without_a_date(example_db):
    with Store.open(example_db) as store:  # as written before register 2026.12.1: no concerns_register key
        store.db.execute("DELETE FROM _camscan_meta WHERE key = 'concerns_register'")
    data = json.loads(export(example_db, "--format", "json").stdout)
    assert data["concerns register"].endswith("(date not recorded)")
    assert data["concerns register"].split()[0] == load_version()


def load_version() -> str:
    from camscan.identify.knowledge import load_knowledge

    return load_knowledge().concerns.version
