"""Landed costs: freight, duty or insurance posted on a receipt, and the unit cost it leaves."""

from __future__ import annotations

from odookit.errors import OdooAccessDenied, OdooRejected, UatError
from odookit.uat_scenarios.context import create, number, write
from odookit.uat_scenarios.library import uat_step
from odookit.uat_scenarios.steps import flows
from odookit.uat_scenarios.steps.setup import NUM, Q


def landed_cost_product(uat, name: str) -> tuple[int, str]:
    """The blueprint's landed cost product (by code or name) on the target: (product id, split method)."""
    costs = uat.run.blueprint.landed_costs
    folded = name.strip().casefold()
    entry = next((p for p in (costs.products if costs else []) if folded in (p.code.casefold(), p.name.casefold())), None)
    if entry is None:
        known = ", ".join(p.code for p in (costs.products if costs else [])) or "none"
        raise UatError(f'landed cost "{name}" is not in the blueprint (landed_costs.products: {known})', fix="Use a landed cost code from blueprints/.")
    xid = f"{uat.run.module}.landed_cost_{entry.code.lower()}"
    found = uat.admin.resolve_xmlids([xid]).get(xid)
    if not found:
        raise UatError(f"landed cost {entry.code} of the blueprint is not configured on the target ({xid} not found)",
                       fix="Run `odookit blueprint apply -t TARGET` first.")
    row = uat.admin.read("product.template", [found[1]], ["product_variant_id", "split_method_landed_cost"])[0]
    return row["product_variant_id"][0], row["split_method_landed_cost"]


def done_receipts(uat) -> list[int]:
    """The purchase order's done transfers from the supplier: the moves a landed cost is added to."""
    purchase = uat.need("purchase", uat.purchase_hint)
    pickings = flows.order_pickings(uat, purchase, "purchase.order")
    types = {p["picking_type_id"][0] for p in pickings}
    incoming = {t["id"] for t in uat.admin.read("stock.picking.type", sorted(types), ["code"]) if t["code"] == "incoming"}
    ids = sorted(p["id"] for p in pickings if p["state"] == "done" and p["picking_type_id"][0] in incoming)
    if not ids:
        raise UatError("the purchase order has no done receipt yet", fix="Add a step before: When I receive the purchase order in full")
    return ids


@uat_step(
    r"I add " + NUM.format("qty") + r" units? of " + Q.format("product") + r"(?: at " + NUM.format("price") + r"(?: each)?)? to the purchase order",
    example='I add 10 units of "Gadget" at 20.00 to the purchase order',
    area="procurement",
    doc="Add a line to the current request for quotation as the acting user (a receipt of several products, over which a landed cost is split).",
)
def add_purchase_line(uat, qty, product, price=None):
    purchase = uat.need("purchase", uat.purchase_hint)
    line = {"order_id": purchase, "product_id": uat.product(product), "product_qty": number(qty)}
    if price is not None:
        line["price_unit"] = number(price)
    create(uat.gw, "purchase.order.line", [line])
    uat.touch("purchase.order", purchase)


@uat_step(
    r"I (?P<attempt>try to )?post a landed cost of " + NUM.format("amount") + r" for " + Q.format("cost")
    + r" on the receipt of the purchase order",
    example='I post a landed cost of 100.00 for "LC1" on the receipt of the purchase order',
    area="procurement",
    doc="As the acting user, create a landed cost on the purchase order's done receipt with the blueprint's landed cost product "
        "(by code or name) and its split method, compute and post it. 'try to' records a refusal instead of failing.",
)
def post_landed_cost(uat, amount, cost, attempt=None):
    product, split = landed_cost_product(uat, cost)
    receipts = done_receipts(uat)
    uat.last_error = None
    try:
        lc = create(uat.gw, "stock.landed.cost", [{
            "picking_ids": [(6, 0, receipts)],
            "cost_lines": [(0, 0, {"product_id": product, "name": cost, "price_unit": number(amount), "split_method": split})],
        }])[0]
        uat.current["landed_cost"] = lc
        uat.touch("stock.landed.cost", lc)
        uat.gw.execute("stock.landed.cost", "button_validate", ids=[lc])
    except (OdooRejected, OdooAccessDenied) as exc:  # access rights refuse a role that may not post them
        if not attempt:
            raise
        uat.last_error = exc
    uat.touch("stock.picking", receipts)


@uat_step(
    r"the landed cost is (?P<state>posted|refused)(?: with a message containing " + Q.format("text") + r")?",
    example="the landed cost is posted",
    area="assertions",
    doc="The last landed cost was posted (state Posted), or the last 'try to post' was refused (with this text in Odoo's message when given).",
)
def landed_cost_state(uat, state, text=None):
    if state == "refused":
        from odookit.uat_scenarios.steps.sales import blocked

        blocked(uat, "landed cost", "refused", text)
        return
    lc = uat.need("landed_cost", 'When I post a landed cost of 100.00 for "LC1" on the receipt of the purchase order')
    row = uat.admin.read("stock.landed.cost", [lc], ["state", "name", "amount_total"])[0]
    if row["state"] != "done":
        raise AssertionError(f"landed cost {row['name']} is '{row['state']}', not posted")


@uat_step(
    r"the unit cost of " + Q.format("product") + r" is " + NUM.format("amount"),
    example='the unit cost of "Widget" is 12.50',
    area="assertions",
    doc="The product's cost (standard_price) in the acting company, to the cent: for fifo and average-cost products it moves with receipts and landed costs.",
)
def unit_cost(uat, product, amount):
    pid = uat.product(product)
    cost = uat.admin.read("product.product", [pid], ["standard_price"])[0]["standard_price"]
    uat.touch("product.product", pid, f"unit cost {cost:.2f}")
    flows.expect_amount(cost, amount, f'unit cost of "{product}"')


@uat_step(
    r"the product " + Q.format("product") + r" weighs " + NUM.format("weight") + r" kg(?: and takes " + NUM.format("volume") + r" m3)?",
    example='the product "Widget" weighs 2.5 kg and takes 0.01 m3',
    area="set-up",
    doc="Give a product its weight (and volume): landed costs split by weight or by volume read them.",
)
def dimensions(uat, product, weight, volume=None):
    pid = uat.product(product)
    values = {"weight": number(weight)}
    if volume is not None:
        values["volume"] = number(volume)
    write(uat.admin, "product.product", [pid], values)
