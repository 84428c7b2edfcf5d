"""putaway_rules: where a warehouse stores what it receives, and the storage locations they name.

A rule's location is read relative to the warehouse's stock location (``Shelf A`` is
``WH/Stock/Shelf A``), or as that full name. Odoo only applies a putaway rule to goods
arriving in the rule's location_in_id or below it, so a location of another warehouse
could never receive anything: it is refused where it is written rather than silently
never used.
"""

from __future__ import annotations

from collections.abc import Callable

from odookit.blueprints.desired import Desired, ref
from odookit.blueprints.schema import Blueprint

STOCK = "Stock"  # the name Odoo gives every warehouse's stock location (lot_stock_id)


def storage_path(location: str, warehouse: str, warehouses: list[str]) -> tuple[list[str] | None, str | None]:
    """The location's names below the warehouse's stock location, or (None, why not)."""
    parts = [p.strip() for p in str(location).split("/")]
    if any(not p for p in parts):
        return None, f"location '{location}' has an empty name between its slashes"
    head = parts[0].upper()
    if head == warehouse.upper():
        if len(parts) < 3 or parts[1] != STOCK:
            return None, (f"location '{location}' is not under {warehouse.upper()}/{STOCK}: a putaway rule stores goods "
                          f"in a sub-location of the warehouse's stock")
        return parts[2:], None
    other = next((w for w in warehouses if w.upper() == head and w.upper() != warehouse.upper()), None)
    if other is not None and len(parts) > 1:
        return None, (f"location '{location}' is in warehouse {other}, not in {warehouse}: a putaway rule of {warehouse} "
                      f"can only store goods under {warehouse.upper()}/{STOCK}")
    return parts, None


def putaway_problems(doc: dict, report: Callable, suggest: Callable, items: Callable, code: Callable,
                     warehouses: list[str] | None, categories: list[str] | None) -> None:
    """Located problems of the raw merged document's putaway_rules (see references.py)."""
    seen: dict[tuple, int] = {}
    for i, rule in items(doc.get("putaway_rules")):
        wh = code(rule.get("warehouse"))
        if wh is not None and warehouses is not None and wh not in warehouses:
            fix = f"Use one of: {', '.join(warehouses)}." if warehouses else "Define a warehouse first."
            report(("putaway_rules", i, "warehouse"), f"unknown warehouse '{wh}'{suggest(wh, warehouses)}", fix)
        cat, product = code(rule.get("category")), code(rule.get("product"))
        if cat is not None and categories is not None and cat not in categories:
            fix = f"Use one of: {', '.join(categories)}." if categories else "Define a product category first."
            report(("putaway_rules", i, "category"), f"unknown product category '{cat}'{suggest(cat, categories)}", fix)
        if (cat is None) == (product is None):
            report(("putaway_rules", i), "a putaway rule needs exactly one of category or product",
                   "Add category: <code> or product: <SKU> (not both).")
        location = code(rule.get("location"))
        if wh is not None and location is not None:
            _, why = storage_path(location, wh, warehouses or [])
            if why:
                report(("putaway_rules", i, "location"), why, f"Write a name under {wh.upper()}/{STOCK}, e.g. 'Shelf A'.")
        key = (wh, cat, product)
        if key in seen:
            report(("putaway_rules", i), f"a second putaway rule for {cat or product} in warehouse {wh} (the other is putaway_rules[{seen[key]}])",
                   "Keep one rule per warehouse and category or product.")
        seen.setdefault(key, i)


def putaway_records(bp: Blueprint, x: Callable[..., str]) -> list[Desired]:
    """The storage locations the rules name (each level once) and the rules themselves."""
    out: list[Desired] = []
    made: set[str] = set()
    codes = [w.code for w in bp.warehouses]
    for rule in bp.putaway_rules:
        path, _ = storage_path(rule.location, rule.warehouse, codes)
        parent = x("location", rule.warehouse, "stock")
        for depth in range(1, len(path) + 1):
            lx = x("storage_location", rule.warehouse, *path[:depth])
            if lx not in made:
                made.add(lx)
                out.append(Desired("stock.location", lx, {"name": path[depth - 1], "location_id": ref(parent), "usage": "internal"},
                                   label=f"{rule.warehouse} storage location {'/'.join(path[:depth])}"))
            parent = lx
        target = rule.category or rule.product
        values = {"location_in_id": ref(x("location", rule.warehouse, "stock")), "location_out_id": ref(parent),
                  "category_id": ref(x("product_category", rule.category)) if rule.category else False,
                  "product_id": ref(x("product", rule.product)) if rule.product else False}
        out.append(Desired("stock.putaway.rule", x("putaway_rule", rule.warehouse, target), values,
                           label=f"{rule.warehouse} putaway of {target} to {'/'.join(path)}"))
    return out


def storage_location_name(bp: Blueprint, warehouse: str, location: str) -> str:
    """The full name Odoo shows for a rule's location (WH/Stock/Shelf A)."""
    path, _ = storage_path(location, warehouse, [w.code for w in bp.warehouses])
    return "/".join([warehouse.upper(), STOCK, *(path or [])])


def refuse_missing_products(gateway, state) -> None:
    """A rule naming a product the database does not have yet (products come with migrate load)
    is refused at plan time, before anything is applied, rather than failing half-way through apply."""
    from odookit.errors import PlanError

    wanted = {r.xmlid: r.values["product_id"]["$ref"] for r in state.records
              if r.model == "stock.putaway.rule" and isinstance(r.values.get("product_id"), dict)}
    if not wanted:
        return
    found = gateway.resolve_xmlids(sorted(set(wanted.values())))
    missing = sorted((rule, product) for rule, product in wanted.items() if product not in found)
    if missing:
        rule, product = missing[0]
        raise PlanError(
            f"putaway rule {rule} names product {product}, which is not in database {gateway.db}"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
            fix="Load the products first (apply without this rule, then odookit migrate load --entity products), or give the rule the product's category.",
        )
