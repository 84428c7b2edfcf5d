"""SoD evaluation on a small policy and group graph of the test's own, so every field of a conflict is exact.

The graph stands in for a server's implied groups (as the live audit passes
it); the rules are the test's, so nothing here depends on the shipped rule set.
"""

from __future__ import annotations

from odookit.governance.policy import Acceptance, Duty, Policy, SodRule
from odookit.governance.sod import Conflict, evaluate

PAY = SodRule(code="SOD-PAY", title="Create vendors vs pay them", severity="error", rationale="a fake vendor could be paid",
              mitigation="review new vendors weekly",
              duty_a=Duty(name="Create vendors", groups=["base.group_partner_manager"]),
              duty_b=Duty(name="Pay vendors", groups=["account.group_payment", "{module}.group_pay_release"]))
BUY = SodRule(code="SOD-BUY", title="Order vs approve", severity="warning", rationale="self-approval",
              duty_a=Duty(name="Order", groups=["purchase.group_user"]), duty_b=Duty(name="Approve", groups=["purchase.group_manager"]))
# manager implies user (Odoo bundles both duties); the accountant implies payment; a role implies the accountant
GRAPH = {"purchase.group_manager": ["purchase.group_user"], "account.group_accountant": ["account.group_payment"],
         "acme.role_ap_clerk": ["account.group_accountant", "base.group_partner_manager"]}


def policy(*accepted: Acceptance) -> Policy:
    return Policy(module="acme", rules=[PAY, BUY], accepted=list(accepted))


def test_a_conflict_names_both_duties_the_groups_reaching_them_and_the_groups_to_look_at():
    [conflict] = evaluate("ap_clerk", ["acme.role_ap_clerk", "account.group_accountant"], policy(), GRAPH)
    assert conflict == Conflict(
        rule="SOD-PAY", title="Create vendors vs pay them", severity="error", subject="ap_clerk",
        duty_a="Create vendors", duty_b="Pay vendors",
        groups_a=["base.group_partner_manager"], groups_b=["account.group_payment"],
        # the role is looked through: the accountant group is what brings the payment duty
        causes_a=["acme.role_ap_clerk"], causes_b=["account.group_accountant"],
        inherent=False, rationale="a fake vendor could be paid", mitigation="review new vendors weekly",
    )
    assert conflict.line() == ("error: ap_clerk: SOD-PAY Create vendors vs pay them (acme.role_ap_clerk -> Create vendors; "
                               "account.group_accountant -> Pay vendors)")


def test_a_cause_implied_by_another_cause_is_not_named():
    [conflict] = evaluate("u", ["base.group_partner_manager", "account.group_accountant", "account.group_payment"], policy(), GRAPH)
    assert (conflict.causes_a, conflict.causes_b) == (["base.group_partner_manager"], ["account.group_accountant"])


def test_one_odoo_group_bringing_both_duties_is_an_inherent_warning():
    [conflict] = evaluate("buyer", ["purchase.group_manager"], policy(), GRAPH)
    assert (conflict.rule, conflict.severity, conflict.inherent, conflict.causes_a, conflict.causes_b, conflict.mitigation) == (
        "SOD-BUY", "warning", True, ["purchase.group_manager"], ["purchase.group_manager"], "")
    assert conflict.line() == "warning: buyer: SOD-BUY Order vs approve (inherent in purchase.group_manager)"


def test_an_engagement_group_bringing_both_duties_is_the_rules_own_severity():
    graph = {**GRAPH, "acme.group_pay_release": ["base.group_partner_manager"]}
    [conflict] = evaluate("r", ["acme.group_pay_release"], policy(), graph)
    assert (conflict.severity, conflict.inherent) == ("error", False)


