"""What a blueprint role may do in business terms, read from its Odoo groups.

A capability is granted by any of a few Odoo groups (implied groups count, as
in Odoo itself) or by an engagement approval group that ``blueprint apply``
gives the role the blueprint names for a policy. Whoever needs "the role that
releases credit holds" (UAT generation, documentation) asks here, so that no
consumer ever guesses from a role's code or name.
"""

from __future__ import annotations

from dataclasses import dataclass

from odookit.blueprints.schema import Blueprint
from odookit.governance.policy import expand
from odookit.governance.roles import RoleGrant, role_grants


@dataclass(frozen=True)
class Capability:
    code: str
    label: str  # what a finding says nobody may do
    groups: tuple[str, ...]  # any one of them grants it; {module} is the engagement module


CAPABILITIES = {
    c.code: c
    for c in (
        Capability("enter_orders", "enter and confirm sales orders", ("sales_team.group_sale_salesman",)),
        Capability("release_credit", "release orders held for credit", ("{module}.group_credit_release",)),
        Capability("approve_discounts", "confirm orders with a discount above the threshold", ("{module}.group_discount_approver",)),
        Capability("buy", "raise purchase orders", ("purchase.group_purchase_user",)),
        Capability("approve_purchases", "approve purchase orders above the double-validation threshold", ("purchase.group_purchase_manager",)),
        Capability("operate_warehouse", "pick, pack, ship and receive", ("stock.group_stock_user",)),
        Capability("manage_inventory", "run replenishment and apply inventory adjustments", ("stock.group_stock_manager",)),
        Capability("approve_adjustments", "apply inventory adjustments above the threshold", ("{module}.group_inventory_approver",)),
        Capability("invoice", "invoice customers and issue credit notes", ("account.group_account_invoice",)),
        Capability("take_returns", "take back customer returns within the return window", ("{module}.group_return_user", "{module}.group_return_authoriser")),
        Capability("authorise_returns", "authorise customer returns past the return window", ("{module}.group_return_authoriser",)),
        Capability("approve_rush", "confirm rush orders (promised sooner than the lead time)", ("{module}.group_rush_approver",)),
        Capability("manage_taxes", "change taxes and fiscal positions", ("account.group_account_manager",)),
        Capability("create_customers", "create customers (by lead conversion or by hand)", ("{module}.group_customer_creator",)),
        Capability("manage_maintenance", "manage equipment and carry out its maintenance requests", ("maintenance.group_equipment_manager",)),
        # stock_landed_costs lets only Inventory administrators create and post landed costs
        Capability("post_landed_costs", "post landed costs (freight, duty, insurance) on receipts", ("stock.group_stock_manager",)),
        Capability("assemble", "assemble and kit goods in manufacturing orders", ("mrp.group_mrp_user",)),
    )
}


def capabilities_of(grant: RoleGrant, module: str) -> frozenset[str]:
    return frozenset(
        code for code, cap in CAPABILITIES.items() if any(expand(g, module) in grant.effective for g in cap.groups)
    )


def role_capabilities(bp: Blueprint, module: str) -> dict[str, frozenset[str]]:
    """Role code -> the capabilities its groups (implied and approval groups included) grant, in blueprint order."""
    return {grant.code: capabilities_of(grant, module) for grant in role_grants(bp, module)}
