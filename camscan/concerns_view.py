"""Building and rendering the `camscan concerns` answer."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from camscan.console import safe
from camscan.errors import UsageError
from camscan.identify.knowledge import Knowledge


def concerns_report(kb: Knowledge, vendor: str | None) -> dict[str, Any]:
    """The register (or the part that applies to `vendor`) as plain data, sources included."""
    register, registry = kb.concerns, kb.vendors
    if vendor is None:
        return {
            "version": register.version,
            "concerns": [c.to_dict() for c in register.concerns.values()],
            "responses": register.responses,
            "facts": register.facts,
        }
    name = registry.resolve(vendor)
    if name is None:
        raise UsageError(f"unknown vendor {vendor!r}; `camscan concerns` lists the register")
    links = register.links(name, registry)
    family = {name, *(a for a, _ in registry.ancestors(name))}
    items = []
    for link in links:
        c = register.concerns[link.id]
        items.append({**c.to_dict(), "via": link.to_dict()})
    return {
        "vendor": name,
        "parents": [
            {"vendor": a, "relation": r.relation, "confidence": r.confidence}
            for a, r in registry.ancestors(name)
        ],
        "subsidiaries": sorted(registry.subsidiaries.get(name, [])),
        "concerns": items,
        "context": [
            c.to_dict() for c in register.concerns.values() if name in (c.raw.get("context_vendors") or [])
        ],
        "responses": [r for r in register.responses if r.get("vendor") in family],
        "facts": [f for f in register.facts if set(f.get("vendors") or []) & family],
        "version": register.version,
    }


#: Categories shown first when a list of concerns must be summarised in one cell.
LISTING_CATEGORIES = (
    "procurement_restriction",
    "sanctions",
    "export_controls",
    "national_security",
    "investment_restriction",
)


def headline(concern_ids: list[str], kb: Knowledge, most: int = 2) -> str:
    """`33: ndaa-s889, fcc-covered-list, …` — the count and the formal listings first."""
    if not concern_ids:
        return ""
    concerns = kb.concerns.concerns

    def rank(cid: str) -> tuple[int, int, str, str]:
        c = concerns.get(cid)
        category = c.category if c else ""
        order = (
            LISTING_CATEGORIES.index(category) if category in LISTING_CATEGORIES else len(LISTING_CATEGORIES)
        )
        confidence = ("confirmed", "secondary", "uncertain").index(c.confidence) if c else 3
        return order, confidence, c.date if c else "", cid

    ordered = sorted(concern_ids, key=rank)
    shown = ", ".join(ordered[:most])
    return f"{len(ordered)}: {shown}" + (", …" if len(ordered) > most else "")


def _source_lines(sources: list[dict[str, Any]]) -> str:
    lines = []
    for s in sources:
        where = s.get("seed") or s.get("document") or s.get("url") or ""
        if s.get("seed") and s.get("publisher"):
            where = f"{s['seed']} ({s['publisher']})"
        quote = s.get("quote")
        lines.append(f"{where}" + (f': "{quote}"' if quote else ""))
    return "\n".join(lines)


def render_concerns(report: dict[str, Any], console: Console) -> None:
    """One block per concern: what, who, when, and every source with its quote."""
    if report.get("vendor"):
        console.print(
            f"[bold]Concerns that apply to {safe(report['vendor'])}[/bold] ({len(report['concerns'])})"
        )
        parents = ", ".join(f"{p['vendor']} ({p['relation']}, {p['confidence']})" for p in report["parents"])
        if parents:
            console.print(f"Owned by: {safe(parents)}")
        if report["subsidiaries"]:
            console.print(f"Subsidiaries and brands: {safe(', '.join(report['subsidiaries']))}")
    else:
        console.print(
            f"[bold]Concerns register {safe(report['version'])}[/bold] ({len(report['concerns'])} entries)"
        )
    for c in report["concerns"]:
        console.print()
        head = f"[bold]{safe(c['id'])}[/bold] — {safe(c.get('title'))}"
        console.print(head)
        meta = f"{safe(c.get('date'))} · {safe(c.get('authority'))} · {safe(c.get('jurisdiction'))} · {safe(c.get('category'))}"
        if c.get("confidence") and c["confidence"] != "confirmed":
            meta += f" · {safe(c['confidence'])}"
        console.print("  " + meta)
        via = c.get("via")
        if via and via["relation"] != "self":
            console.print(
                f"  applies through {safe(via['vendor'])} ({safe(via['relation'])}, {safe(via['confidence'])})"
            )
        if not c.get("applies_to") and c.get("applies_by_description"):
            console.print(f"  names no company; applies by description: {safe(c['applies_by_description'])}")
        console.print(f"  {safe(c.get('summary'))}")
        for line in _source_lines(c.get("sources") or []).splitlines():
            console.print(f"  source: {safe(line)}")
    if report.get("context"):
        console.print()
        console.print(
            f"[bold]Statements made about {safe(report['vendor'])} that name no company[/bold] "
            f"({len(report['context'])}; recorded, not attached to devices)"
        )
        for c in report["context"]:
            console.print(f"  [bold]{safe(c['id'])}[/bold] — {safe(c.get('title'))} ({safe(c.get('date'))})")
            for line in _source_lines(c.get("sources") or []).splitlines():
                console.print(f"    source: {safe(line)}")
    if report.get("responses"):
        console.print()
        console.print("[bold]Responses recorded from the companies[/bold]")
        for r in report["responses"]:
            where = _source_lines(r.get("sources") or [])
            console.print(
                f'  {safe(r.get("id"))} ({safe(r.get("vendor"))}): "{safe(r.get("quote"))}" — {safe(where)}'
            )