def test_an_accepted_conflict_carries_the_reason_and_its_own_mitigation():
    accepted = Acceptance(rule="SOD-PAY", role="ap_clerk", reason="two-person company", mitigation="owner signs every payment")
    [conflict] = evaluate("ap_clerk", ["base.group_partner_manager", "account.group_payment"], policy(accepted), GRAPH)
    assert (conflict.severity, conflict.accepted_reason, conflict.mitigation) == ("accepted", "two-person company", "owner signs every payment")
    assert conflict.line().endswith("(base.group_partner_manager -> Create vendors; account.group_payment -> Pay vendors) "
                                    "[accepted: two-person company]")
    other = evaluate("another_role", ["base.group_partner_manager", "account.group_payment"], policy(accepted), GRAPH)
    assert [(c.severity, c.accepted_reason, c.mitigation) for c in other] == [("error", "", "review new vendors weekly")]
    no_mitigation = Acceptance(rule="SOD-PAY", user="jo", reason="interim")
    [kept] = evaluate("jo", ["base.group_partner_manager", "account.group_payment"], policy(no_mitigation), GRAPH)
    assert (kept.severity, kept.mitigation) == ("accepted", "review new vendors weekly")


def test_one_duty_alone_or_no_group_breaks_nothing():
    assert evaluate("u", ["purchase.group_user"], policy(), GRAPH) == []
    assert evaluate("u", [], policy(), GRAPH) == []
    assert evaluate("u", ["account.group_accountant"], policy(), GRAPH) == []


def test_as_dict_is_every_field():
    [conflict] = evaluate("buyer", ["purchase.group_manager"], policy(), GRAPH)
    assert conflict.as_dict() == {
        "rule": "SOD-BUY", "title": "Order vs approve", "severity": "warning", "subject": "buyer", "duty_a": "Order",
        "duty_b": "Approve", "groups_a": ["purchase.group_user"], "groups_b": ["purchase.group_manager"],
        "causes_a": ["purchase.group_manager"], "causes_b": ["purchase.group_manager"], "inherent": True,
        "rationale": "self-approval", "mitigation": "", "accepted_reason": "", "details": {}}


def test_several_causes_are_listed_and_an_inherent_conflict_names_only_the_bundling_group():
    graph = {**GRAPH, "acme.role_buyer": ["purchase.group_user"]}
    pay = evaluate("u", ["base.group_partner_manager", "acme.group_pay_release", "account.group_payment"], policy(), graph)
    assert [c.line() for c in pay] == ["error: u: SOD-PAY Create vendors vs pay them (base.group_partner_manager -> Create vendors; "
                                       "account.group_payment, acme.group_pay_release -> Pay vendors)"]
    # the manager group bundles both duties; another group brings only the first: only the bundling one is named
    graph["purchase.group_orderer"] = ["purchase.group_user"]
    [buy] = evaluate("buyer", ["purchase.group_manager", "purchase.group_orderer", "acme.role_buyer"], policy(), graph)
    assert (buy.causes_a, buy.causes_b) == (["purchase.group_manager", "purchase.group_orderer"], ["purchase.group_manager"])
    assert buy.line() == "warning: buyer: SOD-BUY Order vs approve (inherent in purchase.group_manager)"


def test_a_role_group_is_looked_through_on_either_side():
    graph = {**GRAPH, "acme.role_vendor_admin": ["base.group_partner_manager"]}
    [conflict] = evaluate("u", ["acme.role_vendor_admin", "base.group_partner_manager", "account.group_payment"], policy(), graph)
    assert (conflict.causes_a, conflict.causes_b) == (["base.group_partner_manager"], ["account.group_payment"])


def test_two_causes_on_the_first_side_and_two_bundling_groups_are_each_listed():
    graph = {**GRAPH, "acme.group_vendor_admin": ["base.group_partner_manager"], "base.group_vendor_clerk": ["base.group_partner_manager"],
             "purchase.group_admin": ["purchase.group_manager"], "purchase.group_boss": ["purchase.group_manager"]}
    [pay] = evaluate("u", ["acme.group_vendor_admin", "base.group_vendor_clerk", "account.group_payment"], policy(), graph)
    assert pay.line() == ("error: u: SOD-PAY Create vendors vs pay them (acme.group_vendor_admin, base.group_vendor_clerk -> "
                          "Create vendors; account.group_payment -> Pay vendors)")
    [buy] = evaluate("buyer", ["purchase.group_admin", "purchase.group_boss"], policy(), graph)
    assert buy.line() == "warning: buyer: SOD-BUY Order vs approve (inherent in purchase.group_admin, purchase.group_boss)"
