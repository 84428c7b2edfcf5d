"""Each sheet's row mapping, called directly: the exact ``load()`` row for a row and a context.

Fast on purpose (no workbook, no validation run): the mutation benchmark runs
them first for each mutant of ``migration/entities.py``. The workbook-driven
tests (test_catch_mapping.py) show the same rows reaching the stand-in.
"""

from __future__ import annotations

import datetime as dt

import pytest

from odookit.errors import MigrationError
from odookit.migration.entities import BY_NAME, MapContext, entity, text

M = "acme"
ADDRESS = {"street": "1 Main St", "city": "Springfield", "zip": "02134", "country": "us", "email": "ap@acme.example",
           "phone": "+1 312 555 0100"}
MAPPED_ADDRESS = {"street": "1 Main St", "city": "Springfield", "zip": "02134", "country_id/id": "base.us",
                  "email": "ap@acme.example", "phone": "+1 312 555 0100"}
EMPTY_ADDRESS = {"street": "", "city": "", "zip": "", "country_id/id": "", "email": "", "phone": ""}


def mapped(name: str, row: dict, **context) -> dict:
    return BY_NAME[name].to_load(row, MapContext(M, **context))


@pytest.mark.parametrize(("value", "expected"), [
    (None, ""), (float("nan"), ""), (5.0, "5"), (12.5, "12.5"), (0.1, "0.1"), (7, "7"), (" Bolt ", "Bolt"),
    (dt.datetime(2025, 3, 1, 14, 30), "2025-03-01"), (dt.date(2024, 12, 31), "2024-12-31"), (True, "True"),
])
def test_a_cell_becomes_the_text_load_reads(value, expected):
    assert text(value) == expected


def test_a_customer_row_with_its_own_limit_and_every_reference():
    row = {"code": "C-7", "name": " Acme ", "vat": "DE123", **ADDRESS, "segment": "KEY", "credit_limit": 2500.5,
           "payment_term": "NET30", "pricelist": "LIST", "fiscal_position": "EU B2B"}
    assert mapped("customers", row, segment_limits={"KEY": 50000.0}, default_limit=100.0) == {
        "id": f"{M}.customer_c_7", "name": "Acme", "ref": "C-7", "is_company": "1", "customer_rank": "1", "vat": "DE123",
        **MAPPED_ADDRESS, "category_id/id": f"{M}.partner_segment_key", "credit_limit": "2500.5",
        "property_payment_term_id/id": f"{M}.payment_term_net30", "property_product_pricelist/id": f"{M}.pricelist_list",
        "property_account_position_id/id": f"{M}.fiscal_position_eu_b2b"}


@pytest.mark.parametrize("limit", [None, "", float("nan")], ids=["none", "empty", "nan"])
def test_a_customer_without_a_limit_gets_its_segments_or_the_default(limit):
    base = {"code": "1", "name": "A", "credit_limit": limit}
    assert mapped("customers", {**base, "segment": "KEY"}, segment_limits={"KEY": 50000.0}, default_limit=100.0)["credit_limit"] == "50000"
    assert mapped("customers", {**base, "segment": "OEM"}, segment_limits={"KEY": 50000.0}, default_limit=100.0)["credit_limit"] == "100"
    bare = mapped("customers", base, default_limit=0.0)
    assert {k: bare[k] for k in ("credit_limit", "category_id/id", "vat", "property_payment_term_id/id", "property_product_pricelist/id",
                                 "property_account_position_id/id")} == {
        "credit_limit": "0", "category_id/id": "", "vat": "", "property_payment_term_id/id": "", "property_product_pricelist/id": "",
        "property_account_position_id/id": ""}
    assert {k: bare[k] for k in EMPTY_ADDRESS} == EMPTY_ADDRESS


def test_a_contact_row_belongs_to_its_customer_and_is_a_contact_by_default():
    assert mapped("contacts", {"code": "K1", "customer": "C-7", "name": "Jo", **ADDRESS}) == {
        "id": f"{M}.contact_k1", "parent_id/id": f"{M}.customer_c_7", "type": "contact", "name": "Jo", **MAPPED_ADDRESS}
    assert mapped("contacts", {"code": "K2", "customer": "C-7", "name": "Ship", "type": "delivery"})["type"] == "delivery"


def test_a_supplier_row():
    assert mapped("suppliers", {"code": "S1", "name": "Bearings Inc", "vat": "US1", **ADDRESS, "payment_term": "NET60"}) == {
        "id": f"{M}.supplier_s1", "name": "Bearings Inc", "ref": "S1", "is_company": "1", "supplier_rank": "1", "vat": "US1",
        **MAPPED_ADDRESS, "property_supplier_payment_term_id/id": f"{M}.payment_term_net60"}
    assert mapped("suppliers", {"code": "S2", "name": "B"})["property_supplier_payment_term_id/id"] == ""


