"""CRM: leads, their conversion into opportunities and customers, and the rules that guard it.

Leads and customers are created as the acting role, through Odoo's own conversion wizard
(crm.lead2opportunity.partner), so that the team a lead lands in, the duplicate check and
who may create customers are Odoo's and the blueprint's answers, not the step's.
"""

from __future__ import annotations

from odookit.errors import OdooRejected, UatError
from odookit.uat_scenarios.context import create, write
from odookit.uat_scenarios.library import uat_step
from odookit.uat_scenarios.steps.setup import Q
from odookit.xmlids import slug, xmlid


def _email(uat, email: str) -> str:
    """The scenario's own address: two runs never share a lead's email, one scenario's steps do."""
    return f"{slug(uat.prefix)}.{email.strip()}"


def _team(uat, code: str) -> int:
    crm = uat.run.blueprint.crm
    folded = code.strip().casefold()
    team = next((t for t in (crm.teams if crm else []) if folded in (t.code.casefold(), t.name.casefold())), None)
    if team is None:
        known = ", ".join(t.code for t in (crm.teams if crm else [])) or "none"
        raise UatError(f'sales team "{code}" is not in the blueprint (crm.teams: {known})', fix="Use a team code from blueprints/.")
    return uat._blueprint_record("crm.team", xmlid(uat.run.module, "sales_team", team.code), [("name", "=", team.name)], team.code)


def _working_in(uat, entity: str | None) -> dict | None:
    """The context of a user working in one blueprint company: Odoo picks teams and defaults of that company only."""
    if not entity:
        return None
    bp = uat.run.blueprint
    folded = entity.strip().casefold()
    company = next((c for c in bp.companies if folded in (c.code.casefold(), c.name.casefold())), None)
    if company is None:
        known = ", ".join(c.code for c in bp.companies)
        raise UatError(f'company "{entity}" is not in the blueprint (companies: {known})', fix="Use a company code from blueprints/.")
    rid = uat._blueprint_record("res.company", xmlid(uat.run.module, "company", company.code), [("name", "=", company.name)], company.code)
    return {"allowed_company_ids": [rid]}


def team_for_company(uat, company: int) -> dict:
    """The sales team of an order the acting user enters for another company than their own.

    Odoo gives it the user's team (crm.team._get_default_team_id), which with the crm section is
    a team of the user's own company, and then refuses the order for mixing companies: the
    order gets that company's blueprint team of the user's role, or none.
    """
    crm = uat.run.blueprint.crm
    if crm is None or company == uat.run.company_ids()[0]:
        return {}
    codes = {c.code: c for c in uat.run.blueprint.companies}
    for team in crm.teams:
        if uat.role is not None and uat.role.code in team.roles:
            tid = uat.admin.resolve_xmlids([xmlid(uat.run.module, "company", team.company)]).get(xmlid(uat.run.module, "company", team.company))
            if tid and tid[1] == company and team.company in codes:
                return {"team_id": _team(uat, team.code)}
    return {"team_id": False}


def _lead(uat, name: str) -> int:
    return uat.recall("lead", name, f'When I create a lead "{name}" from "Jane Buyer" of company "Buyer Ltd" with email "jane@buyer.example"')


@uat_step(
    r"I create a lead " + Q.format("name") + r"(?: in company " + Q.format("entity") + r")? from " + Q.format("contact")
    + r"(?: of company " + Q.format("company") + r")?(?: with email " + Q.format("email") + r")?",
    example='I create a lead "Hall roof insulation" in company "ENTITY" from "Jane Buyer" of company "Buyer Ltd" with email "jane@buyer.example"',
    area="leads",
    doc="Create a lead as the acting user, working in a blueprint company (the main one when not given): Odoo gives it the "
        "user's sales team of that company; the lead's company becomes the customer on conversion.",
)
def lead(uat, name, contact, entity=None, company=None, email=None):
    vals = {"name": uat.name(name), "type": "lead", "contact_name": uat.name(contact)}
    if company:
        vals["partner_name"] = uat.name(company)
    if email:
        vals["email_from"] = _email(uat, email)
    context = _working_in(uat, entity)
    user = uat.run.user_for(uat.role)[2] if (context and uat.role) else None
    before = uat.admin.read("res.users", [user], ["company_id"])[0]["company_id"][0] if user else None
    moved = user is not None and before != context["allowed_company_ids"][0]
    if moved:  # working in that company makes the user a member of its teams (the blueprint's rule), as Odoo allows
        write(uat.admin, "res.users", [user], {"company_id": context["allowed_company_ids"][0]})
    try:
        rid = create(uat.gw, "crm.lead", [vals], context=context)[0]
    finally:
        if moved:  # back where the run's other scenarios work
            write(uat.admin, "res.users", [user], {"company_id": before})
    uat.remember("lead", name, rid)
    uat.touch("crm.lead", rid)


