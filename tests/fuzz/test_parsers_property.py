"""Property tests: every parser of device or capture data, fed arbitrary and mutated bytes, either answers or
raises ParseError — never anything else (camscan/fuzz_targets.py). Seeds are the real fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from camscan.fuzz_targets import TARGETS, run
from camscan.parse.framing import MessageReader
from tests.conftest import FIXTURES

SEEDS_DIR = Path(__file__).resolve().parents[2] / "fuzz" / "seeds"


def seeds_for(name: str) -> list[bytes]:
    folder = SEEDS_DIR / name
    return [p.read_bytes() for p in sorted(folder.glob("*"))] if folder.is_dir() else []


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A real seed with random bytes flipped, cut, duplicated or inserted — or plain random bytes."""
    if not seeds or draw(st.integers(0, 4)) == 0:
        return draw(st.binary(max_size=2048))
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.integers(0, 3))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == 0 and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == 1:
            del data[pos:]
        elif op == 2:
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        else:
            data[pos:pos] = data[pos : pos + draw(st.integers(1, 128))]
    return bytes(data)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_parser_never_raises_unexpected(name):
    seeds = seeds_for(name)

    @settings(
        max_examples=150 if name == "pcap" else 400,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutated(seeds))
    def check(data: bytes) -> None:
        run(name, data)

    check()


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_seeds_exist_and_parse(name):
    """Every target has real seeds, and the seeds themselves are accepted (not merely rejected)."""
    seeds = seeds_for(name)
    assert seeds, f"no seeds in fuzz/seeds/{name}"
    accepted = 0
    for data in seeds:
        try:
            TARGETS[name](data)
            accepted += 1
        except Exception:
            continue
    assert accepted, f"no seed of {name} is accepted by its parser"


def test_fixture_captures_are_seeds():
    """The pcap seeds are the edge-case captures (re-run fuzz/make_seeds.py when they change)."""
    seeds = set(seeds_for("pcap"))
    fixtures = {p.read_bytes() for p in (FIXTURES / "pcaps").glob("*.pcap") if not p.name.startswith("lab_")}
    assert fixtures and fixtures <= seeds


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.sampled_from(seeds_for("http")[:8] or [b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"]),
       st.lists(st.integers(1, 64), max_size=20))  # fmt: skip
def test_framing_does_not_depend_on_how_the_bytes_were_split(seed: bytes, sizes: list[int]) -> None:
    whole = MessageReader(responses=True).feed(seed)
    reader, pos, pieces = MessageReader(responses=True), 0, []
    for size in [*sizes, len(seed)]:
        pieces += reader.feed(seed[pos : pos + size])
        pos += size
    assert [m.body for m in pieces] == [m.body for m in whole]
