"""Findings (sans-io `(kind, value)` pairs from `camscan.parse`) into Observations, and failures as data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from camscan.model import Observation
from camscan.parse.base import Finding


def observations(findings: Iterable[Finding], host: str, port: int | None, source: str) -> list[Observation]:
    return [Observation(kind, value, host=host, port=port, source=source) for kind, value in findings]


def failure(
    kind: str, host: str, port: int | None, source: str, error: str, *, value: Any = ""
) -> Observation:
    """A probe that failed is recorded as data: an observation whose `error` says what went wrong."""
    return Observation(kind, value, host=host, port=port, source=source, error=error[:200])
