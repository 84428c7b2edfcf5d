"""Exception paths: an aged delivery for the return window, rush orders, late receipts and their activity."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from odookit.errors import UatError
from odookit.uat_scenarios.context import write
from odookit.uat_scenarios.library import uat_step
from odookit.uat_scenarios.steps import flows
from odookit.uat_scenarios.steps.setup import Q


def _ago(days: int) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S")


@uat_step(
    r"the delivery of the order was done (?P<days>\d+) days? ago",
    example="the delivery of the order was done 31 days ago",
    area="returns",
    doc="Date the order's done delivery back, so that a return of it falls outside (or inside) the blueprint's return window.",
)
def delivered_ago(uat, days):
    done = [p["id"] for p in flows.order_pickings(uat, uat.need("order", uat.order_hint))
            if flows.kind_of(uat, p) == "delivery" and p["state"] == "done"]
    if not done:
        raise UatError("the order has no done delivery to date back", fix="Ship the order first.")
    write(uat.admin, "stock.picking", done, {"date_done": _ago(int(days))})
    uat.touch("stock.picking", done, f"done {days} days ago")


@uat_step(
    r"the product " + Q.format("product") + r" takes (?P<days>\d+) days? to deliver to customers",
    example='the product "Widget" takes 10 days to deliver to customers',
    area="set-up",
    doc="Give the product a customer lead time (product.template.sale_delay), from which Odoo computes an order's expected date.",
)
def customer_lead(uat, product, days):
    pid = uat.product(product)
    tmpl = uat.admin.read("product.product", [pid], ["product_tmpl_id"])[0]["product_tmpl_id"][0]
    write(uat.admin, "product.template", [tmpl], {"sale_delay": float(days)})
    uat.touch("product.product", pid, f"customer lead time {days} days")


@uat_step(
    r"I promise the order for delivery in (?P<days>\d+) days?",
    example="I promise the order for delivery in 2 days",
    area="sales",
    doc="Set the quotation's delivery date (commitment_date) as the acting user: sooner than its lead time makes it a rush order.",
)
def promise(uat, days):
    order_id = uat.need("order", uat.order_hint)
    when = (datetime.now(timezone.utc) + timedelta(days=int(days))).strftime("%Y-%m-%d %H:%M:%S")
    write(uat.gw, "sale.order", [order_id], {"commitment_date": when})
    uat.touch("sale.order", order_id, f"promised for {when[:10]}")


def _receipt(uat) -> dict:
    po = uat.need("purchase", uat.purchase_hint)
    return flows.open_picking(uat, flows.order_pickings(uat, po, "purchase.order"), "receipt", "the purchase order")


@uat_step(
    r"the receipt of the purchase order is (?P<days>\d+) days? overdue",
    example="the receipt of the purchase order is 3 days overdue",
    area="procurement",
    doc="Move the open receipt's scheduled date into the past: the goods are that many days late and not received.",
)
def overdue(uat, days):
    receipt = _receipt(uat)
    write(uat.admin, "stock.picking", [receipt["id"]], {"scheduled_date": _ago(int(days))})
    uat.touch("stock.picking", receipt["id"], f"{days} days overdue")


@uat_step(
    r"the late receipt check runs",
    example="the late receipt check runs",
    area="procurement",
    doc="Run the blueprint's scheduled action for late receipts now (exceptions.late_receipts), as Odoo's scheduler would.",
)
def run_late_check(uat):
    xid = f"{uat.run.module}.cron_late_receipts"
    found = uat.admin.resolve_xmlids([xid]).get(xid)
    if not found:
        raise UatError(f"the scheduled action {xid} is not on the target",
                       fix="Add exceptions.late_receipts to the blueprint and run `odookit blueprint apply`.")
    uat.admin.execute("ir.cron", "method_direct_trigger", ids=[found[1]])


@uat_step(
    r"the receipt has (?P<count>a|no) late receipt activity(?: for the " + Q.format("role") + r")?",
    example='the receipt has a late receipt activity for the "Procurement Clerk"',
    area="assertions",
    doc="The open receipt carries the blueprint's 'Late receipt' activity, assigned to the run's user of the role when named "
        "(the purchase order's buyer), and only one.",
)
def late_activity(uat, count, role=None):
    receipt = _receipt(uat)
    xid = f"{uat.run.module}.activity_type_late_receipt"
    kind = uat.admin.resolve_xmlids([xid]).get(xid)
    rows = uat.admin.search_read("mail.activity", [("res_model", "=", "stock.picking"), ("res_id", "=", receipt["id"]),
                                                   ("activity_type_id", "=", kind[1] if kind else 0)], ["user_id", "summary"])
    uat.touch("stock.picking", receipt["id"], "; ".join(f"{r['summary']} ({r['user_id'][1]})" for r in rows) or "no late receipt activity")
    if count == "no":
        if rows:
            raise AssertionError(f"the receipt {receipt['name']} has {len(rows)} late receipt activit{'y' if len(rows) == 1 else 'ies'}")
        return
    if len(rows) != 1:
        raise AssertionError(f"the receipt {receipt['name']} has {len(rows)} late receipt activities, expected one")
    if role:
        _, _, uid = uat.run.user_for(uat.run.role(role))
        if rows[0]["user_id"][0] != uid:
            raise AssertionError(f'the late receipt activity is for {rows[0]["user_id"][1]}, expected the "{role}"')
