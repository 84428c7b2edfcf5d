"""The generic ORM verbs every part of odookit uses to talk to Odoo.

A transport implements one method, ``_execute``; the verbs on top are written
once so that the RPC, JSON-2 and in-memory gateways behave the same way.
Arguments are always passed by name (``ids`` plus keywords) because the
JSON-2 API of Odoo 19 only accepts named arguments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from odookit.errors import OdooAppMissing

READ_METHODS = frozenset(
    {"search", "search_read", "read", "search_count", "fields_get", "read_group", "name_search", "context_get"}
)


@dataclass(frozen=True)
class ServerInfo:
    """What odookit knows about the server it talks to."""

    version: str  # e.g. "18.0"
    major: int
    edition: str = "community"  # decided from installed modules, never from the version string
    raw: tuple = field(default=())


def split_xmlid(xmlid: str) -> tuple[str, str]:
    module, _, name = xmlid.partition(".")
    if not name:
        raise ValueError(f"external ID '{xmlid}' must be module.name")
    return module, name


class Gateway:
    """Generic ORM access. Subclasses implement ``_execute`` and ``info``."""

    url: str = ""
    db: str = ""
    login: str = ""
    uid: int = 0
    info: ServerInfo

    # -- the one primitive ---------------------------------------------
    def execute(self, model: str, method: str, ids: list[int] | None = None, **kwargs: Any) -> Any:
        """One ORM call, sent again while the server says it is busy (see :mod:`odookit.odoo.retry`)."""
        from odookit.odoo.retry import while_busy

        return while_busy(lambda: self._execute(model, method, ids, **kwargs), what=f"{self.url} {model}.{method}")

    def _execute(self, model: str, method: str, ids: list[int] | None, **kwargs: Any) -> Any:
        """The transport: send one call, map the server's errors with :func:`errors_map.from_server`."""
        raise NotImplementedError

    # -- generic verbs -------------------------------------------------
    def search_read(
        self,
        model: str,
        domain: list | None = None,
        fields: list[str] | None = None,
        *,
        limit: int | None = None,
        order: str | None = None,
        context: dict | None = None,
    ) -> list[dict]:
        kwargs: dict[str, Any] = {"domain": domain or [], "fields": fields or []}
        if limit:
            kwargs["limit"] = limit
        if order:
            kwargs["order"] = order
        if context:
            kwargs["context"] = context
        return self.execute(model, "search_read", **kwargs)

    def search(self, model: str, domain: list, *, limit: int | None = None, context: dict | None = None) -> list[int]:
        kwargs: dict[str, Any] = {"domain": domain}
        if limit:
            kwargs["limit"] = limit
        if context:
            kwargs["context"] = context
        return self.execute(model, "search", **kwargs)

    def read(self, model: str, ids: list[int], fields: list[str], *, context: dict | None = None) -> list[dict]:
        if not ids:
            return []
        kwargs: dict[str, Any] = {"fields": fields}
        if context:
            kwargs["context"] = context
        return self.execute(model, "read", ids=list(ids), **kwargs)

    def create(self, model: str, vals_list: list[dict], *, context: dict | None = None) -> list[int]:
        kwargs: dict[str, Any] = {"vals_list": vals_list}
        if context:
            kwargs["context"] = context
        result = self.execute(model, "create", **kwargs)
        return result if isinstance(result, list) else [result]

    def write(self, model: str, ids: list[int], vals: dict, *, context: dict | None = None) -> bool:
        kwargs: dict[str, Any] = {"vals": vals}
        if context:
            kwargs["context"] = context
        return self.execute(model, "write", ids=list(ids), **kwargs)

    def unlink(self, model: str, ids: list[int]) -> bool:
        return self.execute(model, "unlink", ids=list(ids))

    def load(self, model: str, fields: list[str], rows: list[list], *, context: dict | None = None) -> dict:
        """Odoo's import entry point: creates or updates by the ``id`` column (external IDs)."""
        kwargs: dict[str, Any] = {"fields": fields, "data": rows}
        if context:
            kwargs["context"] = context
        return self.execute(model, "load", **kwargs)

    def fields_get(self, model: str, attributes: Iterable[str] = ("type", "relation", "string")) -> dict:
        cache = self.__dict__.setdefault("_fields_cache", {})
        if model not in cache:
            cache[model] = self.execute(model, "fields_get", attributes=list(attributes))
        return cache[model]

    def read_group(
        self,
        model: str,
        domain: list,
        fields: list[str],
        groupby: list[str],
        *,
        lazy: bool = False,
        context: dict | None = None,
    ) -> list[dict]:
        """Aggregates computed by the server: one row per group, ``fields`` as ``name:sum``,
        ``groupby`` as ``field`` or ``field:day``; with ``lazy=False`` every row has ``__count``
        and is grouped by all of ``groupby`` at once."""
        kwargs: dict[str, Any] = {"domain": domain, "fields": fields, "groupby": groupby, "lazy": lazy}
        if context:
            kwargs["context"] = context
        return self.execute(model, "read_group", **kwargs)

    # -- external IDs ---------------------------------------------------
    def resolve_xmlids(self, xmlids: Iterable[str]) -> dict[str, tuple[str, int]]:
        """Map external IDs to (model, id) in one round trip.

        Missing ones are simply absent from the result.
        """
        by_module: dict[str, set[str]] = {}
        for xmlid in xmlids:
            module, name = split_xmlid(xmlid)
            by_module.setdefault(module, set()).add(name)
        if not by_module:
            return {}
        domain: list = ["|"] * (len(by_module) - 1)
        for module, names in sorted(by_module.items()):
            domain += ["&", ("module", "=", module), ("name", "in", sorted(names))]
        rows = self.search_read("ir.model.data", domain, ["module", "name", "model", "res_id"])
        return {f"{row['module']}.{row['name']}": (row["model"], row["res_id"]) for row in rows}

    def xmlids_of_module(self, module: str, model: str | None = None) -> dict[str, tuple[str, int]]:
        domain: list = [("module", "=", module)]
        if model:
            domain.append(("model", "=", model))
        rows = self.search_read("ir.model.data", domain, ["name", "model", "res_id"])
        return {f"{module}.{r['name']}": (r["model"], r["res_id"]) for r in rows}

    def bind_xmlid(self, xmlid: str, model: str, res_id: int) -> None:
        """Give an existing record an external ID (noupdate, like records a module creates)."""
        module, name = split_xmlid(xmlid)
        self.create(
            "ir.model.data",
            [{"module": module, "name": name, "model": model, "res_id": res_id, "noupdate": True}],
        )

    # -- modules ----------------------------------------------------------
    def installed_modules(self) -> set[str]:
        rows = self.search_read("ir.module.module", [("state", "=", "installed")], ["name"])
        return {r["name"] for r in rows}

    def require_modules(self, *names: str) -> None:
        missing = sorted(set(names) - self.installed_modules())
        if missing:
            raise OdooAppMissing(
                f"app(s) {', '.join(missing)} not installed on database '{self.db}'",
                where=self.url,
                fix="Run `odookit blueprint apply` (it installs the apps the blueprint needs) or install them in Odoo.",
            )

    def install_modules(self, names: Iterable[str]) -> list[str]:
        """Install missing modules; returns the ones that were installed."""
        wanted = sorted(set(names) - self.installed_modules())
        if not wanted:
            return []
        rows = self.search_read("ir.module.module", [("name", "in", wanted)], ["name", "state"])
        unknown = sorted(set(wanted) - {r["name"] for r in rows})
        if unknown:
            raise OdooAppMissing(
                f"module(s) {', '.join(unknown)} are not available on the server",
                where=self.url,
                fix="Add them to the server's addons path, or remove the feature from the blueprint.",
            )
        self.execute("ir.module.module", "button_immediate_install", ids=[r["id"] for r in rows])
        self.__dict__.pop("_fields_cache", None)  # new apps add fields to existing models
        return wanted

    def web_url(self, model: str, res_id: int) -> str:
        """A link into the web client, for evidence and reports."""
        # The hash form is understood by every version from 14 to 19 (newer ones redirect it).
        # ?db= makes a browser signed in to another database of the same
        # server switch to this one instead of opening the wrong record
        return f"{self.url}/web?db={quote(self.db)}#model={model}&id={res_id}&view_type=form"
