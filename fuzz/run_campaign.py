"""Run the coverage-guided fuzzer over every parser and record executions and findings.

    .venv/bin/python fuzz/run_campaign.py [--seconds 60] [--targets http,rtsp,...]

Each target runs in its own process for the given time, starting from fuzz/seeds/<target>/ (copied to a scratch
corpus so the committed seeds stay as they are). Crashing inputs are kept in fuzz/findings/<target>/; each one
found must become a regression test (tests/fuzz/test_regressions.py replays every file in fuzz/findings/).
Results are printed as a Markdown table for docs/reliability.md and written to fuzz/last_campaign.json.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TypedDict

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from camscan.fuzz_targets import TARGETS  # noqa: E402


class TargetResult(TypedDict):
    """One target's run, as fuzz/last_campaign.json records it."""

    target: str
    seconds: float
    executions: int | None  # None when libFuzzer printed no final stats (it failed to run)
    coverage_edges: int | None
    corpus: int
    findings: list[str]
    exit: int
    tail: list[str]


def run_target(name: str, seconds: int) -> TargetResult:
    findings = ROOT / "fuzz" / "findings" / name
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(ROOT / "fuzz" / "seeds" / name, corpus)
        work = Path(tmp) / "work"
        work.mkdir()
        started = time.monotonic()
        proc = subprocess.run(
            [
                sys.executable,
                str(ROOT / "fuzz" / "fuzz_one.py"),
                name,
                f"-max_total_time={seconds}",
                "-print_final_stats=1",
                "-rss_limit_mb=1024",
                "-timeout=10",
                "-max_len=65536",
                str(corpus),
            ],
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
            timeout=seconds * 3 + 120,
        )
        elapsed = time.monotonic() - started
        log = proc.stdout + proc.stderr
        crashes = sorted(work.glob("crash-*")) + sorted(work.glob("timeout-*")) + sorted(work.glob("oom-*"))
        for crash in crashes:
            findings.mkdir(parents=True, exist_ok=True)
            shutil.copy(crash, findings / crash.name)
        execs = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
        cov = re.findall(r"cov: (\d+)", log)
        return {
            "target": name,
            "seconds": round(elapsed, 1),
            "executions": int(execs.group(1)) if execs else None,
            "coverage_edges": int(cov[-1]) if cov else None,
            "corpus": len(list(corpus.iterdir())),
            "findings": [c.name for c in crashes],
            "exit": proc.returncode,
            "tail": log.strip().splitlines()[-3:] if crashes else [],
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--targets", default=",".join(sorted(TARGETS)))
    args = parser.parse_args()
    results: list[TargetResult] = []
    for name in args.targets.split(","):
        result = run_target(name, args.seconds)
        results.append(result)
        print(json.dumps(result), flush=True)
    (ROOT / "fuzz" / "last_campaign.json").write_text(json.dumps(results, indent=2) + "\n")
    print("\n| target | seconds | executions | coverage (edges) | corpus | findings |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(
            f"| {r['target']} | {r['seconds']} | {r['executions']:,} | {r['coverage_edges']} | {r['corpus']} | "
            f"{len(r['findings'])} |"
            if r["executions"] is not None
            else f"| {r['target']} | failed to run |"
        )


if __name__ == "__main__":
    main()
