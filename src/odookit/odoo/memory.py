"""An in-memory stand-in for Odoo's generic ORM, for unit tests only.

It knows search/read/create/write/unlink/load, domains, relational commands
and external IDs, and nothing else: no business rule of any Odoo app is
imitated here (no reservations, no backorders, no credit checks). Business
flows are tested against a real Odoo.
"""

from __future__ import annotations

import copy
import fnmatch
import itertools
from typing import Any

from odookit.errors import OdooAppMissing, OdooRejected
from odookit.odoo.errors_map import from_server
from odookit.odoo.gateway import Gateway, ServerInfo
from odookit.odoo.memory_fields import INHERITS, X2MANY, field_types, from_import, to_cache, to_read


# ``res_id`` (ir.model.data, ir.attachment, mail.message...) is a plain integer in Odoo despite its suffix.
_NOT_RELATIONAL = frozenset({"res_id"})


def _is_m2o(field: str, value: Any) -> bool:
    return (
        field.endswith("_id")
        and field not in _NOT_RELATIONAL | _X2M_NAMED_LIKE_M2O
        and (isinstance(value, int) and not isinstance(value, bool) or value is False)
    )


# many2many fields Odoo names without the ``_ids`` suffix
_X2M_NAMED_LIKE_M2O = frozenset({"groups_id"})


def _is_x2m(field: str) -> bool:
    return field.endswith("_ids") or field in _X2M_NAMED_LIKE_M2O


