"""Small inline data on the in-memory stand-in: plain records with the fields the KPIs read.

Nothing here imitates Odoo's business rules: the pickings, moves, layers and
invoices are written as they would be read back after the flows ran in a
real Odoo (a partial delivery and its backorder, a cancelled backorder, a
return after invoicing, two companies). The expected figures are counted by
hand in the tests' comments.
"""

from __future__ import annotations

import datetime as dt

import pytest

from odookit.kpi.period import Period
from odookit.kpi.reads import Policy
from odookit.odoo.memory import MemoryGateway

ALL_APPS = {"base", "stock", "sale_stock", "account", "stock_account", "purchase_stock"}
NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
POLICY = Policy(module="acme_cfg", credit_block=True, default_limit=1000.0, segments=(("GOLD", 5000.0),), discount_above=10.0)


class ValuedAtDate(MemoryGateway):
    """Odoo 19 as read back: a product's ``total_value`` is what Odoo answers for the day
    (``to_date``) and company (``allowed_company_ids``) in the context, set by the test."""

    def __init__(self, **kwargs):
        super().__init__(version="19.0", **kwargs)
        self.values_at: dict[tuple[str, int], list[float]] = {}  # (day, company) -> products' values

    def _execute(self, model, method, ids=None, **kwargs):
        context = kwargs.get("context") or {}
        if model == "product.product" and method == "search_read" and "to_date" in context:
            self.calls.append((model, method))
            day, (company,) = context["to_date"], context["allowed_company_ids"]
            return [{"id": n, "total_value": v} for n, v in enumerate(self.values_at.get((day, company), []), 1)]
        return super()._execute(model, method, ids, **kwargs)


class Data:
    def __init__(self, apps=ALL_APPS, version="18.0"):
        gateway = ValuedAtDate if version.startswith("19") else MemoryGateway
        self.gw = gateway(modules=set(apps), relations={"mail.message.author_id": "res.partner"})
        seed = self.gw.seed
        self.c1 = seed("res.company", {"name": "North Co"})
        self.c2 = seed("res.company", {"name": "South Co"})
        self.wa = seed("stock.warehouse", {"code": "WA", "name": "West", "company_id": self.c1})
        self.wb = seed("stock.warehouse", {"code": "WB", "name": "East", "company_id": self.c2})
        self.out_a = seed("stock.picking.type", {"code": "outgoing", "warehouse_id": self.wa})
        self.out_b = seed("stock.picking.type", {"code": "outgoing", "warehouse_id": self.wb})
        self.in_a = seed("stock.picking.type", {"code": "incoming", "warehouse_id": self.wa})
        self.in_b = seed("stock.picking.type", {"code": "incoming", "warehouse_id": self.wb})
        self.pick_a = seed("stock.picking.type", {"code": "internal", "warehouse_id": self.wa})
        self.cust = seed("stock.location", {"usage": "customer"})
        self.stock = seed("stock.location", {"usage": "internal"})
        self.vendor = seed("stock.location", {"usage": "supplier"})
        self.state_field = seed("ir.model.fields", {"model": "sale.order", "name": "state"})
        self.other_field = seed("ir.model.fields", {"model": "sale.order", "name": "invoice_status"})

    def order(self, company, warehouse, date_order, partner=False, amount=0.0, state="sale"):
        return self.gw.seed("sale.order", {"company_id": company, "warehouse_id": warehouse, "date_order": date_order,
                                           "state": state, "partner_id": partner, "amount_total": amount})

    def line(self, order, qty, discount=0.0, display_type=False):
        return self.gw.seed("sale.order.line", {"order_id": order, "product_uom_qty": qty, "discount": discount,
                                                "display_type": display_type})

    def picking(self, order, ptype, company, state, date_done=False, scheduled="2026-11-01 00:00:00", deadline=False, backorder=False):
        return self.gw.seed("stock.picking", {"sale_id": order, "picking_type_id": ptype, "company_id": company, "state": state,
                                              "date_done": date_done, "scheduled_date": scheduled, "date_deadline": deadline,
                                              "backorder_id": backorder})

    def move(self, picking, ptype, company, qty, state="done", date=False, line=False, src=None, dest=None, returns=False, po_line=False):
        return self.gw.seed("stock.move", {
            "picking_id": picking, "picking_type_id": ptype, "company_id": company, "quantity": qty, "state": state,
            "date": date, "sale_line_id": line, "location_id": src or self.stock, "location_dest_id": dest or self.cust,
            "origin_returned_move_id": returns, "purchase_line_id": po_line})

    def layer(self, company, value, when, move=False):
        return self.gw.seed("stock.valuation.layer", {"company_id": company, "value": value, "create_date": when, "stock_move_id": move})

    def invoice(self, company, day, lines, move_type="out_invoice", state="posted"):
        inv = self.gw.seed("account.move", {"company_id": company, "invoice_date": day, "move_type": move_type, "state": state})
        self.gw.seed("account.move.line", {"move_id": inv, "display_type": "product", "sale_line_ids": list(lines)})
        self.gw.seed("account.move.line", {"move_id": inv, "display_type": "payment_term", "sale_line_ids": []})
        return inv

    def confirmed_by(self, order, author, when, label="Sales Order", field=None):
        msg = self.gw.seed("mail.message", {"model": "sale.order", "res_id": order, "author_id": author, "date": when})
        self.gw.seed("mail.tracking.value", {"field_id": field or self.state_field, "new_value_char": label,
                                             "mail_message_id": msg, "create_date": when})


