"""`camscan check`: a CI gate that fails when devices of concern or unidentified cameras are present.

- `concern`: a device with at least one concern (documented or secondary link; uncertain links never fail).
- `unknown`: an unidentified camera, as the `unidentified_cameras` view defines it: a device with no known
  manufacturer that either has a camera device type (camera, NVR, DVR, encoder), or has no identity at all
  but exposed a camera port or answered a camera protocol (RTSP, ONVIF, a vendor discovery protocol).
  Except an analogue camera on a recorder's coax input whose maker the recorder does not say (issue 14): coax
  carries no identity, so no scan could ever name it and the gate would fail forever. Those are counted apart
  (`analog_cameras`); an IP camera behind a recorder that did not say who made it still fails.
- `kev` (issue 13): a device with an advisory in CISA's KEV catalog that it is affected by, cannot be fixed
  (end of life), or possibly carries (firmware unknown or not comparable): a known-exploited hole not ruled out.
- `affected` (issue 13): a device affected by any advisory, or end of life with no fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from camscan.errors import UsageError
from camscan.report.queries import DeviceRow, Estate, ranked_concerns
from camscan.report.recorders import is_analog_unknown

FAIL_ON = ("concern", "unknown", "kev", "affected")
#: How many concern ids one line names before "+N more".
MAX_IDS = 3


def parse_fail_on(values: Iterable[str]) -> list[str]:
    """`--fail-on concern --fail-on unknown` or `--fail-on concern,unknown,kev,affected`; default: concern."""
    chosen: list[str] = []
    for value in values:
        for part in value.split(","):
            name = part.strip().lower()
            if not name:
                continue
            if name not in FAIL_ON:
                raise UsageError(f"--fail-on {part.strip()!r}: choose from {', '.join(FAIL_ON)}")
            if name not in chosen:
                chosen.append(name)
    return chosen or ["concern"]


@dataclass(slots=True)
class Finding:
    """One offending device and why."""

    device: DeviceRow
    reasons: list[str]  # "concern" and/or "unknown"
    detail: str

    def line(self) -> str:
        d = self.device
        where = d.ip or d.mac or d.key
        site = f" site {d.site}" if d.site else ""
        label = " ".join(x for x in (d.manufacturer or "(maker unknown)", d.model) if x)
        if d.brand and d.brand != d.manufacturer:
            label += f" (sold as {d.brand})"
        return f"{'+'.join(self.reasons)}: {where}{site} {label}: {self.detail}"

    def to_dict(self) -> dict[str, Any]:
        return {"reasons": self.reasons, "detail": self.detail, "device": self.device.to_dict()}


def _concern_detail(device: DeviceRow, estate: Estate) -> str:
    ids = ranked_concerns(estate, device.concerns)
    shown = ", ".join(ids[:MAX_IDS]) + (f" +{len(ids) - MAX_IDS} more" if len(ids) > MAX_IDS else "")
    return f"{len(ids)} concern{'s' if len(ids) != 1 else ''} ({shown})"


#: Advisory statuses that fail `--fail-on kev` (a known-exploited hole not ruled out).
KEV_STATUSES = ("affected", "no_fix", "possibly_affected")


def _advisory_detail(advisories: list[dict[str, Any]], what: str) -> str:
    shown = ", ".join(f"{a.get('id')} {a.get('status')}" for a in advisories[:MAX_IDS])
    more = f" +{len(advisories) - MAX_IDS} more" if len(advisories) > MAX_IDS else ""
    return f"{len(advisories)} {what} advisor{'ies' if len(advisories) != 1 else 'y'} ({shown}{more})"


def check(estate: Estate, fail_on: Iterable[str]) -> list[Finding]:
    """Every device that fails one of the chosen rules, one finding per device."""
    rules = set(fail_on)
    findings = []
    for d in estate.devices:
        reasons, details = [], []
        if "concern" in rules and d.of_concern:
            reasons.append("concern")
            details.append(_concern_detail(d, estate))
        if "unknown" in rules and d.key in estate.unidentified and not is_analog_unknown(d):
            reasons.append("unknown")
            details.append(f"unidentified camera: {estate.unidentified[d.key]}")
        if "kev" in rules:
            kev = [a for a in d.advisories if a.get("kev") and a.get("status") in KEV_STATUSES]
            if kev:
                reasons.append("kev")
                details.append(_advisory_detail(kev, "known-exploited"))
        if "affected" in rules:
            hit = [a for a in d.advisories if a.get("status") in ("affected", "no_fix")]
            if hit:
                reasons.append("affected")
                details.append(_advisory_detail(hit, "affected"))
        if reasons:
            findings.append(Finding(d, reasons, "; ".join(details)))
    return findings


def analog_cameras(estate: Estate) -> list[DeviceRow]:
    """The analogue cameras behind recorders whose maker cannot be read over the network (never `unknown`)."""
    return [d for d in estate.devices if is_analog_unknown(d)]


def analog_note(count: int) -> str | None:
    """The summary line `check` adds when there are such cameras."""
    if not count:
        return None
    return (
        f"{count} analogue camera{'s' if count != 1 else ''} behind recorders (maker cannot be read over the "
        "network): not counted as unidentified cameras"
    )
