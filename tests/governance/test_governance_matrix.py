"""Role matrix and RACI derived from a small blueprint written inline."""

from __future__ import annotations

from odookit.blueprints.schema import Blueprint
from odookit.governance.matrix import role_matrix
from odookit.governance.policy import Policy, shipped_rules


def blueprint(**extra) -> Blueprint:
    data = {
        "companies": [{"code": "A", "name": "A Inc", "country": "US", "currency": "USD"}],
        "credit": {"action": "block", "release_role": "credit"},
        "approvals": {"sales_discount_above": 10, "sales_discount_role": "boss"},
        "roles": [
            {"code": "seller", "name": "Seller", "groups": ["sales_team.group_sale_salesman"]},
            {"code": "boss", "name": "Boss", "groups": ["sales_team.group_sale_manager"]},
            {"code": "credit", "name": "Credit", "groups": ["account.group_account_invoice"]},
            {"code": "picker", "name": "Picker", "groups": ["stock.group_stock_user"]},
        ],
        **extra,
    }
    return Blueprint.model_validate(data)


def test_matrix_resolves_implied_groups_and_approval_groups():
    m = role_matrix(blueprint(), Policy(module="acme", rules=list(shipped_rules())))
    boss = m.cells["boss"]
    assert boss["sales_team.group_sale_manager"] == "direct"
    assert boss["sales_team.group_sale_salesman"] == "implied"  # through group_sale_salesman_all_leads
    assert boss["acme.group_discount_approver"] == "direct"
    assert "acme.group_credit_release" in m.cells["credit"]
    apps = m.apps()
    assert "Approvals" in apps and "Sales" in apps
    assert "base.group_user" not in {c.xmlid for c in m.columns}


def test_raci_follows_rights_and_engagement_corrections():
    m = role_matrix(blueprint(), Policy(module="acme", rules=[], raci={"order_capture": {"picker": "-", "credit": "C"}}))
    assert m.raci["order_capture"] == {"seller": "R", "boss": "A", "credit": "C", "picker": ""}
    assert m.raci["credit_release"]["credit"] == "A"
    assert m.raci["pick_pack_ship"]["picker"] == "R"
    assert m.raci["invoicing"]["credit"] == "R"
    assert any(n.startswith("Master data creation and change: no blueprint role is accountable") for n in m.notes)


def test_approval_group_is_not_granted_when_the_policy_is_off():
    bp = blueprint(credit={"action": "warn", "release_role": "credit"})
    m = role_matrix(bp, Policy(module="acme", rules=[]))
    assert "acme.group_credit_release" not in m.cells["credit"]
