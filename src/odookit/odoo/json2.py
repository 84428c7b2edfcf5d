"""The JSON-2 API of Odoo 19 and later: ``POST /json/2/<model>/<method>`` with a bearer API key."""

from __future__ import annotations

import time
from typing import Any

from odookit.errors import OdooAuthError, OdooUnreachable
from odookit.odoo.errors_map import from_server
from odookit.odoo.gateway import READ_METHODS, Gateway
from odookit.odoo.rpc import BACKOFF, RETRIES, detect_info


class Json2Gateway(Gateway):
    def __init__(self, url: str, db: str, login: str, api_key: str, *, version: str, timeout: float = 600):
        import httpx

        self._httpx = httpx
        self.url, self.db, self.login = url, db, login
        self._client = httpx.Client(
            base_url=url,
            timeout=timeout,
            headers={"Authorization": f"bearer {api_key}", "X-Odoo-Database": db, "User-Agent": "odookit"},
        )
        me = self.execute("res.users", "context_get")
        self.uid = int(me.get("uid") or 0)
        if not self.uid:
            rows = self.search_read("res.users", [("login", "=", login)], ["id"], limit=1)
            self.uid = rows[0]["id"] if rows else 0
        self.info = detect_info(self, version)

    def execute(self, model: str, method: str, ids: list[int] | None = None, **kwargs: Any) -> Any:
        body = dict(kwargs)
        if ids is not None:
            body["ids"] = ids
        idempotent = method in READ_METHODS
        for attempt in range(RETRIES):
            try:
                response = self._client.post(f"/json/2/{model}/{method}", json=body)
            except (self._httpx.ConnectError, self._httpx.TimeoutException) as exc:
                retry = isinstance(exc, self._httpx.ConnectError) or idempotent
                if not retry or attempt == RETRIES - 1:
                    raise OdooUnreachable(
                        f"cannot reach the server ({exc.__class__.__name__})",
                        where=self.url,
                        fix="Check that Odoo is running and the target's url is right.",
                    ) from None
                time.sleep(BACKOFF * 2**attempt)
                continue
            if response.status_code in (502, 503, 504) and attempt < RETRIES - 1:
                time.sleep(BACKOFF * 2**attempt)
                continue
            break
        if response.status_code == 401:
            raise OdooAuthError(
                "API key rejected by the server",
                where=self.url,
                fix="Create an API key in Odoo (Preferences > Account Security) and set it in the environment.",
            )
        if response.status_code >= 400:
            try:
                payload = response.json()
            except ValueError:
                payload = {"name": f"HTTP {response.status_code}", "message": response.text[:200]}
            raise from_server(
                payload.get("name", ""), payload.get("message", ""), url=self.url, db=self.db, model=model, method=method
            )
        return response.json()
