"""Maintenance: the blueprint's equipment and the recurring preventive requests Odoo keeps for it.

The blueprint's own equipment is only read; a scenario that completes a maintenance does so on
equipment of its own (created for the run in a blueprint category, with the category's preventive
policy), so that UAT never moves the client's real maintenance calendar.
"""

from __future__ import annotations

from datetime import datetime

from odookit.errors import UatError
from odookit.uat_scenarios.context import create, write
from odookit.uat_scenarios.library import uat_step
from odookit.uat_scenarios.steps.setup import NUM, Q
from odookit.xmlids import xmlid

UNITS = {"day": "days", "week": "weeks", "month": "months", "year": "years"}
PREVENTIVE = [("maintenance_type", "=", "preventive"), ("recurring_maintenance", "=", True)]


def _policy(uat):
    section = uat.run.blueprint.maintenance
    if section is None:
        raise UatError("the blueprint has no maintenance section", fix="Add maintenance: with categories and equipment to blueprints/.")
    return section


def _category(uat, code: str):
    section = _policy(uat)
    folded = code.strip().casefold()
    cat = next((c for c in section.categories if folded in (c.code.casefold(), c.name.casefold())), None)
    if cat is None:
        known = ", ".join(c.code for c in section.categories) or "none"
        raise UatError(f'equipment category "{code}" is not in the blueprint (maintenance.categories: {known})', fix="Use a category code from blueprints/.")
    rid = uat._blueprint_record("maintenance.equipment.category", xmlid(uat.run.module, "equipment_category", cat.code), [("name", "=", cat.name)], cat.code)
    return cat, rid


def _equipment(uat, name: str) -> int:
    """The run's equipment by its name, else the blueprint's by code or name."""
    if ("equipment", name.casefold()) in uat.records:
        return uat.records[("equipment", name.casefold())]
    section = _policy(uat)
    folded = name.strip().casefold()
    eq = next((e for e in section.equipment if folded in (e.code.casefold(), e.name.casefold())), None)
    if eq is None:
        known = ", ".join(e.code for e in section.equipment) or "none"
        raise UatError(f'equipment "{name}" is neither the scenario\'s nor in the blueprint (maintenance.equipment: {known})',
                       fix=f'Add a step: Given an equipment "{name}" in category "<code>" with the category\'s preventive maintenance')
    return uat._blueprint_record("maintenance.equipment", xmlid(uat.run.module, "equipment", eq.code), [("name", "=", eq.name)], eq.code)


def _open_preventive(uat, equipment: int) -> list[dict]:
    return uat.admin.search_read(
        "maintenance.request", [("equipment_id", "=", equipment), *PREVENTIVE, ("stage_id.done", "=", False), ("archive", "=", False)],
        ["schedule_date", "repeat_interval", "repeat_unit", "category_id", "stage_id"], order="id")


@uat_step(
    r"an equipment " + Q.format("name") + r" in category " + Q.format("category") + r" with the category's preventive maintenance",
    example='an equipment "Test forklift" in category "FORKLIFT" with the category\'s preventive maintenance',
    area="set-up",
    doc="Equipment of the run in a blueprint equipment category, with a preventive request scheduled today as the category says.",
)
def equipment(uat, name, category):
    cat, cat_id = _category(uat, category)
    if cat.preventive is None:
        raise UatError(f'equipment category "{cat.code}" has no preventive maintenance in the blueprint', fix="Name a category with preventive: set.")
    rid = create(uat.admin, "maintenance.equipment", [{"name": uat.name(name), "category_id": cat_id}])[0]
    uat.remember("equipment", name, rid)
    now = datetime.now().replace(microsecond=0)
    request = create(uat.admin, "maintenance.request", [{
        "name": uat.name(f"preventive maintenance of {name}"), "equipment_id": rid, "maintenance_type": "preventive",
        "recurring_maintenance": True, "repeat_interval": cat.preventive.every, "repeat_unit": cat.preventive.unit,
        "repeat_type": "forever", "schedule_date": f"{now:%Y-%m-%d %H:%M:%S}",
    }])[0]
    uat.touch("maintenance.equipment", rid)
    uat.touch("maintenance.request", request)


