"""JSON-RPC transport for Odoo 16-18, through odoorpc.

odoorpc handles the wire format and the session; odookit only adds retries
and error translation, and calls ``execute_kw`` directly so that reads stay
batched (no per-record proxies).
"""

from __future__ import annotations

import urllib.error
from typing import Any
from urllib.parse import urlparse

from odookit.errors import OdooError
from odookit.odoo.errors_map import from_server
from odookit.odoo.gateway import READ_METHODS, Gateway, ServerInfo
from odookit.odoo.retry import with_retries

POSITIONAL = {"create": ("vals_list",), "write": ("vals",), "load": ("fields", "data")}


class RpcGateway(Gateway):
    def __init__(self, url: str, db: str, login: str, password: str, *, timeout: float = 600):
        import odoorpc
        import odoorpc.error

        self._rpc_error = odoorpc.error.RPCError
        self.url, self.db, self.login = url, db, login
        parsed = urlparse(url)
        protocol = "jsonrpc+ssl" if parsed.scheme == "https" else "jsonrpc"
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        self._odoo = with_retries(
            lambda: odoorpc.ODOO(parsed.hostname, protocol=protocol, port=port, timeout=timeout),
            url=url,
            idempotent=True,
        )
        self._login(db, login, password)
        self.uid = self._odoo.env.uid
        self.info = detect_info(self, self._odoo.version)

    def _login(self, db: str, login: str, password: str) -> None:
        try:
            with_retries(lambda: self._odoo.login(db, login, password), url=self.url, idempotent=True)
        except self._rpc_error as exc:
            info = exc.info or {}
            data = info.get("data", {}) if isinstance(info, dict) else {}
            if not data and "Wrong login" in str(exc):
                data = {"name": "odoo.exceptions.AccessDenied", "message": str(exc)}
            raise from_server(
                data.get("name", ""), data.get("message", str(exc)), url=self.url, db=db, login=login
            ) from None
        except urllib.error.HTTPError as exc:
            raise http_error(exc, url=self.url, db=db) from None

    def _execute(self, model: str, method: str, ids: list[int] | None = None, **kwargs: Any) -> Any:
        args: list[Any] = [ids] if ids is not None else []
        # JSON-RPC binds these positionally: call_kw reads create's values as
        # args[0], and models override write/load with their own parameter
        # names (res.company.write(values)). JSON-2 takes them by name.
        positional = POSITIONAL.get(method, ())
        if positional and all(name in kwargs for name in positional):
            kwargs = dict(kwargs)
            args.extend(kwargs.pop(name) for name in positional)
        try:
            return with_retries(
                lambda: self._odoo.execute_kw(model, method, args, kwargs),
                url=self.url,
                idempotent=method in READ_METHODS,
            )
        except self._rpc_error as exc:
            data = (exc.info or {}).get("data", {}) if isinstance(exc.info, dict) else {}
            raise from_server(
                data.get("name", ""),
                data.get("message", str(exc)),
                url=self.url,
                db=self.db,
                model=model,
                method=method,
                login=self.login,
            ) from None
        except urllib.error.HTTPError as exc:
            raise http_error(exc, url=self.url, db=self.db, model=model, method=method) from None


def http_error(exc: urllib.error.HTTPError, *, url: str, db: str, model: str = "", method: str = "") -> OdooError:
    """An HTTP error that retries did not cure (a proxy's 500, a 404 from a wrong path...)."""
    where = f"{url} db={db}" + (f" {model}.{method}" if model else "")
    return OdooError(
        f"the server answered HTTP {exc.code} {exc.reason}",
        where=where,
        fix="Check the target's url (it must be the Odoo web address, without /web or /odoo) and the server's log.",
    )


def detect_info(gateway: Gateway, version: str) -> ServerInfo:
    """Major version from the server, edition from installed modules (never the '+e' suffix)."""
    import re

    match = re.match(r"(?:saas~)?(\d+)(?:\.(\d+))?", str(version))
    major = int(match.group(1)) if match else 0
    series = f"{major}.{match.group(2) or 0}" if match else str(version)
    try:
        enterprise = bool(gateway.search("ir.module.module", [("name", "=", "web_enterprise"), ("state", "=", "installed")]))
    except Exception:
        enterprise = False
    return ServerInfo(version=series, major=major, edition="enterprise" if enterprise else "community", raw=(version,))
