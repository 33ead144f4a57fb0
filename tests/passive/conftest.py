from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from camscan.identify.engine import Engine
from camscan.passive.pcap_import import PcapResult, import_pcaps
from camscan.store import Store

PCAPS = Path(__file__).resolve().parents[1] / "fixtures" / "pcaps"
#: shared/ beside the repository (reference captures); tests that need it skip when it is not there.
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "inventory.db") as s:
        yield s


@pytest.fixture
def run_pcap(store: Store, engine: Engine) -> Callable[..., PcapResult]:
    """Import captures into a fresh inventory; returns the PcapResult (devices as `devices --json`)."""

    def run(*paths: Path, **options: Any) -> PcapResult:
        return import_pcaps(store, engine, list(paths), **options)

    return run


def by_ip(result: PcapResult) -> dict[str, dict[str, Any]]:
    return {d["ip"]: d for d in result.devices if d["ip"]}


def observations(store: Store, ip: str, kind: str) -> list[Any]:
    import json

    rows = store.db.execute("SELECT value FROM observations WHERE ip = ? AND kind = ?", [ip, kind]).fetchall()
    out = []
    for (value,) in rows:
        try:
            out.append(json.loads(value) if value[:1] in "{[" else value)
        except ValueError:
            out.append(value)
    return out
