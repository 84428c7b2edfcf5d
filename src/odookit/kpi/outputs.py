"""The report in the forms its readers use: a terminal table (rich) and a workbook.

The workbook has a summary sheet and one sheet per KPI with its formula,
sources, targets and every breakdown; text is written formula-escaped
(``migration/escape.py``) since names of companies and users come from the
client's database.
"""

from __future__ import annotations

from pathlib import Path

from odookit.kpi.compute import KpiResult
from odookit.kpi.targets import target_text

DIMENSION_LABELS = {"company": "Company", "warehouse": "Warehouse", "week": "Week", "user": "Confirmed by"}


def targets_cell(kpi: KpiResult) -> str:
    return "; ".join(f"{target_text(t, kpi.unit)}: {t['status']}" for t in kpi.targets) or "-"


def headline(report) -> str:
    p = report.period
    return (f"KPIs of {report.target or report.database} ({report.database}), {p['since']} to {p['until']} ({p['days']} days): "
            f"{sum(k.status == 'ok' for k in report.kpis)} of {len(report.kpis)} with a figure, "
            f"{report.missed} target(s) missed; {report.round_trips} round trips in {report.seconds:.1f} s")


def print_table(report, console, by: str | None = None) -> None:
    from rich.table import Table

    table = Table("KPI", "Value", "Target", "Records", title=headline(report), title_justify="left")
    for k in report.kpis:
        style = "red" if any(t["status"] == "missed" for t in k.targets) else ("dim" if k.value is None else "")
        table.add_row(k.name, k.shown(), targets_cell(k), str(k.covered), style=style)
    console.print(table)
    if by:
        detail = Table("KPI", DIMENSION_LABELS[by], "Value", "Records", title=f"per {by}", title_justify="left")
        for k in report.kpis:
            for row in k.breakdown.get(by, []):
                detail.add_row(k.name, str(row["key"]), k.shown(row["value"]), str(row["covered"]))
        console.print(detail)
    for k in report.kpis:
        if k.code == "backorder_aging" and k.detail.get("age_buckets") and k.covered:
            buckets = ", ".join(f"{label}: {n}" for label, n in k.detail["age_buckets"].items())
            console.print(f"Open backorders by age: {buckets}")


def _sheet_title(name: str, used: set[str]) -> str:
    title = "".join(c for c in name if c not in "[]:*?/\\")[:31]
    base, n = title, 2
    while title in used:
        title = f"{base[:28]} {n}"
        n += 1
    used.add(title)
    return title


def write_xlsx(report, path: Path) -> Path:
    """One summary sheet, then one sheet per KPI; written to a temporary file and renamed."""
    import os
    import tempfile

    from openpyxl import Workbook

    from odookit.migration.escape import row

    book = Workbook(write_only=True)
    used: set[str] = set()
    summary = book.create_sheet(_sheet_title("Summary", used))
    summary.append(row(summary, [headline(report)]))
    summary.append(row(summary, ["KPI", "Code", "Value", "Unit", "Status", "Records", "Targets", "Note"]))
    for k in report.kpis:
        summary.append(row(summary, [k.name, k.code, k.value, k.unit, k.status, k.covered, targets_cell(k), k.note]))
    for k in report.kpis:
        sheet = book.create_sheet(_sheet_title(k.name, used))
        for label, value in (("KPI", k.name), ("Value", k.value), ("Unit", k.unit), ("Status", k.status), ("Note", k.note),
                             ("Records", k.covered), ("Targets", targets_cell(k)), ("Formula", k.formula), ("Sources", k.sources)):
            sheet.append(row(sheet, [label, value]))
        for label, count in k.detail.get("age_buckets", {}).items():
            sheet.append(row(sheet, [f"Open backorders {label}", count]))
        for dim, rows in k.breakdown.items():
            sheet.append([])
            sheet.append(row(sheet, [DIMENSION_LABELS.get(dim, dim), "Value", "Records"]))
            for r in rows:
                sheet.append(row(sheet, [r["key"], r["value"], r["covered"]]))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".kpi-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        book.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