def build(apps=ALL_APPS, version="18.0") -> Data:
    """The month every test reads (hand counts in test_compute.py); on 19 its stock values
    are the moves' own and the products' value at a date, on earlier versions valuation layers."""
    d = Data(apps, version)
    seed = d.gw.seed
    c1, c2, wa, wb, out_a, out_b = d.c1, d.c2, d.wa, d.wb, d.out_a, d.out_b
    # customers and users: K3 is a contact of K1; K2 is in the GOLD segment (limit 5000)
    gold = seed("res.partner.category", {"name": "Gold"}, xmlid="acme_cfg.partner_segment_gold")
    k1 = seed("res.partner", {"name": "K1", "credit": 0.0, "credit_limit": 0.0, "use_partner_credit_limit": False, "category_id": []})
    k2 = seed("res.partner", {"name": "K2", "credit": 4800.0, "credit_limit": 0.0, "use_partner_credit_limit": False, "category_id": [gold]})
    k3 = seed("res.partner", {"name": "K3 contact", "commercial_partner_id": k1, "category_id": []})
    for partner in (k1, k2):
        d.gw.write("res.partner", [partner], {"commercial_partner_id": partner})
    sam = seed("res.partner", {"name": "Sam Seller"})
    cora = seed("res.partner", {"name": "Cora Control"})
    u_sam = seed("res.users", {"partner_id": sam})
    u_cora = seed("res.users", {"partner_id": cora})
    seed("res.groups", {"name": "Credit Release", "users": [u_cora]}, xmlid="acme_cfg.group_credit_release")

    # SO1: partial delivery then its backorder, both done; a section and a service line
    so1 = d.order(c1, wa, "2026-11-02 10:00:00", k1, 1500.0)
    l1a, l1b = d.line(so1, 10), d.line(so1, 5, discount=10.0)
    d.line(so1, 0, display_type="line_section")
    d.line(so1, 1)  # a service: no stock move
    p1 = d.picking(so1, out_a, c1, "done", "2026-11-04 10:00:00", scheduled="2026-11-03 09:00:00")
    p1b = d.picking(so1, out_a, c1, "done", "2026-11-06 10:00:00", scheduled="2026-11-05 00:00:00", deadline="2026-11-06 18:00:00", backorder=p1)
    m1a = d.move(p1, out_a, c1, 6, date="2026-11-04 10:00:00", line=l1a)
    m1b = d.move(p1, out_a, c1, 5, date="2026-11-04 10:00:00", line=l1b)
    m1c = d.move(p1b, out_a, c1, 4, date="2026-11-06 10:00:00", line=l1a)
    # SO2: partial delivery, backorder cancelled
    so2 = d.order(c1, wa, "2026-11-10 08:00:00", k3, 500.0)
    l2 = d.line(so2, 8)
    p2 = d.picking(so2, out_a, c1, "done", "2026-11-11 08:00:00", scheduled="2026-11-12 00:00:00")
    d.picking(so2, out_a, c1, "cancel", scheduled="2026-11-12 00:00:00", backorder=p2)
    m2 = d.move(p2, out_a, c1, 5, date="2026-11-11 08:00:00", line=l2)
    # SO3 (other company): delivered complete, invoiced, then one unit returned
    so3 = d.order(c2, wb, "2026-11-20 12:00:00", k2, 300.0)
    l3 = d.line(so3, 4, discount=15.0)
    p3 = d.picking(so3, out_b, c2, "done", "2026-11-22 00:00:00", scheduled="2026-11-20 00:00:00", deadline="2026-11-21 00:00:00")
    m3 = d.move(p3, out_b, c2, 4, date="2026-11-22 00:00:00", line=l3)
    r3 = d.picking(so3, d.in_b, c2, "done", "2026-11-25 09:00:00")
    m3r = d.move(r3, d.in_b, c2, 1, date="2026-11-25 09:00:00", line=l3, src=d.cust, dest=d.stock, returns=m3)
    # SO4: confirmed, nothing shipped yet
    so4 = d.order(c2, wb, "2026-11-25 09:00:00", k2, 100.0)
    p4 = d.picking(so4, out_b, c2, "assigned", scheduled="2026-11-28 00:00:00")
    d.move(p4, out_b, c2, 2, state="assigned", line=d.line(so4, 2))
    # SO5 (October): shipped before the period, its backorder still open
    so5 = d.order(c1, wa, "2026-10-20 08:00:00", k1, 50.0)
    l5 = d.line(so5, 5)
    p5 = d.picking(so5, out_a, c1, "done", "2026-10-22 08:00:00", scheduled="2026-10-21 00:00:00")
    d.move(p5, out_a, c1, 3, date="2026-10-22 08:00:00", line=l5)
    p5b = d.picking(so5, out_a, c1, "assigned", scheduled="2026-11-10 08:00:00", backorder=p5)
    d.move(p5b, out_a, c1, 2, state="assigned", line=l5)
    # SO6: partial delivery, backorder open
    so6 = d.order(c2, wb, "2026-11-24 10:00:00", k1, 200.0)
    l6 = d.line(so6, 3)
    p6 = d.picking(so6, out_b, c2, "done", "2026-11-26 10:00:00", scheduled="2026-11-26 00:00:00")
    m6 = d.move(p6, out_b, c2, 2, date="2026-11-26 10:00:00", line=l6)
    p6b = d.picking(so6, out_b, c2, "confirmed", scheduled="2026-11-27 00:00:00", backorder=p6)
    d.move(p6b, out_b, c2, 1, state="confirmed", line=l6)
    # SO4's pick step ran short in the pick-pack-ship flow: its backorder waits on the pick, not on the delivery
    d.picking(so4, d.pick_a, c1, "assigned", scheduled="2026-11-22 00:00:00", backorder=p4)
    # a supplier's backorder is not a customer's
    seed("stock.picking", {"picking_type_id": d.in_a, "state": "assigned", "company_id": c1, "backorder_id": p4,
                           "scheduled_date": "2026-10-01 00:00:00", "sale_id": False})
    # a quotation in the period: not confirmed, never counted
    d.order(c1, wa, "2026-11-15 08:00:00", k1, 900.0, state="draft")

    # invoices: SO1 on the 7th, SO2 on the 14th, SO3 on the 23rd (before its return); a credit note and a draft
    d.invoice(c1, "2026-11-07", [l1a, l1b])
    d.invoice(c1, "2026-11-14", [l2])
    d.invoice(c2, "2026-11-23", [l3])
    d.invoice(c2, "2026-11-26", [l3], move_type="out_refund")
    d.invoice(c2, "2026-11-27", [l6], state="draft")

    # valuation: stock bought in October, cost out with each delivery, back with the return
    costs = {c1: ((m1a, -120.0, "2026-11-04 10:00:00"), (m1b, -100.0, "2026-11-04 10:00:00"),
                  (m1c, -80.0, "2026-11-06 10:00:00"), (m2, -100.0, "2026-11-11 08:00:00")),
             c2: ((m3, -80.0, "2026-11-22 00:00:00"), (m3r, 20.0, "2026-11-25 09:00:00"), (m6, -40.0, "2026-11-26 10:00:00"))}
    if d.gw.info.major >= 19:  # each move holds its unsigned value; Odoo answers the stock value per day
        for moves in costs.values():
            for move, value, _ in moves:
                d.gw.write("stock.move", [move], {"value": abs(value)})
        d.gw.values_at = {("2026-10-31 23:59:59", c1): [700.0, 300.0], ("2026-11-30 23:59:59", c1): [600.0],
                          ("2026-10-31 23:59:59", c2): [500.0], ("2026-11-30 23:59:59", c2): [400.0]}
    else:
        d.layer(c1, 1000.0, "2026-10-01 00:00:00")
        d.layer(c2, 500.0, "2026-10-01 00:00:00")
        for company, moves in costs.items():
            for move, value, when in moves:
                d.layer(company, value, when, move)

    # purchase receipts: one on the planned day, one three days late
    pol1 = seed("purchase.order.line", {"date_planned": "2026-11-05 10:00:00"})
    pol2 = seed("purchase.order.line", {"date_planned": "2026-11-10 00:00:00"})
    rc1 = seed("stock.picking", {"picking_type_id": d.in_a, "state": "done", "company_id": c1})
    rc2 = seed("stock.picking", {"picking_type_id": d.in_a, "state": "done", "company_id": c1})
    d.move(rc1, d.in_a, c1, 10, date="2026-11-05 22:00:00", src=d.vendor, dest=d.stock, po_line=pol1)
    d.move(rc2, d.in_a, c1, 10, date="2026-11-13 00:00:00", src=d.vendor, dest=d.stock, po_line=pol2)

    # confirmations in the chatter: Cora (release role) confirmed SO1, SO3, SO4; Sam SO2 and SO6
    for order, author, when in ((so1, cora, "2026-11-02 10:00:00"), (so2, sam, "2026-11-10 08:00:00"),
                                (so3, cora, "2026-11-20 12:00:00"), (so4, cora, "2026-11-25 09:00:00"),
                                (so6, sam, "2026-11-24 10:00:00")):
        d.confirmed_by(order, author, when)
    d.confirmed_by(so2, cora, "2026-11-09 08:00:00", label="Quotation Sent")  # another state change
    d.confirmed_by(so6, cora, "2026-11-24 11:00:00", field=d.other_field)  # another field's tracking
    d.gw.calls.clear()  # the calls a test counts are the report's own
    d.orders = {"so1": so1, "so2": so2, "so3": so3, "so4": so4, "so5": so5, "so6": so6}
    return d


@pytest.fixture
def data() -> Data:
    return build()