@uat_step(
    r"an open opportunity " + Q.format("name") + r" with email " + Q.format("email"),
    example='an open opportunity "Roof insulation 2027" with email "jane@buyer.example"',
    area="leads",
    doc="An opportunity someone already works on (no salesperson), with this email: what a new lead duplicates.",
)
def opportunity(uat, name, email):
    rid = create(uat.admin, "crm.lead", [{"name": uat.name(name), "type": "opportunity", "email_from": _email(uat, email), "user_id": False}])[0]
    uat.remember("lead", name, rid)
    uat.touch("crm.lead", rid)


def _convert(uat, lead_id: int, action: str, partner: int | None = None, merge: list[int] | None = None) -> None:
    """Odoo's Convert to opportunity wizard, as the acting user."""
    gw = uat.gw
    uid = gw.uid
    company = uat.admin.read("crm.lead", [lead_id], ["company_id"])[0]["company_id"]
    context = {"active_model": "crm.lead", "active_id": lead_id, "active_ids": [lead_id]}
    if company:  # converted where it was made: the team and the new customer are that company's
        context["allowed_company_ids"] = [company[0]]
    vals = {"lead_id": lead_id, "name": "merge" if merge else "convert", "user_id": uid}
    if not merge:  # a merge into an opportunity links no customer: Odoo's own choice stands (19 has no 'nothing')
        vals["action"] = action
    if partner:
        vals["partner_id"] = partner
    if merge:
        vals["duplicated_lead_ids"] = [(6, 0, [lead_id, *merge])]
    wizard = create(gw, "crm.lead2opportunity.partner", [vals], context=context)[0]
    gw.execute("crm.lead2opportunity.partner", "action_apply", ids=[wizard], context=context)


@uat_step(
    r"I (?P<attempt>try to )?convert the lead " + Q.format("name")
    + r" into an opportunity (?:for a new customer|for the existing customer " + Q.format("customer") + r"|(?P<merge>merged with its duplicates))",
    example='I try to convert the lead "Hall roof insulation" into an opportunity for a new customer',
    area="leads",
    doc="Convert a lead as the acting user: creating its company as a new customer, linking it to a customer, or merging it "
        "with the open opportunities of its email; 'try to' records a refusal for the step that checks it.",
)
def convert(uat, name, attempt=None, customer=None, merge=None):
    lead_id = _lead(uat, name)
    uat.last_error = None
    try:
        if merge:
            others = [rid for (kind, _), rid in uat.records.items() if kind == "lead" and rid != lead_id]
            _convert(uat, lead_id, "", merge=others)
        elif customer:
            _convert(uat, lead_id, "exist", partner=uat.partner(customer))
        else:
            _convert(uat, lead_id, "create")
    except OdooRejected as exc:
        if not attempt:
            raise
        uat.last_error = exc


@uat_step(
    r"I (?P<attempt>try to )?create the customer " + Q.format("name"),
    example='I try to create the customer "Buyer Ltd"',
    area="leads",
    doc="Create a customer (a company contact) by hand as the acting user; 'try to' records a refusal.",
)
def create_customer(uat, name, attempt=None):
    uat.last_error = None
    try:
        rid = create(uat.gw, "res.partner", [{"name": uat.name(name), "is_company": True}], context={"res_partner_search_mode": "customer"})[0]
    except OdooRejected as exc:
        if not attempt:
            raise
        uat.last_error = exc
        return
    uat.remember("customer", name, rid)
    uat.touch("res.partner", rid)


