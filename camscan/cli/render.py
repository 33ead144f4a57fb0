"""How results look on a terminal: the device table, the end-of-scan summary, a diff. Nothing here computes.

Everything a device said goes through `safe` (control characters removed, markup escaped) before it is printed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from camscan.console import err, out, safe
from camscan.model import os_label

if TYPE_CHECKING:
    from camscan.report.diff import ScanDiff
    from camscan.report.summary import ScanSummary

#: Up to this many devices, a scan or import ends with the full device table as well as its summary.
TABLE_UP_TO = 25


def _knowledge() -> Any:
    from camscan.api import engine

    return engine().knowledge


def render_devices(rows: list[dict[str, Any]]) -> None:
    """The device table (`camscan devices`, and the end of a small scan)."""
    from camscan.concerns_view import headline
    from camscan.report.recorders import behind_counts, channel_label, recorder_views, tree_order

    kb = _knowledge()
    behind = behind_counts(rows)
    title = f"{len(rows)} devices" + (
        f", {behind.cameras_behind} of them behind recorders" if behind.cameras_behind else ""
    )
    table = Table(title=title, title_justify="left")
    with_os = any(r.get("os") for r in rows)  # the column appears when some device said what it runs
    for col in (
        "ip",
        "brand",
        "manufacturer",
        "model",
        "firmware",
        "type",
        *(("os",) if with_os else ()),
        "conf.",
        "concerns",
    ):
        table.add_column(col)
    for r, depth in tree_order(rows):  # each recorder with the cameras on its channels under it (issue 14)
        brand = r["brand"] or ""
        maker = r["manufacturer"] or "(unknown)"
        where = safe(r["ip"])
        if r.get("parent"):
            where = (
                ("└ " if depth else "") + safe(channel_label(r)) + (f" · {safe(r['ip'])}" if r["ip"] else "")
            )
        table.add_row(
            where,
            safe(brand),
            safe(maker) + (" *" if brand and r["manufacturer"] and brand != r["manufacturer"] else ""),
            safe(r["model"]),
            safe(r["firmware"]),
            safe(r["device_type"]),
            *((safe(os_label(r.get("os"), r.get("os_version"))),) if with_os else ()),
            f"{r['confidence']:.2f}" if r["confidence"] is not None else "",
            safe(headline(r["concerns"], kb)),
        )
    out.print(table)
    for view in recorder_views(rows):
        r = view.recorder
        out.print(
            f"recorder {safe(r['ip'] or r['key'])} ({safe(r['model'] or r['device_type'] or '?')}): {safe(view.describe())}"
        )
    if any(r["brand"] and r["manufacturer"] and r["brand"] != r["manufacturer"] for r in rows):
        out.print("* sold under another brand: the manufacturer is who really made it.")
    if any(r["concerns"] for r in rows):
        out.print(
            "concerns: count and formal listings first; `camscan concerns VENDOR` shows every one with sources."
        )


def render_vendor_summary(devices: list[dict[str, Any]]) -> None:
    """Devices, cameras and concerns per manufacturer (the demo's closing table)."""
    from camscan.concerns_view import headline
    from camscan.demo import vendor_summary

    kb = _knowledge()
    table = Table(
        "manufacturer", "devices", "cameras", "concerns", title="Vendor summary", title_justify="left"
    )
    for maker, count, cams, concern_ids in vendor_summary(devices):
        table.add_row(safe(maker), str(count), str(cams), safe(headline(concern_ids, kb, most=3)))
    out.print(table)


def render_found(
    devices: list[dict[str, Any]], summary: ScanSummary, *, table: bool | None, db: object
) -> None:
    """The end of a scan or an import: the summary, the device table when it is short (or asked for), and where
    to look next."""
    if table or (table is None and len(devices) <= TABLE_UP_TO):
        render_devices(devices)
    render_summary(summary)
    db_arg = f" --db {safe(db)}" if str(db) != "inventory.db" else ""
    hints = [f"camscan devices{db_arg}"]
    if summary.counts.get("of_concern"):
        hints.append(f"camscan devices --concern{db_arg}")
    hints.append(f"camscan report -o estate.html{db_arg}")
    if (
        summary.changes is not None
        and summary.changes.summary()["new"] + summary.changes.summary()["changed"]
    ):
        hints.append(f"camscan diff{db_arg}")
    out.print("Next: " + "   ·   ".join(hints))


def render_summary(summary: ScanSummary) -> None:
    c = summary.counts
    devices = c.get("devices", 0)
    line = f"scan {summary.scan_id}: {devices} devices, {c.get('cameras', 0)} cameras"
    if devices:
        line += (
            f"; {c['of_concern']} of concern, {c['unknown_manufacturer']} with no known manufacturer, "
            f"{c['unidentified_cameras']} unidentified cameras"
        )
    if summary.errors:
        line += f"; {summary.errors} errors"
    out.print(line)
    if summary.makers:
        from camscan.report.summary import TOP_MAKERS

        shown = summary.makers[:TOP_MAKERS]
        parts = [f"{safe(m.manufacturer)} {m.devices}" for m in shown]
        rest = sum(m.devices for m in summary.makers[TOP_MAKERS:])
        if rest:
            parts.append(f"{len(summary.makers) - TOP_MAKERS} others {rest}")
        out.print("by manufacturer: " + ", ".join(parts))
    if summary.changes is not None:
        s = summary.changes.summary()
        out.print(
            f"since scan {summary.changes.before.id}: {s['new']} new, {s['gone']} gone, {s['changed']} changed "
            f"(firmware {s['firmware']}, identity {s['identity']}, address {s['address']})"
        )


def render_diff(result: ScanDiff) -> None:
    s = result.summary()
    b, a = result.before, result.after
    out.print(
        f"scan {b.id} ({safe(b.kind)}, {safe(b.started)}) → scan {a.id} ({safe(a.kind)}, {safe(a.started)}): "
        f"{s['new']} new, {s['gone']} gone, {s['changed']} changed "
        f"(firmware {s['firmware']}, identity {s['identity']}, address {s['address']}), {s['unchanged']} unchanged"
        + (
            f", {s['swapped']} camera{'' if s['swapped'] == 1 else 's'} swapped on a recorder channel"
            if s["swapped"]
            else ""
        )
    )
    if not (result.new or result.gone or result.changed):
        return
    table = Table("", "ip", "site", "manufacturer", "model", "change", title_justify="left", box=None)
    for mark, items in (("+", result.new), ("-", result.gone)):
        for sighting in items:
            i = sighting.identity
            table.add_row(
                mark,
                safe(i.get("ip")),
                safe(sighting.site),
                safe(i.get("manufacturer") or "(unknown)"),
                safe(i.get("model")),
                "new" if mark == "+" else "gone",
            )
    for change in result.changed:
        i = change.after.identity
        what = "; ".join(f"{c.field}: {safe(c.old)} → {safe(c.new)}" for c in change.changes)
        table.add_row(
            "~", safe(i.get("ip")), safe(change.after.site), safe(i.get("manufacturer") or "(unknown)"),
            safe(i.get("model")), what,
        )  # fmt: skip
    out.print(table)
    for swap in result.swapped:  # a camera replaced on a recorder channel (issue 14)
        old, new = (f"{safe(x.identity.get('model') or '?')} {safe(x.identity.get('serial') or '')}".strip()
                    for x in (swap.before, swap.after))  # fmt: skip
        out.print(
            f"swapped: channel {swap.channel} of recorder {safe(swap.recorder_ip or swap.parent)}: {old} → {new}"
        )


def problems(lines: list[str], *, most: int = 10) -> None:
    for line in lines[:most]:
        err.print(f"  problem: {safe(line)}")
