"""Desired state vs live database -> typed operations.

Identity is the external ID. The planner reads the live database in a
handful of batched calls (resolve external IDs once, one ``read`` per model,
one per kind of owned lines) and emits an operation only where something
differs. A plan is data: it serialises to JSON and is applied as saved.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from odookit.blueprints.desired import Desired, DesiredState, chart_xmlid, is_chart_ref, is_chart_refs, is_lines, is_ref, is_refs, ref, refs
from odookit.errors import OdooAppMissing, PlanError
from odookit.odoo.gateway import Gateway

Action = Literal["install", "load_chart", "create", "adopt", "update", "noop"]

# Fields sent when creating but never compared: Odoo recomputes them.
CREATE_ONLY: dict[str, set[str]] = {"ir.actions.server": {"name"}}

# How to recognise a record odookit would create when it already exists
# without odookit's external ID. The first field is searched with 'in'.
NATURAL_KEYS: dict[str, list[str]] = {
    "res.company": ["name"],
    "stock.warehouse": ["code", "company_id"],
    "product.category": ["name", "parent_id"],
    "account.payment.term": ["name"],
    "product.pricelist": ["name"],
    "res.partner.category": ["name"],
    "res.groups": ["name"],
    "base.automation": ["name"],
    "ir.actions.server": ["base_automation_id"],
    "product.pricelist.item": ["pricelist_id", "applied_on", "categ_id", "min_quantity"],
    # a default set earlier in Settings: a second one for the same field would be ignored
    "ir.default": ["field_id", "company_id", "user_id"],
    "ir.config_parameter": ["key"],
    # a storage location or putaway rule made by hand before the blueprint named it
    "stock.location": ["name", "location_id"],
    "stock.putaway.rule": ["location_in_id", "category_id", "product_id"],
    # Odoo's own pipeline stages (New, Won...) and teams, and equipment set up by hand
    "crm.team": ["name", "company_id"],
    "crm.stage": ["name"],
    "maintenance.equipment.category": ["name", "company_id"],
    "maintenance.team": ["name", "company_id"],
    "maintenance.equipment": ["name", "category_id"],
    "maintenance.request": ["name", "equipment_id"],
}


class Change(BaseModel):
    model_config = ConfigDict(extra="forbid")
    before: Any = None
    after: Any = None


class Operation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Action
    model: str = ""
    xmlid: str = ""
    label: str = ""
    adopt: str | None = None
    company: str | None = None  # values are that company's (company-dependent fields)
    res_id: int | None = None
    values: dict[str, Any] = Field(default_factory=dict)  # desired values to write, in desired-state form
    changes: dict[str, Change] = Field(default_factory=dict)
    modules: list[str] = Field(default_factory=list)

    @property
    def is_change(self) -> bool:
        return self.action != "noop"


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: int = 1
    target: str
    url: str
    database: str
    module: str
    odoo_version: str
    created_at: str
    operations: list[Operation]

    @property
    def changes(self) -> list[Operation]:
        return [op for op in self.operations if op.is_change]

    @property
    def empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict[str, int]:
        counts = {a: 0 for a in ("install", "load_chart", "create", "adopt", "update", "noop")}
        for op in self.operations:
            counts[op.action] += 1
        return counts

    def signature(self) -> list:
        """What must not differ between a saved plan and the database it is applied to."""
        return [(op.action, op.xmlid, op.company, op.modules, {k: (c.before, c.after) for k, c in op.changes.items()}) for op in self.operations]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(self.model_dump_json(indent=2), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def read(cls, path: Path) -> Plan:
        try:
            return cls.model_validate_json(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise PlanError(f"no plan file {path}", fix="Create one with `odookit blueprint plan --out FILE`.") from None
        except ValidationError as exc:
            err = exc.errors()[0]
            at = ".".join(str(p) for p in err["loc"])
            raise PlanError(
                f"not a valid odookit plan: {at + ': ' if at else ''}{err['msg']}",
                where=str(path),
                fix="Re-create it with `odookit blueprint plan --out FILE`.",
            ) from None
        except ValueError as exc:  # not UTF-8
            raise PlanError(f"not a valid odookit plan: {exc}", where=str(path), fix="Re-create it with `odookit blueprint plan --out FILE`.") from None


# -- value normalisation -----------------------------------------------------

def _norm_scalar(value: Any) -> Any:
    if value in (None, "", False):
        return False
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, int) and not isinstance(value, bool):
        return round(float(value), 6)
    return value


class LiveState:
    """Everything read from the server for one plan."""

    def __init__(self, gateway: Gateway, state: DesiredState):
        self.gw = gateway
        self.state = state
        wanted_xmlids: set[str] = set()
        for rec in state.records:
            wanted_xmlids.add(rec.xmlid)
            wanted_xmlids |= rec.depends()
        self.xmlids: dict[str, tuple[str, int]] = gateway.resolve_xmlids(sorted(wanted_xmlids))
        self.names: dict[tuple[str, int], str] = {(m, i): x for x, (m, i) in self.xmlids.items()}
        models = sorted({r.model for r in state.records})
        rows = gateway.search_read("ir.model", [("model", "in", models)], ["model"])
        self.models = {r["model"] for r in rows}
        self.fields: dict[str, dict] = {m: gateway.fields_get(m) for m in sorted(self.models)}
        self.ids: dict[str, int | None] = {}
        self._resolve_adoptions()
        self._match_natural_keys()
        self._resolve_chart_refs()
        self.values: dict[str, dict] = {}
        self._read_records()

    def _resolve_adoptions(self) -> None:
        by_parent_model: dict[str, dict[int, list[tuple[Desired, str]]]] = {}
        for rec in self.state.records:
            own = self.xmlids.get(rec.xmlid)
            if own:
                self.ids[rec.xmlid] = own[1]
            elif rec.company:
                self.ids.setdefault(rec.xmlid, None)  # one company's values: the record itself says what it adopts
            elif rec.adopt and "/" not in rec.adopt:
                found = self.xmlids.get(rec.adopt)
                self.ids[rec.xmlid] = found[1] if found else None
            elif rec.adopt:
                parent, field = rec.adopt.split("/", 1)
                found = self.xmlids.get(parent)
                self.ids[rec.xmlid] = None
                if found:
                    by_parent_model.setdefault(found[0], {}).setdefault(found[1], []).append((rec, field))
            else:
                self.ids[rec.xmlid] = None
        for model, by_id in by_parent_model.items():
            fields = sorted({f for pairs in by_id.values() for _, f in pairs})
            for row in self.gw.read(model, sorted(by_id), fields):
                for rec, field in by_id.get(row["id"], []):
                    value = row.get(field)
                    self.ids[rec.xmlid] = value[0] if isinstance(value, list) and value else None

    def _match_natural_keys(self) -> None:
        """Adopt records that exist without odookit's external ID (made by hand, or by an
        apply interrupted between a create and its external ID), matched by natural key.
        Such a match wins over a record named to adopt (the main company's WH when the
        blueprint's first warehouse was already made by hand)."""
        pending: dict[str, list[Desired]] = {}
        for rec in self.state.records:
            unbound = rec.xmlid not in self.xmlids and (self.ids.get(rec.xmlid) is None or (rec.adopt and "/" not in rec.adopt))
            if unbound and not rec.company and rec.model in NATURAL_KEYS and rec.model in self.models:
                pending.setdefault(rec.model, []).append(rec)
        for model, recs in pending.items():
            keys = NATURAL_KEYS[model]
            names = sorted({v for r in recs if (v := self._key_value(r.values.get(keys[0])))}, key=str)
            if not names:
                continue
            rows = self.gw.search_read(model, [(keys[0], "in", names)], keys)
            for rec in recs:
                wanted = tuple(self._key_value(rec.values.get(k)) for k in keys)
                hits = [r["id"] for r in rows if tuple(self._key_value(r.get(k), live=True) for k in keys) == wanted]
                if len(hits) == 1:
                    self.ids[rec.xmlid] = hits[0]

    def _resolve_chart_refs(self) -> None:
        """External IDs of the chart records (taxes) values name, now that company ids are known."""
        found: set[str] = set()

        def walk(values: dict) -> None:
            for value in values.values():
                if is_chart_ref(value) or is_chart_refs(value):
                    found.update(self.chart_xmlids(value))
                elif is_lines(value):
                    for row in value["$lines"]:
                        walk(row)

        for rec in self.state.records:
            walk(rec.values)
        if found:
            self.xmlids.update(self.gw.resolve_xmlids(sorted(found)))
            self.names.update({(m, i): x for x, (m, i) in self.xmlids.items()})

    def chart_xmlids(self, value: dict) -> list[str]:
        cid = self.target_id(value["$company"])
        names = value["$charts"] if is_chart_refs(value) else [value["$chart"]]
        return [chart_xmlid({"$chart": n, "$company": value["$company"]}, cid) for n in names]

    def _key_value(self, value: Any, live: bool = False) -> Any:
        if live and isinstance(value, list):
            return value[0] if value else False
        if is_ref(value):
            return self.target_id(value["$ref"])
        return value if value not in (None, "") else False

    def _read_records(self) -> None:
        """One read per model, and per company for company-dependent values;
        ``values`` is keyed by Desired.key."""
        batches: dict[tuple[str, int | None], list[Desired]] = {}
        for rec in self.state.records:
            company = self.target_id(rec.company) if rec.company else None
            if self.ids.get(rec.xmlid) and rec.model in self.models and (company or not rec.company):
                batches.setdefault((rec.model, company), []).append(rec)
        line_ids: dict[str, set[int]] = {}
        line_fields: dict[str, set[str]] = {}
        for (model, company), recs in batches.items():
            known = self.fields[model]
            fields = sorted({f for r in recs for f in r.values if f in known})
            context = {"allowed_company_ids": [company]} if company else None
            rows = self.gw.read(model, [self.ids[r.xmlid] for r in recs], fields or ["display_name"], context=context)
            by_id = {row["id"]: row for row in rows}
            for rec in recs:
                row = by_id.get(self.ids[rec.xmlid])
                if row is None:  # bound external ID to a deleted record
                    self.ids[rec.xmlid] = None
                    continue
                self.values[rec.key] = row
                for field, value in rec.values.items():
                    if is_lines(value) and field in known:
                        line_ids.setdefault(value["$model"], set()).update(row.get(field) or [])
                        line_fields.setdefault(value["$model"], set()).update(k for r in value["$lines"] for k in r)
        self.lines: dict[tuple[str, int], dict] = {}
        for model, ids in line_ids.items():
            for row in self.gw.read(model, sorted(ids), sorted(line_fields[model])):
                self.lines[(model, row["id"])] = row
        self._name_unknown_links()

    def _name_unknown_links(self) -> None:
        """External IDs of the records many2many fields link to beyond the desired ones
        (a group a role should no longer imply), so the diff shows names, not ids."""
        unknown: dict[str, set[int]] = {}
        for rec in self.state.records:
            row = self.values.get(rec.key)
            if row is None:
                continue
            for field, value in rec.values.items():
                relation = self.fields[rec.model].get(field, {}).get("relation")
                if is_refs(value) and relation:
                    unknown.setdefault(relation, set()).update(i for i in row.get(field) or [] if (relation, i) not in self.names)
        for relation, ids in sorted(unknown.items()):
            if ids:
                for row in self.gw.search_read("ir.model.data", [("model", "=", relation), ("res_id", "in", sorted(ids))], ["module", "name", "res_id"]):
                    self.names.setdefault((relation, row["res_id"]), f"{row['module']}.{row['name']}")

    # -- comparison -------------------------------------------------------------
    def display(self, model: str | None, rid: int) -> str:
        if model and (model, rid) in self.names:
            return self.names[(model, rid)]
        return f"#{rid}"

    def target_id(self, xmlid: str) -> int | None:
        found = self.xmlids.get(xmlid)
        if found:
            return found[1]
        return self.ids.get(xmlid)

    def compare(self, rec: Desired, field: str, desired: Any, live: Any) -> tuple[bool, Any, Any]:
        """(equal, before, after) for one field, before/after in readable form."""
        relation = self.fields.get(rec.model, {}).get(field, {}).get("relation")
        if is_chart_ref(desired):
            desired = ref(self.chart_xmlids(desired)[0])
        elif is_chart_refs(desired):
            desired = refs(self.chart_xmlids(desired))
        if is_ref(desired):
            want = self.target_id(desired["$ref"])
            have = live[0] if isinstance(live, list) and live else None
            if not have:
                before = None
            elif (relation, have) in self.names or len(live) < 2:
                before = self.display(relation, have)
            else:
                before = live[1]  # the display name Odoo sent along
            return (want is not None and want == have), before, desired["$ref"]
        if is_refs(desired):
            want_x = desired["$refs"]
            want = {self.target_id(x) for x in want_x}
            have = set(live or [])
            shown = sorted(self.display(relation, i) for i in have)
            if desired["$exact"]:
                return None not in want and want == have, shown if live is not None else None, want_x
            # include mode: only the wanted ones matter, the others are counted
            others = [f"+{len(have - want)} other(s)"] if have - want else []
            return None not in want and want <= have, [b for b in shown if b in want_x] + others, sorted(want_x) + others
        if is_lines(desired):
            model = desired["$model"]
            keys = sorted({k for r in desired["$lines"] for k in r})
            want_rows = sorted(json.dumps(self._norm_line(r, keys, True), sort_keys=True) for r in desired["$lines"])
            have_rows = sorted(
                json.dumps(self._norm_line(self.lines.get((model, i), {}), keys, False), sort_keys=True) for i in (live or [])
            )
            return want_rows == have_rows, [json.loads(r) for r in have_rows] if live is not None else None, [json.loads(r) for r in want_rows]
        return _norm_scalar(desired) == _norm_scalar(live), live, desired

    def _norm_line(self, row: dict, keys: list[str], desired: bool) -> dict:
        out = {}
        for k in keys:
            v = row.get(k)
            if desired and is_chart_ref(v):
                v = self.chart_xmlids(v)[0]
            elif desired and is_ref(v):
                v = v["$ref"]
            elif not desired and isinstance(v, list) and v:
                v = self.names.get((self._line_relation(k), v[0]), v[1] if len(v) > 1 else v[0])
            out[k] = _norm_scalar(v)
        return out

    def _line_relation(self, field: str) -> str | None:
        return {"categ_id": "product.category", "product_tmpl_id": "product.template", "product_id": "product.product",
                "tax_src_id": "account.tax", "tax_dest_id": "account.tax"}.get(field)


def build_plan(gateway: Gateway, state: DesiredState, *, target: str) -> Plan:
    operations: list[Operation] = []
    missing = sorted(set(state.modules) - gateway.installed_modules())
    if missing:
        operations.append(Operation(action="install", label="install apps", modules=missing))
    live = LiveState(gateway, state)
    from odookit.blueprints.localization import chart_operations

    chart_ops = chart_operations(gateway, state, Operation, Change)  # refuses before anything is applied
    from odookit.blueprints.putaway import refuse_missing_products

    refuse_missing_products(gateway, state)
    pending_models = {r.model for r in state.records} - live.models
    if pending_models and not missing:
        raise OdooAppMissing(
            f"model(s) {', '.join(sorted(pending_models))} are not on the server",
            where=gateway.url,
            fix="Install the apps that provide them.",
        )
    for rec in state.ordered():
        rid = live.ids.get(rec.xmlid)
        if rec.retire and rid is None:
            continue  # nothing to switch off
        row = live.values.get(rec.key)
        bound = rec.xmlid in live.xmlids
        known_fields = live.fields.get(rec.model, {})
        changes: dict[str, Change] = {}
        to_write: dict[str, Any] = {}
        for field, desired in rec.values.items():
            if row is not None and field in CREATE_ONLY.get(rec.model, ()):
                continue
            live_value = row.get(field) if (row is not None and field in known_fields) else None
            equal, before, after = live.compare(rec, field, desired, live_value)
            if row is None or not equal:
                changes[field] = Change(before=before, after=after)
                to_write[field] = desired
        owned = rec.xmlid.split(".", 1)[0] == state.module
        if rec.company or rec.retire or (not owned and not rec.adopt):
            # another module's record (base.group_user...) or one company's values
            # of a record: only ever updated, found at apply time (when its app
            # is installed, or the record created, by this same plan)
            action: Action = "update" if changes else "noop"
        elif rid is None and not rec.adopt:
            action = "create"
        elif not bound:
            action = "adopt"
        elif changes:
            action = "update"
        else:
            action = "noop"
        operations.append(
            Operation(
                action=action,
                model=rec.model,
                xmlid=rec.xmlid,
                label=rec.label,
                adopt=rec.adopt,
                company=rec.company,
                res_id=rid,
                values=rec.values if action == "create" else to_write,
                changes=changes,
            )
        )
        if rec.model == "res.company" and not rec.company and rec.xmlid in chart_ops:
            # right after the company's own record (its country set), before anything uses its accounts
            operations.append(chart_ops.pop(rec.xmlid))
    return Plan(
        target=target,
        url=gateway.url,
        database=gateway.db,
        module=state.module,
        odoo_version=gateway.info.version,
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        operations=operations,
    )
