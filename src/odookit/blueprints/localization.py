"""Fiscal localization: the chart of accounts each company gets, its default taxes, its fiscal positions.

From Odoo 17 a chart is a template code registered with ``@template(code)`` in
an l10n module (``nl`` in l10n_nl, ``de_skr03`` in l10n_de, ``generic_coa`` in
account itself) and loaded per company with ``account.chart.template``'s
``try_loading``. Taxes, accounts and fiscal positions the chart creates are
named ``account.<company id>_<template id>``.

``chart_catalogue.json`` holds, per Odoo version, the facts odookit needs
offline: the module that provides each code, its country, its parent
template, its default taxes and the ids of its taxes by use. With it,
``validate`` reports an unknown code or a tax the chart lacks with the file
and line, and the planner knows which module to install before the chart is
loaded. The loading itself is a typed plan operation (``load_chart``) placed
right after the company's own record, so the company's country is set first
and everything that needs the company's accounts (real-time valuation,
default taxes, fiscal positions) comes after it.
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from importlib import resources

from odookit.blueprints.desired import Desired, chart_ref, chart_refs, is_chart_ref, is_chart_refs, is_lines, lines, ref
from odookit.errors import OdooAppMissing, PlanError

GENERIC = "generic_coa"  # account's own chart: no l10n module, no country


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, dict]]:
    text = resources.files("odookit.blueprints").joinpath("chart_catalogue.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if k.isdigit()}


def catalogued_versions() -> list[int]:
    return sorted(int(v) for v in _catalogue())


def charts(major: int | None = None) -> dict[str, dict]:
    """Chart code -> facts for one Odoo version (the nearest catalogued one for 17 or 20);
    every catalogued version's charts together when ``major`` is None (offline checks)."""
    cat = _catalogue()
    if major is None:
        merged: dict[str, dict] = {}
        for version in sorted(cat, key=int):
            for code, facts in cat[version].items():
                merged.setdefault(code, facts)
        return merged
    versions = catalogued_versions()
    nearest = min(versions, key=lambda v: (abs(v - major), -v))
    return cat[str(nearest)]


def loadable(major: int | None = None) -> list[str]:
    """Codes Odoo lets a company load (parent-only templates such as ``be`` are hidden)."""
    return sorted(code for code, facts in charts(major).items() if facts.get("visible", True))


def _versions_with(code: str) -> list[int]:
    return [v for v in catalogued_versions() if code in _catalogue()[str(v)]]


def _lineage(code: str, table: dict[str, dict]):
    """A chart's facts, then its parent's, up the template tree (be_comp, then be)."""
    seen: set[str] = set()
    current: str | None = code
    while current and current in table and current not in seen:
        seen.add(current)
        yield table[current]
        current = table[current].get("parent")


def chart_taxes(code: str, major: int | None = None) -> dict[str, str]:
    """Tax template id -> use (sale, purchase, none) of a chart, its parents' taxes included;
    every version's taxes together when ``major`` is None."""
    versions = catalogued_versions() if major is None else [major]
    out: dict[str, str] = {}
    for version in versions:
        for facts in _lineage(code, charts(version)):
            for use, ids in facts.get("taxes", {}).items():
                for tax in ids:
                    out.setdefault(tax, use)
    return out


def archived_taxes(code: str, major: int) -> set[str]:
    """The chart's taxes Odoo creates archived (inactive) in that version: a blueprint naming
    one would point at a tax nobody can pick (and a many2many never shows it)."""
    return {tax for facts in _lineage(code, charts(major)) for tax in facts.get("inactive", [])}


def tax_rate(code: str, tax: str, major: int | None = None) -> float | None:
    """The rate (%) of one of a chart's percent taxes; None for another kind or an unknown tax."""
    versions = catalogued_versions() if major is None else [major]
    for version in versions:
        for facts in _lineage(code, charts(version)):
            for ids in facts.get("taxes", {}).values():
                if tax in ids:
                    return ids[tax]
    return None


def default_tax(company, use: str, major: int | None = None) -> str | None:
    """The tax a company's new products get for ``use`` (sale or purchase): the blueprint's own
    choice, else the chart's default; None without a localization or when the chart names none."""
    chosen = company.sale_tax if use == "sale" else company.purchase_tax
    if chosen or not company.localization:
        return chosen
    # a child chart may take its parent's default
    return next((facts[f"{use}_tax"] for facts in _lineage(company.localization, charts(major)) if facts.get(f"{use}_tax")), None)


