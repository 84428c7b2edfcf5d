"""`odookit uat run`: plan, pre-check, run the scenarios in one pytest session, write the reports."""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path

from odookit.errors import OdooError, ProductionGuard
from odookit.uat_scenarios.context import RunState, new_run_prefix
from odookit.uat_scenarios.evidence import RunResult, ScenarioResult, SignOff, StepResult
from odookit.uat_scenarios.features import PlannedScenario, feature_files, plan
from odookit.uat_scenarios.library import STEP_MODULES, library

LOGIN_STEP = re.compile(r'I (?:am logged in|log in) as (?:the |an? )?"([^"]+)"')

INI = """[pytest]
addopts = -p no:cacheprovider
filterwarnings = ignore::pytest.PytestUnknownMarkWarning
"""


def scenario_result(item: PlannedScenario) -> ScenarioResult:
    result = ScenarioResult(
        feature=item.feature, path=item.path, name=item.name, line=item.line, tags=item.tags, example=item.example,
        steps=[StepResult(keyword=s.keyword, text=s.text, line=s.line, error=s.problem) for s in item.steps],
    )
    if not item.selected:
        result.status, result.reason = "skipped", "not selected by --tags"
    elif item.problems:
        result.status = "failed"
        result.reason = " | ".join(item.problems)
        for step in result.steps:
            if step.error:
                step.status = "failed"
    return result


def signoff_rows(planned: list[PlannedScenario], blueprint) -> list[SignOff]:
    """Per process (feature): the roles its scenarios act as sign it off, then the process owner."""
    rows: list[SignOff] = []
    by_feature: dict[str, list[str]] = {}
    for item in planned:
        roles = by_feature.setdefault(item.feature, [])
        for step in item.steps:
            m = LOGIN_STEP.fullmatch(step.text)
            if m:
                role = blueprint.role_by_name(m.group(1))
                name = role.name if role else m.group(1)
                if name not in roles:
                    roles.append(name)
    for feature, roles in by_feature.items():
        for role in [*roles, "Process owner"]:
            rows.append(SignOff(process=feature, role=role))
    return rows


def check_production(target, allow_production: bool) -> None:
    if target.production and not allow_production:
        raise ProductionGuard(
            f"target '{target.name}' is marked production: UAT creates users, partners, orders and stock moves there",
            where=target.url,
            fix="Run UAT on a copy, or pass --allow-production if this is really intended.",
        )


def run_uat(
    ws,
    target_name: str,
    *,
    tags: str | None = None,
    features: list[Path] | None = None,
    allow_production: bool = False,
    out: Path | None = None,
    connect=None,
    on_done=None,
) -> tuple[RunResult, dict[str, Path]]:
    from odookit.blueprints.loader import load_workspace_blueprint

    target = ws.target(target_name)
    check_production(target, allow_production)
    blueprint = load_workspace_blueprint(ws)
    files = feature_files(None, features) if features else feature_files(ws)
    planned = plan(files, tags)
    prefix = new_run_prefix()
    run = RunState(ws, target, blueprint, prefix=prefix, connect=connect)
    result = RunResult(
        run=prefix, target=target_name, url=target.url, database=target.database,
        started=datetime.now().isoformat(timespec="seconds"), signoff=signoff_rows(planned, blueprint),
    )
    results = {item.key: scenario_result(item) for item in planned}
    result.scenarios = list(results.values())
    out = Path(out) if out else ws.state / "uat_reports" / prefix
    out.mkdir(parents=True, exist_ok=True)

    runnable = [r for r in results.values() if r.status == "not run"]
    if runnable:
        try:
            gw = run.admin
            result.odoo_version = f"{gw.info.version} {gw.info.edition}"
            run.heartbeat.beat()  # before it makes any user: a run finishing meanwhile leaves this one's alone
        except OdooError as exc:
            result.aborted = exc.line()
            for r in runnable:
                r.reason = f"not run: {exc.line()}"
            runnable = []
    if runnable:
        try:
            _pytest_session(run, results, planned, out, on_done)
        finally:
            try:
                run.archive_users()
            except OdooError as exc:  # the target went down: the report says so already
                run.down_reason = run.down_reason or exc.line()
    for r in results.values():
        if r.status == "not run" and not r.reason:
            r.reason = "not run: the scenario was not reached"
    if run.down_reason:
        result.aborted = run.down_reason
    result.finished = datetime.now().isoformat(timespec="seconds")
    from odookit.uat_scenarios.reports import write_reports

    return result, write_reports(result, out)


def _pytest_session(run, results, planned, out: Path, on_done) -> None:
    """One in-process pytest session over a generated test module naming the feature files."""
    import pytest

    from odookit.uat_scenarios.plugin import UatPlugin

    library()
    paths = sorted({str(Path(item.path).resolve()) for item in planned if results[item.key].status == "not run"})
    with tempfile.TemporaryDirectory(prefix="odookit-uat-") as tmp:
        tmpdir = Path(tmp)
        (tmpdir / "pytest.ini").write_text(INI)
        module = tmpdir / f"test_uat_{run.prefix.replace('-', '_').lower()}.py"
        module.write_text(
            "from pytest_bdd import scenarios\n\nscenarios(" + ", ".join(repr(p) for p in paths) + ")\n"
        )
        plugins = [UatPlugin(run, results, on_done), *(importlib.import_module(m) for m in STEP_MODULES)]
        log = out / "pytest-output.txt"
        # Only pytest-bdd: other installed plugins (hypothesis, randomly...) have no business in a UAT run.
        saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        try:
            with open(log, "w", encoding="utf-8") as fh, contextlib.redirect_stdout(fh), contextlib.redirect_stderr(fh):
                pytest.main(
                    ["-q", "-c", str(tmpdir / "pytest.ini"), "--rootdir", str(tmpdir), "-p", "pytest_bdd.plugin", str(module)],
                    plugins=plugins,
                )
        finally:
            if saved is None:
                os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
            else:
                os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved
