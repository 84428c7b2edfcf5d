"""``odookit run`` twice on a real Odoo with the sample engagement: the second run changes nothing.

Point ODOO_DB at a fresh database (only `base` installed is the real test: the
first run installs the apps). Takes two to four minutes.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from odookit.cli import cli
from odookit.odoo.connect import connect
from odookit.workspace import Workspace

pytestmark = pytest.mark.odoo


def _run(root, target) -> dict:
    result = CliRunner().invoke(cli, ["-w", str(root), "run", "-t", target, "--json"])
    assert result.exit_code == 0, result.output[-3000:]
    return json.loads(result.output[result.output.index("{\n"):])


def _stage(report: dict, name: str) -> dict:
    return next(s for s in report["stages"] if s["stage"] == name)


def test_run_twice_on_the_sample_engagement_changes_nothing_the_second_time(odoo_target):
    root, target = odoo_target
    ws = Workspace.find(root)
    gw = connect(ws.target(target))

    assert CliRunner().invoke(cli, ["-w", str(root), "uat", "generate"]).exit_code == 0  # the suite the consultant commits
    first = _run(root, target)
    assert [s["status"] for s in first["stages"]] == ["ok", "findings", "ok", "findings", "ok"], \
        [(s["stage"], s["summary"]) for s in first["stages"]]
    uat = _stage(first, "uat")["facts"]
    assert uat["counts"]["passed"] == len(uat["scenarios"]) > 20 and uat["counts"]["failed"] == 0
    migration = _stage(first, "migration")["facts"]
    assert migration["held_back"] > 0, "the sample workbook's defective rows are held back, never forced in"
    assert (ws.root / "docs" / "site" / "run.html").is_file()
    records_before = gw.xmlids_of_module(ws.module)
    active_users = gw.search("res.users", [("share", "=", False)])

    second = _run(root, target)
    apply_ = _stage(second, "blueprint")
    assert apply_["facts"]["changes"] == 0, apply_["facts"]["changed"]
    assert _stage(second, "migration")["facts"]["created"] == 0
    assert gw.xmlids_of_module(ws.module) == records_before, "no record of the engagement's was added"
    audit = _stage(second, "governance")["facts"]
    assert audit["findings"] == _stage(first, "governance")["facts"]["findings"]
    assert audit["compared"] == f"same findings as run {first['run']}"
    second_uat = _stage(second, "uat")["facts"]
    assert second_uat["counts"]["failed"] == 0 and second_uat["run"] != uat["run"]
    assert gw.search("res.users", [("share", "=", False)]) == active_users, "UAT's run users are archived when it ends"
    page = (ws.root / "docs" / "site" / "run.html").read_text()
    assert second["run"] in page and first["run"] in page  # this run, compared with the first
