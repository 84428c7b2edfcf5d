"""Sales: quotations, confirmation and the approvals and holds that may stop it."""

from __future__ import annotations

from odookit.errors import OdooRejected, UatError
from odookit.uat_scenarios.context import create, number, write
from odookit.uat_scenarios.library import uat_step
from odookit.uat_scenarios.steps import flows
from odookit.uat_scenarios.steps.setup import NUM, Q

def _line(uat, order_id, product, qty, price=None, discount=None):
    vals = {"order_id": order_id, "product_id": uat.product(product), "product_uom_qty": number(qty)}
    if price is not None:
        vals["price_unit"] = number(price)
    if discount is not None:
        vals["discount"] = number(discount)
    return create(uat.gw, "sale.order.line", [vals])[0]


@uat_step(
    r"I order " + NUM.format("qty") + r" units? of " + Q.format("product") + r" for " + Q.format("customer")
    + r"(?: at " + NUM.format("price") + r"(?: each)?)?"
    + r"(?: with an? " + NUM.format("discount") + r"% discount)?"
    + r"(?: from (?:warehouse )?" + Q.format("warehouse") + r")?",
    example='I order 40 units of "Widget" for "Customer A" at 2.50 with a 5% discount from warehouse "WH1"',
    area="sales",
    doc="Create a quotation as the acting user (price from the customer's pricelist unless given).",
)
def order(uat, qty, product, customer, price=None, discount=None, warehouse=None):
    vals = {"partner_id": uat.partner(customer), "client_order_ref": uat.code("order")}
    if warehouse:
        wh = uat.admin.read("stock.warehouse", [uat.warehouse(warehouse)], ["company_id"])[0]
        vals.update(warehouse_id=wh["id"], company_id=wh["company_id"][0])  # sold by the warehouse's company
        from odookit.uat_scenarios.steps.crm import team_for_company

        vals.update(team_for_company(uat, wh["company_id"][0]))
    order_id = create(uat.gw, "sale.order", [vals])[0]
    uat.current["order"] = order_id
    _line(uat, order_id, product, qty, price, discount)
    uat.touch("sale.order", order_id)


@uat_step(
    r"I add " + NUM.format("qty") + r" units? of " + Q.format("product") + r" to the order"
    + r"(?: at " + NUM.format("price") + r"(?: each)?)?" + r"(?: with an? " + NUM.format("discount") + r"% discount)?",
    example='I add 5 units of "Gadget" to the order with a 20% discount',
    area="sales",
    doc="Add a line to the current quotation.",
)
def add_line(uat, qty, product, price=None, discount=None):
    order_id = uat.need("order", uat.order_hint)
    _line(uat, order_id, product, qty, price, discount)
    uat.touch("sale.order", order_id)


def attempt_sale_confirmation(uat, attempt, what: str) -> None:
    """action_confirm as the acting user. A refusal fails the step, or with 'try to' is recorded for the
    step that checks it; an order still not confirmed after Odoo answered is a refusal too."""
    order_id = uat.need("order", uat.order_hint)
    uat.touch("sale.order", order_id)
    uat.last_error = None
    try:
        uat.gw.execute("sale.order", "action_confirm", ids=[order_id])
    except OdooRejected as exc:
        if not attempt:
            raise
        uat.last_error = exc
        return
    row = uat.admin.read("sale.order", [order_id], ["state", "name"])[0]
    if row["state"] not in ("sale", "done"):
        refusal = OdooRejected(f"the {what} of order {row['name']} changed nothing: it is still '{row['state']}'")
        if not attempt:
            raise refusal
        uat.last_error = refusal


@uat_step(
    r"I (?P<attempt>try to )?confirm the order",
    example="I confirm the order",
    area="sales",
    doc="Confirm the quotation as the acting user; 'try to' records a refusal instead of failing.",
)
def confirm(uat, attempt=None):
    attempt_sale_confirmation(uat, attempt, "confirmation")


@uat_step(
    r"I (?P<attempt>try to )?release the credit hold on the order",
    example="I release the credit hold on the order",
    area="sales",
    doc="Confirm an order held for credit; only a role that may release credit holds can. "
    "'try to' records the refusal instead of failing.",
)
def release(uat, attempt=None):
    attempt_sale_confirmation(uat, attempt, "release")


