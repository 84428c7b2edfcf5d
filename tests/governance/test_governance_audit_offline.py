"""The live audit's reading of users, against the generic in-memory ORM: which accounts it flags."""

from __future__ import annotations

from datetime import datetime, timezone

from odookit.docs.pages import audit_page
from odookit.governance.audit import run_audit
from odookit.workspace import Workspace


def _odoo(memory):
    user = memory.seed("res.groups", {"name": "Internal User", "implied_ids": []}, "base.group_user")
    system = memory.seed("res.groups", {"name": "Settings", "implied_ids": [user]}, "base.group_system")
    for login, active in (("it.admin", True), ("uat-20261125_it", False)):
        memory.seed("res.users", {"login": login, "name": login, "active": active, "share": False,
                                  "groups_id": [user, system], "login_date": "2026-11-24 10:00:00"})
    return memory


def test_archived_accounts_are_listed_but_not_flagged(example_ws, memory):
    result = run_audit(Workspace.find(example_ws), _odoo(memory), "dev",
                       now=datetime(2026, 11, 25, tzinfo=timezone.utc), save=False)
    flags = {u.login: u.flags for u in result.users}
    assert flags == {"it.admin": ["administrator", "beyond-role", "no-role"], "uat-20261125_it": []}
    assert result.summary().startswith("1 active user(s) on dev: 0 SoD error(s)"), "archived accounts are not counted"
    assert "1 administrator(s)" in result.summary()
    page = audit_page(result.as_dict())
    assert "it.admin" in page and "uat-20261125_it" not in page
    assert "1 archived account(s) are not shown" in page
