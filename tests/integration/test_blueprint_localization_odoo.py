"""A Dutch company's chart, default taxes and fiscal positions on a real Odoo (ODOO_URL, ODOO_L10N_DB...).

The test makes the database's main company Dutch, so it runs on a database of its own:
ODOO_L10N_DB, a fresh database (base only) of the server ODOO_URL names (on Odoo 19 also
ODOO_L10N_API_KEY, its API key), never the ODOO_DB the other integration tests share. With
ODOO_EXPORT_DB (another fresh database; on Odoo 19 also ODOO_EXPORT_API_KEY) the exported
module is installed there and planned against.
"""

from __future__ import annotations

import base64
import json
import os

import pytest
from click.testing import CliRunner

from odookit.cli import cli

pytestmark = pytest.mark.odoo

DUTCH = """\
companies:
  - code: VD
    name: Van Dijk Groothandel B.V.
    country: NL
    currency: EUR
    vat: NL123456782B01
    main: true
    localization: nl
    sale_tax: btw_21
    purchase_tax: btw_21_buy
    fiscal_positions:
      - code: EU_B2B
        name: EU B2B (odookit)
        vat_required: true
        country_group: base.europe
        taxes:
          - {source: btw_21, destination: btw_X0_producten}
          - {source: btw_21_buy, destination: btw_I_21}
warehouses:
  - {code: RTM, name: Magazijn Rotterdam, company: VD, reception_steps: 2, delivery_steps: pick_ship}
product_categories:
  - {code: GEN, name: Algemeen, costing_method: average, valuation: real_time}
"""


@pytest.fixture
def dutch(odoo_target):
    """The workspace with the Dutch blueprint, its target on ODOO_L10N_DB."""
    ws, target = odoo_target
    database, key = os.environ.get("ODOO_L10N_DB"), os.environ.get("ODOO_L10N_API_KEY")
    if not database:
        pytest.skip("set ODOO_L10N_DB to a fresh database (base only) of the same server: this test makes its main company Dutch")
    if os.environ.get("ODOO_API_KEY") and not key:
        pytest.skip("set ODOO_L10N_API_KEY, the API key of ODOO_L10N_DB (Odoo 19: each database has its own)")
    config = ws / "odookit.toml"
    config.write_text(config.read_text().replace(f'database = "{os.environ["ODOO_DB"]}"', f'database = "{database}"', 1))
    if key:
        os.environ["ODOOKIT_API_KEY_DEV"] = key  # the odoo_target fixture removes it afterwards
    for path in (ws / "blueprints").glob("*.yaml"):
        path.unlink()
    (ws / "blueprints" / "blueprint.yaml").write_text(DUTCH)
    return ws, target


def _run(ws, *args):
    return CliRunner().invoke(cli, ["-w", str(ws), *args], catch_exceptions=False)


def _gateway(ws, target, database=None, secret=None):
    from odookit.odoo.connect import connect
    from odookit.workspace import Workspace

    spec = Workspace.find(ws).target(target)
    if database:
        spec = spec.model_copy(update={"database": database})
    return connect(spec, secret=secret)


def _changes(ws, target):
    result = _run(ws, "blueprint", "plan", "-t", target, "--json")
    assert result.exit_code == 0, result.output
    return [(op["action"], op["xmlid"]) for op in json.loads(result.output)["operations"] if op["action"] != "noop"]


def test_dutch_company_gets_its_chart_taxes_and_fiscal_positions(dutch):
    ws, target = dutch
    applied = _run(ws, "blueprint", "apply", "-t", target)
    assert applied.exit_code == 0, applied.output
    from odookit.workspace import Workspace

    gw = _gateway(ws, target)
    module = Workspace.find(ws).module
    company = gw.resolve_xmlids([f"{module}.company_vd"])[f"{module}.company_vd"][1]
    row = gw.read("res.company", [company], ["chart_template", "account_fiscal_country_id", "account_sale_tax_id", "account_purchase_tax_id"])[0]
    taxes = gw.resolve_xmlids([f"account.{company}_{t}" for t in ("btw_21", "btw_21_buy", "btw_X0_producten", "btw_I_21")])
    tax = {x.split("_", 1)[1]: rid for x, (_, rid) in taxes.items()}
    assert row["chart_template"] == "nl"
    assert row["account_fiscal_country_id"][0] == gw.resolve_xmlids(["base.nl"])["base.nl"][1]
    assert (row["account_sale_tax_id"][0], row["account_purchase_tax_id"][0]) == (tax["btw_21"], tax["btw_21_buy"])
    fp = gw.resolve_xmlids([f"{module}.fiscal_position_eu_b2b"])[f"{module}.fiscal_position_eu_b2b"][1]
    if gw.info.major >= 19:
        assert sorted(gw.read("account.fiscal.position", [fp], ["tax_ids"])[0]["tax_ids"]) == sorted([tax["btw_X0_producten"], tax["btw_I_21"]])
    else:
        lines = gw.search_read("account.fiscal.position.tax", [("position_id", "=", fp)], ["tax_src_id", "tax_dest_id"])
        assert sorted((r["tax_src_id"][0], r["tax_dest_id"][0]) for r in lines) == sorted(
            [(tax["btw_21"], tax["btw_X0_producten"]), (tax["btw_21_buy"], tax["btw_I_21"])])
    category = gw.resolve_xmlids([f"{module}.product_category_gen"])[f"{module}.product_category_gen"][1]
    valuation = gw.read("product.category", [category], ["property_valuation", "property_stock_valuation_account_id"])[0]
    assert valuation["property_valuation"] == "real_time" and valuation["property_stock_valuation_account_id"]
    assert _changes(ws, target) == []


@pytest.mark.skipif(not os.environ.get("ODOO_EXPORT_DB"), reason="set ODOO_EXPORT_DB to a second fresh database to install the export there")
def test_exported_dutch_module_installs_on_a_fresh_database_and_plans_empty(dutch):
    from odookit.blueprints.export import module_zip
    from odookit.blueprints.workflow import desired_state
    from odookit.workspace import Workspace

    ws, target = dutch
    database = os.environ["ODOO_EXPORT_DB"]
    key = os.environ.get("ODOO_EXPORT_API_KEY")  # Odoo 19: each database has its own API key
    if os.environ.get("ODOO_API_KEY") and not key:
        pytest.skip("set ODOO_EXPORT_API_KEY, the export database's API key (Odoo 19)")
    gw = _gateway(ws, target, database, key)
    workspace = Workspace.find(ws)
    data = module_zip(desired_state(workspace, gw.info.major), f"{gw.info.major}.0")
    gw.install_modules(["base_import_module"])
    gw = _gateway(ws, target, database, key)
    wizard = gw.create("base.import.module", [{"module_file": base64.b64encode(data).decode(), "force": True}])[0]
    gw.execute("base.import.module", "import_module", ids=[wizard])
    assert gw.search_read("ir.module.module", [("name", "=", workspace.module)], ["state"])[0]["state"] == "installed"
    assert gw.read("res.company", [1], ["chart_template"])[0]["chart_template"] == "nl"
    config = ws / "odookit.toml"
    config.write_text(config.read_text().replace(f'database = "{os.environ["ODOO_L10N_DB"]}"', f'database = "{database}"', 1))
    if key:
        os.environ["ODOOKIT_API_KEY_DEV"] = key  # the odoo_target fixture removes it afterwards
    assert _changes(ws, target) == []
