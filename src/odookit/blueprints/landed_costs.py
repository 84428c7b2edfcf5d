"""landed_costs: the freight, duty and insurance products that raise the value of received goods.

Each becomes a service product with ``landed_cost_ok`` and its split method
(stock_landed_costs). Odoo spreads a posted landed cost only over products whose
category costs ``fifo`` or ``average``, and only an Inventory administrator
(``stock.group_stock_manager``) may create and post one: a blueprint whose categories
all cost at standard, or whose posting role lacks that group, could never use them,
so both are refused where they are written.
"""

from __future__ import annotations

from collections.abc import Callable

from odookit.blueprints.desired import Desired

MODULE = "stock_landed_costs"
POSTING_GROUP = "stock.group_stock_manager"  # the only group stock_landed_costs' access rules let in
COSTED = ("fifo", "average")  # the costing methods a landed cost is added to


def landed_cost_problems(doc: dict, report: Callable, suggest: Callable, items: Callable, code: Callable,
                         roles: list[str] | None) -> None:
    """Located problems of the raw merged document's landed_costs section (see references.py)."""
    body = doc.get("landed_costs")
    if not isinstance(body, dict):
        return
    seen: dict[str, int] = {}
    for i, product in items(body.get("products")):
        key = code(product.get("code"))
        if key is None:
            continue
        if key.upper() in seen:
            report(("landed_costs", "products", i, "code"), f"duplicate landed cost code '{key}' (the other is products[{seen[key.upper()]}])",
                   "Codes must be unique; rename one.")
        seen.setdefault(key.upper(), i)
    categories = [c for _, c in items(doc.get("product_categories"))]
    if isinstance(doc.get("product_categories"), list | type(None)) and not any(c.get("costing_method") in COSTED for c in categories):
        report(("landed_costs",), "landed_costs are configured but no product category costs fifo or average: Odoo adds landed costs "
               "only to the value of FIFO or average-cost products",
               "Give the categories of imported goods costing_method: fifo (or average), or drop landed_costs.")
    role = code(body.get("post_role"))
    if role is None or roles is None:
        return
    if role not in roles:
        fix = f"Use one of: {', '.join(roles)}." if roles else "Define a role first."
        report(("landed_costs", "post_role"), f"unknown role '{role}'{suggest(role, roles)}", fix)
        return
    from odookit.governance.groups import implied_closure

    groups = next((r.get("groups") for _, r in items(doc.get("roles")) if code(r.get("code")) == role), None)
    if isinstance(groups, list) and POSTING_GROUP not in implied_closure([g for g in groups if isinstance(g, str)]):
        report(("landed_costs", "post_role"), f"role '{role}' may not post landed costs: Odoo lets only Inventory administrators "
               f"({POSTING_GROUP}) create and post them", f"Add {POSTING_GROUP} to the role's groups, or name a role that has it.")


def landed_cost_records(bp, x: Callable[..., str]) -> list[Desired]:
    """One service product per landed cost, bought (on vendor bills) and never sold."""
    if bp.landed_costs is None:
        return []
    return [
        Desired("product.template", x("landed_cost", p.code),
                {"name": p.name, "type": "service", "landed_cost_ok": True, "split_method_landed_cost": p.split_method,
                 "purchase_ok": True, "sale_ok": False},
                label=f"landed cost {p.code} ({p.split_method})")
        for p in bp.landed_costs.products
    ]


def landed_cost_modules(bp) -> list[str]:
    return [MODULE] if bp.landed_costs is not None else []


def costed_categories(bp) -> list:
    """The blueprint's categories a landed cost raises the value of."""
    return [c for c in bp.product_categories if c.costing_method in COSTED]
