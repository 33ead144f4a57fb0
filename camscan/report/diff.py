"""Changes between two scans, from what each scan saw (`device_scans`): new, gone and changed devices.

A device is matched across scans by its stable key (MAC, else manufacturer + serial, else site + IP). A
change is classed as `firmware` (firmware, build), `identity` (brand, manufacturer, model, type, serial,
hardware) or `address` (IP, MAC, hostname). A recorder channel whose camera is another device than in the
earlier scan is `swapped` (issue 14).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from camscan.errors import UsageError
from camscan.report.queries import ScanRow, get_scan, scan_row
from camscan.store import Store

FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "firmware": ("firmware", "firmware_build"),
    "identity": ("manufacturer", "brand", "model", "device_type", "serial", "hardware"),
    "address": ("ip", "mac", "hostname"),
}
CATEGORIES = tuple(FIELD_GROUPS)


@dataclass(slots=True)
class Sighting:
    """A device as one scan saw it."""

    key: str
    site: str | None
    identity: dict[str, Any]
    #: Found on a recorder's channel (issue 14): the recorder's device key and the channel.
    parent: str | None = None
    channel: int | None = None
    channel_input: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "site": self.site}
        for group in FIELD_GROUPS.values():
            for name in group:
                out[name] = self.identity.get(name)
        out["is_camera"] = bool(self.identity.get("is_camera"))
        out["parent"], out["channel"] = self.parent, self.channel
        return out


@dataclass(slots=True)
class ChannelSwap:
    """A recorder channel that held one camera in the earlier scan and another in the later one."""

    parent: str
    recorder_ip: str | None
    channel: int
    before: Sighting
    after: Sighting

    def to_dict(self) -> dict[str, Any]:
        return {
            "recorder": self.parent,
            "recorder_ip": self.recorder_ip,
            "channel": self.channel,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
        }


@dataclass(slots=True)
class FieldChange:
    field: str
    category: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "category": self.category, "old": self.old, "new": self.new}


@dataclass(slots=True)
class DeviceChange:
    before: Sighting
    after: Sighting
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def categories(self) -> list[str]:
        return [c for c in CATEGORIES if any(ch.category == c for ch in self.changes)]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.after.to_dict(),
            "categories": self.categories,
            "changes": [c.to_dict() for c in self.changes],
        }


@dataclass(slots=True)
class ScanDiff:
    before: ScanRow
    after: ScanRow
    site: str | None
    new: list[Sighting]
    gone: list[Sighting]
    changed: list[DeviceChange]
    unchanged: int
    #: Recorder channels whose camera is another one than before (issue 14); those cameras are also new/gone.
    swapped: list[ChannelSwap] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        out = {"new": len(self.new), "gone": len(self.gone), "changed": len(self.changed)}
        out["swapped"] = len(self.swapped)
        for cat in CATEGORIES:
            out[cat] = sum(cat in c.categories for c in self.changed)
        out["unchanged"] = self.unchanged
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.before.to_dict(),
            "to": self.after.to_dict(),
            "site": self.site,
            "summary": self.summary(),
            "new": [s.to_dict() for s in self.new],
            "gone": [s.to_dict() for s in self.gone],
            "changed": [c.to_dict() for c in self.changed],
            "swapped": [c.to_dict() for c in self.swapped],
        }


def complete_scans(store: Store, site: str | None = None) -> list[ScanRow]:
    sql = (
        "SELECT *, (SELECT count(*) FROM device_scans ds WHERE ds.scan_id = scans.id) AS devices_seen"
        " FROM scans WHERE status = 'complete'"
    )
    params: list[Any] = []
    if site is not None:
        sql += (
            " AND (site = ? OR id IN (SELECT ds.scan_id FROM device_scans ds JOIN devices d"
            " ON d.key = ds.device_key WHERE d.site = ?))"
        )
        params = [site, site]
    return [scan_row(r) for r in store.db.query(sql + " ORDER BY id", params)]


def default_pair(store: Store, site: str | None = None) -> tuple[ScanRow, ScanRow]:
    """The last two complete scans of one site: the latest complete scan that has an earlier complete scan of
    the same site, and that earlier scan. In a merged estate the last two scans overall may be of different
    sites, which would make every device look new or gone; only when no site was scanned twice are the last
    two complete scans compared whatever their sites.
    """
    scans = complete_scans(store, site)
    if len(scans) < 2:
        where = f" of site {site!r}" if site else ""
        raise UsageError(
            f"diff needs two complete scans{where}; {store.path} has {len(scans)}. "
            "Name two scans to compare: camscan diff SCAN_A SCAN_B"
        )
    for i in range(len(scans) - 1, 0, -1):
        after = scans[i]
        same_site = [s for s in scans[:i] if s.site == after.site]
        if same_site:
            return same_site[-1], after
    return scans[-2], scans[-1]


def resolve_pair(
    store: Store, a: int | None, b: int | None, site: str | None = None
) -> tuple[ScanRow, ScanRow]:
    if a is None and b is None:
        return default_pair(store, site)
    if a is None or b is None:
        raise UsageError("give two scan ids (SCAN_A SCAN_B), or none for the last two complete scans")
    if a == b:
        raise UsageError(f"SCAN_A and SCAN_B are the same scan ({a})")
    return get_scan(store, a), get_scan(store, b)


def _sightings(store: Store, scan_id: int, site: str | None) -> dict[str, Sighting]:
    rows = store.db.query(
        "SELECT ds.device_key, ds.identity, ds.parent, ds.channel, d.channel_input, d.site FROM device_scans ds"
        " LEFT JOIN devices d"
        " ON d.key = ds.device_key WHERE ds.scan_id = ? ORDER BY ds.ip, ds.device_key",
        [scan_id],
    )
    out = {}
    for r in rows:
        if site is not None and r["site"] != site:
            continue
        try:
            identity = json.loads(r["identity"] or "{}")
        except ValueError:
            identity = {}
        out[r["device_key"]] = Sighting(
            r["device_key"], r["site"], identity, r["parent"], r["channel"], r["channel_input"]
        )
    return out


def channel_swaps(store: Store, old: dict[str, Sighting], new: dict[str, Sighting]) -> list[ChannelSwap]:
    """Channels of a recorder seen in both scans whose camera is another device now (a camera replaced on
    a channel, or moved). An analogue camera is its channel (it cannot be told apart), so it never swaps."""

    def by_channel(sightings: dict[str, Sighting]) -> dict[tuple[str, int, str], Sighting]:
        return {
            (s.parent, s.channel, s.channel_input or ""): s
            for s in sightings.values()
            if s.parent and s.channel is not None
        }

    before, after = by_channel(old), by_channel(new)
    swaps = []
    for slot in sorted(before.keys() & after.keys()):
        if before[slot].key != after[slot].key:
            row = store.db.execute("SELECT ip FROM devices WHERE key = ?", [slot[0]]).fetchone()
            swaps.append(ChannelSwap(slot[0], row[0] if row else None, slot[1], before[slot], after[slot]))
    return swaps


def _same(a: Any, b: Any) -> bool:
    return (None if a is None else str(a)) == (None if b is None else str(b))


def diff_scans(store: Store, before: ScanRow, after: ScanRow, site: str | None = None) -> ScanDiff:
    old = _sightings(store, before.id, site)
    new = _sightings(store, after.id, site)
    changed = []
    unchanged = 0
    for key in sorted(old.keys() & new.keys(), key=lambda k: (str(new[k].identity.get("ip")), k)):
        change = DeviceChange(old[key], new[key])
        for category, names in FIELD_GROUPS.items():
            for name in names:
                a, b = old[key].identity.get(name), new[key].identity.get(name)
                if not _same(a, b):
                    change.changes.append(FieldChange(name, category, a, b))
        if change.changes:
            changed.append(change)
        else:
            unchanged += 1
    return ScanDiff(
        before=before,
        after=after,
        site=site,
        new=[new[k] for k in new if k not in old],
        gone=[old[k] for k in old if k not in new],
        changed=changed,
        unchanged=unchanged,
        swapped=channel_swaps(store, old, new),
    )


def scan_diff(
    store: Store, a: int | None = None, b: int | None = None, *, site: str | None = None
) -> ScanDiff:
    """`camscan diff`: the changes between scans `a` and `b` (default: the last two complete ones)."""
    before, after = resolve_pair(store, a, b, site)
    return diff_scans(store, before, after, site)


def previous_changes(store: Store, site: str | None = None, scan_id: int | None = None) -> ScanDiff | None:
    """What the latest complete scan (or scan `scan_id`) changed since the previous complete scan of its site;
    None when there is nothing earlier to compare with."""
    if scan_id is None:
        try:
            before, after = default_pair(store, site)
        except UsageError:
            return None
        return diff_scans(store, before, after, site)
    after = get_scan(store, scan_id)
    earlier = [s for s in complete_scans(store, site) if s.id < scan_id and s.site == after.site]
    return diff_scans(store, earlier[-1], after, site) if earlier else None
