"""Firmware risk end to end on the lab (issue 13): a real `camscan scan` of every non-hostile profile, then each
stored device carries the advisories its maker, model and firmware call for (tests/risk/test_match.py says
which), a rebadged unit inherits its manufacturer's, and non-cameras get none. Addresses: 127.140.0.0/16."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from camscan import api
from camscan.lab import Lab
from camscan.testing import cannot_bind_privileged
from tests.risk.test_match import LAB_EXPECTED
from tests.scan.support import credentials_file, scan, target_range

BASE = "127.140.0.1"
OUTSIDE = "127.140.255.1"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    reason = cannot_bind_privileged("127.140.255.254")
    if reason:
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("risk-lab")
    with Lab(profiles=["estate"], base=BASE, outside_host=OUTSIDE, cert_dir=tmp / "certs") as lab:
        creds = credentials_file(lab, tmp / "credentials.yaml")
        db = tmp / "inventory.db"
        result, summary = scan(
            target_range(lab), "--db", str(db), "--credentials", str(creds), "--timeout", "2"
        )
        assert result.returncode == 0, result.stderr
        yield {"lab": lab, "db": db, "summary": summary}


def _stored(db: Path) -> dict[str, dict[str, str]]:
    return {d["ip"]: {a["id"]: a["status"] for a in d["advisories"]} for d in api.devices(db)}


def test_every_lab_device_gets_the_advisories_its_maker_model_and_firmware_call_for(scanned):
    stored = _stored(scanned["db"])
    wrong = {}
    for d in scanned["lab"].devices:
        want = LAB_EXPECTED[d["profile"]]
        got = stored.get(d["ip"], {})
        if got != want:
            wrong[d["profile"]] = (got, want)
    assert not wrong, f"(stored, expected): {wrong}"


def test_the_rebadged_units_inherit_and_say_so(scanned):
    lab = scanned["lab"]
    by_ip = {d["ip"]: d for d in api.devices(scanned["db"])}
    for profile, maker in (("rebadged-hikvision-camera", "Hikvision"), ("rebadged-dahua-lorex", "Dahua")):
        ip = next(d["ip"] for d in lab.devices if d["profile"] == profile)
        advisories = by_ip[ip]["advisories"]
        assert advisories and all(a["inherited"] for a in advisories), profile
        assert all(f"made by {maker}" in a["reason"] for a in advisories), profile


def test_risk_and_check_over_the_scanned_lab(scanned, capsys):
    result = api.risk(scanned["db"])
    rows = [(r.device.ip, r.advisory["id"], r.advisory["status"]) for r in result.rows]
    hik = next(d["ip"] for d in scanned["lab"].devices if d["profile"] == "hikvision-camera")
    assert (hik, "CVE-2021-36260", "affected") == rows[0]
    gate = api.check(["kev", "affected"], db=scanned["db"])
    assert gate.exit_code == 1
    assert hik in {f.device.ip for f in gate.findings}
    doc = json.loads(json.dumps(result.to_dict()))
    assert doc["devices"] == len(api.devices(scanned["db"]))
