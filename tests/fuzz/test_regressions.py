"""Every input the fuzzer ever found crashing a parser is replayed here; it must now be handled."""

from __future__ import annotations

from pathlib import Path

import pytest

from camscan.fuzz_targets import TARGETS, run

FINDINGS = Path(__file__).resolve().parents[2] / "fuzz" / "findings"
CASES = sorted(p for p in FINDINGS.glob("*/*") if p.is_file()) if FINDINGS.is_dir() else []


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_finding_is_fixed(path):
    run(path.parent.name, path.read_bytes())


def test_findings_folders_name_targets():
    for folder in FINDINGS.glob("*") if FINDINGS.is_dir() else []:
        assert folder.name in TARGETS


def test_the_seed_count_in_the_docs_is_the_tree():
    """docs/reliability.md states how many seed files there are; it must match fuzz/seeds/."""
    import re

    root = Path(__file__).resolve().parents[2]
    text = (root / "docs" / "reliability.md").read_text(encoding="utf-8")
    stated = re.search(r"`fuzz/seeds/`, (\d+) files", text)
    assert stated is not None
    seeds = [p for p in (root / "fuzz" / "seeds").rglob("*") if p.is_file()]
    assert int(stated.group(1)) == len(seeds)
