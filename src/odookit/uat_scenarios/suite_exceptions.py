"""Generated scenarios of the return policy and the governed exception paths.

Each scenario exists because the blueprint's returns or exceptions section
asks for it, names roles by what their groups let them do (the approval groups
``blueprint apply`` gives the roles the sections name) and speaks the
blueprint's own figures: the return window, the grace days, the quarantine
location of the warehouse. The returns scenarios of ``suite.py`` ask here who
may take a return back and where it waits.
"""

from __future__ import annotations

from odookit.blueprints.schema import Blueprint, Warehouse
from odookit.uat_scenarios.gherkin import Feature, Scenario

QUARANTINE = "UAT Returns Quarantine"  # made by the scenario when the blueprint names none for the warehouse


def return_needs(bp: Blueprint) -> set[str]:
    """What the role that takes returns back needs: the warehouse, and under a return policy the right to take them."""
    return {"operate_warehouse", "take_returns"} if bp.returns else {"operate_warehouse"}


def quarantine(bp: Blueprint, wh: Warehouse) -> tuple[str, list[str]]:
    """The warehouse's quarantine location, and the set-up step that makes one when the policy names none."""
    named = next((q.location for q in (bp.returns.quarantine if bp.returns else []) if q.warehouse == wh.code), None)
    if named:
        return named.replace('"', "'"), []
    return QUARANTINE, [f'Given a quarantine location "{QUARANTINE}" in warehouse "{wh.code}"']


def return_policy(gen) -> None:
    """Who may take a return back, and the window after which only the authorising role may."""
    from odookit.uat_scenarios.suite import CUSTOMER, Roles

    policy, file = gen.bp.returns, "return_policy.feature"
    if policy is None:
        return
    n = policy.window_days
    titles = {"refused": "A return by a role that may not take returns back is refused",
              "within": f"A return within the {n}-day window is taken back into quarantine",
              "late": f"A return past the {n}-day window is refused without authorisation",
              "authorised": f"A return past the {n}-day window is taken back by the role that authorises returns"}
    if gen.data_gap(file, list(titles.values())):
        return
    roles = gen.needs(file, list(titles.values()), seller=({"enter_orders"}, ()), operator=({"operate_warehouse"}, ()))
    if roles is None:
        return
    wh, item = gen.main_wh, gen.item()
    place, make = quarantine(gen.bp, wh)
    feature = Feature(file, "Return policy", ["returns", "approvals"], [
        f"Customer returns are taken back within {n} days of the delivery by the roles the return",
        "policy names; an older delivery's return needs the role that authorises returns, and",
        "returned goods wait in quarantine for inspection.",
    ], background=[gen.customer(), gen.product(5), f'Given 50 units of "{item}" are on hand in warehouse "{wh.code}"',
                   gen.login(roles["seller"], first=True), f'Given I order 20 units of "{item}" for "{CUSTOMER}" from warehouse "{wh.code}"',
                   "Given I confirm the order", f'Given I log in as the "{gen.roles.name(roles["operator"])}"', "Given I ship the order in full"])
    back = lambda who, reason: [gen.login(who), f'When I return 2 units of "{item}" from the delivery with reason "{reason}"',  # noqa: E731
                                f'When I receive the return into location "{place}"', f'Then the stock of "{item}" in location "{place}" is 2',
                                f'Then the delivered quantity of "{item}" on the order is 18']
    refused = lambda who, text: [gen.login(who), f'When I try to return 2 units of "{item}" from the delivery with reason "Changed mind"',  # noqa: E731
                                 f'Then the return is refused with a message containing "{text}"', f'Then the delivered quantity of "{item}" on the order is 20']
    aged = f"Given the delivery of the order was done {n + 1} days ago"
    outsider = gen.roles.pick({"operate_warehouse"}, {"take_returns"})
    if outsider is None:
        gen.finding(file, titles["refused"], Roles.gap({"operate_warehouse"}, {"take_returns"}))
    else:
        feature.scenarios.append(Scenario(titles["refused"], refused(outsider, "Return not authorised")))
    taker = gen.roles.pick({"operate_warehouse", "take_returns"})
    if taker is None:
        gen.finding(file, titles["within"], Roles.gap({"operate_warehouse", "take_returns"}))
    else:
        feature.scenarios.append(Scenario(titles["within"], make + back(taker, "Damaged in transit")))
    late = gen.roles.pick({"operate_warehouse"}, {"authorise_returns"})
    if late is None:
        gen.finding(file, titles["late"], Roles.gap({"operate_warehouse"}, {"authorise_returns"}))
    else:
        feature.scenarios.append(Scenario(titles["late"], [aged] + refused(late, "Return window passed")))
    authoriser = gen.roles.pick({"operate_warehouse", "authorise_returns"})
    if authoriser is None:
        gen.finding(file, titles["authorised"], Roles.gap({"operate_warehouse", "authorise_returns"}))
    else:
        feature.scenarios.append(Scenario(titles["authorised"], [aged] + make + back(authoriser, "Late claim")))
    gen.add(feature)


