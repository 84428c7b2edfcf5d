"""The kitting and landed cost SOPs: written only with their sections, in the blueprint's own names."""

from __future__ import annotations

import json

from click.testing import CliRunner

from odookit.cli import cli

SECTIONS = """
manufacturing:
  assembly:
    - {warehouse: ASM, steps: 3}
landed_costs:
  post_role: lagerchef
  products:
    - {code: SEEFRACHT, name: Seefracht, split_method: by_volume}
"""
EXTRA = """
warehouses:
  - {code: ASM, name: Montagehalle, company: ACME}
  - {code: OUT, name: Aussenlager, company: ACME}
product_categories:
  - {code: IMP, name: Importware, costing_method: fifo, valuation: real_time}
roles:
  - {code: lagerchef, name: Lagerchef, groups: [stock.group_stock_manager]}
  - {code: monteur, name: Monteur, groups: [mrp.group_mrp_user]}
"""
BASE = "companies:\n  - {code: ACME, name: Acme Bau GmbH, country: DE, currency: EUR, main: true}\n"
CONFIG = '[engagement]\nname = "Bau"\nmodule = "bau_config"\n\n[targets.dev]\nurl = "http://127.0.0.1:8069"\ndatabase = "bau"\nlogin = "admin"\n'


def site(tmp_path, blueprint: str):
    root = tmp_path / "ws"
    (root / "blueprints").mkdir(parents=True)
    (root / "odookit.toml").write_text(CONFIG)
    (root / "blueprints" / "bp.yaml").write_text(blueprint)
    result = CliRunner().invoke(cli, ["-w", str(root), "docs", "build", "--json"])
    assert result.exit_code == 0, result.output
    return root / "docs" / "pages", json.loads(result.output)


def test_kitting_and_landed_cost_sops_speak_the_blueprint(tmp_path):
    pages, data = site(tmp_path, BASE + EXTRA + SECTIONS)
    kitting = (pages / "sop-kitting.md").read_text()
    assert "| Montagehalle (ASM) | 3 steps: pick components, assemble, then store the product |" in kitting
    assert "Aussenlager: no assembly operation" in kitting
    assert "| Monteur | R |" in kitting and "| Lagerchef | A |" in kitting
    costs = (pages / "sop-landed-costs.md").read_text()
    assert "| Seefracht (SEEFRACHT) | by volume (product volume x quantity) |" in costs
    assert "Importware (fifo, real-time valuation)." in costs
    assert "Landed costs are posted by Lagerchef" in costs and "| Lagerchef | R |" in costs
    without, other = site(tmp_path / "plain", BASE + EXTRA)
    assert not (without / "sop-kitting.md").exists() and not (without / "sop-landed-costs.md").exists()
    assert data["sops"] == other["sops"] + 2


def test_the_role_matrix_places_roles_in_kitting_and_landed_costs_and_sod_flags_the_poster_who_books_bills(tmp_path):
    text = BASE + EXTRA.replace("[stock.group_stock_manager]", "[stock.group_stock_manager, account.group_account_invoice]") + SECTIONS
    pages, _ = site(tmp_path, text)
    matrix = (pages / "role-matrix.md").read_text()
    assert "| Kits and light assembly | Warehouse | A | R |" in matrix and "| Landed costs | Purchasing | R |  |" in matrix
    sod = (pages / "sod.md").read_text()
    assert ("| warning | lagerchef | SOD-LANDED-COST-AP | Post landed costs vs post the vendor bills they allocate | "
            "stock.group_stock_manager / account.group_account_invoice |") in sod
