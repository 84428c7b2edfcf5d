"""Blueprint plan/apply/export against a real Odoo 18 or 19 (ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD or ODOO_API_KEY)."""

from __future__ import annotations

import base64
import json
import secrets

import pytest
from click.testing import CliRunner

from odookit.cli import cli
from odookit.odoo.adapters import field_name, setting_key

pytestmark = pytest.mark.odoo


def run(ws, *args):
    result = CliRunner().invoke(cli, ["-w", str(ws), *args], catch_exceptions=False)
    return result


def plan_json(ws, target):
    result = run(ws, "blueprint", "plan", "-t", target, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_apply_then_plan_is_empty_and_second_apply_changes_nothing(odoo_target):
    ws, target = odoo_target
    first = run(ws, "blueprint", "apply", "-t", target)
    assert first.exit_code == 0, first.output
    plan = plan_json(ws, target)
    assert [op for op in plan["operations"] if op["action"] != "noop"] == []
    second = run(ws, "blueprint", "apply", "-t", target)
    assert second.exit_code == 0, second.output
    assert "Nothing to do" in second.output
    check = run(ws, "blueprint", "plan", "-t", target, "--check")
    assert check.exit_code == 0, check.output
    log = ws / ".odookit" / "changelog.jsonl"
    if "Nothing to do" in first.output:  # the database was configured by an earlier run
        assert not log.exists()
    else:
        entries = [json.loads(line) for line in log.read_text().splitlines()]
        assert len(entries) == int(first.output.split("Applied ")[1].split(" ")[0])
        assert all({"at", "user", "target", "model", "xmlid", "before", "after"} <= set(e) for e in entries)


def _gateway(ws, target, login=None, secret=None):
    from odookit.odoo.connect import connect
    from odookit.workspace import Workspace

    return connect(Workspace.find(ws).target(target), login=login, secret=secret, password=login is not None)


def test_drift_is_detected_and_saved_plan_refused(odoo_target, tmp_path):
    ws, target = odoo_target
    assert run(ws, "blueprint", "apply", "-t", target).exit_code == 0
    gw = _gateway(ws, target)
    wh = gw.resolve_xmlids(["nis_config.warehouse_mke"])["nis_config.warehouse_mke"][1]
    original = gw.read("stock.warehouse", [wh], ["name"])[0]["name"]
    plan_file = tmp_path / "plan.json"
    try:
        gw.write("stock.warehouse", [wh], {"name": "Renamed by hand"})
        check = run(ws, "blueprint", "plan", "-t", target, "--check", "--out", str(plan_file))
        assert check.exit_code == 1, check.output
        assert "Renamed by hand" in check.output and "drift: 1 change(s)" in check.output
        gw.write("stock.warehouse", [wh], {"name": "Renamed again"})
        refused = run(ws, "blueprint", "apply", "-t", target, "--plan", str(plan_file))
        assert refused.exit_code == 2, refused.output
        assert "the database or the blueprint changed since the plan was made" in refused.output
    finally:
        gw.write("stock.warehouse", [wh], {"name": original})


def test_exported_module_installs_and_plans_empty(odoo_target, tmp_path):
    from odookit.blueprints.export import module_zip
    from odookit.blueprints.workflow import desired_state
    from odookit.workspace import Workspace

    ws, target = odoo_target
    assert run(ws, "blueprint", "apply", "-t", target).exit_code == 0  # installs the apps the module depends on
    gw = _gateway(ws, target)
    data = module_zip(desired_state(Workspace.find(ws), gw.info.major), gw.info.version)
    wizard = gw.create("base.import.module", [{"module_file": base64.b64encode(data).decode(), "force": True}])[0]
    gw.execute("base.import.module", "import_module", ids=[wizard])
    state = gw.search_read("ir.module.module", [("name", "=", "nis_config")], ["state"])
    assert state and state[0]["state"] == "installed"
    plan = plan_json(ws, target)
    assert [op["xmlid"] for op in plan["operations"] if op["action"] != "noop"] == []


def _user_with_role(gw, role_xmlid, login):
    role = gw.resolve_xmlids([role_xmlid])[role_xmlid][1]
    password = secrets.token_urlsafe(12)
    groups = field_name(gw.info.major, "res.users", "groups_id")
    gw.create("res.users", [{"name": login, "login": login, "password": password, groups: [(6, 0, [role])]}])
    return password


def _order(gw, partner, product, price, discount=0.0):
    return gw.create(
        "sale.order",
        [{"partner_id": partner, "order_line": [(0, 0, {"product_id": product, "product_uom_qty": 1, "price_unit": price, "discount": discount})]}],
    )[0]


def test_automation_rules_block_confirmation(odoo_target):
    from odookit.errors import OdooRejected

    ws, target = odoo_target
    assert run(ws, "blueprint", "apply", "-t", target).exit_code == 0
    gw = _gateway(ws, target)
    tag = secrets.token_hex(3)
    partner = gw.create("res.partner", [{"name": f"Credit test {tag}", "is_company": True}])[0]
    product = gw.create("product.product", [{"name": f"Widget {tag}", "type": "service", "list_price": 10}])[0]

    over_limit = _order(gw, partner, product, 25000)  # default limit 10000
    with pytest.raises(OdooRejected, match="Credit hold"):
        gw.execute("sale.order", "action_confirm", ids=[over_limit])
    assert gw.read("sale.order", [over_limit], ["state"])[0]["state"] == "draft"

    discounted = _order(gw, partner, product, 100, discount=20)
    with pytest.raises(OdooRejected, match="Discount approval needed"):
        gw.execute("sale.order", "action_confirm", ids=[discounted])

    manager = f"mgr_{tag}"
    password = _user_with_role(gw, "nis_config.role_sales_manager", manager)
    as_manager = _gateway(ws, target, login=manager, secret=password)
    as_manager.execute("sale.order", "action_confirm", ids=[discounted])
    assert gw.read("sale.order", [discounted], ["state"])[0]["state"] == "sale"

    controller = f"cc_{tag}"
    password = _user_with_role(gw, "nis_config.role_credit_controller", controller)
    as_controller = _gateway(ws, target, login=controller, secret=password)
    as_controller.execute("sale.order", "action_confirm", ids=[over_limit])
    assert gw.read("sale.order", [over_limit], ["state"])[0]["state"] == "sale"


def test_configuration_reads_back_as_a_consultant_expects(odoo_target):
    """What Odoo does with the applied records, read back: not just that they exist."""
    ws, target = odoo_target
    assert run(ws, "blueprint", "apply", "-t", target).exit_code == 0
    gw = _gateway(ws, target)
    ids = {x: rid for x, (_, rid) in gw.resolve_xmlids([
        "nis_config.company_nis", "nis_config.company_cfl", "nis_config.warehouse_chi",
        "nis_config.warehouse_mke", "nis_config.warehouse_van", "nis_config.product_category_brg",
    ]).items()}
    nis, cfl = ids["nis_config.company_nis"], ids["nis_config.company_cfl"]
    both = {"allowed_company_ids": [nis, cfl]}

    # costing and valuation are company-dependent: the second company has them too
    for company in (nis, cfl):
        brg = gw.read("product.category", [ids["nis_config.product_category_brg"]], ["property_cost_method"],
                      context={"allowed_company_ids": [company]})[0]
        assert brg["property_cost_method"] == "fifo", company

    # the second company's warehouse is in that company
    van = gw.read("stock.warehouse", [ids["nis_config.warehouse_van"]], ["company_id"], context=both)[0]
    assert van["company_id"][0] == cfl

    # resupply from CHI is a real route with rules from CHI to MKE
    mke = gw.read("stock.warehouse", [ids["nis_config.warehouse_mke"]], ["resupply_route_ids"])[0]
    assert len(mke["resupply_route_ids"]) == 1
    route = gw.read("stock.route", mke["resupply_route_ids"], ["supplier_wh_id", "rule_ids", "active"])[0]
    assert route["supplier_wh_id"][0] == ids["nis_config.warehouse_chi"] and route["active"] and route["rule_ids"]

    # defaults land on records created afterwards, in either company
    tag = secrets.token_hex(3)
    product = gw.create("product.template", [{"name": f"Default policy {tag}"}])[0]
    assert gw.read("product.template", [product], ["invoice_policy"])[0]["invoice_policy"] == "delivery"
    for company in (nis, cfl):
        partner = gw.create("res.partner", [{"name": f"Limit {tag} {company}", "is_company": True}])[0]
        row = gw.read("res.partner", [partner], ["credit_limit"], context={"allowed_company_ids": [company]})[0]
        assert row["credit_limit"] == 10000.0, company


def test_saving_settings_afterwards_undoes_nothing(odoo_target):
    """Settings shows what odookit configured, so a consultant pressing Save there
    (in either company) leaves the plan empty: no feature group silently removed."""
    ws, target = odoo_target
    assert run(ws, "blueprint", "apply", "-t", target).exit_code == 0
    gw = _gateway(ws, target)
    companies = gw.resolve_xmlids(["nis_config.company_nis", "nis_config.company_cfl"])
    for _, company in companies.values():
        context = {"allowed_company_ids": [company]}
        settings = gw.create("res.config.settings", [{}], context=context)[0]
        expected = {
            "group_stock_production_lot": True, "group_stock_tracking_lot": True, "group_stock_adv_location": True,
            "use_po_lead": True, "use_security_lead": True, "po_order_approval": True, "account_default_credit_limit": 10000.0,
        }
        if not setting_key(gw.info.major, "purchase.use_po_lead"):
            del expected["use_po_lead"]  # Odoo 19 has no such switch
        shown = gw.read("res.config.settings", [settings], list(expected), context=context)[0]
        assert {k: v for k, v in shown.items() if k != "id"} == expected
        gw.execute("res.config.settings", "execute", ids=[settings], context=context)
    plan = plan_json(ws, target)
    assert [op["xmlid"] for op in plan["operations"] if op["action"] != "noop"] == []
