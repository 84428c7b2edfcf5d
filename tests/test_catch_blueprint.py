"""Plan and apply behaviours a unit test must catch when they break (issue: a unit suite that catches what breaks).

Each test here was checked by breaking the behaviour by hand and seeing it
fail (docs/testing.md lists the change and the failure).
"""

from __future__ import annotations

import pytest

from odookit.blueprints.apply import Applier, check_drift
from odookit.blueprints.compile import compile_blueprint
from odookit.blueprints.loader import load_blueprint
from odookit.blueprints.plan import Plan, build_plan
from odookit.errors import PlanError
from odookit.workspace import Workspace

from conftest import odoo_like, without_odoo_made_records


@pytest.fixture
def state(example_ws):
    ws = Workspace.find(example_ws)
    return compile_blueprint(load_blueprint(ws.blueprints)[0], ws.module, 18)


def apply(gw, plan, **kwargs):
    return Applier(gw, plan, None, user="tester").run(**kwargs)


def test_a_saved_plan_is_refused_on_another_database_with_the_same_content(state, tmp_path):
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    build_plan(gw, state, target="dev").save(tmp_path / "plan.json")
    saved = Plan.read(tmp_path / "plan.json")
    gw.db = "client_copy"  # an identical database: every operation compares equal, only the database differs
    with pytest.raises(PlanError) as info:
        check_drift(saved, build_plan(gw, state, target="dev"))
    assert info.value.message == "plan was made for memory://odoo db=memory, not memory://odoo db=client_copy"


def test_adopting_a_warehouses_own_records_writes_to_those_records(state):
    """The operation types Odoo made with a warehouse are found through the warehouse's fields and
    configured in place: the picking type gets its reservation method and external ID, the warehouse neither."""
    gw = odoo_like(state)
    company = gw.seed("res.company", {"name": "Northwind Industrial Supply Inc."}, xmlid="nis_config.company_nis")
    stock = gw.seed("stock.location", {"name": "CHI/Stock"})
    out = gw.seed("stock.picking.type", {"name": "CHI: Delivery", "reservation_method": "manual"})
    warehouse = gw.seed("stock.warehouse", {"name": "Chicago", "code": "CHI", "company_id": company, "lot_stock_id": stock,
                                            "out_type_id": out}, xmlid="nis_config.warehouse_chi")
    plan = build_plan(gw, state, target="dev")
    plan.operations = [op for op in plan.operations if op.xmlid in ("nis_config.picking_type_chi_out", "nis_config.location_chi_stock")]
    apply(gw, plan)
    assert gw.read("stock.picking.type", [out], ["reservation_method"])[0]["reservation_method"] == "at_confirm"
    assert "reservation_method" not in gw.records["stock.warehouse"][warehouse]
    assert gw.resolve_xmlids(["nis_config.picking_type_chi_out", "nis_config.location_chi_stock"]) == {
        "nis_config.picking_type_chi_out": ("stock.picking.type", out), "nis_config.location_chi_stock": ("stock.location", stock)}


def test_an_external_id_whose_record_was_deleted_is_created_again(state):
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    apply(gw, build_plan(gw, state, target="dev"))
    _, gone = gw.resolve_xmlids(["nis_config.partner_segment_key"])["nis_config.partner_segment_key"]
    gw.unlink("res.partner.category", [gone])  # deleted in Odoo's UI: its ir.model.data row stays behind
    plan = build_plan(gw, state, target="dev")
    assert [(op.action, op.xmlid, op.res_id) for op in plan.changes] == [("create", "nis_config.partner_segment_key", None)]
    apply(gw, plan)
    assert sorted(r["name"] for r in gw.all("res.partner.category")) == ["Cash Customer", "Key Account", "OEM Account"]


