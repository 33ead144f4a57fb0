"""bench/bench_transfer.py: the before/after comparison a learning round is judged by counts what moved, per split,
and names no case."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from types import ModuleType

import pytest

from ..conftest import ROOT


@pytest.fixture(scope="module")
def transfer() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "camscan_bench_transfer", ROOT / "bench" / "bench_transfer.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_changes_count_gained_lost_and_changed_per_split(transfer):
    # invented misses: "a" gained its model, "b" lost its firmware, "c" answers differently with the same miss
    base = {
        "misses": [
            {"id": "a", "missed": ["model"], "got": {"model": None}},
            {"id": "c", "missed": ["model"], "got": {"model": "X"}},
        ]
    }
    now = {
        "misses": [
            {"id": "b", "missed": ["firmware"], "got": {"firmware": None}},
            {"id": "c", "missed": ["model"], "got": {"model": "Y"}},
        ]
    }
    moved = transfer.changes(base, now, {"a": "dev", "b": "held_out", "c": "held_out"})
    assert moved == {
        "dev": {"gained": 1, "lost": 0, "changed": 1},
        "held_out": {"gained": 0, "lost": 1, "changed": 2},
    }


def test_the_report_names_no_case(transfer):
    data = {
        "by_split": {"held_out": {"model": {"right": 1, "total": 2}}},
        "misses": [{"id": "secret-case", "missed": ["model"], "got": {}}],
        "false_cameras": ["secret-case"],
        "wrong_makers": {"count": 0},
    }
    text = transfer.report(data, {**data, "misses": []}, {"secret-case": "held_out"}, "base", markdown=False)
    assert "secret-case" not in text
    assert "1/2 → 1/2" in text and "1 fields gained" in text and "non-cameras called cameras: 1 → 1" in text


def test_an_unknown_revision_is_a_clear_error():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_transfer.py"), "--base", "no-such-revision-here"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "cannot extract 'no-such-revision-here'" in result.stderr and "Traceback" not in result.stderr
