"""The sample's return policy and exception paths against a real Odoo 18 or 19 (ODOO_URL, ODOO_DB, ...).

The flows (a return refused, a rush order approved, a late receipt's activity) are proven by the
generated UAT features; this checks what apply leaves behind and that the two rules and the
scheduled action run on the server as odookit wrote them.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone

import pytest

from odookit.errors import OdooRejected
from odookit.odoo.adapters import field_name

from test_blueprint_odoo import _gateway, run

pytestmark = pytest.mark.odoo
M = "nis_config"


def _xid(gw, xmlid: str) -> int:
    return gw.resolve_xmlids([xmlid])[xmlid][1]


def test_quarantine_locations_sit_beside_stock(odoo_target):
    ws, target = odoo_target
    applied = run(ws, "blueprint", "apply", "-t", target)
    assert applied.exit_code == 0, applied.output
    gw = _gateway(ws, target)
    for wh in ("chi", "mke"):
        row = gw.read("stock.location", [_xid(gw, f"{M}.quarantine_location_{wh}")], ["complete_name", "usage", "location_id"])[0]
        view = gw.read("stock.warehouse", [_xid(gw, f"{M}.warehouse_{wh}")], ["view_location_id"])[0]["view_location_id"][0]
        assert (row["complete_name"], row["usage"], row["location_id"][0]) == (f"{wh.upper()}/Returns Quarantine", "internal", view)


def test_a_rush_order_is_refused_to_a_sales_rep(odoo_target):
    ws, target = odoo_target
    applied = run(ws, "blueprint", "apply", "-t", target)
    assert applied.exit_code == 0, applied.output
    gw = _gateway(ws, target)
    tag = secrets.token_hex(3)
    login, password = f"rush_{tag}", secrets.token_urlsafe(12)
    groups = field_name(gw.info.major, "res.users", "groups_id")
    gw.create("res.users", [{"name": login, "login": login, "password": password, groups: [(6, 0, [_xid(gw, f"{M}.role_sales_rep")])]}])
    partner = gw.create("res.partner", [{"name": f"Rush test {tag}", "is_company": True, "credit_limit": 1e7}])[0]
    tmpl = gw.create("product.template", [{"name": f"Rush item {tag}", "type": "consu", "list_price": 10, "sale_delay": 10}])[0]
    product = gw.search("product.product", [("product_tmpl_id", "=", tmpl)])[0]
    rep = _gateway(ws, target, login=login, secret=password)
    soon = (datetime.now(timezone.utc) + timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    order = rep.create("sale.order", [{"partner_id": partner, "commitment_date": soon,
                                       "order_line": [(0, 0, {"product_id": product, "product_uom_qty": 1})]}])[0]
    with pytest.raises(OdooRejected, match="Rush order: .* Ask a Sales Manager to confirm the order"):
        rep.execute("sale.order", "action_confirm", ids=[order])
    assert gw.read("sale.order", [order], ["state"])[0]["state"] in ("draft", "sent")


def test_the_late_receipt_check_runs(odoo_target):
    ws, target = odoo_target
    applied = run(ws, "blueprint", "apply", "-t", target)
    assert applied.exit_code == 0, applied.output
    gw = _gateway(ws, target)
    cron = gw.read("ir.cron", [_xid(gw, f"{M}.cron_late_receipts")], ["active", "interval_number", "interval_type"])[0]
    assert (cron["active"], cron["interval_number"], cron["interval_type"]) == (True, 24, "hours")
    gw.execute("ir.cron", "method_direct_trigger", ids=[cron["id"]])  # raises if the generated code does not run
