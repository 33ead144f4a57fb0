"""`camscan advisories update --kev FILE`: refresh the KEV fields of advisories.yaml from a user-supplied copy of
CISA's Known Exploited Vulnerabilities catalog (JSON or CSV, as CISA publishes them). Nothing is downloaded.

What it does: validates the catalog (required fields; for JSON, `count` equals the entries), updates only the
`kev` fields (`date_added`, `ransomware`) of entries advisories.yaml already has, records the catalog's version,
release date, count and sha256 in `kev_catalog`, and lists the KEV entries from camera makers that have no curated
range yet (someone has to write those by hand, with sources). Entries absent from the catalog are kept as they are
(an older catalog never erases a newer listing). The file is edited line by line, so its comments stay.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from camscan.errors import UsageError

if TYPE_CHECKING:
    from camscan.identify.vendors import VendorRegistry
    from camscan.risk.advisories import AdvisorySet

REQUIRED = ("cveID", "vendorProject", "product", "dateAdded", "knownRansomwareCampaignUse")
#: A KEV product that names one of these is camera equipment even when its vendor is not a camera maker.
CAMERA_WORDS = re.compile(
    r"\b(camera|cameras|ip cam|nvr|dvr|video recorder|surveillance|cctv|nvms|viostor)\b", re.I
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FILE_VERSION = re.compile(r"(\d{4}\.\d{2}\.\d{2})")


@dataclass(slots=True)
class Catalog:
    path: Path
    format: str  # json | csv
    version: str | None
    date_released: str | None
    count: int
    sha256: str
    entries: dict[str, dict[str, str]]


def read_catalog(path: Path) -> Catalog:
    """A KEV catalog file, validated; a problem is a UsageError naming the file and the entry."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from None
    sha = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text; expected CISA's KEV catalog as JSON or CSV") from None
    if text.lstrip().startswith("{"):
        return _read_json(Path(path), text, sha)
    return _read_csv(Path(path), text, sha)


def _check_entry(path: Path, where: str, entry: dict[str, Any]) -> dict[str, str]:
    missing = [k for k in REQUIRED if not isinstance(entry.get(k), str) or not entry.get(k, "").strip()]
    if missing:
        raise UsageError(f"{path}: {where} lacks {', '.join(missing)}")
    if not _DATE.match(entry["dateAdded"].strip()):
        raise UsageError(
            f"{path}: {where} ({entry['cveID']}): dateAdded {entry['dateAdded']!r} is not YYYY-MM-DD"
        )
    return {k: str(entry.get(k) or "").strip() for k in (*REQUIRED, "vulnerabilityName")}


def _read_json(path: Path, text: str, sha: str) -> Catalog:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("vulnerabilities"), list):
        raise UsageError(f"{path}: not a KEV catalog (no 'vulnerabilities' list)")
    for key in ("catalogVersion", "count"):
        if key not in doc:
            raise UsageError(f"{path}: not a KEV catalog (no {key!r})")
    vulns = doc["vulnerabilities"]
    if not isinstance(doc["count"], int) or doc["count"] != len(vulns):
        raise UsageError(f"{path}: count says {doc['count']!r} but the catalog lists {len(vulns)} entries")
    entries = {}
    for n, v in enumerate(vulns, 1):
        if not isinstance(v, dict):
            raise UsageError(f"{path}: entry {n} is not an object")
        e = _check_entry(path, f"entry {n}", v)
        entries[e["cveID"]] = e
    return Catalog(
        path, "json", str(doc["catalogVersion"]), doc.get("dateReleased"), len(vulns), sha, entries
    )


def _read_csv(path: Path, text: str, sha: str) -> Catalog:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [k for k in REQUIRED if k not in header]
    if missing:
        raise UsageError(f"{path}: not a KEV catalog CSV (no column {', '.join(missing)})")
    entries = {}
    for n, row in enumerate(reader, 2):
        e = _check_entry(path, f"line {n}", row)
        entries[e["cveID"]] = e
    if not entries:
        raise UsageError(f"{path}: the KEV catalog CSV lists no entries")
    m = _FILE_VERSION.search(path.name)
    # The CSV carries no catalogVersion or count: the version comes from CISA's file name when it has one.
    return Catalog(path, "csv", m.group(1) if m else None, None, len(entries), sha, entries)


