"""The strict site build of the sample engagement and the pages fed by other capabilities."""

from __future__ import annotations

import json

from click.testing import CliRunner

from odookit.cli import cli


def test_sample_engagement_site_builds_strictly(example_ws):
    result = CliRunner().invoke(cli, ["-w", str(example_ws), "docs", "build", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["sops"] == 16  # the 15 shipped for every blueprint, and the crm section's
    site = example_ws / "docs" / "site"
    for page in ("sop-lead-conversion.html", "sop-taxes.html", "sop-exceptions.html", "index.html", "role-matrix.html", "sod.html", "kpis.html", "glossary.html", "thresholds.html",
                 "sop-pick-pack-ship.html", "sop-pick-ship.html", "sop-ship-only.html", "uat.html", "migration.html"):
        assert (site / page).is_file(), page
    config = (example_ws / "docs" / "mkdocs.yml").read_text()
    assert "font: false" in config and "navigation.tabs" in config
    chi = (example_ws / "docs" / "pages" / "sop-pick-pack-ship.md").read_text()
    assert 'CHI_Stock["CHI/Stock"] -->|"Pick"| CHI_Packing_Zone["CHI/Packing Zone"]' in chi
    assert "open the operation *Chicago Distribution Center: Pick*" in chi  # as Odoo 18 names the operation type
    assert "## Milwaukee" not in chi
    mke = (example_ws / "docs" / "pages" / "sop-pick-ship.md").read_text()
    assert 'MKE_Stock["MKE/Stock"] -->|"Pick"| MKE_Output["MKE/Output"]' in mke
    thresholds = (example_ws / "docs" / "pages" / "thresholds.md").read_text()
    assert "| Sales discount | above 15% per line | Sales Manager |" in thresholds
    assert "above 7,500 CAD" in thresholds
    html = (site / "sop-ship-only.html").read_text()
    assert "fonts.googleapis" not in html and "unpkg.com" not in html
    assert "Not run yet" in (example_ws / "docs" / "pages" / "uat.md").read_text()


def test_tolerant_readers_show_other_capabilities_outputs(example_ws):
    state = example_ws / ".odookit"
    state.mkdir(exist_ok=True)
    (state / "changelog.jsonl").write_text(
        json.dumps({"at": "2024-05-01T10:00:00", "user": "admin", "target": "dev", "model": "stock.warehouse",
                    "xmlid": "nis_config.warehouse_chi", "op": "update", "before": {"name": "Chicago"},
                    "after": {"name": "Chicago | DC"}}) + "\nnot json\n")
    # The other capabilities' own writers, so the pages follow their real formats.
    from odookit.migration.report import write_json
    from odookit.migration.rules import Finding, Validation
    from odookit.uat_scenarios.evidence import RunResult, ScenarioResult, SignOff, StepResult

    write_json(Validation(sheets=[], frames=[], findings=[
        Finding("error", "format", "customers", "book.xlsx", "customers", 5, "email", "H5", "'ap4' is not an e-mail address"),
        Finding("warning", "missing", "customers", "book.xlsx", "customers", 3, "vat", "C3", "vat is empty"),
    ]), example_ws / "migration" / "reports" / "validation.json")
    RunResult(run="UAT-1", target="dev", database="db1", scenarios=[
        ScenarioResult(feature="Returns", path="r.feature", name="Damaged part", line=3, status="failed",
                       steps=[StepResult(keyword="Then", text="stock is 5", status="failed", error="stock is 4")]),
        ScenarioResult(feature="Backorders", path="b.feature", name="Short pick", line=3, status="skipped"),
    ], signoff=[SignOff(process="Returns", role="Warehouse Operator"), SignOff(process="Backorders", role="Sales Manager")],
    ).save(state / "uat_reports" / "UAT-1" / "run.json")
    result = CliRunner().invoke(cli, ["-w", str(example_ws), "docs", "build"])
    assert result.exit_code == 0, result.output
    pages = example_ws / "docs" / "pages"
    change = (pages / "changelog.md").read_text()
    assert "nis_config.warehouse_chi" in change and "Chicago \\| DC" in change
    migration = (pages / "migration.md").read_text()
    assert "**1 error(s), 1 warning(s)**" in migration
    assert "| customers | 0 | 1 | 1 | 1 |" in migration
    assert migration.index("| error | customers | H5 | email |") < migration.index("| warning | customers | C3 |")
    uat = (pages / "uat.md").read_text()
    assert "Run **UAT-1** on target dev" in uat and "0 passed, 1 failed, 0 not run, 1 skipped" in uat
    assert "| Returns | failed | Warehouse Operator |  |  | to sign |" in uat
    assert "| Backorders | not run | Sales Manager |" in uat
    assert "| Returns | Damaged part | failed | Then stock is 5: stock is 4 |" in uat
    assert "Short pick" not in uat

def test_build_stage_reports_ok(example_ws):
    from odookit.docs.stages import build_stage
    from odookit.governance.stages import check_stage
    from odookit.workspace import Workspace

    ws = Workspace.find(example_ws)
    assert check_stage(ws).status == "ok"
    stage = build_stage(ws)
    assert stage.status == "ok" and stage.outputs[0].endswith("site/index.html")
