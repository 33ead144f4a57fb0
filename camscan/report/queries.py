"""The one query layer the reports share: the questionnaire, the HTML report, `check` and `diff`.

`load_estate` reads what an inventory knows (the current devices, or the devices one scan saw, optionally
restricted to a site) into plain rows; the aggregation functions below turn an `Estate` into the counts
every report shows. Nothing here formats or escapes: each renderer does that for its own output.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from camscan import __version__
from camscan.errors import UsageError
from camscan.model import (  # noqa: F401 - ITEM_DESCRIPTIONS, NO_SITE re-exported for the renderers
    IDENTITY_FIELDS,
    ITEM_DESCRIPTIONS,
    NO_SITE,
    SKEW_THRESHOLD_S,
    UNKNOWN,
    Device,
)
from camscan.model import loads_json as _loads
from camscan.store import Store, now_iso

#: The one device read model (camscan.model.Device), under the name the reports have always used.
DeviceRow = Device
#: Fields of a per-scan identity snapshot (device_scans.identity) that override the current row.
SNAPSHOT_FIELDS = (*IDENTITY_FIELDS, "ip", "mac")


@dataclass(slots=True)
class ScanRow:
    id: int
    kind: str
    status: str
    started: str | None
    finished: str | None
    site: str | None
    targets: list[str]
    methods: list[str]
    files: list[str]
    errors: int
    camscan_version: str | None
    data_version: str | None
    details: dict[str, Any]
    devices_seen: int = 0

    @property
    def method_text(self) -> str:
        parts = [self.kind]
        if self.methods:
            parts.append("methods: " + ", ".join(self.methods))
        if self.files:
            parts.append("files: " + ", ".join(self.files))
        args = self.details.get("args")
        if args:
            parts.append(f"command: {args}")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "started": self.started,
            "finished": self.finished,
            "site": self.site,
            "targets": self.targets,
            "methods": self.methods,
            "files": self.files,
            "errors": self.errors,
            "devices_seen": self.devices_seen,
            "camscan_version": self.camscan_version,
            "data_version": self.data_version,
            "details": self.details,
        }


@dataclass(slots=True)
class ConcernRow:
    id: str
    title: str
    date: str | None
    authority: str | None
    jurisdiction: str | None
    category: str | None
    summary: str | None
    confidence: str | None
    sources: list[dict[str, Any]]
    status: str | None = None  # in_force, superseded, ... (None in files written before register 2026.12.1)
    status_as_of: str | None = None

    @property
    def source_document(self) -> str:
        """The first source, as a citation (document, publisher or seed file)."""
        for src in self.sources:
            for key in ("document", "publisher", "seed", "url"):
                if src.get(key):
                    return str(src[key])
        return ""

    @property
    def source_url(self) -> str:
        for src in self.sources:
            if src.get("url"):
                return str(src["url"])
        return ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "authority": self.authority,
            "jurisdiction": self.jurisdiction,
            "category": self.category,
            "summary": self.summary,
            "confidence": self.confidence,
            "sources": self.sources,
        }


@dataclass(slots=True)
class VendorRow:
    name: str
    country: str | None
    role: str | None
    parent: str | None
    legal_name: str | None


@dataclass(slots=True)
class Estate:
    """What one report is about: devices in scope, the scans behind them and the reference data they cite."""

    database: str
    generated: str
    site: str | None
    scan_id: int | None
    devices: list[DeviceRow]
    scans: list[ScanRow]
    concerns: dict[str, ConcernRow]
    vendors: dict[str, VendorRow]
    unidentified: dict[str, str]  # device key → why it counts as an unidentified camera
    data_version: str | None
    camscan_version: str = __version__
    concerns_register: str | None = None  # `2026.12.1 of 2026-12-04`: the register the concern links rely on

    @property
    def scope_text(self) -> str:
        parts = [f"site {self.site}" if self.site else "all sites"]
        parts.append(f"as seen by scan {self.scan_id}" if self.scan_id else "current inventory")
        return ", ".join(parts)

    def scope_dict(self) -> dict[str, Any]:
        return {"site": self.site, "scan": self.scan_id, "text": self.scope_text}


# -- loading ---------------------------------------------------------------------------------------


_device = Device.from_row


def scan_row(row: dict[str, Any], devices_seen: int | None = None) -> ScanRow:
    if devices_seen is None:
        devices_seen = int(row.get("devices_seen") or 0)
    return ScanRow(
        id=int(row["id"]),
        kind=row["kind"],
        status=row["status"],
        started=row["started"],
        finished=row["finished"],
        site=row["site"],
        targets=list(_loads(row["targets"], [])),
        methods=list(_loads(row["methods"], [])),
        files=list(_loads(row["files"], [])),
        errors=int(row["errors"] or 0),
        camscan_version=row["camscan_version"],
        data_version=row["data_version"],
        details=dict(_loads(row.get("details"), {})),
        devices_seen=devices_seen,
    )


def get_scan(store: Store, scan_id: int) -> ScanRow:
    """One scan, or a UsageError naming the scans the file does hold."""
    row = next(store.db.query("SELECT * FROM scans WHERE id = ?", [scan_id]), None)
    if row is None:
        ids = [r["id"] for r in store.db.query("SELECT id FROM scans ORDER BY id")]
        held = f"scans {ids[0]}–{ids[-1]}" if ids else "no scans"
        raise UsageError(f"no scan {scan_id} in {store.path} (it holds {held})")
    seen = store.db.execute("SELECT count(*) FROM device_scans WHERE scan_id = ?", [scan_id]).fetchone()[0]
    return scan_row(row, seen)


def sites(store: Store) -> list[str]:
    return [
        r[0] for r in store.db.execute("SELECT DISTINCT site FROM devices WHERE site IS NOT NULL ORDER BY 1")
    ]


def load_estate(store: Store, *, site: str | None = None, scan_id: int | None = None) -> Estate:
    """The devices in scope and everything the reports need to describe them.

    Raises UsageError for an unknown scan, or when nothing is in scope (an empty inventory, an unknown site).
    """
    if scan_id is not None:
        get_scan(store, scan_id)
        devices = _snapshot_devices(store, scan_id)
    else:
        devices = [_device(r) for r in store.db.query("SELECT * FROM devices ORDER BY site, ip, key")]
    if site is not None:
        devices = [d for d in devices if d.site == site]
    devices.sort(key=lambda d: (d.site or "", ip_order(d.ip), d.key))
    if not devices:
        raise UsageError(_empty_message(store, site, scan_id))
    keys = {d.key for d in devices}
    concern_ids = sorted({c for d in devices for c in d.concerns})
    return Estate(
        database=store.path,
        generated=now_iso(),
        site=site,
        scan_id=scan_id,
        devices=devices,
        scans=_scans_behind(store, keys, scan_id),
        concerns=_concerns(store, concern_ids),
        vendors=_vendors(store),
        unidentified=_behind_reasons(
            {
                r["key"]: r["reason"] or ""
                for r in store.db.query("SELECT key, reason FROM unidentified_cameras")
                if r["key"] in keys
            },
            devices,
        ),
        data_version=_meta(store, "data_version"),
        concerns_register=concerns_register(store),
    )


def _behind_reasons(reasons: dict[str, str], devices: list[DeviceRow]) -> dict[str, str]:
    """An unidentified camera found on a recorder's channel says which channel of which recorder (issue 14)."""
    from camscan.report.recorders import camera_text, channel_label

    by_key = {d.key: d for d in devices}
    for d in devices:
        if d.key in reasons and d.parent:
            recorder = by_key.get(d.parent)
            name = (recorder.ip or recorder.model) if recorder else None
            reasons[d.key] = f"{camera_text(d)}: {channel_label(d)} of recorder {name or d.parent}"
    return reasons