def test_an_apply_interrupted_part_way_is_finished_by_the_next_one_without_duplicates(state):
    state = without_odoo_made_records(state)
    whole = odoo_like(state)
    apply(whole, build_plan(whole, state, target="dev"))
    gw = odoo_like(state)
    plan = build_plan(gw, state, target="dev")
    halfway = len(plan.changes) // 2
    done = []

    def crash(op):
        if op.is_change:
            done.append(op)
        if len(done) == halfway:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        apply(gw, plan, on_step=crash)
    rest = build_plan(gw, state, target="dev")
    assert 0 < len(rest.changes) < len(plan.changes)
    assert {op.xmlid for op in rest.changes if op.action == "create"}.isdisjoint(op.xmlid for op in done)
    apply(gw, rest)
    assert build_plan(gw, state, target="dev").empty
    for model in ("stock.warehouse", "res.partner.category", "res.groups", "product.pricelist", "base.automation"):
        assert sorted(r.get("name") for r in gw.all(model)) == sorted(r.get("name") for r in whole.all(model)), model


# -- the generated credit-hold rule, run the way Odoo's sandbox runs it ------------------

class _Refused(Exception):
    pass


class _Records(list):
    def mapped(self, name):
        return [getattr(r, name) for r in self]


def _hold(code: str, *, credit: float, order_total: float, tags=(), own_limit: float | None = None, groups=(), others=()) -> str:
    """Run the rule for one order of a partner with nothing else open; returns the refusal ('' when accepted)."""
    ns = type("NS", (), {})
    tag_objects = {xmlid: ns() for xmlid in tags}
    partner = ns()
    partner.name, partner.credit, partner.id = "Acme", credit, 7
    partner.category_id = list(tag_objects.values())
    partner.use_partner_credit_limit, partner.credit_limit = own_limit is not None, own_limit or 0.0
    partner.commercial_partner_id = partner
    partner.sudo = lambda: partner
    order = ns()
    order.id, order.amount_total, order.partner_id = 1, order_total, partner
    order.currency_id = type("Cur", (), {"name": "USD"})()
    orders = ns()
    orders.sudo = lambda: orders
    searched = []

    def search(domain):
        searched.append(domain)
        return _Records(type("Order", (), {"amount_to_invoice": amount})() for amount in others)

    orders.search = search
    env = {"sale.order": orders}

    class Env(dict):
        user = type("User", (), {"has_group": staticmethod(lambda group: group in groups)})()

        def ref(self, xmlid, raise_if_not_found=True):
            return tag_objects.get(xmlid)

    try:
        exec(compile(code, "rule", "exec"), {"env": Env(env), "records": [order], "UserError": _Refused})
    except _Refused as refusal:
        return str(refusal)
    finally:
        # the other confirmed orders of the same customer, this one left out
        assert searched in ([], [[("partner_id", "child_of", 7), ("state", "=", "sale"), ("id", "!=", 1)]]), searched
    return ""


def test_the_credit_hold_refuses_just_over_the_limit_and_accepts_at_it(state):
    code = state.by_xmlid()["nis_config.automation_credit_hold_action"].values["code"]
    # default limit 10,000: exposure is what is owed plus this order
    assert _hold(code, credit=9000.0, order_total=1000.0) == ""
    assert _hold(code, credit=9000.0, order_total=1000.01) == (
        "Credit hold: Acme would owe 10000.01 USD, over the credit limit of 10000.00. Ask a Credit Controller to release the order.")
    # a segment's limit replaces the default; the partner's own limit replaces both
    assert _hold(code, credit=20000.0, order_total=100.0, tags=["nis_config.partner_segment_key"]) == ""
    assert _hold(code, credit=20000.0, order_total=100.0, tags=["nis_config.partner_segment_key"], own_limit=20000.0).startswith(
        "Credit hold: Acme would owe 20100.00 USD, over the credit limit of 20000.00.")


