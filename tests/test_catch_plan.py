"""The saved plan and the planner's comparisons, on hand-made inputs: exact lines and exact operations.

Written against the mutants of ``blueprints/plan.py`` that survived the blueprint
tests (docs/testing.md, "Mutation testing").
"""

from __future__ import annotations

import json

import pytest

from odookit.blueprints.plan import Operation, Plan
from odookit.errors import OdooAppMissing, PlanError

FIX = "Re-create it with `odookit blueprint plan --out FILE`."


def refusal(path) -> str:
    with pytest.raises(PlanError) as info:
        Plan.read(path)
    return info.value.line()


def saved_fields(**changed) -> dict:
    return {"target": "dev", "url": "memory://odoo", "database": "memory", "module": "acme", "odoo_version": "18.0",
            "created_at": "2026-12-01T08:00:00+00:00", "operations": [], **changed}


def test_a_plan_file_that_is_not_there_is_one_line_saying_how_to_make_one(tmp_path):
    assert refusal(tmp_path / "plan.json") == (f"no plan file {tmp_path / 'plan.json'}. "
                                               "Create one with `odookit blueprint plan --out FILE`.")


@pytest.mark.parametrize(("content", "problem"), [
    (b"{}", "target: Field required"),
    (json.dumps(saved_fields(operations=[{"action": "explode"}])).encode(),
     "operations.0.action: Input should be 'install', 'load_chart', 'create', 'adopt', 'update' or 'noop'"),
    (b"[1", "Invalid JSON: EOF while parsing a list at line 1 column 2"),
    (b"\xff\xfe{", "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"),
], ids=["field missing", "nested field", "not JSON", "not UTF-8"])
def test_a_damaged_plan_file_is_one_line_naming_the_file_the_field_and_the_fix(tmp_path, content, problem):
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    assert refusal(path) == f"{path}: not a valid odookit plan: {problem}. {FIX}"


def test_a_saved_plan_reads_back_equal_and_leaves_no_temporary_file(tmp_path):
    plan = Plan(**saved_fields(operations=[Operation(action="install", label="install apps", modules=["stock"])]))
    plan.save(tmp_path / "plans" / "dev.json")
    assert Plan.read(tmp_path / "plans" / "dev.json") == plan
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == ["dev.json"]


# -- the planner, on a hand-made desired state --------------------------------------------------

from odookit.blueprints.desired import Desired, DesiredState, chart_ref, chart_refs, lines, ref, refs  # noqa: E402
from odookit.blueprints.plan import build_plan  # noqa: E402
from odookit.odoo.memory import MemoryGateway  # noqa: E402


def spied(gw: MemoryGateway) -> list[tuple]:
    """Every call the planner makes, with its arguments, as (model, method, ids, kwargs)."""
    calls: list[tuple] = []
    real = gw.execute

    def spy(model, method, ids=None, **kwargs):
        calls.append((model, method, ids, kwargs))
        return real(model, method, ids, **kwargs)

    gw.execute = spy
    return calls


def plan(gw, *records: Desired):
    return build_plan(gw, DesiredState(module="acme", modules=[], records=list(records)), target="dev")


def actions(p) -> list[tuple]:
    return [(op.action, op.xmlid, op.res_id, {k: (c.before, c.after) for k, c in op.changes.items()}) for op in p.operations]


@pytest.fixture
def gw() -> MemoryGateway:
    gw = MemoryGateway(relations={"account.fiscal.position.tax_ids": "account.tax", "account.fiscal.position.line_ids": "account.fiscal.position.tax",
                                  "account.fiscal.position.tax.tax_src_id": "account.tax", "crm.team.company_id": "res.company"})
    for model in ("res.company", "res.groups", "res.partner.category", "product.category", "stock.location", "stock.warehouse"):
        gw.seed("ir.model", {"model": model, "name": model})
    gw.seed("res.company", {"name": "Acme"}, "base.main_company")
    gw.seed("res.company", {"name": "Acme West"}, "acme.company_west")
    for code in ("user", "sales"):
        gw.seed("res.groups", {"name": code}, f"base.group_{code}")
    return gw


def test_the_plan_counts_each_action():
    p = Plan(**saved_fields(operations=[Operation(action=a) for a in ("install", "create", "create", "update", "noop", "noop", "noop")]))
    assert p.counts() == {"install": 1, "load_chart": 0, "create": 2, "adopt": 0, "update": 1, "noop": 3}


