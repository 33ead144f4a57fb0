"""The IEEE MAC registry (camscan/identify/oui.py): load time, memory and look-ups per second.

    .venv/bin/python bench/bench_oui.py [--lookups 200000]

Look-ups use distinct MACs: inside registered MA-L blocks, in MA-M/MA-S blocks, random universally administered
addresses (many unregistered) and locally administered ones, as a mixed estate would show them.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import time


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lookups", type=int, default=200_000)
    args = parser.parse_args()
    from camscan.identify import oui
    from camscan.identify.knowledge import load_knowledge

    vendors = load_knowledge().vendors
    before = rss_mib()
    t0 = time.perf_counter()
    registry = oui.registry()
    load_s = time.perf_counter() - t0
    grown = rss_mib() - before

    rng = random.Random(11)
    prefixes = sorted(registry.table)
    macs = []
    for n in range(args.lookups):
        kind = n % 4
        if kind < 2:  # inside a registered block (MA-L, MA-M or MA-S)
            prefix = rng.choice(prefixes)
            digits = prefix + "".join(rng.choice("0123456789abcdef") for _ in range(12 - len(prefix)))
        elif kind == 2:  # any universally administered unicast address
            digits = f"{rng.randrange(256) & 0xFC:02x}" + f"{rng.randrange(1 << 40):010x}"
        else:  # locally administered (randomised phones, containers)
            digits = f"{rng.randrange(256) & 0xFC | 0x02:02x}" + f"{rng.randrange(1 << 40):010x}"
        macs.append(":".join(digits[i : i + 2] for i in range(0, 12, 2)))

    t0 = time.perf_counter()
    hits = sum(1 for mac in macs if registry.lookup(mac) is not None)
    lookup_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    named = sum(1 for mac in macs if vendors.lookup_mac(mac) is not None)
    maker_s = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "machine": f"{platform.processor() or platform.machine()}, Python {platform.python_version()}",
                "registry": registry.source,
                "blocks": len(registry),
                "load_s": round(load_s, 3),
                "rss_growth_mib": round(grown, 1),
                "lookups": len(macs),
                "registry_hits": hits,
                "oui_lookup_per_s": round(len(macs) / lookup_s),
                "oui_lookup_us": round(lookup_s / len(macs) * 1e6, 2),
                "makers_named": named,
                "lookup_mac_per_s": round(len(macs) / maker_s),
                "lookup_mac_us": round(maker_s / len(macs) * 1e6, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
