"""The governance stage of `odookit run`: its findings as stable lines, and the comparison with the last audit.

The audit itself (users read from Odoo) is given; only how the stage reads it is tested here.
"""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest

from odookit.engagement.chain import RunOptions, run_engagement
from odookit.engagement.stages import audit_findings
from odookit.workspace import Workspace


def user(login, flags=(), conflicts=(), active=True):
    return NS(login=login, flags=list(flags), active=active,
              conflicts=[NS(rule=rule, severity=severity) for rule, severity in conflicts])


def audit(*users, summary="2 active user(s) on dev"):
    return NS(users=list(users), summary=lambda: summary)


def test_findings_are_one_sorted_line_each_and_archived_users_bring_no_conflict():
    result = audit(
        user("zoe", ["administrator", "sod-error"], [("SOD-PAY", "error")]),
        user("adam", ["no-role", "sod-warning"], [("SOD-BUY", "warning"), ("SOD-PO", "accepted")]),
        user("gone", ["unused"], [("SOD-PAY", "error")], active=False),
    )
    assert audit_findings(result) == [
        "adam: SOD-BUY (warning)", "adam: SOD-PO (accepted)", "adam: no-role", "gone: unused", "zoe: SOD-PAY (error)", "zoe: administrator"]


@pytest.fixture
def governance_run(example_ws, monkeypatch, tmp_path):
    import odookit.governance.report as report

    ws = Workspace.find(example_ws)
    monkeypatch.setenv("ODOOKIT_PASSWORD_DEV", "secret")

    def run(result):
        monkeypatch.setattr(report, "audit_target", lambda ws_, target, output=None: (result, tmp_path / "a.xlsx", tmp_path / "a.md"))
        report_ = run_engagement(ws, RunOptions("dev", stages=("governance",)))
        return report_.run, report_.stage("governance")

    return run


def test_the_audit_stage_reports_its_findings_and_compares_them_with_the_last_audit(governance_run, tmp_path):
    first_run, first = governance_run(audit(user("zoe", ["administrator"]), user("adam", ["no-role"])))
    assert (first.status, first.summary) == ("findings", "2 finding(s): 2 active user(s) on dev")
    assert first.facts == {"findings": ["adam: no-role", "zoe: administrator"], "summary": "2 active user(s) on dev"}
    assert first.outputs == [str(tmp_path / "a.xlsx"), str(tmp_path / "a.md")]

    second_run, second = governance_run(audit(user("zoe", ["administrator"]), user("eve", ["unused"])))
    assert second.facts["compared"] == f"since run {first_run}: 1 new, 1 resolved"
    assert (second.facts["new"], second.facts["resolved"]) == (["eve: unused"], ["adam: no-role"])

    _, third = governance_run(audit(user("eve", ["unused"]), user("zoe", ["administrator"])))
    assert third.facts["compared"] == f"same findings as run {second_run}"
    assert (third.facts["new"], third.facts["resolved"]) == ([], [])

    _, clean = governance_run(audit(user("zoe"), summary="1 active user(s) on dev"))
    assert (clean.status, clean.summary) == ("ok", "0 finding(s): 1 active user(s) on dev")


def test_the_migration_stage_loads_the_valid_rows_and_says_what_it_held_back(example_ws, monkeypatch, book):
    import importlib
    import shutil

    from migration.test_catch_mapping import blueprint_odoo

    gw = blueprint_odoo()
    monkeypatch.setenv("ODOOKIT_PASSWORD_DEV", "secret")
    monkeypatch.setattr(importlib.import_module("odookit.odoo.connect"), "connect", lambda target, **kw: gw)
    shutil.rmtree(example_ws / "migration")
    (example_ws / "migration").mkdir()
    book(example_ws / "migration" / "data.xlsx", {
        "customers": [["code", "name", "country", "segment", "email", "payment_term"], ["000001", "Acme", "US", "KEY", None, None],
                      ["000002", "Bolt", "US", "KEY", "not-an-email", None], ["000003", "Cog", "US", "KEY", None, "NET30"]],
        "contacts": [["code", "customer", "name", "country"], ["K1", "000002", "Bob", "US"]],
    })
    stage = run_engagement(Workspace.find(example_ws), RunOptions("dev", stages=("migration",))).stage("migration")
    assert (stage.status, stage.summary) == (
        "findings", "1 created, 0 updated, 0 unchanged, 1 rejected by Odoo; 2 row(s) held back: 1 with errors, 1 referring to those")
    facts = {k: stage.facts[k] for k in ("created", "updated", "unchanged", "rejected", "held_back", "errors")}
    assert facts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1, "held_back": 2, "errors": 1}
    assert [(e["entity"], e["rows"], e["created"], e["rejected"], e["held_back"]) for e in stage.facts["entities"]] == [
        ("customers", 2, 1, 1, 0), ("contacts", 1, 0, 0, 1)]
    assert [d.split(":")[0] for d in stage.details] == ["rejected", "held back"]
    assert stage.details[0].startswith("rejected: customers row 4: ")
    assert stage.details[1].startswith("held back: contacts row 2: not loaded: it refers to nis_config.customer_000002")
    assert any(p.endswith("rejects-dev.xlsx") for p in stage.outputs)
    assert sorted(p["ref"] for p in gw.all("res.partner") if p.get("ref")) == ["000001"]


def test_the_blueprint_stage_counts_what_apply_changed_and_then_that_nothing_is_left(example_ws, monkeypatch):
    import json
    from collections import Counter

    from conftest import odoo_like, without_odoo_made_records
    from odookit.blueprints.compile import compile_blueprint
    from odookit.blueprints.loader import load_blueprint

    ws = Workspace.find(example_ws)
    monkeypatch.setenv("ODOOKIT_PASSWORD_DEV", "secret")
    monkeypatch.setattr("odookit.blueprints.workflow.compile_blueprint", lambda *a: without_odoo_made_records(compile_blueprint(*a)))
    gw = odoo_like(compile_blueprint(load_blueprint(ws.blueprints)[0], ws.module, 18))
    monkeypatch.setattr("odookit.blueprints.workflow.open_target", lambda ws_, name: gw)
    first = run_engagement(ws, RunOptions("dev", stages=("blueprint",))).stage("blueprint")
    log = [json.loads(line) for line in (ws.state / "changelog.jsonl").read_text().splitlines()]
    done = Counter(entry["op"] for entry in log)
    assert first.status == "ok"
    assert first.summary == f"{len(log)} change(s) applied: " + ", ".join(f"{n} {a}" for a, n in sorted(done.items()))
    assert (first.facts["changes"], first.facts["by_action"]) == (len(log), dict(done))
    assert [c.split(" (")[0] for c in first.facts["changed"]] == [
        f"{e['op']} {e['xmlid'] or 'apps ' + ', '.join(e['modules'])}" for e in log]
    assert first.outputs == [str(ws.state / "changelog.jsonl")]
    updates = {c for c in first.facts["changed"] if c.startswith("update ")}
    assert updates == {f"update {e['xmlid']} ({', '.join(e['after'])})" for e in log if e["op"] == "update"}, "an update names its fields"
    second = run_engagement(ws, RunOptions("dev", stages=("blueprint",))).stage("blueprint")
    assert (second.status, second.summary, second.facts["changes"], second.outputs) == (
        "ok", "0 changes: the target already matches the blueprint", 0, [])
    assert second.facts["already_right"] > 0 and second.facts["by_action"] == {}
