"""Kits and assembly (Manufacturing): a kit made of components and what its delivery moved; a product
assembled from components in a warehouse's manufacturing operation."""

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


@uat_step(
    Q.format("product") + r" is assembled from (?P<components>.+)",
    example='"Mounting kit" is assembled from 4 units of "Anchor" and 2 units of "Threaded rod"',
    area="set-up",
    doc="Give a product set up earlier a bill of materials to assemble it from (mrp.bom of type normal, for one unit).",
)
def assembled_from(uat, product, components):
    pid = uat.product(product)
    tmpl = uat.admin.read("product.product", [pid], ["product_tmpl_id"])[0]["product_tmpl_id"][0]
    lines = [(0, 0, {"product_id": uat.product(name), "product_qty": qty}) for qty, name in parts(components)]
    bom = create(uat.admin, "mrp.bom", [{"product_tmpl_id": tmpl, "type": "normal", "product_qty": 1.0, "bom_line_ids": lines}])[0]
    uat.touch("mrp.bom", bom, "bill of materials")


def _open_transfers(uat, production: int) -> list[int]:
    ids = uat.admin.read("mrp.production", [production], ["picking_ids"])[0]["picking_ids"]
    return sorted(p["id"] for p in uat.admin.read("stock.picking", ids, ["state"]) if p["state"] not in ("done", "cancel")) if ids else []


@uat_step(
    r"I assemble " + NUM.format("qty") + r" units? of " + Q.format("product") + r" in (?:warehouse )?" + Q.format("warehouse"),
    example='I assemble 5 units of "Mounting kit" in warehouse "WH1"',
    area="warehouse",
    doc="As the acting user, a manufacturing order in the warehouse's Manufacturing operation, confirmed; the components "
        "picked first when the warehouse assembles in 2 or 3 steps; produced in full and marked done; the product stored after.",
)
def assemble(uat, qty, product, warehouse):
    pid = uat.product(product)
    wh = uat.admin.read("stock.warehouse", [uat.warehouse(warehouse)], ["manu_type_id"])[0]["manu_type_id"]
    active = wh and uat.admin.search("stock.picking.type", [("id", "=", wh[0]), ("active", "=", True)])
    if not active:
        raise UatError(f'warehouse "{warehouse}" has no active manufacturing operation on the target',
                       fix="List it under manufacturing.assembly in blueprints/ and run `odookit blueprint apply`.")
    row = uat.admin.read("product.product", [pid], ["product_tmpl_id", "uom_id"])[0]
    boms = uat.admin.search("mrp.bom", [("product_tmpl_id", "=", row["product_tmpl_id"][0]), ("type", "=", "normal")], limit=1)
    if not boms:
        raise UatError(f'"{product}" has no bill of materials to assemble it from',
                       fix=f'Add a step before: Given "{product}" is assembled from 2 units of "Part"')
    mo = create(uat.gw, "mrp.production", [{"product_id": pid, "product_qty": number(qty), "product_uom_id": row["uom_id"][0],
                                            "bom_id": boms[0], "picking_type_id": wh[0]}])[0]
    uat.current["production"] = mo
    uat.touch("mrp.production", mo)
    uat.gw.execute("mrp.production", "action_confirm", ids=[mo])
    for picking in _open_transfers(uat, mo):  # pick components (2 and 3 steps)
        flows.validate(uat, picking)
    uat.gw.execute("mrp.production", "action_assign", ids=[mo])
    answer = uat.gw.execute("mrp.production", "button_mark_done", ids=[mo])
    state = uat.admin.read("mrp.production", [mo], ["state", "name"])[0]
    if state["state"] != "done":
        wizard = answer.get("res_model") if isinstance(answer, dict) else None
        raise UatError(f"manufacturing order {state['name']} is '{state['state']}' after Produce"
                       + (f" (Odoo asked {wizard})" if wizard else ""))
    for picking in _open_transfers(uat, mo):  # store the product (3 steps)
        flows.validate(uat, picking)


@uat_step(
    r"the assembly order (?:is done|moved " + NUM.format("qty") + r" units? of " + Q.format("product") + r")",
    example='the assembly order moved 20 units of "Anchor"',
    area="assertions",
    doc="The last manufacturing order is done, or consumed (components) or produced this quantity of a product.",
)
def assembly_order(uat, qty=None, product=None):
    mo = uat.need("production", 'When I assemble 5 units of "Product" in warehouse "WH1"')
    row = uat.admin.read("mrp.production", [mo], ["state", "name", "move_raw_ids", "move_finished_ids"])[0]
    if row["state"] != "done":
        raise AssertionError(f"manufacturing order {row['name']} is '{row['state']}', not done")
    if product is not None:
        moves = uat.admin.read("stock.move", row["move_raw_ids"] + row["move_finished_ids"], ["product_id", "quantity", "state"])
        moved = sum(m["quantity"] for m in moves if m["product_id"][0] == uat.product(product) and m["state"] == "done")
        flows.expect_quantity(moved, qty, f'quantity of "{product}" the assembly order moved')
