from __future__ import annotations

from pathlib import Path

import pytest

from camscan.identify.engine import Engine

from . import support

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def example_db(tmp_path: Path, engine: Engine) -> Path:
    """The recorded example estate (Hikvision, Dahua, Axis, XiongMai, LTS→Hikvision, Lorex→Dahua, …), site hq."""
    return support.example_store(tmp_path / "inventory.db", engine)


@pytest.fixture
def two_scan_db(tmp_path: Path, engine: Engine) -> Path:
    return support.two_scan_store(tmp_path / "inventory.db", engine)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
