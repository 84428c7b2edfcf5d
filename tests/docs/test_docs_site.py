"""The strict site build of the sample engagement and the pages fed by other capabilities."""

from __future__ import annotations

import json

from click.testing import CliRunner

from odookit.cli import cli


def test_sample_engagement_site_builds_strictly(example_ws):
    result = CliRunner().invoke(cli, ["-w", str(example_ws), "docs", "build", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["sops"] == 13
    site = example_ws / "docs" / "site"
    for page in ("index.html", "role-matrix.html", "sod.html", "kpis.html", "glossary.html", "thresholds.html",
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
    (example_ws / "migration" / "reports").mkdir(parents=True, exist_ok=True)
    (example_ws / "migration" / "reports" / "summary.json").write_text(json.dumps(
        {"workbooks": 2, "errors": 12, "entities": [{"entity": "customers", "rows": 40, "errors": 9}]}))
    result = CliRunner().invoke(cli, ["-w", str(example_ws), "docs", "build"])
    assert result.exit_code == 0, result.output
    pages = example_ws / "docs" / "pages"
    change = (pages / "changelog.md").read_text()
    assert "nis_config.warehouse_chi" in change and "Chicago \\| DC" in change
    migration = (pages / "migration.md").read_text()
    assert "| errors | 12 |" in migration and "| customers | 40 | 9 |" in migration


def test_build_stage_reports_ok(example_ws):
    from odookit.docs.stages import build_stage
    from odookit.governance.stages import check_stage
    from odookit.workspace import Workspace

    ws = Workspace.find(example_ws)
    assert check_stage(ws).status == "ok"
    stage = build_stage(ws)
    assert stage.status == "ok" and stage.outputs[0].endswith("site/index.html")
