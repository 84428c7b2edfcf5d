"""Audit a target and publish the result: workbook, JSON state and the docs page."""

from __future__ import annotations

from pathlib import Path


def audit_target(ws, target_name: str, output: Path | None = None):
    from odookit.docs.pages import write_audit_page
    from odookit.governance.audit import run_audit, write_workbook
    from odookit.odoo.connect import connect

    gateway = connect(ws.target(target_name))
    result = run_audit(ws, gateway, target_name)
    book = write_workbook(result, output or ws.state / "reports" / f"governance-audit-{target_name}.xlsx")
    page = write_audit_page(ws, result.as_dict())
    return result, book, page
