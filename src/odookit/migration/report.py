"""What a validation run leaves behind: annotated copies, an HTML page, JSON.

The annotated copy is the client's workbook with every failing cell filled
(red: error, amber: warning) and commented with the rule it broke, so the
client fixes their own file. It is written in streaming mode from the rows
already read, which keeps it affordable on 100,000-row sheets.
"""

from __future__ import annotations

import html
import json
import os
from collections import defaultdict
from pathlib import Path

from odookit.migration.escape import escape_cell, row
from odookit.migration.rules import Validation

ERROR_FILL = "FFC7CE"
WARNING_FILL = "FFEB9C"


def atomic_save(book, path: Path) -> Path:
    """Save an openpyxl workbook through a temp file, so a crash never leaves half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        book.save(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def atomic_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def annotate(validation: Validation, out_dir: Path) -> list[Path]:
    """One annotated copy per workbook read: <name>.annotated.xlsx."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import column_index_from_string

    by_cell: dict[tuple[str, str, int, str], list] = defaultdict(list)
    for f in validation.findings:
        by_cell[(f.file, f.sheet, f.row, f.column)].append(f)
    fills = {s: PatternFill("solid", start_color=c, end_color=c) for s, c in (("error", ERROR_FILL), ("warning", WARNING_FILL))}
    bold = Font(bold=True)
    outputs = []
    by_path: dict[Path, list] = defaultdict(list)
    for sheet in validation.sheets:
        by_path[sheet.path].append(sheet)
    for path, sheets in by_path.items():
        book = openpyxl.Workbook(write_only=True)
        for sheet in sheets:
            ws = book.create_sheet(sheet.title)
            ws.freeze_panes = "A2"
            # cells stay in the client's columns (blank columns included), so "C5" in a finding is C5 here
            columns = [column_index_from_string(sheet.letters[h]) - 1 for h in sheet.headers]
            place = None if columns == list(range(len(columns))) else _placer(columns)
            header = []
            for name in sheet.headers:
                cell = escape_cell(WriteOnlyCell(ws, value=name))
                cell.font = bold
                header.append(cell)
            ws.append(place(header) if place else header)
            flagged = {(r, c): fs for (file, title, r, c), fs in by_cell.items() if file == path.name and title == sheet.title}
            rows_flagged = {r for r, _ in flagged}
            for excel_row, values in zip(sheet.rows, sheet.values, strict=True):
                if excel_row not in rows_flagged:
                    ws.append(row(ws, place(values) if place else values))
                    continue
                cells = []
                for name, value in zip(sheet.headers, values, strict=True):
                    found = flagged.get((excel_row, name))
                    if not found:
                        cells.append(value)
                        continue
                    cell = escape_cell(WriteOnlyCell(ws, value=value))
                    worst = "error" if any(f.severity == "error" for f in found) else "warning"
                    cell.fill = fills[worst]
                    text = "\n".join(f"{f.severity}: {f.message} [{f.rule}]" for f in found)
                    cell.comment = Comment(text, "odookit", width=320, height=90)
                    cells.append(cell)
                ws.append(row(ws, place(cells) if place else cells))
        outputs.append(atomic_save(book, out_dir / f"{path.stem}.annotated.xlsx"))
    return outputs


def _placer(columns: list[int]):
    """Spread a row of values over their original column positions."""
    width = max(columns) + 1

    def place(values) -> list:
        out = [None] * width
        for position, value in zip(columns, values, strict=True):
            out[position] = value
        return out

    return place


def write_json(validation: Validation, path: Path) -> Path:
    return atomic_text(path, json.dumps(validation.as_dict(), indent=2, default=str))


def write_html(validation: Validation, path: Path, *, title: str = "Migration validation", limit: int = 2000) -> Path:
    """A self-contained page: summary per entity, the findings a lead acts on (first ``limit``), then every expectation evaluated."""
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(s['entity'])}</td><td>{s['rows']}</td><td{' class=e' if s['errors'] else ''}>{s['errors']}</td><td{' class=w' if s['warnings'] else ''}>{s['warnings']}</td><td>{s['bad_rows']}</td></tr>"
        for s in validation.summary()
    )
    exp = "".join(
        f"<tr class={'ok' if e['success'] else 'ko'}><td>{esc(e['entity'])}</td><td>{esc(e['expectation'])}</td><td>{esc(str(e['column']))}</td>"
        f"<td>{esc(e['rule'])}</td><td>{'pass' if e['success'] else 'fail'}</td><td>{e['unexpected']}</td></tr>"
        for e in validation.expectations
    )
    found = "".join(
        f"<tr class={f.severity[0]}><td>{esc(f.file)}</td><td>{esc(f.sheet)}</td><td>{esc(f.cell)}</td><td>{esc(f.column)}</td>"
        f"<td>{f.severity}</td><td>{esc(f.rule)}</td><td>{esc(f.message)}</td></tr>"
        for f in validation.findings[:limit]
    )
    more = f"<p>{len(validation.findings) - limit} more findings: see the JSON report.</p>" if len(validation.findings) > limit else ""
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>{esc(title)}</title><style>
body{{font-family:system-ui,sans-serif;margin:2em}} table{{border-collapse:collapse;margin-bottom:2em}}
td,th{{border:1px solid #ccc;padding:.25em .6em;text-align:left}} .e{{color:#9c0006}} .w{{color:#9c5700}}
tr.e td{{background:#{ERROR_FILL}}} tr.w td{{background:#{WARNING_FILL}}} tr.ko td{{background:#fbe3e4}}</style></head><body>
<h1>{esc(title)}</h1><p>{len(validation.errors)} errors, {len(validation.warnings)} warnings.</p>
<h2>Entities</h2><table><tr><th>entity</th><th>rows</th><th>errors</th><th>warnings</th><th>rows with errors</th></tr>{rows}</table>
<h2>Findings</h2><table><tr><th>file</th><th>sheet</th><th>cell</th><th>column</th><th>severity</th><th>rule</th><th>message</th></tr>{found}</table>{more}
<h2>Expectations (great-expectations)</h2><table><tr><th>entity</th><th>expectation</th><th>column</th><th>rule</th><th>result</th><th>unexpected</th></tr>{exp}</table>
</body></html>"""
    return atomic_text(path, page)


def write_reports(validation: Validation, out_dir: Path) -> list[Path]:
    outputs = annotate(validation, out_dir)
    outputs.append(write_html(validation, out_dir / "validation.html"))
    outputs.append(write_json(validation, out_dir / "validation.json"))
    return outputs
