"""The HTML report's firmware-risk section (issue 13): device x advisory rows that need action, KEV first, then
per device the order a reader needs: formal restrictions, exploitable advisories, statements and findings."""

from __future__ import annotations

from camscan.report import html as h
from camscan.report import queries as q
from camscan.risk.outline import KINDS, outline
from camscan.risk.report import risk_rows

#: Rows shown in the table (the rest are counted; `camscan risk` lists them all).
MAX_ROWS = 200
#: Devices opened per device (the ordering view).
MAX_DEVICES = 50
HEADINGS = {
    "restriction": "Formal restrictions",
    "advisory": "Exploitable advisories",
    "statement": "Statements and findings",
}
STATUS_CSS = {"affected": "concern", "no_fix": "concern", "possibly_affected": "warn"}


def section(e: q.Estate) -> str:
    result = risk_rows(e.devices)
    if not result.rows:
        return h._section(
            "risk",
            "Firmware risk",
            "",
            '<p class="empty">No device runs firmware named by an advisory in camscan\'s advisory file '
            "(or none could be matched: see docs/risk.md).</p>",
        )
    rows = []
    for r in result.rows[:MAX_ROWS]:
        a, d = r.advisory, r.device
        status = str(a.get("status", ""))
        rows.append(
            f"<tr><td>{h._badge('KEV', 'concern') if a.get('kev') else ''}</td>"
            f"<td>{h._badge(status.replace('_', ' '), STATUS_CSS.get(status, ''))}</td>"
            f'<td class="mono">{h.esc(a.get("id"))}</td>'
            f'<td><span class="mono">{h.esc(d.ip or d.mac or d.key)}</span> {h.esc(r.label())}'
            + (f' <span class="muted">{h.esc(d.site)}</span>' if d.site else "")
            + f'</td><td class="mono">{h.esc(" ".join(x for x in (d.firmware, d.firmware_build) if x) or "unknown")}</td>'
            f"<td>{h.esc(a.get('action'))}</td><td>{h.esc(a.get('reason'))}</td></tr>"
        )
    more = (
        f'<p class="muted">… and {len(result.rows) - MAX_ROWS} more rows: <code>camscan risk</code> lists them all.</p>'
        if len(result.rows) > MAX_ROWS
        else ""
    )
    table = h._table(
        [("KEV", ""), ("status", ""), ("advisory", ""), ("device", ""), ("firmware", ""), ("what to do", ""),
         ("why", "")],
        rows,
    )  # fmt: skip
    per_device = []
    seen: list[str] = []
    by_key = {d.key: d for d in e.devices}
    for r in result.rows:
        if r.device.key not in seen:
            seen.append(r.device.key)
    for key in seen[:MAX_DEVICES]:
        o = outline(by_key[key], e)
        parts = []
        for kind, _name in KINDS:
            items = o.of(kind)
            if not items:
                continue
            lis = "".join(
                f'<li><span class="mono">{h.esc(i.id)}</span> {h.esc(i.title)}'
                + (f" — {h.esc(i.status.replace('_', ' '))}" if i.status else "")
                + (" (KEV)" if i.kev else "")
                + (f'<br><span class="concern-meta">{h.esc(i.detail)}</span>' if i.detail else "")
                + (f'<br><span class="concern-meta">What to do: {h.esc(i.action)}</span>' if i.action else "")
                + "</li>"
                for i in items
            )
            parts.append(f"<h4>{h.esc(HEADINGS[kind])} ({len(items)})</h4><ol>{lis}</ol>")
        d = o.device
        per_device.append(
            f'<details><summary><span class="device-head"><span class="mono">{h.esc(d.ip or d.mac)}</span>'
            f"<span>{h.esc(d.maker)} {h.esc(d.model)}</span>"
            + (f'<span class="rebadge">sold as {h.esc(d.brand)}</span>' if d.rebadged else "")
            + f"</span></summary>{''.join(parts)}</details>"
        )
    counts = ", ".join(
        f"{n} {s.replace('_', ' ')}" for s, n in sorted(result.counts.items()) if s != "not_affected"
    )
    lead = (
        f"{result.devices_at_risk} of {result.devices} devices run firmware named by a published advisory "
        f"({h.esc(counts)}); entries in CISA's Known Exploited Vulnerabilities catalog first. Matched offline from "
        "the maker (after OEM resolution), model and firmware; a rebadged device inherits its maker's advisories. "
        "<em>Possibly affected</em> means the model matches but the firmware is unknown or cannot be compared. "
        "Version matching is not a penetration test."
    )
    return h._section(
        "risk",
        "Firmware risk",
        lead,
        table
        + more
        + "<h3>Per device: formal restrictions, then exploitable advisories, then statements and findings</h3>"
        + "".join(per_device),
    )
