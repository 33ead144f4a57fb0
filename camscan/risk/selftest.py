"""Advisory examples test themselves (`camscan signatures test`): model + firmware -> the status the entry says.

An example's firmware string is split by the firmware schemes of the data under test, as the engine would split
what a device reports; its manufacturer defaults to the advisory's vendor, its brand to the manufacturer, its
type to camera. `status: null` says the advisory must not apply to that device.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from camscan.risk.advisories import AdvisorySet
from camscan.risk.match import Subject, match

if TYPE_CHECKING:
    from camscan.identify.firmware import FirmwareSchemes


def example_subject(vendor: str, example: dict[str, Any], firmware: FirmwareSchemes | None) -> Subject:
    maker = example.get("manufacturer") or vendor
    text = example.get("firmware")
    version = build = built = None
    if text:
        if firmware is not None:
            parts = firmware.parse(str(text))
            version, build, built = parts.version, parts.build or parts.build_date, parts.build_date
        else:
            version = str(text)
    return Subject(
        manufacturer=maker,
        brand=example.get("brand") or maker,
        model=example.get("model"),
        device_type=example.get("device_type", "camera"),
        firmware=version,
        firmware_build=build,
        firmware_date=built,
    )


def run(
    advisories: AdvisorySet, firmware: FirmwareSchemes | None = None
) -> tuple[int, list[tuple[str, str]]]:
    """(examples checked, [(advisory id, problem)])."""
    problems: list[tuple[str, str]] = []
    count = 0
    for adv in advisories:
        for n, ex in enumerate(adv.examples, 1):
            count += 1
            subject = example_subject(adv.vendor, ex, firmware)
            got = next((m for m in match(advisories, subject) if m.id == adv.id), None)
            want = ex.get("status")
            label = f"example {n} ({ex.get('model')} {ex.get('firmware')})"
            if want is None:
                if got is not None:
                    problems.append((adv.id, f"{label} must not apply, got {got.status}: {got.reason}"))
                continue
            if got is None:
                problems.append((adv.id, f"{label} expected {want}, got no match"))
                continue
            if got.status != want:
                problems.append((adv.id, f"{label} expected {want}, got {got.status}: {got.reason}"))
            if "inherited" in ex and bool(ex["inherited"]) != got.inherited:
                problems.append(
                    (adv.id, f"{label} expected inherited={ex['inherited']}, got {got.inherited}")
                )
    return count, problems