def module_of(code: str, major: int | None = None) -> str | None:
    facts = charts(major).get(code) or charts().get(code)
    return facts["module"] if facts else None


def close_codes(code: str, country: str | None = None, major: int | None = None) -> list[str]:
    """The codes a user most likely meant: the country's own charts first, then similar spellings."""
    codes = loadable(major)
    own = [c for c in codes if country and charts(major)[c].get("country") == country]
    similar = difflib.get_close_matches(code, codes, n=4, cutoff=0.5)
    prefixed = [c for c in codes if c.startswith(code.split("_")[0] + "_") or c == code.split("_")[0]]
    return list(dict.fromkeys([*own, *similar, *prefixed]))[:6]


# -- offline checks (called by references.reference_problems) -----------------------

def localization_problems(doc: dict, report, suggest) -> None:
    """Every localization problem of the raw merged document; ``report(loc, message, fix)``."""
    companies = doc.get("companies")
    if not isinstance(companies, list):
        return
    seen_positions: dict[str, tuple] = {}
    for i, company in enumerate(companies):
        if not isinstance(company, dict):
            continue
        code = company.get("localization")
        country = company.get("country") if isinstance(company.get("country"), str) else None
        chart_ok = False
        if isinstance(code, str) and code:
            chart_ok = _check_code(("companies", i, "localization"), code, country, company.get("code"), report)
        elif code is not None:
            continue  # wrong type: the schema check reports it
        taxes = chart_taxes(code) if chart_ok else {}
        for key, use in (("sale_tax", "sale"), ("purchase_tax", "purchase")):
            value = company.get(key)
            if not isinstance(value, str):
                continue
            if code is None:
                report(("companies", i, key), f"{key} '{value}' needs the company's localization (the chart that defines the tax)",
                       "Add localization: <chart code> to the company.")
            elif chart_ok:
                _check_tax(("companies", i, key), value, code, taxes, use, report, suggest)
        positions = company.get("fiscal_positions")
        for j, fp in enumerate(positions if isinstance(positions, list) else []):
            if not isinstance(fp, dict):
                continue
            fp_code = fp.get("code")
            if isinstance(fp_code, str | int) and not isinstance(fp_code, bool):
                folded = str(fp_code).upper()
                if folded in seen_positions:
                    report(("companies", i, "fiscal_positions", j, "code"),
                           f"duplicate fiscal position code '{fp_code}' (first in company {seen_positions[folded][0]})",
                           "Fiscal position codes must be unique over all companies; rename one.")
                else:
                    seen_positions[folded] = (company.get("code"), j)
            if code is None:
                report(("companies", i, "fiscal_positions", j),
                       "fiscal positions need the company's localization (the chart whose taxes they map)",
                       "Add localization: <chart code> to the company.")
                continue
            mappings = fp.get("taxes")
            for k, mapping in enumerate(mappings if isinstance(mappings, list) else []):
                if not isinstance(mapping, dict):
                    continue
                for key in ("source", "destination"):
                    value = mapping.get(key)
                    if chart_ok and isinstance(value, str):
                        _check_tax(("companies", i, "fiscal_positions", j, "taxes", k, key), value, code, taxes, None, report, suggest)


def _check_code(loc: tuple, code: str, country: str | None, company: object, report) -> bool:
    table = charts()
    if code not in table:
        close = close_codes(code, country)
        report(loc, f"unknown chart template '{code}'" + (f" (did you mean '{close[0]}'?)" if close else ""),
               f"Close ones: {', '.join(close)}." if close else "Use a code `odookit blueprint charts` lists.")
        return False
    if not table[code].get("visible", True):
        children = [c for c in loadable() if charts()[c].get("parent") == code]
        report(loc, f"chart template '{code}' is only a parent of other charts, Odoo does not load it on a company",
               f"Use one of: {', '.join(children)}." if children else "Use a chart of that country.")
        return False
    chart_country = table[code].get("country")
    if chart_country and country and chart_country != country:
        own = [c for c in loadable() if charts()[c].get("country") == country]
        report(loc, f"chart '{code}' is for country {chart_country}, but company '{company}' is in {country}",
               f"Use a chart for {country}" + (f": {', '.join(own)}." if own else f", or {GENERIC}."))
        return False
    return True


