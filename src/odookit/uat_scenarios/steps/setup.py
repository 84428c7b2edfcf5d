"""Set-up: the master data a scenario needs, created for the run under its prefix."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from odookit.errors import UatError
from odookit.uat_scenarios.context import create, number, write
from odookit.uat_scenarios.library import uat_step

Q = r'"(?P<{}>[^"]+)"'
NUM = r"(?P<{}>\d[\d,]*(?:\.\d+)?)"


@uat_step(
    r"I am logged in as (?:the |an? )?" + Q.format("role") + "|I log in as (?:the |an? )?" + Q.format("role2"),
    example='I am logged in as the "Warehouse Clerk"',
    area="set-up",
    doc="Act as a user of this blueprint role, created for the run with the role's groups.",
)
def logged_in(uat, role=None, role2=None):
    uat.login_as(role or role2)


@uat_step(
    r"a customer " + Q.format("name")
    + r"(?: with a credit limit of " + NUM.format("limit") + r")?"
    + r"(?: in credit segment " + Q.format("segment") + r")?"
    + r"(?: on pricelist " + Q.format("pricelist") + r")?"
    + r"(?: (?:and|with) payment terms " + Q.format("terms") + r")?",
    example='a customer "Customer A" with a credit limit of 5000 on pricelist "PL1" and payment terms "TERM30"',
    area="set-up",
    doc="Create a customer; credit segment, pricelist and payment terms are the blueprint's codes.",
)
def customer(uat, name, limit=None, segment=None, pricelist=None, terms=None):
    vals = {"name": uat.name(name), "customer_rank": 1, "is_company": True, "ref": uat.code(name)}
    if limit is not None:
        vals.update(credit_limit=number(limit), use_partner_credit_limit=True)
    if segment:
        _, tag = uat.segment(segment)
        vals["category_id"] = [(4, tag)]
    if pricelist:
        vals["property_product_pricelist"] = uat.pricelist(pricelist)
    if terms:
        vals["property_payment_term_id"] = uat.payment_term(terms)
    rid = create(uat.admin, "res.partner", [vals])[0]
    uat.remember("customer", name, rid)
    uat.touch("res.partner", rid)


@uat_step(
    r"an? (?P<kind>storable|lot-tracked) product " + Q.format("name") + r" in category " + Q.format("category")
    + r" priced at " + NUM.format("price") + r"(?: costing " + NUM.format("cost") + r")?"
    + r"(?P<taxed> with the company's default taxes)?",
    example='a storable product "Widget" in category "CAT1" priced at 2.50 costing 1.10',
    area="set-up",
    doc="Create a product tracked in inventory; lot tracking follows the blueprint category or 'lot-tracked'. "
    "Without taxes, unless 'with the company's default taxes' (the chart's sales and purchase tax the blueprint set).",
)
def product(uat, kind, name, category, price, cost=None, taxed=None):
    cat, cat_id = uat.category(category)
    tracking = "lot" if kind == "lot-tracked" else cat.tracking
    vals = {
        "name": uat.name(name),
        "default_code": uat.code(name),
        "categ_id": cat_id,
        "type": "consu",
        "is_storable": True,
        "tracking": tracking,
        "list_price": number(price),
        "invoice_policy": uat.run.blueprint.invoicing.policy,
        "sale_ok": True,
        "purchase_ok": True,
        # Net amounts: a feature's totals should not depend on the company's default taxes.
        "taxes_id": [(6, 0, [])],
        "supplier_taxes_id": [(6, 0, [])],
    }
    if taxed:
        company = uat.admin.read("res.users", [uat.admin.uid], ["company_id"])[0]["company_id"][0]
        defaults = uat.admin.read("res.company", [company], ["account_sale_tax_id", "account_purchase_tax_id"])[0]
        for field, default in (("taxes_id", "account_sale_tax_id"), ("supplier_taxes_id", "account_purchase_tax_id")):
            vals[field] = [(6, 0, [defaults[default][0]] if defaults[default] else [])]
    if cost is not None:
        vals["standard_price"] = number(cost)
    if getattr(cat, "expiry", None):  # the category's expiry days, as migrate load gives its products
        e = cat.expiry
        vals.update(use_expiration_date=True, expiration_time=e.expiration_days, use_time=e.use_days, removal_time=e.removal_days, alert_time=e.alert_days)
    tmpl = create(uat.admin, "product.template", [vals])[0]
    pid = uat.admin.search("product.product", [("product_tmpl_id", "=", tmpl)])[0]
    uat.remember("product", name, pid)
    uat.product_category[name] = cat.code
    uat.touch("product.product", pid)


@uat_step(
    NUM.format("qty") + r" units? of " + Q.format("product") + r" (?:are |is )?on hand in (?:warehouse )?" + Q.format("warehouse")
    + r"(?: in lot " + Q.format("lot") + r"(?: expiring in (?P<days>\d+) days?)?)?",
    example='120 units of "Widget" are on hand in warehouse "WH1"',
    area="set-up",
    doc="Put stock in the warehouse's stock location with an inventory adjustment (lot created when named; "
    "'expiring in <n> days' gives the lot its expiration date, its removal and best-before dates follow from the product's days).",
)
def stock_on_hand(uat, qty, product, warehouse, lot=None, days=None):
    pid = uat.product(product)
    wh = uat.admin.read("stock.warehouse", [uat.warehouse(warehouse)], ["lot_stock_id"])[0]
    tracking = uat.admin.read("product.product", [pid], ["tracking"])[0]["tracking"]
    vals = {"product_id": pid, "location_id": wh["lot_stock_id"][0], "inventory_quantity": number(qty)}
    if tracking != "none":
        lot_name = uat.code(lot or f"{product} lot")
        lot_vals = {"name": lot_name, "product_id": pid}
        if days is not None:
            lot_vals["expiration_date"] = (datetime.now(timezone.utc) + timedelta(days=int(days))).strftime("%Y-%m-%d %H:%M:%S")
        vals["lot_id"] = create(uat.admin, "stock.lot", [lot_vals])[0]
    elif lot:
        raise UatError(f'product "{product}" is not lot-tracked: remove "in lot" from the step')
    quant = create(uat.admin, "stock.quant", [vals], context={"inventory_mode": True})[0]
    uat.admin.execute("stock.quant", "action_apply_inventory", ids=[quant], context={"inventory_mode": True})
    uat.touch("product.product", pid)


@uat_step(
    r"a supplier " + Q.format("name") + r" (?:selling|delivering) " + Q.format("product") + r" at " + NUM.format("price")
    + r"(?: with a lead time of (?P<days>\d+) days?)?",
    example='a supplier "Supplier A" selling "Widget" at 1.10 with a lead time of 7 days',
    area="set-up",
    doc="Create (or reuse) a supplier and its price list line for the product; lead time defaults to the blueprint's.",
)
def supplier(uat, name, product, price, days=None):
    key = ("supplier", name.casefold())
    if key not in uat.records:
        rid = create(uat.admin, "res.partner", [{"name": uat.name(name), "supplier_rank": 1, "is_company": True, "ref": uat.code(name)}])[0]
        uat.remember("supplier", name, rid)
    partner = uat.records[key]
    pid = uat.product(product)
    tmpl = uat.admin.read("product.product", [pid], ["product_tmpl_id"])[0]["product_tmpl_id"][0]
    delay = int(days) if days is not None else uat.run.blueprint.reorder.supplier_lead_days
    create(uat.admin, "product.supplierinfo", [{"partner_id": partner, "product_tmpl_id": tmpl, "price": number(price), "delay": delay, "min_qty": 0}])
    buy = uat.admin.resolve_xmlids(["purchase_stock.route_warehouse0_buy"]).get("purchase_stock.route_warehouse0_buy")
    if buy:
        write(uat.admin, "product.template", [tmpl], {"route_ids": [(4, buy[1])]})
    uat.touch("res.partner", partner)


def blueprint_min_max(uat, product: str, warehouse: str) -> tuple[float, float]:
    """The min/max migration would give this product in this warehouse: one rule for both, so UAT tests what loads."""
    from dataclasses import replace

    from odookit.migration.rules import map_context

    bp = uat.run.blueprint
    ctx = replace(map_context(bp, uat.run.module), product_category={product: uat.product_category.get(product)},
                  category_parent={c.code: c.parent for c in bp.product_categories if c.parent})
    return ctx.reorder_min_max(uat.blueprint_warehouse(warehouse).code, product)


@uat_step(
    r"a reorder rule for " + Q.format("product") + r" in (?:warehouse )?" + Q.format("warehouse")
    + r"(?: with minimum " + NUM.format("min") + r" and maximum " + NUM.format("max") + r")?"
    + r"(?: resupplied from (?:warehouse )?" + Q.format("source") + r")?",
    example='a reorder rule for "Widget" in warehouse "WH2" with minimum 50 and maximum 200 resupplied from warehouse "WH1"',
    area="set-up",
    doc="Create a min/max replenishment rule; without figures, the blueprint's reorder rule for the warehouse and "
    "the product's category applies (as in migration), else its defaults; "
    "'resupplied from' takes the blueprint's inter-warehouse route instead of buying.",
)
def reorder_rule(uat, product, warehouse, min=None, max=None, source=None):
    pid = uat.product(product)
    wh_id = uat.warehouse(warehouse)
    wh = uat.admin.read("stock.warehouse", [wh_id], ["lot_stock_id", "company_id"])[0]
    if min is None or max is None:
        min, max = blueprint_min_max(uat, product, warehouse)
    vals = {
        "name": uat.code(f"{product} {warehouse}"),
        "product_id": pid,
        "warehouse_id": wh_id,
        "location_id": wh["lot_stock_id"][0],
        "company_id": wh["company_id"][0],
        "product_min_qty": number(min),
        "product_max_qty": number(max),
        "trigger": "auto",
    }
    if source:
        routes = uat.admin.search("stock.route", [("supplied_wh_id", "=", wh_id), ("supplier_wh_id", "=", uat.warehouse(source))], limit=1)
        if not routes:
            raise UatError(
                f'warehouse "{warehouse}" is not resupplied from "{source}" on the target',
                fix="Add the source to the warehouse's resupply_from in blueprints/ and run `odookit blueprint apply`.",
            )
        vals["route_id"] = routes[0]
    rid = create(uat.admin, "stock.warehouse.orderpoint", [vals])[0]
    uat.current["orderpoint"] = rid
    uat.touch("stock.warehouse.orderpoint", rid)


@uat_step(
    r"a quarantine location " + Q.format("name") + r" in (?:warehouse )?" + Q.format("warehouse"),
    example='a quarantine location "Returns Quarantine" in warehouse "WH1"',
    area="set-up",
    doc="Create an internal location under the warehouse where returned goods wait for inspection.",
)
def quarantine(uat, name, warehouse):
    wh = uat.admin.read("stock.warehouse", [uat.warehouse(warehouse)], ["view_location_id"])[0]
    rid = create(uat.admin, "stock.location", [{"name": uat.name(name), "usage": "internal", "location_id": wh["view_location_id"][0]}])[0]
    uat.remember("location", name, rid)
    uat.touch("stock.location", rid)
