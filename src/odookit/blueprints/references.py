"""Checks that span several sections: references by code, unique codes, role groups.

They read the raw merged document (plain dicts and lists straight from YAML),
not the typed Blueprint, so that they still run when the schema check failed
elsewhere: one ``validate`` reports a type error and a dangling reference
together. Every access is therefore defensive: a value of the wrong shape is
the schema check's business and is skipped here.
"""

from __future__ import annotations

from odookit.blueprints.loader import SourceMap, suggest
from odookit.blueprints.schema import Blueprint
from odookit.errors import BlueprintError

_SECTIONS = frozenset(Blueprint.model_fields)

_CODED_SECTIONS = {
    "companies": "company",
    "warehouses": "warehouse",
    "product_categories": "product category",
    "payment_terms": "payment term",
    "pricelists": "pricelist",
    "roles": "role",
}


def _items(value) -> list[tuple[int, dict]]:
    """(index, item) of the mapping items of a list; anything else yields nothing."""
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []


def _section(doc: dict, *path: str):
    value = doc
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _code(value) -> str | None:
    """A scalar as the text it was written as; None for a missing or non-scalar value."""
    if value is None or isinstance(value, dict | list):
        return None
    return str(value)


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def reference_problems(doc, smap: SourceMap) -> list[BlueprintError]:
    """Every cross-section problem of the merged document ``doc`` (a Blueprint is accepted too)."""
    if not isinstance(doc, dict):
        doc = doc.model_dump(mode="python")
    problems: list[BlueprintError] = []

    def report(loc: tuple, message: str, fix: str | None = None) -> None:
        problems.append(BlueprintError(message, where=str(smap.at(loc) or "blueprints"), fix=fix))

    def codes_of(*path: str) -> list[str] | None:
        """Codes defined in a section; None when the section itself is unusable (then references
        into it are not checked, the schema check already reports the section)."""
        value = _section(doc, *path)
        if value is None:
            # Absent: references into it are dangling, unless the section is only misspelt
            # (the unknown key is reported with its did-you-mean; one message is enough).
            misspelt = [k for k in doc if k not in _SECTIONS and suggest(k, [path[-1]])]
            return None if misspelt or path == ("companies",) else []
        if not isinstance(value, list):
            return None
        return list(dict.fromkeys(c for _, item in _items(value) if (c := _code(item.get("code"))) is not None))

    def unique(path: tuple[str, ...], label: str) -> None:
        first: dict[str, int] = {}
        for i, item in _items(_section(doc, *path)):
            code = _code(item.get("code"))
            if code is None:
                continue
            folded = code.upper()
            if folded in first:
                earlier = smap.at((*path, first[folded], "code"))
                line = f" (first at line {earlier.line})" if earlier else ""
                report((*path, i, "code"), f"duplicate {label} code '{code}'{line}", "Codes must be unique; rename one.")
            else:
                first[folded] = i

    for section, label in _CODED_SECTIONS.items():
        unique((section,), label)
    unique(("credit", "segments"), "credit segment")

    companies = codes_of("companies")
    warehouses = codes_of("warehouses")
    categories = codes_of("product_categories")
    roles = codes_of("roles")

    def ref(loc: tuple, value, known: list[str] | None, kind: str, define: str | None = None) -> None:
        """An unknown code at ``loc``: did-you-mean, and the codes to use, or where to define one."""
        value = _code(value)
        if value is None or known is None or value in known:
            return
        fix = f"Use one of: {', '.join(known)}." if known else f"Define {define or f'a {kind}'} first."
        report(loc, f"unknown {kind} '{value}'{suggest(value, known)}", fix)

    mains = [i for i, item in _items(_section(doc, "companies")) if item.get("main") is True]
    for i in mains[1:]:
        report(
            ("companies", i, "main"),
            "more than one company has main: true",
            "Only the database's existing main company can be adopted; keep main: true on one.",
        )

    for i, wh in _items(_section(doc, "warehouses")):
        ref(("warehouses", i, "company"), wh.get("company"), companies, "company")
        sources = wh.get("resupply_from")
        for j, src in enumerate(sources if isinstance(sources, list) else []):
            ref(("warehouses", i, "resupply_from", j), src, warehouses, "warehouse")
            if _code(src) is not None and _code(src) == _code(wh.get("code")):
                report(("warehouses", i, "resupply_from", j), f"warehouse '{_code(src)}' cannot resupply itself")

    for i, cat in _items(_section(doc, "product_categories")):
        ref(("product_categories", i, "parent"), cat.get("parent"), categories, "product category")
        if cat.get("parent") is not None and _code(cat.get("parent")) == _code(cat.get("code")):
            report(("product_categories", i, "parent"), f"product category '{_code(cat.get('code'))}' is its own parent")

    for i, pl in _items(_section(doc, "pricelists")):
        ref(("pricelists", i, "company"), pl.get("company"), companies, "company")
        seen_rules: dict[tuple, int] = {}
        for j, rule in _items(pl.get("rules")):
            ref(("pricelists", i, "rules", j, "category"), rule.get("category"), categories, "product category")
            if (rule.get("discount") is None) == (rule.get("fixed_price") is None):
                report(("pricelists", i, "rules", j), "a pricelist rule needs exactly one of discount or fixed_price")
            key = (str(rule.get("category") or ""), str(rule.get("min_quantity") or 0))
            if key in seen_rules:
                report(
                    ("pricelists", i, "rules", j),
                    f"two rules for {key[0] or 'all products'} from quantity {key[1]} (the other is rule {seen_rules[key] + 1}); "
                    "merge them into one",
                )
            seen_rules.setdefault(key, j)

    for i, term in _items(_section(doc, "payment_terms")):
        lines = term.get("lines")
        if not isinstance(lines, list):
            continue
        percents = [_number(line.get("percent", 100)) for _, line in _items(lines)]
        if None in percents or len(percents) != len(lines):
            continue  # a wrong type is reported by the schema check
        total = round(sum(percents), 6)
        if total != 100:
            report(("payment_terms", i, "lines"), f"payment term '{_code(term.get('code'))}' lines add up to {total:g}%, not 100%")
        if isinstance(term.get("early_discount"), dict) and len(percents) > 1:
            report(("payment_terms", i, "early_discount"), f"payment term '{_code(term.get('code'))}' has {len(percents)} lines and an early discount",
                   "Odoo grants an early discount only on a term with one 100% line: keep one line, or drop early_discount.")

    for i, pa in _items(_section(doc, "approvals", "purchase")):
        ref(("approvals", "purchase", i, "company"), pa.get("company"), companies, "company")
    ref(("credit", "release_role"), _section(doc, "credit", "release_role"), roles, "role")
    # a hold nobody may lift: the rules only let the approving role's members through
    for section, trigger, role_key, what in (
        ("credit", "action", "release_role", "an order on credit hold"),
        ("approvals", "sales_discount_above", "sales_discount_role", "an order over the discount threshold"),
    ):
        body = _section(doc, section)
        if isinstance(body, dict) and body.get(trigger) not in (None, "warn") and body.get(role_key) is None:
            report((section, trigger), f"{section}.{trigger} is {_code(body[trigger])} but {section}.{role_key} is not set: "
                   f"nobody could confirm {what}", f"Add {role_key}: <role code>.")
    ref(("approvals", "sales_discount_role"), _section(doc, "approvals", "sales_discount_role"), roles, "role")
    ref(("approvals", "inventory_adjustment_role"), _section(doc, "approvals", "inventory_adjustment_role"), roles, "role")

    def min_max(loc: tuple, item: dict) -> None:
        low, high = _number(item.get("min_qty", 0)), _number(item.get("max_qty", 0))
        if low is not None and high is not None and high < low:
            report((*loc, "max_qty"), f"max_qty {high:g} is below min_qty {low:g}", "Raise max_qty or lower min_qty.")

    for i, rule in _items(_section(doc, "reorder", "rules")):
        ref(("reorder", "rules", i, "warehouse"), rule.get("warehouse"), warehouses, "warehouse")
        ref(("reorder", "rules", i, "category"), rule.get("category"), categories, "product category")
        min_max(("reorder", "rules", i), rule)
    if isinstance(doc.get("reorder"), dict):
        min_max(("reorder",), doc["reorder"])

    from odookit.kpi.definitions import kpi_codes

    seen_targets: dict[tuple, int] = {}
    for i, target in _items(_section(doc, "kpis")):
        ref(("kpis", i, "kpi"), target.get("kpi"), kpi_codes(), "KPI")
        ref(("kpis", i, "warehouse"), target.get("warehouse"), warehouses, "warehouse")
        key = (_code(target.get("kpi")), _code(target.get("warehouse")))
        if key in seen_targets:
            report(("kpis", i), f"a second target for KPI '{key[0]}'{f' in warehouse {key[1]}' if key[1] else ''} "
                   f"(the other is kpis[{seen_targets[key]}])", "Keep one target per KPI and warehouse.")
        seen_targets.setdefault(key, i)

    from odookit.blueprints.putaway import putaway_problems

    putaway_problems(doc, report, suggest, _items, _code, warehouses, categories)

    from odookit.blueprints.returns import policy_problems

    policy_problems(doc, report, ref, _items, _code, warehouses, roles)

    for i, cat in _items(_section(doc, "product_categories")):
        if isinstance(cat.get("expiry"), dict) and cat.get("tracking", "none") not in ("lot", "serial"):
            report(("product_categories", i, "expiry"), f"product category '{_code(cat.get('code'))}' has expiry dates but no lot or serial tracking",
                   "Odoo dates lots, not products: add tracking: lot (or serial) to the category, or drop expiry.")
        if isinstance(cat.get("expiry"), dict) and cat.get("removal_strategy") not in (None, "fefo"):
            report(("product_categories", i, "removal_strategy"), f"product category '{_code(cat.get('code'))}' has expiry dates but removal strategy "
                   f"{_code(cat.get('removal_strategy'))}", "Expiry-dated goods are picked first-expired first-out: use removal_strategy: fefo or leave it empty.")

    from odookit.blueprints.crm import crm_problems
    from odookit.blueprints.maintenance import maintenance_problems

    crm_problems(doc, report, ref, _items, _code, companies, roles)
    maintenance_problems(doc, report, ref, _items, _code, companies, warehouses)

    from odookit.blueprints.landed_costs import landed_cost_problems
    from odookit.blueprints.manufacturing import manufacturing_problems

    manufacturing_problems(doc, report, suggest, _items, _code, warehouses)
    landed_cost_problems(doc, report, suggest, _items, _code, roles)

    from odookit.blueprints.localization import localization_problems

    localization_problems(doc, report, suggest)

    from odookit.governance.groups import known_group_problems

    for i, role in _items(_section(doc, "roles")):
        groups = role.get("groups")
        for j, group in enumerate(groups if isinstance(groups, list) else []):
            if isinstance(group, str):
                message = known_group_problems(group)
                if message:
                    report(("roles", i, "groups", j), message)
    return problems
