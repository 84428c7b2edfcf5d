"""The migration stage of ``odookit build``: client-data problems are findings, not a crash."""

from __future__ import annotations

from odookit.build import StageResult


def validate_stage(ws) -> StageResult:
    from odookit.migration.report import write_reports
    from odookit.migration.rules import validate_workspace
    from odookit.migration.workbook import workbook_files

    name = "migration validate"
    if not ws.migration.is_dir() or not workbook_files(ws.migration):
        return StageResult(name, "skipped", "no workbook in migration/")
    validation = validate_workspace(ws)
    outputs = [str(p) for p in write_reports(validation, ws.migration / "reports")]
    rows = sum(len(s.rows) for s in validation.sheets)
    summary = f"{rows} rows in {len(validation.sheets)} sheets: {len(validation.errors)} errors, {len(validation.warnings)} warnings"
    status = "findings" if validation.findings else "ok"
    return StageResult(name, status, summary, outputs=outputs, details=[f.line() for f in validation.findings[:50]])
