"""Every difference between Odoo versions that odookit knows, one test per version.

The names for 18 and 19 were checked against real servers; 16 and 17 come
from the documented changes (see docs/real-odoo.md, "What differs between versions").
"""

from __future__ import annotations

import pytest

from odookit.blueprints.automation_records import automation_records
from odookit.odoo import adapters


@pytest.mark.parametrize(
    ("major", "model", "field", "expected"),
    [
        (17, "res.groups", "users", "users"),
        (18, "res.groups", "users", "users"),
        (19, "res.groups", "users", "user_ids"),
        (20, "res.groups", "users", "user_ids"),
        (18, "res.users", "groups_id", "groups_id"),
        (19, "res.users", "groups_id", "group_ids"),
        (18, "res.groups", "category_id", "category_id"),
        (19, "res.groups", "category_id", "privilege_id"),
        (18, "res.company", "po_lead", "po_lead"),
        (19, "res.company", "po_lead", "days_to_purchase"),
        (18, "product.template", "uom_po_id", "uom_po_id"),
        (19, "product.template", "uom_po_id", None),  # gone: no purchase unit on 19
        (18, "stock.warehouse.orderpoint", "qty_multiple", "qty_multiple"),
        (18, "stock.move", "name", "name"),
        (19, "stock.move", "name", None),  # gone: required up to 18
        (19, "stock.warehouse.orderpoint", "qty_multiple", None),  # gone: rounds to a unit or packaging
        (19, "res.partner", "name", "name"),  # not renamed: the Odoo 18 name
    ],
)
def test_field_names_per_version(major, model, field, expected):
    assert adapters.field_name(major, model, field) == expected


@pytest.mark.parametrize(
    ("major", "kind", "expected"),
    [
        (16, "storable", {"detailed_type": "product"}),
        (17, "consumable", {"detailed_type": "consu"}),
        (17, "service", {"detailed_type": "service"}),
        (18, "storable", {"type": "consu", "is_storable": "1"}),
        (18, "consumable", {"type": "consu", "is_storable": "0"}),
        (19, "storable", {"type": "consu", "is_storable": "1"}),
        (19, "service", {"type": "service", "is_storable": "0"}),
    ],
)
def test_product_type_fields(major, kind, expected):
    assert adapters.product_type_fields(major, kind) == expected


@pytest.mark.parametrize("major", [17, 18, 19])
@pytest.mark.parametrize("kind", ["storable", "consumable", "service"])
def test_product_type_reads_back_what_it_wrote(major, kind):
    written = adapters.product_type_fields(major, kind)
    as_read = {k: (v == "1" if k == "is_storable" else v) for k, v in written.items()}
    assert set(adapters.product_type_read_fields(major)) == set(written)
    assert adapters.product_type_of(major, as_read) == kind


@pytest.mark.parametrize(
    ("major", "delay_field"), [(16, "days"), (17, "nb_days"), (18, "nb_days"), (19, "nb_days")]
)
def test_payment_term_line_delay(major, delay_field):
    assert adapters.payment_term_line(major, 30, 45) == {"value": "percent", "value_amount": 30.0, delay_field: 45}


@pytest.mark.parametrize(("major", "link"), [(16, None), (17, "base_automation_id"), (18, "base_automation_id"), (19, "base_automation_id")])
def test_automation_action_link(major, link):
    assert adapters.automation_action_link(major) == link


@pytest.mark.parametrize(("major", "key"), [(18, "purchase.use_po_lead"), (19, None)])
def test_purchase_lead_time_switch(major, key):
    assert adapters.setting_key(major, "purchase.use_po_lead") == key
    assert adapters.setting_key(major, "sale_stock.use_security_lead") == "sale_stock.use_security_lead"


@pytest.mark.parametrize(("major", "root"), [(17, "product.product_category_all"), (18, "product.product_category_all"), (19, None)])
def test_root_product_category(major, root):
    assert adapters.root_product_category(major) == root


@pytest.mark.parametrize(
    ("major", "value", "expected"),
    [(18, "manual_periodic", "manual_periodic"), (19, "manual_periodic", "periodic"), (18, "real_time", "real_time"), (19, "real_time", "real_time")],
)
def test_inventory_valuation_values(major, value, expected):
    assert adapters.selection_value(major, "product.category", "property_valuation", value) == expected


