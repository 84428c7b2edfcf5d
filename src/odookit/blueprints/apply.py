"""Carry out a plan, operation by operation, logging every change.

Values are resolved at apply time (an operation may reference a record an
earlier operation created). Each change is appended to the workspace's change
log as soon as Odoo accepted it, so an interrupted apply leaves an accurate
log and a re-plan picks up exactly what is left.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from odookit.blueprints.desired import chart_xmlid, is_chart_ref, is_chart_refs, is_lines, is_ref, is_refs, referenced_xmlids
from odookit.blueprints.plan import Operation, Plan
from odookit.errors import PlanError
from odookit.odoo.gateway import Gateway, split_xmlid


# a company's fields Odoo validates against each other when they reach its partner
CHECKED_TOGETHER = ("country_id", "vat")


class Applier:
    def __init__(self, gateway: Gateway, plan: Plan, changelog: Path | None, *, user: str | None = None):
        self.gw = gateway
        self.plan = plan
        self.changelog = changelog
        self.user = user or getpass.getuser()
        xmlids = set()
        for op in plan.operations:
            xmlids.add(op.xmlid)
            xmlids |= referenced_xmlids(op.values)
            if op.adopt:
                xmlids.add(op.adopt.split("/", 1)[0])
            if op.company:
                xmlids.add(op.company)
        xmlids.discard("")
        self._known: dict[str, tuple[str, int]] = gateway.resolve_xmlids(sorted(xmlids))

    def where(self, xmlid: str) -> tuple[str, int]:
        """(model, id) of an external ID, including records created by this apply."""
        if xmlid not in self._known:
            found = self.gw.resolve_xmlids([xmlid]).get(xmlid)
            if not found:
                raise PlanError(
                    f"external ID {xmlid} does not exist on {self.gw.db}",
                    fix="Install the app that defines it, or fix the blueprint reference.",
                )
            self._known[xmlid] = found
        return self._known[xmlid]

    def resolve(self, xmlid: str) -> int:
        return self.where(xmlid)[1]

    def to_odoo(self, values: dict[str, Any], *, creating: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field, value in values.items():
            if is_ref(value):
                out[field] = self.resolve(value["$ref"])
            elif is_refs(value):
                ids = [self.resolve(x) for x in value["$refs"]]
                out[field] = [(6, 0, ids)] if value["$exact"] else [(4, i) for i in ids]
            elif is_chart_ref(value):
                out[field] = self.resolve(chart_xmlid(value, self.resolve(value["$company"])))
            elif is_chart_refs(value):
                company = self.resolve(value["$company"])
                out[field] = [(6, 0, [self.resolve(chart_xmlid({"$chart": n}, company)) for n in value["$charts"]])]
            elif is_lines(value):
                rows = [(0, 0, self.to_odoo(r, creating=True)) for r in value["$lines"]]
                out[field] = rows if creating else [(5, 0, 0), *rows]
            else:
                out[field] = value
        return out

    def context_for(self, op: Operation, values: dict[str, Any]) -> dict | None:
        """Records of a second company, and one company's values of company-dependent
        fields, are written as that company."""
        company = self.resolve(op.company) if op.company else values.get("company_id")
        if isinstance(company, int) and company:
            return {"allowed_company_ids": [company]}
        return None

    def locate(self, op: Operation) -> int:
        if op.action != "adopt" and op.xmlid in self._known:
            return self._known[op.xmlid][1]
        if op.adopt and "/" in op.adopt:
            parent, field = op.adopt.split("/", 1)
            model, parent_id = self.where(parent)
            row = self.gw.read(model, [parent_id], [field])
            if not row or not row[0].get(field):
                raise PlanError(f"{parent} has no {field} to adopt", fix="Check that record's configuration in Odoo.")
            return row[0][field][0]
        if op.xmlid not in self._known and op.res_id:
            return op.res_id  # found at plan time, by natural key or as the record to adopt
        if op.adopt:
            return self.resolve(op.adopt)
        return self.resolve(op.xmlid)

    def bind(self, op: Operation, rid: int) -> None:
        module, name = split_xmlid(op.xmlid)
        row = self.gw.create(
            "ir.model.data", [{"module": module, "name": name, "model": op.model, "res_id": rid, "noupdate": True}]
        )[0]
        if op.adopt:
            # the exported module declares this binding as record bind_<name>;
            # naming it the same way lets the module install over an apply
            self.gw.create(
                "ir.model.data",
                [{"module": module, "name": f"bind_{name}", "model": "ir.model.data", "res_id": row, "noupdate": False}],
            )
        self._known[op.xmlid] = (op.model, rid)

    def run(self, on_step: Callable[[Operation], None] | None = None) -> list[Operation]:
        done: list[Operation] = []
        for op in self.plan.operations:
            if op.is_change:
                self.log(op, self.carry_out(op))
                done.append(op)
            if on_step:
                on_step(op)
        return done

    def carry_out(self, op: Operation) -> int | None:
        """Do one operation; returns the id of the record it touched."""
        if op.action == "install":
            self.gw.install_modules(op.modules)
            return None
        if op.action == "load_chart":
            from odookit.blueprints.localization import load_chart

            rid = self.resolve(op.xmlid)
            load_chart(self.gw, rid, op.values["chart_template"])
            return rid
        if op.action == "create":
            vals = self.to_odoo(op.values, creating=True)
            rid = self.gw.create(op.model, [vals], context=self.context_for(op, vals))[0]
            self.bind(op, rid)
            return rid
        rid = self.locate(op)
        if op.action == "adopt":
            self.bind(op, rid)
        if op.values:
            vals = self.to_odoo(op.values, creating=False)
            context = self.context_for(op, vals)
            if op.model == "res.company" and all(f in vals for f in CHECKED_TOGETHER):
                self.write_country_and_vat(rid, vals, context)
            self.gw.write(op.model, [rid], vals, context=context)
        return rid

    def write_country_and_vat(self, company: int, vals: dict[str, Any], context: dict | None) -> None:
        """A company moving to another country gets its new country and tax ID on its
        partner in one call first (the tax ID then taken out of ``vals``).

        A company's ``country_id`` and ``vat`` are each written through to its partner
        on their own, and Odoo 19 checks the tax ID against the country at each of
        those writes: the old number against the new country, or the new number
        against the old one, is refused (a Dutch company turned American fails either
        way). Written together on the partner, the new number meets the new country.
        The company's own write still carries the country (now unchanged), so what
        Odoo does on a company's write runs as before; a company given its first
        country is written as it always was (Odoo installs its localisation then).
        """
        row = self.gw.read("res.company", [company], ["partner_id", "country_id"])[0]
        if not row.get("country_id") or row["country_id"][0] == vals["country_id"]:
            return
        self.gw.write("res.partner", [row["partner_id"][0]], {f: vals[f] for f in CHECKED_TOGETHER}, context=context)
        vals.pop("vat")

    def log(self, op: Operation, rid: int | None) -> None:
        if self.changelog is None:
            return
        entry = {
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "user": self.user,
            "login": self.gw.login,
            "target": self.plan.target,
            "database": self.gw.db,
            "op": op.action,
            "model": op.model,
            "xmlid": op.xmlid,
            "company": op.company,
            "res_id": rid,
            "modules": op.modules,
            "before": {k: c.before for k, c in op.changes.items()},
            "after": {k: c.after for k, c in op.changes.items()},
        }
        with self.changelog.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, default=str, ensure_ascii=False) + "\n")


def check_drift(saved: Plan, fresh: Plan) -> None:
    """Refuse a saved plan when the database (or the blueprint) changed since it was made."""
    if (saved.url, saved.database) != (fresh.url, fresh.database):
        raise PlanError(
            f"plan was made for {saved.url} db={saved.database}, not {fresh.url} db={fresh.database}",
            fix="Make a new plan against this target.",
        )
    if saved.signature() != fresh.signature():
        drifted = sorted(
            {op.xmlid or op.label for op in saved.operations} ^ {op.xmlid or op.label for op in fresh.operations}
        ) or sorted(
            a.xmlid or a.label
            for a, b in zip(saved.operations, fresh.operations, strict=False)
            if (a.action, a.changes) != (b.action, b.changes)
        )
        raise PlanError(
            f"the database or the blueprint changed since the plan was made ({', '.join(drifted[:5]) or 'operations differ'})",
            where=saved.database,
            fix="Review and save a new plan with `odookit blueprint plan --out FILE`.",
        )
