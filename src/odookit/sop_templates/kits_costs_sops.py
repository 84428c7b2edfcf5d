"""The SOPs of the manufacturing (kits, assembly) and landed_costs sections, for a blueprint that has them.

Their context adds the section's configuration in the blueprint's own names: which warehouses
assemble and in how many steps, how many kits the last migration rehearsal would load; the
landed cost products with their split methods, the role that posts them and the categories
whose unit cost they raise.
"""

from __future__ import annotations

from odookit.blueprints.landed_costs import costed_categories
from odookit.blueprints.schema import Blueprint

STEPS = {1: "1 step: components consumed from stock", 2: "2 steps: pick components, then assemble",
         3: "3 steps: pick components, assemble, then store the product"}
SPLIT = {"equal": "equally over the received lines", "by_quantity": "by quantity received", "by_current_cost_price": "by the lines' current cost",
         "by_weight": "by weight (product weight x quantity)", "by_volume": "by volume (product volume x quantity)"}


def manufacturing_context(bp: Blueprint) -> dict:
    section = bp.manufacturing
    names = {w.code: w.name for w in bp.warehouses}
    return {"manufacturing": {
        "kits": section.kits,
        "assembly": [{"code": a.warehouse, "name": names.get(a.warehouse, a.warehouse), "steps": STEPS[a.steps]} for a in section.assembly],
        "no_assembly": [w.name for w in bp.warehouses if w.code not in {a.warehouse for a in section.assembly}],
    }}


def landed_costs_context(bp: Blueprint) -> dict:
    section = bp.landed_costs
    names = {r.code: r.name for r in bp.roles}
    return {"landed_costs": {
        "products": [{"code": p.code, "name": p.name, "split": SPLIT[p.split_method]} for p in section.products],
        "poster": names.get(section.post_role or "", ""),
        "categories": [{"name": c.name, "costing": c.costing_method, "valuation": c.valuation} for c in costed_categories(bp)],
    }}
