"""crm: sales teams and their members, the pipeline, and who turns leads into customers.

Odoo has no setting for two of the client's rules, so they are automation rules
(server-action code in Odoo's sandbox, like the approval rules in automation.py):

- a sales team's members are the users of the roles the blueprint names: a rule on
  res.users adds a user to the teams of their current company when they are created, their
  groups change or they move to another company (Odoo keeps memberships in that company only);
- converting a lead is refused while an open opportunity already has its email or
  customer (duplicate_check: merge), so duplicates are merged instead of doubled;
- creating a customer (a contact with no parent company that is not a vendor) is
  refused to anyone without the customer creation role, also when a lead conversion
  creates it: whoever converts leads without that right links them to existing customers.
"""

from __future__ import annotations

from collections.abc import Callable

from odookit.blueprints.automation import HEADER, ask
from odookit.blueprints.automation_records import automation_records
from odookit.blueprints.desired import Desired, ref, refs
from odookit.blueprints.schema import Blueprint
from odookit.odoo import adapters

CUSTOMER_CREATOR = "group_customer_creator"
GROUP_LABELS = {CUSTOMER_CREATOR: "Create customers"}
LEAD_GROUP = "crm.group_use_lead"
# (model, trigger fields, state before, state after) of a lead becoming an opportunity
ON_CONVERSION = ("crm.model_crm_lead", ["crm.field_crm_lead__type"], "[('type', '=', 'lead')]", "[('type', '=', 'opportunity')]")
# a new top-level contact that purchase did not create as a vendor: a customer (or a prospect becoming one)
NEW_CUSTOMER = "[('parent_id', '=', False), ('supplier_rank', '=', 0)]"


def policy_groups(bp: Blueprint) -> dict[str, tuple[str, str | None]]:
    """Engagement group name -> (label, the role that gets it) of the crm section."""
    if bp.crm is None or bp.crm.customer_creation_role is None:
        return {}
    return {CUSTOMER_CREATOR: ("Customer Creation", bp.crm.customer_creation_role)}


def feature_groups(bp: Blueprint) -> list[str]:
    """Groups every internal user gets from the crm section."""
    return [LEAD_GROUP] if bp.crm is not None and bp.crm.leads else []


def modules(bp: Blueprint) -> list[str]:
    return ["crm"] if bp.crm is not None else []


def crm_problems(doc: dict, report: Callable, ref: Callable, items: Callable, code: Callable,
                 companies: list[str] | None, roles: list[str] | None) -> None:
    """Located problems of the raw merged document's crm section (see references.py)."""
    body = doc.get("crm")
    if not isinstance(body, dict):
        return

    def known(loc: tuple, value, codes: list[str] | None, kind: str, plural: str) -> None:
        ref(loc, value, codes, kind, plural)

    teams: list[str] = []
    first: dict[str, int] = {}
    for i, team in items(body.get("teams")):
        key = code(team.get("code"))
        if key is not None and key.upper() in first:
            report(("crm", "teams", i, "code"), f"duplicate sales team code '{key}' (the other is crm.teams[{first[key.upper()]}])",
                   "Codes must be unique; rename one.")
        elif key is not None:
            first[key.upper()] = i
            teams.append(key)
        known(("crm", "teams", i, "company"), team.get("company"), companies, "company", "a company under companies:")
        members = team.get("roles")
        for j, role in enumerate(members if isinstance(members, list) else []):
            known(("crm", "teams", i, "roles", j), role, roles, "role", "a role under roles:")
    stages: dict[str, int] = {}
    names: dict[str, int] = {}
    for i, stage in items(body.get("stages")):
        key, name = code(stage.get("code")), code(stage.get("name"))
        if key is not None and key.upper() in stages:
            report(("crm", "stages", i, "code"), f"duplicate pipeline stage code '{key}' (the other is crm.stages[{stages[key.upper()]}])",
                   "Codes must be unique; rename one.")
        if name is not None and name.casefold() in names:
            report(("crm", "stages", i, "name"), f"a second pipeline stage named '{name}' (the other is crm.stages[{names[name.casefold()]}])",
                   "Odoo tells stages apart by name in the pipeline; rename one.")
        stages.setdefault((key or "").upper(), i)
        names.setdefault((name or "").casefold(), i)
        known(("crm", "stages", i, "team"), stage.get("team"), teams, "sales team", "a team under crm.teams:")
    known(("crm", "customer_creation_role"), body.get("customer_creation_role"), roles, "role", "a role under roles:")


def _members_code(teams: list[tuple[str, list[str]]]) -> str:
    """Adds a user to every team one of whose roles they hold, of the company they work in: Odoo keeps
    a user's memberships to teams of their current company (crm.team.member.company_id is the user's)."""
    return HEADER + f"""\
for user in records:
    if user.share or not user.active:
        continue
    for team_xmlid, role_xmlids in {teams!r}:
        team = env.ref(team_xmlid, raise_if_not_found=False)
        if not team or user in team.member_ids or (team.company_id and team.company_id != user.company_id):
            continue
        if any(user.has_group(role) for role in role_xmlids):
            team.sudo().write({{'member_ids': [(4, user.id)]}})
"""


