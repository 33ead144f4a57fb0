"""Which advisories apply to one device, and with what status: a pure function of the identity.

Statuses: `affected` (the firmware is inside a published range), `no_fix` (the product is end of life: every
version, no fix), `possibly_affected` (the model matches but the firmware is unknown, cannot be compared, or the
published range is uncertain; or a rebadged unit whose model name its maker's advisory does not list),
`not_affected` (the firmware is outside every range). A device gets an advisory when the advisory's vendor is its
brand or its manufacturer; when the manufacturer makes it for another brand, the advisory is inherited at lower
confidence and the reason says so. Non-camera devices get only advisories whose product lines name their type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from camscan.risk import versions
from camscan.risk.advisories import STATUSES, Advisory, AdvisorySet, Product, Range, boundary

_RANK = {s: i for i, s in enumerate(STATUSES)}


@dataclass(frozen=True, slots=True)
class Subject:
    """What matching reads of a device: maker, label, model, type and firmware (as the engine split it)."""

    manufacturer: str | None
    brand: str | None = None
    model: str | None = None
    device_type: str | None = None
    firmware: str | None = None
    firmware_build: str | None = None
    firmware_date: str | None = None

    @classmethod
    def of(cls, thing: Any) -> Subject:
        """From an Identity or a Device (anything with those attributes)."""
        return cls(
            manufacturer=getattr(thing, "manufacturer", None),
            brand=getattr(thing, "brand", None),
            model=getattr(thing, "model", None),
            device_type=getattr(thing, "device_type", None),
            firmware=getattr(thing, "firmware", None),
            firmware_build=getattr(thing, "firmware_build", None),
            firmware_date=getattr(thing, "firmware_date", None),
        )


@dataclass(frozen=True, slots=True)
class AdvisoryMatch:
    """One advisory for one device (CONTRACT additive: `identify` / `devices --json` key `advisories`)."""

    id: str
    status: str
    kev: bool
    reason: str
    fixed_in: str | None
    action: str
    title: str
    confidence: str  # high | medium | low
    inherited: bool
    kev_date_added: str | None = None
    ransomware: str | None = None
    cvss: float | None = None
    product: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "kev": self.kev,
            "reason": self.reason,
            "fixed_in": self.fixed_in,
            "action": self.action,
            "title": self.title,
            "confidence": self.confidence,
            "inherited": self.inherited,
            "kev_date_added": self.kev_date_added,
            "ransomware": self.ransomware,
            "cvss": self.cvss,
            "product": self.product,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AdvisoryMatch:
        values: dict[str, Any] = {k: data.get(k) for k in cls.__slots__}
        return cls(**values)

    @property
    def exploitable(self) -> bool:
        """Affected or end of life (not merely possibly)."""
        return self.status in ("affected", "no_fix")

    def sort_key(self) -> tuple[int, int, str]:
        return (_RANK.get(self.status, 9), 0 if self.kev else 1, self.id)


@dataclass(frozen=True, slots=True)
class _Verdict:
    status: str
    why: str
    fixed_in: str | None = None
    last_affected: str | None = None


def normalise_model(model: str, drop: Iterable[str | None] = ()) -> str:
    """Upper case, `_` and runs of spaces as one space, a leading vendor name dropped (`AXIS M1065-LW`)."""
    text = re.sub(r"[\s_]+", " ", model).strip().upper()
    for name in drop:
        if name:
            prefix = name.upper() + " "
            if text.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix) :]
    return text


def _firmware(adv: Advisory, s: Subject) -> versions.Firmware | None:
    if not s.firmware:
        return None
    built = s.firmware_date or versions.stamp_date(s.firmware_build)
    fw = versions.parse(adv.scheme, s.firmware, s.firmware_build, built)
    if fw is None and adv.basis == "build_date" and built:
        return versions.Firmware(s.firmware, date=built)
    return fw


def _bound(adv: Advisory, r: Range, name: str) -> versions.Firmware:
    fw = r.parsed.get(name)
    if fw is None:
        fw = boundary(adv.scheme, adv.basis, getattr(r, name))
    assert fw is not None
    return fw


def _in_range(adv: Advisory, fw: versions.Firmware, r: Range) -> bool | None:
    if r.introduced:
        c = versions.compare(fw, _bound(adv, r, "introduced"), adv.basis)
        if c is None:
            return None
        if c < 0:
            return False
    if r.fixed:
        c = versions.compare(fw, _bound(adv, r, "fixed"), adv.basis)
        return None if c is None else c < 0
    if r.last_affected:
        c = versions.compare(fw, _bound(adv, r, "last_affected"), adv.basis)
        return None if c is None else c <= 0
    return None


def _shown(s: Subject) -> str:
    parts = [s.firmware or ""]
    if s.firmware_build and s.firmware_build not in (s.firmware or ""):
        parts.append(
            f"build {s.firmware_build}"
            if not s.firmware_build.lower().startswith("build")
            else s.firmware_build
        )
    return " ".join(p for p in parts if p)


def _judge(adv: Advisory, product: Product, s: Subject) -> _Verdict:
    """The status of one product line for the device's firmware."""
    basis = {"build_date": "build date", "both": "version and build date"}.get(adv.basis, "version")
    if product.all_versions:
        return _Verdict(
            "no_fix", f"{product.name} is end of life: every version is affected and there is no fix"
        )
    if not s.firmware:
        return _Verdict("possibly_affected", "the firmware version is unknown")
    shown = _shown(s)
    if product.range_unknown:
        return _Verdict("possibly_affected", f"no firmware range is published ({shown} cannot be ruled out)")
    fw = _firmware(adv, s)
    if product.versions:
        if fw is not None and any(
            versions.compare_version(
                fw, versions.parse(adv.scheme, v) or versions.Firmware(v, rest=v.casefold())
            )
            == 0
            for v in product.versions
        ):
            return _Verdict("affected", f"firmware {shown} is a version the advisory names")
        return _Verdict(
            "possibly_affected",
            f"firmware {shown} is not the version the advisory names ({product.describe_range()}); others are not ruled out",
        )
    if fw is None:
        return _Verdict(
            "possibly_affected",
            f"firmware {shown} cannot be compared with the published range ({product.describe_range()}, by {basis})",
        )
    unknown = False
    for r in product.ranges:
        inside = _in_range(adv, fw, r)
        if inside:
            return _Verdict(
                "affected",
                f"firmware {shown} is in the affected range {r.describe()} (by {basis})",
                r.fixed,
                r.last_affected,
            )
        if inside is None:
            unknown = True
    if unknown:
        return _Verdict(
            "possibly_affected",
            f"firmware {shown} cannot be placed against the published range {product.describe_range()} (by {basis})",
        )
    if adv.uncertain or product.uncertain:
        return _Verdict(
            "possibly_affected",
            f"firmware {shown} is outside the published range {product.describe_range()}, but that range is uncertain",
        )
    return _Verdict(
        "not_affected",
        f"firmware {shown} is outside the affected range {product.describe_range()} (by {basis})",
    )


