"""One device's concerns and advisories in the order a reader needs them (issue 13): formal restrictions (laws,
lists, bans) first, then exploitable advisories (affected, no fix, possibly affected; KEV first), then recorded
statements and findings, instead of thirty-odd concern ids in one cell. Used by the HTML report's risk section
and the questionnaire's risk sheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from camscan.risk.report import exploitable

if TYPE_CHECKING:
    from camscan.model import Device
    from camscan.report.queries import Estate

#: Concern categories that are formal restrictions: a law, a list, a ban, a court order.
RESTRICTIONS = frozenset(
    {
        "procurement_restriction",
        "sanctions",
        "export_controls",
        "investment_restriction",
        "national_security",
        "court_ruling",
    }
)
#: The order of the parts, and how each is named.
KINDS = (
    ("restriction", "formal restriction"),
    ("advisory", "exploitable advisory"),
    ("statement", "statement or finding"),
)


@dataclass(slots=True)
class Item:
    kind: str  # restriction | advisory | statement
    id: str
    title: str
    status: str = ""
    kev: bool = False
    detail: str = ""
    action: str = ""


@dataclass(slots=True)
class Outline:
    device: Device
    items: list[Item] = field(default_factory=list)

    def of(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]

    @property
    def empty(self) -> bool:
        return not self.items


def outline(device: Device, estate: Estate) -> Outline:
    from camscan.report.queries import ranked_concerns

    out = Outline(device)
    restrictions, statements = [], []
    for cid in ranked_concerns(estate, device.concerns):
        c = estate.concerns.get(cid)
        title = c.title if c else cid
        detail = ", ".join(x for x in ((c.authority if c else None), (c.date if c else None)) if x)
        item = Item("restriction", cid, title, (c.status or "") if c else "", detail=detail)
        if c is not None and (c.category or "") in RESTRICTIONS:
            restrictions.append(item)
        else:
            item.kind = "statement"
            statements.append(item)
    advisories = [
        Item(
            "advisory",
            str(a.get("id", "")),
            str(a.get("title", "")),
            str(a.get("status", "")),
            bool(a.get("kev")),
            str(a.get("reason", "")),
            str(a.get("action", "")),
        )
        for a in exploitable(device)
    ]
    findings = [
        Item("statement", "finding", f if isinstance(f, str) else str(f.get("text") or f.get("detail") or f))
        for f in device.findings
    ]
    out.items = restrictions + advisories + statements + findings
    return out


def to_row(o: Outline, item: Item, order: int) -> dict[str, Any]:
    d = o.device
    return {
        "site": d.site,
        "ip": d.ip,
        "supplier": d.maker,
        "brand": d.brand,
        "model": d.model,
        "firmware": " ".join(x for x in (d.firmware, d.firmware_build) if x) or None,
        "order": order,
        "kind": dict(KINDS)[item.kind],
        "id": item.id,
        "title": item.title,
        "status": item.status.replace("_", " "),
        "kev": item.kev if item.kind == "advisory" else None,
        "detail": item.detail,
        "action": item.action,
    }
