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

from odookit.odoo.adapters import landed_cost_posting_groups

MODULE = "stock_landed_costs"
POSTING_GROUP = landed_cost_posting_groups(18)[0]  # the only group stock_landed_costs' access rules let in
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


def refuse_unable_poster(bp, smap, major: int, target: str) -> None:
    """Raise before anything is planned when the posting role could not post a landed cost on this
    target's version (Odoo 19 also wants it to read purchase lines), located at landed_costs.post_role."""
    from odookit.errors import BlueprintError, Problems
    from odookit.governance.groups import implied_closure

    role = bp.role(bp.landed_costs.post_role) if bp.landed_costs and bp.landed_costs.post_role else None
    _, extra = landed_cost_posting_groups(major)
    if role is None or not extra or implied_closure(role.groups) & set(extra):
        return
    mark = smap.at(("landed_costs", "post_role")) if smap is not None else None
    problem = BlueprintError(f"role '{role.code}' may not post landed costs on target '{target}': Odoo {major} also reads the receipt's purchase "
                             f"lines when posting, which needs one of {', '.join(extra)}", where=str(mark) if mark else "blueprints",
                             fix=f"Add {extra[-1]} (read-only) to the role's groups, or name a role that has one of them.")
    raise Problems([problem], f"the landed cost posting role cannot post on target '{target}'; nothing was applied")


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
