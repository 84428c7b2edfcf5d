"""Blueprint compilation, record by record, on small blueprints built here (issue: a unit suite that catches what breaks).

Every blueprint test compiles a whole example workspace; these compile a
minimal blueprint and variations of it (one company or two, each optional
section present or absent, values that change each output field) and assert
the exact desired records: model, external ID, values, adoption, label,
company and retirement. Each test runs in milliseconds, so mutation testing
of compile.py can afford to run them for every mutant.
"""

from __future__ import annotations

from odookit.blueprints import automation
from odookit.blueprints.compile import compile_blueprint, merge
from odookit.blueprints.desired import Desired
from odookit.blueprints.schema import Blueprint

M = "cfg"
AUTOMATIONS = ("automation_credit_hold", "automation_discount_approval", "automation_inventory_adjustment")
ACME = {"code": "ac", "name": "Acme Tools SARL", "country": "FR", "currency": "EUR"}
BRIX = {"code": "bx", "name": "Brix Bau GmbH", "country": "DE", "currency": "EUR", "vat": "DE123456789"}
LEAN = {"multi_step_routes": False, "lots_and_serials": False, "storage_locations": False}


def compiled(major: int = 18, companies=(ACME,), **sections):
    return compile_blueprint(Blueprint.model_validate({"companies": list(companies), **sections}), M, major)


def row(rec: Desired) -> tuple:
    return (rec.model, rec.xmlid, rec.values, rec.adopt, rec.label, rec.company, rec.retire)


def rows(state) -> dict[str, tuple]:
    return {r.key: row(r) for r in state.records}


def get(state, key: str) -> tuple:
    return rows(state)[key]


def many(xmlids, exact=False):
    return {"$refs": sorted(xmlids), "$exact": exact}


def test_a_minimal_blueprint_compiles_to_exactly_these_records():
    state = compiled()
    assert state.module == M
    assert state.charts == {}
    assert state.modules == ["contacts", "sale_management", "purchase", "stock", "account", "sale_stock",
                             "purchase_stock", "stock_account", "base_automation"]
    admin = many(["base.user_admin"])
    assert [row(r) for r in state.records] == [
        ("res.groups", "account.group_account_manager", {"users": admin}, None, "administrator may set up accounting", None, False),
        ("res.groups", "account.group_account_user", {"users": admin}, None, "administrator may set up accounting", None, False),
        ("res.company", "cfg.company_ac", {
            "name": "Acme Tools SARL", "country_id": {"$ref": "base.fr"}, "currency_id": {"$ref": "base.EUR"},
            "po_lead": 0.0, "security_lead": 0.0, "account_use_credit_limit": True, "po_double_validation": "one_step",
        }, "base.main_company", "company ac", None, False),
        ("res.users", "base.user_admin", {"company_ids": many(["cfg.company_ac"])}, None, "administrator's companies", None, False),
        ("res.groups", "base.group_user", {"implied_ids": many([
            "product.group_product_pricelist", "sale.group_discount_per_so_line", "stock.group_adv_location",
            "stock.group_production_lot", "stock.group_stock_multi_locations", "uom.group_uom"])},
         None, "features enabled for all users", None, False),
        ("res.groups", "base.group_portal", {"implied_ids": many(["stock.group_production_lot"])}, None, "lots for portal users", None, False),
        ("ir.default", "cfg.default_credit_limit_ac", {
            "field_id": {"$ref": "account.field_res_partner__credit_limit"}, "company_id": {"$ref": "cfg.company_ac"},
            "json_value": "0.0"}, None, "default credit limit in ac: 0", None, False),
        ("res.groups", "cfg.group_credit_release", {"name": "Acme Tools SARL: Credit Release"}, None, "Credit Release", None, False),
        ("res.groups", "cfg.group_discount_approver", {"name": "Acme Tools SARL: Sales Discount Approval"}, None, "Sales Discount Approval", None, False),
        ("res.groups", "cfg.group_inventory_approver", {"name": "Acme Tools SARL: Inventory Adjustment Approval"}, None, "Inventory Adjustment Approval", None, False),
        ("res.groups", "cfg.group_return_authoriser", {"name": "Acme Tools SARL: Return Authorisation"}, None, "Return Authorisation", None, False),
        ("res.groups", "cfg.group_return_user", {"name": "Acme Tools SARL: Customer Returns"}, None, "Customer Returns", None, False),
        ("res.groups", "cfg.group_rush_approver", {"name": "Acme Tools SARL: Rush Order Approval"}, None, "Rush Order Approval", None, False),
        ("base.automation", "cfg.automation_credit_hold", {"active": False}, None, "automation_credit_hold no longer wanted", None, True),
        ("base.automation", "cfg.automation_discount_approval", {"active": False}, None, "automation_discount_approval no longer wanted", None, True),
        ("base.automation", "cfg.automation_inventory_adjustment", {"active": False}, None, "automation_inventory_adjustment no longer wanted", None, True),
        ("ir.default", "cfg.default_invoice_policy", {
            "field_id": {"$ref": "sale.field_product_template__invoice_policy"}, "json_value": '"delivery"'},
         None, "default invoicing policy: delivery", None, False),
        ("base.automation", "cfg.automation_return_policy", {"active": False}, None, "automation_return_policy no longer wanted", None, True),
        ("base.automation", "cfg.automation_rush_order", {"active": False}, None, "automation_rush_order no longer wanted", None, True),
        ("ir.cron", "cfg.cron_late_receipts", {"active": False}, None, "late receipt check no longer wanted", None, True),
    ]


