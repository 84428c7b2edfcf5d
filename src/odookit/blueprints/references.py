"""Checks that span several sections: references by code, unique codes, role groups."""

from __future__ import annotations

from collections import Counter

from odookit.blueprints.loader import SourceMap, suggest
from odookit.blueprints.schema import Blueprint
from odookit.errors import BlueprintError


def reference_problems(bp: Blueprint, smap: SourceMap) -> list[BlueprintError]:
    problems: list[BlueprintError] = []

    def report(loc: tuple, message: str) -> None:
        problems.append(BlueprintError(message, where=str(smap.at(loc) or "blueprints")))

    def unique(section: str, codes: list[str]) -> None:
        seen = Counter(c.upper() for c in codes)
        for i, code in enumerate(codes):
            if seen[code.upper()] > 1 and codes.index(code) != i:
                report((section, i, "code"), f"duplicate {section} code '{code}' (codes must be unique)")

    companies = [c.code for c in bp.companies]
    warehouses = [w.code for w in bp.warehouses]
    categories = [c.code for c in bp.product_categories]
    roles = [r.code for r in bp.roles]
    for section, codes in (
        ("companies", companies),
        ("warehouses", warehouses),
        ("product_categories", categories),
        ("payment_terms", [p.code for p in bp.payment_terms]),
        ("pricelists", [p.code for p in bp.pricelists]),
        ("roles", roles),
    ):
        unique(section, codes)
    unique_segments = [s.code for s in bp.credit.segments]
    for i, code in enumerate(unique_segments):
        if unique_segments.index(code) != i:
            report(("credit", "segments", i, "code"), f"duplicate credit segment '{code}'")

    def ref(loc: tuple, value: str | None, known: list[str], kind: str) -> None:
        if value is not None and value not in known:
            report(loc, f"unknown {kind} '{value}'{suggest(value, known)}")

    if sum(c.main for c in bp.companies) > 1:
        report(("companies",), "more than one company has main: true (only the database's main company can be adopted)")
    for i, wh in enumerate(bp.warehouses):
        ref(("warehouses", i, "company"), wh.company, companies, "company")
        for j, src in enumerate(wh.resupply_from):
            ref(("warehouses", i, "resupply_from", j), src, warehouses, "warehouse")
            if src == wh.code:
                report(("warehouses", i, "resupply_from", j), f"warehouse '{wh.code}' cannot resupply itself")
    for i, cat in enumerate(bp.product_categories):
        ref(("product_categories", i, "parent"), cat.parent, categories, "product category")
    for i, pl in enumerate(bp.pricelists):
        ref(("pricelists", i, "company"), pl.company, companies, "company")
        for j, rule in enumerate(pl.rules):
            ref(("pricelists", i, "rules", j, "category"), rule.category, categories, "product category")
            if (rule.discount is None) == (rule.fixed_price is None):
                report(("pricelists", i, "rules", j), "a pricelist rule needs exactly one of discount or fixed_price")
    for i, term in enumerate(bp.payment_terms):
        total = round(sum(line.percent for line in term.lines), 6)
        if total != 100:
            report(("payment_terms", i, "lines"), f"payment term '{term.code}' lines add up to {total}%, not 100%")
    for i, pa in enumerate(bp.approvals.purchase):
        ref(("approvals", "purchase", i, "company"), pa.company, companies, "company")
    ref(("credit", "release_role"), bp.credit.release_role, roles, "role")
    ref(("approvals", "sales_discount_role"), bp.approvals.sales_discount_role, roles, "role")
    ref(("approvals", "inventory_adjustment_role"), bp.approvals.inventory_adjustment_role, roles, "role")
    for i, rule in enumerate(bp.reorder.rules):
        ref(("reorder", "rules", i, "warehouse"), rule.warehouse, warehouses, "warehouse")
        ref(("reorder", "rules", i, "category"), rule.category, categories, "product category")
        if rule.max_qty < rule.min_qty:
            report(("reorder", "rules", i, "max_qty"), f"max_qty {rule.max_qty} is below min_qty {rule.min_qty}")
    if bp.reorder.max_qty < bp.reorder.min_qty:
        report(("reorder", "max_qty"), f"max_qty {bp.reorder.max_qty} is below min_qty {bp.reorder.min_qty}")
    from odookit.governance.groups import known_group_problems

    for i, role in enumerate(bp.roles):
        for j, group in enumerate(role.groups):
            message = known_group_problems(group)
            if message:
                report(("roles", i, "groups", j), message)
    return problems
