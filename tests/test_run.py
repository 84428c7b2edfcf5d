"""``odookit run``: stage order and selection, skipping, stop-on-failure and resume, the engagement report.

The chain runs on the in-memory generic ORM; UAT (business flows) is only ever
run against a real Odoo, in tests/integration/test_run_odoo.py.
"""

from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

from conftest import odoo_like, without_odoo_made_records
import odookit.odoo.connect  # noqa: F401  (patched below through sys.modules)
from odookit.cli import cli
from odookit.engagement.chain import STAGES, RunOptions, Stage, run_engagement, stage_error
from odookit.engagement.report import Outcome, RunReport, markdown, terminal_lines
from odookit.errors import OdooUnreachable
from odookit.workspace import Workspace


@pytest.fixture
def ws(example_ws, monkeypatch) -> Workspace:
    monkeypatch.setenv("ODOOKIT_PASSWORD_DEV", "secret")
    monkeypatch.setenv("ODOOKIT_PASSWORD_PROD", "secret")
    return Workspace.find(example_ws)


def recording(calls: list, fail_at: str | None = None, absent: dict | None = None) -> tuple[Stage, ...]:
    def make(name):
        def run(ctx):
            calls.append(name)
            if name == fail_at:
                raise OdooUnreachable("cannot reach the server (Connection refused)", where="http://odoo")
            return Outcome("ok", f"{name} done", facts={"n": len(calls)})

        return Stage(name, run, lambda ctx: (absent or {}).get(name))

    return tuple(make(n) for n in STAGES)


def statuses(report: RunReport) -> list[tuple[str, str, str]]:
    return [(s.stage, s.status, s.summary) for s in report.stages]


def test_selected_stages_run_in_chain_order_and_the_others_say_why_not(ws):
    calls: list = []
    report = run_engagement(ws, RunOptions("dev", stages=("docs", "blueprint")), stages=recording(calls))
    assert calls == ["blueprint", "docs"]
    assert statuses(report) == [
        ("blueprint", "ok", "blueprint done"),
        ("migration", "skipped", "not selected (--stage)"),
        ("uat", "skipped", "not selected (--stage)"),
        ("governance", "skipped", "not selected (--stage)"),
        ("docs", "ok", "docs done"),
    ]


def test_a_stage_whose_inputs_are_absent_is_skipped_with_the_reason(ws):
    from odookit.engagement.stages import migration_absent

    for book in (ws.migration).glob("*.xlsx"):
        book.unlink()
    calls: list = []
    stages = tuple(Stage(s.name, s.run, migration_absent) if s.name == "migration" else s for s in recording(calls))
    report = run_engagement(ws, RunOptions("dev"), stages=stages)
    assert calls == ["blueprint", "uat", "governance", "docs"]
    assert report.stage("migration").status == "skipped"
    assert report.stage("migration").summary == "no client workbook in migration/ (put the .xlsx files there, or pass --source)"
    assert report.status == "ok"


def test_the_run_stops_at_the_first_failing_stage_and_saves_what_it_did(ws):
    calls: list = []
    report = run_engagement(ws, RunOptions("dev"), stages=recording(calls, fail_at="uat"))
    assert calls == ["blueprint", "migration", "uat"]
    assert statuses(report)[2:] == [
        ("uat", "failed", "http://odoo: cannot reach the server (Connection refused)"),
        ("governance", "not run", "the run stopped at the uat stage"),
        ("docs", "not run", "the run stopped at the uat stage"),
    ]
    saved = json.loads((ws.state / "runs" / "latest.json").read_text())
    assert saved["status"] == "failed" and [s["status"] for s in saved["stages"]][:3] == ["ok", "ok", "failed"]
    assert (ws.state / "runs" / f"{report.run}.json").is_file()
    assert stage_error("dev", report).line() == (
        "the run stopped at the uat stage (uat run): http://odoo: cannot reach the server (Connection refused). "
        "Fix that and run `odookit run -t dev` again: what was done is kept, apply re-plans and the load resumes "
        "from its checkpoint.")


def test_an_interrupted_stage_is_recorded_before_the_interrupt_goes_on(ws):
    def interrupted(ctx):
        raise KeyboardInterrupt

    stages = tuple(Stage(s.name, interrupted) if s.name == "migration" else s for s in recording([]))
    with pytest.raises(KeyboardInterrupt):
        run_engagement(ws, RunOptions("dev"), stages=stages)
    saved = RunReport.latest(ws.state / "runs")
    assert [s.status for s in saved.stages] == ["ok", "interrupted"] and saved.finished


# -- the real stages on the in-memory ORM: a target that goes down between two stages ----------

def goes_down(gateway):
    """Make ``gateway`` a server that stops answering at its second load() call, until ``up()``."""
    real, state = gateway.execute, {"loads": 0, "down": False}

    def execute(model, method, ids=None, **kw):
        if method == "load":
            state["loads"] += 1
            state["down"] |= state["loads"] == 2
        if state["down"]:
            raise OdooUnreachable("cannot reach the server (Connection refused)", where="http://odoo")
        return real(model, method, ids, **kw)

    def up():
        state.update(down=False, loads=100)

    gateway.execute, gateway.up = execute, up
    return gateway


