"""Warehouse: pick, pack and ship per the warehouse's steps, backorders, returns, stock checks."""

from __future__ import annotations

from odookit.errors import UatError
from odookit.uat_scenarios.context import create, number, write
from odookit.uat_scenarios.library import uat_step
from odookit.uat_scenarios.steps import flows
from odookit.uat_scenarios.steps.sales import ORDER_HINT
from odookit.uat_scenarios.steps.setup import NUM, Q

KIND = r"(?P<kind>pick|pack|delivery)"


def record_for(uat, what: str) -> tuple[str, int]:
    """The record a step means by "the order", "the delivery", "the return"..."""
    if what == "order":
        return "sale.order", uat.need("order", ORDER_HINT)
    if what in ("purchase order",):
        return "purchase.order", uat.need("purchase", 'When I create a purchase order from "Supplier" for 10 units of "Product"')
    if what in ("invoice", "credit note"):
        return "account.move", uat.need(what, "When I invoice the delivered quantities of the order")
    if what == "return":
        return "stock.picking", uat.need("return", 'When I return 2 units of "Product" from the delivery with reason "Damaged"')
    if what == "receipt":
        purchase = uat.need("purchase", 'When I create a purchase order from "Supplier" for 10 units of "Product"')
        pickings = flows.order_pickings(uat, purchase, "purchase.order")
        return "stock.picking", min(p["id"] for p in pickings)
    pickings = flows.order_pickings(uat, uat.need("order", ORDER_HINT))
    mine = [p for p in pickings if flows.kind_of(uat, p) == what]
    if not mine:
        raise UatError(f"the order has no {what} transfer")
    return "stock.picking", min(p["id"] for p in mine)


def sale_picking(uat, kind: str) -> dict:
    order_id = uat.need("order", ORDER_HINT)
    return flows.open_picking(uat, flows.order_pickings(uat, order_id), kind, "the order")


@uat_step(
    r"I reserve the order",
    example="I reserve the order",
    area="warehouse",
    doc="Check availability of the order's open transfers (reserve stock).",
)
def reserve(uat):
    pickings = [p for p in flows.order_pickings(uat, uat.need("order", ORDER_HINT)) if p["state"] in ("confirmed", "waiting", "assigned")]
    if pickings:
        uat.gw.execute("stock.picking", "action_assign", ids=[p["id"] for p in pickings])
    uat.touch("stock.picking", [p["id"] for p in pickings])


@uat_step(
    r"I (?:process|validate) the " + KIND + r" of the order in full",
    example="I process the pick of the order in full",
    area="warehouse",
    doc="Validate the order's open pick, pack or delivery transfer for its whole demand.",
)
def process_full(uat, kind):
    flows.validate(uat, sale_picking(uat, kind)["id"])


@uat_step(
    r"I ship the order in full",
    example="I ship the order in full",
    area="warehouse",
    doc="Run every step of the warehouse's delivery route (pick, pack, delivery as configured), each in full.",
)
def ship_full(uat):
    order_id = uat.need("order", ORDER_HINT)
    for _ in range(6):
        pickings = [p for p in flows.order_pickings(uat, order_id) if p["state"] not in ("done", "cancel")]
        if not pickings:
            return
        first = min(pickings, key=lambda p: (flows.DELIVERY_ORDER.index(k) if (k := flows.kind_of(uat, p)) in flows.DELIVERY_ORDER else 9, p["id"]))
        flows.validate(uat, first["id"])
    raise UatError("the order still has open transfers after six validations")


@uat_step(
    r"I (?:process|ship|pick|pack) " + NUM.format("qty") + r" units? of " + Q.format("product") + r" on the " + KIND
    + r" of the order and (?P<decision>create|decline) the backorder",
    example='I process 30 units of "Hex Bolt M8" on the delivery of the order and create the backorder',
    area="warehouse",
    doc="Process part of a transfer and answer Odoo's backorder question (create: the rest follows later; decline: the rest is cancelled).",
)
def process_partial(uat, qty, product, kind, decision):
    picking = sale_picking(uat, kind)
    flows.validate(uat, picking["id"], {uat.product(product): number(qty)}, backorder=decision == "create")
    uat.current["last_picking"] = picking["id"]


