"""The real-device corpus files (tests/fixtures/real/*.yaml) keep the format of tests/fixtures/real/README.md.

Every case must load as camscan observations, carry the truth fields the README requires, and never reuse a value
that a signature already lists as an `examples:` / `not_examples:` entry (the corpus measures generalisation).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from camscan.model import CAMERA_TYPES, Observation

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
SIGNATURES = ROOT / "vendor_signatures" / "signatures"
CATEGORIES = {
    "camera",
    "nvr",
    "dvr",
    "encoder",
    "vms",
    "intercom",
    "access_control",
    "non_camera",
    "lookalike",
}
CORPUS_FILES = sorted(REAL.glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def _canonical(value: Any) -> str:
    return json.dumps(value.strip() if isinstance(value, str) else value, sort_keys=True)


def _signature_example_values() -> set[str]:
    values: set[str] = set()
    for path in SIGNATURES.glob("*.yaml"):
        for signature in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("signatures") or []:
            for entry in (signature.get("examples") or []) + (signature.get("not_examples") or []):
                value = entry["value"] if isinstance(entry, dict) and "value" in entry else entry
                values.add(_canonical(value))
    return values


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
def test_corpus_file_has_a_source(path: Path) -> None:
    source = _load(path)["source"]
    for key in ("name", "licence", "how"):
        assert source.get(key), f"{path.name}: source.{key} missing"
    assert source.get("repo") or source.get("url"), f"{path.name}: source needs repo or url"
    if source.get("repo"):
        assert len(str(source.get("commit", ""))) == 40, (
            f"{path.name}: a repo source names the 40-hex commit read"
        )


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
def test_corpus_cases_are_well_formed(path: Path) -> None:
    cases = _load(path)["cases"]
    assert cases, f"{path.name}: no cases"
    for case in cases:
        cid = case["id"]
        assert cid == cid.lower() and " " not in cid, cid
        assert case["category"] in CATEGORIES, cid
        assert case.get("where"), cid
        assert isinstance(case.get("verbatim"), bool), cid
        if case["verbatim"] is False:
            assert case.get("notes"), f"{cid}: a composed case says what was composed"
        truth = case["truth"]
        assert truth.get("device_type") and isinstance(truth.get("is_camera"), bool), cid
        assert truth["is_camera"] == (truth["device_type"] in CAMERA_TYPES), (
            f"{cid}: is_camera follows device_type"
        )
        if case["category"] in ("non_camera", "lookalike", "intercom", "access_control", "vms"):
            assert truth["is_camera"] is False, cid
        assert set(case.get("supports", [])) <= set(truth), f"{cid}: supports names a field truth lacks"
        assert case["observations"], cid
        for observation in case["observations"]:
            Observation(kind=observation["kind"], value=observation["value"])  # raises on a bad kind or shape


def test_corpus_ids_are_unique_across_files() -> None:
    seen: dict[str, str] = {}
    for path in CORPUS_FILES:
        for case in _load(path)["cases"]:
            assert case["id"] not in seen, f"{case['id']} in {path.name} and {seen.get(case['id'])}"
            seen[case["id"]] = path.name


def test_corpus_values_are_not_signature_examples() -> None:
    examples = _signature_example_values()
    reused = [
        (path.name, case["id"], observation["kind"])
        for path in CORPUS_FILES
        for case in _load(path)["cases"]
        for observation in case["observations"]
        if _canonical(observation["value"]) in examples
    ]
    assert not reused, f"corpus values that are also signature examples: {reused}"