@pytest.mark.parametrize(("desired", "live", "change"), [
    (12.5, 12.0, True), (1.0000001, 1.0, False), (20, 10, True), (10, 10.0, False), ("", False, False), (None, False, False),
    ("Bearings", "Bearings", False), (True, True, False), (False, True, True),
], ids=["float", "float past 6 decimals", "integer", "integer as float", "empty text", "none", "text", "boolean", "boolean off"])
def test_a_scalar_is_a_change_only_when_odoo_would_store_another_value(gw, desired, live, change):
    gw.seed("res.partner.category", {"name": "Key", "sequence": live}, "acme.partner_segment_key")
    p = plan(gw, Desired("res.partner.category", "acme.partner_segment_key", {"name": "Key", "sequence": desired}))
    assert [op.action for op in p.operations] == (["update"] if change else ["noop"])


def test_the_planner_reads_only_the_models_records_and_fields_it_compares(gw):
    key = gw.seed("res.partner.category", {"name": "Key Account", "color": 3}, "acme.partner_segment_key")
    sales = gw.resolve_xmlids(["base.group_sales"])["base.group_sales"][1]
    calls = spied(gw)
    p = plan(gw, Desired("res.partner.category", "acme.partner_segment_key", {"name": "Key Accounts"}),
             Desired("res.groups", "acme.role_clerk", {"name": "Role: Clerk"}),
             Desired("res.groups", "base.group_sales", {}))
    assert actions(p) == [("update", "acme.partner_segment_key", key, {"name": ("Key Account", "Key Accounts")}),
                          ("create", "acme.role_clerk", None, {"name": (None, "Role: Clerk")}),
                          ("noop", "base.group_sales", sales, {})]
    assert [c for c in calls if c[0] not in ("ir.model.data", "ir.module.module") and c[1] != "fields_get"] == [
        ("ir.model", "search_read", None, {"domain": [("model", "in", ["res.groups", "res.partner.category"])], "fields": ["model"]}),
        ("res.groups", "search_read", None, {"domain": [("name", "in", ["Role: Clerk"])], "fields": ["name"]}),
        ("res.partner.category", "read", [key], {"fields": ["name"]}),
        ("res.groups", "read", [sales], {"fields": ["display_name"]}),
    ]


def test_a_root_category_made_by_hand_is_adopted_by_its_name_and_empty_parent(gw):
    """The natural key (name, parent): no parent in the blueprint is Odoo's False, not a different key."""
    by_hand = gw.seed("product.category", {"name": "Bearings", "parent_id": False})
    gw.seed("product.category", {"name": "Bearings", "parent_id": by_hand})  # same name, another parent: not a match
    p = plan(gw, Desired("product.category", "acme.product_category_bearings", {"name": "Bearings"}),
             Desired("product.category", "acme.product_category_empty", {"name": "Seals", "parent_id": ""}))
    assert actions(p)[0][:3] == ("adopt", "acme.product_category_bearings", by_hand)
    seals = gw.seed("product.category", {"name": "Seals", "parent_id": False})
    p = plan(gw, Desired("product.category", "acme.product_category_empty", {"name": "Seals", "parent_id": ""}))
    assert actions(p)[0][:3] == ("adopt", "acme.product_category_empty", seals)


def test_a_record_already_bound_keeps_its_record_when_another_has_the_wanted_name(gw):
    main = gw.resolve_xmlids(["base.main_company"])["base.main_company"][1]
    gw.seed("ir.model.data", {"module": "acme", "name": "company_hq", "model": "res.company", "res_id": main, "noupdate": True})
    gw.seed("res.company", {"name": "Acme Holdings"})  # made by hand with the name the blueprint now wants
    p = plan(gw, Desired("res.company", "acme.company_hq", {"name": "Acme Holdings"}, adopt="base.main_company"))
    assert actions(p) == [("update", "acme.company_hq", main, {"name": ("Acme", "Acme Holdings")})]