@uat_step(
    r"the order's delivery (?:route )?takes (?P<n>\d) steps?",
    example="the order's delivery takes 3 steps",
    area="assertions",
    doc="The order's transfers follow the warehouse's delivery steps (1 ship only, 2 pick+ship, 3 pick+pack+ship).",
)
def delivery_steps(uat, n):
    kinds = {flows.kind_of(uat, p) for p in flows.order_pickings(uat, uat.need("order", ORDER_HINT))}
    kinds &= set(flows.DELIVERY_ORDER)
    if len(kinds) != int(n):
        raise AssertionError(f"the order's delivery has {len(kinds)} step(s) ({', '.join(sorted(kinds))}), expected {n}")


@uat_step(
    r"the " + KIND + r" of the order is (?P<state>done|ready|waiting|cancelled)",
    example="the delivery of the order is ready",
    area="assertions",
    doc="State of the order's (first) pick, pack or delivery transfer.",
)
def picking_state(uat, kind, state):
    wanted = {"done": {"done"}, "ready": {"assigned"}, "waiting": {"waiting", "confirmed"}, "cancelled": {"cancel"}}[state]
    pickings = [p for p in flows.order_pickings(uat, uat.need("order", ORDER_HINT)) if flows.kind_of(uat, p) == kind and not p["backorder_id"]]
    if not pickings:
        raise AssertionError(f"the order has no {kind} transfer")
    p = min(pickings, key=lambda p: p["id"])
    uat.touch("stock.picking", p["id"])
    if p["state"] not in wanted:
        raise AssertionError(f"{p['name']} is '{p['state']}', expected {state}")


@uat_step(
    r"a backorder (?:of|for) " + NUM.format("qty") + r" units? of " + Q.format("product") + r" is (?:created|open)(?: on the " + KIND + r")?",
    example='a backorder for 10 units of "Hex Bolt M8" is open on the delivery',
    area="assertions",
    doc="An open backorder of the order holds the remaining quantity of the product.",
)
def backorder_open(uat, qty, product, kind=None):
    pid = uat.product(product)
    pickings = [p for p in flows.order_pickings(uat, uat.need("order", ORDER_HINT)) if p["backorder_id"] and p["state"] not in ("done", "cancel")]
    if kind:
        pickings = [p for p in pickings if flows.kind_of(uat, p) == kind]
    total = sum(m["product_uom_qty"] for p in pickings for m in flows.moves(uat, p["id"]) if m["product_id"][0] == pid and m["state"] != "cancel")
    uat.touch("stock.picking", [p["id"] for p in pickings], "backorder")
    flows.expect_quantity(total, qty, f'quantity of "{product}" in open backorders')


@uat_step(
    r"no backorder is (?:created|open)(?: on the " + KIND + r")?",
    example="no backorder is open",
    area="assertions",
    doc="The order has no open backorder (the rest was declined or everything shipped).",
)
def no_backorder(uat, kind=None):
    pickings = [p for p in flows.order_pickings(uat, uat.need("order", ORDER_HINT)) if p["backorder_id"] and p["state"] not in ("done", "cancel")]
    if kind:
        pickings = [p for p in pickings if flows.kind_of(uat, p) == kind]
    if pickings:
        raise AssertionError("open backorder(s): " + ", ".join(p["name"] for p in pickings))


@uat_step(
    r"the stock of " + Q.format("product") + r" in (?P<where>warehouse|location) " + Q.format("place") + r" is " + NUM.format("qty"),
    example='the stock of "Hex Bolt M8" in warehouse "CHI" is 90',
    area="assertions",
    doc="Quantity on hand in the warehouse (all its internal locations) or in a location set up by the scenario.",
)
def stock_is(uat, product, where, place, qty):
    pid = uat.product(product)
    if where == "warehouse":
        loc = uat.admin.read("stock.warehouse", [uat.warehouse(place)], ["view_location_id"])[0]["view_location_id"][0]
    else:
        loc = uat.recall("location", place, f'Given a quarantine location "{place}" in warehouse "CHI"')
    actual = flows.on_hand(uat, pid, loc)
    uat.touch("product.product", pid, f'{actual:g} on hand in {where} "{place}"')
    flows.expect_quantity(actual, qty, f'stock of "{product}" in {where} "{place}"')


