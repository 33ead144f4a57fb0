"""What one scan found, in a few lines: the end of `camscan scan` and `camscan pcap` (issue 12, item 9).

A scan of a /22 finds hundreds of devices; printing them all buries what a person wants at the end: how many
devices and cameras, by maker, how many of concern, how many cameras are unidentified, what changed since the
last scan of the site, what failed, and where to look next. The full table is `camscan devices`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from camscan.errors import UsageError
from camscan.report.diff import ScanDiff, previous_changes
from camscan.report.queries import MakerCount, by_manufacturer, get_scan, load_estate, totals
from camscan.store import Store

#: Makers listed by name in the summary; the rest are counted as "others".
TOP_MAKERS = 8


@dataclass(slots=True)
class ScanSummary:
    scan_id: int
    site: str | None
    status: str
    errors: int
    counts: dict[str, Any] = field(default_factory=dict)
    makers: list[MakerCount] = field(default_factory=list)
    changes: ScanDiff | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "scan_id": self.scan_id,
            "site": self.site,
            "status": self.status,
            "errors": self.errors,
            **self.counts,
            "by_manufacturer": [
                {"manufacturer": m.manufacturer, "devices": m.devices, "cameras": m.cameras}
                for m in self.makers
            ],
            "changes": self.changes.summary() if self.changes is not None else None,
        }


def summarise_scan(store: Store, scan_id: int) -> ScanSummary:
    """The summary of scan `scan_id` (the devices as that scan saw them)."""
    scan = get_scan(store, scan_id)
    summary = ScanSummary(scan.id, scan.site, scan.status, scan.errors)
    try:
        estate = load_estate(store, scan_id=scan_id)
    except UsageError:  # the scan saw no device
        summary.counts = {"devices": 0, "cameras": 0}
        return summary
    summary.counts = totals(estate).to_dict()
    summary.makers = by_manufacturer(estate)
    summary.changes = previous_changes(store, None, scan_id)
    return summary
