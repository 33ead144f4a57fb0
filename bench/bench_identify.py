"""Identification throughput: realistic multi-observation hosts per second through the engine.

Hosts are built from the recorded example hosts (camscan/data/example_hosts.jsonl): each copy gets its own MAC,
serial numbers and IP, as a real estate would, while banners repeat as they do across an estate of one vendor's
cameras. A second run makes every string value unique (no memo hits) as the worst case.

    .venv/bin/python bench/bench_identify.py [--hosts 50000]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import time
from pathlib import Path
from typing import Any

from camscan.identify.engine import Engine
from camscan.identify.knowledge import load_knowledge
from camscan.model import Observation

EXAMPLES = Path(__file__).resolve().parents[1] / "camscan" / "data" / "example_hosts.jsonl"


def templates() -> list[list[dict[str, Any]]]:
    return [json.loads(line)["observations"] for line in EXAMPLES.read_text().splitlines() if line.strip()]


def vary(value: object, n: int, unique_strings: bool) -> object:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(v, str) and any(s in k.lower() for s in ("sn", "serial")):
                v = f"{v[:-6]}{n:06d}"
            out[k] = vary(v, n, unique_strings) if isinstance(v, (dict, list)) else v
        return out
    if isinstance(value, list):
        return [vary(v, n, unique_strings) for v in value]
    if isinstance(value, str) and unique_strings:
        return f"{value} #{n}"
    return value


def build_hosts(count: int, unique_strings: bool) -> list[list[Observation]]:
    rng = random.Random(7)
    base = templates()
    hosts = []
    for n in range(count):
        obs = []
        for o in base[n % len(base)]:
            value = o["value"]
            if o["kind"] == "mac":
                value = value[:9] + ":".join(f"{rng.randrange(256):02x}" for _ in range(3))
            else:
                value = vary(value, n, unique_strings and o["kind"] not in ("onvif_scopes",))
            obs.append(Observation(o["kind"], value, host=f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"))
        hosts.append(obs)
    return hosts


def measure(engine: Engine, hosts: list[list[Observation]]) -> dict[str, float]:
    engine.signatures._cached.cache_clear()
    identified = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for obs in hosts:
        identified += engine.identify(obs).identified
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "hosts": len(hosts),
        "identified": identified,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "hosts_per_s": round(len(hosts) / wall),
        "observations": sum(len(h) for h in hosts),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=50_000)
    args = parser.parse_args()
    t0 = time.perf_counter()
    engine = Engine(load_knowledge())
    load_s = time.perf_counter() - t0
    results = {
        "machine": f"{platform.processor() or platform.machine()}, Python {platform.python_version()}",
        "signatures": len(engine.signatures),
        "load_s": round(load_s, 3),
        "realistic": measure(engine, build_hosts(args.hosts, unique_strings=False)),
        "all_unique": measure(engine, build_hosts(args.hosts // 5, unique_strings=True)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
