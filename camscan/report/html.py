"""`camscan report`: one self-contained HTML file a manager can read offline.

No external assets: CSS, JavaScript and the SVG charts are inline, and a Content-Security-Policy allows only
those (by hash), so the page loads nothing and runs nothing else. Every string a device reported is escaped
(`esc`); the table sorting script only moves existing rows and never builds HTML from text.
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from camscan.model import UNKNOWN
from camscan.report import queries as q
from camscan.report.diff import ScanDiff, Sighting
from camscan.report.questionnaire import method_notes
from camscan.report.recorders import INPUT_WORDS, behind_counts, camera_text, channel_label, recorder_views
from camscan.report.text import plain

TITLE = "CCTV estate report"
#: Bars in one chart before the rest are summarised as "+N more".
MAX_BARS = 12
#: Devices of concern shown with their evidence (the device table lists them all).
MAX_EVIDENCE_DEVICES = 300
#: Concern ids named per device before "+N more".
MAX_IDS_SHOWN = 6
LABEL_CHARS = 24
ASSETS = Path(__file__).resolve().parents[1] / "data" / "report"
_SLOT = re.compile(r"@@([A-Z]+)@@")


def esc(value: Any) -> str:
    """Escape anything for HTML text or a quoted attribute, after removing control characters."""
    return html.escape(plain(value), quote=True)


def _short(value: Any, n: int = LABEL_CHARS) -> str:
    text = plain(value)
    return text if len(text) <= n else text[: n - 1] + "…"


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _safe_url(url: str) -> str | None:
    return url if url.startswith(("https://", "http://")) else None


# -- charts (inline SVG) ---------------------------------------------------------------------------


@dataclass(slots=True)
class Bar:
    label: str
    value: int
    css: str
    title: str = ""


def bar_chart(bars: Sequence[Bar], aria: str, *, width: int = 560, label_w: int = 200) -> str:
    """A horizontal bar chart; values are labelled at the end of each bar, the full label is a tooltip."""
    if not bars:
        return '<p class="empty">Nothing to chart.</p>'
    row_h = 28
    height = len(bars) * row_h + 6
    room = width - label_w - 48
    top = max(b.value for b in bars) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{esc(aria)}" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, b in enumerate(bars):
        y = 3 + i * row_h
        w = max(2.0, room * b.value / top) if b.value else 0.0
        mid = y + row_h / 2 + 4.5
        parts.append(
            f'<g class="bar"><title>{esc(b.title or b.label)}: {b.value}</title>'
            f'<text x="{label_w - 8}" y="{mid:.1f}" text-anchor="end" font-size="12.5">{esc(_short(b.label))}</text>'
            f'<rect class="track" x="{label_w}" y="{y + 5}" width="{room}" height="{row_h - 10}" rx="4"/>'
            f'<rect class="{b.css}" x="{label_w}" y="{y + 5}" width="{w:.1f}" height="{row_h - 10}" rx="4"/>'
            f'<text class="val" x="{label_w + w + 6:.1f}" y="{mid:.1f}" font-size="13">{b.value}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def donut(segments: Sequence[tuple[str, int, str]], centre: str, caption: str) -> str:
    """A ring chart: (label, value, css suffix) segments, a number in the middle and a legend."""
    total = sum(v for _, v, _ in segments) or 1
    r = 70
    circ = 2 * math.pi * r
    offset = 0.0
    rings = []
    for label, value, css in segments:
        if not value:
            continue
        length = circ * value / total
        rings.append(
            f'<circle class="stroke-{css}" cx="95" cy="95" r="{r}" stroke-dasharray="{length:.2f} {circ:.2f}" '
            f'stroke-dashoffset="{-offset:.2f}" transform="rotate(-90 95 95)"><title>{esc(label)}: {value}</title>'
            "</circle>"
        )
        offset += length
    legend = "".join(
        f'<li><svg viewBox="0 0 12 12"><rect class="fill-{css}" width="12" height="12" rx="2"/></svg>'
        f'<strong>{value}</strong> {esc(label)} <span class="muted">({q.pct(value, total)}%)</span></li>'
        for label, value, css in segments
    )
    return (
        f'<div class="donut-wrap"><svg class="chart donut" viewBox="0 0 190 190" role="img" '
        f'aria-label="{esc(caption)}" xmlns="http://www.w3.org/2000/svg">'
        f'<circle cx="95" cy="95" r="{r}" stroke="#eef1f5" stroke-width="26" fill="none"/>{"".join(rings)}'
        f'<text x="95" y="93" text-anchor="middle" font-size="30" font-weight="700">{esc(centre)}</text>'
        f'<text x="95" y="115" text-anchor="middle" font-size="12" class="sub">devices</text></svg>'
        f'<ul class="donut-legend">{legend}</ul></div>'
    )


def _more(bars: list[Bar], css: str) -> list[Bar]:
    """At most MAX_BARS bars; the rest summed into one (only for counts of disjoint groups)."""
    if len(bars) <= MAX_BARS:
        return bars
    rest = bars[MAX_BARS - 1 :]
    return [*bars[: MAX_BARS - 1], Bar(f"+{len(rest)} more", sum(b.value for b in rest), css, "others")]


def _legend(items: Iterable[tuple[str, str]]) -> str:
    return (
        '<div class="legend">'
        + "".join(
            f'<span><svg width="11" height="11" viewBox="0 0 11 11"><rect class="{css}" width="11" height="11" '
            f'rx="2"/></svg>{esc(label)}</span>'
            for label, css in items
        )
        + "</div>"
    )


# -- small pieces ----------------------------------------------------------------------------------


def _badge(text: str, css: str = "") -> str:
    return f'<span class="badge {css}">{esc(text)}</span>'


def _maker_cell(d: q.DeviceRow) -> str:
    maker = esc(d.maker)
    if d.rebadged:
        return f'{maker}<br><span class="rebadge">sold as {esc(d.brand)}</span>'
    return maker


def _table(
    headers: Sequence[tuple[str, str]],
    rows: Iterable[str],
    *,
    table_id: str | None = None,
    sortable: bool = False,
) -> str:
    """headers: (label, css class); rows: pre-rendered <tr> strings."""
    head = "".join(
        f'<th class="{css}" scope="col">'
        + (f'<button class="sort" type="button">{esc(label)}</button>' if sortable else esc(label))
        + "</th>"
        for label, css in headers
    )
    attrs = (f' id="{table_id}"' if table_id else "") + (' class="sortable"' if sortable else "")
    return f'<div class="tablewrap"><table{attrs}><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _section(anchor: str, title: str, lead: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{esc(title)}</h2><p class="lead">{lead}</p>{body}</section>'


def _sites(e: q.Estate) -> str:
    names = sorted({d.site_name for d in e.devices})
    if len(names) > 3:
        return f"{len(names)} sites"
    return ("site " if len(names) == 1 else "sites ") + ", ".join(names)


def _verb(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _n(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


# -- sections --------------------------------------------------------------------------------------


def _summary(e: q.Estate, t: q.Totals, changes: ScanDiff | None) -> str:
    def card(num: Any, label: str, sub: str = "", css: str = "") -> str:
        return (
            f'<div class="card {css}"><div class="num">{esc(num)}</div><div class="label">{esc(label)}</div>'
            + (f'<div class="sub">{esc(sub)}</div>' if sub else "")
            + "</div>"
        )

    change_count = (len(changes.new) + len(changes.gone) + len(changes.changed)) if changes else None
    cards = [
        card(t.devices, "devices in scope", f"{t.manufacturers} known manufacturers, {_sites(e)}"),
        card(t.cameras, "video surveillance devices", "cameras, NVRs, DVRs, encoders"),
        card(
            t.cameras_of_concern,
            "surveillance devices of concern",
            f"{q.pct(t.cameras_of_concern, t.cameras)}% of surveillance devices",
            "concern" if t.cameras_of_concern else "good",
        ),
        card(
            t.unknown_manufacturer,
            "manufacturer unknown",
            f"{t.unidentified_cameras} camera-like (unidentified)",
            "warn" if t.unidentified_cameras else "",
        ),
        card(t.skewed_clocks, "clocks off by > 1 min", f"{q.clock_measured(e)} clocks measured",
             "warn" if t.skewed_clocks else ""),
        card("–" if change_count is None else change_count, "changes since previous scan",
             "no earlier scan to compare" if changes is None else
             f"{len(changes.new)} new, {len(changes.gone)} gone, {len(changes.changed)} changed"),
    ]  # fmt: skip
    makers = [m for m in q.by_manufacturer(e) if m.concerns and m.manufacturer != UNKNOWN]
    findings = []
    if makers:
        findings.append(
            f"<strong>{t.cameras_of_concern} of {_n(t.cameras, 'surveillance device')}</strong> "
            f"({q.pct(t.cameras_of_concern, t.cameras)}%) are made or sold by companies with a recorded concern: "
            + ", ".join(f"{esc(m.manufacturer)} ({m.devices})" for m in makers)
            + '. See <a href="#concern">devices of concern</a>.'
        )
    else:
        findings.append("No device in scope is made or sold by a company with a recorded concern.")
    rebadged = sorted({(d.brand, d.maker) for d in e.devices if d.rebadged})
    if rebadged:
        findings.append(
            f"{_n(sum(d.rebadged for d in e.devices), 'device')} "
            f"{_verb(sum(d.rebadged for d in e.devices), 'is', 'are')} sold under another company's brand: "
            + ", ".join(f"{esc(b)} → made by {esc(m)}" for b, m in rebadged)
            + "."
        )
    if t.unknown_manufacturer:
        findings.append(
            f"{_n(t.unknown_manufacturer, 'device')} could not be attributed to a manufacturer"
            + (
                f"; {t.unidentified_cameras} of them {_verb(t.unidentified_cameras, 'looks like a camera', 'look like cameras')}"
                if t.unidentified_cameras
                else ""
            )
            + '. They are counted, and listed under <a href="#unknown">manufacturer unknown</a>.'
        )
    behind = behind_counts(e.devices)
    if behind.recorders:
        findings.append(
            f"{_n(behind.cameras_behind, 'camera')} {_verb(behind.cameras_behind, 'was', 'were')} found behind "
            f"{_n(behind.listed, 'recorder')}, from {_verb(behind.listed, 'its', 'their')} channel lists"
            + (
                f"; {_n(behind.unlisted, 'recorder')} with {behind.channels_unlisted} channels could not list "
                f"{_verb(behind.unlisted, 'its', 'their')} cameras"
                if behind.unlisted
                else ""
            )
            + ' (<a href="#recorders">recorders</a>).'
        )
    spread = [f for f in q.firmware_spread(e) if len(f.versions) > 1]
    if spread:
        findings.append(
            f"{_n(len(spread), 'model')} {_verb(len(spread), 'runs', 'run')} more than one firmware version across the estate "
            '(<a href="#firmware">firmware spread</a>).'
        )
    if t.skewed_clocks:
        findings.append(
            f"{_n(t.skewed_clocks, 'device clock')} {_verb(t.skewed_clocks, 'differs', 'differ')} from the scanner by more than a minute: recordings "
            'from them carry wrong times (<a href="#clock">clock findings</a>).'
        )
    body = f'<div class="cards">{"".join(cards)}</div><ul class="findings">' + "".join(
        f"<li>{f}</li>" for f in findings
    )
    return _section("summary", "Estate summary", f"{esc(e.scope_text.capitalize())}.", body + "</ul>")


def _charts(e: q.Estate, t: q.Totals) -> str:
    makers = q.by_manufacturer(e)
    maker_bars = [
        Bar(
            m.manufacturer,
            m.devices,
            "fill-unknown" if m.manufacturer == UNKNOWN else ("fill-concern" if m.concerns else "fill-ok"),
            f"{m.manufacturer}"
            + (f" (brands: {', '.join(m.brands)})" if m.brands else "")
            + (f", {len(m.concerns)} concerns" if m.concerns else ""),
        )
        for m in makers
    ]
    concern_rows = q.concern_counts(e)
    concern_bars = [
        Bar(
            c.title,
            n,
            f"cat-{c.category or 'other'}",
            f"{c.title} — {c.authority or '?'}, {c.date or '?'} [{c.id}]",
        )
        for c, n in concern_rows
    ]
    categories = q.category_counts(e)
    cat_bars = [Bar(cat.replace("_", " "), n, f"cat-{cat}") for cat, n in categories]
    types = [
        Bar(k, n, "fill-ok" if k in ("camera", "nvr", "dvr", "encoder") else "fill-unknown")
        for k, n, _ in q.count_by(e, "device_type")
    ]
    identified_ok = t.devices - t.of_concern - t.unknown_manufacturer
    ring = donut(
        [
            ("of concern", t.of_concern, "concern"),
            ("no recorded concern", max(0, identified_ok), "ok"),
            ("manufacturer unknown", t.unknown_manufacturer, "unknown"),
        ],
        str(t.devices),
        "Devices by concern status",
    )
    used_cats = sorted({c.category or "other" for c, _ in concern_rows})
    body = (
        '<div class="grid2">'
        f"<figure><figcaption>Devices by manufacturer</figcaption>"
        f"{bar_chart(_more(maker_bars, 'fill-ok'), 'Devices by manufacturer')}"
        + _legend([("recorded concern", "fill-concern"), ("no recorded concern", "fill-ok"),
                   ("manufacturer unknown", "fill-unknown")])
        + "</figure>"
        f"<figure><figcaption>Devices by concern status</figcaption>{ring}</figure>"
        f"<figure><figcaption>Devices by concern (top {min(MAX_BARS, len(concern_bars))} of "
        f"{len(concern_bars)})</figcaption>{bar_chart(concern_bars[:MAX_BARS], 'Devices by concern')}"
        + _legend((c.replace("_", " "), f"cat-{c}") for c in used_cats)
        + "</figure>"
        f"<figure><figcaption>Devices by concern category</figcaption>"
        f"{bar_chart(cat_bars, 'Devices by concern category')}"
        f"<figcaption>Devices by type</figcaption>{bar_chart(_more(types, 'fill-unknown'), 'Devices by type')}"
        "</figure></div>"
    )  # fmt: skip
    return _section(
        "charts",
        "Charts",
        "Manufacturer is who made the device (after resolving rebadged brands). A device can be reached by "
        "several concerns; hover a bar for the full name, authority and date.",
        body,
    )


def _behind(d: q.DeviceRow, by_key: dict[str, q.DeviceRow]) -> str:
    """Under a camera found through a recorder: which channel of which recorder."""
    if not d.parent:
        return ""
    recorder = by_key.get(d.parent)
    name = (recorder.ip or recorder.model) if recorder else None
    return f'<br><span class="muted">{esc(channel_label(d))} of {esc(name or "a recorder")}</span>'


def _device_table(e: q.Estate) -> str:
    with_site = len({d.site_name for d in e.devices}) > 1  # one site: the subtitle says which
    with_os = any(d.os for d in e.devices)  # what devices run, when some said (never their maker or type)
    headers = [
        ("IP address", ""),
        *([("site", "")] if with_site else []),
        ("manufacturer", ""),
        ("model", ""),
        ("firmware", ""),
        ("type", ""),
        *([("OS", "")] if with_os else []),
        ("conf.", "num"),
        ("concerns", "num"),
        ("MAC", ""),
        ("serial", ""),
        ("last seen", ""),
    ]
    rows = []
    by_key = {d.key: d for d in e.devices}
    for d in e.devices:
        concern = (
            f'<td class="num" data-value="{len(d.concerns)}" title="{esc(", ".join(d.concerns))}">'
            f"{_badge(str(len(d.concerns)), 'concern')}</td>"
            if d.concerns
            else '<td class="num" data-value="0"><span class="muted">0</span></td>'
        )
        if d.key in e.unidentified:
            dtype = f"{esc(d.device_type or '?')} {_badge('unidentified', 'warn')}"
        else:
            dtype = esc(d.device_type or "")
        site = f"<td>{esc(d.site)}</td>" if with_site else ""
        runs = f"<td>{esc(d.os_label)}</td>" if with_os else ""
        rows.append(
            f'<tr><td class="mono nowrap" data-value="{esc(q.ip_order(d.ip))}">{esc(d.ip)}{_behind(d, by_key)}</td>{site}'
            f'<td data-value="{esc(d.maker)}">{_maker_cell(d)}</td><td>{esc(d.model)}</td>'
            f'<td class="mono fw">{esc(d.firmware)}</td><td data-value="{esc(d.device_type)}">{dtype}</td>{runs}'
            f'<td class="num">{"" if d.confidence is None else f"{d.confidence:.2f}"}</td>{concern}'
            f'<td class="mono nowrap">{esc(d.mac)}</td><td class="mono serial">{esc(d.serial)}</td>'
            f'<td class="nowrap">{esc((d.last_seen or "")[:10])}</td></tr>'
        )
    toolbar = (
        '<div class="toolbar"><input type="search" placeholder="Filter: IP, maker, model, firmware…" '
        'aria-label="Filter devices" data-filter="device-table" data-count="device-count">'
        '<span class="count" id="device-count"></span></div>'
    )
    return _section(
        "devices",
        "All devices",
        "Click a column heading to sort; type to filter. Manufacturer is who made the device; a rebadged "
        "device shows the brand it is sold under.",
        toolbar + _table(headers, rows, table_id="device-table", sortable=True),
    )


def _recorders(e: q.Estate) -> str:
    """Each recorder drawn with the cameras on its channels (issue 14, docs/recorders.md)."""
    views = recorder_views(e.devices)
    if not views:
        return _section(
            "recorders",
            "Recorders and their cameras",
            "",
            '<p class="empty">No recorder in scope listed or declared channels.</p>',
        )
    b = behind_counts(e.devices)
    parts = []
    for view in views:
        r = view.recorder
        title = " ".join(x for x in (r.maker, r.model, r.ip and f"at {r.ip}") if x)
        css = "" if view.listed else "warn"
        parts.append(
            f"<h3>{esc(title)} {_badge(r.device_type or 'recorder', css)}</h3>"
            f'<p class="muted">{esc(view.describe())}</p>'
        )
        if not view.cameras:
            continue
        headers = [("channel", "num"), ("input", ""), ("name", ""), ("address behind it", ""), ("camera", ""),
                   ("firmware", ""), ("serial", ""), ("also reached at", ""), ("concerns", "num")]  # fmt: skip
        rows = []
        for c in view.cameras:
            concern = (
                _badge(str(len(c.concerns)), "concern") if c.concerns else '<span class="muted">0</span>'
            )
            status = f" {_badge('offline', 'warn')}" if c.channel_status == "offline" else ""
            camera = esc(camera_text(c)) + (
                f'<br><span class="rebadge">sold as {esc(c.brand)}</span>' if c.rebadged else ""
            )
            rows.append(
                f'<tr><td class="num">{esc(c.channel)}</td><td>{esc(INPUT_WORDS.get(c.channel_input or "", ""))}</td>'
                f'<td>{esc(c.channel_name)}{status}</td><td class="mono">{esc(c.private_address)}</td>'
                f'<td>{camera}</td><td class="mono fw">{esc(c.firmware)}</td>'
                f'<td class="mono serial">{esc(c.serial)}</td><td class="mono">{esc(c.ip)}</td>'
                f'<td class="num">{concern}</td></tr>'
            )
        parts.append(_table(headers, rows))
    lead = (
        f"{_n(b.cameras_behind, 'camera')} found on the channels of {_n(b.listed, 'recorder')}, "
        f"{b.also_direct} of them also reached directly (counted once)"
        + (
            f"; {_n(b.unlisted, 'recorder')} could not list {_verb(b.unlisted, 'its', 'their')} cameras"
            if b.unlisted
            else ""
        )
        + ". What each camera is, is what its recorder says: an analogue camera has no maker unless the recorder "
        "names one."
    )
    return _section("recorders", "Recorders and their cameras", esc(lead), "".join(parts))


def _evidence(d: q.DeviceRow) -> str:
    items = []
    for ev in q.evidence_lines(d):
        asserted = ", ".join(f"{k}={v}" for k, v in ev.asserts.items())
        items.append(
            f'<li><span class="mono">{esc(ev.signature)}</span> on {esc(ev.kind)}'
            + (f" via {esc(ev.source)}" if ev.source else "")
            + (f': <span class="muted">{esc(asserted)}</span>' if asserted else "")
            + (f" — {esc(ev.note)}" if ev.note else "")
            + "</li>"
        )
    return (
        f'<ul class="evidence">{"".join(items)}</ul>'
        if items
        else '<p class="empty">No evidence recorded.</p>'
    )


def _concern_section(e: q.Estate) -> str:
    devices = q.devices_of_concern(e)
    if not devices:
        return _section("concern", "Devices of concern", "", '<p class="empty">No device of concern.</p>')
    parts = []
    for d in devices[:MAX_EVIDENCE_DEVICES]:
        ranked = q.ranked_concerns(e, d.concerns)
        titles = ", ".join(ranked[:MAX_IDS_SHOWN]) + (
            f" +{len(ranked) - MAX_IDS_SHOWN} more" if len(ranked) > MAX_IDS_SHOWN else ""
        )
        parts.append(
            f'<details><summary><span class="device-head"><span class="mono">{esc(d.ip or d.mac)}</span>'
            f"<span>{esc(d.maker)} {esc(d.model)}</span>"
            + (f'<span class="rebadge">sold as {esc(d.brand)}</span>' if d.rebadged else "")
            + f"{_badge(_n(len(d.concerns), 'concern'), 'concern')}"
            + (f'<span class="muted">{esc(d.site)}</span>' if d.site else "")
            + f'</span></summary><p class="concern-meta">Firmware {esc(d.firmware or "unknown")}; '
            f"serial {esc(d.serial or 'unknown')}; confidence {d.confidence or 0:.2f}. "
            f"Why camscan believes who made it:</p>{_evidence(d)}"
            f'<p class="concern-meta">Concerns, confirmed and oldest first: <span class="mono">{esc(titles)}</span> '
            "(each listed with its sources below).</p></details>"
        )
    if len(devices) > MAX_EVIDENCE_DEVICES:
        parts.append(
            f'<p class="muted">… and {len(devices) - MAX_EVIDENCE_DEVICES} more in the device table.</p>'
        )
    register = []
    groups: dict[str, list[q.ConcernApplication]] = {}
    for app in q.concerns_by_manufacturer(e):
        groups.setdefault(app.manufacturer, []).append(app)
    for maker, apps in groups.items():
        apps.sort(key=lambda a: a.concern.date or "", reverse=True)
        items = []
        for a in apps:
            c = a.concern
            sources = []
            for src in c.sources[:4]:
                label = src.get("document") or src.get("publisher") or src.get("seed") or src.get("url") or ""
                url = _safe_url(str(src.get("url") or ""))
                link = f' <a href="{esc(url)}" rel="noreferrer noopener">{esc(url)}</a>' if url else ""
                sources.append(f"<li>{esc(label)}{link}</li>")
            items.append(
                f"<li><strong>{esc(c.title)}</strong> "
                f'<span class="concern-meta">— {esc(c.authority)} ({esc(c.jurisdiction)}), {esc(c.date)}; '
                f"{esc((c.category or '').replace('_', ' '))}; {esc(c.confidence)}; "
                + (f"status {esc(_status(c))}; " if c.status else "")
                + "applies via "
                f"{esc(', '.join(a.via) or maker)}; {_n(a.devices, 'device')}</span>"
                f'<br>{esc(c.summary)}<ul class="sources">{"".join(sources)}</ul></li>'
            )
        register.append(
            f"<details><summary>{esc(maker)}: {_n(len(apps), 'concern')}</summary><ol>{''.join(items)}</ol></details>"
        )
    return _section(
        "concern",
        "Devices of concern",
        "Devices whose manufacturer or brand is named by a recorded concern (or reached through a parent "
        "company where the source says so). Open a device for the evidence behind its identity. Statuses are "
        f"as of the concerns register {e.concerns_register or 'named in the footer'}.",
        "".join(parts) + "<h3>Concerns that apply, with their sources</h3>" + "".join(register),
    )


def _status(c: q.ConcernRow) -> str:
    """`in force (as of 2026-12-04)`, `superseded (as of …)`."""
    text = (c.status or "").replace("_", " ")
    return f"{text} (as of {c.status_as_of})" if c.status_as_of else text


def _firmware(e: q.Estate) -> str:
    spread = q.firmware_spread(e)
    if not spread:
        return _section(
            "firmware", "Firmware spread per model", "", '<p class="empty">No model identified.</p>'
        )
    rows = []
    for f in spread:
        x = 0.0
        rects = []
        for i, (version, n) in enumerate(f.versions):
            w = 220 * n / f.devices
            rects.append(
                f'<rect class="fw{min(i, 5)}" x="{x:.1f}" y="2" width="{w:.1f}" height="14" rx="2">'
                f"<title>{esc(version)}: {n}</title></rect>"
            )
            x += w
        versions = ", ".join(f"{esc(v)} ({n})" for v, n in f.versions)
        flag = _badge(f"{len(f.versions)} versions", "warn") if len(f.versions) > 1 else ""
        rows.append(
            f'<tr><td>{esc(f.manufacturer)}</td><td>{esc(f.model)}</td><td class="num">{f.devices}</td>'
            f'<td><svg class="fwbar" width="220" height="18" viewBox="0 0 220 18" role="img" '
            f'aria-label="firmware versions" xmlns="http://www.w3.org/2000/svg">{"".join(rects)}</svg></td>'
            f'<td class="mono">{versions} {flag}</td></tr>'
        )
    return _section(
        "firmware",
        "Firmware spread per model",
        "How many devices of each model run each firmware version; models on several versions first. Mixed "
        "versions usually mean some devices missed updates.",
        _table(
            [
                ("manufacturer", ""),
                ("model", ""),
                ("devices", "num"),
                ("versions", ""),
                ("firmware (devices)", ""),
            ],
            rows,
        ),
    )


def _fmt_skew(seconds: float) -> str:
    sign = "ahead" if seconds > 0 else "behind"
    s = abs(seconds)
    if s >= 86400:
        text = f"{s / 86400:.1f} days"
    elif s >= 3600:
        text = f"{s / 3600:.1f} hours"
    elif s >= 60:
        text = f"{s / 60:.1f} minutes"
    else:
        text = f"{s:.0f} s"
    return f"{text} {sign}"


def _clock(e: q.Estate) -> str:
    measured = q.clock_measured(e)
    skewed = q.clock_skew(e)
    if not measured:
        body = (
            '<p class="empty">No device clock was measured in these scans (camscan reads it from ONVIF '
            "GetSystemDateAndTime during active scans).</p>"
        )
    elif not skewed:
        body = f"<p>All {_n(measured, 'measured clock')} are within a minute of the scanner.</p>"
    else:
        rows = [
            f'<tr><td class="mono">{esc(d.ip)}</td><td>{esc(d.site)}</td><td>{_maker_cell(d)}</td>'
            f'<td>{esc(d.model)}</td><td class="num" data-value="{d.clock_skew_s}">{d.clock_skew_s:+.0f}</td>'
            f"<td>{esc(_fmt_skew(d.clock_skew_s or 0.0))}</td></tr>"
            for d in skewed
        ]
        body = (
            f"<p>{_n(len(skewed), 'device')} of {measured} measured {_verb(len(skewed), 'is', 'are')} off by more "
            "than a minute.</p>"
            + _table(
                [
                    ("IP address", ""),
                    ("site", ""),
                    ("manufacturer", ""),
                    ("model", ""),
                    ("skew (s)", "num"),
                    ("", ""),
                ],
                rows,
            )
        )
    return _section(
        "clock",
        "Clock findings",
        "A camera whose clock is wrong stamps wrong times on its recordings, which weakens them as evidence, "
        "and breaks ONVIF authentication.",
        body,
    )


def _sighting_row(s: Sighting) -> str:
    i = s.identity
    return (
        f'<tr><td class="mono">{esc(i.get("ip"))}</td><td>{esc(s.site)}</td>'
        f"<td>{esc(i.get('manufacturer') or UNKNOWN)}</td><td>{esc(i.get('model'))}</td>"
        f'<td class="mono">{esc(i.get("firmware"))}</td><td>{esc(i.get("device_type"))}</td></tr>'
    )


def _changes(changes: ScanDiff | None) -> str:
    if changes is None:
        return _section(
            "changes",
            "Changes since the previous scan",
            "",
            '<p class="empty">No earlier complete scan of this site to compare with yet.</p>',
        )
    head = [
        ("IP address", ""),
        ("site", ""),
        ("manufacturer", ""),
        ("model", ""),
        ("firmware", ""),
        ("type", ""),
    ]
    s = changes.summary()
    parts = [
        "<p>"
        + " ".join(
            [
                _badge(f"{s['new']} new", "good" if s["new"] else ""),
                _badge(f"{s['gone']} gone", "concern" if s["gone"] else ""),
                _badge(f"{s['firmware']} firmware changed", "warn" if s["firmware"] else ""),
                _badge(f"{s['identity']} identity changed", "warn" if s["identity"] else ""),
                _badge(f"{s['address']} address changed", ""),
                _badge(f"{s['unchanged']} unchanged", ""),
            ]
        )
        + "</p>"
    ]
    if changes.new:
        parts.append("<h3>New devices</h3>" + _table(head, map(_sighting_row, changes.new)))
    if changes.gone:
        parts.append(
            "<h3>Gone (not seen by the later scan)</h3>" + _table(head, map(_sighting_row, changes.gone))
        )
    if changes.changed:
        rows = []
        for c in changes.changed:
            diffs = "<br>".join(
                f'{esc(ch.field)}: <span class="change-old">{esc(ch.old if ch.old is not None else "—")}</span> → '
                f'<span class="change-new">{esc(ch.new if ch.new is not None else "—")}</span>'
                for ch in c.changes
            )
            rows.append(
                f'<tr><td class="mono">{esc(c.after.identity.get("ip"))}</td><td>{esc(c.after.site)}</td>'
                f"<td>{esc(c.after.identity.get('manufacturer') or UNKNOWN)}</td>"
                f"<td>{esc(c.after.identity.get('model'))}</td><td>{esc(', '.join(c.categories))}</td>"
                f"<td>{diffs}</td></tr>"
            )
        parts.append(
            "<h3>Changed</h3>"
            + _table(
                [
                    ("IP address", ""),
                    ("site", ""),
                    ("manufacturer", ""),
                    ("model", ""),
                    ("what", ""),
                    ("change", ""),
                ],
                rows,
            )
        )
    if changes.swapped:  # a camera replaced on a recorder channel (issue 14)
        rows = [
            f'<tr><td class="mono">{esc(w.recorder_ip or w.parent)}</td><td class="num">{esc(w.channel)}</td>'
            f"<td>{esc(camera_text(w.before.identity))} {esc(w.before.identity.get('serial') or '')}</td>"
            f"<td>{esc(camera_text(w.after.identity))} {esc(w.after.identity.get('serial') or '')}</td></tr>"
            for w in changes.swapped
        ]
        head_swap = [("recorder", ""), ("channel", "num"), ("camera before", ""), ("camera now", "")]
        parts.append("<h3>Cameras swapped on a recorder channel</h3>" + _table(head_swap, rows))
    b, a = changes.before, changes.after
    lead = (
        f"Scan {a.id} ({esc(a.kind)}, {esc((a.started or '')[:16].replace('T', ' '))}) compared with scan {b.id} "
        f"({esc(b.kind)}, {esc((b.started or '')[:16].replace('T', ' '))})"
        + (f", site {esc(a.site)}" if a.site else "")
        + "."
    )
    return _section("changes", "Changes since the previous scan", lead, "".join(parts))


def _unknown(e: q.Estate) -> str:
    devices = q.unknown_manufacturer(e)
    if not devices:
        return _section(
            "unknown", "Manufacturer unknown", "", '<p class="empty">Every device was attributed.</p>'
        )
    rows = [
        f'<tr><td class="mono">{esc(d.ip)}</td><td class="mono">{esc(d.mac)}</td><td>{esc(d.site)}</td>'
        f"<td>{esc(d.brand)}</td><td>{esc(d.model)}</td><td>{esc(d.device_type)}</td>"
        f"<td>{_badge('unidentified camera', 'warn') if d.key in e.unidentified else ''} "
        f"{esc(e.unidentified.get(d.key, ''))}</td></tr>"
        for d in devices
    ]
    return _section(
        "unknown",
        "Manufacturer unknown",
        "Counted in every total, never dropped. Camera-like devices among them are unidentified cameras "
        '(what <span class="mono">camscan check --fail-on unknown</span> reports).',
        _table(
            [
                ("IP address", ""),
                ("MAC", ""),
                ("site", ""),
                ("brand", ""),
                ("model", ""),
                ("type", ""),
                ("why", ""),
            ],
            rows,
        ),
    )


def _method(e: q.Estate) -> str:
    notes = "".join(f"<li><strong>{esc(topic)}</strong>: {esc(body)}</li>" for topic, body in method_notes(e))
    rows = [
        f'<tr><td class="num">{s.id}</td><td>{esc(s.kind)}</td><td>{_badge(s.status, "good" if s.status == "complete" else "warn")}</td>'
        f"<td>{esc((s.started or '')[:19].replace('T', ' '))}</td><td>{esc(s.site)}</td>"
        f'<td>{esc(s.method_text)}</td><td class="num">{s.devices_seen}</td><td class="num">{s.errors}</td></tr>'
        for s in e.scans
    ]
    table = _table(
        [("scan", "num"), ("kind", ""), ("status", ""), ("started (UTC)", ""), ("site", ""), ("method", ""),
         ("devices", "num"), ("errors", "num")],
        rows,
    )  # fmt: skip
    return _section(
        "method",
        "Method and sources",
        "How these numbers were produced, and what they cannot show.",
        f"<h3>Scans behind the numbers</h3>{table}<h3>Notes</h3><ul>{notes}</ul>",
    )


NAV = (
    ("summary", "Summary"),
    ("charts", "Charts"),
    ("devices", "Devices"),
    ("recorders", "Recorders"),
    ("concern", "Devices of concern"),
    ("risk", "Risk"),
    ("firmware", "Firmware"),
    ("clock", "Clocks"),
    ("changes", "Changes"),
    ("unknown", "Unknown"),
    ("method", "Method"),
)


def _risk_section(estate: q.Estate) -> str:
    from camscan.report.risk_section import section

    return section(estate)


def render(estate: q.Estate, changes: ScanDiff | None) -> str:
    """The whole page as one string."""
    t = q.totals(estate)
    body = "\n".join(
        [
            _summary(estate, t, changes),
            _charts(estate, t),
            _device_table(estate),
            _recorders(estate),
            _concern_section(estate),
            _risk_section(estate),
            _firmware(estate),
            _clock(estate),
            _changes(changes),
            _unknown(estate),
            _method(estate),
        ]
    )
    css, js = _asset("report.css"), _asset("report.js")
    csp = (
        f"default-src 'none'; style-src {_sha256(css)}; script-src {_sha256(js)}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    subtitle = (
        f"{esc(estate.scope_text.capitalize())} · {esc(estate.database)} · generated "
        f"{esc(estate.generated[:16].replace('T', ' '))} UTC"
    )
    footer = (
        f"Generated by camscan {esc(estate.camscan_version)} with data {esc(estate.data_version or 'unknown')}; "
        f"concerns register {esc(estate.concerns_register or 'unknown')}. "
        "Every value a device reported is shown as text; the page loads nothing from the network."
    )
    slots = {
        "CSP": csp,
        "VERSION": esc(estate.camscan_version),
        "TITLE": esc(TITLE),
        "SUBTITLE": subtitle,
        "NAV": "".join(f'<a href="#{anchor}">{esc(label)}</a>' for anchor, label in NAV),
        "FOOTER": footer,
        "CSS": css,
        "JS": js,
        "BODY": body,
    }
    # One pass: text inserted into one slot is never scanned for another slot's marker.
    return _SLOT.sub(lambda m: slots[m.group(1)], _asset("report.html"))
