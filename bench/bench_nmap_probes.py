"""nmap's service-probe database: loading, indexing and matching, prefiltered against every line tried in turn.

Loads the installed nmap's `nmap-service-probes` (or $CAMSCAN_NMAP_SERVICE_PROBES) in fresh processes with the
data cache off, cold and warm; then, in this process, times indexing the probes camscan uses (`warm`) and
compiling every line of them (what camscan did before the prefilters), and matches the responses the engine
builds for bench_identify's hosts (every string unique, so no memo hits) both ways, checking they agree.

    .venv/bin/python bench/bench_nmap_probes.py [--hosts 2000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_identify import build_hosts

from camscan.identify import nmap_probes
from camscan.identify.engine import Engine
from camscan.identify.knowledge import load_knowledge

PROBE = """
import json, time
t0 = time.perf_counter()
from camscan.identify import nmap_probes
db = nmap_probes.database()
t1 = time.perf_counter()
nmap_probes.warm()
t2 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "warm_s": t2 - t1}))
"""


def fresh(env: dict[str, str], runs: int) -> dict[str, float]:
    got = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return {k: round(statistics.median(g[k] for g in got), 3) for k in got[0]}


def responses(count: int) -> list[tuple[str, str]]:
    """The (kind, response) pairs the engine asks the database about for bench_identify's unique-string hosts."""
    seen: dict[tuple[str, str], None] = {}
    original = nmap_probes.ProbeDatabase.match

    def record(self: nmap_probes.ProbeDatabase, kind: str, response: str) -> nmap_probes.Hit | None:
        seen[(kind, response)] = None
        return original(self, kind, response)

    nmap_probes.ProbeDatabase.match = record  # type: ignore[method-assign]
    try:
        engine = Engine(load_knowledge())
        for observations in build_hosts(count, unique_strings=True):
            engine.identify(observations)
    finally:
        nmap_probes.ProbeDatabase.match = original  # type: ignore[method-assign]
    return list(seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if nmap_probes.locate() is None:
        sys.exit("nmap-service-probes not found (install nmap or set $CAMSCAN_NMAP_SERVICE_PROBES)")
    base = {k: v for k, v in os.environ.items() if k not in ("CAMSCAN_NO_CACHE", "CAMSCAN_CACHE_DIR")}
    cache = tempfile.mkdtemp(prefix="camscan-bench-nmap-")
    try:
        no_cache = fresh({**base, "CAMSCAN_NO_CACHE": "1"}, args.runs)
        cold = []
        for _ in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(fresh({**base, "CAMSCAN_CACHE_DIR": cache}, 1))
        warm = fresh({**base, "CAMSCAN_CACHE_DIR": cache}, args.runs)
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    pairs = responses(args.hosts)
    db = nmap_probes.database()
    assert db is not None
    t0 = time.perf_counter()
    nmap_probes.warm()
    index_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for kind in nmap_probes.KIND_PROBES:
        db.first_every_line(kind, "")  # compiles every line of the kind's probe once
    compile_s = time.perf_counter() - t0
    per_kind: dict[str, dict[str, float]] = {}
    disagree = 0
    for kind in sorted({k for k, _ in pairs}):
        subjects = [nmap_probes.latin1(r) for k, r in pairs if k == kind]
        t0 = time.perf_counter()
        fast = [db.first(kind, s) for s in subjects]
        t1 = time.perf_counter()
        slow = [db.first_every_line(kind, s) for s in subjects]
        t2 = time.perf_counter()
        disagree += sum(a != b for a, b in zip(fast, slow, strict=True))
        per_kind[kind] = {
            "responses": len(subjects),
            "hits": sum(h is not None for h in fast),
            "prefiltered_ms": round((t1 - t0) / len(subjects) * 1e3, 4),
            "every_line_ms": round((t2 - t1) / len(subjects) * 1e3, 4),
        }
    compiled = sum(sum(1 for r in g.regexes if r) for g in db._groups.values())
    print(
        json.dumps(
            {
                "file": db.version,
                "tried_lines": sum(len(g.lines) for g in db._groups.values()),
                "fresh_process": {
                    "no_cache": no_cache,
                    "cold_cache": {k: round(statistics.median(c[k] for c in cold), 3) for k in cold[0]},
                    "warm_cache": warm,
                },
                "index_s": round(index_s, 4),
                "compile_every_line_s": round(compile_s, 3),
                "lines_compiled_by_prefiltered_matching": compiled,
                "per_response": per_kind,
                "disagreements": disagree,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
