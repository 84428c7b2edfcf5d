"""manufacturing (kits, assembly) and landed_costs: schema, references, compile, plan, export.

The in-memory gateway has no warehouse logic: Odoo's own Manufacturing operation types
(made by mrp with each warehouse) are left out as in the putaway tests.
"""

from __future__ import annotations

from lxml import etree

from odookit.blueprints.apply import Applier
from odookit.blueprints.compile import compile_blueprint
from odookit.blueprints.export import module_files
from odookit.blueprints.loader import load_blueprint
from odookit.blueprints.plan import build_plan
from odookit.blueprints.schema import Blueprint

from conftest import odoo_like, without_odoo_made_records
from test_blueprint_localization import problems, write

BP = """\
companies:
  - {code: K, name: Kessler Baustoffe GmbH, country: DE, currency: EUR, main: true}
warehouses:
  - {code: HAM, name: Hamburg, company: K}
  - {code: BRE, name: Bremen, company: K}
product_categories:
  - {code: TILE, name: Tiles, costing_method: fifo}
  - {code: GLUE, name: Adhesives}
roles:
  - {code: stock_admin, name: Stock Admin, groups: [stock.group_stock_manager]}
  - {code: clerk, name: Clerk, groups: [stock.group_stock_user]}
manufacturing:
  assembly:
    - {warehouse: HAM, steps: 2}
landed_costs:
  post_role: stock_admin
  products:
    - {code: FREIGHT, name: Freight, split_method: by_quantity}
    - {code: DUTY, name: Customs duty, split_method: by_current_cost_price}
"""


def state_of(tmp_path, text: str = BP, major: int = 18):
    bp, _ = load_blueprint(write(tmp_path, text))
    return bp, compile_blueprint(bp, "kb_config", major)


def test_schema_describes_every_new_field():
    schema = Blueprint.model_json_schema()
    defs = schema["$defs"]
    for model, fields in (("Manufacturing", ("kits", "assembly")), ("Assembly", ("warehouse", "steps")),
                          ("LandedCosts", ("products", "post_role")), ("LandedCostProduct", ("code", "name", "split_method"))):
        for field in fields:
            assert defs[model]["properties"][field].get("description"), f"{model}.{field}"
    assert "mrp" in schema["properties"]["manufacturing"]["description"]
    assert "stock_landed_costs" in schema["properties"]["landed_costs"]["description"]
    assert defs["LandedCostProduct"]["properties"]["split_method"]["enum"] == ["equal", "by_quantity", "by_current_cost_price", "by_weight", "by_volume"]


# -- references -----------------------------------------------------------------

def test_unknown_assembly_warehouse_gets_did_you_mean_and_a_second_entry_is_refused(tmp_path):
    lines = problems(tmp_path, BP.replace("{warehouse: HAM, steps: 2}", "{warehouse: HAMM, steps: 2}"))
    assert lines == ["blueprints/bp.yaml:14:8: unknown warehouse 'HAMM' (did you mean 'HAM'?). Use one of: HAM, BRE."]
    lines = problems(tmp_path, BP.replace("    - {warehouse: HAM, steps: 2}\n", "    - {warehouse: HAM, steps: 2}\n    - {warehouse: HAM}\n"))
    assert lines == ["blueprints/bp.yaml:15:8: warehouse HAM is listed twice under manufacturing.assembly (the other is assembly[0]). "
                     "Keep one entry per warehouse."]


def test_assembly_steps_outside_one_to_three_are_a_schema_error(tmp_path):
    lines = problems(tmp_path, BP.replace("steps: 2", "steps: 4"))
    assert len(lines) == 1 and lines[0].startswith("blueprints/bp.yaml:14:24: manufacturing.assembly[0].steps: Input should be 1, 2 or 3")


def test_posting_role_must_exist_and_may_post_landed_costs(tmp_path):
    lines = problems(tmp_path, BP.replace("post_role: stock_admin", "post_role: stock_admn"))
    assert lines == ["blueprints/bp.yaml:16:3: unknown role 'stock_admn' (did you mean 'stock_admin'?). Use one of: stock_admin, clerk."]
    lines = problems(tmp_path, BP.replace("post_role: stock_admin", "post_role: clerk"))
    assert lines == ["blueprints/bp.yaml:16:3: role 'clerk' may not post landed costs: Odoo lets only Inventory administrators "
                     "(stock.group_stock_manager) create and post them. Add stock.group_stock_manager to the role's groups, or name a role that has it."]


