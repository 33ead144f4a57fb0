"""`camscan risk`: device x advisory, with the reason and what to do, read from the inventory's read model.

Rows come from each device's stored advisories (`Device.advisories`, matched when the device was stored and
re-matched when the advisory data changes). Ordering: KEV first, then affected, no fix, possibly affected; within
that by site and address. `not_affected` rows are left out unless asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from camscan.model import Device
from camscan.report.queries import ip_order

_RANK = {"affected": 0, "no_fix": 1, "possibly_affected": 2, "not_affected": 3}
#: Device fields shown beside each advisory.
DEVICE_FIELDS = (
    "key",
    "ip",
    "mac",
    "site",
    "brand",
    "manufacturer",
    "model",
    "firmware",
    "firmware_build",
    "device_type",
)


@dataclass(slots=True)
class RiskRow:
    device: Device
    advisory: dict[str, Any]

    def sort_key(self) -> tuple[Any, ...]:
        a = self.advisory
        return (
            0 if a.get("kev") else 1,
            _RANK.get(a.get("status", ""), 9),
            self.device.site or "",
            ip_order(self.device.ip),
            self.device.key,
            a.get("id", ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"device": {f: getattr(self.device, f) for f in DEVICE_FIELDS}, **self.advisory}

    def label(self) -> str:
        d = self.device
        name = " ".join(x for x in (d.manufacturer or "(maker unknown)", d.model) if x)
        if d.brand and d.brand != d.manufacturer:
            name += f" (sold as {d.brand})"
        return name


@dataclass(slots=True)
class RiskResult:
    """The `camscan risk` result: rows, and counts per status."""

    rows: list[RiskRow]
    devices: int
    advisories: str
    kev_only: bool = False
    include_not_affected: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 0

    @property
    def devices_at_risk(self) -> int:
        return len({r.device.key for r in self.rows if r.advisory.get("status") != "not_affected"})

    def to_dict(self) -> dict[str, Any]:
        return {
            "advisories": self.advisories,
            "devices": self.devices,
            "devices_at_risk": self.devices_at_risk,
            "kev_only": self.kev_only,
            "counts": dict(self.counts),
            "rows": [r.to_dict() for r in self.rows],
        }


def risk_rows(
    devices: Iterable[Device], *, kev_only: bool = False, include_not_affected: bool = False, label: str = ""
) -> RiskResult:
    rows: list[RiskRow] = []
    counts: dict[str, int] = {}
    total = 0
    for d in devices:
        total += 1
        for a in d.advisories:
            if kev_only and not a.get("kev"):
                continue
            status = a.get("status", "")
            counts[status] = counts.get(status, 0) + 1
            if status == "not_affected" and not include_not_affected:
                continue
            rows.append(RiskRow(d, a))
    rows.sort(key=RiskRow.sort_key)
    return RiskResult(rows, total, label, kev_only, include_not_affected, counts)


def exploitable(device: Device) -> list[dict[str, Any]]:
    """The device's advisories a reader must act on: affected or no fix (KEV first), then possibly affected."""
    shown = [a for a in device.advisories if a.get("status") in ("affected", "no_fix", "possibly_affected")]
    return sorted(
        shown, key=lambda a: (0 if a.get("kev") else 1, _RANK.get(a.get("status", ""), 9), a.get("id", ""))
    )
