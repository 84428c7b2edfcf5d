"""``odookit build``: every stage that needs no server, in data-flow order.

A stage that finds problems in the client's inputs reports ``findings``; only
a stage that could not run at all is ``failed``. Later stages still run when
an earlier one has findings, so one build shows everything there is to fix.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Literal

from odookit.errors import Problems, UserError

Status = Literal["ok", "findings", "failed", "skipped"]


@dataclass
class StageResult:
    stage: str
    status: Status
    summary: str
    outputs: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "stage": self.stage,
            "status": self.status,
            "summary": self.summary,
            "outputs": self.outputs,
            "details": self.details,
        }


# (stage name, module, function). Each function takes the workspace and
# returns a StageResult; user errors it raises become a failed stage.
STAGES: list[tuple[str, str, str]] = [
    ("blueprint validate", "odookit.blueprints.stages", "validate_stage"),
    ("blueprint compile", "odookit.blueprints.stages", "compile_stage"),
    ("blueprint export", "odookit.blueprints.stages", "export_stage"),
    ("governance check", "odookit.governance.stages", "check_stage"),
    ("migration validate", "odookit.migration.stages", "validate_stage"),
    ("uat scenarios", "odookit.uat_scenarios.stages", "parse_stage"),
    ("docs build", "odookit.docs.stages", "build_stage"),
]


def run_build(ws) -> list[StageResult]:
    results: list[StageResult] = []
    for name, module, func in STAGES:
        try:
            stage = getattr(importlib.import_module(module), func)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            results.append(StageResult(name, "skipped", "not available in this version"))
            continue
        try:
            results.append(stage(ws))
        except Problems as exc:
            results.append(StageResult(name, "failed", exc.message, details=exc.lines()))
        except UserError as exc:
            results.append(StageResult(name, "failed", exc.line()))
    return results