def _empty_message(store: Store, site: str | None, scan_id: int | None) -> str:
    total = store.db.execute("SELECT count(*) FROM devices").fetchone()[0]
    if total == 0:
        return f"{store.path}: the inventory has no devices yet; run a scan or an import first"
    where = []
    if site is not None:
        known = sites(store)
        where.append(f"at site {site!r} (sites: {', '.join(known) or 'none recorded'})")
    if scan_id is not None:
        where.append(f"seen by scan {scan_id}")
    return f"{store.path}: no devices {' and '.join(where)}"


def _snapshot_devices(store: Store, scan_id: int) -> list[DeviceRow]:
    """Devices seen by one scan, with the identity that scan recorded."""
    rows = store.db.query(
        "SELECT d.*, ds.identity AS snapshot FROM device_scans ds JOIN devices d ON d.key = ds.device_key "
        "WHERE ds.scan_id = ? ORDER BY d.site, ds.ip, d.key",
        [scan_id],
    )
    out = []
    links = _vendor_concern_links(store)
    for row in rows:
        device = _device(row)
        snap = _loads(row["snapshot"], {})
        before = (device.brand, device.manufacturer)
        for name in SNAPSHOT_FIELDS:
            if name in snap:
                setattr(device, name, snap[name])
        if (device.brand, device.manufacturer) != before:
            # The identity changed since: take the concerns that applied to that identity.
            found = {c for v in (device.manufacturer, device.brand) if v for c in links.get(v, ())}
            device.concerns = sorted(found)
            device.concern_links = []
        out.append(device)
    return out


