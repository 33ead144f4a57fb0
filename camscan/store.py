"""The SQLite store (sqlite-utils): append-only facts plus derived current state.

Tables: `scans`, `hosts`, `services`, `observations` (raw evidence), `devices` (current identity per device),
`device_history` (field changes per scan), `device_scans` (which devices each scan saw), and reference tables
`vendors`, `concerns`, `vendor_concerns` loaded from the data files with their version. Views for people:
`vendor_counts`, `devices_of_concern`, `cameras`. Schema changes are migrations (`camscan.migrations`),
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

from camscan import __version__
from camscan.errors import StoreError
from camscan.migrations import migrations
from camscan.model import (
    CAMERA_TYPES,
    IDENTITY_FIELDS,
    Device,
    Identity,
    Observation,
)
from camscan.risk.advisories import AdvisorySet
from camscan.risk.match import AdvisoryMatch, Subject
from camscan.risk.match import match as match_advisories

#: How long a write waits for another process holding the database (CAMSCAN_BUSY_TIMEOUT_MS to change).
BUSY_TIMEOUT_MS = int(os.environ.get("CAMSCAN_BUSY_TIMEOUT_MS", "5000"))
#: Identity and location fields whose changes are written to device_history.
TRACKED_FIELDS: tuple[str, ...] = (*IDENTITY_FIELDS, "ip", "mac", "is_camera")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


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
    #: A camera found through a recorder (issue 14): the recorder's device key, the channel, the camera's address
    #: on the recorder's segment and the input kind ("ip" or "analog"). `ip` is then None (not routed).
    parent: str | None = None
    channel: int | None = None
    private_address: str | None = None
    channel_input: str | None = None
    channel_name: str | None = None
    channel_status: str | None = None
    #: A recorder: what it said about its channels (a `recorder_summary` value).
    recorder: dict[str, Any] | None = None


class Store:
    """A camscan database. Open with `Store.open(path)`; use as a context manager to close it."""

    def __init__(self, db: sqlite_utils.Database, path: str) -> None:
        self.db = db
        self.path = path
        #: The firmware advisories devices are matched against when stored (set by `load_reference`); without
        #: them a stored device keeps the advisories its identity came with.
        self.advisories: AdvisorySet | None = None

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
        """(Re)load vendors and concerns when the data version differs from what the file holds; re-match the
        stored devices when the advisory data changed (issue 13)."""
        advisories = getattr(knowledge, "advisories", None)
        if advisories is not None:
            self.refresh_advisories(advisories)
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
                # Added with register 2026.12.1; `alter=True` below adds the columns to older files.
                "status": c.status,
                "status_as_of": c.raw.get("status_as_of"),
                "added": c.raw.get("added"),
                "updated": c.raw.get("updated"),
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
            self.db.table("vendors").insert_all(vendor_rows)
            self.db.table("concerns").insert_all(concern_rows, alter=True)
            self.db.table("vendor_concerns").insert_all(link_rows.values())
            self.db.table("_camscan_meta").upsert({"key": "data_version", "value": version}, pk="key")
            # What an answer relies on: the concerns register's version and date (`camscan concerns` shows both).
            self.db.table("_camscan_meta").upsert(
                {"key": "concerns_register", "value": register.label}, pk="key"
            )

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
            table = self.db.table("scans")
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
            scan_id = table.last_pk
            assert scan_id is not None, "an insert sets last_pk"
            return int(scan_id)

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
            self.db.table("scans").update(scan_id, update)

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
                self.db.table("observations").insert_all(rows, batch_size=500)
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
        if record.parent is not None:
            key, findings = self._channel_key(scan_id, record)
        else:
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
        if record.parent is not None:
            row.update(
                parent=record.parent,
                channel=record.channel,
                private_address=record.private_address,
                channel_input=record.channel_input,
                channel_name=record.channel_name,
                channel_status=record.channel_status,
            )
        if record.recorder is not None:
            row["recorder"] = _json(record.recorder)
        with self.batch():
            old = next(self.db.table("devices").rows_where("key = ?", [key]), None)
            if old is None:
                row["first_seen"] = now
                row["discovered_by"] = _json(sorted(set(record.discovered_by)))
                found = self._write_advisories(key, row, ident.advisories)
                row["advisories"] = _json([m.to_dict() for m in found])
                self.db.table("devices").insert(row)
            else:
                merged = sorted(set(json.loads(old["discovered_by"] or "[]")) | set(record.discovered_by))
                row["discovered_by"] = _json(merged)
                for name in TRACKED_FIELDS:
                    if name in ("ip", "mac", "is_camera") or getattr(ident, name, None) is not None:
                        continue
                    row[name] = old[name]  # a weaker later scan does not erase what an earlier one learned
                if record.parent is not None:
                    # seen through its recorder: the address and MAC a direct sighting gave are kept
                    row["ip"] = row["ip"] or old["ip"]
                    row["mac"] = row["mac"] or old["mac"]
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
                    self.db.table("device_history").insert_all(changes)
                found = self._write_advisories(key, row, ident.advisories)
                row["advisories"] = _json([m.to_dict() for m in found])
                self.db.table("devices").update(key, row)
            self.db.execute(
                "INSERT INTO device_scans (device_key, scan_id, ip, identity, parent, channel) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(device_key, scan_id) DO UPDATE SET "
                "ip = coalesce(excluded.ip, device_scans.ip), identity = excluded.identity, "
                "parent = coalesce(excluded.parent, device_scans.parent), "
                "channel = coalesce(excluded.channel, device_scans.channel)",
                [
                    key,
                    scan_id,
                    record.ip,
                    _json({f: row.get(f) for f in TRACKED_FIELDS}),
                    record.parent,
                    record.channel,
                ],
            )
            if record.parent is None:
                self._absorb_channel_twin(scan_id, key, record)
        return key

    # -- firmware advisories (issue 13) ------------------------------------------------------------

    def _write_advisories(self, key: str, row: dict[str, Any], carried: list[Any]) -> list[AdvisoryMatch]:
        """The advisories of the device as stored (its merged identity), written to `device_advisories`."""
        if self.advisories is not None:
            found = match_advisories(self.advisories, Subject.of(_RowView(row)))
        else:
            found = list(carried)
        self.db.execute("DELETE FROM device_advisories WHERE device_key = ?", [key])
        if found:
            self.db.table("device_advisories").insert_all(
                {
                    "device_key": key,
                    "advisory_id": m.id,
                    "status": m.status,
                    "kev": int(m.kev),
                    "kev_date_added": m.kev_date_added,
                    "ransomware": m.ransomware,
                    "reason": m.reason,
                    "fixed_in": m.fixed_in,
                    "action": m.action,
                    "title": m.title,
                    "confidence": m.confidence,
                    "inherited": int(m.inherited),
                    "cvss": m.cvss,
                    "product": m.product,
                }
                for m in found
            )
        return found

    def refresh_advisories(self, advisories: AdvisorySet, *, force: bool = False) -> int:
        """Re-match every stored device when the advisory data differs from what the file was matched with
        (a new camscan, `camscan advisories update`); returns how many devices were re-matched."""
        self.advisories = advisories
        label = f"{advisories.label}; camscan {__version__}"
        meta = self.db.execute("SELECT value FROM _camscan_meta WHERE key = 'advisories'").fetchone()
        if meta and meta[0] == label and not force:
            return 0
        rows = list(self.db.query("SELECT * FROM devices"))
        with self.batch():
            for row in rows:
                found = self._write_advisories(row["key"], row, [])
                self.db.execute(
                    "UPDATE devices SET advisories = ? WHERE key = ?",
                    [_json([m.to_dict() for m in found]), row["key"]],
                )
            self.db.table("_camscan_meta").upsert({"key": "advisories", "value": label}, pk="key")
        return len(rows)

    # -- cameras behind recorders (issue 14) --------------------------------------------------------

    def _twins(
        self, ident: Identity, mac: str | None, *, exclude: tuple[str, ...], channels: bool
    ) -> list[str]:
        """Keys of stored devices that are this one by serial (same maker) or MAC: with `channels`, devices found
        through a recorder; else any device."""
        where, params = [], []
        if ident.serial:
            where.append("(serial = ? AND lower(coalesce(manufacturer, '?')) = ?)")
            params += [ident.serial, (ident.manufacturer or "?").lower()]
        if mac:
            where.append("mac = ?")
            params.append(mac.lower())
        if not where:
            return []
        sql = f"SELECT key FROM devices WHERE ({' OR '.join(where)})"
        if channels:
            sql += " AND parent IS NOT NULL"
        found = [r[0] for r in self.db.execute(sql, params)]
        return [k for k in found if k not in exclude]

    def _channel_key(self, scan_id: int, record: DeviceRecord) -> tuple[str, list[str]]:
        """The key of a camera a recorder reports: the device it already is (found directly or through this
        recorder before, by serial with the same maker or by MAC), else its serial or MAC key, else the
        recorder's channel itself (an analogue camera, or an IP channel the recorder says nothing about)."""
        ident = record.identity
        assert record.parent is not None
        findings: list[str] = []
        twins = self._twins(ident, record.mac, exclude=(record.parent,), channels=False)
        if len(twins) == 1:
            taken = self.db.execute(
                "SELECT parent, channel FROM device_scans WHERE device_key = ? AND scan_id = ? "
                "AND parent IS NOT NULL AND NOT (parent = ? AND channel IS ?)",
                [twins[0], scan_id, record.parent, record.channel],
            ).fetchone()
            if taken is None:
                return twins[0], findings
            what = f"serial {ident.serial}" if ident.serial else f"MAC {record.mac}"
            findings.append(
                f"{what} is also reported on channel {taken[1]} of a recorder: kept as separate devices"
            )
        elif len(twins) > 1:
            what = f"serial {ident.serial}" if ident.serial else f"MAC {record.mac}"
            findings.append(f"{what} is shared by {len(twins)} stored devices: not matched to any")
        elif not findings:
            candidates = key_candidates(
                None, record.mac, ident.serial, ident.manufacturer, record.site, stated_mac=True
            )[:-1]
            if candidates:
                return candidates[0], findings
        slot = self.db.execute(
            "SELECT key FROM devices WHERE parent = ? AND channel IS ? AND channel_input IS ? AND serial IS NULL "
            "AND mac IS NULL ORDER BY last_seen DESC LIMIT 1",
            [record.parent, record.channel, record.channel_input],
        ).fetchone()
        if slot is not None and not findings:
            return slot[0], findings
        # an analogue input is `ch:<recorder>:<n>`; an IP channel `ch:<recorder>:ip<n>` (hybrid DVRs number both)
        prefix = "" if record.channel_input == "analog" else (record.channel_input or "")
        return f"ch:{record.parent}:{prefix}{record.channel}", findings

    def _absorb_channel_twin(self, scan_id: int, key: str, record: DeviceRecord) -> None:
        """A device reached directly that a recorder also reports (stored first under another key, by serial
        or MAC) is one device: the recorder's record is folded into this one (parent, channel, how it was found,
        its sightings and history), not kept as a duplicate."""
        twins = self._twins(record.identity, record.mac, exclude=(key,), channels=True)
        if len(twins) != 1:
            return
        twin = twins[0]
        columns = ("parent", "channel", "private_address", "channel_input", "channel_name", "channel_status")
        child = self.db.execute(
            f"SELECT {', '.join(columns)}, discovered_by FROM devices WHERE key = ?", [twin]
        ).fetchone()
        if child is None or child[0] == key:
            return
        mine = self.db.execute("SELECT discovered_by FROM devices WHERE key = ?", [key]).fetchone()
        methods = sorted(set(loads(mine[0] if mine else None)) | set(loads(child[-1])))
        self.db.execute(
            f"UPDATE devices SET {', '.join(f'{c} = ?' for c in columns)}, discovered_by = ? WHERE key = ?",
            [*child[:-1], _json(methods), key],
        )
        self._repoint(twin, key)

    def _repoint(self, old_key: str, new_key: str) -> None:
        """Move every reference to `old_key` to `new_key` (one physical device) and drop the old row."""
        for sighting in self.db.query("SELECT * FROM device_scans WHERE device_key = ?", [old_key]):
            self.db.execute(
                "UPDATE device_scans SET parent = coalesce(parent, ?), channel = coalesce(channel, ?) "
                "WHERE device_key = ? AND scan_id = ?",
                [sighting["parent"], sighting["channel"], new_key, sighting["scan_id"]],
            )
            self.db.execute(
                "INSERT OR IGNORE INTO device_scans (device_key, scan_id, ip, identity, parent, channel) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    new_key,
                    sighting["scan_id"],
                    sighting["ip"],
                    sighting["identity"],
                    sighting["parent"],
                    sighting["channel"],
                ],
            )
        self.db.execute("DELETE FROM device_scans WHERE device_key = ?", [old_key])
        self.db.execute("UPDATE device_history SET device_key = ? WHERE device_key = ?", [new_key, old_key])
        self.db.execute("UPDATE devices SET parent = ? WHERE parent = ?", [new_key, old_key])
        self.db.execute("UPDATE device_scans SET parent = ? WHERE parent = ?", [new_key, old_key])
        self.db.execute("DELETE FROM devices WHERE key = ?", [old_key])
        self.db.execute("DELETE FROM device_advisories WHERE device_key = ?", [old_key])

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
                "SELECT ip FROM device_scans WHERE device_key = ? AND scan_id = ? AND ip IS NOT ? "
                "AND (ip IS NOT NULL OR parent IS NULL) LIMIT 1",  # a recorder's report is not another address
                [key, scan_id, record.ip],
            ).fetchone()
            if other is None or key.startswith("ip:"):
                return key, findings
            what = "serial" if key.startswith("serial:") else "MAC"
            value = ident.serial if what == "serial" else record.mac
            if key.startswith("mac:") and not record.mac_stated:
                findings.append(f"one interface (MAC {value}) answers at {other[0]} and {record.ip}")
                return key, findings
            findings.append(
                f"{what} {value} is also reported by {other[0]} in this scan: kept as separate devices"
            )
            self._add_finding(
                key, f"{what} {value} is also reported by {record.ip} in this scan: kept as separate devices"
            )
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
                self.db.execute("DELETE FROM device_advisories WHERE device_key = ?", [old_key])
            # cameras found behind it (issue 14) follow their recorder to its new key
            self.db.execute("UPDATE devices SET parent = ? WHERE parent = ?", [new_key, old_key])
            self.db.execute(
                "UPDATE device_scans SET parent = ? WHERE parent = ? AND scan_id = ?",
                [new_key, old_key, scan_id],
            )

    # -- reading --------------------------------------------------------------------------------

    def devices(
        self, *, concern_only: bool = False, vendor: str | None = None, scan_id: int | None = None
    ) -> list[dict[str, Any]]:
        """Devices as CONTRACT `devices --json` elements; `scan_id`: only those that scan saw."""
        where: list[str] = []
        params: list[Any] = []
        if scan_id is not None:
            where.append("key IN (SELECT device_key FROM device_scans WHERE scan_id = ?)")
            params.append(scan_id)
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

    # -- copying between stores (`camscan merge`) --------------------------------------------------

    #: The tables `rows` and `insert_rows` accept: a store's facts, devices and reference data.
    COPY_TABLES = (
        "scans", "hosts", "services", "observations", "devices", "device_scans", "device_history",
        "vendors", "concerns", "vendor_concerns",
    )  # fmt: skip

    @staticmethod
    def backup(source: str | Path, dest: str | Path) -> None:
        """A consistent copy of the database at `source` (possibly in WAL mode, possibly being written) into
        `dest`, with SQLite's backup API; `source` is opened read-only and never written."""
        try:
            reader = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
            writer = sqlite3.connect(dest)
            try:
                reader.backup(writer)
            finally:
                writer.close()
                reader.close()
        except sqlite3.DatabaseError as exc:
            raise StoreError(_describe(str(source), exc)) from None

    def columns(self, table: str) -> list[str]:
        """The columns of one of `COPY_TABLES`, in order."""
        return [c.name for c in self.db.table(self._copy_table(table)).columns]

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of one of `COPY_TABLES`, as a mapping of column to value, in the order they were written."""
        return self.db.query(f"SELECT * FROM [{self._copy_table(table)}] ORDER BY rowid")

    def insert_rows(self, table: str, rows: Iterable[dict[str, Any]], *, replace: bool = False) -> int:
        """Add rows to one of `COPY_TABLES` (replacing rows with the same key when `replace`); columns this
        store's table does not have are left out, so rows from an older or newer camscan fit. Returns how many."""
        name = self._copy_table(table)
        keep = set(self.columns(name))
        count = 0

        def fitted() -> Iterator[dict[str, Any]]:
            nonlocal count
            for row in rows:
                count += 1
                yield {k: v for k, v in row.items() if k in keep}

        with self.batch():
            self.db.table(name).insert_all(fitted(), replace=replace, batch_size=500)
        return count

    def meta(self, key: str) -> str | None:
        """A value of the store's own key-value table (`data_version`, `concerns_register`, `merged_from`, ...)."""
        row = self.db.execute("SELECT value FROM _camscan_meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.batch():
            self.db.table("_camscan_meta").upsert({"key": key, "value": value}, pk="key")

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file (before the file is moved or copied)."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _copy_table(self, table: str) -> str:
        if table not in self.COPY_TABLES:
            raise ValueError(
                f"{table!r} is not one of the tables a store copies: {', '.join(self.COPY_TABLES)}"
            )
        return table


class _RowView:
    """A devices row read as attributes (what `Subject.of` reads)."""

    def __init__(self, row: dict[str, Any]) -> None:
        self._row = row

    def __getattr__(self, name: str) -> Any:
        return self._row.get(name)


def loads(text: str | None) -> list[Any]:
    """A JSON list column's value ([] when empty)."""
    return list(json.loads(text)) if text else []


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
