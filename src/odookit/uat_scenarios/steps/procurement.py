"""Procurement: the scheduler, purchase orders, double validation and receipts."""

from __future__ import annotations

from datetime import datetime, timedelta

from odookit.errors import OdooRejected
from odookit.odoo.adapters import method_model
from odookit.uat_scenarios.context import create, number, write
from odookit.uat_scenarios.library import uat_step
from odookit.uat_scenarios.steps import flows
from odookit.uat_scenarios.steps.setup import NUM, Q

PO_STATES = {
    "a request for quotation": {"draft", "sent"},
    "waiting for approval": {"to approve"},
    "confirmed": {"purchase", "done"},
    "cancelled": {"cancel"},
}


@uat_step(
    r"I run the scheduler",
    example="I run the scheduler",
    area="procurement",
    doc="Run Odoo's replenishment scheduler now, as the acting user (reorder rules create requests for quotation).",
)
def scheduler(uat):
    uat.gw.execute(method_model(uat.gw.info.major, "procurement.group", "run_scheduler"), "run_scheduler")


@uat_step(
    r"a request for quotation (?:to|from) " + Q.format("supplier") + r" (?:is created|exists) for "
    + r"(?:(?P<least>at least )?" + NUM.format("qty") + r" units? of )?" + Q.format("product"),
    example='a request for quotation to "Supplier A" is created for 230 units of "Widget"',
    area="procurement",
    doc="Replenishment produced a purchase for the product from the right supplier (the RFQ becomes 'the purchase order').",
)
def rfq_exists(uat, supplier, product, qty=None, least=None):
    pid = uat.product(product)
    partner = uat.partner(supplier)
    lines = uat.admin.search_read(
        "purchase.order.line",
        [("product_id", "=", pid), ("order_id.state", "in", ["draft", "sent"])],
        ["order_id", "product_qty", "partner_id"],
    )
    mine = [line for line in lines if line["partner_id"] and line["partner_id"][0] == partner]
    if not mine:
        others = sorted({line["partner_id"][1] for line in lines if line["partner_id"]})
        raise AssertionError(f'no request for quotation to "{supplier}" for "{product}"' + (f" (found for: {', '.join(others)})" if others else ""))
    total = sum(line["product_qty"] for line in mine)
    uat.current["purchase"] = mine[0]["order_id"][0]
    uat.touch("purchase.order", mine[0]["order_id"][0])
    if qty is not None:
        ok = total >= number(qty) - 1e-6 if least else abs(total - number(qty)) < 1e-6
        if not ok:
            raise AssertionError(f'the request for quotation is for {total:g} units of "{product}", expected {"at least " if least else ""}{number(qty):g}')


@uat_step(
    r"I create a purchase order (?:from|to) " + Q.format("supplier") + r" for " + NUM.format("qty") + r" units? of " + Q.format("product")
    + r"(?: at " + NUM.format("price") + r"(?: each)?)?" + r"(?: for (?:warehouse )?" + Q.format("warehouse") + r")?",
    example='I create a purchase order from "Supplier A" for 100 units of "Widget" at 60 for warehouse "WH1"',
    area="procurement",
    doc="Create a request for quotation as the acting user, received in the warehouse (its receipt steps).",
)
def create_po(uat, supplier, qty, product, price=None, warehouse=None):
    vals = {"partner_id": uat.partner(supplier), "partner_ref": uat.code("po")}
    if warehouse:
        wh = uat.admin.read("stock.warehouse", [uat.warehouse(warehouse)], ["in_type_id", "company_id"])[0]
        vals.update(picking_type_id=wh["in_type_id"][0], company_id=wh["company_id"][0])  # bought by the warehouse's company
    po = create(uat.gw, "purchase.order", [vals])[0]
    line = {"order_id": po, "product_id": uat.product(product), "product_qty": number(qty)}
    if price is not None:
        line["price_unit"] = number(price)
    create(uat.gw, "purchase.order.line", [line])
    uat.current["purchase"] = po
    uat.touch("purchase.order", po)


