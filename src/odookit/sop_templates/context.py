"""What an SOP template sees: the blueprint's real configuration, roles by RACI, thresholds, KPIs.

Values are plain dicts and lists so that a template (and a client writing
one) has a small, documented surface; flows are precomputed from Odoo 18's
warehouse steps so a diagram shows each site's actual pick -> pack -> ship.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from odookit.blueprints.putaway import storage_location_name
from odookit.blueprints.schema import Blueprint, Warehouse
from odookit.sop_templates.policies import policy_context

# (process code, template, title); pick_pack_ship has one template per delivery-step setting.
SOPS: list[tuple[str, str, str]] = [
    ("order_capture", "order_capture.md.j2", "Order capture"),
    ("credit_release", "credit_release.md.j2", "Credit release"),
    ("allocation", "allocation.md.j2", "Inventory allocation and reservation"),
    ("pick_pack_ship", "pick_pack_ship-{steps}.md.j2", "Pick, pack and ship"),
    ("receiving", "receiving.md.j2", "Receiving and putaway"),
    ("replenishment", "replenishment.md.j2", "Replenishment and purchasing"),
    ("returns", "returns.md.j2", "Returns"),
    ("exceptions", "exceptions.md.j2", "Rush orders and late receipts"),
    ("cycle_counts", "cycle_counts.md.j2", "Cycle counts and adjustments"),
    ("invoicing", "invoicing_month_end.md.j2", "Invoicing and month-end close"),
    ("taxes", "taxes.md.j2", "Taxes and fiscal positions"),
    ("master_data", "master_data.md.j2", "Master data creation and change"),
    ("release_governance", "release_governance.md.j2", "Release governance"),
]

STEP_LABELS = {"ship_only": "1 step (ship)", "pick_ship": "2 steps (pick, ship)", "pick_pack_ship": "3 steps (pick, pack, ship)"}


@dataclass
class Sop:
    slug: str  # page file name without .md
    process: str
    template: str
    title: str
    area: str
    context: dict


@cache
def kpis() -> list[dict]:
    text = resources.files("odookit.sop_templates").joinpath("kpis.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["kpis"]


# Odoo 18 warehouse steps: (operation type, source, destination, step); "{wh}" is the warehouse code,
# which names its locations, while Odoo shows an operation type as "<warehouse name>: <type>".
DELIVERY_STEPS = {
    "ship_only": [("Delivery Orders", "{wh}/Stock", "Customers", "Ship")],
    "pick_ship": [("Pick", "{wh}/Stock", "{wh}/Output", "Pick"), ("Delivery Orders", "{wh}/Output", "Customers", "Ship")],
    "pick_pack_ship": [
        ("Pick", "{wh}/Stock", "{wh}/Packing Zone", "Pick"),
        ("Pack", "{wh}/Packing Zone", "{wh}/Output", "Pack"),
        ("Delivery Orders", "{wh}/Output", "Customers", "Ship"),
    ],
}
RECEPTION_STEPS = {
    1: [("Receipts", "Vendors", "{wh}/Stock", "Receive")],
    2: [("Receipts", "Vendors", "{wh}/Input", "Receive"), ("Storage", "{wh}/Input", "{wh}/Stock", "Store")],
    3: [
        ("Receipts", "Vendors", "{wh}/Input", "Receive"),
        ("Quality Control", "{wh}/Input", "{wh}/Quality Control", "Check"),
        ("Storage", "{wh}/Quality Control", "{wh}/Stock", "Store"),
    ],
}


def _flow(steps, wh: Warehouse) -> list[dict]:
    return [
        {"operation": f"{wh.name}: {op}", "type": op, "source": src.format(wh=wh.code), "dest": dest.format(wh=wh.code),
         "step": step}
        for op, src, dest, step in steps
    ]


def delivery_flow(wh: Warehouse) -> list[dict]:
    return _flow(DELIVERY_STEPS[wh.delivery_steps], wh)


def reception_flow(wh: Warehouse) -> list[dict]:
    return _flow(RECEPTION_STEPS[wh.reception_steps], wh)


def base_context(ws, bp: Blueprint, matrix) -> dict:
    """Everything every SOP shares."""
    role_names = {r.code: r.name for r in bp.roles}
    companies = {c.code: c for c in bp.companies}
    purchase = {p.company: p.double_validation_above for p in bp.approvals.purchase}
    warehouses = []
    for wh in bp.warehouses:
        warehouses.append({
            **wh.model_dump(),
            "company_name": companies[wh.company].name if wh.company in companies else wh.company,
            "delivery_label": STEP_LABELS[wh.delivery_steps],
            "delivery_flow": delivery_flow(wh),
            "reception_flow": reception_flow(wh),
            "reorder_rules": [r.model_dump() for r in bp.reorder.rules if r.warehouse == wh.code],
            "putaway": [{"what": next((c.name for c in bp.product_categories if c.code == r.category), r.category) if r.category else f"product {r.product}",
                         "location": storage_location_name(bp, wh.code, r.location)} for r in bp.putaway_rules if r.warehouse == wh.code],
        })
    thresholds = {
        "credit": {
            "action": bp.credit.action,
            "default_limit": bp.credit.default_limit,
            "segments": [s.model_dump() for s in bp.credit.segments],
            "release_role": role_names.get(bp.credit.release_role or "", "") if bp.credit.release_role else "",
        },
        "discount": {
            "above": bp.approvals.sales_discount_above,
            "role": role_names.get(bp.approvals.sales_discount_role or "", ""),
        },
        "inventory_adjustment": {
            "above": bp.approvals.inventory_adjustment_above,
            "role": role_names.get(bp.approvals.inventory_adjustment_role or "", ""),
        },
        "purchase": [
            {"company": c.code, "company_name": c.name, "currency": c.currency, "above": purchase.get(c.code)}
            for c in bp.companies
        ],
    }
    return {
        "engagement": {"name": ws.name, "client": ws.config.engagement.client or ws.name, "module": ws.module},
        "companies": [c.model_dump() for c in bp.companies],
        "warehouses": warehouses,
        "inventory": bp.inventory.model_dump(),
        "categories": [c.model_dump() for c in bp.product_categories],
        "payment_terms": [p.model_dump() for p in bp.payment_terms],
        "pricelists": [p.model_dump() for p in bp.pricelists],
        "invoicing": bp.invoicing.model_dump(),
        "reorder": bp.reorder.model_dump(),
        "thresholds": thresholds,
        "all_roles": [{"code": r.code, "name": r.name, "description": r.description or ""} for r in bp.roles],
        **policy_context(bp, ws.module),
    }


def process_context(shared: dict, matrix, process_code: str, *codes: str) -> dict:
    """Shared context plus the roles by RACI letter and the KPIs of one process (or several)."""
    process = next(p for p in matrix.processes if p.code == process_code)
    roles = []
    for grant in matrix.roles:
        letters = sorted({matrix.raci[c].get(grant.code, "") for c in (process_code, *codes)} - {""}, key="ARCI".index)
        if letters:
            roles.append({"code": grant.code, "name": grant.name, "description": grant.description, "raci": "/".join(letters)})
    by_letter = {letter: [r["name"] for r in roles if letter in r["raci"]] for letter in "ARCI"}
    watched = [k for k in kpis() if set(k["processes"]) & {process_code, *codes}]
    return {
        **shared,
        "process": {"code": process.code, "name": process.name, "area": process.area},
        "roles": roles,
        "accountable": by_letter["A"],
        "responsible": by_letter["R"],
        "consulted": by_letter["C"],
        "informed": by_letter["I"],
        "kpis": watched,
    }


def sops(ws, bp: Blueprint, matrix) -> list[Sop]:
    """The SOP pages of this engagement, with their contexts, in nav order."""
    shared = base_context(ws, bp, matrix)
    areas = {p.code: p.area for p in matrix.processes}
    out = []
    for process, template, title in SOPS:
        extra = ("month_end_close",) if process == "invoicing" else ()
        ctx = process_context(shared, matrix, process, *extra)
        if process == "pick_pack_ship":
            for steps in ("pick_pack_ship", "pick_ship", "ship_only"):
                whs = [w for w in shared["warehouses"] if w["delivery_steps"] == steps]
                if whs:
                    codes = ", ".join(w["code"] for w in whs)
                    out.append(Sop(f"sop-{steps.replace('_', '-')}", process, template.format(steps=steps),
                                   f"{title}: {STEP_LABELS[steps]} ({codes})", areas[process],
                                   {**ctx, "site_warehouses": whs}))
            continue
        out.append(Sop(f"sop-{process.replace('_', '-')}", process, template, title, areas[process], ctx))
    from odookit.sop_templates.app_sops import app_sops

    return out + app_sops(bp, matrix, shared, areas, Sop, process_context)
