"""The data shipped in vendor_signatures/: every signature's self-test, and what the issue promises."""

from __future__ import annotations

import json
import re

import pytest

from camscan.identify.knowledge import load_knowledge
from camscan.identify.selftest import check_signature
from tests.conftest import ROOT, SHARED, run_camscan

KB = load_knowledge()


@pytest.mark.parametrize("sig", list(KB.signatures), ids=lambda s: s.id)
def test_signature_examples(sig):
    failures = check_signature(sig, KB)
    assert not failures, "\n".join(map(str, failures))


def test_every_observation_family_has_signatures():
    kinds = {s.kind for s in KB.signatures}
    for kind in (
        "http_server",
        "http_www_authenticate",
        "html_title",
        "http_path",
        "rtsp_server",
        "sdp",
        "onvif_scopes",
        "onvif_device_info",
        "upnp_server",
        "upnp_device",
        "tls_subject",
        "ftp_banner",
        "telnet_banner",
        "snmp_sysdescr",
        "mac",
        "dhcp_vendor_class",
        "mdns",
        "vendor_discovery",
    ):
        assert kind in kinds, kind


def test_every_signature_has_source_and_examples():
    for sig in KB.signatures:
        assert sig.source.strip() and sig.examples, sig.id


def test_app_webs_is_a_hikvision_camera_with_its_concerns():
    result = run_camscan("identify", input='{"kind":"http_server","value":"App-webs/"}\n')
    assert result.returncode == 0, result.stderr
    ident = json.loads(result.stdout)
    assert ident["manufacturer"] == "Hikvision"
    assert ident["device_type"] == "camera" and ident["is_camera"] is True
    assert {"ndaa-s889", "fac-xinjiang-primary-camera-tech"} <= set(ident["concerns"])
    assert ident["evidence"][0]["signature"]


EXPECTED_EXAMPLES = {
    "127.10.0.1": ("Hikvision", "Hikvision", "DS-2CD2032-I", "V5.4.5", True),
    # brand: the NVR's factory certificate states O=HIKVISION (generic.tls_subject.organisation)
    "127.10.0.2": ("Hikvision", "Hikvision", "DS-7608NI-K2", "V4.22.005", True),
    "127.10.0.3": ("Dahua", "Dahua", "IPC-HDW1230S", "2.800.0000000.13.R", True),
    "127.10.0.4": ("Axis", "Axis", "P1346", "5.50beta3", True),
    "127.10.0.5": (None, "XiongMai", "XM530_50X50-WG_8M", None, True),
    "127.10.0.6": ("LTS", "Hikvision", "CMIP3042W-28M", "V5.5.0", True),
    "127.10.0.7": ("Lorex", "Dahua", "LNB4321B", "2.420.LX01.0.R", True),
    "127.10.0.8": ("D-Link", None, "DCS-930L", None, True),
    "127.10.0.10": ("HP", "HP", None, None, False),
    "127.10.0.11": (None, None, None, None, False),
    "127.10.0.12": (None, None, None, None, False),
}


def test_recorded_example_hosts_identify_as_their_real_devices():
    lines = (ROOT / "camscan" / "data" / "example_hosts.jsonl").read_text().splitlines()
    result = run_camscan("identify", input="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    got = {
        json.loads(line)["host"]: ident
        for line, ident in zip(lines, map(json.loads, result.stdout.splitlines()), strict=True)
    }
    for host, (brand, maker, model, firmware, camera) in EXPECTED_EXAMPLES.items():
        ident = got[host]
        assert ident["brand"] == brand, (host, ident["brand"])
        if maker is not None:
            assert ident["manufacturer"] == maker, (host, ident["manufacturer"])
        if model is not None:
            assert ident["model"] == model, (host, ident["model"])
        if firmware is not None:
            assert ident["firmware"] == firmware, (host, ident["firmware"])
        assert ident["is_camera"] is camera, (host, ident["device_type"])