def test_two_companies_on_odoo_19_the_main_one_adopted_and_each_with_its_own_defaults():
    main_brix = {**BRIX, "main": True, "currency": "CHF"}
    state = compiled(19, companies=(ACME, main_brix), inventory=LEAN,
                     reorder={"purchase_lead_days": 4, "security_lead_days": 2}, credit={"default_limit": 2500})
    found = rows(state)
    assert found["account.group_account_manager"][2] == {"user_ids": many(["base.user_admin"])}
    assert found["account.group_account_user"][2] == {"user_ids": many(["base.user_admin"])}
    assert found["cfg.company_ac"] == ("res.company", "cfg.company_ac", {
        "name": "Acme Tools SARL", "country_id": {"$ref": "base.fr"}, "currency_id": {"$ref": "base.EUR"},
        "days_to_purchase": 4.0, "security_lead": 2.0, "account_use_credit_limit": True, "po_double_validation": "one_step",
    }, None, "company ac", None, False)
    assert found["cfg.company_bx"] == ("res.company", "cfg.company_bx", {
        "name": "Brix Bau GmbH", "country_id": {"$ref": "base.de"}, "currency_id": {"$ref": "base.CHF"},
        "vat": "DE123456789", "days_to_purchase": 4.0, "security_lead": 2.0, "account_use_credit_limit": True,
        "po_double_validation": "one_step",
    }, "base.main_company", "company bx", None, False)
    assert found["base.user_admin"][2] == {"company_ids": many(["cfg.company_ac", "cfg.company_bx"])}
    assert found["base.group_user"][2] == {"implied_ids": many([
        "product.group_product_pricelist", "sale.group_discount_per_so_line", "uom.group_uom",
        "base.group_multi_company", "base.group_multi_currency"])}
    assert "base.group_portal" not in found
    # Odoo 19 has no purchase lead switch: only the security lead's
    assert [k for k in found if k.startswith("cfg.config_")] == ["cfg.config_sale_stock_use_security_lead"]
    assert found["cfg.config_sale_stock_use_security_lead"] == (
        "ir.config_parameter", "cfg.config_sale_stock_use_security_lead",
        {"key": "sale_stock.use_security_lead", "value": "True"}, None, "setting sale_stock.use_security_lead", None, False)
    for code in ("ac", "bx"):
        assert found[f"cfg.default_credit_limit_{code}"] == ("ir.default", f"cfg.default_credit_limit_{code}", {
            "field_id": {"$ref": "account.field_res_partner__credit_limit"}, "company_id": {"$ref": f"cfg.company_{code}"},
            "json_value": "2500.0"}, None, f"default credit limit in {code}: 2500", None, False)
    # the approval groups carry the main company's name, not the first one's
    assert found["cfg.group_credit_release"][2] == {"name": "Brix Bau GmbH: Credit Release"}


def test_lead_time_switches_on_odoo_18_only_for_lead_times_above_zero():
    found = rows(compiled(reorder={"purchase_lead_days": 3, "security_lead_days": 0}))
    assert [k for k in found if k.startswith("cfg.config_")] == ["cfg.config_purchase_use_po_lead"]
    assert found["cfg.config_purchase_use_po_lead"] == (
        "ir.config_parameter", "cfg.config_purchase_use_po_lead", {"key": "purchase.use_po_lead", "value": "True"},
        None, "setting purchase.use_po_lead", None, False)
    assert found["cfg.company_ac"][2]["po_lead"] == 3.0
    assert found["cfg.company_ac"][2]["security_lead"] == 0.0
    both = rows(compiled(reorder={"purchase_lead_days": 1, "security_lead_days": 5}))
    assert [k for k in both if k.startswith("cfg.config_")] == ["cfg.config_purchase_use_po_lead", "cfg.config_sale_stock_use_security_lead"]


