"""How each stage of `odookit run` passes the run's options to its library call and reads its answer.

The library calls (apply, validation, load, the UAT run, the audit) are given here: they have tests of
their own. What is tested is the stage's part: the options it hands on (a reviewed plan, --yes, --source,
--allow-production), the summary and facts the run report and the site's "Engagement run" page show,
and when a stage has nothing to do. Milliseconds each, no workspace on disk.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as NS

import pytest

from odookit.engagement import stages
from odookit.engagement.chain import RunOptions

WS = NS(state=Path("/ws/.odookit"), migration=Path("/ws/migration"), target=lambda name: f"target {name}")


def context(options: RunOptions, earlier=None, odoo_version=None):
    return NS(ws=WS, options=options, report=NS(odoo_version=odoo_version), earlier=lambda stage: earlier)


def op(action, xmlid=None, modules=(), changes=()):
    return NS(action=action, xmlid=xmlid, modules=list(modules), changes=list(changes))


@pytest.fixture
def applied(monkeypatch):
    calls = []

    def run(done, options=RunOptions("dev", plan=Path("/ws/plan.json"), yes=True)):
        import odookit.blueprints.workflow as workflow

        plan = NS(odoo_version="18.0", counts=lambda: {"noop": 7})

        def apply_blueprint(ws, target, **kw):
            calls.append((ws, target, kw))
            return plan, done

        monkeypatch.setattr(workflow, "apply_blueprint", apply_blueprint)
        ctx = context(options)
        return stages.apply_stage(ctx), ctx, calls

    return run


def test_the_blueprint_stage_applies_the_reviewed_plan_and_names_each_change(applied):
    done = [op("install", modules=["sale", "stock"]), op("create", "acme.team_north"),
            op("update", "acme.wh_main", changes=["name", "code"])]
    outcome, ctx, calls = applied(done)
    assert calls == [(WS, "dev", {"plan_path": Path("/ws/plan.json"), "yes": True})]
    assert ctx.report.odoo_version == "18.0"
    assert (outcome.status, outcome.summary) == ("ok", "3 change(s) applied: 1 create, 1 install, 1 update")
    assert outcome.facts == {"changes": 3, "by_action": {"install": 1, "create": 1, "update": 1},
                             "changed": ["install apps sale, stock", "create acme.team_north", "update acme.wh_main (name, code)"],
                             "already_right": 7}
    assert outcome.outputs == ["/ws/.odookit/changelog.jsonl"]


def test_the_blueprint_stage_lists_at_most_500_changes_but_counts_them_all(applied):
    outcome, _, _ = applied([op("create", f"acme.rec_{i}") for i in range(502)])
    assert outcome.facts["changes"] == 502
    assert len(outcome.facts["changed"]) == 500
    assert outcome.facts["changed"][-1] == "create acme.rec_499"


def test_the_blueprint_stage_without_changes_points_at_no_change_log(applied):
    outcome, _, calls = applied([], RunOptions("dev"))
    assert calls == [(WS, "dev", {"plan_path": None, "yes": False})]
    assert (outcome.summary, outcome.outputs, outcome.facts["by_action"]) == (
        "0 changes: the target already matches the blueprint", [], {})


def entity(name, **counts):
    base = dict(rows=0, created=0, updated=0, unchanged=0, moved=0, rejected=0, held_back=0)
    return NS(entity=name, **{**base, **counts})


def row(sheet, number, message):
    return NS(where=("data.xlsx", sheet, number), message=message)


@pytest.fixture
def loaded(monkeypatch):
    import odookit.migration.load as load
    import odookit.migration.report as report
    import odookit.migration.rules as rules

    calls = []

    def run(validation, load_report, options=RunOptions("prod", source=Path("/ws/legacy"), yes=True)):
        monkeypatch.setattr(load, "guard_production", lambda target, yes: calls.append(("guard", target, yes)))
        monkeypatch.setattr(rules, "validate_workspace", lambda ws, **kw: calls.append(("validate", ws, kw)) or validation)
        monkeypatch.setattr(report, "write_reports", lambda v, folder: calls.append(("reports", v, folder)) or [folder / "data.annotated.xlsx"])
        monkeypatch.setattr(load, "load_workspace", lambda ws, target, **kw: calls.append(("load", ws, target, kw)) or load_report)
        return stages.load_stage(context(options)), calls

    return run


def validation(bad_rows=0, errors=0, warnings=0):
    return NS(summary=lambda: [{"bad_rows": bad_rows}], errors=[object()] * errors, warnings=[object()] * warnings)


def test_the_migration_stage_hands_on_the_options_and_reports_each_entity(loaded):
    checked = validation(bad_rows=2, errors=3, warnings=4)
    load_report = NS(entities=[entity("customers", rows=9, created=5, updated=1, unchanged=1, rejected=1, held_back=1),
                               entity("opening_stock", rows=4, unchanged=1, moved=2)],
                     rejects=[row("customers", 4, "bad VAT")], held=[row("contacts", 2, "refers to a held row")],
                     moved=[object(), object()], rejects_path="/ws/migration/reports/rejects-prod.xlsx")
    outcome, calls = loaded(checked, load_report)
    assert calls == [("guard", "target prod", True), ("validate", WS, {"source": Path("/ws/legacy")}),
                     ("reports", checked, Path("/ws/migration/reports")),
                     ("load", WS, "prod", {"yes": True, "validation": checked, "skip_invalid": True})]
    assert outcome.status == "findings"
    assert outcome.summary == ("5 created, 1 updated, 2 unchanged, 1 rejected by Odoo; "
                               "2 opening stock quantity(ies) moved since cut-over, not reset; "
                               "3 row(s) held back: 2 with errors, 1 referring to those")
    assert outcome.facts == {
        "entities": [{"entity": "customers", "rows": 9, "created": 5, "updated": 1, "unchanged": 1, "moved": 0, "rejected": 1, "held_back": 1},
                     {"entity": "opening_stock", "rows": 4, "created": 0, "updated": 0, "unchanged": 1, "moved": 2, "rejected": 0, "held_back": 0}],
        "created": 5, "updated": 1, "unchanged": 2, "rejected": 1, "held_back": 3, "errors": 3, "warnings": 4}
    assert outcome.outputs == ["/ws/migration/reports/data.annotated.xlsx", "/ws/migration/reports/rejects-prod.xlsx"]
    assert outcome.details == ["rejected: customers row 4: bad VAT", "held back: contacts row 2: refers to a held row"]


def test_a_migration_with_rejects_only_has_findings_and_a_clean_one_is_ok(loaded):
    rejected = NS(entities=[], rejects=[row("products", 3, "no such unit")], held=[], moved=[], rejects_path="/r.xlsx")
    outcome, calls = loaded(validation(), rejected, RunOptions("dev"))
    assert calls[0] == ("guard", "target dev", False) and calls[1] == ("validate", WS, {"source": None})
    assert (outcome.status, outcome.summary) == ("findings", "0 created, 0 updated, 0 unchanged, 1 rejected by Odoo")

    clean = NS(entities=[], rejects=[], held=[], moved=[], rejects_path=None)
    outcome, _ = loaded(validation(), clean, RunOptions("dev"))
    assert (outcome.status, outcome.outputs, outcome.details) == ("ok", ["/ws/migration/reports/data.annotated.xlsx"], [])


def test_the_migration_stage_shows_the_first_20_rejects_and_held_rows(loaded):
    many = NS(entities=[], rejects=[row("customers", n, "x") for n in range(2, 25)],
              held=[row("contacts", n, "y") for n in range(2, 25)], moved=[], rejects_path=None)
    outcome, _ = loaded(validation(), many)
    assert [d.split(":")[0] for d in outcome.details] == ["rejected"] * 20 + ["held back"] * 20
    assert outcome.details[19] == "rejected: customers row 21: x"
    assert outcome.details[-1] == "held back: contacts row 21: y"


def uat_result(odoo_version="19.0"):
    return NS(odoo_version=odoo_version, run="UAT-1", aborted=None, ok=True,
              counts=lambda: {"passed": 1, "failed": 0, "not run": 0, "skipped": 0},
              scenarios=[NS(feature="returns.feature", title="A late return is refused", status="passed", reason="")])


@pytest.fixture
def uat(monkeypatch):
    import odookit.uat_scenarios.generate as generate
    import odookit.uat_scenarios.runner as runner

    calls = []

    def run(result, odoo_version=None, options=RunOptions("dev", allow_production=True)):
        monkeypatch.setattr(generate, "generate", lambda ws, check: NS(out_of_date=[]))
        monkeypatch.setattr(runner, "run_uat", lambda ws, target, **kw: calls.append((target, kw)) or (result, {"html": Path("/r.html")}))
        ctx = context(options, odoo_version=odoo_version)
        return stages.uat_stage(ctx), ctx, calls

    return run


def test_the_uat_stage_passes_allow_production_and_reports_each_scenario(uat):
    outcome, ctx, calls = uat(uat_result())
    assert calls == [("dev", {"allow_production": True})]
    assert ctx.report.odoo_version == "19.0", "a run without the blueprint stage takes the version the UAT run met"
    assert (outcome.status, outcome.summary) == ("ok", "1 passed, 0 failed, 0 not run, 0 skipped (run UAT-1)")
    assert outcome.facts == {"run": "UAT-1", "counts": {"passed": 1, "failed": 0, "not run": 0, "skipped": 0},
                             "scenarios": [{"feature": "returns.feature", "scenario": "A late return is refused",
                                            "status": "passed", "reason": ""}]}
    assert outcome.outputs == ["/r.html"]


def test_the_uat_stage_keeps_the_version_the_blueprint_stage_read(uat):
    _, ctx, _ = uat(uat_result("19.0"), odoo_version="18.0")
    assert ctx.report.odoo_version == "18.0"
    _, ctx, _ = uat(uat_result(None), odoo_version=None)
    assert ctx.report.odoo_version is None


def test_stages_with_nothing_to_do_say_why(monkeypatch):
    import odookit.blueprints.loader as loader
    import odookit.uat_scenarios.features as features

    ctx = context(RunOptions("dev"))
    monkeypatch.setattr(features, "feature_files", lambda ws: [])
    assert stages.uat_absent(ctx) == "no feature to run: run `odookit uat generate` to write the blueprint's acceptance suite"
    monkeypatch.setattr(features, "feature_files", lambda ws: [Path("a.feature")])
    assert stages.uat_absent(ctx) is None
    monkeypatch.setattr(loader, "load_workspace_blueprint", lambda ws: NS(roles=[]))
    assert stages.governance_absent(ctx) == "the blueprint defines no roles to audit users against"
    monkeypatch.setattr(loader, "load_workspace_blueprint", lambda ws: NS(roles=["buyer"]))
    assert stages.governance_absent(ctx) is None


def test_an_earlier_audit_record_without_findings_compares_as_none_before(monkeypatch):
    import odookit.governance.report as report

    result = NS(users=[NS(login="zoe", flags=["administrator"], active=True, conflicts=[])], summary=lambda: "1 active user(s)")
    monkeypatch.setattr(report, "audit_target", lambda ws, target: (result, Path("/a.xlsx"), Path("/a.md")))
    outcome = stages.audit_stage(context(RunOptions("dev"), earlier=("RUN-1", NS(facts={}))))
    assert outcome.facts["compared"] == "since run RUN-1: 1 new, 0 resolved"
    assert (outcome.facts["new"], outcome.facts["resolved"]) == (["zoe: administrator"], [])


def test_the_docs_stage_saves_the_run_before_building_so_the_site_shows_it(monkeypatch):
    import odookit.docs.site as site

    events = []
    built = site.SiteResult(config=Path("/ws/docs/mkdocs.yml"), site=Path("/ws/docs/site"), pages=["index.md", "sop/sales.md"], sops=1)
    monkeypatch.setattr(site, "build_site", lambda ws: events.append(("build", ws)) or built)
    ctx = context(RunOptions("dev"))
    ctx.save = lambda: events.append(("save",))
    outcome = stages.docs_stage(ctx)
    assert events == [("save",), ("build", WS)]
    assert (outcome.status, outcome.summary) == ("ok", "2 pages (1 SOPs) built into /ws/docs/site; diagrams source")
    assert (outcome.facts, outcome.outputs) == ({"pages": 2, "sops": 1}, ["/ws/docs/site/index.html"])
