"""The concerns register: which recorded concerns apply to which vendors, with their public sources.

Loaded from `vendor_signatures/concerns.yaml`, optionally merged with a user's own register (same format):
a user entry with a new id is added; one with an existing id replaces the built-in entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
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
    "court_ruling",
)
CONCERN_CONFIDENCES = ("confirmed", "secondary", "uncertain")
REQUIRED = ("id", "title", "date", "authority", "jurisdiction", "category", "summary", "sources")
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

    def changed_since(self, since: date) -> bool:
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

        doc = load_yaml(path)
        if not isinstance(doc, dict) or not isinstance(doc.get("concerns"), list):
            raise DataError(path, None, "expected a mapping with a 'concerns' list")
        reg_date = doc.get("date")
        if reg_date is not None and _as_date(reg_date) is None:
            raise DataError(path, None, f"'date' {reg_date!r} must be an ISO date (YYYY-MM-DD)")
        if strict and reg_date is None:
            raise DataError(path, None, "needs a top-level 'date' (the register's own date)")
        concerns: dict[str, Concern] = {}
        for i, raw in enumerate(doc["concerns"], 1):
            c = _concern(path, i, raw, registry, strict)
            if c.id in concerns:
                raise DataError(path, f"concern {c.id!r}", "duplicate id")
            concerns[c.id] = c
        for c in concerns.values():
            for ref in _as_list(c.raw.get("superseded_by")) + _as_list(c.raw.get("see_also")):
                if ref not in concerns:
                    raise DataError(path, f"concern {c.id!r}", f"refers to unknown concern {ref!r}")
        responses = [r for r in doc.get("responses") or [] if isinstance(r, dict)]
        facts = [f for f in doc.get("facts") or [] if isinstance(f, dict)]
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


def _check_date(path: Path, entry: str, raw: dict[str, Any], key: str) -> date | None:
    value = raw.get(key)
    if value is None:
        return None
    parsed = _as_date(value)
    if parsed is None:
        raise DataError(path, entry, f"'{key}' {value!r} must be an ISO date (YYYY-MM-DD)")
    return parsed


def _check_tracking(path: Path, entry: str, raw: dict[str, Any], strict: bool) -> None:
    """`added` / `updated` / `changes`: when an entry entered the register and what changed since."""
    added = _check_date(path, entry, raw, "added")
    updated = _check_date(path, entry, raw, "updated")
    if strict and added is None:
        raise DataError(path, entry, "needs 'added' (the date the entry entered the register)")
    changes = raw.get("changes")
    if changes is not None:
        if not isinstance(changes, list) or not all(
            isinstance(c, dict) and c.get("date") and c.get("change") for c in changes
        ):
            raise DataError(path, entry, "'changes' must be a list of {date, change} mappings")
        for c in changes:
            _check_date(path, entry, c, "date")
    if updated is not None:
        if added is not None and updated < added:
            raise DataError(path, entry, f"'updated' {updated} is before 'added' {added}")
        if not changes:
            raise DataError(path, entry, "'updated' needs a 'changes' entry saying what changed")
        latest = max(_as_date(c["date"]) for c in changes)  # type: ignore[type-var]
        if latest != updated:
            raise DataError(path, entry, f"'updated' {updated} differs from the latest change ({latest})")
    elif changes:
        raise DataError(path, entry, "'changes' needs 'updated' (the date of the latest change)")


def _check_status(path: Path, entry: str, raw: dict[str, Any], strict: bool) -> str | None:
    status = raw.get("status")
    if status is None:
        if strict:
            raise DataError(path, entry, f"needs 'status' (one of {', '.join(STATUSES)}) and 'status_as_of'")
        return None
    if status not in STATUSES:
        raise DataError(path, entry, f"status {status!r} is not one of {', '.join(STATUSES)}")
    if _check_date(path, entry, raw, "status_as_of") is None:
        raise DataError(path, entry, "'status' needs 'status_as_of' (the date the status was last checked)")
    if status == "superseded" and not raw.get("superseded_by"):
        raise DataError(path, entry, "status 'superseded' needs 'superseded_by' (the entry that replaced it)")
    return str(status)


def _concern(path: Path, index: int, raw: Any, registry: VendorRegistry, strict: bool = False) -> Concern:
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
    if strict and not any(s.get("quote") for s in sources) and not raw.get("no_quote"):
        raise DataError(path, entry, "needs a quoted source, or 'no_quote' saying why none was captured")
    _check_tracking(path, entry, raw, strict)
    status = _check_status(path, entry, raw, strict)
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
        status=status,
    )