def test_landed_costs_without_a_fifo_or_average_category_are_refused(tmp_path):
    lines = problems(tmp_path, BP.replace(", costing_method: fifo", ""))
    assert lines == ["blueprints/bp.yaml:15:1: landed_costs are configured but no product category costs fifo or average: Odoo adds "
                     "landed costs only to the value of FIFO or average-cost products. Give the categories of imported goods "
                     "costing_method: fifo (or average), or drop landed_costs."]


def test_a_landed_cost_code_twice_and_an_unknown_split_method_are_located(tmp_path):
    lines = problems(tmp_path, BP.replace("{code: DUTY,", "{code: freight,"))
    assert lines == ["blueprints/bp.yaml:19:8: duplicate landed cost code 'freight' (the other is products[0]). Codes must be unique; rename one."]
    lines = problems(tmp_path, BP.replace("split_method: by_quantity", "split_method: by_qty"))
    assert len(lines) == 1 and lines[0].startswith("blueprints/bp.yaml:18:38: landed_costs.products[0].split_method: ")
    assert lines[0].endswith("(got 'by_qty') (did you mean 'by_quantity'?)")


# -- compile ---------------------------------------------------------------------------

def test_compile_installs_mrp_and_landed_costs_and_sets_the_assembling_warehouse(tmp_path):
    _, state = state_of(tmp_path)
    assert {"mrp", "stock_landed_costs"} <= set(state.modules)
    records = state.by_xmlid()
    ham, bre = records["kb_config.warehouse_ham"].values, records["kb_config.warehouse_bre"].values
    assert (ham["manufacture_to_resupply"], ham["manufacture_steps"]) == (True, "pbm")
    assert bre["manufacture_to_resupply"] is False and "manufacture_steps" not in bre
    manu = records["kb_config.picking_type_ham_manufacture"]
    assert (manu.model, manu.adopt, manu.values) == ("stock.picking.type", "kb_config.warehouse_ham/manu_type_id", {})
    assert "kb_config.picking_type_bre_manufacture" not in records
    assert records["kb_config.landed_cost_freight"].values == {
        "name": "Freight", "type": "service", "landed_cost_ok": True, "split_method_landed_cost": "by_quantity", "purchase_ok": True, "sale_ok": False}
    assert records["kb_config.landed_cost_duty"].values["split_method_landed_cost"] == "by_current_cost_price"


def test_without_the_sections_nothing_of_them_is_compiled(tmp_path):
    text = BP.split("manufacturing:")[0]
    _, state = state_of(tmp_path, text)
    assert not {"mrp", "stock_landed_costs"} & set(state.modules)
    assert "manufacture_to_resupply" not in state.by_xmlid()["kb_config.warehouse_ham"].values
    assert not [r for r in state.records if r.model == "product.template"]


def test_kits_only_installs_mrp_and_gives_no_warehouse_an_assembly_operation(tmp_path):
    text = BP.split("manufacturing:")[0].replace(", costing_method: fifo", "") + "manufacturing: {kits: true}\n"
    _, state = state_of(tmp_path, text, major=19)
    assert "mrp" in state.modules and "stock_landed_costs" not in state.modules
    records = state.by_xmlid()
    assert [records[f"kb_config.warehouse_{w}"].values["manufacture_to_resupply"] for w in ("ham", "bre")] == [False, False]


# -- plan, apply and export --------------------------------------------------------------

