"""The generated suite and the sample's own features against a real Odoo 18 after `blueprint apply`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from odookit.cli import cli

pytestmark = pytest.mark.odoo


def test_generated_and_sample_features_pass_on_the_applied_blueprint(odoo_target, tmp_path):
    from odookit.uat_scenarios.runner import run_uat
    from odookit.workspace import Workspace

    root, target = odoo_target
    applied = CliRunner().invoke(cli, ["-w", str(root), "blueprint", "apply", "-t", target])
    assert applied.exit_code == 0, applied.output
    generated = CliRunner().invoke(cli, ["-w", str(root), "uat", "generate"])
    assert generated.exit_code == 0 and "0 finding(s)" in generated.output, generated.output
    import re

    written = int(re.search(r"(\d+) scenario\(s\) in \d+ feature file\(s\)", generated.output).group(1))  # grows with the blueprint
    result, paths = run_uat(Workspace.find(root), target, out=tmp_path / "out")
    failed = [(s.title, s.reason) for s in result.scenarios if s.status != "passed"]
    assert failed == []
    from_generated = [s for s in result.scenarios if "/generated/" in s.path]
    assert written > 0 and len(from_generated) == written and len(result.scenarios) > written
    evidence = [r for s in result.scenarios for st in s.steps for r in st.records]
    assert any(r.model == "stock.picking" and r.state == "done" and r.url.startswith("http") for r in evidence)
    assert paths["xlsx"].stat().st_size > 0
