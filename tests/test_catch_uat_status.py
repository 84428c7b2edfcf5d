"""How a UAT run's scenarios become its verdict and the engagement run's stage status.

A scenario that did not run (the server went down, a step was never
reached) is never a pass: the run is not "ok" until every scenario that
was selected passed. Business flows themselves run only against a real Odoo;
here the run's result is given, and only its reading is tested.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from odookit.engagement.chain import RunOptions, run_engagement
from odookit.uat_scenarios.evidence import RunResult, ScenarioResult
from odookit.workspace import Workspace


def result(*statuses: str, aborted: str = "") -> RunResult:
    return RunResult(run="UAT-7", target="dev", aborted=aborted, scenarios=[
        ScenarioResult(feature="Credit", path="credit.feature", name=f"S{i}", line=i, status=s,
                       reason="not run: the scenario was not reached" if s == "not run" else "")
        for i, s in enumerate(statuses, start=1)])


@pytest.mark.parametrize(("statuses", "ok"), [
    (("passed", "passed"), True),
    (("passed", "skipped"), True),  # skipped: not selected by --tags
    (("passed", "not run"), False),
    (("not run",), False),
    (("passed", "failed"), False),
    (("skipped",), False),  # nothing ran: nothing was accepted
    ((), False),
])
def test_a_run_is_ok_only_when_every_selected_scenario_passed(statuses, ok):
    run = result(*statuses)
    assert run.ok is ok
    assert run.counts() == {s: statuses.count(s) for s in ("passed", "failed", "not run", "skipped")}


@pytest.fixture
def uat_run(example_ws, monkeypatch):
    """The engagement run's UAT stage, given what `uat run` returned."""
    import odookit.uat_scenarios.generate as generate
    import odookit.uat_scenarios.runner as runner

    ws = Workspace.find(example_ws)
    monkeypatch.setenv("ODOOKIT_PASSWORD_DEV", "secret")
    def run(given: RunResult, stale=()):
        checked = []

        def check(ws_, check=False):
            checked.append((ws_.root, check))
            return type("Suite", (), {"out_of_date": [type("Change", (), {"file": f, "status": st})() for f, st in stale]})()

        monkeypatch.setattr(generate, "generate", check)
        monkeypatch.setattr(runner, "run_uat", lambda ws_, target, allow_production=False: (
            given, {"html": ws.root / "signoff.html"}) if (ws_.root, target, allow_production) == (ws.root, "dev", False) else None)
        report = run_engagement(ws, RunOptions("dev", stages=("uat",)))
        assert checked == [(ws.root, True)], "the suite is only checked against the blueprint, never rewritten by a run"
        return report.stage("uat")

    return run


@pytest.mark.parametrize(("statuses", "aborted", "status", "summary"), [
    (("passed", "passed"), "", "ok", "2 passed, 0 failed, 0 not run, 0 skipped (run UAT-7)"),
    (("passed", "not run"), "", "findings", "1 passed, 0 failed, 1 not run, 0 skipped (run UAT-7)"),
    (("passed", "failed", "skipped"), "", "findings", "1 passed, 1 failed, 0 not run, 1 skipped (run UAT-7)"),
    (("passed", "not run"), "http://odoo: cannot reach the server", "failed",
     "http://odoo: cannot reach the server; 1 passed, 0 failed, 1 not run, 0 skipped (run UAT-7)"),
])
def test_the_uat_result_becomes_the_stage_status(uat_run, statuses, aborted, status, summary):
    stage = uat_run(result(*statuses, aborted=aborted))
    assert (stage.status, stage.summary) == (status, summary)
    assert stage.facts["counts"] == {s: statuses.count(s) for s in ("passed", "failed", "not run", "skipped")}
    assert [s["status"] for s in stage.facts["scenarios"]] == list(statuses)


def test_a_passing_run_of_a_suite_the_blueprint_has_moved_past_is_a_finding(uat_run):
    stage = uat_run(result("passed"), stale=[("credit.feature", "updated"), ("returns.feature", "created"),
                                              ("old.feature", "removed-from-blueprint")])
    assert (stage.status, stage.summary) == (
        "findings", "1 passed, 0 failed, 0 not run, 0 skipped (run UAT-7); the generated suite is out of date with the blueprint")
    assert stage.details == [
        "uat_scenarios/generated/credit.feature would change from the blueprint: run `odookit uat generate`",
        "uat_scenarios/generated/returns.feature would be created from the blueprint: run `odookit uat generate`",
        "uat_scenarios/generated/old.feature is no longer generated from the blueprint: run `odookit uat generate`",
    ]
    assert stage.outputs == [str(Path(stage.outputs[0]).parent / "signoff.html")]
    failed = uat_run(result("failed"), stale=[("credit.feature", "updated")])
    assert (failed.status, failed.summary) == ("findings", "0 passed, 1 failed, 0 not run, 0 skipped (run UAT-7)")
