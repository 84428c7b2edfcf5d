"""Per-version field naming, so that code above ``odoo/`` can speak in one vocabulary.

Each adapter is a small pure function of the server's major version: the
rest of odookit asks for "a storable product" and gets the fields the
target version calls that.
"""

from __future__ import annotations

from typing import Literal

ProductKind = Literal["storable", "consumable", "service"]


def product_type_fields(major: int, kind: ProductKind) -> dict[str, str]:
    """Fields that make a product storable / consumable / a service.

    Odoo 18 folded "storable" into consumables with an ``is_storable`` flag;
    16 and 17 had a ``detailed_type`` selection. Values are strings because
    they feed ``load()``, which converts text the way an import file would.
    The keys are the same for every kind of one version, so a batch of mixed
    products has one column layout.
    """
    if major >= 18:
        return {"type": "service" if kind == "service" else "consu", "is_storable": "1" if kind == "storable" else "0"}
    return {"detailed_type": {"storable": "product", "consumable": "consu", "service": "service"}[kind]}


def product_type_of(major: int, record: dict) -> ProductKind:
    """The inverse of :func:`product_type_fields`, on a record read back from Odoo."""
    if major >= 18:
        if record.get("type") == "service":
            return "service"
        return "storable" if record.get("is_storable") else "consumable"
    return {"product": "storable", "consu": "consumable", "service": "service"}.get(record.get("detailed_type"), "consumable")


def product_type_read_fields(major: int) -> list[str]:
    return ["type", "is_storable"] if major >= 18 else ["detailed_type"]


def payment_term_line(major: int, percent: float, days: int) -> dict:
    if major >= 17:
        return {"value": "percent", "value_amount": float(percent), "nb_days": int(days)}
    # 16 counted the delay in 'days'
    return {"value": "percent", "value_amount": float(percent), "days": int(days)}


def automation_records(
    major: int,
    *,
    xmlid: str,
    name: str,
    model_xmlid: str,
    trigger_field_xmlids: list[str],
    pre_domain: str,
    domain: str,
    code: str,
) -> list[tuple[str, str, dict]]:
    """The records of one 'raise a UserError when ...' automation rule, as (model, xmlid, values).

    From 17 on, ``base.automation`` holds its actions in a one2many of
    ``ir.actions.server``; up to 16 it *was* a server action (delegation
    inheritance) with the code on itself.
    """
    from odookit.blueprints.desired import ref, refs

    common = {
        "name": name,
        "model_id": ref(model_xmlid),
        "trigger": "on_create_or_write",
        "trigger_field_ids": refs(trigger_field_xmlids),
        "filter_pre_domain": pre_domain,
        "filter_domain": domain,
        "active": True,
    }
    if major >= 17:
        action = {
            "name": name,  # required to create; Odoo then names it after what it does
            "model_id": ref(model_xmlid),
            "state": "code",
            "code": code,
            "usage": "base_automation",
            "base_automation_id": ref(xmlid),
        }
        return [("base.automation", xmlid, common), ("ir.actions.server", f"{xmlid}_action", action)]
    return [("base.automation", xmlid, {**common, "state": "code", "code": code})]


def modules_for(major: int, *, batch_picking: bool) -> list[str]:
    """Apps a distribution blueprint needs (the same names from 16 to 19)."""
    apps = [
        "contacts",
        "sale_management",
        "purchase",
        "stock",
        "account",
        "sale_stock",
        "purchase_stock",
        "stock_account",
        "base_automation",
    ]
    if batch_picking:
        apps.append("stock_picking_batch")
    return apps
