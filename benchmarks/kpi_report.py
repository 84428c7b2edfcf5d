"""The KPI report on a real Odoo 18 holding 20,000+ sale order lines with their deliveries and invoices.

Point ODOO_URL / ODOO_DB / ODOO_USER / ODOO_PASSWORD at a database you can
throw away (only `base` installed is fine). Unless it already holds the data
(`--reuse`), the script installs the apps and builds it with batched calls (rerun
it after an interruption: each step resumes where it stopped):

    ORDERS orders x LINES lines confirmed, their deliveries validated in batches
    (one in ten shipped partially, leaving a backorder), one invoice per order
    created and posted in batches, and a few purchase receipts.

Then it computes the whole report (every KPI over the last 90 days) and
prints its time and round trips beside their anchors: under 30 s, and round
trips that follow the KPIs, not the records. Building takes several minutes
on a 2-core machine; run it once.

    python benchmarks/kpi_report.py [--orders 2000] [--lines 10] [--reuse]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

BATCH = 25  # orders per call: each request stays short on a busy 2-core server


def batches(ids: list[int], size: int = BATCH):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def build(gw, orders: int, lines: int) -> None:
    """Each step picks up where an interrupted build stopped (a shared server may reload)."""
    from odookit.odoo.adapters import product_type_fields

    t0 = time.perf_counter()
    gw.install_modules(["sale_management", "sale_stock", "purchase_stock", "stock_account", "account"])
    print(f"apps installed in {time.perf_counter() - t0:.0f} s", flush=True)
    products = gw.search("product.product", [("name", "=like", "Bench item %")])
    if len(products) < lines:
        kind = product_type_fields(gw.info.major, "storable")
        kind = {k: (v == "1") if k == "is_storable" else v for k, v in kind.items()}
        products = gw.create("product.product", [
            {"name": f"Bench item {n}", "list_price": 10.0 + n, "standard_price": 4.0 + n, **kind} for n in range(lines)])
        warehouse = gw.search_read("stock.warehouse", [], ["lot_stock_id"], limit=1)[0]
        quants = gw.create("stock.quant", [{"product_id": p, "location_id": warehouse["lot_stock_id"][0],
                                            "inventory_quantity": 10.0 * orders} for p in products], context={"inventory_mode": True})
        gw.execute("stock.quant", "action_apply_inventory", ids=quants)
    products = products[:lines]
    partners = gw.search("res.partner", [("name", "in", ["Bench customer", "Bench vendor"])])
    customer, vendor = partners if len(partners) == 2 else gw.create("res.partner", [{"name": "Bench customer"}, {"name": "Bench vendor"}])
    t0 = time.perf_counter()
    have = gw.execute("sale.order", "search_count", domain=[("partner_id", "=", customer)])
    for start in range(have, orders, BATCH):
        gw.create("sale.order", [
            {"partner_id": customer, "order_line": [(0, 0, {"product_id": p, "product_uom_qty": 1 + (n + i) % 3}) for i, p in enumerate(products)]}
            for n in range(start, min(start + BATCH, orders))])
    order_ids = gw.search("sale.order", [("partner_id", "=", customer)])
    for part in batches(gw.search("sale.order", [("partner_id", "=", customer), ("state", "=", "draft")])):
        gw.execute("sale.order", "action_confirm", ids=part)
    print(f"{len(order_ids)} orders x {lines} lines created and confirmed in {time.perf_counter() - t0:.0f} s", flush=True)
    t0 = time.perf_counter()
    pickings = gw.search("stock.picking", [("sale_id", "in", order_ids), ("state", "=", "assigned"), ("backorder_id", "=", False)])
    partial = pickings[::10]
    moves = gw.search_read("stock.move", [("picking_id", "in", partial)], ["picking_id", "product_uom_qty"])
    first = {}
    for m in moves:
        first.setdefault(m["picking_id"][0], m)
    for m in first.values():  # one line of one delivery in ten ships short: it leaves a backorder
        gw.write("stock.move", [m["id"]], {"quantity": m["product_uom_qty"] - 1})
    for part in batches(pickings):
        gw.execute("stock.picking", "button_validate", ids=part, context={"skip_backorder": True})
    print(f"{len(pickings)} deliveries validated ({len(partial)} partial) in {time.perf_counter() - t0:.0f} s", flush=True)
    t0 = time.perf_counter()
    to_invoice = gw.search("sale.order", [("partner_id", "=", customer), ("invoice_status", "=", "to invoice")])
    for part in batches(to_invoice):
        context = {"active_model": "sale.order", "active_ids": part}
        wizard = gw.create("sale.advance.payment.inv", [{"advance_payment_method": "delivered", "consolidated_billing": False,
                                                          "sale_order_ids": [(6, 0, part)]}], context=context)
        gw.execute("sale.advance.payment.inv", "create_invoices", ids=wizard, context=context)
    invoices = gw.search("account.move", [("move_type", "=", "out_invoice"), ("state", "=", "draft")])
    for part in batches(invoices):
        gw.execute("account.move", "action_post", ids=part)
    print(f"{len(invoices)} invoices created and posted in {time.perf_counter() - t0:.0f} s", flush=True)
    if not gw.search("purchase.order", [("partner_id", "=", vendor)]):
        pos = gw.create("purchase.order", [{"partner_id": vendor, "order_line": [(0, 0, {"product_id": p, "product_qty": 5}) for p in products[:3]]}
                                           for _ in range(20)])
        gw.execute("purchase.order", "button_confirm", ids=pos)
        receipts = gw.search("stock.picking", [("purchase_id", "in", pos), ("state", "=", "assigned")])
        gw.execute("stock.picking", "button_validate", ids=receipts)
        print(f"{len(pos)} purchase orders received", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--lines", type=int, default=10, help="Lines per order (one product each).")
    parser.add_argument("--reuse", action="store_true", help="The database already holds the data: only time the report.")
    args = parser.parse_args()
    settings = {k: os.environ.get(k) for k in ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD")}
    if not all(settings.values()):
        print("set ODOO_URL, ODOO_DB, ODOO_USER and ODOO_PASSWORD to a throw-away Odoo database", file=sys.stderr)
        return 2
    from odookit.kpi.period import parse_period
    from odookit.kpi.reads import Policy
    from odookit.kpi.report import compute_report
    from odookit.odoo.connect import open_gateway

    gw = open_gateway(settings["ODOO_URL"], settings["ODOO_DB"], settings["ODOO_USER"], settings["ODOO_PASSWORD"])
    if not args.reuse:
        build(gw, args.orders, args.lines)
    lines = gw.execute("sale.order.line", "search_count", domain=[("order_id.state", "=", "sale")])
    # a blueprint with both controls on, so the credit and discount KPIs read their data too
    policy = Policy(module="bench", credit_block=True, default_limit=1000.0, discount_above=10.0)
    report = compute_report(gw, parse_period(None, None), policy, target="bench")
    print()
    print(f"{'measure':<36}{'figure':>14}   anchor")
    print(f"{'confirmed sale order lines':<36}{lines:>14,}   >= 20,000")
    for name, count in report.records.items():
        print(f"{'  read: ' + name.replace('_', ' '):<36}{count:>14,}")
    print(f"{'whole report (11 KPIs)':<36}{report.seconds:>13.1f}s   < 30 s")
    print(f"{'round trips':<36}{report.round_trips:>14}   O(KPIs): {len(report.kpis)} KPIs, not one per record")
    print()
    for k in report.kpis:
        print(f"  {k.name:<26} {k.shown():<44} {k.covered:>8,} records")
    return 0 if report.seconds < 30 and lines >= 20000 else 1


if __name__ == "__main__":
    sys.exit(main())
