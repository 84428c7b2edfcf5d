"""Every command's success path: exit code 0 and what it prints, on the in-memory stand-in where it needs a server.

The failure paths are tested beside each command; these make sure a change
that breaks the ordinary run of a command (its exit code, its output, the
files it says it wrote) fails a unit test too.
"""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from odookit.cli import cli
from odookit.odoo.memory import MemoryGateway


def invoke(ws: Path, *args):
    return CliRunner().invoke(cli, ["-w", str(ws), *args], env={"COLUMNS": "200"})


@pytest.fixture
def odoo(monkeypatch) -> MemoryGateway:
    """The target 'dev' answered by the stand-in: generic records only (users, groups, modules)."""
    gw = MemoryGateway()
    monkeypatch.setenv("ODOOKIT_PASSWORD_DEV", "secret")
    monkeypatch.setattr(importlib.import_module("odookit.odoo.connect"), "connect", lambda target, **kw: gw)
    return gw


def test_targets_check_reports_the_server_and_its_apps(example_ws, odoo):
    odoo.seed("ir.module.module", {"name": "stock", "state": "installed", "application": True})
    odoo.seed("ir.module.module", {"name": "sale_management", "state": "installed", "application": True})
    odoo.seed("ir.module.module", {"name": "crm", "state": "uninstalled", "application": True})
    result = invoke(example_ws, "targets", "check", "dev")
    assert result.exit_code == 0, result.output
    assert result.output == ("dev: logged in to memory://odoo db=memory as admin (uid 2)\n"
                             "Odoo 18.0 community\nInstalled apps: sale_management, stock\n")
    data = json.loads(invoke(example_ws, "targets", "check", "dev", "--json").output)
    assert (data["version"], data["apps"], data["uid"]) == ("18.0", ["sale_management", "stock"], 2)


def _users(odoo: MemoryGateway) -> None:
    user = odoo.seed("res.groups", {"name": "Internal User", "implied_ids": []}, "base.group_user")
    system = odoo.seed("res.groups", {"name": "Settings", "implied_ids": [user]}, "base.group_system")
    odoo.seed("res.users", {"login": "it.admin", "name": "IT", "active": True, "share": False, "groups_id": [user, system],
                            "login_date": "2026-11-24 10:00:00"})
    odoo.seed("res.users", {"login": "clerk", "name": "Clerk", "active": True, "share": False, "groups_id": [user],
                            "login_date": "2026-11-24 10:00:00"})


def test_governance_audit_writes_its_workbook_and_page(example_ws, odoo):
    _users(odoo)
    out = example_ws / "audit.xlsx"
    result = invoke(example_ws, "governance", "audit", "-t", "dev", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "it.admin: administrator, beyond-role, no-role",
        "clerk: no-role",
        "2 active user(s) on dev: 0 SoD error(s) on 0 user(s), 1 administrator(s), 1 with rights beyond their role, "
        "2 without a blueprint role, 0 unused active account(s)",
        f"workbook: {out}",
        f"page: {example_ws / 'docs' / 'pages' / 'governance-audit.md'}",
    ]
    logins = [row[0] for row in openpyxl.load_workbook(out).worksheets[0].iter_rows(min_row=2, values_only=True) if row[0]]
    assert {"it.admin", "clerk"} <= set(logins)
    data = json.loads(invoke(example_ws, "governance", "audit", "-t", "dev", "--json").output)
    assert sorted(u["login"] for u in data["users"]) == ["clerk", "it.admin"]


def test_governance_matrix_shows_each_role_and_the_raci(example_ws):
    result = invoke(example_ws, "governance", "matrix")
    assert result.exit_code == 0, result.output
    assert "Credit Controller (credit_controller): " in result.output
    assert "RACI" in result.output
    data = json.loads(invoke(example_ws, "governance", "matrix", "--json").output)
    roles = [r["code"] for r in data["roles"]]
    assert roles[:3] == ["sales_rep", "sales_manager", "credit_controller"]
    assert all(set(row) == set(roles) for row in data["raci"].values())


def test_build_strict_succeeds_on_a_clean_workspace(example_ws):
    """The example's workbook as the client sends it back fixed: every stage runs, nothing to report."""
    clean = example_ws / "migration" / "clean" / "northwind-master-data.xlsx"
    shutil.copy(clean, example_ws / "migration" / "northwind-master-data.xlsx")
    result = invoke(example_ws, "build", "--strict")
    assert result.exit_code == 0, result.output
    marks = [line.split("]")[0] + "]" for line in result.output.splitlines() if line.startswith("[")]
    assert marks and set(marks) == {"[ok]"}, result.output
    assert (example_ws / "docs" / "site" / "index.html").is_file()


def test_uat_run_of_a_scenario_of_generic_steps_passes_with_its_reports(example_ws, odoo, tmp_path):
    """Generic steps only (a customer is a partner record): business flows run against a real Odoo, never here."""
    feature = tmp_path / "features" / "partners.feature"
    feature.parent.mkdir()
    feature.write_text('Feature: Partners\n  Scenario: Two customers\n    Given a customer "A"\n    And a customer "B"\n',
                       encoding="utf-8")
    result = invoke(example_ws, "uat", "run", "-t", "dev", "--feature", str(feature), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert result.stderr == "passed  Partners: Two customers\n"  # progress, one line per scenario as it ends
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Run ") and lines[0].endswith(": 1 passed, 0 failed, 0 not run, 0 skipped"), result.output
    assert lines[1:] == [f"Sign-off report: {tmp_path / 'out' / 'signoff.html'}", f"Sign-off sheet:  {tmp_path / 'out' / 'signoff.xlsx'}",
                         f"Cucumber JSON:   {tmp_path / 'out' / 'cucumber.json'}", f"JUnit XML:       {tmp_path / 'out' / 'junit.xml'}"]
    assert sorted(p["name"].rsplit(" ", 1)[-1] for p in odoo.all("res.partner") if p.get("name", "").endswith((" A", " B"))) == ["A", "B"]
