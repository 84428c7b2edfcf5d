"""JSON-RPC transport for Odoo 16-18, through odoorpc.

odoorpc handles the wire format and the session; odookit only adds retries
and error translation, and calls ``execute_kw`` directly so that reads stay
batched (no per-record proxies).
"""

from __future__ import annotations

import socket
import time
import urllib.error
from typing import Any
from urllib.parse import urlparse

from odookit.errors import OdooUnreachable
from odookit.odoo.errors_map import from_server
from odookit.odoo.gateway import READ_METHODS, Gateway, ServerInfo

RETRIES = 3
POSITIONAL = {"create": ("vals_list",), "write": ("vals",), "load": ("fields", "data")}
BACKOFF = 0.5


def _is_refused(exc: BaseException) -> bool:
    reason = getattr(exc, "reason", exc)
    return isinstance(reason, ConnectionRefusedError | ConnectionResetError | socket.gaierror)


def _is_timeout(exc: BaseException) -> bool:
    reason = getattr(exc, "reason", exc)
    return isinstance(reason, TimeoutError | socket.timeout)


def with_retries(call, *, url: str, idempotent: bool):
    """Retry on connection errors with backoff.

    A refused connection never reached the server, so it is always safe to
    retry. A timeout may have been executed: it is only retried for reads.
    """
    for attempt in range(RETRIES):
        try:
            return call()
        except (urllib.error.URLError, OSError) as exc:
            retry = _is_refused(exc) or (idempotent and _is_timeout(exc))
            if isinstance(exc, urllib.error.HTTPError) and exc.code in (502, 503, 504):
                retry = True
            if not retry or attempt == RETRIES - 1:
                reason = getattr(exc, "reason", exc)
                raise OdooUnreachable(
                    f"cannot reach the server ({reason})",
                    where=url,
                    fix="Check that Odoo is running and the target's url is right.",
                ) from None
            time.sleep(BACKOFF * 2**attempt)


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
        raw = tuple(self._odoo.version_info) if hasattr(self._odoo, "version_info") else ()
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
            raise from_server(data.get("name", ""), data.get("message", str(exc)), url=self.url, db=db) from None

    def execute(self, model: str, method: str, ids: list[int] | None = None, **kwargs: Any) -> Any:
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
                data.get("name", ""), data.get("message", str(exc)), url=self.url, db=self.db, model=model, method=method
            ) from None


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