@pytest.fixture
def memory_chain(ws, monkeypatch, book):
    from odookit.blueprints.compile import compile_blueprint
    from odookit.blueprints.loader import load_blueprint

    state = compile_blueprint(load_blueprint(ws.blueprints)[0], ws.module, 18)
    monkeypatch.setattr("odookit.blueprints.workflow.compile_blueprint",
                        lambda *a: without_odoo_made_records(compile_blueprint(*a)))
    odoo = goes_down(odoo_like(state))
    odoo.seed("res.country", {"name": "United States"}, "base.us")
    monkeypatch.setattr(sys.modules["odookit.odoo.connect"], "connect", lambda target, **kw: odoo)
    for old in ws.migration.glob("*.xlsx"):
        old.unlink()
    book(ws.migration / "master.xlsx", {
        "customers": [["code", "name", "country", "segment"]] + [[f"{i:06d}", f"Customer {i}", "US", "KEY"] for i in range(1, 8)],
        "suppliers": [["code", "name", "country"]] + [[f"S{i:04d}", f"Supplier {i}", "US"] for i in range(1, 4)],
    })
    return odoo


def test_target_down_between_stages_stops_the_run_and_the_next_run_resumes(ws, memory_chain):
    odoo = memory_chain
    options = RunOptions("dev", stages=("blueprint", "migration", "governance"))
    first = run_engagement(ws, options)
    assert [(s.stage, s.status) for s in first.stages] == [
            ("blueprint", "ok"), ("migration", "failed"), ("uat", "skipped"), ("governance", "not run"), ("docs", "skipped")]
    assert first.stage("blueprint").facts["changes"] > 0
    assert "cannot reach the server" in first.stage("migration").summary
    partners = lambda: sorted(p["name"] for p in odoo.all("res.partner") if p.get("name", "").startswith(("Customer", "Supplier")))  # noqa: E731
    assert len(partners()) == 7, "the customers went in before the server went down"

    odoo.up()
    second = run_engagement(ws, options)
    assert [(s.stage, s.status) for s in second.stages if s.status != "skipped"] == [
        ("blueprint", "ok"), ("migration", "ok"), ("governance", "findings")]
    assert second.stage("blueprint").summary == "0 changes: the target already matches the blueprint"
    loaded = {e["entity"]: e for e in second.stage("migration").facts["entities"]}
    assert (loaded["customers"]["created"], loaded["suppliers"]["created"]) == (0, 3)
    assert len(partners()) == 10, "resumed: no duplicate, no gap"

    third = run_engagement(ws, options)
    assert third.stage("migration").facts["created"] == 0
    assert third.stage("governance").facts["compared"] == f"same findings as run {second.run}"


# -- the command ----------------------------------------------------------------------------

def invoke(ws, *args):
    return CliRunner().invoke(cli, ["-w", str(ws.root), *args])


def test_a_stage_name_that_does_not_exist_is_one_line_and_runs_nothing(ws):
    result = invoke(ws, "run", "-t", "dev", "--stage", "migrate")
    assert result.exit_code == 2, result.output
    assert result.output == ("Error: --stage: no stage named 'migrate' (did you mean 'migration'?). "
                             "Use one of blueprint, migration, uat, governance, docs.\n")
    assert not (ws.state / "runs").exists()


def test_a_workspace_without_blueprint_is_refused_before_anything_runs(ws):
    for path in ws.blueprints.glob("*.yaml"):
        path.unlink()
    result = invoke(ws, "run", "-t", "dev")
    assert result.exit_code == 2, result.output
    assert result.output == (f"Error: no blueprint files in {ws.blueprints}. "
                             "Add at least one .yaml file, or run `odookit init --example`.\n")
    assert not (ws.state / "runs").exists()


def test_production_needs_every_stage_guard_before_anything_runs(ws):
    result = invoke(ws, "run", "-t", "prod", "--yes")
    assert result.exit_code == 2, result.output
    assert "target 'prod' is marked production; nothing was run" in result.output
    assert "--plan PLAN.json --yes" in result.output and "--allow-production" in result.output
    assert "--yes (the cut-over load)" not in result.output, "--yes was given"
    assert not (ws.state / "runs").exists()


def test_cli_run_on_memory_prints_the_report_and_fails_with_the_stopping_stage(ws, memory_chain):
    result = invoke(ws, "run", "-t", "dev", "--stage", "blueprint", "--stage", "migration")
    assert result.exit_code == 1, result.output
    assert "  migration   FAILED" in result.output
    assert result.output.rstrip().endswith(
        "Error: the run stopped at the migration stage (migrate validate and load): http://odoo: cannot reach the "
        "server (Connection refused). Fix that and run `odookit run -t dev` again: what was done is kept, apply "
        "re-plans and the load resumes from its checkpoint.")
    memory_chain.up()
    again = invoke(ws, "run", "-t", "dev", "--stage", "blueprint", "--stage", "migration", "--json")
    assert again.exit_code == 0, again.output
    data = json.loads(again.output[again.output.index("{"):])
    assert data["status"] == "ok" and data["stages"][1]["facts"]["created"] == 3