@dataclass(slots=True)
class KevUpdate:
    """What `advisories update` did (or would do with --dry-run); `to_dict()` is its --json document."""

    catalog: Catalog
    target: Path
    written: bool
    changed: list[dict[str, Any]] = field(default_factory=list)
    listed: int = 0
    absent: list[str] = field(default_factory=list)
    uncurated: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 0

    def to_dict(self) -> dict[str, Any]:
        c = self.catalog
        return {
            "catalog": {
                "file": str(c.path),
                "format": c.format,
                "version": c.version,
                "date_released": c.date_released,
                "count": c.count,
                "sha256": c.sha256,
            },
            "target": str(self.target),
            "written": self.written,
            "advisories_in_catalog": self.listed,
            "changed": self.changed,
            "not_in_catalog": self.absent,
            "uncurated_camera_entries": self.uncurated,
            "warnings": self.warnings,
        }


def _is_camera_entry(entry: dict[str, str], vendors: VendorRegistry) -> bool:
    maker = vendors.resolve(entry["vendorProject"])
    if maker is not None and vendors.is_camera_vendor(maker) and vendors.is_video_only(maker):
        return True
    return bool(
        CAMERA_WORDS.search(entry["product"]) or CAMERA_WORDS.search(entry.get("vulnerabilityName", ""))
    )


def plan(catalog: Catalog, advisories: AdvisorySet, vendors: VendorRegistry) -> KevUpdate:
    update = KevUpdate(catalog, advisories.path or Path("advisories.yaml"), written=False)
    recorded = (advisories.kev_catalog or {}).get("version")
    if catalog.version and recorded and catalog.version < str(recorded):
        update.warnings.append(
            f"catalog {catalog.version} is older than the one recorded ({recorded}): entries it lacks are kept"
        )
    if catalog.version is None:
        update.warnings.append("the CSV's file name carries no catalog version: version recorded as unknown")
    for adv in advisories:
        entry = catalog.entries.get(adv.id)
        if entry is None:
            if adv.kev is not None:
                update.absent.append(adv.id)
            continue
        update.listed += 1
        new = {"date_added": entry["dateAdded"], "ransomware": entry["knownRansomwareCampaignUse"]}
        if adv.kev != new:
            update.changed.append({"id": adv.id, "old": adv.kev, "new": new})
    known = {a.id for a in advisories}
    for cve, entry in sorted(
        catalog.entries.items(), key=lambda kv: (kv[1]["dateAdded"], kv[0]), reverse=True
    ):
        if cve not in known and _is_camera_entry(entry, vendors):
            update.uncurated.append(
                {
                    "cveID": cve,
                    "vendorProject": entry["vendorProject"],
                    "product": entry["product"],
                    "dateAdded": entry["dateAdded"],
                    "vendor": vendors.resolve(entry["vendorProject"]) or "",
                }
            )
    return update


def _kev_line(indent: str, kev: dict[str, str] | None) -> str:
    if kev is None:
        return f"{indent}kev: null"
    return f'{indent}kev: {{date_added: "{kev["date_added"]}", ransomware: "{kev["ransomware"]}"}}'


def rewrite(text: str, update: KevUpdate) -> str:
    """advisories.yaml with the planned KEV fields and the catalog record, every other line unchanged."""
    changes = {c["id"]: c["new"] for c in update.changed}
    lines = text.split("\n")
    if not any(line.startswith("kev_catalog:") for line in lines):
        at = next((i for i, line in enumerate(lines) if line.startswith("version:")), -1)
        lines.insert(at + 1, "kev_catalog: {}")
    current: str | None = None
    for i, line in enumerate(lines):
        m = re.match(r"^\s*- id: (CVE-\d{4}-\d+)\s*$", line)
        if m:
            current = m.group(1)
            continue
        m = re.match(r"^(\s+)kev: .*$", line)
        if m and current in changes:
            lines[i] = _kev_line(m.group(1), changes.pop(current))
        if line.startswith("kev_catalog:"):
            c = update.catalog
            record = {
                "version": c.version,
                "date_released": c.date_released,
                "count": c.count,
                "sha256": c.sha256,
                "file": c.path.name,
            }
            lines[i] = "kev_catalog: " + json.dumps(record, ensure_ascii=False)
    if changes:
        raise UsageError(f"advisories.yaml: no one-line `kev:` field found for {', '.join(sorted(changes))}")
    return "\n".join(lines)
