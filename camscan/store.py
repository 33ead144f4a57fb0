"""The SQLite store (sqlite-utils): append-only facts plus derived current state.

Tables: `scans`, `hosts`, `services`, `observations` (raw evidence), `devices` (current identity per device),
`device_history` (field changes per scan), `device_scans` (which devices each scan saw), and reference tables
`vendors`, `concerns`, `vendor_concerns` loaded from the data files with their version. Views for people:
`vendor_counts`, `devices_of_concern`, `cameras`. Schema changes are migrations (sqlite-utils `Migrations`),
applied when a database is opened, so a file made by an older camscan is upgraded in place.

One writer owns a Store: callers batch their writes; each batch is one transaction.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from camscan import __version__
from camscan.errors import StoreError
from camscan.model import (
    CAMERA_TYPES,
    IDENTITY_FIELDS,
    SKEW_THRESHOLD_S,
    Device,
    Identity,
    Observation,
)

#: How long a write waits for another process holding the database (CAMSCAN_BUSY_TIMEOUT_MS to change).
BUSY_TIMEOUT_MS = int(os.environ.get("CAMSCAN_BUSY_TIMEOUT_MS", "5000"))
#: Identity and location fields whose changes are written to device_history.
TRACKED_FIELDS: tuple[str, ...] = (*IDENTITY_FIELDS, "ip", "mac", "is_camera")

migrations = Migrations("camscan")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["scans"].create(
        {
            "id": int,
            "kind": str,
            "status": str,
            "started": str,
            "finished": str,
            "site": str,
            "targets": str,
            "methods": str,
            "files": str,
            "errors": int,
            "camscan_version": str,
            "data_version": str,
        },
        pk="id",
    )
    db["hosts"].create(
        {"id": int, "scan_id": int, "ip": str, "mac": str, "site": str, "discovered_by": str, "seen": str},
        pk="id",
        foreign_keys=[("scan_id", "scans", "id")],
    )
    db["hosts"].create_index(["scan_id", "ip"], unique=True)
    db["services"].create(
        {"id": int, "scan_id": int, "ip": str, "port": int, "proto": str, "name": str, "product": str},
        pk="id",
        foreign_keys=[("scan_id", "scans", "id")],
    )
    db["services"].create_index(["scan_id", "ip", "port", "proto"], unique=True)
    db["observations"].create(
        {
            "id": int,
            "scan_id": int,
            "ip": str,
            "port": int,
            "kind": str,
            "value": str,
            "source": str,
            "time": float,
            "error": str,
        },
        pk="id",
        foreign_keys=[("scan_id", "scans", "id")],
    )
    db["observations"].create_index(["scan_id", "ip"])
    db["devices"].create(
        {
            "key": str,
            "ip": str,
            "mac": str,
            "site": str,
            "brand": str,
            "manufacturer": str,
            "model": str,
            "firmware": str,
            "firmware_build": str,
            "serial": str,
            "hardware": str,
            "device_type": str,
            "hostname": str,
            "is_camera": int,
            "confidence": float,
            "concerns": str,
            "evidence": str,
            "discovered_by": str,
            "first_seen": str,
            "last_seen": str,
            "last_scan_id": int,
        },
        pk="key",
    )
    db["device_history"].create(
        {"id": int, "device_key": str, "scan_id": int, "time": str, "field": str, "old": str, "new": str},
        pk="id",
        foreign_keys=[("device_key", "devices", "key"), ("scan_id", "scans", "id")],
    )
    db["device_history"].create_index(["device_key"])
    db["vendors"].create(
        {
            "name": str,
            "role": str,
            "country": str,
            "camera_vendor": int,
            "parent": str,
            "parent_relation": str,
            "parent_confidence": str,
            "legal_names": str,
            "aliases": str,
            "data_version": str,
        },
        pk="name",
    )
    db["concerns"].create(
        {
            "id": str,
            "title": str,
            "date": str,
            "authority": str,
            "jurisdiction": str,
            "category": str,
            "summary": str,
            "confidence": str,
            "includes_subsidiaries": int,
            "applies_to": str,
            "sources": str,
            "origin": str,
            "data_version": str,
        },
        pk="id",
    )
    db["vendor_concerns"].create(
        {"vendor": str, "concern_id": str, "named_vendor": str, "relation": str, "confidence": str},
        pk=("vendor", "concern_id", "named_vendor"),
    )


@migrations()
def m002_sightings_skew_views(db: sqlite_utils.Database) -> None:
    """Per-scan sightings (for diffs), clock skew and the views people open in Datasette."""
    db["devices"].add_column("clock_skew_s", float)
    db["devices"].add_column("concern_details", str)
    db["devices"].add_column("platform", str)
    db["device_scans"].create(
        {"device_key": str, "scan_id": int, "ip": str, "identity": str},
        pk=("device_key", "scan_id"),
        foreign_keys=[("device_key", "devices", "key"), ("scan_id", "scans", "id")],
    )
    db["device_scans"].create_index(["scan_id"])
    db["_camscan_meta"].create({"key": str, "value": str}, pk="key")
    db.create_view(
        "vendor_counts",
        """
        SELECT coalesce(manufacturer, '(unknown)') AS manufacturer,
               count(*) AS devices,
               sum(is_camera) AS cameras,
               group_concat(DISTINCT brand) AS brands,
               max(CASE WHEN concerns != '[]' THEN 1 ELSE 0 END) AS has_concerns
        FROM devices GROUP BY coalesce(manufacturer, '(unknown)') ORDER BY devices DESC
        """,
    )
    db.create_view(
        "devices_of_concern",
        """
        SELECT key, ip, mac, site, brand, manufacturer, model, firmware, device_type, concerns, last_seen
        FROM devices WHERE concerns IS NOT NULL AND concerns != '[]' ORDER BY manufacturer, ip
        """,
    )
    db.create_view(
        "cameras",
        """
        SELECT key, ip, mac, site, brand, manufacturer, model, firmware, firmware_build, serial, device_type,
               confidence, concerns, first_seen, last_seen
        FROM devices WHERE is_camera = 1 ORDER BY manufacturer, model, ip
        """,
    )


def device_key(
    ip: str | None,
    mac: str | None,
    serial: str | None,
    manufacturer: str | None,
    site: str | None,
    *,
    stated_mac: bool = False,
) -> str:
    """Stable identity of a physical device: a MAC seen at layer 2, else maker+serial, else a MAC the device
    stated in a service answer (`stated_mac`), else site+IP (DESIGN.md §11)."""
    return key_candidates(ip, mac, serial, manufacturer, site, stated_mac=stated_mac)[0]


def key_candidates(
    ip: str | None,
    mac: str | None,
    serial: str | None,
    manufacturer: str | None,
    site: str | None,
    *,
    stated_mac: bool = False,
) -> list[str]:
    """The keys a device may be stored under, strongest first; the last (site+IP) is always there."""
    out: list[str] = []
    if mac and not stated_mac:
        out.append(f"mac:{mac.lower()}")
    if serial:
        out.append(f"serial:{(manufacturer or '?').lower()}:{serial}")
    if mac and stated_mac:
        out.append(f"mac:{mac.lower()}")
    out.append(f"ip:{site or ''}:{ip}")
    return out


@dataclass(slots=True)
class ScanRun:
    """A scan in progress (`Store.scan`): its id, and how it is to be finished."""

    id: int
    status: str = "complete"
    errors: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class DeviceRecord:
    """What a scan learned about one host, ready to be stored."""

    ip: str | None
    mac: str | None
    site: str | None
    identity: Identity
    discovered_by: list[str]
    clock_skew_s: float | None = None
    #: The MAC came from a service answer (ONVIF, vendor discovery), not from layer 2 (ARP, a frame).
    mac_stated: bool = False


class Store:
    """A camscan database. Open with `Store.open(path)`; use as a context manager to close it."""

    def __init__(self, db: sqlite_utils.Database, path: str) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: str | Path, *, migrate: bool = True) -> Store:
        path = str(path)
        _check_file(path)
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            db = sqlite_utils.Database(conn)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA foreign_keys = ON")
            tables = set(db.table_names())
            if tables and "_sqlite_migrations" not in tables and "scans" not in tables:
                raise StoreError(
                    f"{path} is a SQLite database but not a camscan inventory (tables: "
                    f"{', '.join(sorted(tables)[:5])})"
                )
            if migrate:
                if db.journal_mode != "wal":
                    db.enable_wal()
                migrations.apply(db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(_describe(path, exc)) from None
        return cls(db, path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction; SQLite errors become StoreError with a clear message.

        The outermost batch starts with BEGIN IMMEDIATE: it takes the write lock up front (waiting up to the busy
        timeout for another writer), so two processes writing one database queue up instead of failing when a
        read transaction cannot be upgraded. Nested batches are savepoints.
        """
        conn = self.db.conn
        try:
            if conn.in_transaction:
                with self.db.atomic():
                    yield
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(_describe(self.path, exc)) from None

    # -- reference data -------------------------------------------------------------------------

    def load_reference(self, knowledge: Any) -> None:
        """(Re)load vendors and concerns when the data version differs from what the file holds."""
        version = knowledge.version
        row = self.db.execute("SELECT value FROM _camscan_meta WHERE key = 'data_version'").fetchone()
        if row and row[0] == version:
            return
        registry, register = knowledge.vendors, knowledge.concerns
        vendor_rows = [
            {
                "name": v.name,
                "role": v.role,
                "country": v.country,
                "camera_vendor": int(v.camera_vendor),
                "parent": v.parent.vendor if v.parent else None,
                "parent_relation": v.parent.relation if v.parent else None,
                "parent_confidence": v.parent.confidence if v.parent else None,
                "legal_names": _json(v.legal_names),
                "aliases": _json(v.aliases),
                "data_version": version,
            }
            for v in registry.vendors.values()
        ]
        concern_rows = [
            {
                "id": c.id,
                "title": c.title,
                "date": c.date,
                "authority": c.authority,
                "jurisdiction": c.jurisdiction,
                "category": c.category,
                "summary": c.summary,
                "confidence": c.confidence,
                "includes_subsidiaries": int(c.includes_subsidiaries),
                "applies_to": _json(c.applies_to),
                "sources": _json(c.sources),
                "origin": c.origin,
                "data_version": version,
            }
            for c in register.concerns.values()
        ]
        link_rows = {}
        for name in registry.vendors:
            for link in register.links(name, registry):
                link_rows[(name, link.id, link.vendor)] = {
                    "vendor": name,
                    "concern_id": link.id,
                    "named_vendor": link.vendor,
                    "relation": link.relation,
                    "confidence": link.confidence,
                }
        with self.batch():
            for table in ("vendor_concerns", "concerns", "vendors"):
                self.db.execute(f"DELETE FROM [{table}]")
            self.db["vendors"].insert_all(vendor_rows)
            self.db["concerns"].insert_all(concern_rows)
            self.db["vendor_concerns"].insert_all(link_rows.values())
            self.db["_camscan_meta"].upsert({"key": "data_version", "value": version}, pk="key")

    # -- scans ----------------------------------------------------------------------------------

    def start_scan(
        self,
        kind: str,
        *,
        site: str | None = None,
        targets: Iterable[str] = (),
        methods: Iterable[str] = (),
        files: Iterable[str] = (),
        data_version: str | None = None,
    ) -> int:
        self.mark_abandoned_scans()
        with self.batch():
            table = self.db["scans"]
            table.insert(
                {
                    "owner_pid": os.getpid(),
                    "owner_host": socket.gethostname(),
                    "kind": kind,
                    "status": "running",
                    "started": now_iso(),
                    "site": site,
                    "targets": _json(list(targets)),
                    "methods": _json(list(methods)),
                    "files": _json(list(files)),
                    "errors": 0,
                    "camscan_version": __version__,
                    "data_version": data_version,
                }
            )
            return int(table.last_pk)

    @contextmanager
    def scan(
        self,
        kind: str,
        *,
        knowledge: Any = None,
        site: str | None = None,
        targets: Iterable[str] = (),
        methods: Iterable[str] = (),
        files: Iterable[str] = (),
    ) -> Iterator[ScanRun]:
        """The scan lifecycle, for every source (scan, pcap, nmap, demo), in one place:

            with store.scan("pcap", knowledge=engine.knowledge, files=names) as run:
                ...                       # store what the source finds under run.id
                run.errors = len(problems)

        Scans that died are marked, the reference data loaded (when `knowledge` is given), the scan row started;
        at the end it is finished with `run.status` (default `complete`), `run.errors` and `run.extra` (more
        scan columns). When the body raises, the scan is finished as `interrupted` (or `failed`, if the body
        set that) with what it recorded, best effort, and the exception goes on.
        """
        if knowledge is not None:
            self.load_reference(knowledge)
        run = ScanRun(
            self.start_scan(
                kind,
                site=site,
                targets=targets,
                methods=methods,
                files=files,
                data_version=knowledge.version if knowledge is not None else None,
            )
        )
        try:
            yield run
        except BaseException:
            status = run.status if run.status in ("failed", "interrupted") else "interrupted"
            with suppress(StoreError):  # best effort; else the next scan marks it
                self.finish_scan(run.id, status, errors=run.errors, **run.extra)
            raise
        self.finish_scan(run.id, run.status, errors=run.errors, **run.extra)

    def finish_scan(self, scan_id: int, status: str, *, errors: int = 0, **extra: Any) -> None:
        update = {"status": status, "finished": now_iso(), "errors": errors}
        for key, value in extra.items():
            update[key] = value if isinstance(value, (str, int, float)) or value is None else _json(value)
        with self.batch():
            self.db["scans"].update(scan_id, update)

    def mark_abandoned_scans(self) -> int:
        """Scans left `running` by a process that died (kill -9, power loss) are marked `interrupted`.

        A scan records the process and machine that run it; one whose process is still alive on this machine
        is left alone, so two scans can write one database at once.
        """
        host = socket.gethostname()
        abandoned = [
            row["id"]
            for row in self.db.query("SELECT id, owner_pid, owner_host FROM scans WHERE status = 'running'")
            if not (row["owner_host"] == host and row["owner_pid"] and _alive(int(row["owner_pid"])))
        ]
        if abandoned:
            with self.batch():
                for scan_id in abandoned:
                    self.db.execute(
                        "UPDATE scans SET status = 'interrupted', finished = coalesce(finished, ?) WHERE id = ?",
                        [now_iso(), scan_id],
                    )
        return len(abandoned)

    # -- facts ----------------------------------------------------------------------------------

    def add_observations(self, scan_id: int, observations: Iterable[Observation]) -> int:
        rows = [
            {
                "scan_id": scan_id,
                "ip": o.host,
                "port": o.port,
                "kind": o.kind,
                "value": o.value if isinstance(o.value, str) else _json(o.value),
                "source": o.source,
                "time": o.time,
                "error": o.error,
            }
            for o in observations
        ]
        if rows:
            with self.batch():
                self.db["observations"].insert_all(rows, batch_size=500)
        return len(rows)

    def add_host(
        self, scan_id: int, ip: str, *, mac: str | None, site: str | None, discovered_by: list[str]
    ) -> None:
        with self.batch():
            self.db.execute(
                "INSERT INTO hosts (scan_id, ip, mac, site, discovered_by, seen) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(scan_id, ip) DO UPDATE SET mac = coalesce(excluded.mac, hosts.mac), "
                "discovered_by = excluded.discovered_by, seen = excluded.seen",
                [scan_id, ip, mac, site, _json(sorted(set(discovered_by))), now_iso()],
            )

    def add_services(
        self, scan_id: int, ip: str, services: Iterable[tuple[int, str, str | None, str | None]]
    ) -> None:
        with self.batch():
            for port, proto, name, product in services:
                self.db.execute(
                    "INSERT INTO services (scan_id, ip, port, proto, name, product) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(scan_id, ip, port, proto) DO UPDATE SET "
                    "name = coalesce(excluded.name, services.name), "
                    "product = coalesce(excluded.product, services.product)",
                    [scan_id, ip, port, proto, name, product],
                )

    def upsert_device(self, scan_id: int, record: DeviceRecord) -> str:
        """Store the current identity of a device and record what changed since it was last seen."""
        ident = record.identity
        key, findings = self._choose_key(scan_id, record)
        now = now_iso()
        row: dict[str, Any] = {
            "key": key,
            "ip": record.ip,
            "mac": record.mac.lower() if record.mac else None,
            "site": record.site,
            **{f: getattr(ident, f) for f in IDENTITY_FIELDS},
            "is_camera": int(ident.is_camera),
            "platform": ident.platform,
            "confidence": round(ident.confidence, 3),
            "concerns": _json(ident.concerns),
            "concern_details": _json([c.to_dict() for c in ident.concern_links]),
            "evidence": _json([e.to_dict() for e in ident.evidence]),
            "last_seen": now,
            "last_scan_id": scan_id,
            "clock_skew_s": record.clock_skew_s,
            "findings": _json(findings),
        }
        with self.batch():
            old = next(self.db["devices"].rows_where("key = ?", [key]), None)
            if old is None:
                row["first_seen"] = now
                row["discovered_by"] = _json(sorted(set(record.discovered_by)))
                self.db["devices"].insert(row)
            else:
                merged = sorted(set(json.loads(old["discovered_by"] or "[]")) | set(record.discovered_by))
                row["discovered_by"] = _json(merged)
                for name in TRACKED_FIELDS:
                    if name in ("ip", "mac", "is_camera") or getattr(ident, name, None) is not None:
                        continue
                    row[name] = old[name]  # a weaker later scan does not erase what an earlier one learned
                # is_camera follows the device type the row ends up with (one rule: `Device.is_camera`)
                row["is_camera"] = int(row["device_type"] in CAMERA_TYPES)
                changes = [
                    {
                        "device_key": key,
                        "scan_id": scan_id,
                        "time": now,
                        "field": f,
                        "old": None if old[f] is None else str(old[f]),
                        "new": None if row[f] is None else str(row[f]),
                    }
                    for f in TRACKED_FIELDS
                    if row.get(f) is not None and str(old[f]) != str(row[f])
                ]
                if old.get("last_scan_id") != scan_id:
                    self.db["device_history"].insert_all(changes)
                self.db["devices"].update(key, row)
            self.db.execute(
                "INSERT OR REPLACE INTO device_scans (device_key, scan_id, ip, identity) VALUES (?, ?, ?, ?)",
                [key, scan_id, record.ip, _json({f: row.get(f) for f in TRACKED_FIELDS})],
            )
        return key

    def _choose_key(self, scan_id: int, record: DeviceRecord) -> tuple[str, list[str]]:
        """The strongest key no other address of this scan already holds, and findings about the others.

        A serial or a MAC stated in a service answer is what the device says; cheap cameras ship one
        factory-default MAC (or serial) on many units. Hosts at different addresses in one scan are never merged
        through such a value: the later host is keyed more weakly and both carry a finding. A MAC seen at layer 2
        belongs to the interface itself: two addresses with it are one device, and it says so."""
        ident = record.identity
        candidates = key_candidates(
            record.ip, record.mac, ident.serial, ident.manufacturer, record.site, stated_mac=record.mac_stated
        )
        findings: list[str] = []
        for key in candidates:
            other = self.db.execute(
                "SELECT ip FROM device_scans WHERE device_key = ? AND scan_id = ? AND ip IS NOT ? LIMIT 1",
                [key, scan_id, record.ip],
            ).fetchone()
            if other is None or key.startswith("ip:"):
                return key, findings
            what = "serial" if key.startswith("serial:") else "MAC"
            value = ident.serial if what == "serial" else record.mac
            if key.startswith("mac:") and not record.mac_stated:
                findings.append(f"one interface (MAC {value}) answers at {other[0]} and {record.ip}")
                return key, findings
            findings.append(f"{what} {value} is also reported by {other[0]} in this scan: kept as separate devices")
            self._add_finding(key, f"{what} {value} is also reported by {record.ip} in this scan: kept as separate devices")
        return candidates[-1], findings

    def _add_finding(self, key: str, finding: str) -> None:
        row = self.db.execute("SELECT findings FROM devices WHERE key = ?", [key]).fetchone()
        if row is None:
            return
        findings = json.loads(row[0] or "[]")
        if finding not in findings:
            findings.append(finding)
            self.db.execute("UPDATE devices SET findings = ? WHERE key = ?", [_json(findings), key])

    def supersede_device(self, scan_id: int, old_key: str, new_key: str) -> None:
        """A host this scan stored under `old_key` is the device `new_key` (a reply that came later gave its MAC
        or serial): the scan saw one device, not two. Its sighting under the old key goes, and so does the old
        device row when nothing else refers to it (this scan created it)."""
        if old_key == new_key:
            return
        with self.batch():
            self.db.execute(
                "DELETE FROM device_scans WHERE device_key = ? AND scan_id = ?", [old_key, scan_id]
            )
            referred = self.db.execute(
                "SELECT (SELECT count(*) FROM device_scans WHERE device_key = ?)"
                " + (SELECT count(*) FROM device_history WHERE device_key = ?)",
                [old_key, old_key],
            ).fetchone()[0]
            if not referred:
                self.db.execute("DELETE FROM devices WHERE key = ?", [old_key])

    # -- reading --------------------------------------------------------------------------------

    def devices(self, *, concern_only: bool = False, vendor: str | None = None) -> list[dict[str, Any]]:
        where, params = [], []
        if concern_only:
            where.append("concerns IS NOT NULL AND concerns != '[]'")
        if vendor:
            where.append("(lower(manufacturer) = lower(?) OR lower(brand) = lower(?))")
            params += [vendor, vendor]
        sql = "SELECT * FROM devices" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY is_camera DESC, manufacturer IS NULL, manufacturer, ip"
        return [device_json(r) for r in self.db.query(sql, params)]

    def scans(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM scans ORDER BY id"))


def device_json(row: dict[str, Any]) -> dict[str, Any]:
    """A devices row as the CONTRACT's `devices --json` element (through the one read model, `Device`)."""
    return Device.from_row(row).to_json()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _check_file(path: str) -> None:
    """An existing path that SQLite cannot use as a database file is named plainly (not "disk I/O error")."""
    if path == ":memory:" or path.startswith("file:") or not os.path.exists(path):
        return
    if os.path.isdir(path):
        raise StoreError(f"{path}: is a directory, not a database file")
    if not os.path.isfile(path):
        raise StoreError(f"{path}: not a regular file (a pipe or a device?), not a database file")
    if not os.access(path, os.R_OK):
        raise StoreError(f"{path}: cannot read the database file (permission denied)")


def _describe(path: str, exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"{path}: the database is locked by another process (waited {BUSY_TIMEOUT_MS / 1000:g} s); try again"
    if "not a database" in text or "file is encrypted" in text:
        return f"{path}: not a SQLite database"
    if "readonly" in text:
        return f"{path}: the database is read-only"
    if "disk" in text and "full" in text:
        return f"{path}: the disk is full; everything committed before this point is kept"
    if "unable to open" in text:
        return f"{path}: cannot open the database file (does the folder exist and is it writable?)"
    return f"{path}: {text}"


# -- migrations added with the reports (issue 6) --------------------------------------------------------

#: Ports that only cameras, recorders and their discovery protocols normally expose (used by the
#: `camera_signals` view; documented in docs/reports.md, "Unidentified cameras").
CAMERA_PORTS: tuple[int, ...] = (554, 8554, 10554, 3702, 37020, 37777, 37778, 37810, 34567, 34569)
#: Observation kinds that only a camera-like device produces: it speaks RTSP or ONVIF or a vendor discovery protocol.
CAMERA_PROTOCOL_KINDS: tuple[str, ...] = (
    "rtsp_server",
    "rtsp_www_authenticate",
    "sdp",
    "onvif_scopes",
    "onvif_device_info",
    "vendor_discovery",
)


@migrations()
def m003_report_views(db: sqlite_utils.Database) -> None:
    """Views for the reports and for people browsing the inventory in Datasette; scan details."""
    db["scans"].add_column("details", str)  # JSON: what the source recorded about itself (e.g. nmap's args)
    ports = ", ".join(str(p) for p in CAMERA_PORTS)
    kinds = ", ".join(f"'{k}'" for k in CAMERA_PROTOCOL_KINDS)
    db.create_view(
        "camera_signals",
        f"""
        SELECT ds.device_key, ds.scan_id, ds.ip, 'port ' || s.port || '/' || coalesce(s.proto, 'tcp')
               || coalesce(' (' || s.name || ')', '') AS signal
        FROM device_scans ds JOIN services s ON s.scan_id = ds.scan_id AND s.ip = ds.ip
        WHERE s.port IN ({ports}) OR s.name = 'rtsp'
        UNION
        SELECT ds.device_key, ds.scan_id, ds.ip,
               CASE WHEN o.kind IN ({kinds}) THEN 'answered ' || o.kind ELSE 'port ' || o.port END AS signal
        FROM device_scans ds JOIN observations o ON o.scan_id = ds.scan_id AND o.ip = ds.ip
        WHERE o.error IS NULL
          AND (o.kind IN ({kinds})
               OR (o.port IN ({ports}) AND NOT EXISTS (SELECT 1 FROM services s WHERE s.scan_id = o.scan_id
                                                       AND s.ip = o.ip AND s.port = o.port)))
        """,
    )
    db.create_view(
        "unidentified_cameras",
        """
        SELECT d.key, d.ip, d.mac, d.site, d.brand, d.model, d.device_type, d.confidence, d.last_seen,
               CASE WHEN d.is_camera = 1 THEN d.device_type || ' with no known manufacturer'
                    ELSE 'no identity, but ' || (SELECT replace(group_concat(DISTINCT cs.signal), ',', ', ')
                                                 FROM camera_signals cs WHERE cs.device_key = d.key)
               END AS reason
        FROM devices d
        WHERE d.manufacturer IS NULL
          AND (d.is_camera = 1
               OR (d.device_type IS NULL
                   AND EXISTS (SELECT 1 FROM camera_signals cs WHERE cs.device_key = d.key)))
        ORDER BY d.site, d.ip
        """,
    )
    db.create_view(
        "firmware_spread",
        """
        SELECT coalesce(manufacturer, '(unknown)') AS manufacturer, coalesce(model, '(unknown)') AS model,
               coalesce(firmware, '(unknown)') AS firmware, count(*) AS devices,
               group_concat(DISTINCT site) AS sites, max(last_seen) AS last_seen
        FROM devices GROUP BY 1, 2, 3 ORDER BY 1, 2, devices DESC
        """,
    )
    db.create_view(
        "devices_by_site",
        """
        SELECT coalesce(site, '(none)') AS site, count(*) AS devices, sum(is_camera) AS cameras,
               sum(CASE WHEN concerns IS NOT NULL AND concerns != '[]' THEN 1 ELSE 0 END) AS of_concern,
               sum(CASE WHEN manufacturer IS NULL THEN 1 ELSE 0 END) AS unknown_manufacturer,
               count(DISTINCT manufacturer) AS manufacturers
        FROM devices GROUP BY 1 ORDER BY devices DESC
        """,
    )
    db.create_view(
        "clock_skew",
        """
        SELECT key, ip, site, brand, manufacturer, model, clock_skew_s, abs(clock_skew_s) AS abs_skew_s,
               last_seen
        FROM devices WHERE clock_skew_s IS NOT NULL ORDER BY abs(clock_skew_s) DESC
        """,
    )
    db.create_view(
        "scan_summary",
        """
        SELECT s.id, s.kind, s.status, s.started, s.finished, s.site, s.methods, s.files, s.errors,
               (SELECT count(*) FROM device_scans ds WHERE ds.scan_id = s.id) AS devices_seen,
               (SELECT count(*) FROM hosts h WHERE h.scan_id = s.id) AS hosts_seen,
               s.camscan_version, s.data_version
        FROM scans s ORDER BY s.id
        """,
    )
    db.create_view(
        "device_changes",
        """
        SELECT h.time, h.scan_id, d.site, d.ip, d.manufacturer, d.model, h.field, h.old, h.new, h.device_key
        FROM device_history h JOIN devices d ON d.key = h.device_key ORDER BY h.time DESC, h.id DESC
        """,
    )


@migrations()
def m004_pcap_capture(db: sqlite_utils.Database) -> None:
    """Passive imports (`camscan pcap`): the captured time range, packets read and per-file details (JSON)."""
    db["scans"].add_column("capture_start", str)
    db["scans"].add_column("capture_end", str)
    db["scans"].add_column("packets", int)
    db["scans"].add_column("pcap_files", str)


@migrations()
def m005_scan_owner(db: sqlite_utils.Database) -> None:
    """Which process runs a scan, so a scan whose process died can be told from one still running."""
    db["scans"].add_column("owner_pid", int)
    db["scans"].add_column("owner_host", str)


@migrations()
def m006_device_findings(db: sqlite_utils.Database) -> None:
    """Findings about a device's identity (a MAC or serial other devices share, one interface at two addresses)."""
    db["devices"].add_column("findings", str)


@migrations()
def m007_one_rule_per_aggregate(db: sqlite_utils.Database) -> None:
    """The views count as the reports do (issue 12): one rule per aggregate, checked by tests/report/test_agreement.py.

    - `is_camera` follows the stored device type (a weaker later scan used to keep the type but clear the flag);
    - `firmware_spread` counts devices with a model or a firmware, as the report's firmware table does;
    - `clock_skew` marks `skewed` the clocks off by more than SKEW_THRESHOLD_S seconds, the report's finding.
    """
    types = ", ".join(f"'{t}'" for t in sorted(CAMERA_TYPES))
    db.execute(f"UPDATE devices SET is_camera = (coalesce(device_type, '') IN ({types}))")
    db.create_view(
        "firmware_spread",
        """
        SELECT coalesce(manufacturer, '(unknown)') AS manufacturer, coalesce(model, '(unknown)') AS model,
               coalesce(firmware, '(unknown)') AS firmware, count(*) AS devices,
               group_concat(DISTINCT site) AS sites, max(last_seen) AS last_seen
        FROM devices WHERE model IS NOT NULL OR firmware IS NOT NULL
        GROUP BY 1, 2, 3 ORDER BY 1, 2, devices DESC
        """,
        replace=True,
    )
    db.create_view(
        "clock_skew",
        f"""
        SELECT key, ip, site, brand, manufacturer, model, clock_skew_s, abs(clock_skew_s) AS abs_skew_s,
               abs(clock_skew_s) > {SKEW_THRESHOLD_S} AS skewed, last_seen
        FROM devices WHERE clock_skew_s IS NOT NULL ORDER BY abs(clock_skew_s) DESC
        """,
        replace=True,
    )