def test_purchase_double_validation_only_in_the_companies_listed():
    found = rows(compiled(companies=(ACME, BRIX), approvals={"purchase": [{"company": "bx", "double_validation_above": 7500}]}))
    assert found["cfg.company_bx"][2]["po_double_validation"] == "two_step"
    assert found["cfg.company_bx"][2]["po_double_validation_amount"] == 7500.0
    assert isinstance(found["cfg.company_bx"][2]["po_double_validation_amount"], float)
    assert found["cfg.company_ac"][2]["po_double_validation"] == "one_step"
    assert "po_double_validation_amount" not in found["cfg.company_ac"][2]
    # one company's entry per company (its values merged), the first company's adopted
    assert found["cfg.company_ac"][3] == "base.main_company"
    assert found["cfg.company_bx"][3] is None
    assert found["cfg.company_bx"][4] == "company bx"


BASE_FEATURES = ["product.group_product_pricelist", "sale.group_discount_per_so_line", "uom.group_uom"]


def features(**sections) -> list[str]:
    return get(compiled(**sections), "base.group_user")[2]["implied_ids"]["$refs"]


def test_each_inventory_switch_gives_its_feature_group():
    assert features(inventory=LEAN) == BASE_FEATURES
    assert features(inventory={**LEAN, "multi_step_routes": True}) == sorted(
        BASE_FEATURES + ["stock.group_adv_location", "stock.group_stock_multi_locations"])
    assert features(inventory={**LEAN, "lots_and_serials": True}) == sorted(BASE_FEATURES + ["stock.group_production_lot"])
    assert features(inventory={**LEAN, "packages": True}) == sorted(BASE_FEATURES + ["stock.group_tracking_lot"])
    assert features(inventory={**LEAN, "storage_locations": True}) == sorted(BASE_FEATURES + ["stock.group_stock_multi_locations"])


def test_lots_for_portal_users_only_with_lots_and_serials():
    assert "base.group_portal" not in rows(compiled(inventory=LEAN))
    found = rows(compiled(inventory={**LEAN, "lots_and_serials": True}))
    assert found["base.group_portal"] == ("res.groups", "base.group_portal", {"implied_ids": many(["stock.group_production_lot"])},
                                          None, "lots for portal users", None, False)


def test_putaway_rules_warehouses_companies_and_currencies_give_their_groups():
    wh = [{"code": "W1", "name": "One", "company": "ac"}]
    assert features(inventory=LEAN, warehouses=wh,
                    putaway_rules=[{"warehouse": "W1", "product": "SKU-1", "location": "Shelf 1"}]) == sorted(
        BASE_FEATURES + ["stock.group_stock_multi_locations"])
    assert features(inventory=LEAN, warehouses=wh) == BASE_FEATURES
    assert features(inventory=LEAN, warehouses=wh + [{"code": "W2", "name": "Two", "company": "ac"}]) == sorted(
        BASE_FEATURES + ["stock.group_stock_multi_warehouses"])
    # two companies in one currency: multi-company, not multi-currency
    assert features(inventory=LEAN, companies=(ACME, BRIX)) == sorted(BASE_FEATURES + ["base.group_multi_company"])
    # a pricelist in another currency than the companies'
    assert features(inventory=LEAN, pricelists=[{"code": "usd", "name": "Export", "currency": "USD"}]) == sorted(
        BASE_FEATURES + ["base.group_multi_currency"])
    assert features(inventory=LEAN, pricelists=[{"code": "eur", "name": "Home"}]) == BASE_FEATURES
    assert features(inventory=LEAN, crm={"leads": True}) == sorted(BASE_FEATURES + ["crm.group_use_lead"])


def picking_types(found: dict, wh: str) -> dict:
    return {k: v for k, v in found.items() if k.startswith(f"cfg.picking_type_{wh}_")}


