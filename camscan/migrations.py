"""The inventory's schema, as sqlite-utils migrations applied in order when a database is opened
(`camscan.store.Store.open`), so a file made by an older camscan is upgraded in place. Add a change as the next
`mNNN_...` function; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

from camscan.model import CAMERA_TYPES, SKEW_THRESHOLD_S

migrations = Migrations("camscan")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db.table("scans").create(
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
    db.table("hosts").create(
        {"id": int, "scan_id": int, "ip": str, "mac": str, "site": str, "discovered_by": str, "seen": str},
        pk="id",
        foreign_keys=[("scan_id", "scans", "id")],
    )
    db.table("hosts").create_index(["scan_id", "ip"], unique=True)
    db.table("services").create(
        {"id": int, "scan_id": int, "ip": str, "port": int, "proto": str, "name": str, "product": str},
        pk="id",
        foreign_keys=[("scan_id", "scans", "id")],
    )
    db.table("services").create_index(["scan_id", "ip", "port", "proto"], unique=True)
    db.table("observations").create(
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
    db.table("observations").create_index(["scan_id", "ip"])
    db.table("devices").create(
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
    db.table("device_history").create(
        {"id": int, "device_key": str, "scan_id": int, "time": str, "field": str, "old": str, "new": str},
        pk="id",
        foreign_keys=[("device_key", "devices", "key"), ("scan_id", "scans", "id")],
    )
    db.table("device_history").create_index(["device_key"])
    db.table("vendors").create(
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
    db.table("concerns").create(
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
    db.table("vendor_concerns").create(
        {"vendor": str, "concern_id": str, "named_vendor": str, "relation": str, "confidence": str},
        pk=("vendor", "concern_id", "named_vendor"),
    )


@migrations()
def m002_sightings_skew_views(db: sqlite_utils.Database) -> None:
    """Per-scan sightings (for diffs), clock skew and the views people open in Datasette."""
    db.table("devices").add_column("clock_skew_s", float)
    db.table("devices").add_column("concern_details", str)
    db.table("devices").add_column("platform", str)
    db.table("device_scans").create(
        {"device_key": str, "scan_id": int, "ip": str, "identity": str},
        pk=("device_key", "scan_id"),
        foreign_keys=[("device_key", "devices", "key"), ("scan_id", "scans", "id")],
    )
    db.table("device_scans").create_index(["scan_id"])
    db.table("_camscan_meta").create({"key": str, "value": str}, pk="key")
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
    db.table("scans").add_column(
        "details", str
    )  # JSON: what the source recorded about itself (e.g. nmap's args)
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
    db.table("scans").add_column("capture_start", str)
    db.table("scans").add_column("capture_end", str)
    db.table("scans").add_column("packets", int)
    db.table("scans").add_column("pcap_files", str)


@migrations()
def m005_scan_owner(db: sqlite_utils.Database) -> None:
    """Which process runs a scan, so a scan whose process died can be told from one still running."""
    db.table("scans").add_column("owner_pid", int)
    db.table("scans").add_column("owner_host", str)


@migrations()
def m006_device_findings(db: sqlite_utils.Database) -> None:
    """Findings about a device's identity (a MAC or serial other devices share, one interface at two addresses)."""
    db.table("devices").add_column("findings", str)


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