def test_a_warehouses_own_location_is_adopted_even_when_a_same_named_one_was_made_by_hand(gw):
    view = gw.seed("stock.location", {"name": "WH", "location_id": False})
    own = gw.seed("stock.location", {"name": "Stock", "location_id": view})
    gw.seed("stock.location", {"name": "Main stock", "location_id": view})  # by hand, with the name the blueprint gives
    warehouse = gw.seed("stock.warehouse", {"name": "Main", "code": "WH", "lot_stock_id": own, "view_location_id": view},
                        "acme.warehouse_wh")
    calls = spied(gw)
    p = plan(gw, Desired("stock.location", "acme.location_wh_stock", {"name": "Main stock", "location_id": ref("acme.warehouse_wh_view")},
                         adopt="acme.warehouse_wh/lot_stock_id"),
             Desired("stock.location", "acme.warehouse_wh_view", {}, adopt="acme.warehouse_wh/view_location_id"))
    assert [a[:3] for a in actions(p)] == [("adopt", "acme.warehouse_wh_view", view), ("adopt", "acme.location_wh_stock", own)]
    assert ("stock.warehouse", "read", [warehouse], {"fields": ["lot_stock_id", "view_location_id"]}) in calls


def test_a_company_dependent_value_is_read_as_that_company(gw):
    west = gw.resolve_xmlids(["acme.company_west"])["acme.company_west"][1]
    category = gw.seed("product.category", {"name": "Bearings", "parent_id": False, "property_cost_method": "standard"},
                       "acme.product_category_bearings")
    calls = spied(gw)
    plan(gw, Desired("product.category", "acme.product_category_bearings", {"name": "Bearings"}),
         Desired("product.category", "acme.product_category_bearings", {"property_cost_method": "fifo"}, company="acme.company_west"))
    assert [c for c in calls if c[1] == "read"] == [
        ("product.category", "read", [category], {"fields": ["name"]}),
        ("product.category", "read", [category], {"fields": ["property_cost_method"], "context": {"allowed_company_ids": [west]}})]


def test_a_tax_named_by_its_chart_name_is_found_in_its_company(gw):
    west = gw.resolve_xmlids(["acme.company_west"])["acme.company_west"][1]
    tax_19 = gw.seed("account.tax", {"name": "VAT 19%"}, f"account.{west}_tax_19")
    tax_7 = gw.seed("account.tax", {"name": "VAT 7%"}, f"account.{west}_tax_7")
    gw.seed("ir.model", {"model": "account.fiscal.position", "name": "fp"})
    gw.seed("ir.model", {"model": "account.account", "name": "a"})
    fp = gw.seed("account.fiscal.position", {"name": "EU", "tax_ids": [tax_19, tax_7], "account_id": False,
                                             "line_ids": []}, "acme.fiscal_position_eu")
    p = plan(gw, Desired("account.fiscal.position", "acme.fiscal_position_eu",
                         {"name": "EU", "tax_ids": chart_refs("acme.company_west", ["tax_7", "tax_19"])}))
    assert actions(p) == [("noop", "acme.fiscal_position_eu", fp, {})]
    p = plan(gw, Desired("account.fiscal.position", "acme.fiscal_position_eu",
                         {"name": "EU", "tax_ids": chart_refs("acme.company_west", ["tax_7"]),
                          "line_ids": lines("account.fiscal.position.tax", [{"tax_src_id": chart_ref("acme.company_west", "tax_19")}])}))
    assert actions(p) == [("update", "acme.fiscal_position_eu", fp, {
        "tax_ids": ([f"account.{west}_tax_19", f"account.{west}_tax_7"], [f"account.{west}_tax_7"]),
        "line_ids": ([], [{"tax_src_id": f"account.{west}_tax_19"}])})]


def test_a_linked_record_without_an_external_id_is_shown_by_its_id(gw):
    user = gw.resolve_xmlids(["base.group_user"])["base.group_user"][1]
    stray = gw.seed("res.groups", {"name": "made by hand"})
    role = gw.seed("res.groups", {"name": "Role", "implied_ids": [user, stray]}, "acme.role_x")
    p = plan(gw, Desired("res.groups", "acme.role_x", {"name": "Role", "implied_ids": refs(["base.group_user"])}))
    assert actions(p) == [("update", "acme.role_x", role, {"implied_ids": ([f"#{stray}", "base.group_user"], ["base.group_user"])})]