@uat_step(
    r"the (?P<what>conversion|customer creation) is refused(?: with a message containing " + Q.format("text") + r")?",
    example='the conversion is refused with a message containing "Duplicate"',
    area="assertions",
    doc="The last 'try to' convert or create a customer was refused, with this text in Odoo's message when given.",
)
def refused(uat, what, text=None):
    from odookit.uat_scenarios.steps.sales import blocked

    blocked(uat, what, "refused", text)


@uat_step(
    r"the lead " + Q.format("name") + r" is an opportunity of sales team " + Q.format("team")
    + r"(?: for the customer " + Q.format("customer") + r")?",
    example='the lead "Hall roof insulation" is an opportunity of sales team "DIRECT" for the customer "Buyer Ltd"',
    area="assertions",
    doc="The lead became an opportunity in this blueprint sales team, its customer (company) the one named.",
)
def is_opportunity(uat, name, team, customer=None):
    row = uat.admin.read("crm.lead", [_lead(uat, name)], ["type", "team_id", "partner_id", "active"])
    if not row:
        raise AssertionError(f'the lead "{name}" no longer exists (merged into another opportunity?)')
    row = row[0]
    if row["type"] != "opportunity":
        raise AssertionError(f'the lead "{name}" is still a lead')
    want = _team(uat, team)
    if not row["team_id"] or row["team_id"][0] != want:
        raise AssertionError(f'the opportunity is in sales team {row["team_id"][1] if row["team_id"] else "none"}, not "{team}"')
    if customer:
        if not row["partner_id"]:
            raise AssertionError(f'the opportunity has no customer, not "{customer}"')
        company = uat.admin.read("res.partner", [row["partner_id"][0]], ["commercial_partner_id"])[0]["commercial_partner_id"]
        if company[1] != uat.name(customer):
            raise AssertionError(f'the opportunity\'s customer is "{company[1]}", not "{uat.name(customer)}"')
        uat.remember("customer", customer, company[0])
        uat.touch("res.partner", company[0])


@uat_step(
    r"I am a member of sales team " + Q.format("team"),
    example='I am a member of sales team "DIRECT"',
    area="assertions",
    doc="The acting user is a member of this blueprint sales team (a role of the team gives it).",
)
def member_of(uat, team):
    if uat.role is None:
        raise UatError("nobody is logged in", fix='Add a step before: Given I am logged in as the "<role>"')
    uid = uat.run.user_for(uat.role)[2]
    members = uat.admin.read("crm.team", [_team(uat, team)], ["member_ids"])[0]["member_ids"]
    if uid not in members:
        raise AssertionError(f'the "{uat.role.name}" is not a member of sales team "{team}"')


@uat_step(
    r"the lead " + Q.format("name") + r" is still a lead",
    example='the lead "Hall roof insulation" is still a lead',
    area="assertions",
    doc="The lead was not converted (a refused conversion leaves it as it was).",
)
def still_lead(uat, name):
    row = uat.admin.read("crm.lead", [_lead(uat, name)], ["type", "partner_id"])[0]
    if row["type"] != "lead":
        raise AssertionError(f'the lead "{name}" became an {row["type"]}')


@uat_step(
    r"there is (?P<count>one|no) open opportunity with email " + Q.format("email"),
    example='there is one open opportunity with email "jane@buyer.example"',
    area="assertions",
    doc="Count the open leads and opportunities of this email: a merge leaves one.",
)
def opportunities_of(uat, count, email):
    found = uat.admin.search("crm.lead", [("email_from", "=", _email(uat, email)), ("active", "=", True)])
    if len(found) != {"one": 1, "no": 0}[count]:
        raise AssertionError(f'{len(found)} open lead(s) or opportunities have email "{email}", not {count}')
    uat.touch("crm.lead", found)


@uat_step(
    r"no customer " + Q.format("name") + r" exists",
    example='no customer "Buyer Ltd" exists',
    area="assertions",
    doc="Nobody created this customer in the scenario (a refused creation or conversion leaves none).",
)
def no_customer(uat, name):
    found = uat.admin.search("res.partner", [("name", "=", uat.name(name))])
    if found:
        raise AssertionError(f'customer "{name}" exists (#{found[0]})')
