"""``governance audit``: the live users of a target against the blueprint's roles.

Everything is read from the server (users, their groups, the group graph with
implied groups), so a group added by hand in Odoo, a user given an extra right
or an account nobody uses any more shows up, even if the blueprint never
mentioned it. Users map to blueprint roles through ``<module>.role_<code>``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from odookit.governance.groups import implied_closure
from odookit.governance.sod import Conflict, evaluate
from odookit.odoo.adapters import field_name

AUDIT_STATE = "governance-audit.json"
ADMIN_GROUPS = ("base.group_system", "base.group_erp_manager")
SUPERUSER_ID = 1  # __system__: not a person, holds every group by design
TEMPLATE_USER = "base.default_user"  # archived template whose groups new users get: not a person either


@dataclass
class UserFinding:
    login: str
    name: str
    active: bool
    last_login: str | None
    roles: list[str]
    admin: list[str]
    conflicts: list[Conflict]
    beyond_role: list[str]  # groups (root ones) that no role of the user explains
    unused: bool  # active, no login for the policy's number of days, and no API key it could use instead
    groups: list[str] = field(default_factory=list)
    api_keys: int = 0  # API keys valid now: Odoo records when a key was made, never when it was used
    key_only: bool = False  # no login for the policy's days, but API keys: whether it is used cannot be told

    @property
    def flags(self) -> list[str]:
        """Nothing for an archived account: it cannot sign in (UAT archives its run users this way)."""
        if not self.active:
            return []
        out = []
        if any(c.severity == "error" for c in self.conflicts):
            out.append("sod-error")
        elif any(c.severity == "warning" for c in self.conflicts):
            out.append("sod-warning")
        if self.admin:
            out.append("administrator")
        if self.beyond_role:
            out.append("beyond-role")
        if not self.roles:
            out.append("no-role")
        if self.unused:
            out.append("unused")
        if self.key_only:
            out.append("key-only")
        return out

    def as_dict(self) -> dict:
        data = asdict(self)
        data["flags"] = self.flags
        return data


@dataclass
class AuditResult:
    target: str
    database: str
    at: str
    inactive_after_days: int
    users: list[UserFinding]
    labels: dict[str, str] = field(default_factory=dict)

    def count(self, flag: str) -> int:
        return sum(flag in u.flags for u in self.users)

    def summary(self) -> str:
        conflicts = sum(len([c for c in u.conflicts if c.severity == "error"]) for u in self.users if u.active)
        return (
            f"{sum(u.active for u in self.users)} active user(s) on {self.target}: {conflicts} SoD error(s) on "
            f"{self.count('sod-error')} user(s), "
            f"{self.count('administrator')} administrator(s), {self.count('beyond-role')} with rights beyond their role, "
            f"{self.count('no-role')} without a blueprint role, {self.count('unused')} unused active account(s)"
            + (f", {n} with no login but an API key (Odoo records no key's use)" if (n := self.count("key-only")) else "")
        )

    def as_dict(self) -> dict:
        return {
            "target": self.target,
            "database": self.database,
            "at": self.at,
            "summary": self.summary(),
            "inactive_after_days": self.inactive_after_days,
            "users": [u.as_dict() for u in self.users],
            "labels": self.labels,
        }


def _group_graph(gateway) -> tuple[dict[int, str], dict[str, list[str]], dict[str, str]]:
    """Live groups: id -> external ID, the implied graph by external ID, and labels."""
    section = field_name(gateway.info.major, "res.groups", "category_id")  # the user form's heading of the group
    groups = gateway.search_read("res.groups", [], ["id", "name", "implied_ids", section], context={"active_test": False})
    data = gateway.search_read("ir.model.data", [("model", "=", "res.groups")], ["module", "name", "res_id"])
    names = {}
    for row in data:
        names.setdefault(row["res_id"], f"{row['module']}.{row['name']}")
    key = {g["id"]: names.get(g["id"], f"res.groups({g['id']})") for g in groups}
    graph = {key[g["id"]]: [key[i] for i in g["implied_ids"] if i in key] for g in groups}
    labels = {}
    for g in groups:
        category = g[section][1] if g.get(section) else ""
        labels[key[g["id"]]] = f"{category} / {g['name']}" if category else g["name"]
    return key, graph, labels


def _parse_when(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(str(value)[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def _valid_keys(gateway, now: datetime) -> dict[int, int]:
    """User id -> API keys not expired at ``now``.

    A key's use leaves no trace in Odoo (16 to 19: ``res.users.apikeys`` holds its
    creation and expiry only, and a JSON-2 or XML-RPC call with it sets no
    ``login_date``), so a login used only through a key looks like one nobody uses.
    An auditor who is not a system administrator sees only their own keys.
    """
    out: dict[int, int] = {}
    for key in gateway.search_read("res.users.apikeys", [], ["user_id", "expiration_date"]):
        expires = _parse_when(key.get("expiration_date"))
        if key.get("user_id") and (expires is None or expires > now):
            uid = key["user_id"][0] if isinstance(key["user_id"], list | tuple) else key["user_id"]
            out[uid] = out.get(uid, 0) + 1
    return out


def run_audit(ws, gateway, target_name: str, now: datetime | None = None, save: bool = True) -> AuditResult:
    from odookit.blueprints.loader import load_workspace_blueprint
    from odookit.governance.policy import load_policy

    bp = load_workspace_blueprint(ws)
    policy = load_policy(ws, role_codes=[r.code for r in bp.roles])
    now = now or datetime.now(timezone.utc)
    key, graph, labels = _group_graph(gateway)
    role_prefix = f"{ws.module}.role_"
    baseline = implied_closure(["base.group_user"], graph)
    user_groups = field_name(gateway.info.major, "res.users", "groups_id")
    users = gateway.search_read(
        "res.users", [("share", "=", False)], ["id", "login", "name", "active", user_groups, "login_date"],
        order="login", context={"active_test": False},
    )
    not_people = {SUPERUSER_ID} | {rid for _, rid in gateway.resolve_xmlids([TEMPLATE_USER]).values()}
    keys = _valid_keys(gateway, now)
    findings = []
    for user in users:
        if user["id"] in not_people:
            continue
        groups = sorted(key[g] for g in user[user_groups] if g in key)
        effective = implied_closure(groups, graph)
        roles = sorted(g[len(role_prefix):] for g in effective if g.startswith(role_prefix))
        explained = implied_closure([f"{role_prefix}{r}" for r in roles], graph) | baseline
        extra = effective - explained
        roots = sorted(g for g in extra if not any(g != o and g in implied_closure([o], graph) for o in extra))
        last = _parse_when(user.get("login_date"))
        idle = bool(user["active"]) and (last is None or now - last > timedelta(days=policy.inactive_after_days))
        held = keys.get(user["id"], 0)
        findings.append(UserFinding(
            login=user["login"],
            name=user["name"],
            active=bool(user["active"]),
            last_login=last.isoformat(timespec="seconds") if last else None,
            roles=roles,
            admin=sorted(set(ADMIN_GROUPS) & effective),
            conflicts=evaluate(user["login"], groups, policy, implies=graph),
            beyond_role=roots,
            unused=idle and not held,
            groups=sorted(effective),
            api_keys=held,
            key_only=idle and bool(held),
        ))
    result = AuditResult(
        target=target_name,
        database=getattr(gateway, "db", ""),
        at=now.isoformat(timespec="seconds"),
        inactive_after_days=policy.inactive_after_days,
        users=findings,
        labels={g: labels[g] for u in findings for g in u.groups if g in labels},
    )
    if save:
        from odookit.governance.check import write_json

        write_json(ws.state / AUDIT_STATE, result.as_dict())
    return result


def write_workbook(result: AuditResult, path: Path) -> Path:
    """The audit as .xlsx, every text cell escaped against formula injection."""
    import os
    import tempfile

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from odookit.migration.escape import put

    wb = Workbook()
    sheets = {
        "Users": ["Login", "Name", "Active", "Last login", "API keys", "Roles", "Administrator", "Flags", "SoD errors", "Beyond role"],
        "Conflicts": ["Login", "Rule", "Title", "Severity", "Inherent", "Groups (duty A)", "Groups (duty B)", "Mitigation", "Accepted because"],
        "Beyond role": ["Login", "Group", "Label"],
    }
    first = True
    books = {}
    for title, header in sheets.items():
        sheet = wb.active if first else wb.create_sheet()
        first = False
        sheet.title = title
        for col, text in enumerate(header, start=1):
            put(sheet, 1, col, text).font = Font(bold=True)
        sheet.freeze_panes = "A2"
        books[title] = sheet
    rows = {name: 2 for name in sheets}

    def add(name: str, values: list) -> None:
        for col, value in enumerate(values, start=1):
            put(books[name], rows[name], col, value)
        rows[name] += 1

    for u in result.users:
        add("Users", [u.login, u.name, "yes" if u.active else "archived", u.last_login or "never", u.api_keys, ", ".join(u.roles),
                      ", ".join(u.admin), ", ".join(u.flags), sum(c.severity == "error" for c in u.conflicts),
                      ", ".join(u.beyond_role)])
        for c in u.conflicts:
            add("Conflicts", [u.login, c.rule, c.title, c.severity, "yes" if c.inherent else "no",
                              ", ".join(c.causes_a), ", ".join(c.causes_b), c.mitigation, c.accepted_reason])
        for g in u.beyond_role:
            add("Beyond role", [u.login, g, result.labels.get(g, "")])
    for sheet in books.values():
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    wb.save(tmp)
    os.replace(tmp, path)
    return path