def _duplicate_code(approver: str | None) -> str:
    return HEADER + f"""\
for lead in records:
    keys = []
    if lead.email_normalized:
        keys.append(('email_normalized', '=', lead.email_normalized))
    if lead.partner_id:
        keys.append(('partner_id', 'child_of', lead.partner_id.commercial_partner_id.id))
    if not keys:
        continue
    others = env['crm.lead'].sudo().search(['|'] * (len(keys) - 1) + keys + [
        ('id', '!=', lead.id), ('type', '=', 'opportunity'), ('active', '=', True),
        '|', ('stage_id', '=', False), ('stage_id.is_won', '=', False)])
    if others:
        raise UserError(
            "Duplicate: %s has the email or customer of the open opportunity %s (%s). "
            "Merge them (Convert to opportunity > Merge with existing opportunities) instead of converting it. "
            % (lead.name, ', '.join(others.mapped('name')), ', '.join(others.mapped('user_id.name')) or 'no salesperson')
            + {ask(approver, "merge them if they are not yours")!r})
"""


def _customer_creation_code(module: str, approver: str | None) -> str:
    return HEADER + f"""\
if not (env.user.share or env.user.has_group({module + '.' + CUSTOMER_CREATOR!r}) or env.user.has_group('base.group_system')):
    raise UserError(
        "Customer creation: you may not create the customer %s. Link the lead or document to an existing customer. "
        % ', '.join(records.mapped('name')) + {ask(approver, "create the customer")!r})
"""


def crm_records(bp: Blueprint, module: str, x: Callable[..., str], major: int) -> list[Desired]:
    """Teams, stages, the membership setting and the crm section's automation rules."""
    if bp.crm is None:
        return []
    crm = bp.crm
    out: list[Desired] = []
    for team in crm.teams:
        out.append(Desired("crm.team", x("sales_team", team.code),
                           {"name": team.name, "company_id": ref(x("company", team.company)), "use_leads": team.use_leads,
                            "use_opportunities": True, "active": True}, label=f"sales team {team.code}"))
    for position, stage in enumerate(crm.stages, start=1):
        values = {"name": stage.name, "sequence": position * 10, "is_won": stage.won, "fold": stage.folded,
                  "requirements": stage.requirements or False}
        team = x("sales_team", stage.team) if stage.team else None
        field = adapters.crm_stage_team_field(major)
        values[field] = refs([team] if team else []) if field == "team_ids" else (ref(team) if team else False)
        out.append(Desired("crm.stage", x("crm_stage", stage.code), values, label=f"pipeline stage {stage.code}"))
    roles_in = [r for t in crm.teams for r in dict.fromkeys(t.roles)]
    if any(roles_in.count(r) > 1 for r in roles_in):
        # one team per user is Odoo's default: joining a second team would leave the first
        out.append(Desired("ir.config_parameter", x("config", "sales_team.membership_multi"),
                           {"key": "sales_team.membership_multi", "value": "True"}, label="a user may be in several sales teams"))
    names = {r.code: r.name for r in bp.roles}
    rules = []
    teams = [(x("sales_team", t.code), [x("role", r) for r in dict.fromkeys(t.roles)]) for t in crm.teams if t.roles]
    if teams:
        groups = adapters.field_name(major, "res.users", "groups_id")
        rules.append(("automation_sales_team_members", "Role members join their sales teams", "base.model_res_users",
                      "on_create_or_write", [f"base.field_res_users__{groups}", "base.field_res_users__company_id"], "", "",
                      _members_code(teams)))
    if crm.duplicate_check == "merge":
        managers = [r.name for r in bp.roles if "sales_team.group_sale_manager" in r.groups]
        rules.append(("automation_lead_duplicates", "A lead with an open duplicate opportunity is merged, not converted",
                      ON_CONVERSION[0], "on_create_or_write", ON_CONVERSION[1], ON_CONVERSION[2], ON_CONVERSION[3],
                      _duplicate_code(managers[0] if managers else None)))
    if crm.customer_creation_role:
        rules.append(("automation_customer_creation", "Only the customer creation role creates customers", "base.model_res_partner",
                      "on_create", [], "", NEW_CUSTOMER, _customer_creation_code(module, names.get(crm.customer_creation_role))))
    wanted = {r[0] for r in rules}
    for name in sorted({"automation_sales_team_members", "automation_lead_duplicates", "automation_customer_creation"} - wanted):
        # a rule an earlier blueprint wanted keeps refusing until it is switched off
        out.append(Desired("base.automation", f"{module}.{name}", {"active": False}, retire=True, label=f"{name} no longer wanted"))
    for name, label, model_xmlid, trigger, fields, pre, post, code in rules:
        for model, xid, values in automation_records(major, xmlid=f"{module}.{name}", name=label, model_xmlid=model_xmlid,
                                                     trigger_field_xmlids=fields, pre_domain=pre, domain=post, code=code,
                                                     trigger=trigger):
            out.append(Desired(model, xid, values, label=label))
    return out