def rush_orders(gen) -> None:
    """An order promised sooner than its products' customer lead time needs the approving role."""
    from odookit.uat_scenarios.suite import CUSTOMER, Roles

    if gen.bp.exceptions.rush_orders is None:
        return
    file, lead = "rush_orders.feature", 10
    titles = [f"An order promised in 2 days for goods with a {lead}-day lead time is refused without approval",
              "A rush order is confirmed by a role that may approve rush orders",
              f"An order promised after the {lead}-day lead time needs no approval"]
    if gen.data_gap(file, titles, warehouse=False):
        return
    roles = gen.needs(file, titles, seller=({"enter_orders"}, {"approve_rush"}))
    if roles is None:
        return
    item, seller = gen.item(), roles["seller"]
    feature = Feature(file, "Rush orders", ["sales", "approvals"], [
        "A sales order whose delivery date is sooner than its lead time allows is a rush order:",
        "only a role that may approve rush orders confirms it.",
    ], background=[gen.customer(), gen.product(100), f'Given the product "{item}" takes {lead} days to deliver to customers'])
    order = lambda days: [gen.login(seller, first=True), f'When I order 2 units of "{item}" for "{CUSTOMER}"',  # noqa: E731
                          f"When I promise the order for delivery in {days} days"]
    blocked = ["When I try to confirm the order", 'Then the confirmation is blocked with a message containing "Rush order"']
    feature.scenarios.append(Scenario(titles[0], order(2) + blocked + ["Then the order is a quotation"]))
    approver = gen.roles.pick({"approve_rush", "enter_orders"})
    if approver is None:
        gen.finding(file, titles[1], Roles.gap({"approve_rush", "enter_orders"}))
    else:
        feature.scenarios.append(Scenario(titles[1], order(2) + blocked + [gen.login(approver), "When I confirm the order",
                                                                           "Then the order is confirmed"]))
    feature.scenarios.append(Scenario(titles[2], order(lead + 5) + ["When I confirm the order", "Then the order is confirmed"]))
    gen.add(feature)


def late_receipts(gen) -> None:
    """A purchase receipt past its date (and the grace days) gets one activity for the buyer."""
    from odookit.uat_scenarios.suite import Roles

    late = gen.bp.exceptions.late_receipts
    if late is None:
        return
    file, days = "late_receipts.feature", late.grace_days + 2
    titles = [f"A receipt {days} days overdue gets one late receipt activity for the buyer",
              "A receipt not yet due gets no late receipt activity"]
    if gen.data_gap(file, titles):
        return
    roles = gen.needs(file, titles, buyer=({"buy"}, ()))
    if roles is None:
        return
    buyer, wh = roles["buyer"], gen.main_wh
    buy = gen.purchase_steps(buyer, 10, 10, wh)
    if not buy:
        for title in titles:
            gen.finding(file, title, Roles.gap({"approve_purchases"}))
        return
    grace = f" and {late.grace_days} grace day{'s' if late.grace_days != 1 else ''}" if late.grace_days else ""
    feature = Feature(file, "Late receipts", ["procurement", "exceptions"], [
        f"A purchase receipt not received by its scheduled date{grace} gets a 'Late receipt'",
        "activity for the purchase order's buyer, once, from the scheduled late receipt check.",
    ], background=[gen.product(15, 10), gen.supplier(10)])
    check = ["When the late receipt check runs", f'Then the receipt has a late receipt activity for the "{gen.roles.name(buyer)}"']
    feature.scenarios.append(Scenario(titles[0], buy + [f"When the receipt of the purchase order is {days} days overdue", *check, *check]))
    if gen.bp.reorder.supplier_lead_days or late.grace_days:  # scheduled ahead, or not late yet at its date
        feature.scenarios.append(Scenario(titles[1], buy + ["When the late receipt check runs", "Then the receipt has no late receipt activity"]))
    gen.add(feature)


AREAS = (return_policy, rush_orders, late_receipts)