def test_rebadged_examples_keep_brand_and_carry_makers_concerns():
    lines = (ROOT / "camscan" / "data" / "example_hosts.jsonl").read_text().splitlines()
    rebadged = [line for line in lines if '"127.10.0.6"' in line or '"127.10.0.7"' in line]
    result = run_camscan("identify", input="\n".join(rebadged) + "\n")
    lts, lorex = map(json.loads, result.stdout.splitlines())
    assert "ndaa-s889" in lts["concerns"] and "ndaa-s889" in lorex["concerns"]
    assert lts["brand"] != lts["manufacturer"]


def test_lookalikes_are_not_camera_makers():
    for name in ("Apache Axis", "AVTECH Software", "Shanghai Dahua Scale Factory"):
        vendor = KB.vendors.vendors[name]
        assert vendor.role == "lookalike" and not vendor.camera_vendor
    assert KB.vendors.lookup_mac("40:2c:76:10:00:01") == "Shanghai Dahua Scale Factory"
    assert KB.vendors.lookup_mac("00:1f:54:00:00:01") == "Lorex"


def test_both_dahua_spellings_resolve():
    assert KB.vendors.resolve("ZHEJIANG DAHUA TECHNOLOGYCO.,LTD") == "Dahua"
    assert KB.vendors.resolve("Zhejiang Dahua Technology Co., Ltd.") == "Dahua"
    assert KB.vendors.resolve("Dahua Technology Company") == "Dahua"


def test_subsidiaries_inherit_listings_that_cover_them():
    ezviz = {c.id for c in KB.concerns.links("EZVIZ", KB.vendors) if c.confidence != "uncertain"}
    assert "ndaa-s889" in ezviz
    assert "fac-xinjiang-primary-camera-tech" not in ezviz  # the FAC report names Hikvision only
    lorex = {c.id for c in KB.concerns.links("Lorex", KB.vendors)}
    assert "ndaa-s889" not in lorex  # Dahua sold Lorex in November 2022


def seed_concern_ids() -> list[str]:
    text = (SHARED / "reference" / "concerns" / "seed_concerns.md").read_text().split("## B.")[0]
    ids: list[str] = []
    for line in text.splitlines():
        m = re.match(r"\| ([a-z0-9-]+) ", line)
        if m and m.group(1) not in ids and m.group(1) != "id":
            ids.append(m.group(1))
    return ids


@pytest.mark.skipif(not (SHARED / "reference").is_dir(), reason="../shared/reference not present")
def test_concerns_hikvision_shows_every_seed_concern_with_seed_and_quote():
    ids = seed_concern_ids()
    assert len(ids) >= 30
    result = run_camscan("concerns", "Hikvision", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    shown = {c["id"]: c for c in report["concerns"] + report["context"]}
    for cid in ids:
        assert cid in shown, cid
        seeds = [s for s in shown[cid]["sources"] if s.get("seed")]
        assert seeds and all(s.get("quote") for s in seeds), cid
        for s in seeds:
            seed_text = (SHARED / "seeds" / s["seed"]).read_text()
            norm = lambda t: re.sub(r"\s+", " ", t.replace("’", "'").replace("“", '"').replace("”", '"'))  # noqa: E731
            assert norm(s["quote"]).strip(' "') in norm(seed_text), (cid, s["quote"])
    human = run_camscan("concerns", "Hikvision")
    assert "001_0fa5927055539445.txt" in human.stdout and "primary camera technology" in human.stdout


def test_public_list_concerns_are_present_and_sourced():
    for cid in (
        "ndaa-s889",
        "fcc-covered-list",
        "fcc-22-84",
        "entity-list-2019-10",
        "ns-cmic-eo14032",
        "uk-wms-2022-11-24",
        "uk-dhsc-ban-april-2022",
        "fac-xinjiang-primary-camera-tech",
    ):
        concern = KB.concerns.concerns[cid]
        assert concern.sources and concern.date and concern.authority, cid
    assert KB.concerns.concerns["ndaa-s889"].includes_subsidiaries
    wms = KB.concerns.concerns["uk-wms-2022-11-24"]
    assert wms.applies_to == []  # the statement names no company