@uat_step(
    r"I substitute " + Q.format("old") + r" with " + Q.format("new") + r" on the order",
    example='I substitute "Widget" with "Widget Blue" on the order',
    area="sales",
    doc="Replace a product on a confirmed order: its line drops to zero and the substitute gets the quantity.",
)
def substitute(uat, old, new):
    order_id = uat.need("order", uat.order_hint)
    old_id = uat.product(old)
    lines = uat.gw.search_read("sale.order.line", [("order_id", "=", order_id), ("product_id", "=", old_id)], ["product_uom_qty", "price_unit", "discount"])
    if not lines:
        raise UatError(f'the order has no line for "{old}"')
    line = lines[0]
    write(uat.gw, "sale.order.line", [line["id"]], {"product_uom_qty": 0})
    _line(uat, order_id, new, line["product_uom_qty"])
    uat.touch("sale.order", order_id)


@uat_step(
    r"the (?P<what>confirmation|release|approval|adjustment|return) is (?P<how>blocked|refused)(?: with a message containing " + Q.format("text") + r")?",
    example='the confirmation is blocked with a message containing "Credit hold"',
    area="assertions",
    doc="The last 'try to' (confirm, release, approve, apply a count, return) was refused, with this text in Odoo's message when given.",
)
def blocked(uat, what, how, text=None):
    if uat.last_error is None:
        raise AssertionError(f"the {what} was not {how}: the last 'try to' step went through")
    if text and text.casefold() not in uat.last_error.message.casefold():
        raise AssertionError(f'Odoo refused with "{uat.last_error.message}", which does not contain "{text}"')


@uat_step(
    r"the order is (?P<state>confirmed|a quotation|cancelled|locked)|the order is in state " + Q.format("raw"),
    example="the order is confirmed",
    area="assertions",
    doc="Check the sales order's state (quotation, confirmed, cancelled, locked) or a raw Odoo state.",
)
def order_state(uat, state=None, raw=None):
    wanted = {"confirmed": "sale", "a quotation": "draft", "cancelled": "cancel", "locked": "done"}.get(state, raw)
    order_id = uat.need("order", uat.order_hint)
    row = uat.admin.read("sale.order", [order_id], ["state", "name", "locked"])[0]
    actual = "done" if row.get("locked") and row["state"] == "sale" and wanted == "done" else row["state"]
    uat.touch("sale.order", order_id)
    if actual != wanted:
        raise AssertionError(f"order {row['name']} is '{row['state']}', expected '{wanted}'")


@uat_step(
    r"the order total is " + NUM.format("amount"),
    example="the order total is 95.00",
    area="assertions",
    doc="Check the order's total including taxes.",
)
def order_total(uat, amount):
    order_id = uat.need("order", uat.order_hint)
    row = uat.admin.read("sale.order", [order_id], ["amount_total", "name"])[0]
    uat.touch("sale.order", order_id)
    flows.expect_amount(row["amount_total"], amount, f"order {row['name']} total")


@uat_step(
    r"the order shows a credit warning",
    example="the order shows a credit warning",
    area="assertions",
    doc="Odoo's own credit warning on the order (partner over its credit limit) is shown.",
)
def credit_warning(uat):
    order_id = uat.need("order", uat.order_hint)
    row = uat.admin.read("sale.order", [order_id], ["partner_credit_warning", "name"])[0]
    uat.touch("sale.order", order_id, row.get("partner_credit_warning") or "")
    if not row.get("partner_credit_warning"):
        raise AssertionError(f"order {row['name']} shows no credit warning")


@uat_step(
    r"the delivered quantity of " + Q.format("product") + r" on the order is " + NUM.format("qty"),
    example='the delivered quantity of "Widget" on the order is 30',
    area="assertions",
    doc="Check what the order line counts as delivered (returns with refund lower it).",
)
def delivered_qty(uat, product, qty):
    order_id = uat.need("order", uat.order_hint)
    total = flows.line_total(uat, "sale.order.line", "order_id", order_id, uat.product(product), "qty_delivered")
    uat.touch("sale.order", order_id)
    flows.expect_quantity(total, qty, f'delivered quantity of "{product}"')


@uat_step(
    r"the (?P<what>order|delivery|pick|pack|receipt|purchase order|invoice|return) was (?P<verb>created|last changed) by (?:the |an? )?" + Q.format("role"),
    example='the delivery was last changed by the "Warehouse Clerk"',
    area="assertions",
    doc="Who did what: the run's user of this role created, or last changed, the record.",
)
def who(uat, what, verb, role):
    from odookit.uat_scenarios.steps.warehouse import record_for

    model, rid = record_for(uat, what)
    _, _, uid = uat.run.user_for(uat.run.role(role))
    field = "create_uid" if verb == "created" else "write_uid"
    row = uat.admin.read(model, [rid], [field, "display_name"])[0]
    uat.touch(model, rid, f"{verb} by {row[field][1]}")
    if row[field][0] != uid:
        raise AssertionError(f"{row['display_name']} was {verb} by {row[field][1]}, not by the {role}")