@uat_step(
    r"a transfer of " + NUM.format("qty") + r" units? of " + Q.format("product") + r" from (?:warehouse )?" + Q.format("source")
    + r" to (?:warehouse )?" + Q.format("dest") + r" is planned",
    example='a transfer of 150 units of "Hex Bolt M8" from warehouse "CHI" to warehouse "MKE" is planned',
    area="assertions",
    doc="Replenishment moves the product between warehouses: open moves leave the source towards the destination.",
)
def transfer_planned(uat, qty, product, source, dest):
    pid = uat.product(product)
    src = uat.admin.read("stock.warehouse", [uat.warehouse(source)], ["view_location_id"])[0]["view_location_id"][0]
    dst = uat.admin.read("stock.warehouse", [uat.warehouse(dest)], ["view_location_id"])[0]["view_location_id"][0]
    open_ = [("product_id", "=", pid), ("state", "not in", ["done", "cancel", "draft"])]
    leaving = uat.admin.search_read("stock.move", open_ + [("location_id", "child_of", src), ("location_dest_id.usage", "=", "transit")], ["product_uom_qty", "picking_id"])
    arriving = uat.admin.search_read("stock.move", open_ + [("location_dest_id", "child_of", dst), ("location_id.usage", "=", "transit")], ["picking_id"])
    uat.touch("stock.picking", sorted({m["picking_id"][0] for m in leaving + arriving if m["picking_id"]}))
    if not arriving:
        raise AssertionError(f'nothing of "{product}" is on its way into warehouse "{dest}"')
    flows.expect_quantity(sum(m["product_uom_qty"] for m in leaving), qty, f'quantity of "{product}" leaving "{source}" for "{dest}"')


# -- returns ------------------------------------------------------------------
@uat_step(
    r"I return " + NUM.format("qty") + r" units? of " + Q.format("product") + r" from the delivery(?: of the order)? with reason " + Q.format("reason"),
    example='I return 5 units of "Hex Bolt M8" from the delivery with reason "Damaged in transit"',
    area="returns",
    doc="Create a return of the order's done delivery for part of a product, refunding the order's delivered quantity.",
)
def return_goods(uat, qty, product, reason):
    order_id = uat.need("order", ORDER_HINT)
    done = [p for p in flows.order_pickings(uat, order_id) if flows.kind_of(uat, p) == "delivery" and p["state"] == "done"]
    if not done:
        raise UatError("the order has no done delivery to return", fix="Ship the order first.")
    picking = max(done, key=lambda p: p["id"])
    gw = uat.gw
    context = {"active_id": picking["id"], "active_ids": [picking["id"]], "active_model": "stock.picking"}
    wizard = create(gw, "stock.return.picking", [{"picking_id": picking["id"]}], context=context)[0]
    lines = gw.search_read("stock.return.picking.line", [("wizard_id", "=", wizard)], ["product_id"])
    pid = uat.product(product)
    if not any(line["product_id"][0] == pid for line in lines):
        raise UatError(f'the delivery {picking["name"]} did not ship "{product}"')
    for line in lines:
        vals = {"quantity": number(qty) if line["product_id"][0] == pid else 0}
        if "to_refund" in gw.fields_get("stock.return.picking.line"):
            vals["to_refund"] = True
        write(gw, "stock.return.picking.line", [line["id"]], vals)
    action = gw.execute("stock.return.picking", "action_create_returns", ids=[wizard], context=context)
    return_id = action["res_id"]
    write(gw, "stock.picking", [return_id], {"note": f"<p>Return reason: {reason}</p>", "origin": f"{picking['name']} - {reason}"})
    uat.current["return"] = return_id
    uat.touch("stock.picking", return_id, f"reason: {reason}")


@uat_step(
    r"I receive the return into (?:(?P<stock>stock)|location " + Q.format("location") + r")",
    example='I receive the return into location "Returns Quarantine"',
    area="returns",
    doc="Validate the return, into the return's default destination (stock) or a location set up by the scenario.",
)
def receive_return(uat, stock=None, location=None):
    return_id = uat.need("return", 'When I return 2 units of "Product" from the delivery with reason "Damaged"')
    if location:
        loc = uat.recall("location", location, f'Given a quarantine location "{location}" in warehouse "CHI"')
        write(uat.gw, "stock.picking", [return_id], {"location_dest_id": loc})
    flows.validate(uat, return_id)
