"""Fixtures shared by the identification tests."""

from __future__ import annotations

import pytest

from camscan.identify.engine import Engine, get_engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    """The engine with the shipped knowledge (test modules that need their own define their own `engine`)."""
    return get_engine()
