"""SoD rules, the offline check, the policy files and the role matrix."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from odookit.cli import cli
from odookit.governance.policy import Policy, expand, shipped_rules
from odookit.governance.sod import evaluate


def policy(module="acme"):
    return Policy(module=module, rules=list(shipped_rules()))


BUNDLED = {"SOD-PO-APPROVAL"}  # shipped rules whose second duty's group implies the first's


@pytest.mark.parametrize("rule", shipped_rules(), ids=lambda r: r.code)
def test_each_shipped_rule_fires_on_its_duties_and_not_on_one_duty(rule):
    crafted = [expand(rule.duty_a.groups[0], "acme"), expand(rule.duty_b.groups[0], "acme")]
    found = {c.rule: c for c in evaluate("crafted", crafted, policy())}
    assert rule.code in found
    conflict = found[rule.code]
    found_as = (conflict.severity, conflict.inherent, conflict.causes_a, conflict.causes_b)
    if rule.code in BUNDLED:  # Odoo's manager group implies the user group: one group grants both duties, a warning
        assert found_as == ("warning", True, [crafted[1]], [crafted[1]])
    else:
        assert found_as == (rule.severity, False, [crafted[0]], [crafted[1]])

    clean = [expand(rule.duty_a.groups[0], "acme")]
    assert rule.code not in {c.rule for c in evaluate("clean", clean, policy())}


def test_combined_groups_are_errors_bundled_groups_are_inherent_warnings():
    found = {c.rule: c for c in evaluate("x", ["sales_team.group_sale_salesman_all_leads", "acme.group_credit_release"], policy())}
    credit = found["SOD-SO-CREDIT"]
    assert credit.severity == "error" and not credit.inherent
    assert credit.causes_a == ["sales_team.group_sale_salesman_all_leads"]
    assert credit.causes_b == ["acme.group_credit_release"]

    po = {c.rule: c for c in evaluate("y", ["purchase.group_purchase_manager"], policy())}["SOD-PO-APPROVAL"]
    assert po.inherent and po.severity == "warning"
    assert "inherent in purchase.group_purchase_manager" in po.line()


def test_a_clean_role_set_breaks_nothing():
    for groups in (["stock.group_stock_user"], ["purchase.group_purchase_user", "stock.group_stock_user"],
                   ["account.group_account_manager", "sales_team.group_sale_salesman_all_leads"]):
        assert [c for c in evaluate("clean", groups, policy()) if c.severity == "error"] == []


def run(ws, *args):
    return CliRunner().invoke(cli, ["-w", str(ws), *args])


def test_sample_engagement_has_no_error_level_conflict(example_ws):
    result = run(example_ws, "governance", "check")
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output
    assert "accepted: credit_controller: SOD-SO-CREDIT" in result.output
    assert (example_ws / ".odookit" / "governance-check.json").is_file()


def test_check_fails_on_an_error_level_conflict_and_names_the_groups(example_ws):
    roles = example_ws / "blueprints" / "05-roles.yaml"
    roles.write_text(roles.read_text().replace(
        "groups: [purchase.group_purchase_user, stock.group_stock_user]",
        "groups: [purchase.group_purchase_user, stock.group_stock_user, account.group_account_invoice]"))
    result = run(example_ws, "governance", "check")
    assert result.exit_code == 1, result.output
    assert ("error: buyer: SOD-PO-AP Raise purchase orders vs post vendor bills "
            "(purchase.group_purchase_user -> Raise purchase orders; account.group_account_invoice -> Post vendor bills)") in result.output


def test_role_naming_an_unknown_group_is_reported_by_the_blueprint_check(example_ws):
    roles = example_ws / "blueprints" / "05-roles.yaml"
    roles.write_text(roles.read_text().replace("groups: [stock.group_stock_manager]", "groups: [stock.group_stock_managr]"))
    result = run(example_ws, "governance", "check")
    assert result.exit_code == 2
    assert "blueprints/05-roles.yaml:21:14: unknown Odoo" in result.output
    assert "unknown Odoo security group 'stock.group_stock_managr' (did you mean 'stock.group_stock_manager'?)" in result.output


def test_rule_file_typo_is_one_line_with_position_and_suggestion(example_ws):
    (example_ws / "governance" / "extra.yaml").write_text(textwrap.dedent("""\
        rules:
          - code: ACME-1
            title: Ship vs invoice
            severty: error
            rationale: why
            duty_a: {name: Ship, groups: [stock.group_stock_user]}
            duty_b: {name: Invoice, groups: [account.group_account_invoice]}
        """))
    result = run(example_ws, "governance", "check")
    assert result.exit_code == 2
    assert "governance/extra.yaml:4:5: unknown key 'severty' (did you mean 'severity'?)" in result.output
    assert "Traceback" not in result.output


def test_engagement_rule_with_module_placeholder_and_bad_references(example_ws):
    (example_ws / "governance" / "extra.yaml").write_text(textwrap.dedent("""\
        rules:
          - code: ACME-RELEASE-INVOICE
            title: Release credit vs invoice
            rationale: why
            duty_a: {name: Release, groups: ["{module}.group_credit_release"]}
            duty_b: {name: Invoice, groups: [account.group_account_invoice]}
        """))
    result = run(example_ws, "governance", "check")
    assert result.exit_code == 1
    assert "error: credit_controller: ACME-RELEASE-INVOICE" in result.output

    (example_ws / "governance" / "extra.yaml").write_text(
        "accepted:\n  - {rule: SOD-SO-CREDT, role: credit_controler, reason: x}\n")
    result = run(example_ws, "governance", "check")
    assert result.exit_code == 2
    assert "unknown rule 'SOD-SO-CREDT' (did you mean 'SOD-SO-CREDIT'?)" in result.output
    assert "unknown role 'credit_controler' (did you mean 'credit_controller'?)" in result.output


def test_a_disabled_shipped_rule_can_be_redefined_but_not_silently_duplicated(example_ws):
    redefine = textwrap.dedent("""\
        rules:
          - code: SOD-PO-AP
            title: Approve purchase orders vs post vendor bills
            rationale: why
            duty_a: {name: Approve, groups: [purchase.group_purchase_manager]}
            duty_b: {name: Bills, groups: [account.group_account_invoice]}
        """)
    (example_ws / "governance" / "extra.yaml").write_text(redefine)
    result = run(example_ws, "governance", "check")
    assert result.exit_code == 2
    assert "governance/extra.yaml:2:5: rule code 'SOD-PO-AP' is already used" in result.output

    (example_ws / "governance" / "extra.yaml").write_text("disabled_rules: [SOD-PO-AP, SOD-RECEIVE-AP]\n" + redefine)
    result = run(example_ws, "governance", "rules")
    assert result.exit_code == 0, result.output
    assert "SOD-PO-AP [error] Approve purchase orders vs post vendor bills" in result.output
    assert result.output.count("SOD-PO-AP ") == 1 and "SOD-RECEIVE-AP" not in result.output


def test_malformed_governance_yaml_names_its_file_not_the_blueprint(example_ws):
    (example_ws / "governance" / "extra.yaml").write_text("rules: [\n")
    result = run(example_ws, "governance", "check")
    assert result.exit_code == 2
    assert "governance/extra.yaml:2:1: malformed YAML" in result.output
    assert "1 problem(s) in extra.yaml" in result.output and "blueprint" not in result.output