def test_warehouses_with_their_steps_and_the_main_companys_first_one_takes_over_odoos():
    found = rows(compiled(
        companies=(ACME, BRIX), inventory={"reservation_method": "by_date"},
        warehouses=[
            {"code": "n1", "name": "North", "company": "bx", "reception_steps": 3, "delivery_steps": "pick_pack_ship"},
            {"code": "S1", "name": "South", "company": "ac", "reception_steps": 2, "delivery_steps": "pick_ship",
             "resupply_from": ["n1"]},
            {"code": "E1", "name": "East", "company": "ac"},
        ]))
    assert found["cfg.warehouse_n1"] == ("stock.warehouse", "cfg.warehouse_n1", {
        "name": "North", "code": "N1", "company_id": {"$ref": "cfg.company_bx"}, "reception_steps": "three_steps",
        "delivery_steps": "pick_pack_ship", "active": True}, None, "warehouse n1", None, False)
    assert found["cfg.warehouse_s1"] == ("stock.warehouse", "cfg.warehouse_s1", {
        "name": "South", "code": "S1", "company_id": {"$ref": "cfg.company_ac"}, "reception_steps": "two_steps",
        "delivery_steps": "pick_ship", "active": True, "resupply_wh_ids": {"$refs": ["cfg.warehouse_n1"], "$exact": True}},
        "stock.warehouse0", "warehouse S1", None, False)
    assert found["cfg.warehouse_e1"] == ("stock.warehouse", "cfg.warehouse_e1", {
        "name": "East", "code": "E1", "company_id": {"$ref": "cfg.company_ac"}, "reception_steps": "one_step",
        "delivery_steps": "ship_only", "active": True}, None, "warehouse E1", None, False)
    assert found["cfg.location_s1_stock"] == ("stock.location", "cfg.location_s1_stock", {}, "cfg.warehouse_s1/lot_stock_id",
                                              "S1 stock location", None, False)
    assert found["cfg.location_n1_stock"][3] == "cfg.warehouse_n1/lot_stock_id"
    reserve = {"reservation_method": "by_date"}
    assert picking_types(found, "n1") == {
        "cfg.picking_type_n1_in": ("stock.picking.type", "cfg.picking_type_n1_in", {}, "cfg.warehouse_n1/in_type_id", "n1 in operation type", None, False),
        "cfg.picking_type_n1_int": ("stock.picking.type", "cfg.picking_type_n1_int", {}, "cfg.warehouse_n1/int_type_id", "n1 int operation type", None, False),
        "cfg.picking_type_n1_pick": ("stock.picking.type", "cfg.picking_type_n1_pick", reserve, "cfg.warehouse_n1/pick_type_id", "n1 pick operation type", None, False),
        "cfg.picking_type_n1_pack": ("stock.picking.type", "cfg.picking_type_n1_pack", reserve, "cfg.warehouse_n1/pack_type_id", "n1 pack operation type", None, False),
        "cfg.picking_type_n1_out": ("stock.picking.type", "cfg.picking_type_n1_out", reserve, "cfg.warehouse_n1/out_type_id", "n1 out operation type", None, False),
    }
    assert {k: (v[2], v[3]) for k, v in picking_types(found, "s1").items()} == {
        "cfg.picking_type_s1_in": ({}, "cfg.warehouse_s1/in_type_id"),
        "cfg.picking_type_s1_int": ({}, "cfg.warehouse_s1/int_type_id"),
        "cfg.picking_type_s1_pick": (reserve, "cfg.warehouse_s1/pick_type_id"),
        "cfg.picking_type_s1_out": (reserve, "cfg.warehouse_s1/out_type_id"),
    }
    assert {k: (v[2], v[3]) for k, v in picking_types(found, "e1").items()} == {
        "cfg.picking_type_e1_in": ({}, "cfg.warehouse_e1/in_type_id"),
        "cfg.picking_type_e1_out": (reserve, "cfg.warehouse_e1/out_type_id"),
    }


def test_no_warehouse_takes_over_odoos_when_the_main_company_has_none():
    found = rows(compiled(companies=(ACME, BRIX), warehouses=[{"code": "n1", "name": "North", "company": "bx"}]))
    assert found["cfg.warehouse_n1"][3] is None
    assert found["cfg.picking_type_n1_out"][2] == {"reservation_method": "at_confirm"}


def test_categories_their_parent_removal_and_costing_in_each_company():
    cats = [
        {"code": "tools", "name": "Tools", "costing_method": "fifo", "valuation": "real_time"},
        {"code": "drills", "name": "Drills", "parent": "tools", "removal_strategy": "lifo"},
        {"code": "glue", "name": "Glue", "tracking": "lot", "expiry": {"expiration_days": 90}},
        {"code": "paint", "name": "Paint", "tracking": "lot", "removal_strategy": "closest", "expiry": {"expiration_days": 30}},
    ]
    state = compiled(companies=(ACME, BRIX), product_categories=cats)
    found = rows(state)
    assert found["cfg.product_category_tools"] == ("product.category", "cfg.product_category_tools", {
        "name": "Tools", "parent_id": {"$ref": "product.product_category_all"}}, None, "category tools", None, False)
    assert found["cfg.product_category_drills"][2] == {
        "name": "Drills", "parent_id": {"$ref": "cfg.product_category_tools"}, "removal_strategy_id": {"$ref": "stock.removal_lifo"}}
    assert found["cfg.product_category_glue"][2] == {
        "name": "Glue", "parent_id": {"$ref": "product.product_category_all"}, "removal_strategy_id": {"$ref": "product_expiry.removal_fefo"}}
    assert found["cfg.product_category_paint"][2]["removal_strategy_id"] == {"$ref": "stock.removal_closest"}
    assert found["cfg.product_category_tools@cfg.company_ac"] == (
        "product.category", "cfg.product_category_tools", {"property_cost_method": "fifo", "property_valuation": "real_time"},
        None, "category tools costing in ac", "cfg.company_ac", False)
    assert found["cfg.product_category_tools@cfg.company_bx"] == (
        "product.category", "cfg.product_category_tools", {"property_cost_method": "fifo", "property_valuation": "real_time"},
        None, "category tools costing in bx", "cfg.company_bx", False)
    assert found["cfg.product_category_drills@cfg.company_bx"][2] == {"property_cost_method": "standard", "property_valuation": "manual_periodic"}
    assert state.modules[-1] == "product_expiry"
    assert state.modules.count("product_expiry") == 1