class MemoryGateway(Gateway):
    """Fields catalogued in :mod:`odookit.odoo.memory_fields` are typed as the real server types them
    (read, write, ``load()`` and ``fields_get``). For the others, ``relations`` maps ``model.field`` to the
    comodel of many2one/x2many fields; without it the field is guessed from its ``_id``/``_ids`` suffix."""

    def __init__(
        self,
        *,
        version: str = "18.0",
        modules: set[str] | None = None,
        models: set[str] | None = None,
        relations: dict[str, str] | None = None,
        login: str = "admin",
    ):
        self.url, self.db, self.login, self.uid = "memory://odoo", "memory", login, 2
        major = int(version.split(".")[0])
        self.info = ServerInfo(version=version, major=major)
        self.records: dict[str, dict[int, dict]] = {}
        self.relations = relations or {}
        self.known_models = models  # None: every model exists
        self._ids = itertools.count(1)
        self.calls: list[tuple[str, str]] = []
        self._answers: dict[str, list[tuple[str, str]]] = {}
        for name in sorted(modules or {"base"}):
            self._insert("ir.module.module", {"name": name, "state": "installed"})

    # -- helpers for tests ---------------------------------------------
    def seed(self, model: str, vals: dict, xmlid: str | None = None) -> int:
        rid = self._insert(model, dict(vals))
        if xmlid:
            module, _, name = xmlid.partition(".")
            self._insert("ir.model.data", {"module": module, "name": name, "model": model, "res_id": rid, "noupdate": True})
        return rid

    def all(self, model: str) -> list[dict]:
        return [dict(r, id=i) for i, r in self.records.get(model, {}).items()]

    def round_trips(self, method: str | None = None) -> int:
        return sum(1 for _, m in self.calls if method is None or m == method)

    # -- the primitive ------------------------------------------------
    def fail_next(self, method: str, name: str, message: str, *, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` get this Odoo exception (class name and message)
        as the server's answer, read by the transports' one mapping (``errors_map.from_server``)."""
        self._answers.setdefault(method, []).extend([(name, message)] * times)

    def _execute(self, model: str, method: str, ids: list[int] | None = None, **kwargs: Any) -> Any:
        self.calls.append((model, method))
        if self._answers.get(method):
            name, message = self._answers[method].pop(0)
            raise from_server(name, message, url=self.url, db=self.db, model=model, method=method, login=self.login)
        if self.known_models is not None and model not in self.known_models and not model.startswith("ir."):
            raise OdooAppMissing(f"model {model} is not available: its app is not installed", where=self.url)
        self._active_test = (kwargs.pop("context", None) or {}).get("active_test", True)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            raise OdooRejected(f"method {method} is not available on {model} in the in-memory gateway", where=self.url)
        if ids is not None:
            return handler(model, ids, **kwargs)
        return handler(model, **kwargs)

    # -- storage --------------------------------------------------------
    def _table(self, model: str) -> dict[int, dict]:
        return self.records.setdefault(model, {})

    def _insert(self, model: str, vals: dict) -> int:
        rid = next(self._ids)
        record = {"active": True}
        self._assign(model, record, vals)
        self._table(model)[rid] = record
        return rid

    def _types(self, model: str) -> dict:
        return field_types(model, self.info.major)

    def _assign(self, model: str, record: dict, vals: dict) -> None:
        types = self._types(model)
        for field, value in vals.items():
            ft = types.get(field)
            if ft and ft.type in X2MANY or not ft and (_is_x2m(field) or isinstance(value, list) and value and isinstance(value[0], list | tuple)):
                record[field] = self._x2m(model, field, record.get(field, []), value)
            elif ft:
                try:
                    record[field] = to_cache(ft, value)
                except (TypeError, ValueError):
                    raise OdooRejected(f"wrong value for {model}.{field}: {value!r}", where=self.url) from None
            else:
                record[field] = value

    def _x2m(self, model: str, field: str, current: list[int], commands: list) -> list[int]:
        ids = list(current)
        for command in commands or []:
            if isinstance(command, int):
                ids.append(command)
                continue
            code = command[0]
            if code == 6:
                ids = list(command[2])
            elif code == 4 and command[1] not in ids:
                ids.append(command[1])
            elif code == 3:
                ids = [i for i in ids if i != command[1]]
            elif code == 5:
                ids = []
            elif code == 0:
                ids.append(self._insert(self._x2m_comodel(model, field), command[2]))
            elif code == 1:
                self._m_write(self._x2m_comodel(model, field), [command[1]], command[2])
            elif code == 2:
                ids = [i for i in ids if i != command[1]]
                self._m_unlink(self._x2m_comodel(model, field), [command[1]])
        return ids

    def _x2m_comodel(self, model: str, field: str) -> str:
        return self._comodel(model, field) or f"{model}.{field}"

    def _display(self, model: str, rid: int) -> str:
        rec = self._table(model).get(rid, {})
        return str(rec.get("name") or rec.get("display_name") or f"{model},{rid}")

    def _comodel(self, model: str, field: str) -> str | None:
        ft = self._types(model).get(field)
        return self.relations.get(f"{model}.{field}") or (ft.relation if ft else None)

    # -- domains --------------------------------------------------------
    def _match(self, model: str, record: dict, rid: int, domain: list) -> bool:
        stack: list[bool] = []
        for term in reversed(domain or []):
            if term in ("&", "|"):
                # Pop both operands before combining: a short-circuit would leave one on the stack.
                first, second = stack.pop(), stack.pop()
                stack.append(first and second if term == "&" else first or second)
            elif term == "!":
                stack.append(not stack.pop())
            else:
                stack.append(self._leaf(record, rid, term))
        return all(stack)

    @staticmethod
    def _leaf(record: dict, rid: int, term) -> bool:
        field, op, value = term
        actual = rid if field == "id" else record.get(field, False)
        if isinstance(actual, list) and op in ("=", "in", "!=", "not in"):
            values = value if isinstance(value, list | tuple) else [value]
            hit = bool(set(actual) & set(values))
            return hit if op in ("=", "in") else not hit
        if op == "=":
            return actual == value
        if op == "!=":
            return actual != value
        if op == "in":
            return actual in value
        if op == "not in":
            return actual not in value
        if op in ("ilike", "like", "=ilike", "=like"):
            fold = op.endswith("ilike")
            a, v = str(actual or ""), str(value)
            if fold:
                a, v = a.lower(), v.lower()
            return fnmatch.fnmatchcase(a, v.replace("%", "*")) if op.startswith("=") else v in a
        if actual is False or actual is None:
            return False
        return {"<": actual < value, ">": actual > value, "<=": actual <= value, ">=": actual >= value}[op]

    # -- ORM methods ----------------------------------------------------
    def _active_domain(self, domain: list) -> list:
        if not getattr(self, "_active_test", True):  # context={"active_test": False}, as in Odoo
            return domain
        if any(isinstance(t, list | tuple) and t[0] == "active" for t in domain or []):
            return domain
        return [*domain, ("active", "=", True)] if domain else [("active", "=", True)]

    def _m_search(self, model: str, domain: list | None = None, limit: int | None = None, order: str | None = None, offset: int = 0):
        domain = self._active_domain(list(domain or []))
        ids = [rid for rid, rec in self._table(model).items() if self._match(model, rec, rid, domain)]
        ids = ids[offset:]
        return ids[:limit] if limit else ids

    def _m_search_count(self, model: str, domain: list | None = None, **_):
        return len(self._m_search(model, domain))

    def _m_read(self, model: str, ids: list[int], fields: list[str] | None = None, **_):
        table = self._table(model)
        types = self._types(model)
        out = []
        for rid in ids:
            if rid not in table:
                continue
            rec = table[rid]
            names = fields or list(dict.fromkeys([*types, *rec]))
            row: dict[str, Any] = {"id": rid}
            for field in names:
                if field == "id":
                    continue
                if field in types:
                    row[field] = to_read(types[field], copy.deepcopy(rec.get(field, False)), self._display)
                    continue
                value = copy.deepcopy(rec.get(field, [] if _is_x2m(field) else False))
                comodel = self._comodel(model, field)
                many = _is_x2m(field) or isinstance(value, list)  # stored lists are x2many (e.g. category_id)
                if value and not many and (comodel or _is_m2o(field, value)):
                    value = [value, self._display(comodel or "", value)] if comodel else [value, f"{field},{value}"]
                row[field] = value
            if "display_name" in names:
                row["display_name"] = self._display(model, rid)
            out.append(row)
        return out

    def _m_search_read(self, model: str, domain: list | None = None, fields: list[str] | None = None, limit=None, order=None, offset=0):
        return self._m_read(model, self._m_search(model, domain, limit, order, offset), fields)

    def _m_read_group(self, model: str, domain: list | None = None, fields: list[str] | None = None,
                      groupby: list[str] | None = None, lazy: bool = True, **_):
        """Odoo's generic grouping: ``field`` or ``field:day`` keys (a day's ``__range`` as Odoo gives it),
        ``name:sum``/``name:max``/``name:min``/``name:count`` aggregates, ``__count`` per group."""
        import datetime as dt

        keys = list(groupby or [])[: None if not lazy else 1]
        groups: dict[tuple, list[dict]] = {}
        for rec in self._m_read(model, self._m_search(model, domain)):
            key = []
            for spec in keys:
                name, _, granularity = spec.partition(":")
                value = rec.get(name, False)
                if granularity and value:
                    if granularity != "day":
                        raise OdooRejected(f"granularity {granularity} is not available in the in-memory gateway", where=self.url)
                    value = str(value)[:10]
                key.append(tuple(value) if isinstance(value, list) else value)
            groups.setdefault(tuple(key), []).append(rec)
        out = []
        for key, rows in groups.items():
            row: dict[str, Any] = {"__count": len(rows)} if not lazy else {f"{keys[0]}_count": len(rows)}
            for spec, value in zip(keys, key, strict=True):
                row[spec] = list(value) if isinstance(value, tuple) else value
                if ":" in spec and value:
                    day = dt.date.fromisoformat(value)
                    row.setdefault("__range", {})[spec] = {"from": str(day), "to": str(day + dt.timedelta(days=1))}
            for spec in fields or []:
                name, _, agg = spec.partition(":")
                if not agg or name in {k.partition(":")[0] for k in keys}:
                    continue
                values = [r.get(name) or 0 for r in rows]
                row[name] = {"sum": sum, "max": max, "min": min, "count": len}[agg](values)
            out.append(row)
        return out

    def _m_create(self, model: str, vals_list: list[dict] | dict):
        many = isinstance(vals_list, list)
        ids = [self._insert(model, vals) for vals in (vals_list if many else [vals_list])]
        return ids if many else ids[0]

    def _m_write(self, model: str, ids: list[int], vals: dict):
        table = self._table(model)
        for rid in ids:
            self._assign(model, table[rid], vals)
        return True

    def _m_unlink(self, model: str, ids: list[int]):
        for rid in ids:
            self._table(model).pop(rid, None)
        return True

    def fields_get(self, model: str, attributes=("type", "relation", "string")) -> dict:
        """Never cached: here the fields of a model are those its records have so far."""
        return self.execute(model, "fields_get", attributes=list(attributes))

    def _m_fields_get(self, model: str, attributes=None, **_):
        names = set()
        for rec in self._table(model).values():
            names.update(rec)
        out = {n: {"type": "many2one" if n.endswith("_id") else "char", "string": n} for n in sorted(names)}
        for name, ft in self._types(model).items():
            out[name] = {"type": ft.type, "string": name}
            if ft.relation:
                out[name]["relation"] = ft.relation
            if ft.type == "selection":
                out[name]["selection"] = [[key, key] for key in ft.selection]
        for name, meta in out.items():
            if f"{model}.{name}" in self.relations:
                meta["relation"] = self.relations[f"{model}.{name}"]
        return out

    def _m_button_immediate_install(self, model: str, ids: list[int]):
        for rid in ids:
            self._table(model)[rid]["state"] = "installed"
        return True

    def _m_context_get(self, model: str, **_):
        return {"uid": self.uid, "lang": "en_US", "tz": "UTC"}

    def _m_load(self, model: str, fields: list[str], data: list[list]):
        """Odoo's import: all rows or none; errors come back as messages, not exceptions."""
        messages: list[dict] = []
        planned: list[tuple[str | None, dict]] = []
        types = self._types(model)
        for index, row in enumerate(data):
            xmlid, vals = None, {}
            for field, value in zip(fields, row, strict=False):
                if field == "id":
                    xmlid = value or None
                elif field.endswith("/id"):
                    name = field[:-3]
                    if value in ("", None):
                        vals[name] = [(6, 0, [])] if name in types and types[name].type in X2MANY else False
                        continue
                    many = name in types and types[name].type in X2MANY
                    refs = [v.strip() for v in str(value).split(",") if v.strip()] if many else [value]
                    found = self.resolve_xmlids(refs)
                    lost = [ref for ref in refs if ref not in found]
                    for ref in lost:
                        messages.append(
                            {"type": "error", "record": index, "field": name, "message": f"No matching record found for external id '{ref}' in field '{name}'"}
                        )
                    if not lost:
                        vals[name] = [(6, 0, [found[ref][1] for ref in refs])] if many else found[value][1]
                elif field == ".id":
                    vals["__db_id"] = int(value)
                elif field in types:
                    converted, problem, fatal = from_import(types[field], value, field)
                    if problem:
                        messages.append({"type": "error" if fatal else "warning", "record": index, "field": field, "message": problem})
                    if not fatal:
                        vals[field] = converted
                else:
                    vals[field] = value
            planned.append((xmlid, vals))
        if any(m["type"] == "error" for m in messages):
            return {"ids": False, "messages": messages}
        ids = []
        for xmlid, vals in planned:
            existing = self.resolve_xmlids([xmlid]).get(xmlid) if xmlid and "." in xmlid else None
            if xmlid and "." not in xmlid:
                xmlid = f"__import__.{xmlid}"
                existing = self.resolve_xmlids([xmlid]).get(xmlid)
            db_id = vals.pop("__db_id", None)
            if existing:
                self._m_write(model, [existing[1]], vals)
                ids.append(existing[1])
            elif db_id:
                self._m_write(model, [db_id], vals)
                ids.append(db_id)
            else:
                parent = INHERITS.get(model)
                if parent and not vals.get(parent[1]):  # _inherits: the parent record comes first, named after the child
                    vals[parent[1]] = self._insert(parent[0], {"name": vals.get("name", False)})
                rid = self._insert(model, vals)
                if xmlid:
                    module, _, name = xmlid.partition(".")
                    self._insert("ir.model.data", {"module": module, "name": name, "model": model, "res_id": rid, "noupdate": False})
                    if parent:
                        self._insert("ir.model.data", {"module": module, "name": f"{name}_{parent[0].replace('.', '_')}",
                                                       "model": parent[0], "res_id": vals[parent[1]], "noupdate": False})
                ids.append(rid)
        return {"ids": ids, "messages": messages}
