"""What firmware-advisory matching (issue 13) adds to identification: bench_identify's hosts through the engine
with and without matching, alternated so that the shared machine's load falls on both alike; the median of the
rounds is reported. Target (docs/benchmarks.md): under 5 % of bench_identify's time.

    .venv/bin/python bench/bench_risk.py [--hosts 10000] [--rounds 5] [--unique]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_identify import build_hosts

from camscan.identify.engine import Engine
from camscan.identify.knowledge import load_knowledge
from camscan.risk.match import Subject, match


def timed(engine: Engine, hosts: list[Any], advisories: bool) -> float:
    engine.signatures._cached.cache_clear()
    original = Engine._attach_advisories
    if not advisories:
        Engine._attach_advisories = lambda self, ident: None  # type: ignore[method-assign]
    try:
        t0 = time.perf_counter()
        for obs in hosts:
            engine.identify(obs)
        return time.perf_counter() - t0
    finally:
        Engine._attach_advisories = original  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--unique", action="store_true", help="every string value unique (no memo hits)")
    args = parser.parse_args()
    engine = Engine(load_knowledge())
    hosts = build_hosts(args.hosts, unique_strings=args.unique)
    timed(engine, hosts[:500], True)  # warm up
    without, with_ = [], []
    for _ in range(args.rounds):
        without.append(timed(engine, hosts, False))
        with_.append(timed(engine, hosts, True))
    idents = [engine.identify(obs) for obs in hosts]
    matched = sum(1 for i in idents if i.advisories)
    # The matcher alone, on the identities the engine produced (what it costs per host, without the engine).
    subjects = [Subject.of(i) for i in idents]
    engine.knowledge.advisories.memo.clear()  # the matcher from cold: each distinct device matched once
    t0 = time.perf_counter()
    for s in subjects:
        match(engine.knowledge.advisories, s)
    alone = time.perf_counter() - t0
    base, risk = statistics.median(without), statistics.median(with_)
    print(
        json.dumps(
            {
                "hosts": len(hosts),
                "unique_strings": args.unique,
                "hosts_with_advisories": matched,
                "advisories": len(engine.knowledge.advisories),
                "rounds": args.rounds,
                "without_matching_s": round(base, 3),
                "with_matching_s": round(risk, 3),
                "overhead_pct": round(100 * (risk - base) / base, 2),
                "matcher_alone_s": round(alone, 3),
                "matcher_alone_pct_of_identify": round(100 * alone / base, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