def test_categories_on_odoo_19_have_no_root_and_a_renamed_periodic_valuation():
    state = compiled(19, product_categories=[{"code": "tools", "name": "Tools"}, {"code": "fifo", "name": "Fifo", "removal_strategy": "fifo"}])
    found = rows(state)
    assert found["cfg.product_category_tools"][2] == {"name": "Tools"}
    assert found["cfg.product_category_fifo"][2] == {"name": "Fifo", "removal_strategy_id": {"$ref": "stock.removal_fifo"}}
    assert found["cfg.product_category_tools@cfg.company_ac"][2] == {"property_cost_method": "standard", "property_valuation": "periodic"}
    assert "product_expiry" not in state.modules


def test_a_fefo_category_installs_product_expiry():
    state = compiled(product_categories=[{"code": "milk", "name": "Milk", "removal_strategy": "fefo"}])
    assert get(state, "cfg.product_category_milk")[2]["removal_strategy_id"] == {"$ref": "product_expiry.removal_fefo"}
    assert state.modules[-1] == "product_expiry"


def test_payment_terms_with_lines_and_an_early_discount():
    terms = [
        {"code": "net30", "name": "30 days", "lines": [{"percent": 40, "days": 0}, {"percent": 60, "days": 30}]},
        {"code": "cash", "name": "Cash discount", "early_discount": {"percent": 2, "days": 10}},
    ]
    found = rows(compiled(payment_terms=terms))
    assert found["cfg.payment_term_net30"] == ("account.payment.term", "cfg.payment_term_net30", {
        "name": "30 days", "early_discount": False, "line_ids": {"$model": "account.payment.term.line", "$lines": [
            {"value": "percent", "value_amount": 40.0, "nb_days": 0}, {"value": "percent", "value_amount": 60.0, "nb_days": 30}]},
    }, None, "payment term net30", None, False)
    assert found["cfg.payment_term_cash"][2] == {
        "name": "Cash discount", "early_discount": True, "discount_percentage": 2.0, "discount_days": 10,
        "line_ids": {"$model": "account.payment.term.line", "$lines": [{"value": "percent", "value_amount": 100.0, "nb_days": 0}]}}
    # Odoo 16 counts a line's delay in "days"
    old = rows(compiled(16, payment_terms=terms[:1]))
    assert old["cfg.payment_term_net30"][2]["line_ids"]["$lines"] == [
        {"value": "percent", "value_amount": 40.0, "days": 0}, {"value": "percent", "value_amount": 60.0, "days": 30}]


def test_pricelists_and_a_record_per_rule_named_by_what_it_applies_to():
    found = rows(compiled(
        companies=(ACME, {**BRIX, "currency": "CHF"}), product_categories=[{"code": "tools", "name": "Tools"}],
        pricelists=[
            {"code": "trade", "name": "Trade", "company": "bx", "rules": [
                {"category": "tools", "min_quantity": 2.5, "discount": 12.5},
                {"min_quantity": 10, "fixed_price": 99},
            ]},
            {"code": "web", "name": "Web", "currency": "USD", "rules": [{"discount": 5}]},
            {"code": "home", "name": "Home"},
        ]))
    assert found["cfg.pricelist_trade"] == ("product.pricelist", "cfg.pricelist_trade", {
        "name": "Trade", "currency_id": {"$ref": "base.CHF"}, "company_id": {"$ref": "cfg.company_bx"}},
        None, "pricelist trade", None, False)
    assert found["cfg.pricelist_web"][2] == {"name": "Web", "currency_id": {"$ref": "base.USD"}, "company_id": False}
    assert found["cfg.pricelist_home"][2] == {"name": "Home", "currency_id": {"$ref": "base.EUR"}, "company_id": False}
    assert found["cfg.pricelist_rule_trade_tools_2_5"] == ("product.pricelist.item", "cfg.pricelist_rule_trade_tools_2_5", {
        "pricelist_id": {"$ref": "cfg.pricelist_trade"}, "min_quantity": 2.5, "applied_on": "2_product_category",
        "categ_id": {"$ref": "cfg.product_category_tools"}, "compute_price": "percentage", "percent_price": 12.5},
        None, "pricelist trade rule", None, False)
    assert found["cfg.pricelist_rule_trade_all_10"][2] == {
        "pricelist_id": {"$ref": "cfg.pricelist_trade"}, "min_quantity": 10.0, "applied_on": "3_global",
        "compute_price": "fixed", "fixed_price": 99.0}
    assert found["cfg.pricelist_rule_web_all_0"][2] == {
        "pricelist_id": {"$ref": "cfg.pricelist_web"}, "min_quantity": 0.0, "applied_on": "3_global",
        "compute_price": "percentage", "percent_price": 5.0}
    assert sorted(k for k in found if k.startswith("cfg.pricelist_rule_")) == [
        "cfg.pricelist_rule_trade_all_10", "cfg.pricelist_rule_trade_tools_2_5", "cfg.pricelist_rule_web_all_0"]