@migrations()
def m008_device_advisories(db: sqlite_utils.Database) -> None:
    """Firmware advisories per device (issue 13): `devices.advisories` (JSON, the read model's copy) and one
    `device_advisories` row per device x advisory for Datasette and SQL; the `device_risk` view lists the rows
    that need action (not `not_affected`) with the device beside them, KEV and affected first."""
    devices = db.table("devices")
    if "advisories" not in devices.columns_dict:
        devices.add_column("advisories", str)
    if "device_advisories" not in db.table_names():
        db.table("device_advisories").create(
            {
                "device_key": str,
                "advisory_id": str,
                "status": str,
                "kev": int,
                "kev_date_added": str,
                "ransomware": str,
                "reason": str,
                "fixed_in": str,
                "action": str,
                "title": str,
                "confidence": str,
                "inherited": int,
                "cvss": float,
                "product": str,
            },
            pk=("device_key", "advisory_id"),
        )
        db.table("device_advisories").create_index(["advisory_id"])
        db.table("device_advisories").create_index(["status"])
    db.create_view(
        "device_risk",
        """
        SELECT a.advisory_id, a.status, a.kev, a.kev_date_added, d.site, d.ip, d.brand, d.manufacturer, d.model,
               d.firmware, d.firmware_build, d.device_type, a.action, a.fixed_in, a.reason, a.confidence,
               a.inherited, a.title, a.cvss, a.device_key, d.last_seen
        FROM device_advisories a JOIN devices d ON d.key = a.device_key
        WHERE a.status != 'not_affected'
        ORDER BY a.kev DESC,
                 CASE a.status WHEN 'affected' THEN 0 WHEN 'no_fix' THEN 1 WHEN 'possibly_affected' THEN 2 ELSE 3 END,
                 d.site, d.ip, a.advisory_id
        """,
        replace=True,
    )


@migrations()
def m009_recorder_channels(db: sqlite_utils.Database) -> None:
    """Cameras behind recorders (issue 14): a device found through a recorder's channel list names its recorder
    (`parent`, the recorder's device key), the channel, its address on the recorder's segment and the input kind;
    a recorder keeps what it said about its channels (`recorder`, JSON). Sightings keep the channel, so `diff`
    sees a camera swapped on a channel. The `recorder_channels` view lists each recorder with its cameras."""
    devices = db.table("devices")
    for name, kind in (
        ("parent", str),
        ("channel", int),
        ("private_address", str),
        ("channel_input", str),
        ("recorder", str),
    ):
        if name not in devices.columns_dict:
            devices.add_column(name, kind)
    sightings = db.table("device_scans")
    for name, kind in (("parent", str), ("channel", int)):
        if name not in sightings.columns_dict:
            sightings.add_column(name, kind)
    devices.create_index(["parent"], if_not_exists=True)
    db.create_view(
        "recorder_channels",
        """
        SELECT r.key AS recorder_key, r.ip AS recorder_ip, r.site, r.manufacturer AS recorder_manufacturer,
               r.model AS recorder_model, c.channel, c.channel_input, c.private_address, c.key AS device_key,
               c.ip, c.brand, c.manufacturer, c.model, c.firmware, c.serial, c.device_type, c.concerns,
               c.last_seen
        FROM devices c JOIN devices r ON r.key = c.parent
        ORDER BY r.site, r.ip, c.channel
        """,
        replace=True,
    )


@migrations()
def m010_recorder_channel_details(db: sqlite_utils.Database) -> None:
    """What a recorder says of a channel besides the camera's identity (issue 14): its title and whether the
    camera is online; the `recorder_channels` view shows both."""
    devices = db.table("devices")
    for name in ("channel_name", "channel_status"):
        if name not in devices.columns_dict:
            devices.add_column(name, str)
    db.create_view(
        "recorder_channels",
        """
        SELECT r.key AS recorder_key, r.ip AS recorder_ip, r.site, r.manufacturer AS recorder_manufacturer,
               r.model AS recorder_model, c.channel, c.channel_input, c.channel_name, c.channel_status,
               c.private_address, c.key AS device_key, c.ip, c.brand, c.manufacturer, c.model, c.firmware,
               c.serial, c.device_type, c.concerns, c.last_seen
        FROM devices c JOIN devices r ON r.key = c.parent
        ORDER BY r.site, r.ip, c.channel
        """,
        replace=True,
    )


@migrations()
def m011_device_os(db: sqlite_utils.Database) -> None:
    """What a device runs (`os`, `os_version`: Android 13, Windows, BusyBox Linux …), an identity field of its own
    that never implies the maker or the device type (docs/identify.md, "Operating system")."""
    devices = db.table("devices")
    for name in ("os", "os_version"):
        if name not in devices.columns_dict:
            devices.add_column(name, str)
