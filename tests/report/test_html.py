"""`camscan report`: one self-contained HTML file, checked as text and in a real headless Chromium."""

from __future__ import annotations

import re
import shutil

import pytest
from lxml import html as lxml_html

from camscan.model import Identity
from camscan.store import Store
from tests.conftest import run_camscan

from . import support

needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None, reason="needs Debian's chromium package"
)


def report(db, out, *args):
    r = run_camscan("report", "--db", str(db), "-o", str(out), *args)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    return out.read_text(encoding="utf-8")


def hostile_db(tmp_path, engine):
    db = tmp_path / "inv.db"
    with Store.open(db) as store:
        support.scan(store, engine, support.example_hosts())
        sid = support.scan(store, engine, support.hostile_hosts())
        ident = Identity(
            brand='"><img src=x onerror=alert(2)>',
            manufacturer="Hikvision",
            model=support.ANSI,
            firmware="</script><script>alert(3)</script>",
            device_type="camera",
            concerns=["ndaa-s889"],
            evidence=[],
        )
        support.add_raw_device(store, sid, "127.66.0.2", ident, mac="c4:2f:90:66:00:02")
    return db


def test_self_contained_and_complete(two_scan_db, tmp_path):
    page = report(two_scan_db, tmp_path / "r.html")
    doc = lxml_html.fromstring(page)
    # nothing external: no src/href to another resource, no stylesheet links, no @import or url()
    assert not doc.xpath("//*[@src]")
    assert not doc.xpath("//link")
    assert not re.search(r"@import|url\(", page)
    assert all(a.get("href").startswith(("#", "https://", "http://")) for a in doc.xpath("//a[@href]"))
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp
    for anchor in (
        "summary",
        "charts",
        "devices",
        "concern",
        "firmware",
        "clock",
        "changes",
        "unknown",
        "method",
    ):
        assert doc.get_element_by_id(anchor) is not None
    assert len(doc.xpath("//table[@id='device-table']/tbody/tr")) == 13
    assert len(doc.xpath("//svg")) >= 4
    changes = doc.get_element_by_id("changes").text_content()
    assert "1 new" in changes and "1 gone" in changes and "1 firmware changed" in changes
    assert "V5.4.5" in changes and "V5.5.0" in changes


def test_clock_skew_findings(tmp_path, engine):
    db = tmp_path / "inv.db"
    hosts = dict(support.example_hosts())
    with Store.open(db) as store:
        sid = support.scan(store, engine, [])
        for ip, skew in (("127.10.0.1", 3725.0), ("127.10.0.4", 2.0)):
            from camscan.pipeline import ingest_host

            ingest_host(
                store, engine, sid, ip, support.observations(ip, hosts[ip]), site="hq", clock_skew_s=skew
            )
    doc = lxml_html.fromstring(report(db, tmp_path / "r.html"))
    clock = doc.get_element_by_id("clock").text_content()
    assert "1 device of 2 measured is off by more than a minute" in clock
    assert "1.0 hours ahead" in clock


def test_hostile_strings_are_escaped(tmp_path, engine):
    page = report(hostile_db(tmp_path, engine), tmp_path / "r.html")
    doc = lxml_html.fromstring(page)
    assert len(doc.xpath("//script")) == 1  # only the report's own script
    assert not doc.xpath("//img")
    assert not [el for el in doc.iter() if any(k.startswith("on") for k in el.attrib)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x1b" not in page and "\x9b" not in page and "\u202e" not in page
    text = doc.text_content()
    assert "<script>alert(1)</script>" in text  # shown as text
    assert support.FORMULA in text


def test_empty_inventory_is_a_clear_error(tmp_path):
    Store.open(tmp_path / "empty.db").close()
    r = run_camscan("report", "--db", str(tmp_path / "empty.db"), "-o", str(tmp_path / "r.html"))
    assert r.returncode == 2 and "no devices yet" in r.stderr
    assert not (tmp_path / "r.html").exists()


@needs_chromium
@pytest.mark.slow
def test_renders_in_headless_chromium(two_scan_db, tmp_path, artifacts):
    from .chromium import Browser

    out = tmp_path / "report.html"
    report(two_scan_db, out)
    probe = {
        "ready": "document.documentElement.getAttribute('data-ready')",
        "rows": "document.querySelectorAll('#device-table tbody tr').length",
        "bars": "document.querySelectorAll('#charts svg rect').length",
        "chart_width": "document.querySelector('#charts svg.chart').getBoundingClientRect().width",
        "counter": "document.getElementById('device-count').textContent",
        "sorted_desc": """(() => {
            const th = [...document.querySelectorAll('#device-table thead th')].find(t => t.textContent.startsWith('concerns'));
            const b = th.querySelector('button'); b.click(); b.click();
            const col = [...th.parentNode.children].indexOf(th);
            return [...document.querySelectorAll('#device-table tbody tr')].map(r => Number(r.cells[col].getAttribute('data-value')));
        })()""",
        "filtered": """(() => {
            const i = document.querySelector('input[data-filter]');
            i.value = 'Dahua'; i.dispatchEvent(new Event('input'));
            return [...document.querySelectorAll('#device-table tbody tr')].filter(r => !r.hidden).length;
        })()""",
    }
    with Browser() as browser:
        page = browser.open(out.as_uri(), evaluate=probe, screenshot=artifacts / "report.png", height=2000)
    assert page.errors == []
    assert page.requests == [out.as_uri()]  # the page asked for nothing else
    v = page.values
    assert v["ready"] == "1"
    assert v["rows"] == 13
    assert v["bars"] > 10 and v["chart_width"] > 300
    assert v["counter"] == "13 of 13 devices"
    assert v["sorted_desc"] == sorted(v["sorted_desc"], reverse=True) and v["sorted_desc"][0] > 0
    assert v["filtered"] == 2
    assert (artifacts / "report.png").stat().st_size > 20_000


@needs_chromium
@pytest.mark.slow
def test_hostile_report_runs_nothing_in_chromium(tmp_path, engine, artifacts):
    from .chromium import Browser

    out = tmp_path / "hostile.html"
    report(hostile_db(tmp_path, engine), out)
    probe = {
        "scripts": "document.scripts.length",
        "imgs": "document.images.length",
        "brand_text": "[...document.querySelectorAll('#device-table td')].some(td => td.textContent.includes('<script>alert(1)</script>'))",
    }
    with Browser() as browser:
        page = browser.open(out.as_uri(), evaluate=probe, screenshot=artifacts / "report-hostile.png")
    assert page.errors == []  # no alert, no CSP violation, no exception
    assert page.values == {"scripts": 1, "imgs": 0, "brand_text": True}


def test_footer_and_concerns_section_name_the_register_and_statuses(example_db, tmp_path):
    from camscan.identify.knowledge import load_knowledge

    page = report(example_db, tmp_path / "r.html")
    label = load_knowledge().concerns.label
    assert f"concerns register {label}" in page
    assert "status in force (as of " in page