def test_a_many2one_compares_the_record_and_shows_what_odoo_holds(gw):
    """before: the external ID the planner knows, else the display name Odoo sent; after: the blueprint's reference."""
    main, west = (gw.resolve_xmlids([x])[x][1] for x in ("base.main_company", "acme.company_west"))
    stray = gw.seed("res.company", {"name": "Old Co"})
    gw.seed("ir.model", {"model": "crm.team", "name": "t"})
    same = gw.seed("crm.team", {"name": "A", "company_id": west}, "acme.team_a")
    moved = gw.seed("crm.team", {"name": "B", "company_id": main}, "acme.team_b")
    by_hand = gw.seed("crm.team", {"name": "C", "company_id": stray}, "acme.team_c")
    empty = gw.seed("crm.team", {"name": "D", "company_id": False}, "acme.team_d")
    pending = gw.seed("crm.team", {"name": "E", "company_id": False}, "acme.team_e")
    known = gw.seed("crm.team", {"name": "F", "company_id": west}, "acme.team_f")
    p = plan(gw, *(Desired("crm.team", f"acme.team_{c}", {"name": c.upper(), "company_id": ref("acme.company_west")}) for c in "abcd"),
             *(Desired("crm.team", f"acme.team_{c}", {"name": c.upper(), "company_id": ref("acme.company_new")}) for c in "ef"))
    assert actions(p) == [
        ("noop", "acme.team_a", same, {}),
        ("update", "acme.team_b", moved, {"company_id": ("Acme", "acme.company_west")}),
        ("update", "acme.team_c", by_hand, {"company_id": ("Old Co", "acme.company_west")}),
        ("update", "acme.team_d", empty, {"company_id": (None, "acme.company_west")}),
        ("update", "acme.team_e", pending, {"company_id": (None, "acme.company_new")}),
        ("update", "acme.team_f", known, {"company_id": ("acme.company_west", "acme.company_new")}),
    ]


def test_a_many2one_to_a_tax_is_found_by_its_chart_name(gw):
    west = gw.resolve_xmlids(["acme.company_west"])["acme.company_west"][1]
    tax_19 = gw.seed("account.tax", {"name": "VAT 19%"}, f"account.{west}_tax_19")
    gw.seed("account.tax", {"name": "VAT 7%"}, f"account.{west}_tax_7")
    gw.seed("ir.model", {"model": "account.fiscal.position.tax", "name": "t"})
    line = gw.seed("account.fiscal.position.tax", {"tax_src_id": tax_19}, "acme.fiscal_position_tax_x")
    assert actions(plan(gw, Desired("account.fiscal.position.tax", "acme.fiscal_position_tax_x",
                                    {"tax_src_id": chart_ref("acme.company_west", "tax_19")}))) == [
        ("noop", "acme.fiscal_position_tax_x", line, {})]
    assert actions(plan(gw, Desired("account.fiscal.position.tax", "acme.fiscal_position_tax_x",
                                    {"tax_src_id": chart_ref("acme.company_west", "tax_7")}))) == [
        ("update", "acme.fiscal_position_tax_x", line, {"tax_src_id": ("VAT 19%", f"account.{west}_tax_7")})]


def test_an_inclusive_set_needs_only_the_wanted_links_and_counts_the_others(gw):
    user, sales = (gw.resolve_xmlids([x])[x][1] for x in ("base.group_user", "base.group_sales"))
    extra = gw.seed("res.groups", {"name": "portal"}, "base.group_portal")
    role = gw.seed("res.groups", {"name": "Role", "implied_ids": [user, extra]}, "acme.role_x")
    assert actions(plan(gw, Desired("res.groups", "acme.role_x", {"implied_ids": refs(["base.group_user"], exact=False)}))) == [
        ("noop", "acme.role_x", role, {})]
    assert actions(plan(gw, Desired("res.groups", "acme.role_x", {"implied_ids": refs(["base.group_sales", "base.group_user"], exact=False)}))) == [
        ("update", "acme.role_x", role, {"implied_ids": (["base.group_user", "+1 other(s)"], ["base.group_sales", "base.group_user", "+1 other(s)"])})]
    gw.write("res.groups", [role], {"implied_ids": [(6, 0, [user])]})
    assert actions(plan(gw, Desired("res.groups", "acme.role_x", {"implied_ids": refs(["base.group_sales", "base.group_user"], exact=False)}))) == [
        ("update", "acme.role_x", role, {"implied_ids": (["base.group_user"], ["base.group_sales", "base.group_user"])})]
    assert actions(plan(gw, Desired("res.groups", "acme.role_x", {"implied_ids": refs(["acme.role_new"], exact=False)}))) == [
        ("update", "acme.role_x", role, {"implied_ids": (["+1 other(s)"], ["acme.role_new", "+1 other(s)"])})], "a group this plan creates is not linked yet"
    del sales


