"""Warehouse: pick, pack and ship per the warehouse's steps, backorders, returns, stock checks."""

from __future__ import annotations

from odookit.errors import OdooRejected, UatError
from odookit.uat_scenarios.context import create, number, write
from odookit.uat_scenarios.library import uat_step
from odookit.uat_scenarios.steps import flows
from odookit.uat_scenarios.steps.setup import NUM, Q

KIND = r"(?P<kind>pick|pack|delivery)"


def record_for(uat, what: str) -> tuple[str, int]:
    """The record a step means by "the order", "the delivery", "the return"..."""
    if what == "order":
        return "sale.order", uat.need("order", uat.order_hint)
    if what in ("purchase order",):
        return "purchase.order", uat.need("purchase", uat.purchase_hint)
    if what in ("invoice", "credit note"):
        return "account.move", uat.need(what, "When I invoice the delivered quantities of the order")
    if what == "return":
        return "stock.picking", uat.need("return", 'When I return 2 units of "Product" from the delivery with reason "Damaged"')
    if what == "receipt":
        purchase = uat.need("purchase", uat.purchase_hint)
        pickings = flows.order_pickings(uat, purchase, "purchase.order")
        return "stock.picking", min(p["id"] for p in pickings)
    pickings = flows.order_pickings(uat, uat.need("order", uat.order_hint))
    mine = [p for p in pickings if flows.kind_of(uat, p) == what]
    if not mine:
        raise UatError(f"the order has no {what} transfer")
    return "stock.picking", min(p["id"] for p in mine)


def quarantine_location(uat, return_id: int, name: str) -> int:
    """The blueprint's quarantine location of the return's warehouse (returns.quarantine), by its name."""
    policy = uat.run.blueprint.returns
    picking = uat.admin.read("stock.picking", [return_id], ["picking_type_id"])[0]
    wh = uat.admin.read("stock.picking.type", [picking["picking_type_id"][0]], ["warehouse_id"])[0]["warehouse_id"]
    code = uat.admin.read("stock.warehouse", [wh[0]], ["code"])[0]["code"] if wh else None
    entry = next((q for q in (policy.quarantine if policy else []) if q.warehouse.upper() == (code or "").upper()), None)
    if entry is None or entry.location.casefold() != name.casefold():
        return uat.recall("location", name, uat.location_hint(name))
    xid = f"{uat.run.module}.quarantine_location_{entry.warehouse.lower()}"
    found = uat.admin.resolve_xmlids([xid]).get(xid)
    if not found:
        raise UatError(f'the quarantine location "{name}" of warehouse {entry.warehouse} is not on the target',
                       fix="Run `odookit blueprint apply`.")
    return found[1]


def sale_picking(uat, kind: str) -> dict:
    order_id = uat.need("order", uat.order_hint)
    return flows.open_picking(uat, flows.order_pickings(uat, order_id), kind, "the order")


@uat_step(
    r"I reserve the order",
    example="I reserve the order",
    area="warehouse",
    doc="Check availability of the order's open transfers (reserve stock).",
)
def reserve(uat):
    pickings = [p for p in flows.order_pickings(uat, uat.need("order", uat.order_hint)) if p["state"] in ("confirmed", "waiting", "assigned")]
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
    order_id = uat.need("order", uat.order_hint)
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
    example='I process 30 units of "Widget" on the delivery of the order and create the backorder',
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
    # From Odoo 18 a later transfer appears only when the one before is done, so the transfers that
    # exist say nothing right after confirmation: the order's warehouse says how it delivers.
    order_id = uat.need("order", uat.order_hint)
    wh = uat.admin.read("sale.order", [order_id], ["warehouse_id"])[0]["warehouse_id"]
    if not wh:
        raise AssertionError("the order has no warehouse")
    row = uat.admin.read("stock.warehouse", [wh[0]], ["delivery_steps", "name"])[0]
    steps = {"ship_only": 1, "pick_ship": 2, "pick_pack_ship": 3}.get(row["delivery_steps"], 0)
    uat.touch("stock.warehouse", wh[0], f"delivery steps: {row['delivery_steps']}")
    if steps != int(n):
        raise AssertionError(f"warehouse {row['name']} delivers in {steps} step(s) ({row['delivery_steps']}), expected {n}")


