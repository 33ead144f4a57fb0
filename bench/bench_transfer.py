"""Did it transfer? The real-device corpus scored by an earlier engine and by this one, split by split.

Knowledge is written from the dev split's misses; the held-out split measures whether it generalises. This
benchmark answers the question a learning round must answer: on the same cases (this checkout's corpus), what did
the engine of an earlier commit find, and what does this one find? It extracts the earlier commit's tree with
`git archive` into a temporary folder, runs that tree's own `camscan signatures test --corpus-dir … --json` with
this checkout's Python environment, runs this checkout's engine on the same files, and prints per split: maker,
model, firmware, device type, camera recall (answers say camera, more than a MAC), camera precision, non-cameras
called cameras and wrong makers, then how many cases gained or lost a field. Case names are never printed (the
held-out split's cases must stay unnamed to whoever writes knowledge), only counts.

    .venv/bin/python bench/bench_transfer.py --base REV [--files NAME.yaml ...] [--markdown]

nmap's service probes are off for both runs (as the floor is recorded), so the figures do not depend on the nmap
installed. The earlier tree must be able to load this corpus's files (a file format change in between fails with
that tree's own error message).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "real"
#: The per-split tallies compared, and their labels.
MEASURES = {
    "manufacturer": "maker",
    "model": "model",
    "firmware": "firmware",
    "device_type": "device type",
    "camera_recall_stated": "camera recall (answers say camera)",
    "camera_recall_supported": "camera recall (more than a MAC)",
}


def score(tree: Path, corpus: Path) -> dict[str, Any]:
    """`camscan signatures test --corpus-dir` of the camscan package in `tree` with that tree's data files, as JSON.

    $CAMSCAN_DATA names the tree's vendor_signatures/ explicitly: with an editable install of this checkout, the
    data package would otherwise resolve to this checkout's files, and the earlier engine would run on today's
    knowledge (measured: it did, before this was set)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "CAMSCAN_DATA": str(tree / "vendor_signatures"),
        "CAMSCAN_NMAP_SERVICE_PROBES": "off",
    }
    cmd = [sys.executable, "-m", "camscan", "signatures", "test", "--corpus-dir", str(corpus), "--json"]
    result = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, check=False)
    try:
        return dict(json.loads(result.stdout)["corpus"])
    except (ValueError, KeyError) as exc:  # the tree could not score this corpus: show its own words
        raise SystemExit(
            f"bench_transfer: {tree} did not score the corpus ({exc}): {result.stderr[-2000:]}"
        ) from exc


def extract(rev: str, into: Path) -> Path:
    """The tree of commit `rev`, from `git archive` (no worktree left behind)."""
    archive = into / "base.tar"
    cmd = ["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), rev]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"bench_transfer: cannot extract {rev!r} from {ROOT}: {result.stderr.strip()}")
    tree = into / "base"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


def split_of(corpus: Path) -> dict[str, str]:
    """Each case id's split, from this checkout's loader (the earlier tree may not report splits per miss)."""
    from camscan.identify.corpus import load_corpus

    return {case.id: case.split for case in load_corpus(corpus)}


def tally(data: dict[str, Any], split: str, name: str) -> tuple[int, int]:
    t = data.get("by_split", {}).get(split, {}).get(name) or {"right": 0, "total": 0}
    return int(t["right"]), int(t["total"])


def changes(base: dict[str, Any], now: dict[str, Any], splits: dict[str, str]) -> dict[str, dict[str, int]]:
    """Per split: cases that gained a field (missed before, right now), lost one, or answer differently."""
    before = {m["id"]: m for m in base.get("misses", [])}
    after = {m["id"]: m for m in now.get("misses", [])}
    out: dict[str, dict[str, int]] = {}
    for case in before.keys() | after.keys():
        split = splits.get(case, "?")
        row = out.setdefault(split, {"gained": 0, "lost": 0, "changed": 0})
        was, got = set(before.get(case, {}).get("missed", [])), set(after.get(case, {}).get("missed", []))
        row["gained"] += len(was - got)
        row["lost"] += len(got - was)
        row["changed"] += before.get(case) != after.get(case)
    return out


def report(
    base: dict[str, Any], now: dict[str, Any], splits: dict[str, str], rev: str, markdown: bool
) -> str:
    names = sorted(set(splits.values()))
    moved = changes(base, now, splits)
    lines = []
    if markdown:
        lines += [f"| split | measure | engine at {rev} | this engine |", "|---|---|---|---|"]
    for split in names:
        for key, label in MEASURES.items():
            b, n = tally(base, split, key), tally(now, split, key)
            cells = [f"{r}/{t}" if t else "–" for r, t in (b, n)]
            if markdown:
                lines.append(f"| {split} | {label} | {cells[0]} | {cells[1]} |")
            else:
                lines.append(f"{split:<9} {label:<36} {cells[0]:>9} → {cells[1]:<9}")
        m = moved.get(split, {"gained": 0, "lost": 0, "changed": 0})
        text = f"{m['gained']} fields gained, {m['lost']} lost, {m['changed']} cases answered differently"
        lines.append(f"| {split} | cases moved | | {text} |" if markdown else f"{split:<9} {text}")
    for label, key in (("non-cameras called cameras", "false_cameras"), ("wrong makers", "wrong_makers")):
        lines.append(f"{label}: {count(base, key)} → {count(now, key)}")
    return "\n".join(lines)


def count(data: dict[str, Any], key: str) -> int:
    """A list's length, or a `{"count": n}` block's n (the JSON gives false cameras as a list)."""
    value = data[key]
    return len(value) if isinstance(value, list) else int(value["count"])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", required=True, help="the earlier commit (any git revision)")
    parser.add_argument("--files", nargs="*", help="only these corpus files (names in tests/fixtures/real)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="camscan-transfer-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        corpus.mkdir()
        for path in sorted(CORPUS.glob("*.yaml")):
            if not args.files or path.name in args.files:
                shutil.copy(path, corpus / path.name)
        missing = set(args.files or ()) - {p.name for p in corpus.iterdir()}
        if missing:
            raise SystemExit(f"bench_transfer: no such corpus file: {', '.join(sorted(missing))}")
        base = score(extract(args.base, work), corpus)
        now = score(ROOT, corpus)
        print(report(base, now, split_of(corpus), args.base, args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