def test_a_record_to_create_shows_no_before_and_links_named_by_another_module_are_named(gw):
    portal = gw.seed("res.groups", {"name": "portal"}, "base.group_portal")
    user = gw.resolve_xmlids(["base.group_user"])["base.group_user"][1]
    role = gw.seed("res.groups", {"name": "Role", "implied_ids": [user, portal]}, "acme.role_x")
    calls = spied(gw)
    p = plan(gw, Desired("res.groups", "acme.role_new", {"name": "New", "implied_ids": refs(["base.group_user"])}),
             Desired("res.groups", "acme.role_x", {"name": "Role", "implied_ids": refs(["base.group_user"])}))
    assert actions(p) == [("create", "acme.role_new", None, {"name": (None, "New"), "implied_ids": (None, ["base.group_user"])}),
                          ("update", "acme.role_x", role, {"implied_ids": (["base.group_portal", "base.group_user"], ["base.group_user"])})]
    assert ("ir.model.data", "search_read", None, {"domain": [("model", "=", "res.groups"), ("res_id", "in", [portal])],
                                                   "fields": ["module", "name", "res_id"]}) in calls


def test_owned_lines_compare_their_references_by_external_id(gw):
    gw.seed("ir.model", {"model": "product.pricelist", "name": "p"})
    category = gw.seed("product.category", {"name": "Bearings", "parent_id": False}, "acme.product_category_bearings")
    item = gw.seed("product.pricelist.item", {"applied_on": "2_product_category", "categ_id": category, "min_quantity": 10.0,
                                              "fixed_price": 8.0})
    pricelist = gw.seed("product.pricelist", {"name": "List", "item_ids": [item]}, "acme.pricelist_list")
    wanted = {"applied_on": "2_product_category", "categ_id": ref("acme.product_category_bearings"), "min_quantity": 10, "fixed_price": 8.0}
    assert actions(plan(gw, Desired("product.pricelist", "acme.pricelist_list",
                                    {"item_ids": lines("product.pricelist.item", [wanted])}))) == [("noop", "acme.pricelist_list", pricelist, {})]
    cheaper = {**wanted, "fixed_price": 7.5}
    assert actions(plan(gw, Desired("product.pricelist", "acme.pricelist_list", {"item_ids": lines("product.pricelist.item", [cheaper])}))) == [
        ("update", "acme.pricelist_list", pricelist, {"item_ids": (
            [{"applied_on": "2_product_category", "categ_id": "acme.product_category_bearings", "fixed_price": 8.0, "min_quantity": 10.0}],
            [{"applied_on": "2_product_category", "categ_id": "acme.product_category_bearings", "fixed_price": 7.5, "min_quantity": 10.0}])})]


def test_an_owned_line_linked_to_a_record_the_plan_does_not_know_shows_its_display_name(gw):
    gw.seed("ir.model", {"model": "product.pricelist", "name": "p"})
    by_hand = gw.seed("product.category", {"name": "Made by hand", "parent_id": False})
    item = gw.seed("product.pricelist.item", {"applied_on": "2_product_category", "categ_id": by_hand, "min_quantity": 1.0, "fixed_price": 2.0})
    pricelist = gw.seed("product.pricelist", {"name": "List", "item_ids": [item]}, "acme.pricelist_list")
    gw.seed("product.category", {"name": "Bearings", "parent_id": False}, "acme.product_category_bearings")
    wanted = {"applied_on": "2_product_category", "categ_id": ref("acme.product_category_bearings"), "min_quantity": 1.0, "fixed_price": 2.0}
    assert actions(plan(gw, Desired("product.pricelist", "acme.pricelist_list", {"item_ids": lines("product.pricelist.item", [wanted])}))) == [
        ("update", "acme.pricelist_list", pricelist, {"item_ids": (
            [{"applied_on": "2_product_category", "categ_id": "Made by hand", "fixed_price": 2.0, "min_quantity": 1.0}],
            [{"applied_on": "2_product_category", "categ_id": "acme.product_category_bearings", "fixed_price": 2.0, "min_quantity": 1.0}])})]


