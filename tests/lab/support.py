"""Shared helpers for the lab tests (no fixtures here)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from camscan.lab import Lab

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"
#: Each test run takes its own 127.N.0.0/16 so two runs (or a demo lab on 127.77.0.0) never collide.
OCTET = 100 + os.getpid() % 150


def base(block: int) -> str:
    """The first address of block `block` (0-255) of this run's loopback range."""
    return f"127.{OCTET}.{block}.1"


ESTATE_BASE = base(0)
ESTATE_OUTSIDE = f"127.254.{OCTET}.1"


def device(lab: Lab, profile: str) -> dict[str, Any]:
    """The first device of a profile."""
    return next(d for d in lab.devices if d["profile"] == profile)


def wait_for(predicate: Any, timeout: float = 10.0, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def is_root() -> bool:
    return os.geteuid() == 0
