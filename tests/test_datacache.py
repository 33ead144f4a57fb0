"""The one cache for loaded data (camscan/datacache.py): hits skip parsing and checking, never go stale, and a
cache that cannot be used is ignored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from camscan import datacache, datafile
from camscan.errors import DataError

DOC = "placeholders:\n  - {value: H264, fields: [manufacturer], source: test}\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CAMSCAN_CACHE_DIR", str(folder))
    monkeypatch.delenv("CAMSCAN_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "placeholders.yaml"
    path.write_text(DOC, encoding="utf-8")
    return path


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = datafile._parse

    def counting(text: str, loader: type) -> Any:
        calls.append(1)
        return real(text, loader)

    monkeypatch.setattr(datafile, "_parse", counting)
    return calls


def test_a_second_load_is_a_hit(cache: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parses = _count_parses(monkeypatch)
    first = datafile.load_yaml(data)
    second = datafile.load_yaml(data)
    assert (
        first == second == {"placeholders": [{"value": "H264", "fields": ["manufacturer"], "source": "test"}]}
    )
    assert len(parses) == 1
    assert len(list((cache / "data").glob("*.json"))) == 1


def test_an_edited_file_is_a_miss(cache: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parses = _count_parses(monkeypatch)
    datafile.load_yaml(data)
    data.write_text(DOC.replace("H264", "IPC"), encoding="utf-8")
    assert datafile.load_yaml(data)["placeholders"][0]["value"] == "IPC"
    assert len(parses) == 2


def test_the_key_covers_content_schema_and_version(monkeypatch: pytest.MonkeyPatch) -> None:
    base = datacache.key(b"x", "s1")
    assert datacache.key(b"y", "s1") != base
    assert datacache.key(b"x", "s2") != base
    monkeypatch.setattr(datacache, "__version__", "9.9.9")
    assert datacache.key(b"x", "s1") != base


def test_invalid_data_is_never_cached(cache: Path, data: Path) -> None:
    data.write_text(DOC.replace("fields: [manufacturer]", "fields: []"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DataError, match=r"placeholder #1: needs 'fields'"):
            datafile.load_yaml(data)
    assert not list(cache.glob("data/*.json"))


def test_no_cache_env_turns_it_off(cache: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMSCAN_NO_CACHE", "1")
    parses = _count_parses(monkeypatch)
    datafile.load_yaml(data)
    datafile.load_yaml(data)
    assert len(parses) == 2
    assert not cache.exists()


def test_an_unusable_cache_directory_is_ignored(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("CAMSCAN_CACHE_DIR", str(blocker / "cache"))  # cannot be created, even by root
    monkeypatch.delenv("CAMSCAN_NO_CACHE", raising=False)
    assert datafile.load_yaml(data)["placeholders"][0]["value"] == "H264"


@pytest.mark.parametrize(
    "garbage", [b"", b"{truncated", b"\xff\xfe", b"[1, 2]", b'{"key": "other", "doc": 1}']
)
def test_a_corrupt_entry_is_reloaded(
    cache: Path, data: Path, monkeypatch: pytest.MonkeyPatch, garbage: bytes
) -> None:
    datafile.load_yaml(data)
    (entry,) = (cache / "data").glob("*.json")
    entry.write_bytes(garbage)
    parses = _count_parses(monkeypatch)
    loaded = datafile.load_yaml(data)
    assert loaded["placeholders"][0]["value"] == "H264"
    assert len(parses) == 1
    assert datafile.load_yaml(data) == loaded  # rewritten


def test_documents_that_are_not_plain_json_are_not_cached(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "nothing_known.yaml"
    path.write_text("80: http\n")
    assert datafile.load_yaml(path) == {80: "http"}
    assert datafile.load_yaml(path) == {80: "http"}  # not {"80": ...} from a JSON entry
    assert not list(cache.glob("data/*.json"))


def test_old_entries_are_pruned(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datacache, "MAX_ENTRIES", 3)
    for n in range(6):
        path = tmp_path / f"f{n}.yaml"
        path.write_text(f"n: {n}\n")
        datafile.load_yaml(path)
    assert len(list((cache / "data").glob("*.json"))) == 3
