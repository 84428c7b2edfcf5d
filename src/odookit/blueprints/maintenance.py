"""maintenance: warehouse equipment, its categories and its recurring preventive maintenance.

From Odoo 17 preventive maintenance is a request of type preventive marked
recurring (every N days/weeks/months/years): when it is done, Odoo itself opens
the next one that much later. odookit creates the first request of each piece of
equipment whose blueprint entry (or category) asks for it; the ones Odoo makes after
it are Odoo's and never drift from the blueprint. Requests need a maintenance team of
their company (Odoo checks it), so each company owning equipment gets one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from odookit.blueprints.app_sections import Equipment, Preventive
from odookit.blueprints.desired import Desired, ref
from odookit.blueprints.schema import Blueprint
from odookit.odoo import adapters

START_TIME = time(8, 0)  # the first request's hour: a working morning, as Odoo's calendar shows it
STOCK = "Stock"  # the name Odoo gives every warehouse's stock location


def modules(bp: Blueprint, major: int) -> list[str]:
    if bp.maintenance is None:
        return []
    # 19 keeps an equipment's location as a stock location, in stock_maintenance
    return ["maintenance", "stock_maintenance"] if major >= 19 and any(e.warehouse for e in bp.maintenance.equipment) else ["maintenance"]


def preventive_of(bp: Blueprint, equipment: Equipment) -> Preventive | None:
    """The equipment's own preventive maintenance, else its category's."""
    if equipment.preventive is not None:
        return equipment.preventive
    cat = next((c for c in bp.maintenance.categories if c.code == equipment.category), None)
    return cat.preventive if cat else None


def company_of(bp: Blueprint, equipment: Equipment) -> str:
    """The equipment's company: its warehouse's, else its category's, else the main company."""
    if equipment.warehouse:
        return bp.warehouse(equipment.warehouse).company
    cat = next(c for c in bp.maintenance.categories if c.code == equipment.category)
    return cat.company or bp.main_company.code


def maintenance_problems(doc: dict, report: Callable, ref: Callable, items: Callable, code: Callable,
                         companies: list[str] | None, warehouses: list[str] | None) -> None:
    """Located problems of the raw merged document's maintenance section (see references.py)."""
    body = doc.get("maintenance")
    if not isinstance(body, dict):
        return

    def known(loc: tuple, value, codes: list[str] | None, kind: str, where: str) -> None:
        ref(loc, value, codes, kind, f"one under {where}")

    def unique(section: str, field: str, label: str, fold=str.upper) -> list[str]:
        first: dict[str, int] = {}
        for i, item in items(body.get(section)):
            value = code(item.get(field))
            if value is None:
                continue
            if fold(value) in first:
                report(("maintenance", section, i, field), f"duplicate {label} '{value}' (the other is maintenance.{section}[{first[fold(value)]}])",
                       "Odoo keeps these unique; rename one." if field == "serial_no" else "Codes must be unique; rename one.")
            first.setdefault(fold(value), i)
        return [code(item.get(field)) for _, item in items(body.get(section)) if code(item.get(field)) is not None]

    categories = unique("categories", "code", "equipment category code")
    unique("equipment", "code", "equipment code")
    unique("equipment", "serial_no", "serial number", fold=lambda s: s)
    used: set[str] = set()
    for i, cat in items(body.get("categories")):
        known(("maintenance", "categories", i, "company"), cat.get("company"), companies, "company", "companies:")
    for i, eq in items(body.get("equipment")):
        known(("maintenance", "equipment", i, "category"), eq.get("category"), categories, "equipment category", "maintenance.categories:")
        known(("maintenance", "equipment", i, "warehouse"), eq.get("warehouse"), warehouses, "warehouse", "warehouses:")
        if code(eq.get("category")) is not None:
            used.add(code(eq.get("category")))
    for i, cat in items(body.get("categories")):
        if isinstance(cat.get("preventive"), dict) and code(cat.get("code")) not in used:
            report(("maintenance", "categories", i, "preventive"),
                   f"equipment category '{code(cat.get('code'))}' has preventive maintenance but no equipment",
                   f"Odoo schedules maintenance per piece of equipment: add equipment with category: {code(cat.get('code'))} under maintenance.equipment:, or drop preventive.")


def _request_values(p: Preventive, major: int) -> dict:
    values: dict = {"maintenance_type": "preventive", "recurring_maintenance": True, "repeat_interval": p.every,
                    "repeat_unit": p.unit, "repeat_type": "forever"}
    start = datetime.combine(p.start, START_TIME) if p.start else None
    if start:
        values["schedule_date"] = f"{start:%Y-%m-%d %H:%M:%S}"
    field = adapters.maintenance_duration_field(major)
    if field == "duration":
        values["duration"] = float(p.duration_hours)
    elif start:  # 19 computes the duration from the scheduled end
        values[field] = f"{start + timedelta(hours=p.duration_hours):%Y-%m-%d %H:%M:%S}"
    return values


def maintenance_records(bp: Blueprint, x: Callable[..., str], major: int) -> list[Desired]:
    """Categories, a maintenance team per company owning equipment, the equipment and their first preventive requests."""
    if bp.maintenance is None:
        return []
    out: list[Desired] = []
    for cat in bp.maintenance.categories:
        out.append(Desired("maintenance.equipment.category", x("equipment_category", cat.code),
                           {"name": cat.name, "company_id": ref(x("company", cat.company)) if cat.company else False},
                           label=f"equipment category {cat.code}"))
    companies = list(dict.fromkeys(company_of(bp, e) for e in bp.maintenance.equipment))
    for company in companies:
        out.append(Desired("maintenance.team", x("maintenance_team", company),
                           {"name": f"{bp.company(company).name}: Maintenance", "company_id": ref(x("company", company))},
                           label=f"maintenance team of {company}"))
    location = adapters.equipment_location_field(major)
    for eq in bp.maintenance.equipment:
        company = company_of(bp, eq)
        values = {"name": eq.name, "category_id": ref(x("equipment_category", eq.category)), "company_id": ref(x("company", company)),
                  "maintenance_team_id": ref(x("maintenance_team", company)), "serial_no": eq.serial_no or False, "model": eq.model or False}
        if eq.warehouse:
            values[location] = ref(x("location", eq.warehouse, "stock")) if location == "location_id" else f"{eq.warehouse.upper()}/{STOCK}"
        out.append(Desired("maintenance.equipment", x("equipment", eq.code), values, label=f"equipment {eq.code}"))
        preventive = preventive_of(bp, eq)
        if preventive is None:
            continue
        request = {"name": f"Preventive maintenance: {eq.name}", "equipment_id": ref(x("equipment", eq.code)),
                   "company_id": ref(x("company", company)), "maintenance_team_id": ref(x("maintenance_team", company)),
                   **_request_values(preventive, major)}
        out.append(Desired("maintenance.request", x("preventive_request", eq.code), request,
                           label=f"preventive maintenance of {eq.code} every {preventive.every} {preventive.unit}(s)"))
    return out
