"""The data version a scan records (`Knowledge.version`, stored as `scans.data_version`) names the knowledge exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

from camscan.identify.knowledge import DEFAULT_DATA_DIR, data_digest, load_knowledge


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return data


def test_version_names_vocabulary_and_digest() -> None:
    kb = load_knowledge()
    assert f"device types {kb.device_types.version if kb.device_types else 'unknown'}," in kb.version
    assert f"data {data_digest(DEFAULT_DATA_DIR)}," in kb.version
    assert len(kb.digest) == 12 and kb.digest == data_digest(DEFAULT_DATA_DIR)


def test_digest_follows_content_not_version_fields(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    before = data_digest(data)
    assert before == data_digest(DEFAULT_DATA_DIR)  # path-independent: relative names and bytes only
    signatures = sorted((data / "signatures").glob("*.yaml"))[0]
    signatures.write_text(signatures.read_text() + "\n# an edit without a version bump\n")
    assert data_digest(data) != before
    (data / "notes.txt").write_text("not data")  # files the loaders never read do not move it
    after = data_digest(data)
    (data / "notes.txt").write_text("still not data")
    assert data_digest(data) == after


def test_digest_covers_a_user_concerns_register(tmp_path: Path) -> None:
    register = tmp_path / "ours.yaml"
    register.write_text("a: 1\n")
    with_register = data_digest(DEFAULT_DATA_DIR, (register,))
    assert with_register != data_digest(DEFAULT_DATA_DIR)
    register.write_text("a: 2\n")
    assert data_digest(DEFAULT_DATA_DIR, (register,)) != with_register
