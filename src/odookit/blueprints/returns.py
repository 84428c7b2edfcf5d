"""returns and exceptions: the return policy and the governed exception paths, as Odoo records.

Each becomes an approval group the blueprint's roles imply, an automation
rule that refuses what the policy forbids, and (late receipts) a scheduled
action. The quarantine locations sit directly under the warehouse, beside its
stock location, so that returned goods are not offered to customers before
they are inspected.

Late receipts run from a scheduled action (``ir.cron``) rather than a
time-based ``base.automation``: Odoo runs a time-based rule only for records
whose date crossed its threshold since the rule's last run, so a receipt made
late before a run would never be flagged; the action instead looks for every
late receipt without its activity, each time, and gives it one.
"""

from __future__ import annotations

from collections.abc import Callable

from odookit.blueprints import exceptions
from odookit.blueprints.automation_records import automation_records
from odookit.blueprints.desired import Desired, ref
from odookit.blueprints.schema import Blueprint

# (model, trigger fields, state before, state after) of the moments the rules guard
ON_RETURN_CREATED = ("stock.model_stock_picking", ["stock.field_stock_picking__return_id"], "",
                     "[('return_id', '!=', False), ('return_id.picking_type_code', '=', 'outgoing')]")
ON_SALE_CONFIRM = ("sale.model_sale_order", ["sale.field_sale_order__state"],
                   "[('state', 'in', ['draft', 'sent'])]", "[('state', '=', 'sale')]")
RULES = ("automation_return_policy", "automation_rush_order")
GROUP_LABELS = {
    "group_return_authoriser": "Authorise returns (past the window too)",
    "group_return_user": "Take back customer returns within the window",
    "group_rush_approver": "Approve rush orders",
}


def policy_groups(bp: Blueprint) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Approval group name -> (label, the roles that get it); no roles when the policy is off."""
    policy, rush = bp.returns, bp.exceptions.rush_orders
    return {
        "group_return_authoriser": ("Return Authorisation", (policy.authorise_role,) if policy else ()),
        "group_return_user": ("Customer Returns", tuple(policy.return_roles) if policy else ()),
        "group_rush_approver": ("Rush Order Approval", (rush.approver_role,) if rush else ()),
    }


def owns(owner, role_code: str) -> bool:
    """Whether an approval group's owner (one role code, several, or None) includes the role."""
    return role_code in owner if isinstance(owner, tuple | list) else owner == role_code


def role_name(bp: Blueprint, code: str | None) -> str | None:
    return next((r.name for r in bp.roles if r.code == code), None)


def quarantine_xmlid(x: Callable[..., str], warehouse: str) -> str:
    return x("quarantine_location", warehouse)


def policy_records(bp: Blueprint, module: str, x: Callable[..., str], major: int) -> list[Desired]:
    """Quarantine locations, the two rules (or their retirement) and the late-receipt action."""
    out: list[Desired] = []
    policy = bp.returns
    for q in policy.quarantine if policy else ():
        view = x("location", q.warehouse, "view")
        out.append(Desired("stock.location", view, {}, adopt=f"{x('warehouse', q.warehouse)}/view_location_id", label=f"{q.warehouse} view location"))
        out.append(Desired("stock.location", quarantine_xmlid(x, q.warehouse), {"name": q.location, "location_id": ref(view), "usage": "internal"},
                           label=f"{q.warehouse} quarantine location {q.location}"))
    rules = []
    if policy:
        rules.append(("automation_return_policy", f"Customer returns: {policy.window_days}-day window, authorised roles only", *ON_RETURN_CREATED,
                      exceptions.return_policy_code(module, policy.window_days, role_name(bp, policy.authorise_role))))
    rush = bp.exceptions.rush_orders
    if rush:
        rules.append(("automation_rush_order", "Rush orders need approval", *ON_SALE_CONFIRM,
                      exceptions.rush_order_code(module, role_name(bp, rush.approver_role))))
    for name in sorted(set(RULES) - {r[0] for r in rules}):
        out.append(Desired("base.automation", f"{module}.{name}", {"active": False}, retire=True, label=f"{name} no longer wanted"))
    for name, label, model_xmlid, fields, pre, post, code in rules:
        for model, xid, values in automation_records(major, xmlid=f"{module}.{name}", name=label, model_xmlid=model_xmlid,
                                                     trigger_field_xmlids=fields, pre_domain=pre, domain=post, code=code):
            out.append(Desired(model, xid, values, label=label))
    late = bp.exceptions.late_receipts
    cron = f"{module}.cron_late_receipts"
    if late is None:
        out.append(Desired("ir.cron", cron, {"active": False}, retire=True, label="late receipt check no longer wanted"))
        return out
    out.append(Desired("mail.activity.type", f"{module}.activity_type_late_receipt",
                       {"name": "Late receipt", "res_model": "stock.picking", "summary": "Chase the vendor"}, label="activity type Late receipt"))
    out.append(Desired("ir.cron", cron, {
        "name": "Late purchase receipts: an activity for the buyer",
        "model_id": ref("stock.model_stock_picking"),
        "state": "code",
        "code": exceptions.late_receipt_code(module, late.grace_days),
        "interval_number": late.interval_hours,
        "interval_type": "hours",
        "active": True,
    }, label="late receipt check"))
    return out


def policy_problems(doc: dict, report: Callable, known: Callable, items: Callable, code: Callable,
                    warehouses: list[str] | None, roles: list[str] | None) -> None:
    """Located problems of the raw merged document's returns and exceptions (see references.py);
    ``known(loc, value, codes, kind)`` reports an unknown code with its did-you-mean."""
    policy = doc.get("returns")
    if isinstance(policy, dict):
        known(("returns", "authorise_role"), policy.get("authorise_role"), roles, "role")
        others = policy.get("return_roles")
        for j, role in enumerate(others if isinstance(others, list) else []):
            known(("returns", "return_roles", j), role, roles, "role")
        seen: dict[str, int] = {}
        for i, q in items(policy.get("quarantine")):
            wh = code(q.get("warehouse"))
            known(("returns", "quarantine", i, "warehouse"), wh, warehouses, "warehouse")
            location = code(q.get("location"))
            if location is not None and "/" in location:
                report(("returns", "quarantine", i, "location"), f"quarantine location '{location}' has a slash: it is made directly under the warehouse",
                       "Write one name, e.g. 'Returns Quarantine' (it becomes <warehouse>/Returns Quarantine).")
            if wh in seen:
                report(("returns", "quarantine", i), f"a second quarantine location for warehouse {wh} (the other is returns.quarantine[{seen[wh]}])",
                       "Keep one quarantine location per warehouse.")
            elif wh is not None:
                seen[wh] = i
    rush = (doc.get("exceptions") or {}).get("rush_orders") if isinstance(doc.get("exceptions"), dict) else None
    if isinstance(rush, dict):
        known(("exceptions", "rush_orders", "approver_role"), rush.get("approver_role"), roles, "role")
