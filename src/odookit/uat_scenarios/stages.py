"""`odookit build` stage: every feature parses and every step is in the library (no server)."""

from __future__ import annotations

from odookit.build import StageResult
from odookit.errors import Problems, UatError
from odookit.uat_scenarios.features import feature_files, plan


def parse_stage(ws) -> StageResult:
    files = feature_files(ws)
    if not files:
        return StageResult("uat scenarios", "skipped", "no feature file: run `odookit uat generate` to write the blueprint's acceptance suite")
    try:
        planned = plan(files)
    except Problems as exc:
        return StageResult("uat scenarios", "findings", exc.message, details=exc.lines())
    except UatError as exc:
        return StageResult("uat scenarios", "findings", "a feature file cannot be read", details=[exc.line()])
    problems = [p for item in planned for p in item.problems]
    problems = list(dict.fromkeys(problems))  # outline rows repeat the same step
    summary = f"{len(planned)} scenario(s) in {len(files)} feature file(s)"
    if problems:
        return StageResult("uat scenarios", "findings", f"{summary}; {len(problems)} undefined or ambiguous step(s)", details=problems)
    return StageResult("uat scenarios", "ok", f"{summary}; every step is defined")