@uat_step(
    r"the " + KIND + r" of the order is (?P<state>done|ready|waiting|cancelled)",
    example="the delivery of the order is ready",
    area="assertions",
    doc="State of the order's (first) pick, pack or delivery transfer.",
)
def picking_state(uat, kind, state):
    wanted = {"done": {"done"}, "ready": {"assigned"}, "waiting": {"waiting", "confirmed"}, "cancelled": {"cancel"}}[state]
    pickings = [p for p in flows.order_pickings(uat, uat.need("order", uat.order_hint)) if flows.kind_of(uat, p) == kind and not p["backorder_id"]]
    if not pickings:
        raise AssertionError(f"the order has no {kind} transfer")
    p = min(pickings, key=lambda p: p["id"])
    uat.touch("stock.picking", p["id"])
    if p["state"] not in wanted:
        raise AssertionError(f"{p['name']} is '{p['state']}', expected {state}")


@uat_step(
    r"a backorder (?:of|for) " + NUM.format("qty") + r" units? of " + Q.format("product") + r" is (?:created|open)(?: on the " + KIND + r")?",
    example='a backorder for 10 units of "Widget" is open on the delivery',
    area="assertions",
    doc="An open backorder of the order holds the remaining quantity of the product.",
)
def backorder_open(uat, qty, product, kind=None):
    pid = uat.product(product)
    pickings = [p for p in flows.order_pickings(uat, uat.need("order", uat.order_hint)) if p["backorder_id"] and p["state"] not in ("done", "cancel")]
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
    pickings = [p for p in flows.order_pickings(uat, uat.need("order", uat.order_hint)) if p["backorder_id"] and p["state"] not in ("done", "cancel")]
    if kind:
        pickings = [p for p in pickings if flows.kind_of(uat, p) == kind]
    if pickings:
        raise AssertionError("open backorder(s): " + ", ".join(p["name"] for p in pickings))


@uat_step(
    r"the stock of " + Q.format("product") + r" in (?P<where>warehouse|location) " + Q.format("place") + r" is " + NUM.format("qty"),
    example='the stock of "Widget" in warehouse "WH1" is 90',
    area="assertions",
    doc="Quantity on hand in the warehouse (all its internal locations) or in a location set up by the scenario.",
)
def stock_is(uat, product, where, place, qty):
    pid = uat.product(product)
    if where == "warehouse":
        loc = uat.admin.read("stock.warehouse", [uat.warehouse(place)], ["view_location_id"])[0]["view_location_id"][0]
    else:
        loc = uat.recall("location", place, uat.location_hint(place))
    actual = flows.on_hand(uat, pid, loc)
    uat.touch("product.product", pid, f'{actual:g} on hand in {where} "{place}"')
    flows.expect_quantity(actual, qty, f'stock of "{product}" in {where} "{place}"')


@uat_step(
    r"a transfer of " + NUM.format("qty") + r" units? of " + Q.format("product") + r" from (?:warehouse )?" + Q.format("source")
    + r" to (?:warehouse )?" + Q.format("dest") + r" is planned",
    example='a transfer of 150 units of "Widget" from warehouse "WH1" to warehouse "WH2" is planned',
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
    r"I (?P<attempt>try to )?return " + NUM.format("qty") + r" units? of " + Q.format("product") + r" from the delivery(?: of the order)? with reason " + Q.format("reason"),
    example='I return 5 units of "Widget" from the delivery with reason "Damaged in transit"',
    area="returns",
    doc="Create a return of the order's done delivery for part of a product, refunding the order's delivered quantity; "
        "'try to' records a refusal (the blueprint's return policy) instead of failing.",
)
def return_goods(uat, qty, product, reason, attempt=None):
    order_id = uat.need("order", uat.order_hint)
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
    uat.last_error = None
    try:
        action = gw.execute("stock.return.picking", "action_create_returns", ids=[wizard], context=context)
    except OdooRejected as exc:
        if not attempt:
            raise
        uat.last_error = exc
        return
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
        loc = uat.records.get(("location", location.casefold())) or uat.remember("location", location, quarantine_location(uat, return_id, location))
        write(uat.gw, "stock.picking", [return_id], {"location_dest_id": loc})
    flows.validate(uat, return_id)


