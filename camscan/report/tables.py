"""Named tables and their renderers: CSV, XLSX (openpyxl), Markdown and JSON.

A `Document` is a title, a scope line, tables and notes. The questionnaire builds one; each renderer writes
all of it (or one table) in its format, cleaning device strings on the way (`camscan.report.text`).
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from camscan.report.text import cell, plain, text

ColumnKind = Literal["text", "int", "pct", "float", "date"]
MIN_WIDTH, MAX_WIDTH = 8, 60
SHEET_NAME_MAX = 31


@dataclass(frozen=True, slots=True)
class Column:
    id: str
    label: str
    kind: ColumnKind = "text"
    width: int | None = None  # XLSX column width in characters; computed from the content when None


@dataclass(slots=True)
class Table:
    name: str  # machine name: JSON key, sheet name, --table value
    title: str
    description: str
    columns: list[Column]
    rows: list[dict[str, Any]]


@dataclass(slots=True)
class Document:
    title: str
    meta: dict[str, Any]  # generated, database, scope, versions …
    tables: list[Table]
    notes: list[tuple[str, str]] = field(default_factory=list)  # (topic, text)

    def table(self, name: str) -> Table:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)


# -- CSV -------------------------------------------------------------------------------------------


def _csv_rows(table: Table) -> list[list[Any]]:
    rows: list[list[Any]] = [[c.label for c in table.columns]]
    rows += [[cell(r.get(c.id)) for c in table.columns] for r in table.rows]
    return rows


def to_csv(doc: Document, only: str | None = None) -> str:
    """All tables, each introduced by a `# title` line and followed by a blank line; or just one table."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if only is not None:
        writer.writerows(_csv_rows(doc.table(only)))
        return buf.getvalue()
    writer.writerow([f"# {doc.title}"])
    for key, value in doc.meta.items():
        writer.writerow([f"# {key}", cell(value)])
    writer.writerow([])
    for table in doc.tables:
        writer.writerow([f"# {table.title}"])
        writer.writerows(_csv_rows(table))
        writer.writerow([])
    writer.writerow(["# Notes"])
    writer.writerows([[cell(topic), cell(body)] for topic, body in doc.notes])
    return buf.getvalue()


# -- XLSX ------------------------------------------------------------------------------------------


def write_xlsx(doc: Document, path: Path, only: str | None = None) -> None:
    """One sheet per table (frozen, filterable header; widths set) and a Notes sheet with method and sources."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    default = wb.active  # a new workbook's one empty sheet: every sheet is added below, by name
    if default is not None:
        wb.remove(default)
    wb.properties.creator = "camscan"
    wb.properties.title = doc.title
    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor="1F3A5F")
    tables = [doc.table(only)] if only else doc.tables
    for table in tables:
        ws = wb.create_sheet(table.name[:SHEET_NAME_MAX])
        ws.append([c.label for c in table.columns])
        for r in table.rows:
            ws.append([cell(r.get(c.id)) for c in table.columns])
        for i, col in enumerate(table.columns, 1):
            letter = get_column_letter(i)
            head = ws.cell(row=1, column=i)
            head.font, head.fill = head_font, head_fill
            head.alignment = Alignment(vertical="top", wrap_text=True)
            if col.kind == "pct":
                for (c,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    c.number_format = '0.0"%"'
            longest = max([len(col.label)] + [len(text(r.get(col.id))) for r in table.rows])
            ws.column_dimensions[letter].width = col.width or max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))
        ws.freeze_panes = "A2"
        if table.rows:
            ws.auto_filter.ref = ws.dimensions
    notes = wb.create_sheet("notes")
    notes.append(["topic", "note"])
    for key, value in doc.meta.items():
        notes.append([cell(key), cell(value)])
    for topic, body in doc.notes:
        notes.append([cell(topic), cell(body)])
    for c in notes[1]:
        c.font, c.fill = head_font, head_fill
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 110
    for row in notes.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    notes.freeze_panes = "A2"
    wb.save(path)


# -- Markdown --------------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|#"})


def md_text(value: Any) -> str:
    """A device string inside Markdown: one line, HTML-escaped, Markdown punctuation escaped."""
    return html.escape(plain(value), quote=False).translate(_MD_SPECIAL)


def _md_table(table: Table) -> list[str]:
    lines = [
        "| " + " | ".join(c.label for c in table.columns) + " |",
        "| "
        + " | ".join("---:" if c.kind in ("int", "pct", "float") else "---" for c in table.columns)
        + " |",
    ]
    for r in table.rows:
        lines.append("| " + " | ".join(md_text(_fmt(r.get(c.id), c)) for c in table.columns) + " |")
    return lines


def _fmt(value: Any, col: Column) -> Any:
    if col.kind == "pct" and isinstance(value, (int, float)):
        return f"{value:.1f}%"
    return value


def to_markdown(doc: Document, only: str | None = None) -> str:
    lines = [f"# {md_text(doc.title)}", ""]
    lines += [f"- **{md_text(k)}**: {md_text(v)}" for k, v in doc.meta.items()]
    lines.append("")
    for table in [doc.table(only)] if only else doc.tables:
        lines += [f"## {md_text(table.title)}", "", md_text(table.description), ""]
        lines += _md_table(table) if table.rows else ["_none_"]
        lines.append("")
    if not only:
        lines += ["## Notes", ""]
        lines += [f"- **{md_text(topic)}**: {md_text(body)}" for topic, body in doc.notes]
        lines.append("")
    return "\n".join(lines)


# -- JSON ------------------------------------------------------------------------------------------


def to_json(doc: Document, schema: str, only: str | None = None, extra: dict[str, Any] | None = None) -> str:
    """Raw values (lists stay lists): JSON consumers escape for their own output."""
    if only:
        return json.dumps(doc.table(only).rows, ensure_ascii=False, default=str) + "\n"
    data: dict[str, Any] = {"schema": schema, "title": doc.title, **doc.meta, **(extra or {})}
    for table in doc.tables:
        data[table.name] = table.rows
    data["notes"] = dict(doc.notes)
    return json.dumps(data, ensure_ascii=False, default=str, indent=1) + "\n"
