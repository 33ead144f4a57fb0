from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from camscan.identify.engine import Engine
from camscan.identify.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"


_OWN_CACHE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """The data cache (camscan/datacache.py) of a test run is its own, never the user's ~/.cache/camscan."""
    if "CAMSCAN_CACHE_DIR" not in os.environ:
        os.environ["CAMSCAN_CACHE_DIR"] = tempfile.mkdtemp(prefix="camscan-test-cache-")
        _OWN_CACHE.append(os.environ["CAMSCAN_CACHE_DIR"])


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _OWN_CACHE:
        shutil.rmtree(folder, ignore_errors=True)


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


_PATH = re.compile(r"(?<![\w.])(?:/|\.\./)[^\s:,;()'\"]*")


def _short_path(match: re.Match[str]) -> str:
    """A path in a skip reason, relative to the clone and cut after a few parts (`-ra` lists it whole), so that
    skips for many files of one missing folder count as one reason."""
    path = match.group(0).replace(f"{ROOT}/", "")
    parts = path.split("/")
    keep = 4 if path.startswith("/") else 3
    return "/".join(parts[:keep]) + ("/…" if len(parts) > keep else "")


def skip_summary(reports: list[pytest.TestReport]) -> str:
    """One line: how many tests were skipped and why, most frequent reason first."""
    reasons: dict[str, int] = {}
    for report in reports:
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reason = _PATH.sub(_short_path, reason.removeprefix("Skipped: ").strip()) or "no reason given"
        reasons[reason] = reasons.get(reason, 0) + 1
    ranked = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    detail = "; ".join(f"{reason}: {count}" for reason, count in ranked)
    return f"skipped: {len(reports)}" + (f" ({detail})" if detail else "")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say in one line what was skipped and why, so that a skipped suite cannot pass for a passed one."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if isinstance(r, pytest.TestReport)]
    if skipped or terminalreporter.stats.get("passed") or terminalreporter.stats.get("failed"):
        terminalreporter.write_line(skip_summary(skipped))