def test_plan_creates_the_landed_cost_products_and_writes_the_warehouses_then_is_empty(tmp_path):
    _, state = state_of(tmp_path)
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    first = build_plan(gw, state, target="dev")
    created = [op.xmlid for op in first.operations if op.action == "create" and op.model == "product.template"]
    assert created == ["kb_config.landed_cost_freight", "kb_config.landed_cost_duty"]
    ham = next(op for op in first.operations if op.xmlid == "kb_config.warehouse_ham")
    assert (ham.values["manufacture_steps"], ham.values["manufacture_to_resupply"]) == ("pbm", True)
    Applier(gw, first, None, user="t").run()
    freight = gw.resolve_xmlids(["kb_config.landed_cost_freight"])["kb_config.landed_cost_freight"][1]
    assert gw.read("product.template", [freight], ["landed_cost_ok", "split_method_landed_cost"])[0] == {
        "id": freight, "landed_cost_ok": True, "split_method_landed_cost": "by_quantity"}
    second = build_plan(gw, state, target="dev")
    assert [(op.action, op.xmlid, dict(op.changes)) for op in second.changes] == []


def test_a_split_method_changed_by_hand_is_drift_the_plan_puts_back(tmp_path):
    _, state = state_of(tmp_path)
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    Applier(gw, build_plan(gw, state, target="dev"), None, user="t").run()
    freight = gw.resolve_xmlids(["kb_config.landed_cost_freight"])["kb_config.landed_cost_freight"][1]
    gw.write("product.template", [freight], {"split_method_landed_cost": "equal"})
    ops = build_plan(gw, state, target="dev").changes
    assert [(op.action, op.xmlid, {k: (c.before, c.after) for k, c in op.changes.items()}) for op in ops] == [
        ("update", "kb_config.landed_cost_freight", {"split_method_landed_cost": ("equal", "by_quantity")})]


def test_export_declares_the_products_binds_the_manufacturing_type_and_depends_on_the_apps(tmp_path):
    _, state = state_of(tmp_path)
    files = module_files(state)
    assert {"mrp", "stock_landed_costs"} <= set(eval(files["__manifest__.py"].decode().split("\n", 1)[1])["depends"])  # noqa: S307 - our own literal
    root = etree.fromstring(files["data/configuration.xml"])
    freight = next(el for el in root if el.get("id") == "landed_cost_freight")
    assert (freight.get("model"), freight.find("field[@name='split_method_landed_cost']").text) == ("product.template", "by_quantity")
    assert freight.find("field[@name='landed_cost_ok']").get("eval") == "True"
    bind = next(el for el in root if el.get("id") == "bind_picking_type_ham_manufacture")
    assert bind.find("field[@name='res_id']").get("eval") == "obj(ref('kb_config.warehouse_ham')).manu_type_id.id"
    bre = next(el for el in root if el.get("id") == "warehouse_bre")
    assert bre.find("field[@name='manufacture_to_resupply']").get("eval") == "False"


# -- the posting role per Odoo version ------------------------------------------------------

def test_posting_a_landed_cost_needs_the_inventory_administrator_on_18_and_purchase_reading_on_19():
    from odookit.odoo.adapters import landed_cost_posting_groups

    assert landed_cost_posting_groups(18) == ("stock.group_stock_manager", ())
    assert landed_cost_posting_groups(19) == ("stock.group_stock_manager", (
        "purchase.group_purchase_user", "account.group_account_invoice", "account.group_account_readonly"))


def test_a_posting_role_that_cannot_read_purchase_lines_is_refused_for_an_odoo_19_target_only(tmp_path):
    import pytest

    from odookit.blueprints.landed_costs import refuse_unable_poster
    from odookit.errors import Problems

    bp, smap = load_blueprint(write(tmp_path, BP), root=tmp_path)
    refuse_unable_poster(bp, smap, 18, "dev")  # an Inventory administrator may post on 18
    with pytest.raises(Problems) as exc:
        refuse_unable_poster(bp, smap, 19, "v19")
    assert exc.value.lines() == [
        "blueprints/bp.yaml:16:3: role 'stock_admin' may not post landed costs on target 'v19': Odoo 19 also reads the receipt's purchase "
        "lines when posting, which needs one of purchase.group_purchase_user, account.group_account_invoice, account.group_account_readonly. "
        "Add account.group_account_readonly (read-only) to the role's groups, or name a role that has one of them."]
    bp, smap = load_blueprint(write(tmp_path, BP.replace("[stock.group_stock_manager]", "[stock.group_stock_manager, account.group_account_readonly]")),
                              root=tmp_path)
    refuse_unable_poster(bp, smap, 19, "v19")
