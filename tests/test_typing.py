"""The static type check: mypy over camscan/, bench/, fuzz/ and tests/ with pyproject.toml's `[tool.mypy]` settings,
so that "typed" is checked on every run of the suite (CI's `bash setup.sh test` included). camscan/, bench/ and
fuzz/ are checked under `strict`; tests/ under strict less the demands for annotations (a `tests.*` override:
unannotated test functions are allowed, their bodies are checked). docs/development.md says what is configured
and why.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def test_camscan_type_checks() -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (requirements/lock.txt has it: bash setup.sh install)")
    # No file names: what to check (`files = ["camscan", "bench", "tests", "fuzz"]`) and every setting come from
    # the config, so this test, a developer's `python -m mypy` and CI check the same thing. mypy keeps its
    # incremental cache in .mypy_cache/ (git-ignored): about 15 s cold, under a second warm.
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    report = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, f"mypy (python -m mypy, settings in pyproject.toml) says:\n{report}"