@uat_step(
    r"I (?P<attempt>try to )?(?P<verb>confirm|approve) the purchase order",
    example="I approve the purchase order",
    area="procurement",
    doc="Confirm (above the double-validation threshold it waits for approval) or approve a purchase order as the acting user.",
)
def po_action(uat, verb, attempt=None):
    # Odoo's button_approve silently skips an order the user may not approve (and button_confirm one
    # that is not a request for quotation): an action that changed nothing is a refusal, not a pass.
    po = uat.need("purchase", uat.purchase_hint)
    uat.touch("purchase.order", po)
    uat.last_error = None
    before = uat.admin.read("purchase.order", [po], ["state"])[0]["state"]
    try:
        uat.gw.execute("purchase.order", "button_confirm" if verb == "confirm" else "button_approve", ids=[po])
    except OdooRejected as exc:
        if not attempt:
            raise
        uat.last_error = exc
        return
    row = uat.admin.read("purchase.order", [po], ["state", "name"])[0]
    done = row["state"] in ("purchase", "done") or (verb == "confirm" and row["state"] == "to approve")
    if row["state"] == before or not done:
        refusal = OdooRejected(f"purchase order {row['name']} was not {verb}d by the {uat.actor or 'acting user'}: "
                               f"it is still '{row['state']}'")
        if not attempt:
            raise refusal
        uat.last_error = refusal


@uat_step(
    r"the purchase order is (?P<state>a request for quotation|waiting for approval|confirmed|cancelled)",
    example="the purchase order is waiting for approval",
    area="assertions",
    doc="State of the purchase order.",
)
def po_state(uat, state):
    po = uat.need("purchase", uat.purchase_hint)
    row = uat.admin.read("purchase.order", [po], ["state", "name", "amount_total"])[0]
    uat.touch("purchase.order", po)
    if row["state"] not in PO_STATES[state]:
        raise AssertionError(f"purchase order {row['name']} ({row['amount_total']:.2f}) is '{row['state']}', expected {state}")


@uat_step(
    r"the goods of the purchase order are (?P<days>\d+) days? late",
    example="the goods of the purchase order are 3 days late",
    area="procurement",
    doc="Move the expected arrival of the purchase order into the past, so the receipt that follows is late.",
)
def late(uat, days):
    po = uat.need("purchase", uat.purchase_hint)
    when = (datetime.utcnow() - timedelta(days=int(days))).strftime("%Y-%m-%d %H:%M:%S")
    lines = uat.admin.search("purchase.order.line", [("order_id", "=", po)])
    write(uat.admin, "purchase.order.line", lines, {"date_planned": when})
    uat.touch("purchase.order", po)


def _po_receipt(uat, po: int) -> dict:
    pickings = flows.order_pickings(uat, po, "purchase.order")
    return flows.open_picking(uat, pickings, "receipt", "the purchase order")


@uat_step(
    r"I receive " + NUM.format("qty") + r" units? of " + Q.format("product") + r" on the purchase order and (?P<decision>create|decline) the backorder",
    example='I receive 60 units of "Widget" on the purchase order and create the backorder',
    area="procurement",
    doc="Receive a short delivery from the supplier and decide about the rest.",
)
def receive_partial(uat, qty, product, decision):
    po = uat.need("purchase", uat.purchase_hint)
    picking = _po_receipt(uat, po)
    flows.validate(uat, picking["id"], {uat.product(product): number(qty)}, backorder=decision == "create")