def test_a_zero_discount_rule_is_a_percentage_rule():
    found = rows(compiled(pricelists=[{"code": "p", "name": "P", "rules": [{"discount": 0}]}]))
    assert found["cfg.pricelist_rule_p_all_0"][2]["compute_price"] == "percentage"
    assert found["cfg.pricelist_rule_p_all_0"][2]["percent_price"] == 0.0


def test_credit_defaults_and_segments():
    found = rows(compiled(credit={"default_limit": 1250.5, "segments": [
        {"code": "gold", "name": "Gold customers", "limit": 9000}, {"code": "new", "name": "New", "limit": 0}]}))
    assert found["cfg.default_credit_limit_ac"][2]["json_value"] == "1250.5"
    assert found["cfg.default_credit_limit_ac"][4] == "default credit limit in ac: 1250.5"
    assert found["cfg.partner_segment_gold"] == ("res.partner.category", "cfg.partner_segment_gold", {"name": "Gold customers"},
                                                 None, "credit segment gold", None, False)
    assert found["cfg.partner_segment_new"][2] == {"name": "New"}


ROLES = [
    {"code": "sales", "name": "Sales Desk", "groups": ["sales_team.group_sale_salesman"], "description": "Sells"},
    {"code": "ctrl", "name": "Controller", "groups": ["account.group_account_invoice", "sales_team.group_sale_salesman"]},
    {"code": "store", "name": "Store Keeper", "groups": []},
]


def role_groups(found: dict, code: str) -> list[str]:
    return found[f"cfg.role_{code}"][2]["implied_ids"]["$refs"]


def test_roles_get_the_approval_groups_they_own():
    found = rows(compiled(
        roles=ROLES,
        credit={"action": "block", "release_role": "ctrl"},
        approvals={"sales_discount_above": 15, "sales_discount_role": "sales",
                   "inventory_adjustment_above": 800, "inventory_adjustment_role": "store"},
        returns={"window_days": 30, "authorise_role": "ctrl", "return_roles": ["sales", "store"]},
        exceptions={"rush_orders": {"approver_role": "sales"}},
        crm={"customer_creation_role": "ctrl"},
    ))
    assert found["cfg.role_sales"] == ("res.groups", "cfg.role_sales", {
        "name": "Role: Sales Desk", "comment": "Sells", "implied_ids": {"$refs": [
            "cfg.group_discount_approver", "cfg.group_return_user", "cfg.group_rush_approver",
            "sales_team.group_sale_salesman"], "$exact": True}}, None, "role sales", None, False)
    assert found["cfg.role_ctrl"][2] == {
        "name": "Role: Controller", "comment": "", "implied_ids": {"$refs": [
            "account.group_account_invoice", "cfg.group_credit_release", "cfg.group_customer_creator",
            "cfg.group_return_authoriser", "sales_team.group_sale_salesman"], "$exact": True}}
    assert role_groups(found, "store") == ["cfg.group_inventory_approver", "cfg.group_return_user"]
    assert found["cfg.group_customer_creator"] == ("res.groups", "cfg.group_customer_creator",
                                                   {"name": "Acme Tools SARL: Customer Creation"}, None, "Customer Creation", None, False)


def test_approval_groups_go_to_no_role_while_their_rule_is_off():
    # the roles are named, but credit only warns and no threshold is set
    found = rows(compiled(roles=ROLES, credit={"action": "warn", "release_role": "ctrl"},
                          approvals={"sales_discount_role": "sales", "inventory_adjustment_role": "store"}))
    assert role_groups(found, "sales") == ["sales_team.group_sale_salesman"]
    assert role_groups(found, "ctrl") == ["account.group_account_invoice", "sales_team.group_sale_salesman"]
    assert role_groups(found, "store") == []
    assert found["cfg.group_credit_release"][2] == {"name": "Acme Tools SARL: Credit Release"}


