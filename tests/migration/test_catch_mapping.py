"""Workbook rows reach Odoo with the values the blueprint and the sheet give them, read back typed.

Loaded into the in-memory stand-in, whose field catalogue types values as
a real Odoo 18 does (floats, selections, many2one pairs). Each test was
checked by breaking its mapping by hand (docs/testing.md).
"""

from __future__ import annotations

import datetime as dt

import pytest

from odookit.migration.load import load_workspace
from odookit.odoo.memory import MemoryGateway
from odookit.workspace import Workspace

M = "nis_config"


def blueprint_odoo(version: str = "18.0") -> MemoryGateway:
    """What `blueprint apply` leaves for the migration to refer to (records with the blueprint's external IDs)."""
    gw = MemoryGateway(version=version)
    for model, xmlid, name in (
        ("res.country", "base.us", "United States"),
        ("uom.uom", "uom.product_uom_unit", "Units"),
        ("res.partner.category", f"{M}.partner_segment_key", "Key Account"),
        ("res.partner.category", f"{M}.partner_segment_oem", "OEM Account"),
        ("product.category", f"{M}.product_category_brg", "Bearings"),
        ("product.category", f"{M}.product_category_fast", "Fasteners"),
        ("product.category", f"{M}.product_category_tool", "Tools"),
        ("product.pricelist", f"{M}.pricelist_contract_a", "Contract A"),
        ("stock.warehouse", f"{M}.warehouse_chi", "Chicago"),
        ("stock.location", f"{M}.location_chi_stock", "CHI/Stock"),
    ):
        gw.seed(model, {"name": name}, xmlid)
    return gw


def load(mig_ws, book, sheets: dict, gw: MemoryGateway | None = None):
    book(mig_ws / "migration" / "data.xlsx", sheets)
    gw = gw or blueprint_odoo()
    report = load_workspace(Workspace.find(mig_ws), "dev", gateway=gw)
    assert not report.rejects, [r.message for r in report.rejects]
    return gw, report


def live(gw: MemoryGateway, xmlid: str, fields: list[str]) -> dict:
    model, rid = gw.resolve_xmlids([xmlid])[xmlid]
    row = gw.read(model, [rid], fields)[0]
    row.pop("id")
    return row


PRODUCTS = ["sku", "name", "category", "sale_price"]


def test_a_category_defined_in_the_workbook_keeps_its_parent(mig_ws, book):
    gw, _ = load(mig_ws, book, {"categories": [["code", "name", "parent"], ["BRG_BALL", "Ball bearings", "BRG"]]})
    assert live(gw, f"{M}.product_category_brg_ball", ["name", "parent_id"]) == {
        "name": "Ball bearings", "parent_id": [gw.resolve_xmlids([f"{M}.product_category_brg"])[f"{M}.product_category_brg"][1], "Bearings"]}


def test_a_pricelist_item_carries_its_fixed_price_and_quantity(mig_ws, book):
    gw, _ = load(mig_ws, book, {
        "products": [PRODUCTS, ["BRG-100", "Ball bearing", "BRG", 12.5]],
        "pricelist_items": [["pricelist", "sku", "min_qty", "price"], ["CONTRACT_A", "BRG-100", 10, 9.75]],
    })
    item = live(gw, f"{M}.pricelist_item_contract_a_brg_100_10", ["fixed_price", "min_quantity", "compute_price", "applied_on"])
    assert item == {"fixed_price": 9.75, "min_quantity": 10.0, "compute_price": "fixed", "applied_on": "0_product_variant"}


def test_a_customer_without_its_own_limit_gets_its_segments_limit(mig_ws, book):
    head = ["code", "name", "country", "segment", "credit_limit"]
    gw, _ = load(mig_ws, book, {"customers": [head, ["000001", "Acme", "US", "KEY", None], ["000002", "Bolt", "US", "OEM", 1200],
                                               ["000003", "Cog", "US", "KEY", 0]]})
    limits = [live(gw, f"{M}.customer_00000{i}", ["credit_limit"])["credit_limit"] for i in (1, 2, 3)]
    assert limits == [50000.0, 1200.0, 0.0], "KEY's blueprint limit; the row's own; a zero the client wrote"


def test_a_product_without_tracking_takes_its_categorys(mig_ws, book):
    gw, _ = load(mig_ws, book, {"products": [[*PRODUCTS, "tracking"], ["BRG-100", "Ball bearing", "BRG", 12.5, None],
                                              ["TOOL-1", "Torque wrench", "TOOL", 80, None], ["FAST-1", "Bolt", "FAST", 0.1, None],
                                              ["BRG-200", "Loose bearing", "BRG", 3, "none"]]})
    tracking = [live(gw, f"{M}.product_{sku}", ["tracking"])["tracking"] for sku in ("brg_100", "tool_1", "fast_1", "brg_200")]
    assert tracking == ["lot", "serial", "none", "none"]


@pytest.mark.parametrize(("version", "expected"), [
    ("18.0", {"type": "consu", "is_storable": True}),
    ("17.0", {"detailed_type": "product"}),
    ("16.0", {"detailed_type": "product"}),
])
def test_a_storable_product_is_storable_in_each_version(mig_ws, book, version, expected):
    """Odoo 18 folded storable into goods with an is_storable flag; 16 and 17 had detailed_type 'product'."""
    gw, _ = load(mig_ws, book, {"products": [[*PRODUCTS, "type"], ["BRG-100", "Ball bearing", "BRG", 12.5, "storable"],
                                              ["SRV-1", "Fitting", "FAST", 50, "service"]]}, blueprint_odoo(version))
    assert live(gw, f"{M}.product_brg_100", list(expected)) == expected
    service = live(gw, f"{M}.product_srv_1", list(expected))
    assert service == ({"type": "service", "is_storable": False} if version == "18.0" else {"detailed_type": "service"})


def test_a_date_cell_reaches_odoo_as_that_day(mig_ws, book):
    head = ["supplier", "sku", "min_qty", "price", "valid_from"]
    gw, _ = load(mig_ws, book, {
        "suppliers": [["code", "name", "country"], ["S0001", "Bearings Inc", "US"]],
        "products": [PRODUCTS, ["BRG-100", "Ball bearing", "BRG", 12.5]],
        "supplier_prices": [head, ["S0001", "BRG-100", 1, 7.5, dt.datetime(2025, 3, 1)], ["S0001", "BRG-100", 10, 7.0, None]],
    })
    prices = gw.all("product.supplierinfo")
    assert sorted((p["price"], p.get("date_start")) for p in prices) == [(7.0, False), (7.5, "2025-03-01")]
