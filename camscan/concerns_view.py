"""Building and rendering the `camscan concerns` answer."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

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
        "responses": [r for r in register.responses if r.get("vendor") in family],
        "facts": [f for f in register.facts if set(f.get("vendors") or []) & family],
        "version": register.version,
    }


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
    title = f"Concerns register {report['version']}"
    if report.get("vendor"):
        title = f"Concerns that apply to {report['vendor']} ({len(report['concerns'])})"
        parents = ", ".join(f"{p['vendor']} ({p['relation']}, {p['confidence']})" for p in report["parents"])
        if parents:
            console.print(f"Owned by: {safe(parents)}")
        if report["subsidiaries"]:
            console.print(f"Subsidiaries and brands: {safe(', '.join(report['subsidiaries']))}")
    table = Table(title=title, title_justify="left", show_lines=True)
    for col in ("id", "date", "authority", "summary", "sources"):
        table.add_column(col, overflow="fold")
    for c in report["concerns"]:
        cid = c["id"]
        via = c.get("via")
        if via and via["relation"] != "self":
            cid += f"\n(via {via['vendor']}, {via['relation']}, {via['confidence']})"
        table.add_row(
            safe(cid),
            safe(c.get("date")),
            safe(c.get("authority")),
            safe(c.get("summary")),
            safe(_source_lines(c.get("sources") or [])),
        )
    console.print(table)
    if report.get("responses"):
        resp = Table(title="Responses recorded from the companies", title_justify="left", show_lines=True)
        for col in ("id", "vendor", "quote", "source"):
            resp.add_column(col, overflow="fold")
        for r in report["responses"]:
            resp.add_row(
                safe(r.get("id")),
                safe(r.get("vendor")),
                safe(r.get("quote")),
                safe(_source_lines(r.get("sources") or [])),
            )
        console.print(resp)
