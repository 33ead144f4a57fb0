"""The concerns register: which recorded concerns apply to which vendors, with their public sources.

Loaded from `vendor_signatures/concerns.yaml`, optionally merged with a user's own register (same format):
a user entry with a new id is added; one with an existing id replaces the built-in entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from camscan.errors import DataError
from camscan.identify.vendors import VendorRegistry
from camscan.model import ConcernLink

CATEGORIES = (
    "human_rights",
    "national_security",
    "procurement_restriction",
    "sanctions",
    "export_controls",
    "investment_restriction",
    "regulator_statement",
    "parliamentary_finding",
    "data_protection",
    "organisation_policy",
)
CONCERN_CONFIDENCES = ("confirmed", "secondary", "uncertain")
REQUIRED = ("id", "title", "date", "authority", "jurisdiction", "category", "summary", "sources")


@dataclass(slots=True)
class Concern:
    id: str
    title: str
    applies_to: list[str]
    includes_subsidiaries: bool
    date: str
    authority: str
    jurisdiction: str
    category: str
    summary: str
    confidence: str
    sources: list[dict[str, Any]]
    origin: str  # file it came from
    raw: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {**self.raw, "origin": self.origin}


class ConcernRegister:
    def __init__(
        self,
        concerns: dict[str, Concern],
        responses: list[dict[str, Any]],
        facts: list[dict[str, Any]],
        version: str,
    ) -> None:
        self.concerns = concerns
        self.responses = responses
        self.facts = facts
        self.version = version
        self._by_vendor: dict[str, list[Concern]] = {}
        self._by_candidate: dict[str, list[Concern]] = {}
        self._links: dict[tuple[str, int], list[ConcernLink]] = {}
        for c in concerns.values():
            for v in c.applies_to:
                self._by_vendor.setdefault(v, []).append(c)
            for v in c.raw.get("candidate_vendors") or []:
                self._by_candidate.setdefault(v, []).append(c)

    def for_vendor(self, vendor: str) -> list[Concern]:
        """Concerns that name `vendor` directly."""
        return list(self._by_vendor.get(vendor, ()))

    def links(self, vendor: str | None, registry: VendorRegistry) -> list[ConcernLink]:
        """Concerns that apply to a device whose brand or manufacturer is `vendor`, and how (memoised)."""
        if not vendor:
            return []
        key = (vendor, id(registry))
        cached = self._links.get(key)
        if cached is None:
            cached = self._links[key] = self._compute_links(vendor, registry)
        return list(cached)

    def _compute_links(self, vendor: str, registry: VendorRegistry) -> list[ConcernLink]:
        out: list[ConcernLink] = [
            ConcernLink(c.id, vendor, vendor, "self", _link_confidence(c, "documented"))
            for c in self._by_vendor.get(vendor, ())
        ]
        for ancestor, rel in registry.ancestors(vendor):
            out.extend(
                ConcernLink(c.id, ancestor, vendor, rel.relation, _link_confidence(c, rel.confidence))
                for c in self._by_vendor.get(ancestor, ())
                if c.includes_subsidiaries
            )
        out.extend(
            ConcernLink(c.id, vendor, vendor, "by_description", "uncertain")
            for c in self._by_candidate.get(vendor, ())
        )
        return out

    def merged(self, other: ConcernRegister) -> ConcernRegister:
        concerns = {**self.concerns, **other.concerns}
        return ConcernRegister(
            concerns,
            self.responses + other.responses,
            self.facts + other.facts,
            f"{self.version}+{other.version}",
        )

    @classmethod
    def load(cls, path: Path, registry: VendorRegistry) -> ConcernRegister:
        from camscan.datafile import load_yaml

        doc = load_yaml(path)
        if not isinstance(doc, dict) or not isinstance(doc.get("concerns"), list):
            raise DataError(path, None, "expected a mapping with a 'concerns' list")
        concerns: dict[str, Concern] = {}
        for i, raw in enumerate(doc["concerns"], 1):
            c = _concern(path, i, raw, registry)
            if c.id in concerns:
                raise DataError(path, f"concern {c.id!r}", "duplicate id")
            concerns[c.id] = c
        responses = [r for r in doc.get("responses") or [] if isinstance(r, dict)]
        facts = [f for f in doc.get("facts") or [] if isinstance(f, dict)]
        for r in responses:
            if r.get("vendor") and r["vendor"] not in registry:
                raise DataError(path, f"response {r.get('id')!r}", f"unknown vendor {r['vendor']!r}")
        return cls(concerns, responses, facts, str(doc.get("version", "unknown")))


def _link_confidence(concern: Concern, relation_confidence: str) -> str:
    """The weaker of the concern's own confidence and the relationship's."""
    order = {"documented": 0, "confirmed": 0, "secondary": 1, "uncertain": 2}
    worst = max(order.get(concern.confidence, 2), order.get(relation_confidence, 2))
    return ("documented", "secondary", "uncertain")[worst]


def _concern(path: Path, index: int, raw: Any, registry: VendorRegistry) -> Concern:
    if not isinstance(raw, dict) or not raw.get("id"):
        raise DataError(path, f"concern #{index}", "each concern needs an 'id'")
    entry = f"concern {raw['id']!r}"
    missing = [k for k in REQUIRED if not raw.get(k)]
    if missing:
        raise DataError(path, entry, f"missing {', '.join(missing)}")
    applies = raw.get("applies_to") or []
    if not isinstance(applies, list):
        raise DataError(path, entry, "'applies_to' must be a list of vendor names")
    for v in [*applies, *(raw.get("candidate_vendors") or [])]:
        if v not in registry:
            raise DataError(path, entry, f"names vendor {v!r}, which is not a canonical name in vendors.yaml")
    if raw["category"] not in CATEGORIES:
        raise DataError(path, entry, f"category {raw['category']!r} is not one of {', '.join(CATEGORIES)}")
    confidence = raw.get("confidence", "confirmed")
    if confidence not in CONCERN_CONFIDENCES:
        raise DataError(path, entry, f"confidence {confidence!r} is not one of {CONCERN_CONFIDENCES}")
    sources = raw["sources"]
    if not isinstance(sources, list) or not all(isinstance(s, dict) for s in sources):
        raise DataError(path, entry, "'sources' must be a list of mappings (document/url/seed, quote)")
    return Concern(
        id=str(raw["id"]),
        title=str(raw["title"]),
        applies_to=[str(v) for v in applies],
        includes_subsidiaries=bool(raw.get("includes_subsidiaries", False)),
        date=str(raw["date"]),
        authority=str(raw["authority"]),
        jurisdiction=str(raw["jurisdiction"]),
        category=str(raw["category"]),
        summary=str(raw["summary"]),
        confidence=confidence,
        sources=sources,
        origin=path.name,
        raw=dict(raw),
    )
