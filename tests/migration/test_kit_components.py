"""The kit_components sheet: validation findings at sheet/row/column, load as kit bills of materials.

The in-memory gateway stands in for load(), search and external IDs only; what a kit does in a
delivery is tested against a real Odoo (generated UAT).
"""

from __future__ import annotations

import pytest

from odookit.errors import MigrationError
from odookit.migration.entities import entity
from odookit.migration.kit_components import kit_rows
from odookit.migration.load import load_workspace
from odookit.migration.rules import map_context, validate_workspace
from odookit.workspace import Workspace

PRODUCTS = [["sku", "name", "category", "type"], ["K-100", "Tile set", "FAST", "consumable"], ["P-1", "Tile", "FAST", None],
            ["P-2", "Grout", "FAST", None], ["SVC-1", "Laying service", "FAST", "service"]]
KITS = [["kit", "component", "quantity", "uom"], ["K-100", "P-1", 12, None], ["K-100", "P-2", 0.5, "kg"]]


def _book(neutral_ws, book, kits=KITS):
    book(neutral_ws / "migration" / "kits.xlsx", {"products": PRODUCTS, "kit_components": kits})
    return Workspace.find(neutral_ws)


def _with_mrp(memory):
    for model in ("mrp.bom", "mrp.bom.line"):
        memory.seed("ir.model", {"model": model, "name": model})
    memory.seed("product.category", {"name": "Fasteners"}, "nis_config.product_category_fast")
    for xid in ("uom.product_uom_unit", "uom.product_uom_kgm"):
        memory.seed("uom.uom", {"name": xid}, xid)
    return memory


def test_a_component_that_is_not_a_product_the_kit_itself_or_a_service_is_located(neutral_ws, book):
    ws = _book(neutral_ws, book, KITS + [["K-100", "P-404", 1, None], ["K-100", "K-100", 1, None], ["K-100", "SVC-1", 1, None],
                                     ["K-100", "P-1", 2, None], ["K-100", "P-2", 0, None]])
    lines = [f.line() for f in validate_workspace(ws).findings if f.entity == "kit_components"]
    dup = "error: kit + component appears more than once [unique]"  # both rows of a pair are marked
    assert lines == [
        f"kits.xlsx sheet kit_components, row 2, column kit (A2): {dup}",
        f"kits.xlsx sheet kit_components, row 3, column kit (A3): {dup}",
        "kits.xlsx sheet kit_components, row 4, column component (B4): error: 'P-404' is not in the products sheet [reference]",
        "kits.xlsx sheet kit_components, row 5, column component (B5): error: 'K-100' is the kit itself: a kit is made of other products [reference]",
        "kits.xlsx sheet kit_components, row 6, column component (B6): error: 'SVC-1' is a service in the products sheet, not a product: "
        "a kit's delivery moves its components, so each must be storable or consumable [reference]",
        f"kits.xlsx sheet kit_components, row 7, column kit (A7): {dup}",
        f"kits.xlsx sheet kit_components, row 8, column kit (A8): {dup}",
        "kits.xlsx sheet kit_components, row 8, column quantity (C8): error: 0 is outside 0.0001..1e+06 [range]",
    ]


def test_rows_map_to_bom_lines_and_each_kit_to_one_phantom_bill(neutral_ws, book):
    ctx = map_context(None, "kb")
    spec = entity("kit_components")
    assert spec.to_load({"kit": "K-100", "component": "P-2", "quantity": 0.5, "uom": "kg"}, ctx) == {
        "id": "kb.kit_component_k_100_p_2", "bom_id/id": "kb.kit_k_100", "product_id/id": "kb.product_p_2",
        "product_qty": "0.5", "product_uom_id/id": "uom.product_uom_kgm"}
    rows, wheres = kit_rows([{"kit": "K-100", "_where": ("f", "s", 2)}, {"kit": "K-100", "_where": ("f", "s", 3)},
                             {"kit": "K-200", "_where": ("f", "s", 4)}], ctx)
    assert rows == [{"id": "kb.kit_k_100", "product_tmpl_id/id": "kb.product_k_100_product_template", "type": "phantom", "product_qty": "1"},
                    {"id": "kb.kit_k_200", "product_tmpl_id/id": "kb.product_k_200_product_template", "type": "phantom", "product_qty": "1"}]
    assert wheres == [("f", "s", 2), ("f", "s", 4)]


def test_load_makes_the_bills_then_their_lines_and_a_second_load_writes_nothing(neutral_ws, memory, book):
    ws = _book(neutral_ws, book, KITS)
    gw = _with_mrp(memory)
    report = load_workspace(ws, "dev", gateway=gw)
    assert not report.rejects, [r.message for r in report.rejects]
    kit = gw.resolve_xmlids(["nis_config.kit_k_100"])["nis_config.kit_k_100"][1]
    template = gw.resolve_xmlids(["nis_config.product_k_100_product_template"])["nis_config.product_k_100_product_template"][1]
    assert gw.read("mrp.bom", [kit], ["type", "product_tmpl_id", "product_qty"])[0] | {"product_tmpl_id": None} == {
        "id": kit, "type": "phantom", "product_tmpl_id": None, "product_qty": 1.0}
    assert gw.read("mrp.bom", [kit], ["product_tmpl_id"])[0]["product_tmpl_id"][0] == template
    lines = gw.search_read("mrp.bom.line", [("bom_id", "=", kit)], ["product_id", "product_qty"])
    assert sorted((ln["product_id"][0], ln["product_qty"]) for ln in lines) == sorted(
        [(gw.resolve_xmlids([f"nis_config.product_{p}"])[f"nis_config.product_{p}"][1], q) for p, q in (("p_1", 12.0), ("p_2", 0.5))])
    stats = {e.entity: (e.created, e.updated, e.unchanged) for e in report.entities}
    assert stats["kit_components"] == (2, 0, 0)
    again = load_workspace(ws, "dev", gateway=gw)
    assert {e.entity: (e.created, e.updated, e.unchanged) for e in again.entities}["kit_components"] == (0, 0, 2)
    assert len(gw.all("mrp.bom")) == 1 and len(gw.all("mrp.bom.line")) == 2


def test_a_target_without_manufacturing_is_refused_before_a_kit_is_sent(neutral_ws, memory, book):
    ws = _book(neutral_ws, book, KITS)
    memory.seed("product.category", {"name": "Fasteners"}, "nis_config.product_category_fast")
    with pytest.raises(MigrationError) as err:
        load_workspace(ws, "dev", gateway=memory, entities=["kit_components"])
    assert err.value.line() == ("the kit_components sheet needs Manufacturing (mrp), which is not installed on database memory; nothing of it was loaded. "
                                "Add a manufacturing: section to blueprints/ and run `odookit blueprint apply` first.")
    assert memory.round_trips("load") == 0
