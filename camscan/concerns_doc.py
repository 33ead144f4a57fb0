"""The generated part of docs/concerns.md: every entry of the register with its sources, from concerns.yaml.

`python -m camscan.concerns_doc` rewrites the part of docs/concerns.md between the two marker lines; a test checks
that the page matches the data file, so the page cannot drift from what camscan uses.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from camscan.concerns import ConcernRegister
from camscan.concerns_view import STATUS_WORDS

BEGIN = "<!-- generated from vendor_signatures/concerns.yaml by `python -m camscan.concerns_doc`; edit the data file -->"
END = "<!-- end of the generated part -->"
DOC = Path(__file__).resolve().parents[1] / "docs" / "concerns.md"


def _cell(text: Any) -> str:
    return " ".join(str(text or "").split()).replace("|", "\\|")


def _quoted(quote: str) -> str:
    return f"“{quote}”"


def _source(s: dict[str, Any]) -> str:
    if s.get("seed"):
        text = f"seed `{s['seed']}`" + (f", {s['publisher']}" if s.get("publisher") else "")
    else:
        text = str(s.get("document") or "")
        if s.get("url"):
            text += f" <{s['url']}>"
    return text + (f": {_quoted(s['quote'])}" if s.get("quote") else "")


def _vendors(c: dict[str, Any]) -> str:
    applies = list(c.get("applies_to") or [])
    if applies:
        text = ", ".join(applies) + (" (+ subsidiaries/affiliates)" if c.get("includes_subsidiaries") else "")
    else:
        text = "none named" + (
            f" (by description: {c['applies_by_description']})" if c.get("applies_by_description") else ""
        )
    if c.get("candidate_vendors"):
        text += "; candidates, uncertain: " + ", ".join(c["candidate_vendors"])
    return text


def _status(c: dict[str, Any]) -> str:
    if not c.get("status"):
        return ""
    text: str = STATUS_WORDS.get(c["status"], c["status"])
    if c.get("superseded_by"):
        text += " by " + ", ".join(f"`{s}`" for s in c["superseded_by"])
    return text + (f" (as of {c['status_as_of']})" if c.get("status_as_of") else "")


def _dates(c: dict[str, Any]) -> str:
    text = str(c.get("date"))
    if c.get("released"):
        text += f"; released {c['released']}"
    if c.get("effective"):
        text += f"; effective {c['effective']}"
    return text


def _concern_section(c: dict[str, Any]) -> list[str]:
    lines = [
        f"### {c['id']}",
        "",
        f"**{c['title']}**  ",
        f"{_dates(c)} · {c['authority']} · {c['jurisdiction']} · {c['category']} · confidence: "
        f"{c.get('confidence', 'confirmed')}",
        "",
        f"Status: {_status(c)}." + (f" {c['status_note']}" if c.get("status_note") else ""),
        "",
        f"Applies to: {_vendors(c)}.",
        "",
    ]
    if c.get("names_in_source"):
        lines += [f"Names as written in the source: {'; '.join(map(str, c['names_in_source']))}.", ""]
    lines += [" ".join(str(c["summary"]).split()), ""]
    if c.get("note"):
        lines += [f"*Note:* {' '.join(str(c['note']).split())}", ""]
    if c.get("see_also"):
        lines += ["See also: " + ", ".join(f"[`{s}`](#{s})" for s in c["see_also"]) + ".", ""]
    tracking = f"Added to the register {c.get('added')}."
    for change in c.get("changes") or []:
        tracking += f" Changed {change['date']}: {' '.join(str(change['change']).split())}"
    lines += [tracking, "", "Sources:", ""]
    lines += [f"- {_source(s)}" for s in c.get("sources") or []]
    if c.get("no_quote"):
        lines.append(f"- (no quote recorded: {c['no_quote']})")
    return [*lines, ""]


def render(register: ConcernRegister) -> str:
    concerns = [c.raw for c in register.concerns.values()]
    lines = [
        BEGIN,
        "",
        f"## All concerns (register {register.label})",
        "",
        f"{len(concerns)} concerns, {len(register.responses)} responses, {len(register.facts)} facts. Vendors "
        'are canonical names from `vendors.yaml`; "+ subsidiaries/affiliates" marks `includes_subsidiaries: '
        "true`. `added`/`changed` is when the entry entered or last changed in the register.",
        "",
        "| id | date | authority | jurisdiction | category | vendors | confidence | status | added / changed |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for c in concerns:
        changed = c.get("added", "") + (f" / {c['updated']}" if c.get("updated") else "")
        lines.append(
            f"| [`{c['id']}`](#{c['id']}) | {_cell(c['date'])} | {_cell(c['authority'])} | "
            f"{_cell(c['jurisdiction'])} | {c['category']} | {_cell(_vendors(c))} | "
            f"{c.get('confidence', 'confirmed')} | {(c.get('status') or '').replace('_', ' ')} | {changed} |"
        )
    lines += ["", "## Each concern with its sources", ""]
    for c in concerns:
        lines += _concern_section(c)
    lines += [
        "## Responses",
        "",
        "The companies' own answers recorded in the sources, kept beside the concerns they answer. `vendor` is the "
        "vendor that responded; the CCTV User Group is an industry body, so its entry has no vendor.",
        "",
        "| id | respondent | date | responds to | quote | added |",
        "|---|---|---|---|---|---|",
    ]
    for r in register.responses:
        answers = ", ".join(f"`{x}`" for x in r.get("responds_to") or [])
        lines.append(
            f"| `{r['id']}` | {_cell(r.get('respondent'))} | {_cell(r.get('date'))} | {answers} | "
            f"{_cell(_quoted(r['quote']) if r.get('quote') else '')} | {r.get('added', '')} |"
        )
    lines += ["", "Sources and notes:", ""]
    for r in register.responses:
        text = "; ".join(_source(s) for s in r.get("sources") or [])
        if r.get("confidence"):
            text += f" (confidence: {r['confidence']})"
        if r.get("note"):
            text += f" — *Note:* {' '.join(str(r['note']).split())}"
        lines.append(f"- `{r['id']}`: {text}")
    lines += [
        "",
        "## Facts",
        "",
        "Context the sources state about ownership and scale. These are not concerns and are not attached to "
        "devices as concerns.",
        "",
        "| id | vendors | as of | fact | source | added |",
        "|---|---|---|---|---|---|",
    ]
    for f in register.facts:
        vendors = ", ".join(f.get("vendors") or []) or "(none)"
        fact = " ".join([str(f.get("fact") or ""), str(f.get("note") or "")]).strip()
        source = "; ".join(_source(s) for s in f.get("sources") or [])
        lines.append(
            f"| `{f['id']}` | {_cell(vendors)} | {_cell(f.get('as_of'))} | {_cell(fact)} | {_cell(source)} | "
            f"{f.get('added', '')} |"
        )
    return "\n".join([*lines, "", END])


def updated_page(page: str, register: ConcernRegister) -> str:
    """`page` with its generated part replaced (a clear error if the markers are missing)."""
    if BEGIN not in page or END not in page:
        raise ValueError(f"{DOC}: the marker lines of the generated part are missing")
    head, rest = page.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    return head + render(register) + tail


def main() -> int:
    from camscan.identify.knowledge import load_knowledge

    page = DOC.read_text(encoding="utf-8")
    DOC.write_text(updated_page(page, load_knowledge().concerns), encoding="utf-8")
    print(f"{DOC}: generated part rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
