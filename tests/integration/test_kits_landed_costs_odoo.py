"""The wholesaler's kits, assembly and landed costs against a real Odoo (18 or 19): apply from an empty
database converges, the clean kit_components load as phantom bills once, and bad input is refused
before anything is applied. Runs on ODOO_WHOLESALER_DB (on Odoo 19 also ODOO_WHOLESALER_API_KEY), a
fresh database (base only) of the server ODOO_URL names, never the ODOO_DB the other integration tests
share: the wholesaler's blueprint renames the main company and brings its own approval rules, which
would refuse the sample's UAT orders. What a kit's delivery and a landed cost do is the generated UAT's
(kits.feature, landed_costs.feature)."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from odookit.cli import cli

from conftest import SKIP_REASON, odoo_settings

pytestmark = pytest.mark.odoo


def run(root, *args):
    return CliRunner().invoke(cli, ["-w", str(root), *args])


@pytest.fixture
def wholesaler(tmp_path):
    settings = odoo_settings()
    if settings is None:
        pytest.skip(SKIP_REASON)
    from odookit.init import init_workspace
    from odookit.odoo.connect import major_of, probe_version

    database, key = os.environ.get("ODOO_WHOLESALER_DB"), os.environ.get("ODOO_WHOLESALER_API_KEY")
    if not database:
        pytest.skip("set ODOO_WHOLESALER_DB to a fresh database (base only) of the same server: this test applies the wholesaler's blueprint")
    if settings["ODOO_API_KEY"] and not key:
        pytest.skip("set ODOO_WHOLESALER_API_KEY, the API key of ODOO_WHOLESALER_DB (Odoo 19: each database has its own)")
    major = major_of(probe_version(settings["ODOO_URL"]))
    root = init_workspace(tmp_path / "elbtal", example="building-supplies-wholesaler")
    config = (root / "odookit.toml").read_text()
    config = config.replace('url = "http://127.0.0.1:8069"', f'url = "{settings["ODOO_URL"]}"', 1)
    config = config.replace('database = "elbtal_dev"', f'database = "{database}"', 1)
    config = config.replace('login = "admin"', f'login = "{settings["ODOO_USER"]}"', 1)
    config = config.replace('version = "18.0"', f'version = "{major}.0"', 1)
    (root / "odookit.toml").write_text(config)
    secrets = {"ODOOKIT_PASSWORD_DEV": settings["ODOO_PASSWORD"], "ODOOKIT_API_KEY_DEV": key}
    for var, value in secrets.items():
        if value:
            os.environ[var] = value
    yield root
    for var in secrets:
        os.environ.pop(var, None)


def _gateway(root):
    from odookit.odoo.connect import connect
    from odookit.workspace import Workspace

    return connect(Workspace.find(root).target("dev"))


def test_bad_sections_are_refused_located_before_anything_is_applied(wholesaler):
    path = wholesaler / "blueprints" / "fertigung.yaml"
    good = path.read_text()
    path.write_text(good.replace("{warehouse: DD, steps: 2}", "{warehouse: DDD, steps: 2}").replace("post_role: lagerleitung", "post_role: lagerist"))
    result = run(wholesaler, "blueprint", "apply", "-t", "dev")
    assert result.exit_code == 2, result.output
    assert "blueprints/fertigung.yaml:8:8: unknown warehouse 'DDD' (did you mean 'DD'?)" in result.output
    assert "blueprints/fertigung.yaml:13:3: role 'lagerist' may not post landed costs" in result.output
    assert not (wholesaler / ".odookit" / "changelog.jsonl").exists()
    path.write_text(good)


def test_apply_converges_and_the_clean_kits_load_as_phantom_bills_once(wholesaler):
    applied = run(wholesaler, "blueprint", "apply", "-t", "dev")
    assert applied.exit_code == 0, applied.output
    plan = json.loads(run(wholesaler, "blueprint", "plan", "-t", "dev", "--json").output)
    assert [op["xmlid"] for op in plan["operations"] if op["action"] != "noop"] == []
    gw = _gateway(wholesaler)
    rows = {w["code"]: w for w in gw.search_read("stock.warehouse", [("code", "in", ["DD", "L1", "C1"])],
                                                  ["code", "manufacture_steps", "manufacture_to_resupply", "manu_type_id"])}
    assert (rows["DD"]["manufacture_steps"], rows["DD"]["manufacture_to_resupply"]) == ("pbm", True)
    assert [rows[c]["manufacture_to_resupply"] for c in ("L1", "C1")] == [False, False]
    types = {t["id"]: t["active"] for t in gw.search_read("stock.picking.type", [("code", "=", "mrp_operation")], ["active"],
                                                            context={"active_test": False})}
    assert types[rows["DD"]["manu_type_id"][0]] is True and types[rows["L1"]["manu_type_id"][0]] is False
    freight = gw.resolve_xmlids(["ebh_config.landed_cost_fracht"])["ebh_config.landed_cost_fracht"][1]
    assert gw.read("product.template", [freight], ["type", "landed_cost_ok", "split_method_landed_cost"])[0] == {
        "id": freight, "type": "service", "landed_cost_ok": True, "split_method_landed_cost": "by_weight"}

    entities = ["--entity", "categories", "--entity", "products", "--entity", "kit_components"]
    first = run(wholesaler, "migrate", "load", "-t", "dev", "--source", "migration/clean", *entities, "--json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    assert report["rejected"] == 0, report["rejects"]
    kits = next(e for e in report["entities"] if e["entity"] == "kit_components")
    assert (kits["rows"], kits["created"]) == (4, 4)
    bom = gw.resolve_xmlids(["ebh_config.kit_400902"])["ebh_config.kit_400902"][1]
    head = gw.read("mrp.bom", [bom], ["type", "product_tmpl_id", "product_qty", "bom_line_ids"])[0]
    assert (head["type"], head["product_qty"], len(head["bom_line_ids"])) == ("phantom", 1.0, 2)
    parts = {ln["product_id"][0]: ln["product_qty"] for ln in gw.read("mrp.bom.line", head["bom_line_ids"], ["product_id", "product_qty"])}
    ids = gw.resolve_xmlids(["ebh_config.product_400502", "ebh_config.product_400403"])
    assert parts == {ids["ebh_config.product_400502"][1]: 2.0, ids["ebh_config.product_400403"][1]: 4.0}
    again = json.loads(run(wholesaler, "migrate", "load", "-t", "dev", "--source", "migration/clean", *entities, "--json").output)
    assert [(e["created"], e["updated"], e["unchanged"]) for e in again["entities"] if e["entity"] == "kit_components"] == [(0, 0, 4)]