def _action(adv: Advisory, verdict: _Verdict, product: Product | None) -> str:
    if verdict.status == "no_fix":
        return "replace: end of life, no fixed firmware"
    if verdict.status == "affected":
        if verdict.fixed_in and adv.basis == "build_date":
            step = f"upgrade to a firmware built on or after {verdict.fixed_in}"
        elif verdict.fixed_in:
            step = f"upgrade to {verdict.fixed_in} or later"
        elif verdict.last_affected:
            step = f"upgrade to a release after {verdict.last_affected}" + (
                " (build date)" if adv.basis == "build_date" else ""
            )
        else:
            step = "upgrade to a fixed release"
        if product is not None and product.end_of_life:
            step += "; the product is end of life: plan its replacement"
        return step
    if verdict.status == "possibly_affected":
        return "read the exact model and firmware (e.g. scan with credentials) and check them against the advisory"
    return "none"


def _applies_to_type(product: Product, device_type: str | None, model_matched: bool) -> bool:
    if device_type is None:
        return model_matched and not product.catch_all
    return device_type in product.device_types


def _match_one(adv: Advisory, s: Subject, inherited: bool, via: str) -> AdvisoryMatch | None:
    model = normalise_model(s.model, (adv.vendor, s.brand, s.manufacturer)) if s.model else None
    verdict: _Verdict | None = None
    product: Product | None = None
    mapped = False
    if model is not None:
        for p in adv.products:
            if p.matches(model) and _applies_to_type(p, s.device_type, True):
                v = _judge(adv, p, s)
                if verdict is None or _RANK[v.status] < _RANK[verdict.status]:
                    verdict, product = v, p
                mapped = True
    if not mapped:
        if model is not None and not inherited:
            return None  # a model of this vendor that the advisory does not list
        candidates = [
            p for p in adv.products if s.device_type is not None and s.device_type in p.device_types
        ]
        if not candidates:
            return None
        verdicts = [_judge(adv, p, s) for p in candidates]
        what = (
            f"model {s.model} is not in {adv.vendor}'s list" if model is not None else "the model is unknown"
        )
        if all(v.status == "not_affected" for v in verdicts):
            verdict = _Verdict(
                "not_affected", f"{what}, but firmware {_shown(s)} is outside every listed range"
            )
        else:
            hit = next((v for v in verdicts if v.status == "affected"), None)
            detail = (
                f"firmware {_shown(s)} is inside the range of some listed products"
                if hit
                else verdicts[0].why
            )
            verdict = _Verdict(
                "possibly_affected", f"{what} ({len(candidates)} listed product line(s)); {detail}"
            )
    assert verdict is not None
    reason = verdict.why
    if product is not None:
        reason = f"{product.name}: {reason}"
    if inherited:
        reason = f"{via}: inherits {adv.vendor}'s advisory; {reason}"
    if not mapped or inherited:
        confidence = "low" if not mapped else "medium"
    else:
        loose = product is not None and (product.uncertain or product.catch_all or product.range_unknown)
        confidence = "medium" if (adv.uncertain or loose) else "high"
    kev = adv.kev or {}
    return AdvisoryMatch(
        id=adv.id,
        status=verdict.status,
        kev=adv.in_kev,
        reason=reason,
        fixed_in=verdict.fixed_in,
        action=_action(adv, verdict, product),
        title=adv.title,
        confidence=confidence,
        inherited=inherited,
        kev_date_added=kev.get("date_added"),
        ransomware=kev.get("ransomware"),
        cvss=adv.cvss,
        product=product.name if product is not None else None,
    )


