"""The real-device corpus (tests/fixtures/real, issue 11) keeps the format its README fixes.

Checked for every case of every source file: the source block names where it came from; each case has an id
unique across the corpus, a known category, observations camscan itself would accept, a truth that states
device_type and a matching is_camera, `supports` naming only truth fields, and no observation value that is
also a signature's `examples:` value (the corpus measures generalisation, so it must not reuse them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from camscan.identify.knowledge import load_knowledge
from camscan.model import CAMERA_TYPES, Observation

CORPUS = Path(__file__).parent / "fixtures" / "real"
CATEGORIES = {"camera", "nvr", "dvr", "encoder", "vms", "intercom", "non_camera", "lookalike"}
CASE_KEYS = {"id", "category", "where", "observations", "truth", "supports", "verbatim"}
SOURCE_FILES = sorted(CORPUS.glob("*.yaml"))


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def all_cases() -> list[tuple[str, dict[str, Any]]]:
    return [(path.name, case) for path in SOURCE_FILES for case in load(path).get("cases") or []]


def test_the_corpus_has_source_files():
    assert SOURCE_FILES, "tests/fixtures/real holds no source files"


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda p: p.name)
def test_source_block_says_where_values_came_from(path: Path):
    source = load(path).get("source")
    assert isinstance(source, dict), f"{path.name}: no source block"
    for key in ("name", "licence", "how"):
        assert source.get(key), f"{path.name}: source.{key} missing"
    assert source.get("repo") or source.get("url"), f"{path.name}: source needs a repo or a url"
    if source.get("repo"):
        assert source.get("commit"), f"{path.name}: a repository source names the commit read"
    assert load(path).get("cases"), f"{path.name}: no cases"


@pytest.mark.parametrize(("name", "case"), all_cases(), ids=lambda v: v if isinstance(v, str) else v["id"])
def test_case_format(name: str, case: dict[str, Any]):
    missing = CASE_KEYS - set(case)
    assert not missing, f"{name}: {case.get('id')} lacks {sorted(missing)}"
    assert case["id"] == case["id"].lower() and " " not in case["id"]
    assert case["category"] in CATEGORIES
    truth = case["truth"]
    assert "device_type" in truth and "is_camera" in truth, f"{case['id']}: truth states device_type and is_camera"
    assert truth["is_camera"] == (truth["device_type"] in CAMERA_TYPES), f"{case['id']}: is_camera disagrees"
    assert set(case["supports"]) <= set(truth), f"{case['id']}: supports names a field the truth lacks"
    assert case["observations"], f"{case['id']}: no observations"
    for observation in case["observations"]:
        Observation.from_dict(observation)  # raises on an unknown kind or a wrongly shaped value


def test_case_ids_are_unique_across_the_corpus():
    seen: dict[str, str] = {}
    for name, case in all_cases():
        assert case["id"] not in seen, f"{case['id']} in both {seen.get(case['id'])} and {name}"
        seen[case["id"]] = name


def test_no_observation_reuses_a_signature_example():
    examples = {
        json.dumps(example.get("value"), sort_keys=True)
        for sig in load_knowledge().signatures
        for example in sig.examples
        if isinstance(example, dict)
    }
    reused = [
        (name, case["id"], observation["kind"])
        for name, case in all_cases()
        for observation in case["observations"]
        if json.dumps(observation["value"], sort_keys=True) in examples
    ]
    assert not reused, f"observation values that are signature examples: {reused}"