def test_the_three_automation_rules_with_their_thresholds_and_approvers():
    state = compiled(
        roles=ROLES,
        credit={"action": "block", "default_limit": 500, "release_role": "ctrl",
                "segments": [{"code": "gold", "name": "Gold", "limit": 9000}, {"code": "vip", "name": "VIP", "limit": 20000}]},
        approvals={"sales_discount_above": 12.5, "sales_discount_role": "sales",
                   "inventory_adjustment_above": 800, "inventory_adjustment_role": "store"},
    )
    found = rows(state)
    assert not [k for k in AUTOMATIONS if found[f"cfg.{k}"][6]]  # none of the three retired
    sale = ({"$ref": "sale.model_sale_order"}, {"$refs": ["sale.field_sale_order__state"], "$exact": True},
            "[('state', 'in', ['draft', 'sent'])]", "[('state', '=', 'sale')]")
    move = ({"$ref": "stock.model_stock_move"}, {"$refs": ["stock.field_stock_move__state"], "$exact": True},
            "[('state', '!=', 'done')]", "[('is_inventory', '=', True), ('state', '=', 'done')]")
    expected = {
        "automation_credit_hold": ("Credit hold on sales order confirmation", sale,
                                   automation.credit_hold_code("cfg", 500.0, [("cfg.partner_segment_gold", 9000.0), ("cfg.partner_segment_vip", 20000.0)], "Controller")),
        "automation_discount_approval": ("Discount above 12.5% needs approval", sale, automation.discount_approval_code("cfg", 12.5, "Sales Desk")),
        "automation_inventory_adjustment": ("Inventory adjustment above 800 needs approval", move,
                                            automation.inventory_adjustment_code("cfg", 800.0, "Store Keeper")),
    }
    for name, (label, (model, fields, pre, post), code) in expected.items():
        assert found[f"cfg.{name}"] == ("base.automation", f"cfg.{name}", {
            "name": label, "model_id": model, "trigger": "on_create_or_write", "trigger_field_ids": fields,
            "filter_pre_domain": pre, "filter_domain": post, "active": True}, None, label, None, False)
        assert found[f"cfg.{name}_action"] == ("ir.actions.server", f"cfg.{name}_action", {
            "name": label, "model_id": model, "state": "code", "code": code, "usage": "base_automation",
            "base_automation_id": {"$ref": f"cfg.{name}"}}, None, label, None, False)
    assert "Controller" in found["cfg.automation_credit_hold_action"][2]["code"]
    assert "Sales Desk" in found["cfg.automation_discount_approval_action"][2]["code"]
    assert "Store Keeper" in found["cfg.automation_inventory_adjustment_action"][2]["code"]


def test_only_the_rules_no_longer_wanted_are_retired():
    found = rows(compiled(approvals={"sales_discount_above": 0}))
    assert found["cfg.automation_discount_approval"][6] is False
    assert found["cfg.automation_discount_approval"][4] == "Discount above 0% needs approval"
    retired = sorted(k for k, v in found.items() if v[6] and k.startswith("cfg.automation_"))
    assert retired == ["cfg.automation_credit_hold", "cfg.automation_inventory_adjustment", "cfg.automation_return_policy",
                       "cfg.automation_rush_order"]
    found = rows(compiled(approvals={"inventory_adjustment_above": 0}))
    assert found["cfg.automation_inventory_adjustment"][4] == "Inventory adjustment above 0 needs approval"
    assert found["cfg.automation_discount_approval"] == ("base.automation", "cfg.automation_discount_approval", {"active": False},
                                                         None, "automation_discount_approval no longer wanted", None, True)


def test_automation_rules_before_odoo_17_are_one_record_with_their_code():
    found = rows(compiled(16, approvals={"sales_discount_above": 20}))
    assert "cfg.automation_discount_approval_action" not in found
    assert found["cfg.automation_discount_approval"][2]["code"] == automation.discount_approval_code("cfg", 20.0, None)
    assert found["cfg.automation_discount_approval"][2]["state"] == "code"


def test_the_invoicing_policy_default():
    found = rows(compiled(invoicing={"policy": "order"}))
    assert found["cfg.default_invoice_policy"] == ("ir.default", "cfg.default_invoice_policy", {
        "field_id": {"$ref": "sale.field_product_template__invoice_policy"}, "json_value": '"order"'},
        None, "default invoicing policy: order", None, False)


