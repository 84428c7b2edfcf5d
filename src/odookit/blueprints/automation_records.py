"""The records of one blueprint automation rule, shaped for the target's Odoo version.

A rule is "raise a UserError when a record reaches this state": a
``base.automation`` plus the code it runs. Where that code lives depends on
the version (:func:`odookit.odoo.adapters.automation_action_link`); this
module builds the records, the adapter only says what the version calls things.
"""

from __future__ import annotations

from odookit.blueprints.desired import ref, refs
from odookit.odoo import adapters


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
    trigger: str = "on_create_or_write",
) -> list[tuple[str, str, dict]]:
    """The records of one automation rule, as (model, xmlid, values) in creation order.

    ``trigger`` is base.automation's: on_create_or_write (a state change, watched through
    the trigger fields) or on_create (a new record, no trigger fields)."""
    common = {
        "name": name,
        "model_id": ref(model_xmlid),
        "trigger": trigger,
        "trigger_field_ids": refs(trigger_field_xmlids),
        "filter_pre_domain": pre_domain,
        "filter_domain": domain,
        "active": True,
    }
    link = adapters.automation_action_link(major)
    if link is None:
        return [("base.automation", xmlid, {**common, "state": "code", "code": code})]
    action = {
        "name": name,  # required to create; Odoo then names it after what it does
        "model_id": ref(model_xmlid),
        "state": "code",
        "code": code,
        "usage": "base_automation",
        link: ref(xmlid),
    }
    return [("base.automation", xmlid, common), ("ir.actions.server", f"{xmlid}_action", action)]