def _vendor_concern_links(store: Store) -> dict[str, set[str]]:
    """vendor → concern ids that apply to it (documented or secondary links, as the engine counts them)."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in store.db.query("SELECT vendor, concern_id, confidence FROM vendor_concerns"):
        if r["confidence"] != "uncertain":
            out[r["vendor"]].add(r["concern_id"])
    return out


def _scans_behind(store: Store, keys: set[str], scan_id: int | None) -> list[ScanRow]:
    counts: Counter[int] = Counter()
    for r in store.db.query("SELECT device_key, scan_id FROM device_scans"):
        if r["device_key"] in keys and (scan_id is None or r["scan_id"] == scan_id):
            counts[r["scan_id"]] += 1
    rows = store.db.query("SELECT * FROM scans ORDER BY id")
    return [scan_row(r, counts[r["id"]]) for r in rows if counts[r["id"]]]


def _concerns(store: Store, ids: Iterable[str]) -> dict[str, ConcernRow]:
    wanted = list(ids)
    found: dict[str, ConcernRow] = {}
    for r in store.db.query("SELECT * FROM concerns"):
        if r["id"] in wanted:
            found[r["id"]] = ConcernRow(
                id=r["id"],
                title=r["title"],
                date=r["date"],
                authority=r["authority"],
                jurisdiction=r["jurisdiction"],
                category=r["category"],
                summary=r["summary"],
                confidence=r["confidence"],
                sources=list(_loads(r["sources"], [])),
                status=r.get("status"),
                status_as_of=r.get("status_as_of"),
            )
    for cid in wanted:  # a concern id whose register was not loaded into this file: still listed
        found.setdefault(
            cid, ConcernRow(cid, cid, None, None, None, None, "not in this file's concerns table", None, [])
        )
    return {cid: found[cid] for cid in wanted}


def _vendors(store: Store) -> dict[str, VendorRow]:
    out = {}
    for r in store.db.query("SELECT name, country, role, parent, legal_names FROM vendors"):
        legal = _loads(r["legal_names"], [])
        out[r["name"]] = VendorRow(
            r["name"], r["country"], r["role"], r["parent"], legal[0] if legal else None
        )
    return out


def concerns_register(store: Store) -> str | None:
    """The concerns register's version and date recorded in the file; older files have only the version,
    inside `data_version` ("vendors …, concerns 2026.11.1, … signatures")."""
    label = _meta(store, "concerns_register")
    if label:
        return label
    match = re.search(r"concerns ([^,]+)", _meta(store, "data_version") or "")
    return f"{match.group(1)} (date not recorded)" if match else None


def _meta(store: Store, key: str) -> str | None:
    row = store.db.execute("SELECT value FROM _camscan_meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def ip_order(ip: str | None) -> str:
    """A sort key that puts 10.0.0.9 before 10.0.0.10 (and IPv4 before IPv6); other text sorts as itself."""
    if not ip:
        return "~"
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return "~" + ip
    return f"{addr.version}-{int(addr):040d}"


# -- aggregations ----------------------------------------------------------------------------------


def pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


@dataclass(slots=True)
class Totals:
    devices: int
    cameras: int
    of_concern: int
    cameras_of_concern: int
    unknown_manufacturer: int
    unidentified_cameras: int
    manufacturers: int
    sites: int
    skewed_clocks: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "devices": self.devices,
            "cameras": self.cameras,
            "of_concern": self.of_concern,
            "of_concern_pct": pct(self.of_concern, self.devices),
            "cameras_of_concern": self.cameras_of_concern,
            "cameras_of_concern_pct": pct(self.cameras_of_concern, self.cameras),
            "unknown_manufacturer": self.unknown_manufacturer,
            "unknown_manufacturer_pct": pct(self.unknown_manufacturer, self.devices),
            "unidentified_cameras": self.unidentified_cameras,
            "manufacturers": self.manufacturers,
            "sites": self.sites,
            "skewed_clocks": self.skewed_clocks,
        }


def totals(estate: Estate) -> Totals:
    devs = estate.devices
    return Totals(
        devices=len(devs),
        cameras=sum(d.is_camera for d in devs),
        of_concern=sum(d.of_concern for d in devs),
        cameras_of_concern=sum(d.of_concern and d.is_camera for d in devs),
        unknown_manufacturer=sum(d.manufacturer is None for d in devs),
        unidentified_cameras=len(estate.unidentified),
        manufacturers=len({d.manufacturer for d in devs if d.manufacturer}),
        sites=len({d.site_name for d in devs}),
        skewed_clocks=len(clock_skew(estate)),
    )


@dataclass(slots=True)
class MakerCount:
    manufacturer: str
    country: str | None
    legal_name: str | None
    devices: int
    cameras: int
    brands: list[str]
    models: int
    concerns: list[str]
    devices_pct: float
    cameras_pct: float


def by_manufacturer(estate: Estate) -> list[MakerCount]:
    """Device counts per manufacturer (after OEM resolution), with the brands sold under it; unknown kept."""
    groups: dict[str, list[DeviceRow]] = defaultdict(list)
    for d in estate.devices:
        groups[d.maker].append(d)
    total = len(estate.devices)
    cams = sum(d.is_camera for d in estate.devices)
    out = []
    for maker, devs in groups.items():
        vendor = estate.vendors.get(maker)
        cameras = sum(d.is_camera for d in devs)
        out.append(
            MakerCount(
                manufacturer=maker,
                country=vendor.country if vendor else None,
                legal_name=vendor.legal_name if vendor else None,
                devices=len(devs),
                cameras=cameras,
                brands=sorted({d.brand for d in devs if d.brand}),
                models=len({d.model for d in devs if d.model}),
                concerns=sorted({c for d in devs for c in d.concerns}),
                devices_pct=pct(len(devs), total),
                cameras_pct=pct(cameras, cams),
            )
        )
    out.sort(key=lambda m: (m.manufacturer == UNKNOWN, -m.devices, m.manufacturer))
    return out


@dataclass(slots=True)
class ModelCount:
    manufacturer: str
    brands: list[str]
    model: str
    firmware: str
    device_type: str
    devices: int


def by_model(estate: Estate) -> list[ModelCount]:
    """Counts per manufacturer, model and firmware."""
    groups: dict[tuple[str, str, str, str], list[DeviceRow]] = defaultdict(list)
    for d in estate.devices:
        groups[(d.maker, d.model or UNKNOWN, d.firmware or UNKNOWN, d.device_type or UNKNOWN)].append(d)
    out = [
        ModelCount(maker, sorted({d.brand for d in devs if d.brand}), model, fw, dtype, len(devs))
        for (maker, model, fw, dtype), devs in groups.items()
    ]
    out.sort(key=lambda m: (m.manufacturer == UNKNOWN, m.manufacturer, m.model, -m.devices, m.firmware))
    return out


def count_by(estate: Estate, attribute: str) -> list[tuple[str, int, float]]:
    """(value, devices, % of the estate) for one attribute, most common first; missing values as (unknown)."""
    counts = Counter(str(getattr(d, attribute) or UNKNOWN) for d in estate.devices)
    total = len(estate.devices)
    return [(k, n, pct(n, total)) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


@dataclass(slots=True)
class SiteCount:
    site: str
    devices: int
    cameras: int
    of_concern: int
    unknown_manufacturer: int
    devices_pct: float


def by_site(estate: Estate) -> list[SiteCount]:
    groups: dict[str, list[DeviceRow]] = defaultdict(list)
    for d in estate.devices:
        groups[d.site_name].append(d)
    total = len(estate.devices)
    out = [
        SiteCount(
            site,
            len(devs),
            sum(d.is_camera for d in devs),
            sum(d.of_concern for d in devs),
            sum(d.manufacturer is None for d in devs),
            pct(len(devs), total),
        )
        for site, devs in groups.items()
    ]
    out.sort(key=lambda s: (-s.devices, s.site))
    return out


@dataclass(slots=True)
class FirmwareSpread:
    manufacturer: str
    model: str
    devices: int
    versions: list[tuple[str, int]]  # firmware → devices, most common first


def firmware_spread(estate: Estate) -> list[FirmwareSpread]:
    """Per manufacturer and model, how many devices run each firmware version."""
    groups: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for d in estate.devices:
        if d.model or d.firmware:
            groups[(d.maker, d.model or UNKNOWN)][d.firmware or UNKNOWN] += 1
    out = [
        FirmwareSpread(maker, model, sum(c.values()), sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))
        for (maker, model), c in groups.items()
    ]
    out.sort(key=lambda f: (-len(f.versions), -f.devices, f.manufacturer, f.model))
    return out


@dataclass(slots=True)
class ConcernApplication:
    """A concern as it applies to the devices of one manufacturer."""

    concern: ConcernRow
    manufacturer: str
    devices: int
    via: list[str]  # how it reaches them: "Hikvision (self)", "EZVIZ (subsidiary of Hikvision)"


def concerns_by_manufacturer(estate: Estate) -> list[ConcernApplication]:
    groups: dict[tuple[str, str], list[DeviceRow]] = defaultdict(list)
    for d in estate.devices:
        for cid in d.concerns:
            groups[(d.maker, cid)].append(d)
    out = []
    for (maker, cid), devs in groups.items():
        via = set()
        for d in devs:
            for link in d.concern_links:
                if link.get("id") == cid and link.get("confidence") != "uncertain":
                    rel = link.get("relation") or "self"
                    named = link.get("vendor")
                    via.add(
                        f"{link.get('via')} ({rel})"
                        if rel == "self"
                        else f"{link.get('via')} ({rel} of {named})"
                    )
        out.append(ConcernApplication(estate.concerns[cid], maker, len(devs), sorted(via)))
    out.sort(key=lambda a: (-a.devices, a.manufacturer, a.concern.date or "", a.concern.id))
    return out


def concern_counts(estate: Estate) -> list[tuple[ConcernRow, int]]:
    """Each concern with the number of devices it applies to, most devices first."""
    counts = Counter(c for d in estate.devices for c in d.concerns)
    return [
        (estate.concerns[cid], n)
        for cid, n in sorted(
            counts.items(), key=lambda kv: (-kv[1], estate.concerns[kv[0]].date or "", kv[0])
        )
    ]


def category_counts(estate: Estate) -> list[tuple[str, int]]:
    """Devices reached by at least one concern of each category."""
    counts: Counter[str] = Counter()
    for d in estate.devices:
        for cat in {estate.concerns[c].category or "other" for c in d.concerns}:
            counts[cat] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def ranked_concerns(estate: Estate, ids: Iterable[str]) -> list[str]:
    """Concern ids, most telling first: confirmed before secondary, then the oldest (the founding decisions)."""

    def rank(cid: str) -> tuple[int, str, str]:
        c = estate.concerns.get(cid)
        return (0 if c and c.confidence == "confirmed" else 1, (c.date if c else None) or "9999", cid)

    return sorted(ids, key=rank)


def devices_of_concern(estate: Estate) -> list[DeviceRow]:
    return [d for d in estate.devices if d.of_concern]


def unknown_manufacturer(estate: Estate) -> list[DeviceRow]:
    return [d for d in estate.devices if d.manufacturer is None]


def clock_skew(estate: Estate, threshold_s: float = SKEW_THRESHOLD_S) -> list[DeviceRow]:
    """Devices whose clock is off by more than `threshold_s` seconds, worst first."""
    if threshold_s == SKEW_THRESHOLD_S:
        found = [d for d in estate.devices if d.clock_skewed]
    else:
        found = [
            d for d in estate.devices if d.clock_skew_s is not None and abs(d.clock_skew_s) > threshold_s
        ]
    return sorted(found, key=lambda d: -abs(d.clock_skew_s or 0.0))


def clock_measured(estate: Estate) -> int:
    return sum(d.clock_skew_s is not None for d in estate.devices)


@dataclass(slots=True)
class EvidenceLine:
    kind: str
    signature: str
    asserts: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    note: str | None = (
        None  #: why, in words, where the signature id does not say (a maker named in free text)
    )


def evidence_lines(device: DeviceRow) -> list[EvidenceLine]:
    """The signatures behind a device's identity, strongest first."""
    items = sorted(device.evidence, key=lambda e: -(e.get("weight") or 0.0))
    return [
        EvidenceLine(
            str(e.get("kind")),
            str(e.get("signature")),
            dict(e.get("asserts") or {}),
            e.get("source"),
            e.get("note"),
        )
        for e in items
    ]
