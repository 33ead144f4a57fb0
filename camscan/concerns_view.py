"""Building and rendering the `camscan concerns` answer."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.console import Console

from camscan.concerns import CURRENT_STATUSES, entry_changed_since
from camscan.console import safe
from camscan.errors import UsageError
from camscan.identify.knowledge import Knowledge


def concerns_report(kb: Knowledge, vendor: str | None, since: date | None = None) -> dict[str, Any]:
    """The register (or the part that applies to `vendor`) as plain data, sources included.

    With `since`, only the entries added or changed on or after that date (their `added`/`changes` dates).
    """
    report = _report(kb, vendor)
    report["date"] = kb.concerns.date
    if since is not None:
        report["since"] = since.isoformat()
        for key in ("concerns", "context", "responses", "facts"):
            if key in report:
                report[key] = [item for item in report[key] if entry_changed_since(item, since)]
    return report


def _report(kb: Knowledge, vendor: str | None) -> dict[str, Any]:
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

    def rank(cid: str) -> tuple[int, int, int, str, str]:
        c = concerns.get(cid)
        category = c.category if c else ""
        order = (
            LISTING_CATEGORIES.index(category) if category in LISTING_CATEGORIES else len(LISTING_CATEGORIES)
        )
        # Current measures before superseded, ended or proposed ones; an entry without a status counts as current.
        current = 0 if c is None or c.status is None or c.status in CURRENT_STATUSES else 1
        confidence = ("confirmed", "secondary", "uncertain").index(c.confidence) if c else 3
        return order, current, confidence, c.date if c else "", cid

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


STATUS_WORDS = {
    "in_force": "in force",
    "under_appeal": "in force, under appeal",
    "stayed": "stayed or suspended",
    "proposed": "proposed, not adopted",
    "superseded": "superseded",
    "ended": "ended",
    "historical": "a past event or statement",
}


def status_text(entry: dict[str, Any]) -> str:
    """`in force, under appeal (as of 2026-12-04)`; empty for an entry without a status."""
    status = entry.get("status")
    if not status:
        return ""
    text: str = STATUS_WORDS.get(status, status)
    if entry.get("superseded_by"):
        by = entry["superseded_by"]
        text += " by " + ", ".join(by if isinstance(by, list) else [by])
    if entry.get("status_as_of"):
        text += f" (as of {entry['status_as_of']})"
    return text


def change_text(entry: dict[str, Any], since: str) -> str:
    """`added 2026-12-04` or `updated 2026-12-04: what changed` (the changes on or after `since`)."""
    changes = [c for c in entry.get("changes") or [] if str(c.get("date")) >= since]
    if changes:
        return "; ".join(f"updated {c['date']}: {c['change']}" for c in changes)
    return f"added {entry.get('added')}"


def render_concerns(report: dict[str, Any], console: Console) -> None:
    """One block per concern: what, who, when, its status, and every source with its quote."""
    register = safe(report["version"]) + (f" of {safe(report['date'])}" if report.get("date") else "")
    since = report.get("since")
    vendor = report.get("vendor")
    if since:
        who = f" that apply to {safe(vendor)}" if vendor else ""
        console.print(
            f"[bold]Changes to the concerns register {register} since {safe(since)}{who}[/bold]: "
            f"{len(report['concerns'])} concerns, {len(report.get('responses') or [])} responses, "
            f"{len(report.get('facts') or [])} facts added or changed"
        )
        if not any(report.get(k) for k in ("concerns", "context", "responses", "facts")):
            console.print(f"Nothing was added to or changed in the register on or after {safe(since)}.")
    elif vendor:
        console.print(
            f"[bold]Concerns that apply to {safe(vendor)}[/bold] ({len(report['concerns'])}) · register {register}"
        )
    else:
        console.print(f"[bold]Concerns register {register}[/bold] ({len(report['concerns'])} entries)")
    if vendor:
        parents = ", ".join(f"{p['vendor']} ({p['relation']}, {p['confidence']})" for p in report["parents"])
        if parents:
            console.print(f"Owned by: {safe(parents)}")
        if report["subsidiaries"]:
            console.print(f"Subsidiaries and brands: {safe(', '.join(report['subsidiaries']))}")
    for c in report["concerns"]:
        console.print()
        head = f"[bold]{safe(c['id'])}[/bold] — {safe(c.get('title'))}"
        console.print(head)
        meta = f"{safe(c.get('date'))} · {safe(c.get('authority'))} · {safe(c.get('jurisdiction'))} · {safe(c.get('category'))}"
        if c.get("confidence") and c["confidence"] != "confirmed":
            meta += f" · {safe(c['confidence'])}"
        console.print("  " + meta)
        status = status_text(c)
        if status:
            console.print(
                f"  status: {safe(status)}" + (f" — {safe(c['status_note'])}" if c.get("status_note") else "")
            )
        if since:
            console.print(f"  {safe(change_text(c, since))}")
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
            f"[bold]Statements made about {safe(vendor)} that name no company[/bold] "
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
            changed = f" [{safe(change_text(r, since))}]" if since else ""
            console.print(
                f'  {safe(r.get("id"))} ({safe(r.get("vendor"))}): "{safe(r.get("quote"))}" — {safe(where)}{changed}'
            )
    if since and report.get("facts"):
        console.print()
        console.print("[bold]Facts[/bold] (context, not concerns)")
        for f in report["facts"]:
            console.print(f"  {safe(f.get('id'))}: {safe(f.get('fact'))} [{safe(change_text(f, since))}]")
