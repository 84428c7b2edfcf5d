"""Every shipped feature (and the sample's own) against a real Odoo 18 after `blueprint apply`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from odookit.cli import cli

pytestmark = pytest.mark.odoo


def test_shipped_features_pass_on_the_applied_blueprint(odoo_target, tmp_path):
    from odookit.uat_scenarios.runner import run_uat
    from odookit.workspace import Workspace

    root, target = odoo_target
    applied = CliRunner().invoke(cli, ["-w", str(root), "blueprint", "apply", "-t", target])
    assert applied.exit_code == 0, applied.output
    result, paths = run_uat(Workspace.find(root), target, out=tmp_path / "out")
    failed = [(s.title, s.reason) for s in result.scenarios if s.status != "passed"]
    assert failed == []
    assert len(result.scenarios) >= 16
    evidence = [r for s in result.scenarios for st in s.steps for r in st.records]
    assert any(r.model == "stock.picking" and r.state == "done" and r.url.startswith("http") for r in evidence)
    assert paths["xlsx"].stat().st_size > 0
