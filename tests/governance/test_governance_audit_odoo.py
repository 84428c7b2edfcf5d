"""``governance audit`` against a real Odoo 18: users made to break exactly two rules."""

from __future__ import annotations

import json
import uuid

import pytest
from click.testing import CliRunner

from odookit.cli import cli
from odookit.odoo.adapters import field_name

pytestmark = pytest.mark.odoo


def test_audit_finds_exactly_the_two_broken_rules(odoo_target):
    from odookit.odoo.connect import connect
    from odookit.workspace import Workspace

    root, target = odoo_target
    ws = Workspace.find(root)
    applied = CliRunner().invoke(cli, ["-w", str(root), "blueprint", "apply", "-t", target])  # the roles, and their apps
    assert applied.exit_code == 0, applied.output
    gw = connect(ws.target(target))
    role = gw.resolve_xmlids(["nis_config.role_warehouse_operator"])["nis_config.role_warehouse_operator"][1]
    refs = gw.resolve_xmlids(["purchase.group_purchase_user", "account.group_account_invoice", "base.group_partner_manager",
                              "base.group_system"])
    tag = uuid.uuid4().hex[:6]

    def user(login: str, groups: list[int], active: bool = True) -> str:
        login = f"gov_{login}_{tag}"
        field = field_name(gw.info.major, "res.users", "groups_id")
        gw.create("res.users", [{"name": login, "login": login, "active": active, field: [(6, 0, groups)]}])
        return login

    orders_and_bills = user("po_ap", [refs["purchase.group_purchase_user"][1], refs["account.group_account_invoice"][1]])
    vendors_and_bills = user("vendor_ap", [refs["base.group_partner_manager"][1], refs["account.group_account_invoice"][1]])
    operator = user("operator", [role])
    archived_admin = user("old_admin", [refs["base.group_system"][1]], active=False)

    out = root / "audit.xlsx"
    result = CliRunner().invoke(cli, ["-w", str(root), "governance", "audit", "-t", target, "--json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    mine = {u["login"]: u for u in data["users"] if u["login"].endswith(tag)}
    assert set(mine) == {orders_and_bills, vendors_and_bills, operator, archived_admin}

    broken = sorted((login, c["rule"], c["severity"]) for login, u in mine.items() for c in u["conflicts"]
                    if login != archived_admin)
    assert broken == [(orders_and_bills, "SOD-PO-AP", "error"), (vendors_and_bills, "SOD-VENDOR-AP", "error")]
    po = mine[orders_and_bills]["conflicts"][0]
    assert po["causes_a"] == ["purchase.group_purchase_user"] and po["causes_b"] == ["account.group_account_invoice"]

    assert mine[operator]["roles"] == ["warehouse_operator"]
    assert mine[operator]["beyond_role"] == []
    assert "unused" in mine[operator]["flags"]  # never logged in
    assert "no-role" in mine[orders_and_bills]["flags"]
    assert sorted(mine[orders_and_bills]["beyond_role"]) == ["account.group_account_invoice", "purchase.group_purchase_user"]
    assert mine[archived_admin]["active"] is False and "base.group_system" in mine[archived_admin]["admin"]
    assert mine[archived_admin]["flags"] == [], "an archived account cannot sign in: listed, not flagged"
    admin = next(u for u in data["users"] if u["login"] == "admin")
    assert "administrator" in admin["flags"]
    if gw.info.major >= 19:  # the target signs in with an API key only: Odoo records no login for it
        assert admin["api_keys"] >= 1 and "key-only" in admin["flags"] and "unused" not in admin["flags"], admin
    else:  # signed in with its password by this very audit
        assert admin["last_login"] and "unused" not in admin["flags"], admin

    from openpyxl import load_workbook

    book = load_workbook(out)
    logins = [row[0].value for row in book["Conflicts"].iter_rows(min_row=2)]
    assert orders_and_bills in logins and vendors_and_bills in logins
    page = (root / "docs" / "pages" / "governance-audit.md").read_text()
    assert orders_and_bills in page and "SOD-VENDOR-AP" in page
    assert archived_admin not in page
    assert (root / ".odookit" / "governance-audit.json").is_file()