def test_apps_missing_come_first_and_records_of_their_models_are_planned_as_creates(gw):
    gw.seed("ir.module.module", {"name": "base", "state": "installed"})
    gw.seed("ir.module.module", {"name": "stock", "state": "installed"})
    state = DesiredState(module="acme", modules=["stock", "sale_management", "crm"],
                         records=[Desired("sale.order.template", "acme.quote_template_std", {"name": "Standard"}, label="quotation template")])
    p = build_plan(gw, state, target="dev")
    assert [(op.action, op.label, op.modules, op.model, op.xmlid, op.values) for op in p.operations] == [
        ("install", "install apps", ["crm", "sale_management"], "", "", {}),
        ("create", "quotation template", [], "sale.order.template", "acme.quote_template_std", {"name": "Standard"})]
    assert p.created_at.endswith("+00:00") and (p.target, p.url, p.database) == ("dev", "memory://odoo", "memory")


def test_a_model_that_is_not_on_the_server_while_no_app_is_missing_is_one_clear_error(gw):
    with pytest.raises(OdooAppMissing) as info:
        plan(gw, Desired("sale.order.template", "acme.quote_template_std", {"name": "Standard"}),
             Desired("helpdesk.team", "acme.helpdesk_team_a", {"name": "A"}))
    assert info.value.line() == ("memory://odoo: model(s) helpdesk.team, sale.order.template are not on the server. "
                                 "Install the apps that provide them.")


def test_a_create_carries_every_value_and_an_update_only_the_changed_ones_with_their_company_and_label(gw):
    gw.seed("res.partner.category", {"name": "Key", "color": 1}, "acme.partner_segment_key")
    p = plan(gw, Desired("res.partner.category", "acme.partner_segment_key", {"name": "Key", "color": 2}, label="segment KEY"),
             Desired("res.partner.category", "acme.partner_segment_oem", {"name": "OEM", "color": 2}, label="segment OEM"),
             Desired("res.company", "acme.company_west", {"name": "Acme West GmbH"}, company="acme.company_west", label="west's view"))
    assert [(op.action, op.label, op.company, op.values) for op in p.operations] == [
        ("update", "segment KEY", None, {"color": 2}),
        ("create", "segment OEM", None, {"name": "OEM", "color": 2}),
        ("update", "west's view", "acme.company_west", {"name": "Acme West GmbH"})]


def test_another_modules_record_that_does_not_exist_yet_is_updated_never_created(gw):
    """base.group_x comes with an app this plan installs: it is found at apply time, not made by odookit."""
    p = plan(gw, Desired("res.groups", "sale.group_discount", {"implied_ids": refs(["base.group_user"], exact=False)}),
             Desired("res.groups", "acme.role_old", {"active": False}, retire=True))
    assert [(op.action, op.xmlid, op.res_id) for op in p.operations] == [("update", "sale.group_discount", None)]


def test_an_automation_actions_name_is_sent_when_created_and_never_compared_after(gw):
    gw.seed("ir.model", {"model": "ir.actions.server", "name": "a"})
    action = gw.seed("ir.actions.server", {"name": "Odoo's own name", "code": "old", "state": "code"}, "acme.action_credit_hold")
    p = plan(gw, Desired("ir.actions.server", "acme.action_credit_hold", {"name": "Credit hold", "code": "new", "state": "code"}),
             Desired("ir.actions.server", "acme.action_new", {"name": "New", "code": "x"}))
    assert actions(p) == [("update", "acme.action_credit_hold", action, {"code": ("old", "new")}),
                          ("create", "acme.action_new", None, {"name": (None, "New"), "code": (None, "x")})]


def test_a_companys_chart_is_loaded_right_after_the_companys_own_record(gw):
    gw.seed("ir.module.module", {"name": "l10n_de", "state": "installed"})
    gw.seed("ir.module.module", {"name": "account", "state": "installed"})
    gw.seed("res.partner.category", {"name": "Key"}, "acme.partner_segment_key")
    state = DesiredState(module="acme", modules=[], charts={"acme.company_west": "de_skr03"}, records=[
        Desired("res.partner.category", "acme.partner_segment_key", {"name": "Key Accounts"}),
        Desired("res.company", "acme.company_west", {"name": "Acme West"}, company="acme.company_west"),
        Desired("res.company", "acme.company_west", {"name": "Acme West GmbH"}),
        Desired("res.partner.category", "acme.partner_segment_oem", {"name": "OEM"})])
    p = build_plan(gw, state, target="dev")
    assert [(op.action, op.xmlid, op.company) for op in p.operations] == [
        ("update", "acme.partner_segment_key", None), ("update", "acme.company_west", None), ("load_chart", "acme.company_west", None),
        ("noop", "acme.company_west", "acme.company_west"), ("create", "acme.partner_segment_oem", None)]


