"""The concerns register: which recorded concerns apply to which vendors, with their public sources.

Loaded from `vendor_signatures/concerns.yaml`, optionally merged with a user's own register (same format):
a user entry with a new id is added; one with an existing id replaces the built-in entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from camscan.errors import DataError
from camscan.identify.vendors import VendorRegistry
from camscan.model import ConcernLink

#: What an entry's status means (docs/concerns.md, "Status"). `in_force`, `under_appeal` and `stayed` are current.
STATUSES = ("in_force", "under_appeal", "stayed", "proposed", "superseded", "ended", "historical")
CURRENT_STATUSES = ("in_force", "under_appeal", "stayed")


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
    status: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**self.raw, "origin": self.origin}

    def changed_since(self, since: dt.date) -> bool:  # dt.: the field `date` shadows the class here
        return entry_changed_since(self.raw, since)


def entry_changed_since(raw: dict[str, Any], since: date) -> bool:
    """Whether a concern, response or fact was added or changed on or after `since` (its `added`/`changes`).

    Entries without `added` (a user's own register) are never reported as changed.
    """
    dates = [raw.get("added"), raw.get("updated"), *(c.get("date") for c in raw.get("changes") or [])]
    return any(_as_date(d) is not None and _as_date(d) >= since for d in dates)  # type: ignore[operator]


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def parse_since(text: str) -> date:
    """`--since` accepts an ISO date (2026-01-31)."""
    from camscan.errors import UsageError

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--since {text!r} is not a date; use YYYY-MM-DD, e.g. --since 2026-01-01") from None


class ConcernRegister:
    def __init__(
        self,
        concerns: dict[str, Concern],
        responses: list[dict[str, Any]],
        facts: list[dict[str, Any]],
        version: str,
        date: str | None = None,
    ) -> None:
        self.concerns = concerns
        self.responses = responses
        self.facts = facts
        self.version = version
        self.date = date  # the register's own date (top-level `date:`), None for a register without one
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
            max((d for d in (self.date, other.date) if d), default=None),
        )

    @property
    def label(self) -> str:
        """`2026.12.1 of 2026-12-04`: what an answer relied on."""
        return f"{self.version} of {self.date}" if self.date else self.version

    @classmethod
    def load(cls, path: Path, registry: VendorRegistry, strict: bool = False) -> ConcernRegister:
        """Load and validate a register. `strict` (the shipped register) also requires the change-tracking
        fields (`added`, `status`, `status_as_of`), a top-level `date`, and a quote on every concern."""
        from camscan.datafile import load_yaml

        doc = load_yaml(
            path, "concerns"
        )  # vendor_signatures/schema/concerns.schema.json, whatever the file's name
        reg_date = doc.get("date")
        if strict and reg_date is None:
            raise DataError(path, None, "needs a top-level 'date' (the register's own date)")
        concerns: dict[str, Concern] = {}
        for raw in doc["concerns"]:
            c = _concern(path, raw, registry, strict)
            if c.id in concerns:
                raise DataError(path, f"concern {c.id!r}", "duplicate id")
            concerns[c.id] = c
        for c in concerns.values():
            for ref in _as_list(c.raw.get("superseded_by")) + _as_list(c.raw.get("see_also")):
                if ref not in concerns:
                    raise DataError(path, f"concern {c.id!r}", f"refers to unknown concern {ref!r}")
        responses = list(doc.get("responses") or [])
        facts = list(doc.get("facts") or [])
        for r in responses:
            if r.get("vendor") and r["vendor"] not in registry:
                raise DataError(path, f"response {r.get('id')!r}", f"unknown vendor {r['vendor']!r}")
        for kind, items in (("response", responses), ("fact", facts)):
            for item in items:
                _check_tracking(path, f"{kind} {item.get('id')!r}", item, strict)
        version = str(doc.get("version", "unknown"))
        return cls(concerns, responses, facts, version, str(reg_date) if reg_date is not None else None)


def _link_confidence(concern: Concern, relation_confidence: str) -> str:
    """The weaker of the concern's own confidence and the relationship's."""
    order = {"documented": 0, "confirmed": 0, "secondary": 1, "uncertain": 2}
    worst = max(order.get(concern.confidence, 2), order.get(relation_confidence, 2))
    return ("documented", "secondary", "uncertain")[worst]


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _check_tracking(path: Path, entry: str, raw: dict[str, Any], strict: bool) -> None:
    """`added` / `updated` / `changes` (shapes and dates checked by the schema): what the schema cannot say."""
    added, updated = _as_date(raw.get("added")), _as_date(raw.get("updated"))
    if strict and added is None:
        raise DataError(path, entry, "needs 'added' (the date the entry entered the register)")
    if updated is not None:
        if added is not None and updated < added:
            raise DataError(path, entry, f"'updated' {updated} is before 'added' {added}")
        latest = max(_as_date(c["date"]) for c in raw["changes"])  # type: ignore[type-var]
        if latest != updated:
            raise DataError(path, entry, f"'updated' {updated} differs from the latest change ({latest})")


def _concern(path: Path, raw: dict[str, Any], registry: VendorRegistry, strict: bool = False) -> Concern:
    """One schema-checked concern: vendor names, strictness and change tracking are checked here."""
    entry = f"concern {raw['id']!r}"
    applies = raw.get("applies_to") or []
    for v in [*applies, *(raw.get("candidate_vendors") or [])]:
        if v not in registry:
            raise DataError(path, entry, f"names vendor {v!r}, which is not a canonical name in vendors.yaml")
    confidence = raw.get("confidence", "confirmed")
    sources = raw["sources"]
    if strict and not any(s.get("quote") for s in sources) and not raw.get("no_quote"):
        raise DataError(path, entry, "needs a quoted source, or 'no_quote' saying why none was captured")
    _check_tracking(path, entry, raw, strict)
    status = raw.get("status")
    if strict and status is None:
        raise DataError(path, entry, f"needs 'status' (one of {', '.join(STATUSES)}) and 'status_as_of'")
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
        status=str(status) if status is not None else None,
    )