@pytest.mark.parametrize(("major", "model"), [(17, "procurement.group"), (18, "procurement.group"), (19, "stock.rule")])
def test_the_scheduler_lives_on(major, model):
    assert adapters.method_model(major, "procurement.group", "run_scheduler") == model
    assert adapters.method_model(major, "sale.order", "action_confirm") == "sale.order"


@pytest.mark.parametrize(("major", "layers"), [(16, True), (17, True), (18, True), (19, False), (20, False)])
def test_stock_value_lives_in_valuation_layers_up_to_18(major, layers):
    assert adapters.has_valuation_layers(major) is layers


def _rule(major):
    return automation_records(
        major, xmlid="acme.automation_x", name="X", model_xmlid="sale.model_sale_order",
        trigger_field_xmlids=["sale.field_sale_order__state"], pre_domain="[]", domain="[('state', '=', 'sale')]",
        code="raise UserError('no')",
    )


def test_automation_rule_from_17_is_a_rule_and_its_server_action():
    [(m1, x1, rule), (m2, x2, action)] = _rule(19)
    assert (m1, x1, m2, x2) == ("base.automation", "acme.automation_x", "ir.actions.server", "acme.automation_x_action")
    assert "code" not in rule and rule["trigger_field_ids"] == {"$refs": ["sale.field_sale_order__state"], "$exact": True}
    assert action["base_automation_id"] == {"$ref": "acme.automation_x"}
    assert action["code"] == "raise UserError('no')" and action["usage"] == "base_automation"


def test_automation_rule_up_to_16_carries_its_code():
    [(model, xmlid, rule)] = _rule(16)
    assert (model, xmlid, rule["state"], rule["code"]) == ("base.automation", "acme.automation_x", "code", "raise UserError('no')")


def test_the_wire_imports_nothing_from_the_layers_above():
    import ast
    from pathlib import Path

    import odookit.odoo

    for path in Path(odookit.odoo.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        above = sorted(m for m in imported if m.startswith("odookit.") and not m.startswith(("odookit.odoo", "odookit.errors", "odookit.workspace")))
        assert above == [], f"{path.name} imports {above}"


@pytest.mark.parametrize(("major", "members"), [(18, "users"), (19, "user_ids")])
def test_the_sample_compiles_to_the_names_of_its_version(example_ws, major, members):
    from odookit.blueprints.compile import compile_blueprint
    from odookit.blueprints.loader import load_blueprint
    from odookit.workspace import Workspace

    ws = Workspace.load(example_ws)
    state = compile_blueprint(load_blueprint(ws.blueprints)[0], ws.module, major)
    accounting = state.by_xmlid()["account.group_account_manager"]
    assert accounting.values == {members: {"$refs": ["base.user_admin"], "$exact": False}}


def test_the_sample_on_19_uses_what_19_has(example_ws):
    from odookit.blueprints.compile import compile_blueprint
    from odookit.blueprints.loader import load_blueprint
    from odookit.workspace import Workspace

    ws = Workspace.load(example_ws)
    bp = load_blueprint(ws.blueprints)[0]
    on18, on19 = (compile_blueprint(bp, ws.module, major) for major in (18, 19))
    company = f"{ws.module}.company_{bp.main_company.code.lower()}"
    assert on18.by_xmlid()[company].values["po_lead"] == on19.by_xmlid()[company].values["days_to_purchase"] == float(bp.reorder.purchase_lead_days)
    assert "po_lead" not in on19.by_xmlid()[company].values
    def params(state):
        return {r.values["key"] for r in state.records if r.model == "ir.config_parameter"}

    assert "purchase.use_po_lead" in params(on18) and "purchase.use_po_lead" not in params(on19)
    top = next(c for c in bp.product_categories if not c.parent)
    cat = f"{ws.module}.product_category_{top.code.lower()}"
    assert on18.by_xmlid()[cat].values["parent_id"] == {"$ref": "product.product_category_all"}
    assert "parent_id" not in on19.by_xmlid()[cat].values
    valuations = {r.values["property_valuation"] for r in on19.records if r.model == "product.category" and r.company}
    assert valuations <= {"periodic", "real_time"} and valuations