def _check_tax(loc: tuple, tax: str, code: str, taxes: dict[str, str], use: str | None, report, suggest) -> None:
    if tax not in taxes:
        pool = [t for t, u in taxes.items() if use in (None, u)]
        report(loc, f"chart '{code}' has no tax '{tax}'{suggest(tax, pool)}",
               "Name one of the chart's taxes by its id in the chart (`odookit blueprint charts " + code + "` lists them).")
    elif use and taxes[tax] != use:
        report(loc, f"tax '{tax}' of chart '{code}' is a {taxes[tax]} tax, not a {use} tax",
               f"Pick one of the chart's {use} taxes.")


# -- compile ----------------------------------------------------------------------

def chart_modules(bp, major: int) -> list[str]:
    """The l10n modules the blueprint's charts come from (account's generic chart needs none)."""
    found = {module_of(c.localization, major) for c in bp.companies if c.localization}
    return sorted(m for m in found if m and m != "account")


def charts_to_load(bp, company_xmlid) -> dict[str, str]:
    return {company_xmlid(c.code): c.localization for c in bp.companies if c.localization}


def localization_records(bp, x, major: int) -> list[Desired]:
    """Default taxes and fiscal positions: records that only exist once the chart is loaded,
    so each depends on its company (and comes after the company's load_chart operation)."""
    out: list[Desired] = []
    for company in bp.companies:
        cx = x("company", company.code)
        taxes = {f: chart_ref(cx, t) for f, t in (("account_sale_tax_id", company.sale_tax), ("account_purchase_tax_id", company.purchase_tax)) if t}
        if taxes:
            # written as the company: its taxes are not visible from another one
            out.append(Desired("res.company", cx, taxes, label=f"company {company.code} default taxes", company=cx))
        for fp in company.fiscal_positions:
            values: dict = {
                "name": fp.name,
                "company_id": ref(cx),
                "auto_apply": fp.auto_apply,
                "vat_required": fp.vat_required,
                "country_id": ref(f"base.{fp.country.lower()}") if fp.country else False,
                "country_group_id": ref(fp.country_group) if fp.country_group else False,
            }
            if major >= 19:
                # 19 keeps the mapping on the destination tax (its original_tax_ids, set by the
                # chart); the position lists the taxes it charges
                values["tax_ids"] = chart_refs(cx, [m.destination for m in fp.taxes if m.destination])
            else:
                rows = [{"tax_src_id": chart_ref(cx, m.source), "tax_dest_id": chart_ref(cx, m.destination) if m.destination else False}
                        for m in fp.taxes]
                values["tax_ids"] = lines("account.fiscal.position.tax", rows)
            out.append(Desired("account.fiscal.position", x("fiscal_position", fp.code), values, label=f"fiscal position {fp.code}"))
    return out


# -- plan and apply -----------------------------------------------------------------

def _already_loaded(current: str, code: str, company: str) -> PlanError:
    return PlanError(
        f"company {company} already has chart {current} with accounting entries; the blueprint asks for {code}",
        fix=f"Odoo cannot replace a chart once entries exist: set localization: {current} for that company, or start from a new database.",
    )


def chart_operations(gateway, state, op_class, change_class) -> dict[str, object]:
    """One load_chart operation (or noop) per company of ``state.charts``, keyed by the company's
    external ID; raises when a chart cannot be loaded as asked (nothing is applied then)."""
    if not state.charts:
        return {}
    major = gateway.info.major
    table = charts(major)
    for company, code in sorted(state.charts.items()):
        if code not in table or not table[code].get("visible", True):
            close = close_codes(code, major=major)
            raise PlanError(
                f"chart template '{code}' (company {company}) does not exist in Odoo {gateway.info.version}"
                + (f" (did you mean '{close[0]}'?)" if close else ""),
                where=gateway.url,
                fix=f"Use one Odoo {gateway.info.version} offers" + (f", e.g. {', '.join(close)}." if close else "."),
            )
    for rec in state.records:
        for company, name in chart_names(rec.values):
            code = state.charts.get(company)
            if code and name in archived_taxes(code, major):
                raise PlanError(
                    f"tax {name} of chart {code} is archived when Odoo {gateway.info.version} loads the chart ({rec.label} names it)",
                    where=gateway.url,
                    fix=f"Name an active tax of the chart instead (`odookit blueprint charts {code} --odoo-version {gateway.info.version}` marks the archived ones).",
                )
    wanted = sorted({table[c]["module"] for c in state.charts.values()} - {"account"})
    present = {r["name"]: r["state"] for r in gateway.search_read("ir.module.module", [("name", "in", wanted)], ["name", "state"])}
    for module in wanted:
        if present.get(module, "uninstallable") == "uninstallable":
            codes = ", ".join(sorted(c for c in state.charts.values() if table[c]["module"] == module))
            raise OdooAppMissing(
                f"localization module {module} (chart {codes}) is not on the server",
                where=gateway.url,
                fix=f"Add {module} to the server's addons path (it ships with Odoo community), or choose another localization.",
            )
    ids = _company_ids(gateway, state)
    fields = gateway.fields_get("res.company")
    current: dict[int, str | bool] = {}
    if "chart_template" in fields and ids:
        current = {r["id"]: r["chart_template"] for r in gateway.read("res.company", sorted(set(ids.values())), ["chart_template"])}
    ops: dict[str, object] = {}
    for company, code in state.charts.items():
        cid = ids.get(company)
        before = current.get(cid) or None if cid else None
        if before == code:
            ops[company] = op_class(action="noop", model="res.company", xmlid=company, label=f"chart {code}", res_id=cid)
            continue
        if before and has_entries(gateway, cid):
            raise _already_loaded(before, code, company)
        ops[company] = op_class(
            action="load_chart", model="res.company", xmlid=company, label=f"load chart {code}", res_id=cid,
            values={"chart_template": code}, changes={"chart_template": change_class(before=before, after=code)},
        )
    return ops


