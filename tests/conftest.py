from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from camscan.identify.engine import Engine
from camscan.identify.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def fixture_engine() -> Engine:
    """An engine over the small, hand-made data set in tests/fixtures/data."""
    return Engine(load_knowledge(FIXTURES / "data"))


@pytest.fixture(scope="session")
def engine() -> Engine:
    """An engine over the real data in vendor_signatures/."""
    return Engine(load_knowledge())


def run_camscan(
    *args: str,
    input: str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run the real `camscan` console script in a subprocess."""
    exe = Path(sys.executable).parent / "camscan"
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(exe), *args],
        input=input,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
