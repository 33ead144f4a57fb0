"""`camscan merge`: combine per-site inventories into one estate database.

- Sources are never written: each is copied with SQLite's backup API into a temporary file and upgraded there
  (so files made by an older camscan merge too).
- Scans are renumbered in the order they started; hosts, services, observations, sightings (`device_scans`) and
  history follow their scan. A scan or device without a site takes the source file's name as its site, so
  "sites are kept" even for stores made without `--site`.
- Devices are deduplicated across sources by MAC and by manufacturer + serial (the store's own key rules): the
  most recently seen record gives the current identity, `first_seen` is the earliest, `discovered_by` the union.
- The result is written to a temporary file and moved into place only when complete.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from camscan.errors import UsageError
from camscan.store import Store, device_key, now_iso

DEVICE_COPY_TABLES = ("hosts", "services", "observations")


@dataclass(slots=True)
class SourceSummary:
    file: str
    site_default: str
    scans: int = 0
    devices: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "site_default": self.site_default,
            "scans": self.scans,
            "devices": self.devices,
        }


@dataclass(slots=True)
class MergeResult:
    output: str
    sources: list[SourceSummary] = field(default_factory=list)
    scans: int = 0
    devices_in: int = 0
    devices: int = 0

    @property
    def duplicates(self) -> int:
        return self.devices_in - self.devices

    def to_dict(self) -> dict[str, Any]:
        return {
            "output": self.output,
            "sources": [s.to_dict() for s in self.sources],
            "scans": self.scans,
            "devices_in": self.devices_in,
            "devices": self.devices,
            "duplicates_merged": self.duplicates,
        }


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _check_paths(sources: list[Path], output: Path, force: bool) -> None:
    if not sources:
        raise UsageError("merge needs at least one SITE.db")
    seen: dict[Path, Path] = {}
    for src in sources:
        if not src.is_file():
            raise UsageError(f"{src}: no such inventory")
        real = src.resolve()
        if real in seen:
            raise UsageError(f"{src}: given twice (also as {seen[real]})")
        seen[real] = src
    if output.resolve() in seen:
        raise UsageError(f"{output}: the output cannot also be a source")
    if output.exists() and not force:
        raise UsageError(f"{output} exists; choose another name or pass --force to replace it")
    if not output.parent.exists():
        raise UsageError(f"{output.parent}: no such folder")


def merge_stores(sources: list[Path], output: Path, *, force: bool = False) -> MergeResult:
    _check_paths(sources, output, force)
    result = MergeResult(str(output))
    with tempfile.TemporaryDirectory(prefix="camscan-merge-") as tmp:
        snapshots = []
        for i, src in enumerate(sources):
            snap = Path(tmp) / f"source-{i}.db"
            Store.backup(src, snap)
            Store.open(snap).close()  # refuses a non-camscan file; upgrades an older schema in the copy
            snapshots.append(snap)
        partial = output.parent / f".{output.name}.merge-partial"
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        try:
            with Store.open(partial) as dest:
                _merge_into(dest, sources, snapshots, result)
                dest.checkpoint()
            for suffix in ("-wal", "-shm"):
                Path(f"{output}{suffix}").unlink(missing_ok=True)
            os.replace(partial, output)
        finally:
            for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
                leftover.unlink(missing_ok=True)
    return result


def _merge_into(dest: Store, sources: list[Path], snapshots: list[Path], result: MergeResult) -> None:
    scan_maps = _plan_scan_ids(snapshots)
    device_rows: list[tuple[int, dict[str, Any]]] = []
    versions: set[str] = set()
    for index, (src, snap) in enumerate(zip(sources, snapshots, strict=True)):
        summary = SourceSummary(str(src), src.stem)
        result.sources.append(summary)
        with Store.open(snap, migrate=False) as source, dest.batch():
            scan_map = scan_maps[index]
            _copy_scans(dest, source, summary, scan_map)
            _copy_facts(dest, source, scan_map, summary.site_default)
            _copy_reference(dest, source, versions)
            for row in source.rows("devices"):
                row["site"] = row["site"] or summary.site_default
                row["last_scan_id"] = scan_map.get(row["last_scan_id"])
                device_rows.append((index, row))
                summary.devices += 1
    key_map = _merge_devices(dest, device_rows, result)
    for index, snap in enumerate(snapshots):
        with Store.open(snap, migrate=False) as source, dest.batch():
            _copy_sightings(dest, source, index, scan_maps[index], key_map)
    with dest.batch():
        dest.set_meta("merged_from", json.dumps({"at": now_iso(), "sources": [str(s) for s in sources]}))
        if versions:
            dest.set_meta("data_version", " | ".join(sorted(versions)))
    result.scans = sum(len(m) for m in scan_maps)


def _plan_scan_ids(snapshots: list[Path]) -> list[dict[int, int]]:
    """New scan ids for every source, in the order the scans started across all sources."""
    found: list[tuple[str, int, int]] = []
    for index, snap in enumerate(snapshots):
        with Store.open(snap, migrate=False) as source:
            found += [(row["started"] or "", index, int(row["id"])) for row in source.rows("scans")]
    maps: list[dict[int, int]] = [{} for _ in snapshots]
    for new_id, (_started, index, sid) in enumerate(sorted(found), 1):
        maps[index][sid] = new_id
    return maps


def _copy_scans(dest: Store, source: Store, summary: SourceSummary, scan_map: dict[int, int]) -> None:
    rows = []
    for row in source.rows("scans"):
        row["id"] = scan_map[int(row["id"])]
        row["site"] = row.get("site") or summary.site_default
        rows.append(row)
    dest.insert_rows("scans", rows)
    summary.scans = len(scan_map)


def _copy_facts(dest: Store, source: Store, scan_map: dict[int, int], site_default: str) -> None:
    """Hosts, services and observations follow their scan (new row ids; a missing site is the source's)."""
    for table in DEVICE_COPY_TABLES:
        dest.insert_rows(table, _follow_scans(source.rows(table), scan_map, site_default))


def _follow_scans(
    rows: Iterator[dict[str, Any]], scan_map: dict[int, int], site_default: str
) -> Iterator[dict[str, Any]]:
    for row in rows:
        if row["scan_id"] not in scan_map:
            continue
        row.pop("id", None)
        row["scan_id"] = scan_map[row["scan_id"]]
        if "site" in row:
            row["site"] = row["site"] or site_default
        yield row


def _copy_reference(dest: Store, source: Store, versions: set[str]) -> None:
    for table in ("vendors", "concerns", "vendor_concerns"):
        dest.insert_rows(table, source.rows(table), replace=True)
    version = source.meta("data_version")
    if version:
        versions.add(version)


def _merge_devices(
    dest: Store, rows: list[tuple[int, dict[str, Any]]], result: MergeResult
) -> dict[tuple[int, str], str]:
    """Group device records that are one physical device; write one row per group. Returns the key map."""
    result.devices_in = len(rows)
    uf = _UnionFind(len(rows))
    first: dict[tuple[str, ...], int] = {}
    for i, (_src, row) in enumerate(rows):
        row["_new_key"] = device_key(row["ip"], row["mac"], row["serial"], row["manufacturer"], row["site"])
        links: list[tuple[str, ...]] = [("key", row["_new_key"])]
        if row["mac"]:
            links.append(("mac", row["mac"].lower()))
        if row["serial"]:
            links.append(("serial", (row["manufacturer"] or "?").lower(), row["serial"]))
        for link in links:
            if link in first:
                uf.union(first[link], i)
            else:
                first[link] = i
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(rows)):
        groups[uf.find(i)].append(i)
    key_map: dict[tuple[int, str], str] = {}
    main_cols = set(dest.columns("devices"))
    merged_rows = []
    for members in groups.values():
        # latest sighting last: by time, then by (renumbered, chronological) scan id for same-second ties
        ordered = sorted(
            members, key=lambda i: (rows[i][1]["last_seen"] or "", rows[i][1]["last_scan_id"] or 0)
        )
        latest = rows[ordered[-1]][1]
        with_mac = [i for i in ordered if rows[i][1]["mac"]]
        key = rows[with_mac[-1]][1]["_new_key"] if with_mac else latest["_new_key"]
        merged: dict[str, Any] = {c: latest.get(c) for c in main_cols if c in latest}
        merged["key"] = key
        merged["_parent_source"] = rows[ordered[-1]][0]
        seen = [rows[i][1]["first_seen"] for i in members if rows[i][1]["first_seen"]]
        merged["first_seen"] = min(seen) if seen else None
        methods: set[str] = set()
        for i in members:
            methods.update(json.loads(rows[i][1]["discovered_by"] or "[]"))
        merged["discovered_by"] = json.dumps(sorted(methods))
        merged_rows.append(merged)
        for i in members:
            key_map[(rows[i][0], rows[i][1]["key"])] = key
    for merged in merged_rows:
        # a camera behind a recorder names its recorder by key: the recorder's key in the merged file (issue 14)
        source = merged.pop("_parent_source")
        if merged.get("parent"):
            merged["parent"] = key_map.get((source, merged["parent"]), merged["parent"])
    dest.insert_rows("devices", merged_rows, replace=True)
    result.devices = len(merged_rows)
    return key_map


def _copy_sightings(
    dest: Store, source: Store, index: int, scan_map: dict[int, int], key_map: dict[tuple[int, str], str]
) -> None:
    sightings = [
        {
            "device_key": key_map[(index, r["device_key"])],
            "scan_id": scan_map[r["scan_id"]],
            "ip": r["ip"],
            "identity": r["identity"],
            "parent": key_map.get((index, r["parent"]), r["parent"]) if r.get("parent") else None,
            "channel": r.get("channel"),
        }
        for r in source.rows("device_scans")
        if (index, r["device_key"]) in key_map and r["scan_id"] in scan_map
    ]
    dest.insert_rows("device_scans", sightings, replace=True)
    history = [
        {
            "device_key": key_map[(index, r["device_key"])],
            "scan_id": scan_map.get(r["scan_id"]),
            "time": r["time"],
            "field": r["field"],
            "old": r["old"],
            "new": r["new"],
        }
        for r in source.rows("device_history")
        if (index, r["device_key"]) in key_map
    ]
    dest.insert_rows("device_history", history)
