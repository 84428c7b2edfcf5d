"""What the returns, exception-path and taxes SOPs see: the blueprint's policy, in plain dicts.

Role names are the blueprint's own; "who may" lists come from the roles'
capabilities (their Odoo and approval groups), never from a role's code or name.
"""

from __future__ import annotations

from odookit.blueprints.localization import default_tax, tax_rate
from odookit.blueprints.schema import Blueprint
from odookit.governance.capabilities import role_capabilities


def policy_context(bp: Blueprint, module: str) -> dict:
    caps = role_capabilities(bp, module)
    names = {r.code: r.name for r in bp.roles}

    def who(capability: str) -> list[str]:
        return [names[code] for code, have in caps.items() if capability in have]

    policy, rush, late = bp.returns, bp.exceptions.rush_orders, bp.exceptions.late_receipts
    warehouses = {w.code: w.name for w in bp.warehouses}
    returns = None
    if policy:
        returns = {
            "window_days": policy.window_days,
            "authorise_role": names.get(policy.authorise_role, policy.authorise_role),
            "return_roles": [names.get(c, c) for c in policy.return_roles],
            "may_take": who("take_returns"),
            "quarantine": [{"warehouse": q.warehouse, "warehouse_name": warehouses.get(q.warehouse, q.warehouse),
                            "location": f"{q.warehouse.upper()}/{q.location}"} for q in policy.quarantine],
        }
    taxes = []
    for c in bp.companies:
        sale, purchase = default_tax(c, "sale"), default_tax(c, "purchase")
        taxes.append({
            "code": c.code, "name": c.name, "country": c.country, "localization": c.localization or "",
            "sale_tax": sale or "", "sale_rate": tax_rate(c.localization, sale) if sale and c.localization else None,
            "purchase_tax": purchase or "", "purchase_rate": tax_rate(c.localization, purchase) if purchase and c.localization else None,
            "fiscal_positions": [{"code": fp.code, "name": fp.name, "auto_apply": fp.auto_apply, "vat_required": fp.vat_required,
                                  "country": fp.country or "", "country_group": fp.country_group or "",
                                  "taxes": [{"source": t.source, "destination": t.destination or ""} for t in fp.taxes]}
                                 for fp in c.fiscal_positions],
        })
    return {
        "returns_policy": returns,
        "rush_orders": {"approver_role": names.get(rush.approver_role, rush.approver_role), "may_approve": who("approve_rush")} if rush else None,
        "late_receipts": {"grace_days": late.grace_days, "interval_hours": late.interval_hours, "buyers": who("buy")} if late else None,
        "taxes": taxes,
        "tax_managers": who("manage_taxes"),
    }


def threshold_rows(ctx: dict) -> list[list[str]]:
    """The thresholds page's rows for the return window, rush orders and late receipts."""
    rows = []
    if ctx.get("returns_policy"):
        r = ctx["returns_policy"]
        rows.append(["Customer return", f"more than {r['window_days']} days after the delivery", r["authorise_role"],
                     "return refused unless authorised"])
    if ctx.get("rush_orders"):
        rows.append(["Rush order", "delivery date sooner than the lead time", ctx["rush_orders"]["approver_role"], "confirmation refused until approved"])
    if ctx.get("late_receipts"):
        rows.append(["Late receipt", f"{ctx['late_receipts']['grace_days']} day(s) past the scheduled date", "-", "activity for the buyer"])
    return rows
