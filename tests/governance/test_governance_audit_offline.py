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


def test_a_login_used_only_through_an_api_key_is_key_only_not_unused(example_ws, memory):
    # Odoo records when a key was made and when it expires, never its use: JSON-2 sets no login_date
    user = memory.seed("res.groups", {"name": "Internal User", "implied_ids": []}, "base.group_user")
    ids = {}
    for login, last in (("integration", False), ("expired.key", False), ("stale.key", "2026-08-01 10:00:00"),
                        ("nobody", False), ("web.user", "2026-11-24 10:00:00")):
        ids[login] = memory.seed("res.users", {"login": login, "name": login, "active": True, "share": False,
                                               "groups_id": [user], "login_date": last})
    for login, expires in (("integration", False), ("integration", "2027-01-01 00:00:00"), ("expired.key", "2026-11-01 00:00:00"),
                           ("stale.key", False), ("web.user", False)):
        memory.seed("res.users.apikeys", {"user_id": ids[login], "name": "odookit", "expiration_date": expires})
    result = run_audit(Workspace.find(example_ws), memory, "dev", now=datetime(2026, 11, 25, tzinfo=timezone.utc), save=False)
    found = {u.login: ([f for f in u.flags if f in ("unused", "key-only")], u.api_keys) for u in result.users}
    assert found == {"integration": (["key-only"], 2), "expired.key": (["unused"], 0), "stale.key": (["key-only"], 1),
                     "nobody": (["unused"], 0), "web.user": ([], 1)}
    assert result.summary().endswith("2 unused active account(s), 2 with no login but an API key (Odoo records no key's use)")
    assert "marked key-only instead" in audit_page(result.as_dict())