def test_a_category_row_with_and_without_a_parent():
    assert mapped("categories", {"code": "BB", "name": "Ball bearings", "parent": "BRG"}) == {
        "id": f"{M}.product_category_bb", "name": "Ball bearings", "parent_id/id": f"{M}.product_category_brg"}
    assert mapped("categories", {"code": "BRG", "name": "Bearings"})["parent_id/id"] == ""


PRODUCT = {"sku": "BRG-100", "name": "Ball bearing", "barcode": "4006381333931", "category": "BRG", "uom": "Dozens", "tracking": "serial",
           "sale_price": 12.5, "cost": 7, "weight": 0.25, "invoice_policy": "order"}


def test_a_product_row_on_each_version():
    full = {"id": f"{M}.product_brg_100", "name": "Ball bearing", "default_code": "BRG-100", "barcode": "4006381333931",
            "type": "consu", "is_storable": "1", "categ_id/id": f"{M}.product_category_brg", "uom_id/id": "uom.product_uom_dozen",
            "uom_po_id/id": "uom.product_uom_dozen", "tracking": "serial", "list_price": "12.5", "standard_price": "7", "weight": "0.25",
            "invoice_policy": "order", "sale_ok": "1", "purchase_ok": "1"}
    assert mapped("products", PRODUCT) == full
    assert mapped("products", PRODUCT, major=19) == {k: v for k, v in full.items() if k != "uom_po_id/id"}
    older = {k: v for k, v in full.items() if k not in ("type", "is_storable")}
    assert mapped("products", PRODUCT, major=17) == {**older, "detailed_type": "product"}


def test_a_product_row_with_empty_cells_takes_the_defaults():
    row = {"sku": "X1", "name": "Bolt", "category": "FAST", "uom": "furlongs"}
    assert mapped("products", row, invoice_policy="delivery", category_tracking={"FAST": "lot"}) == {
        "id": f"{M}.product_x1", "name": "Bolt", "default_code": "X1", "barcode": "", "type": "consu", "is_storable": "1",
        "categ_id/id": f"{M}.product_category_fast", "uom_id/id": "uom.product_uom_unit", "uom_po_id/id": "uom.product_uom_unit",
        "tracking": "lot", "list_price": "0", "standard_price": "0", "weight": "0", "invoice_policy": "delivery", "sale_ok": "1",
        "purchase_ok": "1"}
    assert mapped("products", {**row, "uom": None, "type": "service"})["uom_id/id"] == "uom.product_uom_unit"
    assert mapped("products", {**row, "type": "service"})["type"] == "service"
    assert mapped("products", row)["tracking"] == "none"


def test_a_product_of_an_expiry_category_carries_its_days_and_the_others_zero():
    expiry = {"ADH": (365, 300, 330, 30)}
    assert {k: v for k, v in mapped("products", {**PRODUCT, "category": "ADH"}, category_expiry=expiry).items()
            if k.endswith("_time") or k == "use_expiration_date"} == {
        "use_expiration_date": "1", "expiration_time": "365", "use_time": "300", "removal_time": "330", "alert_time": "30"}
    assert {k: v for k, v in mapped("products", PRODUCT, category_expiry=expiry).items() if k.endswith("_time") or k == "use_expiration_date"} == {
        "use_expiration_date": "0", "expiration_time": "0", "use_time": "0", "removal_time": "0", "alert_time": "0"}


def test_a_supplier_price_row_names_the_template_and_takes_the_default_lead_time():
    row = {"supplier": "S1", "sku": "BRG-100", "min_qty": 10, "price": 7.5, "lead_days": 3, "valid_from": dt.datetime(2025, 3, 1)}
    assert mapped("supplier_prices", row, supplier_lead_days=9) == {
        "id": f"{M}.supplier_price_s1_brg_100_10", "partner_id/id": f"{M}.supplier_s1",
        "product_tmpl_id/id": f"{M}.product_brg_100_product_template", "product_id/id": f"{M}.product_brg_100", "min_qty": "10",
        "price": "7.5", "delay": "3", "date_start": "2025-03-01"}
    bare = mapped("supplier_prices", {"supplier": "S1", "sku": "B", "price": 1}, supplier_lead_days=9)
    assert (bare["id"], bare["min_qty"], bare["delay"], bare["date_start"]) == (f"{M}.supplier_price_s1_b_0", "0", "9", "")
    assert [mapped("supplier_prices", {"supplier": "S1", "sku": "B", "price": 1, "lead_days": v}, supplier_lead_days=9)["delay"]
            for v in ("", float("nan"), 0)] == ["9", "9", "0"]