@uat_step(
    r"the " + KIND + r" of the order takes lot " + Q.format("lot"),
    example='the pick of the order takes lot "LOT-0001"',
    area="assertions",
    doc="The lot the order's pick, pack or delivery reserved or moved: under FEFO the one that expires first.",
)
def takes_lot(uat, kind, lot):
    mine = [p for p in flows.order_pickings(uat, uat.need("order", uat.order_hint)) if flows.kind_of(uat, p) == kind and p["state"] != "cancel"]
    ids = [i for p in uat.admin.read("stock.picking", [p["id"] for p in mine], ["move_line_ids"]) for i in p["move_line_ids"]]
    lots = sorted({ml["lot_id"][1] for ml in uat.admin.read("stock.move.line", ids, ["lot_id"]) if ml["lot_id"]})
    uat.touch("stock.picking", [p["id"] for p in mine], "lots: " + (", ".join(lots) or "none"))
    if lots != [uat.code(lot)]:
        raise AssertionError(f'the {kind} of the order takes lot(s) {", ".join(lots) or "none"}, expected "{uat.code(lot)}"')


@uat_step(
    r"the return is in lot " + Q.format("lot"),
    example='the return is in lot "LOT-0001"',
    area="assertions",
    doc="The returned goods came back with the lot or serial number they were shipped with (set up by an on-hand step).",
)
def return_lot(uat, lot):
    return_id = uat.need("return", 'When I return 2 units of "Product" from the delivery with reason "Damaged"')
    ids = uat.admin.read("stock.picking", [return_id], ["move_line_ids"])[0]["move_line_ids"]
    lots = sorted({ml["lot_id"][1] for ml in uat.admin.read("stock.move.line", ids, ["lot_id"]) if ml["lot_id"]})
    uat.touch("stock.picking", return_id, "lots: " + (", ".join(lots) or "none"))
    if lots != [uat.code(lot)]:
        raise AssertionError(f'the return holds lot(s) {", ".join(lots) or "none"}, expected "{uat.code(lot)}"')


@uat_step(
    r"I (?P<attempt>try to )?apply an inventory count of " + NUM.format("qty") + r" units? of " + Q.format("product")
    + r" in (?:warehouse )?" + Q.format("warehouse"),
    example='I try to apply an inventory count of 300 units of "Widget" in warehouse "WH1"',
    area="warehouse",
    doc="Count the product in the warehouse's stock location and apply the adjustment as the acting user; "
    "'try to' records a refusal (an adjustment above the approval threshold) instead of failing.",
)
def apply_count(uat, qty, product, warehouse, attempt=None):
    pid = uat.product(product)
    loc = uat.admin.read("stock.warehouse", [uat.warehouse(warehouse)], ["lot_stock_id"])[0]["lot_stock_id"][0]
    before = flows.on_hand(uat, pid, loc)
    gw, context = uat.gw, {"inventory_mode": True}
    uat.last_error = None
    try:
        quant = create(gw, "stock.quant", [{"product_id": pid, "location_id": loc, "inventory_quantity": number(qty)}], context=context)[0]
        uat.touch("stock.quant", quant)
        result = gw.execute("stock.quant", "action_apply_inventory", ids=[quant], context=context)
        if isinstance(result, dict) and result.get("res_model"):
            raise UatError(f"applying the count opened a wizard {result['res_model']}", fix="Count a product without lots or serial numbers.")
    except OdooRejected as exc:
        if not attempt:
            raise
        uat.last_error = exc
        return
    after = flows.on_hand(uat, pid, loc)
    uat.touch("product.product", pid, f"{after:g} on hand (was {before:g})")
    if abs(after - number(qty)) > 1e-6:
        refusal = OdooRejected(f'the count changed nothing: {after:g} of "{product}" on hand, not {number(qty):g}')
        if not attempt:
            raise refusal
        uat.last_error = refusal