#: How many distinct devices the per-set memo keeps before it starts over.
MEMO_SIZE = 8192


def match(advisories: AdvisorySet, subject: Subject) -> list[AdvisoryMatch]:
    """Every advisory that concerns the device, most urgent first (affected, no fix, possibly; KEV first).

    A pure function of the subject and the advisory data, so results are memoised per distinct subject (an estate
    repeats a few model + firmware combinations many times)."""
    if not advisories.by_vendor or not (subject.manufacturer or subject.brand):
        return []
    return _memoised(advisories, _key(subject))


def match_identity(advisories: AdvisorySet, thing: Any) -> list[AdvisoryMatch]:
    """`match` for an Identity or a Device, without building a Subject when the memo already knows the device
    (what the engine calls for every identity: it must stay cheap)."""
    if not (thing.manufacturer in advisories.by_vendor or thing.brand in advisories.by_vendor):
        return []
    return _memoised(advisories, _key(thing))


def _key(thing: Any) -> tuple[Any, ...]:
    return (
        thing.manufacturer,
        thing.brand,
        thing.model,
        thing.device_type,
        thing.firmware,
        thing.firmware_build,
        getattr(thing, "firmware_date", None),
    )


def _memoised(advisories: AdvisorySet, key: tuple[Any, ...]) -> list[AdvisoryMatch]:
    memo = advisories.memo
    hit = memo.get(key)
    if hit is None:
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        hit = memo[key] = tuple(_match(advisories, Subject(*key)))
    return list(hit)


def _match(advisories: AdvisorySet, subject: Subject) -> list[AdvisoryMatch]:
    maker, label = subject.manufacturer, subject.brand
    out: list[AdvisoryMatch] = []
    seen: set[str] = set()
    for vendor in (label, maker):
        if not vendor:
            continue
        for adv in advisories.by_vendor.get(vendor, ()):
            if adv.id in seen:
                continue
            seen.add(adv.id)
            inherited = vendor == maker and label is not None and label != maker
            via = f"made by {maker}, sold as {label}" if inherited else ""
            found = _match_one(adv, subject, inherited, via)
            if found is not None:
                out.append(found)
    out.sort(key=AdvisoryMatch.sort_key)
    return out