def test_batch_picking_and_a_chart_change_the_modules_and_charts():
    state = compiled(inventory={"batch_picking": True}, companies=({**ACME, "localization": "fr"},))
    assert "stock_picking_batch" in state.modules
    assert state.charts == {"cfg.company_ac": "fr"}
    assert "product_expiry" not in compiled().modules


def test_merge_keeps_one_record_per_external_id_and_company_with_later_values_added():
    first = Desired("res.company", "m.c", {"name": "A", "vat": "1"}, adopt="base.main_company", label="company")
    later = Desired("res.company", "m.c", {"vat": "2", "po_lead": 1.0}, label="policies")
    other = Desired("res.company", "m.c", {"po_lead": 5.0}, label="in B", company="m.b", retire=True)
    merged = merge([first, later, other])
    assert [row(r) for r in merged] == [
        ("res.company", "m.c", {"name": "A", "vat": "2", "po_lead": 1.0}, "base.main_company", "company", None, False),
        ("res.company", "m.c", {"po_lead": 5.0}, None, "in B", "m.b", True),
    ]
    assert first.values == {"name": "A", "vat": "1"}  # the input records are not changed
    late = merge([Desired("x", "m.y", {}), Desired("x", "m.y", {}, adopt="m.z/field")])
    assert late[0].adopt == "m.z/field"


def test_the_target_version_is_odoo_18_unless_named():
    bp = Blueprint.model_validate({"companies": [ACME], "product_categories": [{"code": "tools", "name": "Tools"}]})
    state = compile_blueprint(bp, M)
    assert get(state, "account.group_account_user")[2] == {"users": many(["base.user_admin"])}
    assert get(state, "cfg.product_category_tools")[2] == {"name": "Tools", "parent_id": {"$ref": "product.product_category_all"}}


# every optional section at once: their records are named with the module's external IDs and shaped for the version
SECTIONS = {
    "companies": [{**ACME, "localization": "fr",
                   "fiscal_positions": [{"code": "eu", "name": "EU B2B", "taxes": [{"source": "s1", "destination": "d1"}]}]}],
    "warehouses": [{"code": "W1", "name": "One", "company": "ac"}],
    "manufacturing": {"assembly": [{"warehouse": "W1", "steps": 2}]},
    "landed_costs": {"products": [{"code": "freight", "name": "Freight"}]},
    "returns": {"window_days": 14, "authorise_role": "store", "quarantine": [{"warehouse": "W1", "location": "Returns"}]},
    "crm": {"teams": [{"code": "t1", "name": "Team", "company": "ac"}]},
    "maintenance": {"categories": [{"code": "fork", "name": "Forklifts"}],
                    "equipment": [{"code": "f1", "name": "F1", "category": "fork", "warehouse": "W1"}]},
    "roles": ROLES,
}


def test_every_optional_sections_records_on_odoo_18():
    state = compiled(18, **SECTIONS)
    found = rows(state)
    assert state.modules[9:] == ["crm", "maintenance", "l10n_fr_account", "mrp", "stock_landed_costs"]
    assert state.charts == {"cfg.company_ac": "fr"}
    assert found["cfg.fiscal_position_eu"][2]["tax_ids"] == {"$model": "account.fiscal.position.tax", "$lines": [
        {"tax_src_id": {"$chart": "s1", "$company": "cfg.company_ac"}, "tax_dest_id": {"$chart": "d1", "$company": "cfg.company_ac"}}]}
    # manufacturing's values join the warehouse's own record, which keeps taking over Odoo's
    assert found["cfg.warehouse_w1"][2]["manufacture_steps"] == "pbm"
    assert found["cfg.warehouse_w1"][3] == "stock.warehouse0"
    assert found["cfg.picking_type_w1_manufacture"][3] == "cfg.warehouse_w1/manu_type_id"
    assert found["cfg.landed_cost_freight"][0] == "product.template"
    assert found["cfg.quarantine_location_w1"][2]["location_id"] == {"$ref": "cfg.location_w1_view"}
    assert found["cfg.sales_team_t1"][2]["company_id"] == {"$ref": "cfg.company_ac"}
    assert found["cfg.equipment_f1"][2]["location"] == "W1/Stock"
    assert found["cfg.equipment_f1"][2]["maintenance_team_id"] == {"$ref": "cfg.maintenance_team_ac"}


def test_every_optional_sections_records_on_odoo_19():
    state = compiled(19, **SECTIONS)
    found = rows(state)
    assert state.modules[9:] == ["crm", "maintenance", "stock_maintenance", "l10n_fr_account", "mrp", "stock_landed_costs"]
    assert found["cfg.fiscal_position_eu"][2]["tax_ids"] == {"$charts": ["d1"], "$company": "cfg.company_ac"}
    assert found["cfg.equipment_f1"][2]["location_id"] == {"$ref": "cfg.location_w1_stock"}
