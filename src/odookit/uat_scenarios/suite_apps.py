"""Generated scenarios of the crm and maintenance sections.

Each scenario exists because the blueprint's crm or maintenance section asks for
it: a sales team with roles, a customer creation role, the duplicate check, a piece
of equipment or a category with preventive maintenance. Roles are chosen by what
their groups let them do (governance/capabilities.py), teams, categories and
equipment are named by the blueprint's codes; leads, customers and the equipment a
scenario completes are the run's own.
"""

from __future__ import annotations

from odookit.blueprints.maintenance import preventive_of
from odookit.governance.capabilities import CAPABILITIES
from odookit.uat_scenarios.gherkin import Feature, Scenario
from odookit.uat_scenarios.suite import Roles, num, quoted

UNIT_PLURAL = {"day": "days", "week": "weeks", "month": "months", "year": "years"}


def _every(every: int, unit: str) -> str:
    return f"{every} {unit if every == 1 else UNIT_PLURAL[unit]}"


def crm(gen) -> None:
    """Conversion into a team's customer, the customer creation right, the duplicate check."""
    section, file = gen.bp.crm, "crm.feature"
    if section is None:
        return
    roles, main = gen.roles, gen.bp.main_company.code
    creating = section.customer_creation_role is not None
    feature = Feature(file, "Leads to customers", ["crm"], [
        "Leads are converted into opportunities of the converting user's sales team; the blueprint",
        "decides who may create the customer on the way and that a duplicate is merged, not doubled.",
    ])
    converter = None
    for team in section.teams:
        by_rights = sorted(team.roles, key=lambda c: len(roles.caps.get(c, ())))
        creator = next((r for r in by_rights if {"enter_orders", "create_customers"} <= roles.caps.get(r, frozenset())), None)
        seller = next((r for r in by_rights if "enter_orders" in roles.caps.get(r, frozenset())), None)
        member = creator if creating else seller
        # a team none of whose roles may create customers converts its leads for existing customers
        new = member is not None
        member = member or seller
        title = f"A lead converted by a member of {team.name} becomes an opportunity of the team for {'a new' if new else 'an existing'} customer"
        if member is None:
            gen.finding(file, title, f"no role of team {team.code} ({', '.join(team.roles) or 'none'}) may "
                        f"{CAPABILITIES['enter_orders'].label} (add such a role to crm.teams[].roles)")
            continue
        if new:
            converter = converter or member
        lead, account = f"UAT enquiry for {team.code}", quoted(f"UAT Prospect {team.code}")
        where = "" if team.company == main else f' in company "{team.company}"'
        feature.scenarios.append(Scenario(title, [
            *([] if new else [gen.customer(account)]), gen.login(member, first=True),
            f'When I create a lead "{quoted(lead)}"{where} from "UAT Buyer" of company "{account}" with email "buyer@prospect.example"',
            f'Then I am a member of sales team "{team.code}"',
            f'When I convert the lead "{quoted(lead)}" into an opportunity for ' + ("a new customer" if new else f'the existing customer "{account}"'),
            f'Then the lead "{quoted(lead)}" is an opportunity of sales team "{team.code}" for the customer "{account}"',
        ], tags=["conversion"]))
    if creating:
        other = roles.pick({"enter_orders"}, {"create_customers"})
        titles = ["A role without the customer creation right cannot create a customer",
                  "A lead converted by a role without the customer creation right creates no customer"]
        if other is None:
            for title in titles:
                gen.finding(file, title, Roles.gap({"enter_orders"}, {"create_customers"}))
        else:
            feature.scenarios.append(Scenario(titles[0], [
                gen.login(other, first=True), 'When I try to create the customer "UAT Walk-in Ltd"',
                'Then the customer creation is refused with a message containing "Customer creation"', 'Then no customer "UAT Walk-in Ltd" exists',
            ], tags=["customer_creation"]))
            feature.scenarios.append(Scenario(titles[1], [
                gen.login(other, first=True),
                'When I create a lead "UAT counter enquiry" from "UAT Walk-in Buyer" of company "UAT Walk-in Ltd" with email "walkin@prospect.example"',
                'When I try to convert the lead "UAT counter enquiry" into an opportunity for a new customer',
                'Then the conversion is refused with a message containing "Customer creation"',
                'Then the lead "UAT counter enquiry" is still a lead', 'Then no customer "UAT Walk-in Ltd" exists',
            ], tags=["customer_creation"]))
    if section.duplicate_check == "merge":
        title = "A lead duplicating an open opportunity is merged into it, not converted beside it"
        who = converter or roles.pick({"enter_orders", "create_customers"} if creating else {"enter_orders"})
        if who is None:
            gen.finding(file, title, Roles.gap({"enter_orders", "create_customers"} if creating else {"enter_orders"}))
        else:
            feature.scenarios.append(Scenario(title, [
                'Given an open opportunity "UAT running deal" with email "buyer@repeat.example"', gen.login(who),
                'When I create a lead "UAT repeat enquiry" from "UAT Repeat Buyer" of company "UAT Repeat Ltd" with email "buyer@repeat.example"',
                'When I try to convert the lead "UAT repeat enquiry" into an opportunity for a new customer',
                'Then the conversion is refused with a message containing "Duplicate"', 'Then the lead "UAT repeat enquiry" is still a lead',
                'When I convert the lead "UAT repeat enquiry" into an opportunity merged with its duplicates',
                'Then there is one open opportunity with email "buyer@repeat.example"',
            ], tags=["duplicates"]))
    gen.add(feature)


def maintenance(gen) -> None:
    """Every piece of equipment has its preventive request; completing one opens the next, as the category says."""
    section, file = gen.bp.maintenance, "maintenance.feature"
    if section is None:
        return
    feature = Feature(file, "Preventive maintenance of warehouse equipment", ["maintenance"], [
        "Every piece of equipment the blueprint schedules has an open recurring preventive request;",
        "when one is done, Odoo opens the next one as far ahead as the blueprint says.",
    ])
    rows = []
    for eq in section.equipment:
        p = preventive_of(gen.bp, eq)
        if p is not None:
            rows.append({"equipment": eq.code, "every": num(p.every), "unit": p.unit if p.every == 1 else UNIT_PLURAL[p.unit], "category": eq.category})
    if rows:
        feature.scenarios.append(Scenario("The blueprint's equipment has its preventive maintenance", [
            'Then equipment "<equipment>" has an open preventive maintenance every <every> <unit> in category "<category>"',
        ], examples=rows))
    manager = gen.roles.pick({"manage_maintenance"})
    for cat in section.categories:
        if cat.preventive is None:
            continue
        every = _every(cat.preventive.every, cat.preventive.unit)
        title = f"A completed preventive maintenance of {cat.name} opens the next one {every} later"
        if manager is None:
            gen.finding(file, title, Roles.gap({"manage_maintenance"}))
            continue
        item = quoted(f"UAT {cat.name} unit")
        feature.scenarios.append(Scenario(title, [
            f'Given an equipment "{item}" in category "{cat.code}" with the category\'s preventive maintenance',
            gen.login(manager), f'When I complete the preventive maintenance of equipment "{item}"',
            f'Then the next preventive maintenance of equipment "{item}" is scheduled {every} after the completed one',
        ], tags=["preventive"]))
    gen.add(feature)


AREAS = (crm, maintenance)
