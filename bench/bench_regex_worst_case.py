"""Worst-case time of EVERY regex camscan searches a device's answer with, on adversarial texts of a given size.

A hostile device may answer up to the scan's byte cap (256 KiB) in any field; a regex that backtracks on it stalls
the scan. This sweep takes every regex (`camscan.identify.regex_audit.all_patterns`: every signature's pattern and
field patterns, every pattern of the loaded knowledge, every module-level pattern of the readers in code), builds
the adversarial texts of `regex_audit.hostile_texts` from each one's own fixed pieces at the size asked, and times
the use it has: `search` for a signature (the first match decides), every match (`finditer`) for the readers in
code (they take all matches). Patterns run in a worker process that is stopped when one pattern takes over `--timeout` seconds, so a
catastrophic pattern is reported, not waited for.

    .venv/bin/python bench/bench_regex_worst_case.py [--size 32768] [--timeout 30] [--top 30] [--only PREFIX ...]
        [--json FILE] [--markdown] [--nmap [--uncut]]

`--nmap` sweeps nmap's service-probe lines instead (`regex_audit.nmap_patterns`: the probes camscan tries on the
banners it read), each hostile text put where a device puts it — the `Server:` value or greeting of the response
camscan rebuilds, cut to `nmap_probes.MAX_PART` characters as camscan cuts it (`--uncut`: not cut, to show why).

Prints the slowest patterns (name, worst time, the text that took it) and how many patterns took over 0.1 s and
1 s. Figures in docs/benchmarks.md ("Regex worst cases") and docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from camscan.identify import nmap_probes  # noqa: E402
from camscan.identify.engine import get_engine  # noqa: E402
from camscan.identify.regex_audit import all_patterns, nmap_patterns, worst  # noqa: E402


def _patterns(mode: str) -> list[tuple[str, re.Pattern[str]]]:
    """camscan's own regexes ("own"), or nmap's lines camscan tries ("nmap", "nmap-uncut")."""
    if mode == "own":
        return all_patterns(get_engine())
    database = nmap_probes.database()
    if database is None:
        raise SystemExit("no nmap-service-probes file: install nmap or set CAMSCAN_NMAP_SERVICE_PROBES")
    return nmap_patterns(database)


def _worker(start: int, size: int, only: list[str], mode: str) -> None:
    """Worker mode: measure the patterns from index `start` on, one line per pattern on stdout."""
    names = _names(only, mode)
    patterns = dict(_patterns(mode))
    for i in range(start, len(names)):
        print(f"start {i}", flush=True)
        seconds, what = worst(names[i], patterns[names[i]], size, cut=mode != "nmap-uncut")
        print(f"done {i} {seconds:.6f} {what}", flush=True)


def _names(only: list[str], mode: str) -> list[str]:
    names = [name for name, _ in _patterns(mode)]
    return [n for n in names if n.startswith(tuple(only))] if only else names


def sweep(
    names: list[str], size: int, timeout: float, only: list[str], mode: str = "own"
) -> list[dict[str, Any]]:
    """One result per name: {"name", "seconds", "text"}; a pattern stopped at the timeout has "timeout": True.
    Each worker is a fresh process (`--worker`): a pattern that runs past the timeout is killed with its worker,
    and a new worker goes on from the next pattern."""
    results: list[dict[str, Any]] = []
    start = 0
    while start < len(names):
        cmd = [sys.executable, __file__, "--worker", str(start), "--size", str(size), "--mode", mode]
        cmd += ["--only", *only]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, bufsize=1)
        assert proc.stdout is not None
        current, deadline = start, time.monotonic() + timeout + 30  # the first pattern also pays the loading
        while True:
            ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                proc.kill()
                proc.wait()
                results.append(
                    {"name": names[current], "seconds": timeout, "text": "(stopped)", "timeout": True}
                )
                start = current + 1
                break
            line = proc.stdout.readline()
            if not line:
                proc.wait()
                start = len(names) if current >= len(names) - 1 else current + 1
                break
            word, index, *rest = line.rstrip("\n").split(" ", 3)
            if word == "start":
                current, deadline = int(index), time.monotonic() + timeout
            elif word == "done":
                results.append(
                    {
                        "name": names[int(index)],
                        "seconds": float(rest[0]),
                        "text": rest[1] if len(rest) > 1 else "",
                    }
                )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--size", type=int, default=32 * 1024, help="characters per hostile text (cap: 262144)"
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds before a pattern's worker is stopped"
    )
    parser.add_argument("--top", type=int, default=30, help="how many of the slowest patterns to print")
    parser.add_argument(
        "--only", nargs="*", default=[], help="only patterns whose name starts with one of these"
    )
    parser.add_argument("--json", type=Path, help="write every result to this file")
    parser.add_argument("--markdown", action="store_true", help="print the slowest as a Markdown table")
    parser.add_argument(
        "--nmap", action="store_true", help="sweep nmap's service-probe lines camscan tries instead"
    )
    parser.add_argument(
        "--uncut", action="store_true", help="with --nmap: do not cut the device's text to MAX_PART"
    )
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    mode = args.mode or ("own" if not args.nmap else "nmap-uncut" if args.uncut else "nmap")
    if args.worker is not None:
        _worker(args.worker, args.size, args.only, mode)
        return 0

    names = _names(args.only, mode)
    started = time.perf_counter()
    results = sweep(names, args.size, args.timeout, args.only, mode)
    took = time.perf_counter() - started
    results.sort(key=lambda r: r["seconds"], reverse=True)
    over = {bound: sum(1 for r in results if r["seconds"] > bound) for bound in (0.1, 1.0)}
    print(
        f"{len(results)} regexes ({mode}), hostile texts of {args.size} characters, swept in {took:.0f} s "
        f"(cpu count {os.cpu_count()}): {over[0.1]} took over 0.1 s, {over[1.0]} over 1 s, "
        f"{sum(1 for r in results if r.get('timeout'))} stopped at {args.timeout:.0f} s"
    )
    top = results[: args.top]
    if args.markdown:
        print("| regex | worst (s) | on |\n|---|---:|---|")
        for r in top:
            print(f"| `{r['name']}` | {'>' if r.get('timeout') else ''}{r['seconds']:.3f} | {r['text']} |")
    else:
        for r in top:
            print(f"  {r['seconds']:8.3f} s{'+' if r.get('timeout') else ' '} {r['name']}  ({r['text']})")
    if args.json:
        args.json.write_text(
            json.dumps({"size": args.size, "timeout": args.timeout, "results": results}, indent=1)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
