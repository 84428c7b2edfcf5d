"""The blueprint's stages of `odookit build` (no server needed)."""

from __future__ import annotations

import json

from odookit.build import StageResult


def validate_stage(ws) -> StageResult:
    from odookit.blueprints.loader import load_blueprint

    bp, _ = load_blueprint(ws.blueprints, root=ws.root)
    return StageResult(
        "blueprint validate",
        "ok",
        f"{len(bp.companies)} companies, {len(bp.warehouses)} warehouses, {len(bp.roles)} roles",
    )


def compile_stage(ws) -> StageResult:
    from odookit.blueprints.workflow import desired_state

    state = desired_state(ws)
    path = ws.state / "desired.json"
    tmp = path.with_suffix(".json.tmp")  # never a half-written file for whoever reads it
    tmp.write_text(
        json.dumps({"module": state.module, "modules": state.modules, "charts": state.charts, "records": [r.as_dict() for r in state.records]}, indent=2),
        encoding="utf-8",
    )
    tmp.replace(path)
    return StageResult("blueprint compile", "ok", f"{len(state.records)} desired records for Odoo 18", outputs=[str(path)])


def export_stage(ws) -> StageResult:
    from odookit.blueprints.export import export_module
    from odookit.blueprints.workflow import desired_state

    path = export_module(desired_state(ws), ws.state / "export")
    return StageResult("blueprint export", "ok", f"installable module {path.name}", outputs=[str(path)])
