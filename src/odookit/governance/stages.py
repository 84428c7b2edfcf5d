"""Governance's stage of ``odookit build``: the offline SoD check."""

from __future__ import annotations

from odookit.build import StageResult


def check_stage(ws) -> StageResult:
    from odookit.governance.check import CHECK_STATE, run_check

    result = run_check(ws)
    status = "findings" if result.errors else "ok"
    return StageResult(
        "governance check",
        status,
        result.summary(),
        outputs=[str(ws.state / CHECK_STATE)],
        details=[c.line() for c in result.conflicts if c.severity != "accepted"],
    )
