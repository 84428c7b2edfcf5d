"""The KPI report on a real Odoo 18 holding 20,000+ sale order lines with their deliveries and invoices.

Point ODOO_URL / ODOO_DB / ODOO_USER / ODOO_PASSWORD at a database you can
throw away (only `base` installed is fine). Unless it already holds the data
(`--reuse`), the script installs the apps and builds it with batched calls (rerun
it after an interruption: each step resumes where it stopped):

    orders of LINES lines, ten at a time: confirmed, their deliveries validated
    (one in ten a line short, leaving a backorder), one invoice per order created
    and posted; up to TARGET_LINES confirmed lines or BUDGET seconds; and a few
    purchase receipts.

Then it computes the whole report (every KPI over the last 90 days) and
prints its time and round trips beside their anchors: under 30 s, and round
trips that follow the KPIs, not the records. Building takes several minutes
on a 2-core machine; run it once.

    python benchmarks/kpi_report.py [--target-lines 20000] [--lines 40] [--budget 3600] [--reuse]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

BATCH = 10  # orders per call: each request stays short on a busy 2-core server


def _setup(gw, lines: int, stock_qty: float, prefix: str):
    from odookit.odoo.adapters import product_type_fields

    gw.install_modules(["sale_management", "sale_stock", "purchase_stock", "stock_account", "account"])
    products = gw.search("product.product", [("name", "=like", f"{prefix} item %")])
    if len(products) < lines:
        kind = product_type_fields(gw.info.major, "storable")
        kind = {k: (v == "1") if k == "is_storable" else v for k, v in kind.items()}
        products += gw.create("product.product", [
            {"name": f"{prefix} item {n}", "list_price": 10.0 + n, "standard_price": 4.0 + n, **kind} for n in range(len(products), lines)])
        warehouse = gw.search_read("stock.warehouse", [], ["lot_stock_id"], limit=1)[0]
        quants = gw.create("stock.quant", [{"product_id": p, "location_id": warehouse["lot_stock_id"][0],
                                            "inventory_quantity": stock_qty} for p in products], context={"inventory_mode": True})
        gw.execute("stock.quant", "action_apply_inventory", ids=quants)
    names = [f"{prefix} customer", f"{prefix} vendor"]
    partners = [gw.search("res.partner", [("name", "=", n)], limit=1) for n in names]
    customer, vendor = [p[0] for p in partners] if all(partners) else gw.create("res.partner", [{"name": n} for n in names])
    return products, customer, vendor


def _ship_and_bill(gw, order_ids: list[int], seconds: dict) -> None:
    """Confirm a batch, validate its deliveries (one in ten a line short, leaving a backorder), invoice and post."""
    t = time.perf_counter()
    gw.execute("sale.order", "action_confirm", ids=order_ids)
    seconds["confirm"] += time.perf_counter() - t
    t = time.perf_counter()
    pickings = gw.search("stock.picking", [("sale_id", "in", order_ids), ("state", "=", "assigned"), ("backorder_id", "=", False)])
    short = gw.search_read("stock.move", [("picking_id", "in", pickings[::10])], ["picking_id", "product_uom_qty"])
    first: dict[int, dict] = {}
    for m in short:
        first.setdefault(m["picking_id"][0], m)
    for m in first.values():
        gw.write("stock.move", [m["id"]], {"quantity": m["product_uom_qty"] - 1})
    gw.execute("stock.picking", "button_validate", ids=pickings, context={"skip_backorder": True})
    seconds["deliver"] += time.perf_counter() - t
    t = time.perf_counter()
    context = {"active_model": "sale.order", "active_ids": order_ids}
    wizard = gw.create("sale.advance.payment.inv", [{"advance_payment_method": "delivered", "consolidated_billing": False,
                                                      "sale_order_ids": [(6, 0, order_ids)]}], context=context)
    gw.execute("sale.advance.payment.inv", "create_invoices", ids=wizard, context=context)
    drafts = gw.search("account.move", [("move_type", "=", "out_invoice"), ("state", "=", "draft"),
                                        ("invoice_line_ids.sale_line_ids.order_id", "in", order_ids)])
    gw.execute("account.move", "action_post", ids=drafts)
    seconds["invoice"] += time.perf_counter() - t


def build(gw, target_lines: int, lines: int, budget: float, prefix: str = "Bench") -> None:
    """Orders of ``lines`` lines, ``BATCH`` at a time, each batch shipped and billed before the next,
    until ``target_lines`` confirmed lines or ``budget`` seconds: the database is whole at any stop,
    and a rerun continues (a shared server may reload under it)."""
    started = time.perf_counter()
    products, customer, vendor = _setup(gw, lines, stock_qty=target_lines, prefix=prefix)
    seconds = {"create": 0.0, "confirm": 0.0, "deliver": 0.0, "invoice": 0.0}
    drafts = gw.search("sale.order", [("partner_id", "=", customer), ("state", "=", "draft")])
    for i in range(0, len(drafts), BATCH):  # orders an interrupted run created but did not ship
        _ship_and_bill(gw, drafts[i:i + BATCH], seconds)
    done = gw.execute("sale.order.line", "search_count", domain=[("order_id.state", "=", "sale"), ("order_id.partner_id", "=", customer)])
    while done < target_lines and time.perf_counter() - started < budget:
        t = time.perf_counter()
        orders = gw.create("sale.order", [
            {"partner_id": customer, "order_line": [(0, 0, {"product_id": p, "product_uom_qty": 1 + (n + i) % 3}) for i, p in enumerate(products)]}
            for n in range(BATCH)])
        seconds["create"] += time.perf_counter() - t
        _ship_and_bill(gw, orders, seconds)
        done += BATCH * len(products)
        print(f"  {done:,} lines shipped and billed ({time.perf_counter() - started:.0f} s)", flush=True)
    print("build: " + ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items()), flush=True)
    if not gw.search("purchase.order", [("partner_id", "=", vendor)], limit=1):
        pos = gw.create("purchase.order", [{"partner_id": vendor, "order_line": [(0, 0, {"product_id": p, "product_qty": 5}) for p in products[:3]]}
                                           for _ in range(20)])
        gw.execute("purchase.order", "button_confirm", ids=pos)
        receipts = gw.search("stock.picking", [("purchase_id", "in", pos), ("state", "=", "assigned")])
        gw.execute("stock.picking", "button_validate", ids=receipts)
        print(f"{len(pos)} purchase orders received", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target-lines", type=int, default=20000, help="Confirmed sale order lines to build up to.")
    parser.add_argument("--lines", type=int, default=40, help="Lines per order (one product each).")
    parser.add_argument("--budget", type=float, default=3600, help="Seconds of building at most; the report is timed on what is there.")
    parser.add_argument("--prefix", default="Bench", help="Names of the builder's products and partners: two builders with "
                        "different prefixes fill one database side by side without locking each other's stock.")
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
        build(gw, args.target_lines, args.lines, args.budget, args.prefix)
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
