from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DEVICES = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "devices"


@pytest.fixture
def shared_devices() -> Path:
    """shared/reference/devices beside the repository; the test is skipped when it is not there."""
    if not SHARED_DEVICES.is_dir():
        pytest.skip("../shared/reference/devices is not available")
    return SHARED_DEVICES
