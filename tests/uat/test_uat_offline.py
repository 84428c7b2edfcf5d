"""UAT without a server: vocabulary, feature pre-check, reports from a recorded run, runner guards, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from odookit.cli import cli
from odookit.errors import OdooUnreachable, ProductionGuard, UatError
from odookit.uat_scenarios.evidence import Record, RunResult, ScenarioResult, SignOff, StepResult
from odookit.uat_scenarios.features import feature_files, plan, plan_feature, tag_filter
from odookit.uat_scenarios.library import library, match, suggest
from odookit.uat_scenarios.reports import cucumber_json, junit_xml, write_reports



def write_feature(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(body)
    return path


# -- vocabulary ---------------------------------------------------------------
def test_every_example_matches_exactly_its_own_step():
    steps = library()
    assert len(steps) >= 40
    for s in steps:
        found = match(s.example, steps).found
        assert found == [s], f"{s.example!r} matches {[f.example for f in found]}"


def test_step_forms_show_no_regular_expression():
    for s in library():
        assert not any(mark in s.shape for mark in ("?", "\\", "(?", "[^", "+", "*", "…", "<role2>")), s.shape
    shapes = {s.example: s.shape for s in library()}
    assert shapes['I am logged in as the "Warehouse Clerk"'] == 'I am logged in as [the/a(n)] "<role>"  or  I log in as [the/a(n)] "<role>"'
    assert shapes["I confirm the order"] == "I [try to] confirm the order"
    assert shapes['I receive the return into location "Returns Quarantine"'] == 'I receive the return into (stock | location "<location>")'


def test_unknown_step_gets_the_closest_known_steps():
    hints = suggest('I ordered 5 units of "Bolt" for "Acme"')
    assert hints[0].startswith("I order 40 units of")


# -- features ----------------------------------------------------------------
def test_odookit_ships_no_feature_of_its_own(tmp_path):
    from odookit.init import init_workspace
    from odookit.workspace import Workspace

    package = Path(__import__("odookit").__file__).parent
    assert [p for p in package.rglob("*.feature") if "examples" not in p.relative_to(package).parts] == []
    ws = Workspace.find(init_workspace(tmp_path / "blank"))
    assert feature_files(ws) == [], "a new workspace runs nothing until its suite is generated or written"


def test_the_samples_own_features_are_in_its_workspace_all_defined(example_ws):
    from odookit.workspace import Workspace

    planned = plan(feature_files(Workspace.find(example_ws)))
    assert {Path(p.path).name for p in planned} == {
        "backorders.feature", "partial_shipments.feature", "returns.feature", "credit_exceptions.feature",
        "purchase_approvals.feature", "key_account_contract_pricing.feature", "lot_returns.feature", "resupply.feature",
    }
    assert len(planned) >= 19
    assert [p for s in planned for p in s.problems] == []
    assert any(s.example for s in planned), "outlines expand into one scenario per example row"


def test_malformed_feature_is_one_line_with_file_and_line(tmp_path):
    path = write_feature(tmp_path, "bad.feature", "Feature: x\n  Scenario: y\n    Given a customer \"A\"\n  Examples oops\n  Feature: again\n")
    with pytest.raises(UatError) as err:
        plan_feature(path)
    line = err.value.line()
    assert f"{path}:" in line and "\n" not in line


def test_undefined_and_wrong_keyword_steps(tmp_path):
    path = write_feature(tmp_path, "u.feature", (
        "Feature: F\n  Scenario: S\n    Given a customer \"A\"\n"
        "    When I ordered 5 units of \"B\" for \"A\"\n    Then I confirm the order\n"
    ))
    [item] = plan_feature(path)
    assert len(item.problems) == 1  # keyword does not matter: "Then I confirm the order" is defined
    assert f"{path}:4: undefined step \"I ordered 5 units of" in item.problems[0]
    assert "Closest known steps: \"I order" in item.problems[0]


def test_tag_expression_selects_scenarios():
    select = tag_filter("@credit and not slow")
    assert select(["credit", "sales"]) and not select(["credit", "slow"]) and not select(["warehouse"])
    with pytest.raises(UatError, match="invalid tag expression"):
        tag_filter("credit and and")


# -- reports from a recorded run ------------------------------------------------
def fake_run() -> RunResult:
    ok = ScenarioResult(
        feature="Returns", path="returns.feature", name="Return into stock", line=5, tags=["returns"], status="passed", seconds=1.5,
        steps=[StepResult(keyword="When", text='I return 4 units of "X" from the delivery with reason "=HYPERLINK(1)"', line=6,
                          status="passed", seconds=0.7, actor="Warehouse Operator",
                          records=[Record(model="stock.picking", id=7, name="MKE/IN/00001", state="done",
                                          quantities=["X: product_uom_qty=4, quantity=4"], url="http://o/web#id=7", note="reason: =HYPERLINK(1)")])],
    )
    undefined = ScenarioResult(
        feature="Returns", path="returns.feature", name="Typo", line=9, status="failed", reason="returns.feature:10: undefined step",
        steps=[StepResult(keyword="Given", text="I do magic", line=10, status="failed", error='undefined step "I do magic"')],
    )
    down = ScenarioResult(feature="Credit", path="credit.feature", name="Held", line=3, status="not run", reason="not run: target unreachable",
                          steps=[StepResult(keyword="Given", text='a customer "A"', line=4)])
    return RunResult(run="UAT-1", target="dev", scenarios=[ok, undefined, down],
                     signoff=[SignOff(process="Returns", role="Warehouse Operator"), SignOff(process="Returns", role="Process owner"),
                              SignOff(process="Credit", role="Process owner")])


def test_cucumber_json_never_reports_undefined_or_not_run_as_passed():
    data = json.loads(cucumber_json(fake_run()))
    statuses = {el["name"]: [s["result"]["status"] for s in el["steps"]] for f in data for el in f["elements"]}
    assert statuses == {"Return into stock": ["passed"], "Typo": ["undefined"], "Held": ["skipped"]}


def test_junit_counts_failures_and_not_run():
    xml = junit_xml(fake_run())
    assert 'tests="3" failures="1" skipped="1"' in xml
    assert '<skipped message="not run: target unreachable"/>' in xml


def test_reports_are_written_with_evidence_and_signoff(tmp_path):
    from openpyxl import load_workbook

    paths = write_reports(fake_run(), tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["cucumber.json", "junit.xml", "run.json", "signoff.html", "signoff.xlsx"]
    html = paths["html"].read_text()
    assert "@media print" in html and "Sign-off: Returns" in html and "MKE/IN/00001" in html and 'href="http://o/web#id=7"' in html
    assert "<td>Result</td><td>1 passed, 1 failed, 1 not run, 0 skipped</td>" in html, "a scenario not run is not counted as passed"
    assert '<td>Credit</td><td>Held</td><td class="not-run">not run</td>' in html
    assert "I return 4 units of &#34;X&#34; from the delivery with reason &#34;=HYPERLINK(1)&#34;" in html  # step text escaped
    wb = load_workbook(paths["xlsx"])
    assert wb.sheetnames == ["Scenarios", "Evidence", "Sign-off"]
    evidence = [[c.value for c in row] for row in wb["Evidence"].iter_rows(min_row=2)]
    assert evidence[0][7] == "MKE/IN/00001" and evidence[0][3] == "passed"
    signoff = [[c.value for c in row] for row in wb["Sign-off"].iter_rows(min_row=2)]
    assert signoff == [["Returns", "failed", "Warehouse Operator", None, None, None], ["Returns", "failed", "Process owner", None, None, None],
                       ["Credit", "failed", "Process owner", None, None, None]]
    assert RunResult.load(paths["run"]).counts() == {"passed": 1, "failed": 1, "not run": 1, "skipped": 0}


@pytest.mark.parametrize("value", ["=1+1", "+1", "-2", "@SUM(A1)"])
def test_formula_like_cells_are_text_with_their_value_intact(value, tmp_path):
    from openpyxl import load_workbook

    run = RunResult(run="UAT-1", target="dev", scenarios=[ScenarioResult(feature="F", path="f.feature", name=value, line=1, tags=["credit"], status="passed")])
    paths = write_reports(run, tmp_path)
    sheet = load_workbook(paths["xlsx"])["Scenarios"]
    name, tags = sheet.cell(2, 2), sheet.cell(2, 3)
    assert (name.value, name.data_type, name.quotePrefix) == (value, "s", True)
    assert (tags.value, tags.quotePrefix) == ("@credit", True)
    assert paths["html"].stat().st_mode & 0o044, "reports are readable by others like any saved file"


# -- runner guards and a target that goes down ------------------------------------
def test_production_target_is_refused(example_ws):
    from odookit.uat_scenarios.runner import run_uat
    from odookit.workspace import Workspace

    with pytest.raises(ProductionGuard, match="--allow-production"):
        run_uat(Workspace.find(example_ws), "prod")


def test_target_down_mid_run_reports_the_rest_as_not_run(example_ws, tmp_path, memory):
    from odookit.uat_scenarios.runner import run_uat
    from odookit.workspace import Workspace

    feature = write_feature(tmp_path / "f", "down.feature", (
        "Feature: Down\n"
        "  Scenario: First\n    Given a customer \"A\"\n"
        "  Scenario: Second\n    Given a customer \"B\"\n    And a customer \"C\"\n"
        "  Scenario: Third\n    Given a customer \"D\"\n"
    ))
    calls = {"n": 0}
    real_execute = memory.execute

    def flaky(model, method, ids=None, **kw):
        if method == "create" and model != "ir.config_parameter":  # the run's heartbeat is not a step's record
            calls["n"] += 1
            if calls["n"] >= 3:
                raise OdooUnreachable("cannot reach the server (Connection refused)", where="http://odoo")
        return real_execute(model, method, ids, **kw)

    memory.execute = flaky
    result, paths = run_uat(Workspace.find(example_ws), "dev", features=[feature], out=tmp_path / "out", connect=lambda *a, **k: memory)
    status = {s.name: (s.status, s.reason) for s in result.scenarios}
    assert status["First"][0] == "passed"
    assert status["Second"] == ("not run", 'not run: interrupted at step "a customer "C"" (line 6): http://odoo: cannot reach the server (Connection refused)')
    assert status["Third"] == ("not run", 'not run: target unreachable during "Second": http://odoo: cannot reach the server (Connection refused)')
    assert "target unreachable" in paths["html"].read_text()
    first = result.scenarios[0].steps[0]
    assert first.records and first.records[0].model == "res.partner" and first.records[0].name.endswith(" A")


def test_unreachable_target_runs_nothing(example_ws, tmp_path):
    from odookit.uat_scenarios.runner import run_uat
    from odookit.workspace import Workspace

    def refuse(*a, **k):
        raise OdooUnreachable("cannot reach the server", where="http://127.0.0.1:9")

    feature = write_feature(tmp_path / "f", "one.feature", "Feature: One\n  Scenario: S\n    Given a customer \"A\"\n")
    result, _ = run_uat(Workspace.find(example_ws), "dev", features=[feature], out=tmp_path / "out", connect=refuse)
    [s] = result.scenarios
    assert s.status == "not run" and "cannot reach the server" in s.reason and result.aborted


def test_unknown_role_or_product_is_a_clear_failure(example_ws, tmp_path, memory):
    from odookit.uat_scenarios.runner import run_uat
    from odookit.workspace import Workspace

    feature = write_feature(tmp_path / "f", "bad.feature", (
        "Feature: Bad\n  Scenario: Role\n    Given I am logged in as the \"Chief Fun Officer\"\n"
        "  Scenario: Product\n    Given 5 units of \"Ghost\" are on hand in warehouse \"CHI\"\n"
        "  Scenario: Warehouse\n    Given a storable product \"P\" in category \"NOPE\" priced at 1\n"
    ))
    result, _ = run_uat(Workspace.find(example_ws), "dev", features=[feature], out=tmp_path / "out", connect=lambda *a, **k: memory)
    reasons = {s.name: s.reason for s in result.scenarios}
    assert 'role "Chief Fun Officer" is not in the blueprint (roles: "Sales Representative"' in reasons["Role"]
    assert 'product "Ghost" was not set up in this scenario' in reasons["Product"]
    assert 'product category "NOPE" is not in the blueprint (categories: FAST, BRG, HYD, SAFE, TOOL)' in reasons["Warehouse"]


# -- build stage and CLI -------------------------------------------------------------
def test_parse_stage_reports_undefined_steps_as_findings(example_ws):
    from odookit.uat_scenarios.stages import parse_stage
    from odookit.workspace import Workspace

    ws = Workspace.find(example_ws)
    ok = parse_stage(ws)
    assert ok.status == "ok", ok.details
    write_feature(ws.uat_scenarios, "typo.feature", "Feature: T\n  Scenario: S\n    Given a custmer \"A\"\n")
    found = parse_stage(ws)
    assert found.status == "findings" and 'undefined step "a custmer "A""' in found.details[0]


def test_cli_steps_json_lists_every_step_with_an_example(example_ws):
    result = CliRunner().invoke(cli, ["-w", str(example_ws), "uat", "steps", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == len(library()) and all(r["example"] for r in rows)


def test_cli_run_refuses_production(example_ws):
    result = CliRunner().invoke(cli, ["-w", str(example_ws), "uat", "run", "-t", "prod"])
    assert result.exit_code == 2, result.output
    assert "target 'prod' is marked production" in result.output and "--allow-production" in result.output


def test_cli_check_names_the_undefined_step(example_ws):
    write_feature(example_ws / "uat_scenarios", "typo.feature", "Feature: T\n  Scenario: S\n    When I confrim the order\n")
    result = CliRunner().invoke(cli, ["-w", str(example_ws), "uat", "check"])
    assert result.exit_code == 2, result.output
    assert 'typo.feature:3: undefined step "I confrim the order". Closest known steps: "I confirm the order"' in result.output


def test_cli_malformed_feature_is_one_line(example_ws):
    write_feature(example_ws / "uat_scenarios", "bad.feature", "Scenario: no feature\n  Given x\n")
    result = CliRunner().invoke(cli, ["-w", str(example_ws), "uat", "check"])
    assert result.exit_code == 2
    assert "bad.feature:1: malformed feature" in result.output and "Traceback" not in result.output


def test_the_run_archives_the_users_it_created(example_ws, tmp_path, memory):
    from odookit.uat_scenarios.runner import run_uat
    from odookit.workspace import Workspace

    memory.seed("res.groups", {"name": "Sales Representative"}, "nis_config.role_sales_rep")
    memory.seed("res.company", {"name": "Northwind"}, "nis_config.company_nis")
    stale = memory.seed("res.users", {"login": "uat-20261101090000-ab12_sales_rep", "active": True})  # its run died
    person = memory.seed("res.users", {"login": "uat-lead", "active": True})
    feature = write_feature(tmp_path / "f", "who.feature", (
        "Feature: Who\n  Scenario: Rep\n    Given I am logged in as the \"Sales Representative\"\n    And a customer \"A\"\n"
    ))
    result, _ = run_uat(Workspace.find(example_ws), "dev", features=[feature], out=tmp_path / "out", connect=lambda *a, **k: memory)
    assert [s.status for s in result.scenarios] == ["passed"], result.scenarios[0].reason
    [user] = [u for u in memory.all("res.users") if u["login"].startswith(result.run.lower())]
    assert user["active"] is False, "a run's role user must not stay able to sign in"
    users = {u["id"]: u["active"] for u in memory.all("res.users")}
    assert (users[stale], users[person]) == (False, True), "an earlier run's user is archived too, a person never"


def test_a_reorder_rule_without_figures_takes_the_blueprints_rule_for_warehouse_and_category(example_ws):
    from types import SimpleNamespace

    from odookit.blueprints.loader import load_workspace_blueprint
    from odookit.uat_scenarios.context import ScenarioContext
    from odookit.uat_scenarios.steps.setup import blueprint_min_max
    from odookit.workspace import Workspace

    ws = Workspace.find(example_ws)
    run = SimpleNamespace(blueprint=load_workspace_blueprint(ws), module=ws.module, prefix="UAT-T")
    uat = ScenarioContext(run, 1)
    uat.product_category.update({"Bolt": "FAST", "Gloves": "SAFE"})
    assert blueprint_min_max(uat, "Bolt", "MKE") == (50, 200), "the blueprint's own rule for MKE and FAST"
    assert blueprint_min_max(uat, "Bolt", "Chicago Distribution Center") == (200, 1000)
    assert blueprint_min_max(uat, "Gloves", "MKE") == (10, 50), "no rule for SAFE: the blueprint's defaults"


def test_a_finishing_run_archives_its_own_and_dead_runs_users_never_a_run_in_progress():
    from datetime import datetime, timedelta, timezone

    from odookit.uat_scenarios.run_users import users_to_archive

    now = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    users = [{"id": 1, "login": "uat-20261201113000-aa11_sales_rep"},   # this run
             {"id": 2, "login": "uat-20261201112900-bb22_buyer"},       # started a minute earlier, still running
             {"id": 3, "login": "uat-20261201090000-cc33_buyer"},       # its machine died: last sign of life at 09:05
             {"id": 4, "login": "uat-20261130170000-dd44_buyer"},       # finished (mark removed) or older than the marks
             {"id": 5, "login": "uat-lead"}, {"id": 6, "login": "uat-20261201-x_buyer"}]  # people, whatever their login
    alive = {"uat-20261201113000-aa11": now, "uat-20261201112900-bb22": now - timedelta(minutes=2),
             "uat-20261201090000-cc33": datetime(2026, 12, 1, 9, 5, tzinfo=timezone.utc)}
    assert users_to_archive(users, "UAT-20261201113000-aa11", alive, now) == [1, 3, 4]
    # the run in progress stops saying it is alive: 30 minutes later its users go too
    assert users_to_archive(users, "UAT-20261201113000-aa11", alive, now + timedelta(minutes=33)) == [1, 2, 3, 4]


def test_two_runs_on_one_database_keep_each_others_users_until_each_finishes(example_ws, tmp_path, memory):
    from odookit.uat_scenarios.context import RunState
    from odookit.workspace import Workspace

    ws = Workspace.find(example_ws)
    memory.seed("res.groups", {"name": "Sales Representative"}, "nis_config.role_sales_rep")
    memory.seed("res.company", {"name": "Northwind"}, "nis_config.company_nis")
    from odookit.blueprints.loader import load_workspace_blueprint

    bp = load_workspace_blueprint(ws)
    role = bp.role_by_name("Sales Representative")
    first, second = (RunState(ws, ws.target("dev"), bp, prefix=p, connect=lambda *a, **k: memory)
                     for p in ("UAT-20261201110000-aa11", "UAT-20261201110100-bb22"))
    for run in (first, second):
        run.heartbeat.beat()
        run.user_for(role)
    active = lambda: sorted(u["login"] for u in memory.all("res.users") if u["active"])  # noqa: E731
    assert second.archive_users() == 1
    assert active() == ["uat-20261201110000-aa11_sales_rep"], "the first run is still in progress"
    assert first.archive_users() == 1 and active() == []
    assert [r["key"] for r in memory.all("ir.config_parameter") if r["key"].startswith("odookit.uat_run.")] == []
