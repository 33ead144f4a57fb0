"""Datasette metadata for an inventory: titles, table/view/column descriptions, default facets.

`camscan datasette-metadata` writes it next to the database (`inventory.metadata.json` for `inventory.db`);
open with `datasette inventory.db -m inventory.metadata.json`. See docs/datasette.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from camscan import __version__
from camscan.migrations import CAMERA_PORTS, CAMERA_PROTOCOL_KINDS

_IDENTITY = {
    "brand": "What the device calls itself (its label), canonical vendor name where known",
    "manufacturer": "Who really made it, after resolving rebadging (OEM relationships); empty when unknown",
    "model": "Model as reported by the device",
    "firmware": "Firmware version (build date split off into firmware_build)",
    "firmware_build": "Firmware build date/number",
    "serial": "Serial number as reported",
    "hardware": "Hardware revision / id",
    "device_type": "camera, nvr, dvr, encoder (video surveillance) or another lowercase type",
    "hostname": "Host name the device reported",
    "os": "Operating system it runs (Android, Windows, Linux, BusyBox Linux …): never its maker or its type",
    "os_version": "Version of that operating system, when the device stated one (Android 13, Linux 4.14.78)",
}

TABLES: dict[str, dict[str, Any]] = {
    "devices": {
        "description": "One row per physical device: its current identity. Key: MAC, else manufacturer + serial, "
        "else site + IP.",
        "facets": ["manufacturer", "device_type", "site"],
        "columns": {
            "key": "Stable device key (mac:…, serial:maker:…, ip:site:…)",
            "ip": "Last IP address",
            "mac": "MAC address (lower case)",
            "site": "Site given to the scan (--site)",
            **_IDENTITY,
            "is_camera": "1 for video surveillance devices (camera, NVR, DVR, encoder)",
            "confidence": "0..1: confidence in the manufacturer (or brand/type when no manufacturer)",
            "concerns": "JSON list of concern ids that apply (documented or secondary links)",
            "concern_details": "JSON: every concern link with the vendor named, relation and confidence",
            "evidence": "JSON: every signature that matched, what it asserted, its weight, port and source",
            "discovered_by": "JSON list of methods that found the device",
            "first_seen": "First seen (UTC)",
            "last_seen": "Last seen (UTC)",
            "last_scan_id": "The last scan that saw it",
            "clock_skew_s": "Device clock minus scanner clock, seconds (ONVIF GetSystemDateAndTime)",
            "platform": "Chip maker's reference firmware it runs (e.g. HiSilicon), not its maker",
            "parent": "A camera found behind a recorder: the recorder's device key (docs/recorders.md)",
            "channel": "The recorder's channel the camera is on",
            "private_address": "The camera's address on the recorder's segment, as the recorder reports it",
            "channel_input": "ip (a network camera the recorder added) or analog (a coax input)",
            "channel_name": "The channel title the recorder shows",
            "channel_status": "online / offline, as the recorder reports it",
            "recorder": "A recorder: JSON of what it said about its channels (counts, listed or not, why not)",
        },
    },
    "scans": {
        "description": "One row per scan, pcap import, nmap import or demo run.",
        "facets": ["kind", "status", "site"],
        "columns": {
            "kind": "active, pcap, nmap, demo …",
            "status": "running, complete, interrupted (partial: kept) or failed",
            "started": "Start (UTC)",
            "finished": "End (UTC)",
            "targets": "JSON list of targets",
            "methods": "JSON list of discovery methods",
            "files": "JSON list of input files (pcap, nmap XML)",
            "errors": "Number of targets or files that could not be processed",
            "details": "JSON: what the source recorded about itself (e.g. nmap's command line and version)",
            "data_version": "Version of the signatures, vendors and concerns data used",
        },
    },
    "hosts": {"description": "Each host a scan saw (IP, MAC, how it was found)."},
    "services": {
        "description": "Each open port a scan saw, with nmap's service name and product when known."
    },
    "observations": {
        "description": "Raw evidence, append-only: one row per thing learned about a host (banner, discovery "
        "reply, MAC …). `value` is JSON for structured kinds.",
        "facets": ["kind", "source"],
    },
    "device_history": {
        "description": "Field changes per device and scan (firmware upgrades, identity and address changes).",
        "facets": ["field"],
    },
    "device_scans": {
        "description": "Which devices each scan saw, with the identity as that scan saw it (what `camscan diff` "
        "compares)."
    },
    "vendors": {
        "description": "Reference: vendors from vendors.yaml (canonical names, country, role, parent company).",
        "facets": ["role", "country"],
    },
    "concerns": {
        "description": "Reference: the concerns register (concerns.yaml): authority, date, jurisdiction, "
        "category, summary and sources of each concern.",
        "facets": ["category", "jurisdiction", "confidence"],
    },
    "vendor_concerns": {
        "description": "Reference: every vendor each concern reaches, and through which relation (self, "
        "subsidiary …) and confidence."
    },
    "vendor_counts": {"description": "View: devices and cameras per manufacturer, the brands sold under it."},
    "devices_of_concern": {
        "description": "View: devices with at least one concern.",
        "facets": ["manufacturer"],
    },
    "cameras": {
        "description": "View: video surveillance devices (camera, NVR, DVR, encoder).",
        "facets": ["manufacturer"],
    },
    "unidentified_cameras": {
        "description": "View: devices with no known manufacturer that are camera-like: a camera device type, or no "
        "identity at all but a camera port or protocol (see camera_signals). What `camscan check --fail-on "
        "unknown` reports."
    },
    "camera_signals": {
        "description": "View: per device and scan, the camera ports open ("
        + ", ".join(map(str, CAMERA_PORTS))
        + " or an nmap 'rtsp' service) and camera protocols answered ("
        + ", ".join(CAMERA_PROTOCOL_KINDS)
        + ")."
    },
    "firmware_spread": {"description": "View: devices per manufacturer, model and firmware version."},
    "devices_by_site": {
        "description": "View: per site, devices, cameras, devices of concern, unknown makers."
    },
    "clock_skew": {
        "description": "View: devices whose clock was measured, worst skew first; `skewed` is 1 when the clock "
        "is off by more than 60 s, the finding the HTML report counts."
    },
    "scan_summary": {"description": "View: each scan with the number of devices and hosts it saw."},
    "device_advisories": {
        "description": "Firmware advisories per device (issue 13): status (affected, no_fix, possibly_affected, "
        "not_affected), KEV, reason, fixed_in and what to do. See docs/risk.md.",
        "facets": ["advisory_id", "status", "kev"],
    },
    "device_risk": {
        "description": "View: devices x advisories that need action (not `not_affected`), KEV and affected first, "
        "with the device's site, address, maker, model and firmware; what `camscan risk` lists.",
        "facets": ["advisory_id", "status", "site"],
    },
    "device_changes": {"description": "View: device history with the device's site, address and maker."},
    "recorder_channels": {
        "description": "View: each recorder (NVR, DVR) with the cameras found on its channels (issue 14): channel, "
        "input (ip / analog), title, status, the address behind the recorder and what the recorder says of the "
        "camera. See docs/recorders.md.",
        "facets": ["recorder_ip", "channel_input"],
    },
    "_camscan_meta": {"hidden": True},
    "_sqlite_migrations": {"hidden": True},
}


def metadata(db_path: Path) -> dict[str, Any]:
    """Datasette metadata for the database file at `db_path` (Datasette names a database by its file stem)."""
    return {
        "title": "camscan inventory",
        "description": "CCTV estate inventory: devices, who made them, on what firmware, and which carry a "
        "recorded concern. Every value a device reported is evidence, not a claim by camscan.",
        "source": f"camscan {__version__}",
        "databases": {db_path.stem: {"description": f"Inventory {db_path.name}", "tables": TABLES}},
    }


def metadata_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.stem}.metadata.json")


def write_metadata(db_path: Path, output: Path | None = None) -> Path:
    target = output or metadata_path(db_path)
    target.write_text(json.dumps(metadata(db_path), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target
