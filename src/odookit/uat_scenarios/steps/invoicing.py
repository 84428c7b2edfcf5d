"""Invoicing: invoice what was delivered, credit notes for returns, totals and open balances."""

from __future__ import annotations

from odookit.errors import UatError
from odookit.uat_scenarios.context import create, number
from odookit.uat_scenarios.library import uat_step
from odookit.uat_scenarios.steps import flows
from odookit.uat_scenarios.steps.setup import NUM, Q


def _invoice_delivered(uat) -> int:
    """The 'Create invoice' button of the order with 'Regular invoice' (delivered quantities), then post."""
    order_id = uat.need("order", uat.order_hint)
    gw = uat.gw
    before = set(uat.admin.read("sale.order", [order_id], ["invoice_ids"])[0]["invoice_ids"])
    context = {"active_model": "sale.order", "active_ids": [order_id], "active_id": order_id}
    wizard = create(gw, "sale.advance.payment.inv", [{"advance_payment_method": "delivered"}], context=context)[0]
    gw.execute("sale.advance.payment.inv", "create_invoices", ids=[wizard], context=context)
    new = sorted(set(uat.admin.read("sale.order", [order_id], ["invoice_ids"])[0]["invoice_ids"]) - before)
    if not new:
        raise UatError("no invoice was created")
    gw.execute("account.move", "action_post", ids=new)
    uat.touch("account.move", new)
    return new[0]


@uat_step(
    r"I invoice the (?P<what>delivered|ordered) quantities of the order",
    example="I invoice the delivered quantities of the order",
    area="invoicing",
    doc="Create and post the regular invoice: what is to invoice under the products' invoicing policy "
    "(delivered, or ordered, quantities) and not invoiced yet.",
)
def invoice(uat, what):
    uat.current["invoice"] = _invoice_delivered(uat)


@uat_step(
    r"I issue the credit note for the return",
    example="I issue the credit note for the return",
    area="returns",
    doc="Invoice the order again: returned quantities that were already invoiced become a posted credit note.",
)
def credit_note(uat):
    move = _invoice_delivered(uat)
    kind = uat.admin.read("account.move", [move], ["move_type"])[0]["move_type"]
    if kind != "out_refund":
        raise AssertionError(f"the document created is a {kind}, not a credit note")
    uat.current["credit note"] = move


@uat_step(
    r"I issue a credit note for " + NUM.format("qty") + r" units? of " + Q.format("product") + r" from the invoice",
    example='I issue a credit note for 5 units of "Widget" from the invoice',
    area="returns",
    doc="The invoice's Credit Note button, for part of one product, posted: how a return is credited when "
    "products are invoiced on ordered quantities (invoicing the order again finds nothing to credit).",
)
def credit_from_invoice(uat, qty, product):
    invoice = uat.need("invoice", "When I invoice the ordered quantities of the order")
    pid = uat.product(product)
    gw = uat.gw
    context = {"active_model": "account.move", "active_ids": [invoice], "active_id": invoice}
    journal = uat.admin.read("account.move", [invoice], ["journal_id"])[0]["journal_id"][0]  # the web client's default
    wizard = create(gw, "account.move.reversal", [{"move_ids": [(6, 0, [invoice])], "reason": f"Return of {product}",
                                                   "journal_id": journal}], context=context)[0]
    action = gw.execute("account.move.reversal", "refund_moves", ids=[wizard], context=context)
    refund = action.get("res_id") if isinstance(action, dict) else None
    if not refund:
        raise UatError("the invoice's credit note was not created")
    lines = gw.search_read("account.move.line", [("move_id", "=", refund), ("display_type", "=", "product")], ["product_id"])
    if not any(line["product_id"] and line["product_id"][0] == pid for line in lines):
        raise UatError(f'the invoice has no line for "{product}"')
    keep = {"quantity": number(qty)}
    gw.write("account.move", [refund], {"invoice_line_ids": [
        (1, line["id"], keep) if line["product_id"] and line["product_id"][0] == pid else (2, line["id"]) for line in lines]})
    gw.execute("account.move", "action_post", ids=[refund])
    uat.touch("account.move", refund, f"credit note for {number(qty):g} {product}")
    uat.current["credit note"] = refund


@uat_step(
    r"the (?P<what>invoice|credit note) (?P<field>total|untaxed amount|amount due) is " + NUM.format("amount"),
    example="the invoice total is 75.00",
    area="assertions",
    doc="Total (taxes included), untaxed amount or amount still due of the invoice or credit note.",
)
def move_amount(uat, what, field, amount):
    move = uat.need(what, "When I invoice the delivered quantities of the order")
    fname = {"total": "amount_total", "untaxed amount": "amount_untaxed"}.get(field, "amount_residual")
    row = uat.admin.read("account.move", [move], [fname, "name"])[0]
    uat.touch("account.move", move)
    flows.expect_amount(row[fname], amount, f"{what} {row['name']} {field}")


@uat_step(
    r"the (?P<what>invoice|credit note) is for " + NUM.format("qty") + r" units? of " + Q.format("product"),
    example='the invoice is for 30 units of "Widget"',
    area="assertions",
    doc="Quantity of the product on the invoice or credit note.",
)
def move_qty(uat, what, qty, product):
    move = uat.need(what, "When I invoice the delivered quantities of the order")
    total = flows.line_total(uat, "account.move.line", "move_id", move, uat.product(product), "quantity", (("display_type", "=", "product"),))
    uat.touch("account.move", move)
    flows.expect_quantity(total, qty, f'quantity of "{product}" on the {what}')


@uat_step(
    r"the customer " + Q.format("customer") + r" has an open balance of " + NUM.format("amount"),
    example='the customer "Customer A" has an open balance of 75.00',
    area="assertions",
    doc="What the customer owes: posted receivables not yet paid (Odoo's partner credit).",
)
def open_balance(uat, customer, amount):
    pid = uat.partner(customer)
    rows = uat.admin.search_read("account.move", [("partner_id", "=", pid), ("state", "=", "posted"), ("move_type", "in", ["out_invoice", "out_refund"])], ["amount_residual_signed"])
    balance = sum(r["amount_residual_signed"] for r in rows)
    uat.touch("res.partner", pid, f"open balance {balance:.2f}")
    uat.touch("account.move", [r["id"] for r in rows])
    flows.expect_amount(balance, amount, f'open balance of "{customer}"')
