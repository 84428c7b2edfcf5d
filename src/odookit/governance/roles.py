"""What each blueprint role grants in Odoo, the way ``blueprint apply`` writes it.

Each role becomes ``<module>.role_<code>`` implying the role's Odoo groups and,
when the blueprint names the role for an active policy, the approval group of
that policy. Governance reasons about those groups, not about role names.
"""

from __future__ import annotations

from dataclasses import dataclass

from odookit.blueprints.returns import owns
from odookit.blueprints.schema import Blueprint
from odookit.governance.groups import implied_closure

APPROVAL_GROUPS = ("group_credit_release", "group_discount_approver", "group_inventory_approver",
                   "group_return_authoriser", "group_return_user", "group_rush_approver", "group_customer_creator")


def approval_owners(bp: Blueprint) -> dict[str, str | tuple[str, ...] | None]:
    """Approval group name -> the role (or roles) that get it (None or none when the policy is off)."""
    from odookit.blueprints import crm
    from odookit.blueprints.returns import policy_groups

    return {
        **{name: roles for name, (_, roles) in policy_groups(bp).items()},
        **{name: role for name, (_, role) in crm.policy_groups(bp).items()},
        "group_credit_release": bp.credit.release_role if bp.credit.action == "block" else None,
        "group_discount_approver": bp.approvals.sales_discount_role if bp.approvals.sales_discount_above is not None else None,
        "group_inventory_approver": (
            bp.approvals.inventory_adjustment_role if bp.approvals.inventory_adjustment_above is not None else None
        ),
    }


@dataclass(frozen=True)
class RoleGrant:
    code: str
    name: str
    description: str
    direct: tuple[str, ...]  # the role's Odoo groups plus its approval groups
    effective: frozenset[str]  # with implied groups resolved

    @property
    def approvals(self) -> list[str]:
        return [g.split(".", 1)[1] for g in self.direct if g.split(".", 1)[1] in APPROVAL_GROUPS]


def role_grants(bp: Blueprint, module: str) -> list[RoleGrant]:
    owners = approval_owners(bp)
    grants = []
    for role in bp.roles:
        direct = list(role.groups) + [f"{module}.{g}" for g, owner in owners.items() if owns(owner, role.code)]
        grants.append(RoleGrant(
            code=role.code,
            name=role.name,
            description=role.description or "",
            direct=tuple(direct),
            effective=frozenset(implied_closure(direct)),
        ))
    return grants
