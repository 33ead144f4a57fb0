"""How long loading the knowledge (every data file) takes in a fresh process: without the data cache, with a
cold cache (the first run after a change), and warm (every later run). Each figure is the median of --runs fresh
processes; docs/benchmarks.md records them.

    .venv/bin/python bench/bench_load.py [--runs 5] [--data DIR]
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

PROBE = """
import json, time
t0 = time.perf_counter()
from camscan.identify.knowledge import load_knowledge
t1 = time.perf_counter()
k = load_knowledge()
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "signatures": len(k.signatures)}))
"""


def run(env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(out.stdout)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", help="a data directory (CAMSCAN_DATA); default: the shipped data")
    args = parser.parse_args()
    base = {k: v for k, v in os.environ.items() if k not in ("CAMSCAN_NO_CACHE", "CAMSCAN_CACHE_DIR")}
    if args.data:
        base["CAMSCAN_DATA"] = args.data
    cache = tempfile.mkdtemp(prefix="camscan-bench-cache-")
    results: dict[str, list[float]] = {"no_cache": [], "cold": [], "warm": []}
    signatures = 0
    try:
        for _ in range(args.runs):
            results["no_cache"].append(run({**base, "CAMSCAN_NO_CACHE": "1"})["load_s"])
            shutil.rmtree(cache, ignore_errors=True)
            results["cold"].append(run({**base, "CAMSCAN_CACHE_DIR": cache})["load_s"])
            warm = run({**base, "CAMSCAN_CACHE_DIR": cache})
            results["warm"].append(warm["load_s"])
            signatures = int(warm["signatures"])
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    summary = {name: round(statistics.median(values), 3) for name, values in results.items()}
    print(json.dumps({"signatures": signatures, "runs": args.runs, "median_load_s": summary}))


if __name__ == "__main__":
    main()