# -- the report, from recorded results ---------------------------------------------------------

RECORDED = {
    "run": "20261125-120000", "target": "dev", "url": "http://odoo", "database": "acme", "started": "2026-11-25T12:00:00",
    "odoo_version": "18.0", "previous": "20261124-120000",
    "stages": [
        {"stage": "blueprint", "status": "ok", "summary": "2 change(s) applied: 1 create, 1 update", "seconds": 3.5,
         "facts": {"changed": ["create nis_config.warehouse_mke", "update nis_config.role_sales_rep (implied_ids)"]}},
        {"stage": "migration", "status": "findings", "summary": "5 created, 0 updated, 1 rejected by Odoo", "seconds": 2.0,
         "facts": {"entities": [{"entity": "customers", "rows": 6, "created": 5, "updated": 0, "rejected": 1},
                                {"entity": "contacts", "rows": 3, "created": 1, "updated": 0, "rejected": 0, "held_back": 2}],
                   "held_back": 2}, "details": ["rejected: customers row 7: vat: <invalid>"]},
        {"stage": "uat", "status": "findings", "summary": "1 passed, 1 failed", "seconds": 40.0,
         "facts": {"scenarios": [{"feature": "Credit", "scenario": "Hold", "status": "failed", "reason": "not held"},
                                 {"feature": "Credit", "scenario": "Ok", "status": "passed", "reason": ""}]}},
        {"stage": "governance", "status": "findings", "summary": "1 finding(s)", "seconds": 0.5,
         "facts": {"findings": ["bob: SOD-PO-AP (error)"], "compared": "since run 20261124-120000: 1 new, 0 resolved"}},
        {"stage": "docs", "status": "not run", "summary": "the run stopped at the uat stage"},
    ],
}


def test_terminal_summary_from_recorded_results():
    lines = terminal_lines(RunReport.from_dict(RECORDED))
    text = "\n".join(lines)
    assert lines[0] == "Run 20261125-120000 on target dev (http://odoo db=acme, Odoo 18.0)"
    assert "  blueprint   ok              3.5 s  2 change(s) applied: 1 create, 1 update" in lines
    assert "customers: 6 rows, 5 created, 0 updated, 1 rejected" in text
    assert "contacts: 3 rows, 1 created, 0 updated, 0 rejected, 2 held back" in text
    assert "2 row(s) held back: fix the rows with errors in the annotated workbooks" in text
    assert "failed: Credit: Hold (not held)" in text and "Credit: Ok" not in text
    assert "since run 20261124-120000: 1 new, 0 resolved" in text
    assert lines[-1] == "Total 46.0 s: findings"


def test_site_page_from_recorded_results():
    page = markdown(RunReport.from_dict(RECORDED))
    assert "| uat | findings | 40.0 s | 1 passed, 1 failed |" in page
    assert "| customers | 6 | 5 | 0 | 0 | 1 | 0 |" in page and "| contacts | 3 | 1 | 0 | 0 | 0 | 2 |" in page  # unchanged: 0
    assert "- create nis_config.warehouse_mke\n" in page
    assert "vat: &lt;invalid&gt;" in page, "values from the client's data are escaped"
    assert page.count("## Migration") == 1
    assert markdown(None).startswith("# Engagement run\n\nNo `odookit run` yet.")


def test_production_runs_once_every_selected_stage_has_its_guard(ws, tmp_path):
    calls: list = []
    plan = tmp_path / "plan.json"
    report = run_engagement(ws, RunOptions("prod", plan=plan, yes=True, allow_production=True), stages=recording(calls))
    assert calls == list(STAGES) and report.status == "ok"
    calls.clear()
    run_engagement(ws, RunOptions("prod", stages=("governance", "docs")), stages=recording(calls))
    assert calls == ["governance", "docs"], "stages that only read need no production flag"


def test_the_audit_compares_with_the_last_run_in_which_it_ran(ws, memory_chain):
    memory_chain.up()
    options = RunOptions("dev", stages=("blueprint", "governance"))
    first = run_engagement(ws, options)
    assert "compared" not in first.stage("governance").facts, "nothing to compare the first audit with"
    run_engagement(ws, RunOptions("dev", stages=("blueprint",)))
    third = run_engagement(ws, options)
    assert len({first.run, third.run}) == 2, "two runs in the same second keep two reports"
    assert third.stage("governance").facts["compared"] == f"same findings as run {first.run}"


def test_a_stage_whose_input_check_fails_is_a_failed_stage_not_a_crash(ws):
    from odookit.errors import BlueprintError

    def broken(ctx):
        raise BlueprintError("roles: not a list", where="blueprints/05-roles.yaml:1:1")

    stages = tuple(Stage(s.name, s.run, broken) if s.name == "governance" else s for s in recording([]))
    report = run_engagement(ws, RunOptions("dev", stages=("governance", "docs")), stages=stages)
    assert statuses(report)[3:] == [("governance", "failed", "blueprints/05-roles.yaml:1:1: roles: not a list"),
                                    ("docs", "not run", "the run stopped at the governance stage")]
