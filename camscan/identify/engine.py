"""The one identification engine: a host's observations in, an Identity out.

Every source (active probe, pcap, nmap XML, `camscan identify`) ends here. How the votes combine is described
in docs/data-format.md ("How the engine decides").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from camscan.identify.knowledge import Knowledge, load_knowledge
from camscan.model import IDENTITY_FIELDS, Evidence, Identity, Observation

_BUILD = re.compile(r"^(?P<version>.*?\S)[\s_,.]*build[\s_:.]*(?P<build>\d{6,8})\b", re.IGNORECASE)
#: Confidence given to a device type inferred from a camera maker's identity alone.
INFERRED_TYPE_CONFIDENCE = 0.3


def split_firmware(firmware: str) -> tuple[str, str | None]:
    """`V5.1.8 build 140616` → (`V5.1.8`, `140616`); other strings are returned unchanged."""
    m = _BUILD.match(firmware)
    if not m:
        return firmware, None
    return m.group("version"), m.group("build")


@dataclass(slots=True)
class _Ballot:
    """Votes for one field: value (case-folded) → display value and weights.

    The display value of a case-folded value is its spelling with the most weight behind it (ties: the
    alphabetically first), never the first one seen: the same evidence in any order gives the same identity
    (an Axis serial read from the TLS certificate in lower case and from the realm in upper case is stored the
    same way in every scan, so the device keeps its key).
    """

    display: dict[str, str] = field(default_factory=dict)
    weights: dict[str, list[float]] = field(default_factory=dict)
    spellings: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, value: str, weight: float) -> None:
        key = value.casefold()
        self.weights.setdefault(key, []).append(weight)
        spellings = self.spellings.setdefault(key, {})
        spellings[value] = spellings.get(value, 0.0) + weight
        self.display[key] = min(spellings, key=lambda s: (-spellings[s], s))

    def ranked(self) -> list[tuple[str, float]]:
        if len(self.weights) == 1:
            ((key, ws),) = self.weights.items()
            miss = 1.0
            for w in ws:
                miss *= 1.0 - w
            return [(self.display[key], 1.0 - miss)]
        scores = []
        for key, ws in self.weights.items():
            miss = 1.0
            for w in ws:
                miss *= 1.0 - w
            scores.append((self.display[key], 1.0 - miss))
        scores.sort(key=lambda s: (-s[1], s[0]))
        return scores


class Engine:
    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.vendors = knowledge.vendors
        self.signatures = knowledge.signatures
        self.concerns = knowledge.concerns

    def evidence(self, observations: Iterable[Observation]) -> list[Evidence]:
        out: list[Evidence] = []
        for obs in observations:
            if obs.error is not None:
                continue
            for m in self.signatures.match_all(obs.kind, obs.value):
                out.append(
                    Evidence(
                        kind=obs.kind,
                        signature=m.signature.id,
                        asserts=dict(m.values),
                        weight=m.signature.weight,
                        port=obs.port,
                        source=obs.source,
                    )
                )
        return out

    def identify(self, observations: Iterable[Observation]) -> Identity:
        return self.decide(self.evidence(observations))

    def decide(self, evidence: list[Evidence]) -> Identity:
        ballots: dict[str, _Ballot] = {}
        for ev in evidence:
            for key, value in ev.asserts.items():
                if key == "firmware":
                    value, build = split_firmware(value)
                    if build and "firmware_build" not in ev.asserts:
                        ballots.setdefault("firmware_build", _Ballot()).add(build, ev.weight)
                ballots.setdefault(key, _Ballot()).add(value, ev.weight)
        ident = Identity(evidence=evidence)
        for name in IDENTITY_FIELDS:
            if name not in ballots:
                continue
            ranked = ballots[name].ranked()
            value, score = ranked[0]
            rivals = [(v, s) for v, s in ranked[1:] if not self._related(name, value, v)]
            if rivals:
                score *= 1.0 - 0.5 * rivals[0][1]
                ident.conflicts[name] = [v for v, _ in rivals]
            setattr(ident, name, value)
            ident.field_confidence[name] = score
        self._drop_model_as_brand(ident)
        self._derive_manufacturer(ident)
        self._infer_device_type(ident)
        for key in ("manufacturer", "brand", "device_type"):
            if key in ident.field_confidence:
                ident.confidence = ident.field_confidence[key]
                break
        self._attach_concerns(ident)
        return ident

    def _related(self, field_name: str, a: str, b: str) -> bool:
        """Two vendor values in one corporate family do not contradict each other."""
        if field_name not in ("brand", "manufacturer"):
            return False
        family_a = {a, *(v for v, _ in self.vendors.ancestors(a))}
        family_b = {b, *(v for v, _ in self.vendors.ancestors(b))}
        return bool(family_a & family_b)

    def _drop_model_as_brand(self, ident: Identity) -> None:
        """A free-text label that is no known vendor and merely repeats the model (an ONVIF `name/` scope set
        to the model, as Hanwha cameras do) is not a brand."""
        brand, model = ident.brand, ident.model
        if brand and model and brand not in self.vendors and brand.casefold() in model.casefold():
            ident.brand = None
            ident.field_confidence.pop("brand", None)
            ident.conflicts.pop("brand", None)

    def _derive_manufacturer(self, ident: Identity) -> None:
        """With no manufacturer evidence, the brand's own maker or its documented OEM stands in."""
        maker = self.vendors.vendors.get(ident.manufacturer or "")
        if maker is not None and maker.role == "chipset":
            # Reference firmware of a chip maker (HiSilicon) runs on many OEMs' devices: a platform, not the maker.
            ident.platform = maker.name
            ident.field_confidence["platform"] = ident.field_confidence.pop("manufacturer")
            rivals = ident.conflicts.pop("manufacturer", [])
            ident.manufacturer = rivals[0] if rivals else None
            if ident.manufacturer:
                ident.field_confidence["manufacturer"] = 0.5
            maker = self.vendors.vendors.get(ident.manufacturer or "")
        if maker is not None and maker.role == "brand":
            # Evidence pointed at a company that sells others' products (e.g. its OUI): it is the label.
            if not ident.brand:
                ident.brand = maker.name
                ident.field_confidence["brand"] = ident.field_confidence["manufacturer"]
            if ident.brand == maker.name:
                ident.manufacturer = None
                ident.field_confidence.pop("manufacturer", None)
        brand = ident.brand
        vendor = self.vendors.vendors.get(brand or "")
        if vendor is None:
            return
        brand_conf = ident.field_confidence.get("brand", 0.0)
        documented = [r for r in vendor.made_by if r.confidence == "documented"]
        weaker = [r for r in vendor.made_by if r.confidence != "documented"]
        for rel in weaker:
            if rel.vendor != ident.manufacturer:
                ident.possible_manufacturers.append(
                    {"vendor": rel.vendor, "confidence": rel.confidence, "source": rel.source}
                )
        if ident.manufacturer:
            return
        if documented:
            ident.manufacturer = documented[0].vendor
            ident.field_confidence["manufacturer"] = brand_conf * 0.8
        elif vendor.role in ("manufacturer", "owner"):
            ident.manufacturer = vendor.name
            ident.field_confidence["manufacturer"] = brand_conf * 0.9

    def _infer_device_type(self, ident: Identity) -> None:
        if ident.device_type or not ident.manufacturer:
            return
        if (
            self.vendors.is_camera_vendor(ident.manufacturer)
            and ident.field_confidence["manufacturer"] >= 0.5
        ):
            ident.device_type = "camera"
            ident.field_confidence["device_type"] = INFERRED_TYPE_CONFIDENCE
            ident.evidence.append(
                Evidence(
                    kind="inference",
                    signature="engine.camera_vendor_default",
                    asserts={"device_type": "camera"},
                    weight=INFERRED_TYPE_CONFIDENCE,
                )
            )

    def _attach_concerns(self, ident: Identity) -> None:
        seen: set[tuple[str, str]] = set()
        for vendor in (ident.manufacturer, ident.brand):
            for link in self.concerns.links(vendor, self.vendors):
                if (link.id, link.via) in seen:
                    continue
                seen.add((link.id, link.via))
                ident.concern_links.append(link)
        ident.concerns = sorted({c.id for c in ident.concern_links if c.confidence != "uncertain"})


def get_engine(directory: Path | None = None, extra_concerns: tuple[Path, ...] = ()) -> Engine:
    """The process-wide engine for a data directory (data is loaded and compiled once)."""
    return _engine(load_knowledge(directory, extra_concerns))


@lru_cache(maxsize=8)
def _engine(knowledge: Knowledge) -> Engine:
    return Engine(knowledge)