def test_a_pricelist_item_row_is_a_fixed_price_for_a_variant_from_a_quantity():
    assert mapped("pricelist_items", {"pricelist": "LIST", "sku": "BRG-100", "min_qty": 50, "price": 9.75}) == {
        "id": f"{M}.pricelist_item_list_brg_100_50", "pricelist_id/id": f"{M}.pricelist_list", "applied_on": "0_product_variant",
        "product_id/id": f"{M}.product_brg_100", "compute_price": "fixed", "min_quantity": "50", "fixed_price": "9.75"}
    bare = mapped("pricelist_items", {"pricelist": "LIST", "sku": "B", "price": 1})
    assert (bare["id"], bare["min_quantity"]) == (f"{M}.pricelist_item_list_b_0", "0")


def test_an_opening_stock_row_with_and_without_lot_and_location():
    assert mapped("opening_stock", {"warehouse": "WH", "sku": "BRG-100", "lot": "L 1", "quantity": 2.5, "location": "WH/Stock/Shelf 1"}) == {
        "product_id/id": f"{M}.product_brg_100", "location_id/id": f"{M}.location_wh_stock", "location": "WH/Stock/Shelf 1",
        "lot_id/id": f"{M}.lot_brg_100_l_1", "inventory_quantity": "2.5"}
    bare = mapped("opening_stock", {"warehouse": "WH", "sku": "B", "quantity": 4})
    assert (bare["location"], bare["lot_id/id"], bare["inventory_quantity"]) == ("", "", "4")


REORDER = {("WH", "BRG"): (5.0, 50.0), ("WH", None): (1.0, 10.0), ("EU", "TOP"): (7.0, 70.0)}


def test_a_reorder_rule_row_takes_its_category_or_a_parents_limits_then_the_warehouses():
    context = {"reorder_limits": REORDER, "reorder_default": (0.0, 3.0), "category_parent": {"BB": "BRG", "TOP": "TOP"},
               "product_category": {"P-BB": "BB", "P-BRG": "BRG", "P-X": "FAST", "P-TOP": "TOP"}}
    assert mapped("reorder_rules", {"warehouse": "WH", "sku": "P-BB", "multiple": 6}, **context) == {
        "id": f"{M}.reorder_rule_wh_p_bb", "warehouse_id/id": f"{M}.warehouse_wh", "location_id/id": f"{M}.location_wh_stock",
        "product_id/id": f"{M}.product_p_bb", "product_min_qty": "5", "product_max_qty": "50", "qty_multiple": "6", "trigger": "auto"}
    limits = [(r["product_min_qty"], r["product_max_qty"]) for r in (
        mapped("reorder_rules", {"warehouse": "WH", "sku": "P-BRG"}, **context),
        mapped("reorder_rules", {"warehouse": "WH", "sku": "P-X"}, **context),
        mapped("reorder_rules", {"warehouse": "US", "sku": "P-BB"}, **context),
        mapped("reorder_rules", {"warehouse": "US", "sku": "P-TOP"}, **context),  # a category its own parent: no endless loop
        mapped("reorder_rules", {"warehouse": "WH", "sku": "P-BB", "min_qty": 2, "max_qty": 0}, **context))]
    assert limits == [("5", "50"), ("1", "10"), ("0", "3"), ("0", "3"), ("2", "0")]
    assert mapped("reorder_rules", {"warehouse": "WH", "sku": "P-X"}, **context)["qty_multiple"] == "1"
    assert "qty_multiple" not in mapped("reorder_rules", {"warehouse": "WH", "sku": "P-X"}, major=19, **context)


def test_an_entity_names_the_load_fields_its_columns_feed_and_its_external_ids():
    customers = BY_NAME["customers"]
    assert customers.fields_of(["segment", "name"]) == {"category_id/id", "name", "name/id"}
    assert customers.column("credit_limit").kind == "number"
    assert customers.column_names[:3] == ["code", "name", "vat"]
    assert BY_NAME["supplier_prices"].xmlid({"supplier": "S1", "sku": "B-1", "min_qty": 5}, MapContext(M)) == f"{M}.supplier_price_s1_b_1_5"


def test_an_unknown_entity_is_one_line_with_the_closest_name_or_the_known_ones():
    assert entity("customers") is BY_NAME["customers"]
    with pytest.raises(MigrationError) as info:
        entity("customer")
    assert info.value.line() == "unknown entity 'customer'. Did you mean 'customers'?"
    with pytest.raises(MigrationError) as info:
        entity("zzz")
    assert info.value.line() == f"unknown entity 'zzz'. Known entities: {', '.join(BY_NAME)}."