def test_an_apply_interrupted_between_a_create_and_its_external_id_adopts_the_record_next_time(state):
    """The record exists without odookit's external ID: the next plan finds it by its natural key, never a duplicate."""
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    plan = build_plan(gw, state, target="dev")
    real_bind = Applier.bind

    def lost_connection(self, op, rid):
        if op.xmlid == "nis_config.partner_segment_oem":
            raise ConnectionError("the server went away after the create")
        real_bind(self, op, rid)

    Applier.bind = lost_connection
    try:
        with pytest.raises(ConnectionError):
            apply(gw, plan)
    finally:
        Applier.bind = real_bind
    [made] = [r["id"] for r in gw.all("res.partner.category") if r["name"] == "OEM Account"]
    again = build_plan(gw, state, target="dev")
    op = next(o for o in again.operations if o.xmlid == "nis_config.partner_segment_oem")
    assert (op.action, op.res_id) == ("adopt", made)
    apply(gw, again)
    assert [r["id"] for r in gw.all("res.partner.category") if r["name"] == "OEM Account"] == [made]
    assert gw.resolve_xmlids(["nis_config.partner_segment_oem"]) == {"nis_config.partner_segment_oem": ("res.partner.category", made)}
    assert build_plan(gw, state, target="dev").empty


def test_the_credit_hold_counts_open_orders_and_spares_the_release_group(state):
    code = state.by_xmlid()["nis_config.automation_credit_hold_action"].values["code"]
    # OEM segment: 25,000; owed 20,000, two confirmed orders still to invoice, and this one
    assert _hold(code, credit=20000.0, order_total=1000.0, tags=["nis_config.partner_segment_oem"], others=[2000.0, 2000.0]) == ""
    assert _hold(code, credit=20000.0, order_total=1000.0, tags=["nis_config.partner_segment_oem"], others=[2000.0, 2000.01]).startswith(
        "Credit hold: Acme would owe 25000.01 USD, over the credit limit of 25000.00.")
    # a cash customer (limit 0) is held on any amount; someone in the release group is never held
    assert _hold(code, credit=0.0, order_total=0.01, tags=["nis_config.partner_segment_cash"]).startswith(
        "Credit hold: Acme would owe 0.01 USD, over the credit limit of 0.00.")
    assert _hold(code, credit=0.0, order_total=0.01, tags=["nis_config.partner_segment_cash"],
                 groups=["nis_config.group_credit_release"]) == ""
    assert _hold(code, credit=99999.0, order_total=1.0, groups=["nis_config.group_discount_approver"]) != ""


def test_the_inventory_adjustment_rule_spares_approvers_and_administrators(state):
    code = state.by_xmlid()["nis_config.automation_inventory_adjustment_action"].values["code"]
    move = type("Move", (), {"quantity": -3.0, "product_id": type("P", (), {"standard_price": 1_000_000.0})()})()

    def run(groups=()):
        user = type("User", (), {"has_group": staticmethod(lambda group: group in groups)})()
        try:
            exec(compile(code, "rule", "exec"), {"env": type("Env", (), {"user": user})(), "records": [move], "UserError": _Refused})
        except _Refused as refusal:
            return str(refusal)
        return ""

    assert run() == ("Inventory adjustment approval needed: this adjustment is worth 3000000.00, above 2500. "
                     "Ask an Inventory Manager to apply it.")
    assert run(["nis_config.group_inventory_approver"]) == ""
    assert run(["base.group_system"]) == ""
    assert run(["stock.group_stock_manager"]) != ""


@pytest.mark.parametrize(("role", "sentence"), [
    ("Inventory Manager", "Ask an Inventory Manager to apply it."),
    ("inventory lead", "Ask an inventory lead to apply it."),
    ("Einkaufsleitung", "Ask an Einkaufsleitung to apply it."),
    ("Sales Manager", "Ask a Sales Manager to apply it."),
    ("Umsatz", "Ask an Umsatz to apply it."),
    ("Xpress desk", "Ask a Xpress desk to apply it."),
    (None, "Ask an administrator to apply it."),
])
def test_a_refusal_asks_for_the_role_by_its_name_with_the_right_article(role, sentence):
    from odookit.blueprints.automation import ask

    assert ask(role, "apply it") == sentence
