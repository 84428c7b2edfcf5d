"""What a UAT run and each of its scenarios know while steps execute.

A run owns the connection as the target's login (used for set-up data and for
reading evidence) and one Odoo user per blueprint role, created for the run.
A scenario owns the records its steps created, by the names the feature gave
them, and which role is "I" right now: business steps always act as that user,
so that access rights are part of what UAT proves.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from odookit.errors import OdooRejected, UatError
from odookit.odoo.adapters import field_name
from odookit.xmlids import slug, xmlid


def new_run_prefix(now: datetime | None = None) -> str:
    """UAT-<yyyymmddHHMMSS>-<4 hex>: in every name and reference a run creates, so runs never collide."""
    now = now or datetime.now()
    return f"UAT-{now:%Y%m%d%H%M%S}-{secrets.token_hex(2)}"


def create(gw, model: str, vals_list: list[dict], *, context: dict | None = None) -> list[int]:
    return gw.create(model, vals_list, context=context)


def write(gw, model: str, ids: list[int], vals: dict, *, context: dict | None = None) -> None:
    gw.write(model, list(ids), vals, context=context)


def number(text: str | float | int) -> float:
    return float(str(text).replace(",", ""))


@dataclass
class Touched:
    model: str
    res_id: int
    note: str = ""


class RunState:
    """Shared by every scenario of a run."""

    def __init__(self, ws, target, blueprint, *, prefix: str | None = None, connect: Callable | None = None):
        from odookit.odoo.connect import connect as real_connect

        self.ws = ws
        self.target = target
        self.blueprint = blueprint
        self.module = ws.module
        self.prefix = prefix or new_run_prefix()
        self._connect = connect or real_connect
        self._admin = None
        self._users: dict[str, tuple[str, str, int]] = {}  # role code -> (login, password, uid)
        self._gateways: dict[str, Any] = {}
        self.down_reason: str | None = None
        self.scenario_count = 0
        from odookit.uat_scenarios.run_users import Heartbeat

        self.heartbeat = Heartbeat(lambda: self.admin, self.prefix)  # tells other runs on the database this one is alive

    # -- connections --------------------------------------------------
    @property
    def admin(self):
        if self._admin is None:
            self._admin = self._connect(self.target)
        return self._admin

    def gateway_for(self, role) -> Any:
        login, password, _ = self.user_for(role)
        if login not in self._gateways:
            self._gateways[login] = self._connect(self.target, login=login, secret=password, password=True)
        return self._gateways[login]

    def archive_users(self) -> int:
        """Archive the role users of this run, and of earlier runs a dead server kept from archiving theirs,
        never those of a run still in progress on the same database (see ``run_users``).

        Their generated passwords are gone with the run, and an active test account with a role's rights is
        what the governance audit exists to find.
        """
        if self.down_reason is not None:
            return 0
        from odookit.uat_scenarios.run_users import STALE_AFTER, users_to_archive

        now = datetime.now(timezone.utc)
        marks = self.heartbeat.marks()
        found = self.admin.search_read("res.users", [("login", "=like", "uat-%")], ["login"])
        if self.heartbeat.blind:  # no marks to tell a finished run from one in progress: only this run's own
            found = [u for u in found if u["login"].startswith(f"{self.prefix.lower()}_")]
        alive = {run: seen for run, (seen, _) in marks.items()}
        uids = sorted(set(users_to_archive(found, self.prefix, alive, now)) | {uid for _, _, uid in self._users.values()})
        if uids:
            write(self.admin, "res.users", uids, {"active": False})
        done = [mark for run, (seen, mark) in marks.items() if run == self.prefix.lower() or now - seen > STALE_AFTER]
        if done:
            self.admin.unlink("ir.config_parameter", done)
        return len(uids)

    # -- blueprint lookups ------------------------------------------------
    def role(self, name: str):
        role = self.blueprint.role_by_name(name)
        if role is None:
            known = ", ".join(f'"{r.name}"' for r in self.blueprint.roles) or "none"
            raise UatError(f'role "{name}" is not in the blueprint (roles: {known})', fix="Use a role name or code from blueprints/.")
        return role

    def user_for(self, role) -> tuple[str, str, int]:
        """The run's user for a role: login <prefix>_<code>, a generated password, the role's groups."""
        if role.code in self._users:
            return self._users[role.code]
        gw = self.admin
        login = f"{self.prefix.lower()}_{slug(role.code)}"
        password = secrets.token_urlsafe(18)
        role_group = xmlid(self.module, "role", role.code)
        wanted = [role_group]
        if self.blueprint.credit.release_role == role.code:
            wanted.append(f"{self.module}.group_credit_release")
        if self.blueprint.approvals.sales_discount_role == role.code:
            wanted.append(f"{self.module}.group_discount_approver")
        if self.blueprint.approvals.inventory_adjustment_role == role.code:
            wanted.append(f"{self.module}.group_inventory_approver")
        from odookit.blueprints.returns import policy_groups

        wanted += [f"{self.module}.{name}" for name, (_, roles) in policy_groups(self.blueprint).items() if role.code in roles]
        found = gw.resolve_xmlids(wanted)
        if role_group not in found:
            extra = gw.resolve_xmlids(role.groups)
            missing = sorted(set(role.groups) - set(extra))
            if missing:
                raise UatError(
                    f'role "{role.name}": group(s) {", ".join(missing)} do not exist on the target',
                    fix="Run `odookit blueprint apply` or install the apps the role needs.",
                )
            found.update(extra)
        group_ids = sorted({res_id for _, res_id in found.values()})
        companies = self.company_ids()
        uid = create(
            gw,
            "res.users",
            [
                {
                    "name": f"{self.prefix} {role.name}",
                    "login": login,
                    "email": f"{login}@uat.example.com",
                    "password": password,
                    field_name(gw.info.major, "res.users", "groups_id"): [(6, 0, group_ids)],
                    "company_ids": [(6, 0, companies)],
                    "company_id": companies[0],
                }
            ],
            context={"no_reset_password": True},
        )[0]
        self._users[role.code] = (login, password, uid)
        return self._users[role.code]

    def company_ids(self) -> list[int]:
        """Main company first: the role users work in every blueprint entity."""
        if not hasattr(self, "_companies"):
            codes = [self.blueprint.main_company.code] + [c.code for c in self.blueprint.companies if not c.main]
            found = self.admin.resolve_xmlids([xmlid(self.module, "company", c) for c in codes])
            ids = [found[x][1] for x in (xmlid(self.module, "company", c) for c in codes) if x in found]
            if not ids:
                user = self.admin.read("res.users", [self.admin.uid], ["company_id", "company_ids"])[0]
                ids = [user["company_id"][0]] + [c for c in user["company_ids"] if c != user["company_id"][0]]
            self._companies = ids
        return self._companies


class ScenarioContext:
    """One scenario: the records it made, the acting role, the evidence of the current step."""

    def __init__(self, run: RunState, index: int):
        self.run = run
        self.prefix = f"{run.prefix}-S{index:02d}"
        self.role = None
        self.records: dict[tuple[str, str], int] = {}  # (kind, name) -> id
        self.product_category: dict[str, str] = {}  # product name -> blueprint category code
        self.current: dict[str, int] = {}  # "order", "purchase", "return", "invoice"... -> id
        self.last_error: OdooRejected | None = None
        self.touched: list[Touched] = []
        self.actor: str = ""

    # -- who acts -------------------------------------------------------
    @property
    def gw(self):
        """The gateway of the role that is "I" (the target's login until someone logs in)."""
        if self.role is None:
            self.actor = self.run.target.login
            return self.run.admin
        self.actor = self.role.name
        return self.run.gateway_for(self.role)

    @property
    def admin(self):
        return self.run.admin

    def login_as(self, role_name: str) -> None:
        self.role = self.run.role(role_name)
        self.run.gateway_for(self.role)
        self.actor = self.role.name

    # -- naming ---------------------------------------------------------
    def name(self, name: str) -> str:
        return f"{self.prefix} {name}"

    def code(self, name: str) -> str:
        return f"{self.prefix}-{slug(name).upper()}"

    def remember(self, kind: str, name: str, res_id: int) -> int:
        self.records[(kind, name.casefold())] = res_id
        return res_id

    def recall(self, kind: str, name: str, hint: str) -> int:
        key = (kind, name.casefold())
        if key not in self.records:
            known = ", ".join(f'"{n}"' for k, n in self.records if k == kind) or "none yet"
            raise UatError(f'{kind} "{name}" was not set up in this scenario (known: {known})', fix=f"Add a step: {hint}")
        return self.records[key]

    # -- hints in the workspace's own words (its blueprint's codes, never a sample's) ----
    @property
    def example_category(self) -> str:
        cats = self.run.blueprint.product_categories
        return cats[0].code if cats else "CATEGORY"

    @property
    def example_warehouse(self) -> str:
        whs = self.run.blueprint.warehouses
        return whs[0].code if whs else "WAREHOUSE"

    @property
    def order_hint(self) -> str:
        return 'When I order 10 units of "UAT item" for "UAT Customer"'

    @property
    def purchase_hint(self) -> str:
        return f'When I create a purchase order from "UAT Supplier" for 10 units of "UAT item" for warehouse "{self.example_warehouse}"'

    def location_hint(self, name: str) -> str:
        return f'Given a quarantine location "{name}" in warehouse "{self.example_warehouse}"'

    def product(self, name: str) -> int:
        return self.recall("product", name, f'Given a storable product "{name}" in category "{self.example_category}" priced at 10')

    def partner(self, name: str) -> int:
        for kind in ("customer", "supplier"):
            if (kind, name.casefold()) in self.records:
                return self.records[(kind, name.casefold())]
        return self.recall("customer", name, f'Given a customer "{name}"')

    def need(self, what: str, hint: str) -> int:
        if what not in self.current:
            raise UatError(f"there is no {what} yet in this scenario", fix=f"Add a step before: {hint}")
        return self.current[what]

    # -- evidence -------------------------------------------------------
    def touch(self, model: str, ids, note: str = "") -> None:
        for res_id in [ids] if isinstance(ids, int) else ids:
            if not any(t.model == model and t.res_id == res_id for t in self.touched):
                self.touched.append(Touched(model, res_id, note))

    # -- blueprint things, by xmlid first, then by code or name --------
    def warehouse(self, code: str) -> int:
        bp = self.run.blueprint
        folded = code.strip().casefold()
        wh = next((w for w in bp.warehouses if folded in (w.code.casefold(), w.name.casefold())), None)
        if wh is None:
            known = ", ".join(w.code for w in bp.warehouses) or "none"
            raise UatError(f'warehouse "{code}" is not in the blueprint (warehouses: {known})', fix="Use a warehouse code from blueprints/.")
        return self._blueprint_record("stock.warehouse", xmlid(self.run.module, "warehouse", wh.code), [("code", "=", wh.code)], wh.code)

    def blueprint_warehouse(self, code: str):
        folded = code.strip().casefold()
        return next(w for w in self.run.blueprint.warehouses if folded in (w.code.casefold(), w.name.casefold()))

    def category(self, code: str):
        bp = self.run.blueprint
        folded = code.strip().casefold()
        cat = next((c for c in bp.product_categories if folded in (c.code.casefold(), c.name.casefold())), None)
        if cat is None:
            known = ", ".join(c.code for c in bp.product_categories) or "none"
            raise UatError(f'product category "{code}" is not in the blueprint (categories: {known})', fix="Use a category code from blueprints/.")
        rid = self._blueprint_record("product.category", xmlid(self.run.module, "product_category", cat.code), [("name", "=", cat.name)], cat.code)
        return cat, rid

    def pricelist(self, code: str) -> int:
        bp = self.run.blueprint
        folded = code.strip().casefold()
        pl = next((p for p in bp.pricelists if folded in (p.code.casefold(), p.name.casefold())), None)
        if pl is None:
            known = ", ".join(p.code for p in bp.pricelists) or "none"
            raise UatError(f'pricelist "{code}" is not in the blueprint (pricelists: {known})', fix="Use a pricelist code from blueprints/.")
        return self._blueprint_record("product.pricelist", xmlid(self.run.module, "pricelist", pl.code), [("name", "=", pl.name)], pl.code)

    def payment_term(self, code: str) -> int:
        bp = self.run.blueprint
        folded = code.strip().casefold()
        pt = next((p for p in bp.payment_terms if folded in (p.code.casefold(), p.name.casefold())), None)
        if pt is None:
            known = ", ".join(p.code for p in bp.payment_terms) or "none"
            raise UatError(f'payment terms "{code}" are not in the blueprint (terms: {known})', fix="Use a payment term code from blueprints/.")
        return self._blueprint_record("account.payment.term", xmlid(self.run.module, "payment_term", pt.code), [("name", "=", pt.name)], pt.code)

    def segment(self, code: str):
        bp = self.run.blueprint
        folded = code.strip().casefold()
        seg = next((s for s in bp.credit.segments if folded in (s.code.casefold(), s.name.casefold())), None)
        if seg is None:
            known = ", ".join(s.code for s in bp.credit.segments) or "none"
            raise UatError(f'credit segment "{code}" is not in the blueprint (segments: {known})', fix="Use a segment code from blueprints/.")
        rid = self._blueprint_record("res.partner.category", xmlid(self.run.module, "partner_segment", seg.code), [("name", "=", seg.name)], seg.code)
        return seg, rid

    def _blueprint_record(self, model: str, xid: str, domain: list, code: str) -> int:
        cache = self.run.__dict__.setdefault("_bp_cache", {})
        if xid not in cache:
            found = self.admin.resolve_xmlids([xid])
            if xid in found:
                cache[xid] = found[xid][1]
            else:
                ids = self.admin.search(model, domain, limit=1)
                if not ids:
                    raise UatError(
                        f"{model} {code} of the blueprint is not configured on the target ({xid} not found)",
                        fix="Run `odookit blueprint apply -t TARGET` first.",
                    )
                cache[xid] = ids[0]
        return cache[xid]


def wait_until(check: Callable[[], Any], timeout: float = 10, every: float = 0.3):
    """Poll for something Odoo does right after a commit (rare: most flows are synchronous)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


def slugish(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip())