def test_a_putaway_rule_naming_a_product_not_loaded_yet_is_refused_before_anything_is_planned(gw):
    gw.seed("ir.model", {"model": "stock.putaway.rule", "name": "r"})
    gw.seed("product.product", {"name": "Bolt"}, "acme.product_bolt")
    rules = [Desired("stock.putaway.rule", f"acme.putaway_{p}", {"product_id": ref(f"acme.product_{p}")}) for p in ("bolt", "nut")]
    with pytest.raises(PlanError) as info:
        plan(gw, *rules)
    assert info.value.line().startswith("putaway rule acme.putaway_nut names product acme.product_nut, which is not in database memory. ")
    assert [op.action for op in plan(gw, rules[0]).operations] == ["create"]


def test_the_lines_of_a_pricelist_to_create_show_no_before(gw):
    gw.seed("ir.model", {"model": "product.pricelist", "name": "p"})
    wanted = {"applied_on": "3_global", "min_quantity": 1.0, "fixed_price": 2.0}
    assert actions(plan(gw, Desired("product.pricelist", "acme.pricelist_new", {"item_ids": lines("product.pricelist.item", [wanted])}))) == [
        ("create", "acme.pricelist_new", None, {"item_ids": (None, [wanted])})]


def test_owned_lines_name_their_products_and_taxes_by_external_id(gw):
    west = gw.resolve_xmlids(["acme.company_west"])["acme.company_west"][1]
    for model in ("product.pricelist", "account.fiscal.position"):
        gw.seed("ir.model", {"model": model, "name": model})
    template = gw.seed("product.template", {"name": "Bolt"}, "acme.product_bolt_product_template")
    variant = gw.seed("product.product", {"name": "Bolt"}, "acme.product_bolt")
    item = gw.seed("product.pricelist.item", {"applied_on": "1_product", "product_tmpl_id": template, "product_id": variant, "fixed_price": 2.0})
    pricelist = gw.seed("product.pricelist", {"name": "List", "item_ids": [item]}, "acme.pricelist_list")
    tax_19 = gw.seed("account.tax", {"name": "VAT 19%"}, f"account.{west}_tax_19")
    tax_0 = gw.seed("account.tax", {"name": "VAT 0%"}, f"account.{west}_tax_0")
    line = gw.seed("account.fiscal.position.tax", {"tax_src_id": tax_19, "tax_dest_id": tax_0})
    fp = gw.seed("account.fiscal.position", {"name": "EU", "line_ids": [line]}, "acme.fiscal_position_eu")
    item_wanted = {"applied_on": "1_product", "product_tmpl_id": ref("acme.product_bolt_product_template"), "product_id": ref("acme.product_bolt"),
                   "fixed_price": 2.0}
    line_wanted = {"tax_src_id": chart_ref("acme.company_west", "tax_19"), "tax_dest_id": chart_ref("acme.company_west", "tax_0")}
    p = plan(gw, Desired("product.pricelist", "acme.pricelist_list", {"item_ids": lines("product.pricelist.item", [item_wanted])}),
             Desired("account.fiscal.position", "acme.fiscal_position_eu", {"line_ids": lines("account.fiscal.position.tax", [line_wanted])}))
    assert actions(p) == [("noop", "acme.pricelist_list", pricelist, {}), ("noop", "acme.fiscal_position_eu", fp, {})]


def test_a_tax_of_a_company_this_plan_creates_is_named_by_that_company_until_it_exists(gw):
    gw.seed("ir.model", {"model": "account.fiscal.position", "name": "fp"})
    fp = gw.seed("account.fiscal.position", {"name": "EU", "tax_ids": []}, "acme.fiscal_position_eu")
    p = plan(gw, Desired("account.fiscal.position", "acme.fiscal_position_eu", {"tax_ids": chart_refs("acme.company_new", ["tax_19"])}))
    assert actions(p) == [("update", "acme.fiscal_position_eu", fp, {"tax_ids": ([], ["account.<acme.company_new>_tax_19"])})]