def _company_ids(gateway, state) -> dict[str, int]:
    """Live ids of the companies that have a chart to load: by odookit's external ID, or the
    record it adopts (the main company), or an existing company of the same name."""
    records = {r.xmlid: r for r in state.records if r.model == "res.company" and not r.company}
    names = sorted(set(state.charts) | {r.adopt for x, r in records.items() if x in state.charts and r.adopt})
    found = gateway.resolve_xmlids(names)
    out: dict[str, int] = {}
    by_name = {records[x].values.get("name"): x for x in state.charts if x in records}
    for company in state.charts:
        rec = records.get(company)
        hit = found.get(company) or (found.get(rec.adopt) if rec and rec.adopt else None)
        if hit:
            out[company] = hit[1]
    missing = [n for n, x in by_name.items() if x not in out and isinstance(n, str)]
    if missing:
        for row in gateway.search_read("res.company", [("name", "in", missing)], ["name"]):
            out.setdefault(by_name[row["name"]], row["id"])
    return out


def has_entries(gateway, company_id: int) -> bool:
    """Odoo's own test (res.company._existing_accounting, which also looks in the company's
    branches: the blueprint makes none): a journal item in the company."""
    return bool(gateway.search("account.move.line", [("company_id", "=", company_id)], limit=1))


def load_chart(gateway, company_id: int, code: str) -> None:
    """Load the chart on the company unless it already has it (Odoo may have guessed it when the
    company was created with its country); never over accounting entries."""
    row = gateway.read("res.company", [company_id], ["chart_template"])
    current = row[0].get("chart_template") if row else False
    if current == code:
        return
    if current and has_entries(gateway, company_id):
        raise _already_loaded(current, code, f"#{company_id}")
    gateway.execute("account.chart.template", "try_loading", ids=[], template_code=code, company=company_id, install_demo=False)


# -- export ---------------------------------------------------------------------------

def chart_load_element(company_xmlid: str, code: str):
    """``<function model="account.chart.template" name="try_loading">`` for the exported module:
    the same call the load_chart operation makes. Odoo reloads a chart a company already has
    (updating it) and the blueprint's check keeps it from replacing one with entries."""
    from lxml import etree

    fn = etree.Element("function", model="account.chart.template", name="try_loading")
    etree.SubElement(fn, "value", eval="[]")
    etree.SubElement(fn, "value").text = code
    etree.SubElement(fn, "value", model="res.company", eval=f"obj().env.ref({company_xmlid!r})")
    etree.SubElement(fn, "value", name="install_demo", eval="False")
    return fn


def chart_names(values: dict) -> list[tuple[str, str]]:
    """(company external ID, template id) of every chart record the values name."""
    out: list[tuple[str, str]] = []
    for value in values.values():
        if is_chart_ref(value):
            out.append((value["$company"], value["$chart"]))
        elif is_chart_refs(value):
            out += [(value["$company"], name) for name in value["$charts"]]
        elif is_lines(value):
            for row in value["$lines"]:
                out += chart_names(row)
    return out


def names_chart_records(rec: Desired) -> bool:
    """Whether a desired record's values name records a chart creates (so it needs the chart loaded)."""
    return bool(chart_names(rec.values))