@uat_step(
    r"I receive the purchase order in full",
    example="I receive the purchase order in full",
    area="procurement",
    doc="Validate every receipt step of the warehouse (receipt, quality control, storage as configured), each in full.",
)
def receive_full(uat):
    po = uat.need("purchase", uat.purchase_hint)
    picking_id = _po_receipt(uat, po)["id"]
    for _ in range(4):
        flows.validate(uat, picking_id)
        move_ids = uat.admin.read("stock.picking", [picking_id], ["move_ids"])[0]["move_ids"]
        dest = uat.admin.read("stock.move", move_ids, ["move_dest_ids"])
        nxt = sorted({d for m in dest for d in m["move_dest_ids"]})
        if not nxt:
            return
        pickings = {m["picking_id"][0] for m in uat.admin.read("stock.move", nxt, ["picking_id", "state"]) if m["picking_id"] and m["state"] not in ("done", "cancel")}
        if not pickings:
            return
        picking_id = min(pickings)


@uat_step(
    r"the purchase order was received (?:at least )?(?P<days>\d+) days? late",
    example="the purchase order was received at least 3 days late",
    area="assertions",
    doc="The first receipt was done at least this many days after the expected arrival.",
)
def received_late(uat, days):
    po = uat.need("purchase", uat.purchase_hint)
    row = uat.admin.read("purchase.order", [po], ["effective_date", "name"])[0]
    planned = uat.admin.search_read("purchase.order.line", [("order_id", "=", po)], ["date_planned"])
    uat.touch("purchase.order", po, f"received {row['effective_date'] or 'not yet'}")
    if not row["effective_date"]:
        raise AssertionError(f"purchase order {row['name']} was not received")
    fmt = "%Y-%m-%d %H:%M:%S"
    delay = datetime.strptime(row["effective_date"], fmt) - min(datetime.strptime(p["date_planned"], fmt) for p in planned)
    if delay < timedelta(days=int(days)) - timedelta(hours=1):
        raise AssertionError(f"purchase order {row['name']} was received {delay.days} day(s) after the expected date, expected at least {days}")


@uat_step(
    r"the received quantity of " + Q.format("product") + r" on the purchase order is " + NUM.format("qty"),
    example='the received quantity of "Widget" on the purchase order is 60',
    area="assertions",
    doc="What the purchase order line counts as received.",
)
def received_qty(uat, product, qty):
    po = uat.need("purchase", uat.purchase_hint)
    total = flows.line_total(uat, "purchase.order.line", "order_id", po, uat.product(product), "qty_received")
    uat.touch("purchase.order", po)
    flows.expect_quantity(total, qty, f'received quantity of "{product}"')




@uat_step(
    r"the received " + Q.format("product") + r" is stored in " + Q.format("location"),
    example='the received "Widget" is stored in "WH/Stock/Shelf A"',
    area="assertions",
    doc="Where the purchase order's goods were put after the last receipt step (the putaway rule's storage location), "
        "by its full name or its own name.",
)
def stored_in(uat, product, location):
    po = uat.need("purchase", uat.purchase_hint)
    lines = uat.admin.search("purchase.order.line", [("order_id", "=", po), ("product_id", "=", uat.product(product))])
    moves = uat.admin.search("stock.move", [("purchase_line_id", "in", lines)])
    for _ in range(4):  # follow the reception steps (input, quality, stock) to the last move
        nxt = sorted({d for m in uat.admin.read("stock.move", moves, ["move_dest_ids"]) for d in m["move_dest_ids"]})
        if not nxt:
            break
        moves = nxt
    done = uat.admin.search_read("stock.move.line", [("move_id", "in", moves), ("state", "=", "done")], ["location_dest_id", "picking_id"])
    if not done:
        raise AssertionError(f'nothing of "{product}" on the purchase order has gone through its last receipt step yet')
    places = {ln["location_dest_id"][0] for ln in done}
    names = sorted(row["complete_name"] for row in uat.admin.read("stock.location", sorted(places), ["complete_name"]))
    uat.touch("stock.picking", sorted({ln["picking_id"][0] for ln in done if ln["picking_id"]}), f"stored in {', '.join(names)}")
    if any(name != location and not name.endswith("/" + location) for name in names):
        raise AssertionError(f'the received "{product}" was stored in {", ".join(names)}, expected "{location}"')