@uat_step(
    r"equipment " + Q.format("name") + r" has an open preventive maintenance every " + NUM.format("every")
    + r" (?P<unit>day|week|month|year)s?(?: in category " + Q.format("category") + r")?",
    example='equipment "FL1" has an open preventive maintenance every 3 months in category "FORKLIFT"',
    area="assertions",
    doc="A recurring preventive request of the equipment is open, repeating at this interval (the blueprint's, read from Odoo).",
)
def has_preventive(uat, name, every, unit, category=None):
    eq = _equipment(uat, name)
    rows = _open_preventive(uat, eq)
    if not rows:
        raise AssertionError(f'equipment "{name}" has no open recurring preventive maintenance request')
    got = [(r["repeat_interval"], r["repeat_unit"]) for r in rows]
    if (int(float(every)), unit) not in got:
        raise AssertionError(f'equipment "{name}" repeats its preventive maintenance every {", ".join(f"{n} {u}(s)" for n, u in got)}, not every {every} {unit}(s)')
    if category is not None:
        _, cat_id = _category(uat, category)
        if not any(r["category_id"] and r["category_id"][0] == cat_id for r in rows):
            raise AssertionError(f'the preventive maintenance of "{name}" is not in equipment category "{category}"')
    uat.touch("maintenance.request", [r["id"] for r in rows])


@uat_step(
    r"I complete the preventive maintenance of equipment " + Q.format("name"),
    example='I complete the preventive maintenance of equipment "Test forklift"',
    area="warehouse",
    doc="Move the equipment's open preventive request to a done stage as the acting user (Odoo then opens the next one).",
)
def complete(uat, name):
    eq = _equipment(uat, name)
    rows = _open_preventive(uat, eq)
    if not rows:
        raise AssertionError(f'equipment "{name}" has no open preventive maintenance request to complete')
    done = uat.gw.search("maintenance.stage", [("done", "=", True)], limit=1)
    if not done:
        raise UatError("no maintenance stage is marked done in Odoo", fix="Mark the last maintenance stage 'Request Done'.")
    write(uat.gw, "maintenance.request", [rows[0]["id"]], {"stage_id": done[0]})
    uat.current["maintenance"] = rows[0]["id"]
    uat.current["maintenance_date"] = rows[0]["schedule_date"]


@uat_step(
    r"the next preventive maintenance of equipment " + Q.format("name") + r" is scheduled " + NUM.format("every")
    + r" (?P<unit>day|week|month|year)s? after the completed one",
    example='the next preventive maintenance of equipment "Test forklift" is scheduled 3 months after the completed one',
    area="assertions",
    doc="Odoo opened the next preventive request of the equipment, that long after the one completed in this scenario.",
)
def next_scheduled(uat, name, every, unit):
    from dateutil.relativedelta import relativedelta

    eq = _equipment(uat, name)
    done = uat.need("maintenance", f'When I complete the preventive maintenance of equipment "{name}"')
    rows = [r for r in _open_preventive(uat, eq) if r["id"] != done]
    if not rows:
        raise AssertionError(f'Odoo opened no next preventive maintenance request for "{name}"')
    last = datetime.fromisoformat(uat.current["maintenance_date"])
    want = last + relativedelta(**{UNITS[unit]: int(float(every))})
    got = [datetime.fromisoformat(r["schedule_date"]) for r in rows if r["schedule_date"]]
    if want not in got:
        raise AssertionError(f"the next preventive maintenance is scheduled {', '.join(map(str, got)) or 'never'}, not {want}")
    uat.touch("maintenance.request", [r["id"] for r in rows])
