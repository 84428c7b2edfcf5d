"""What a validation run leaves behind: annotated copies, an HTML page, JSON.

The annotated copy is the client's workbook with every failing cell filled
(red: error, amber: warning) and commented with the rule it broke, so the
client fixes their own file, whatever its format (a CSV's copy is an .xlsx).
It is written by ``xlsx_writer`` from the rows already read, which keeps it
affordable on 100,000-row sheets.
"""

from __future__ import annotations

import html
import json
import os
from collections import defaultdict
from pathlib import Path

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
    """One annotated copy per client file read: <stem>.annotated.xlsx, whatever the file's format.

    The copy is of the client's own table (their headers, every column,
    those a mapping leaves out included), so "C5" in a finding is C5 there.
    Written by the streaming ``xlsx_writer``: rows nobody flagged cost about
    what reading them did.
    """
    from odookit.migration import xlsx_writer
    from odookit.migration.readers import column_index

    by_sheet: dict[tuple[str, str], dict[int, dict[int, list]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for f in validation.findings:
        letters = f.cell.rstrip("0123456789")
        if letters and letters.isalpha():
            by_sheet[(f.file, f.sheet)][f.row][column_index(letters) - 1].append(f)
    outputs = []
    by_path: dict[Path, list] = defaultdict(list)
    for sheet in validation.sheets:
        by_path[sheet.path].append(sheet)
    for path, sheets in by_path.items():
        written = []
        for sheet in sheets:
            table = sheet.table
            out = xlsx_writer.Sheet(sheet.title[:31])
            out.header(list(table.header))
            flagged = by_sheet.get((path.name, sheet.title), {})
            flags = {}
            for offset, excel_row in enumerate(table.rows):
                if excel_row in flagged:
                    flags[offset] = {position: ("error" if any(f.severity == "error" for f in fs) else "warning",
                                                "\n".join(f"{f.severity}: {f.message} [{f.rule}]" for f in fs))
                                     for position, fs in flagged[excel_row].items()}
            # all rows in one call, each at its row of the client's file (blank rows kept blank),
            # the flagged cells filled and commented
            out.rows(table.cells, flags, numbers=table.rows or None)
            written.append(out)
        outputs.append(xlsx_writer.save(written, out_dir / f"{path.stem}.annotated.xlsx",
                                        fills={"error": ERROR_FILL, "warning": WARNING_FILL}))
    return outputs


def sources(validation: Validation) -> list[dict]:
    """Each sheet read: its file, entity, what the reader detected (a CSV's encoding and delimiter), the mapping used."""
    return [
        {"file": sheet.path.name, "sheet": sheet.title, "entity": sheet.entity.name, "rows": len(sheet.rows),
         "csv": bool(sheet.table is not None and sheet.table.is_csv), "detected": sheet.detected,
         "mapping": f"mappings/{sheet.mapping.name}" if sheet.mapping else None}
        for sheet in validation.sheets
    ]


def write_json(validation: Validation, path: Path) -> Path:
    return atomic_text(path, json.dumps({**validation.as_dict(), "sources": sources(validation)}, indent=2, default=str))


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
    read = "".join(
        f"<tr><td>{esc(s['file'])}</td><td>{esc(s['sheet'])}</td><td>{esc(s['entity'])}</td><td>{s['rows']}</td>"
        f"<td>{esc(s['detected'] or '')}</td><td>{esc(s['mapping'] or '')}</td></tr>"
        for s in sources(validation)
    )
    more = f"<p>{len(validation.findings) - limit} more findings: see the JSON report.</p>" if len(validation.findings) > limit else ""
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>{esc(title)}</title><style>
body{{font-family:system-ui,sans-serif;margin:2em}} table{{border-collapse:collapse;margin-bottom:2em}}
td,th{{border:1px solid #ccc;padding:.25em .6em;text-align:left}} .e{{color:#9c0006}} .w{{color:#9c5700}}
tr.e td{{background:#{ERROR_FILL}}} tr.w td{{background:#{WARNING_FILL}}} tr.ko td{{background:#fbe3e4}}</style></head><body>
<h1>{esc(title)}</h1><p>{len(validation.errors)} errors, {len(validation.warnings)} warnings.</p>
<h2>Files read</h2><table><tr><th>file</th><th>sheet</th><th>entity</th><th>rows</th><th>detected</th><th>mapping</th></tr>{read}</table>
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
