"""docs/api.md and the docstrings of camscan/api.py are tested: every `>>>` example runs, in a fresh directory."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import camscan.api

ROOT = Path(__file__).resolve().parents[1]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def test_docs_api_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("not a capture\n", encoding="utf-8")
    result = doctest.testfile(
        str(ROOT / "docs" / "api.md"),
        module_relative=False,
        globs={"FIXTURES": ROOT / "tests" / "fixtures"},
        optionflags=FLAGS,
        raise_on_error=False,
        verbose=False,
    )
    assert result.attempted > 20
    assert result.failed == 0


def test_api_docstrings() -> None:
    result = doctest.testmod(camscan.api, optionflags=FLAGS, raise_on_error=False)
    assert result.attempted >= 3
    assert result.failed == 0


def test_every_command_is_documented_in_the_api() -> None:
    """Each CONTRACT command that reads or fills an inventory has its function, named in docs/api.md."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    functions = [n for n in camscan.api.__all__ if callable(getattr(camscan.api, n)) and not n[0].isupper()]
    assert len(functions) >= 12
    for name in functions:
        assert f"{name}(" in text, name
