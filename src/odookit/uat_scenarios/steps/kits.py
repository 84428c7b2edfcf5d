"""Kits (Manufacturing): a kit product made of components, and what its delivery moved."""

from __future__ import annotations

import re

from odookit.errors import UatError
from odookit.uat_scenarios.context import create, number
from odookit.uat_scenarios.library import uat_step
from odookit.uat_scenarios.steps import flows
from odookit.uat_scenarios.steps.setup import NUM, Q

PART = re.compile(NUM.format("qty") + r" units? of " + Q.format("product"))
KIND = r"(?P<kind>pick|pack|delivery)"


def parts(text: str) -> list[tuple[float, str]]:
    """'2 units of "A", 1 unit of "B" and 3 units of "C"' -> [(2.0, "A"), (1.0, "B"), (3.0, "C")]."""
    found = [(number(m["qty"]), m["product"]) for m in PART.finditer(text)]
    rest = PART.sub("", text).replace(",", " ").replace(" and ", " ").strip()
    if not found or rest:
        raise UatError(f"cannot read the kit's components from '{text}'", fix='Write them as: 2 units of "A" and 1 unit of "B".')
    return found


def _not_stocked(major: int) -> dict:
    """A kit is a consumable: its stock is its components' (Odoo 18 dropped detailed_type for is_storable)."""
    return {"type": "consu", "is_storable": False} if major >= 18 else {"detailed_type": "consu"}


@uat_step(
    r"a kit " + Q.format("name") + r" in category " + Q.format("category") + r" priced at " + NUM.format("price")
    + r" made of (?P<components>.+)",
    example='a kit "Tile set" in category "CAT1" priced at 40 made of 2 units of "Tile" and 1 unit of "Grout"',
    area="set-up",
    doc="Create a kit product with its kit bill of materials (mrp.bom type phantom, for one kit): sold and shipped, "
        "it moves its components. The components are products set up earlier in the scenario.",
)
def kit(uat, name, category, price, components):
    _, cat_id = uat.category(category)
    wanted = [(qty, uat.product(product)) for qty, product in parts(components)]
    tmpl = create(uat.admin, "product.template", [{
        "name": uat.name(name), "default_code": uat.code(name), "categ_id": cat_id, **_not_stocked(uat.admin.info.major),
        "list_price": number(price), "invoice_policy": uat.run.blueprint.invoicing.policy, "sale_ok": True, "purchase_ok": False,
        "taxes_id": [(6, 0, [])], "supplier_taxes_id": [(6, 0, [])],
    }])[0]
    bom = create(uat.admin, "mrp.bom", [{"product_tmpl_id": tmpl, "type": "phantom", "product_qty": 1.0,
                                         "bom_line_ids": [(0, 0, {"product_id": pid, "product_qty": qty}) for qty, pid in wanted]}])[0]
    pid = uat.admin.search("product.product", [("product_tmpl_id", "=", tmpl)])[0]
    uat.remember("product", name, pid)
    uat.product_category[name] = category
    uat.touch("product.product", pid)
    uat.touch("mrp.bom", bom, "kit bill of materials")


@uat_step(
    r"the " + KIND + r" of the order moved " + NUM.format("qty") + r" units? of " + Q.format("product"),
    example='the delivery of the order moved 8 units of "Tile"',
    area="assertions",
    doc="The quantity of a product the order's done pick, pack or delivery transfers moved (a kit's components, 0 for the kit itself).",
)
def moved(uat, kind, qty, product):
    pid = uat.product(product)
    pickings = [p for p in flows.order_pickings(uat, uat.need("order", uat.order_hint)) if flows.kind_of(uat, p) == kind]
    if not pickings:
        raise AssertionError(f"the order has no {kind} transfer")
    done = uat.admin.search_read("stock.move", [("picking_id", "in", [p["id"] for p in pickings]), ("product_id", "=", pid),
                                                ("state", "=", "done")], ["quantity"])
    uat.touch("stock.picking", [p["id"] for p in pickings])
    flows.expect_quantity(sum(m["quantity"] for m in done), qty, f'quantity of "{product}" the {kind} moved')
