"""Role matrix (roles x apps x groups) and RACI (roles x processes) from the blueprint.

The RACI is derived from rights, not written by hand: a role is Accountable,
Responsible, Consulted or Informed in a process according to the Odoo groups
it holds (processes.yaml), so the matrix cannot drift from what Odoo lets each
role do. The engagement corrects single cells in governance/*.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from odookit.blueprints.crm import GROUP_LABELS as CRM_GROUP_LABELS
from odookit.blueprints.returns import GROUP_LABELS
from odookit.blueprints.schema import Blueprint
from odookit.governance.groups import catalog
from odookit.governance.policy import Policy, Process, expand, processes
from odookit.governance.roles import APPROVAL_GROUPS, RoleGrant, role_grants

LETTERS = ("A", "R", "C", "I")
APPROVAL_LABELS = {
    "group_credit_release": "Release credit holds",
    "group_discount_approver": "Approve discounts above threshold",
    "group_inventory_approver": "Approve inventory adjustments above threshold",
    **GROUP_LABELS,
    **CRM_GROUP_LABELS,
}


@dataclass
class GroupColumn:
    xmlid: str
    app: str
    name: str


@dataclass
class RoleMatrix:
    roles: list[RoleGrant]
    columns: list[GroupColumn]
    # role code -> group xmlid -> "direct" | "implied"
    cells: dict[str, dict[str, str]]
    processes: list[Process]
    raci: dict[str, dict[str, str]]  # process code -> role code -> letter ("" when none)
    notes: list[str] = field(default_factory=list)

    def apps(self) -> dict[str, list[GroupColumn]]:
        out: dict[str, list[GroupColumn]] = {}
        for col in self.columns:
            out.setdefault(col.app, []).append(col)
        return out

    def as_dict(self) -> dict:
        return {
            "roles": [{"code": r.code, "name": r.name, "direct": list(r.direct), "effective": sorted(r.effective)} for r in self.roles],
            "groups": [col.__dict__ for col in self.columns],
            "cells": self.cells,
            "raci": self.raci,
            "processes": [{"code": p.code, "name": p.name, "area": p.area} for p in self.processes],
            "notes": self.notes,
        }


def column(xmlid: str, module: str) -> GroupColumn:
    info = catalog().get(xmlid)
    if info:
        return GroupColumn(xmlid, info["app"], info["name"])
    short = xmlid.split(".", 1)[1]
    if xmlid.startswith(module + ".") and short in APPROVAL_GROUPS:
        return GroupColumn(xmlid, "Approvals", APPROVAL_LABELS[short])
    return GroupColumn(xmlid, "Other", xmlid)


def raci_letter(process: Process, grant: RoleGrant, module: str) -> str:
    for letter in LETTERS:
        if any(expand(g, module) in grant.effective for g in getattr(process, letter)):
            return letter
    return ""


def role_matrix(bp: Blueprint, policy: Policy) -> RoleMatrix:
    module = policy.module
    grants = role_grants(bp, module)
    shown = sorted({g for r in grants for g in r.effective} - {"base.group_user"})
    columns = sorted((column(g, module) for g in shown), key=lambda c: (c.app == "Approvals", c.app, c.name))
    cells = {
        r.code: {g: ("direct" if g in r.direct else "implied") for g in r.effective if g in shown} for r in grants
    }
    raci: dict[str, dict[str, str]] = {}
    notes = []
    for process in processes():
        row = {r.code: raci_letter(process, r, module) for r in grants}
        for role, letter in policy.raci.get(process.code, {}).items():
            row[role] = "" if letter == "-" else letter
        raci[process.code] = row
        accountable = [r for r, letter in row.items() if letter == "A"]
        if not accountable:
            notes.append(f"{process.name}: no blueprint role is accountable (the process owner is outside the roles).")
        elif len(accountable) > 1:
            notes.append(f"{process.name}: {len(accountable)} roles are accountable ({', '.join(accountable)}); RACI expects one.")
    return RoleMatrix(grants, columns, cells, list(processes()), raci, notes)
