"""Data files and their JSON Schemas (camscan/datafile.py, vendor_signatures/schema/)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from camscan import datafile
from camscan.concerns import STATUSES
from camscan.errors import DataError
from camscan.identify.knowledge import DEFAULT_DATA_DIR, load_knowledge
from tests.conftest import FIXTURES

SCHEMAS = sorted(datafile.schema_dir().glob("*.schema.json"))
DATA_FILES = sorted(p for p in DEFAULT_DATA_DIR.rglob("*.yaml") if "schema" not in p.parts)


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMSCAN_NO_CACHE", "1")  # every load here really validates


def test_every_shipped_data_file_has_a_schema() -> None:
    assert len(DATA_FILES) >= 10
    missing = [
        str(p.relative_to(DEFAULT_DATA_DIR))
        for p in DATA_FILES
        if not datafile.schema_path(datafile.schema_name(p)).is_file()
    ]
    assert not missing, f"data files without vendor_signatures/schema/<name>.schema.json: {missing}"


def test_every_schema_is_a_documented_draft_2020_12_schema() -> None:
    assert SCHEMAS
    for path in SCHEMAS:
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", path.name
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema.get("title") and len(schema.get("description", "")) > 80, (
            f"{path.name} documents its format"
        )
        used = {datafile.schema_name(p) for p in DATA_FILES}
        assert path.name.removesuffix(".schema.json") in used, f"{path.name} is no data file's schema"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(DEFAULT_DATA_DIR)))
def test_shipped_data_passes_its_schema(path: Path) -> None:
    datafile.load_yaml(path)


def test_fixture_data_passes_the_schemas() -> None:
    assert len(load_knowledge(FIXTURES / "data").signatures) > 5


def test_a_signature_file_follows_the_shared_schema() -> None:
    assert datafile.schema_name(Path("x/signatures/http.yaml")) == "signatures"
    assert datafile.schema_name(Path("x/vendors.yaml")) == "vendors"


def test_lists_the_code_owns_are_not_copied_into_schemas() -> None:
    """Observation kinds, identity fields and tiers are defined once, in code (the loaders check them)."""
    text = "".join(p.read_text(encoding="utf-8") for p in SCHEMAS)
    assert '"vendor_discovery"' not in text and '"firmware_build"' not in text and '"device_info"' not in text
    concern = datafile.load_json_schema("concerns")["$defs"]["concern"]["properties"]
    assert tuple(concern["status"]["enum"]) == STATUSES  # the concerns code keeps STATUSES for its messages


def test_a_file_without_a_schema_loads_unchecked(tmp_path: Path) -> None:
    path = tmp_path / "nothing_known.yaml"
    path.write_text("anything: [1, 2]\n")
    assert datafile.load_yaml(path) == {"anything": [1, 2]}


def test_yaml_dates_stay_strings(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("when: 2024-05-01\n")
    assert datafile.load_yaml(path) == {"when": "2024-05-01"}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", dest)
    return dest


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "vendors.yaml",
            "confidence: documented",
            "confidence: sure",
            r"vendors\.yaml: vendor '\w+': parent\.confidence: a relationship needs confidence in",
        ),
        (
            "vendors.yaml",
            "camera_vendor: true",
            "camera_vendor: true\n    colour: red",
            r"vendor '\w+': unknown field\(s\): colour",
        ),
        (
            "vendors.yaml",
            "role: manufacturer",
            "role: maker",
            r"vendor '\w+': role 'maker' is not one of manufacturer",
        ),
        (
            "concerns.yaml",
            "category: procurement_restriction",
            "category: gossip",
            r"concern 'ndaa-s889': category 'gossip' is not one of",
        ),
        (
            "concerns.yaml",
            "concerns:",
            "concerns: {}\nold:",
            r"concerns\.yaml: expected a mapping with a 'concerns' list",
        ),
        (
            "signatures/http.yaml",
            "weight: 0.85",
            "weight: high",
            r"http\.yaml: signature '[\w.]+': 'weight' must be a number",
        ),
    ],
)
def test_schema_errors_name_file_entry_and_path(
    data: Path, file: str, old: str, new: str, expected: str
) -> None:
    _edit(data / file, old, new)
    with pytest.raises(DataError, match=expected):
        load_knowledge(data)


def test_an_example_problem_names_its_path(tmp_path: Path) -> None:
    path = tmp_path / "signatures" / "x.yaml"
    path.parent.mkdir()
    path.write_text(
        "signatures:\n  - {id: a.b, kind: http_server, pattern: x, asserts: {model: X}, weight: 0.5, source: s,\n"
        "     examples: [{value: x, expect: {model: [1, 2]}}]}\n"
    )
    with pytest.raises(
        DataError, match=r"x\.yaml: signature 'a\.b': examples\[0\]\.expect\.model: \[1, 2\] is not of type"
    ):
        datafile.load_yaml(path)


def test_a_users_concerns_register_follows_the_concerns_schema(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("concerns:\n  - {id: x, title: t, date: '2025', authority: a, jurisdiction: UK, category: nope,"
                    " summary: s, sources: [{document: d}]}\n")  # fmt: skip
    assert datafile.load_yaml(path) is not None  # no schema named "policy": loads unchecked
    with pytest.raises(DataError, match="category 'nope' is not one of"):
        datafile.load_yaml(path, "concerns")
