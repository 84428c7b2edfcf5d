"""The SOPs of the crm and maintenance sections: written only for a blueprint that has the section.

Their context adds the section's own configuration (teams and their roles, stages, who
creates customers; equipment, categories and their preventive intervals) to what every
SOP sees, in the blueprint's own names.
"""

from __future__ import annotations

from odookit.blueprints.maintenance import preventive_of
from odookit.blueprints.schema import Blueprint
from odookit.sop_templates.kits_costs_sops import landed_costs_context, manufacturing_context


def _every(p) -> str:
    unit = p.unit if p.every == 1 else f"{p.unit}s"
    return f"every {p.every} {unit}" + (f", first on {p.start:%Y-%m-%d}" if p.start else "")


def crm_context(bp: Blueprint) -> dict:
    names = {r.code: r.name for r in bp.roles}
    companies = {c.code: c.name for c in bp.companies}
    crm = bp.crm
    return {"crm": {
        "teams": [{"code": t.code, "name": t.name, "company": companies.get(t.company, t.company),
                   "roles": [names.get(r, r) for r in t.roles], "use_leads": t.use_leads} for t in crm.teams],
        "stages": [{"name": s.name, "won": s.won, "requirements": s.requirements or "",
                    "team": next((t.name for t in crm.teams if t.code == s.team), "")} for s in crm.stages],
        "leads": crm.leads,
        "duplicate_check": crm.duplicate_check,
        "customer_creator": names.get(crm.customer_creation_role or "", ""),
    }}


def maintenance_context(bp: Blueprint) -> dict:
    section = bp.maintenance
    cats = {c.code: c for c in section.categories}
    whs = {w.code: w.name for w in bp.warehouses}
    return {"maintenance": {
        "categories": [{"code": c.code, "name": c.name, "preventive": _every(c.preventive) if c.preventive else ""} for c in section.categories],
        "equipment": [{"code": e.code, "name": e.name, "category": cats[e.category].name if e.category in cats else e.category,
                       "warehouse": whs.get(e.warehouse or "", ""), "serial_no": e.serial_no or "",
                       "preventive": _every(p) if (p := preventive_of(bp, e)) else ""} for e in section.equipment],
    }}


# (process code, template, title, the section the SOP needs, its context)
APP_SOPS = (
    ("lead_conversion", "lead_conversion.md.j2", "Leads to customers", "crm", crm_context),
    ("equipment_maintenance", "equipment_maintenance.md.j2", "Warehouse equipment maintenance", "maintenance", maintenance_context),
    ("kitting", "kitting.md.j2", "Kits and light assembly", "manufacturing", manufacturing_context),
    ("landed_costs", "landed_costs.md.j2", "Landed costs", "landed_costs", landed_costs_context),
)


def app_sops(bp: Blueprint, matrix, shared: dict, areas: dict, sop, process_context) -> list:
    """The Sop pages of the sections the blueprint has."""
    out = []
    for process, template, title, section, context in APP_SOPS:
        if getattr(bp, section) is None:
            continue
        ctx = {**process_context(shared, matrix, process), **context(bp)}
        out.append(sop(f"sop-{process.replace('_', '-')}", process, template, title, areas[process], ctx))
    return out
