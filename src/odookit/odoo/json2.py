"""The JSON-2 API of Odoo 19 and later: ``POST /json/2/<model>/<method>`` with a bearer API key."""

from __future__ import annotations

from typing import Any

from odookit.errors import OdooAuthError
from odookit.odoo.errors_map import from_server
from odookit.odoo.gateway import READ_METHODS, Gateway
from odookit.odoo.retry import with_retries
from odookit.odoo.rpc import detect_info


class Json2Gateway(Gateway):
    def __init__(self, url: str, db: str, login: str, api_key: str, *, version: str, timeout: float = 600, transport=None):
        """``transport`` is an ``httpx`` transport to use instead of the network (tests)."""
        import httpx

        self._httpx = httpx
        self.url, self.db, self.login = url, db, login
        self._client = httpx.Client(
            base_url=url,
            timeout=timeout,
            transport=transport,
            headers={"Authorization": f"bearer {api_key}", "X-Odoo-Database": db, "User-Agent": "odookit"},
        )
        me = self.execute("res.users", "context_get")
        self.uid = int(me.get("uid") or 0)
        if not self.uid:
            rows = self.search_read("res.users", [("login", "=", login)], ["id"], limit=1)
            self.uid = rows[0]["id"] if rows else 0
        self.info = detect_info(self, version)

    def _execute(self, model: str, method: str, ids: list[int] | None = None, **kwargs: Any) -> Any:
        body = dict(kwargs)
        if ids is not None:
            body["ids"] = ids

        def post():
            response = self._client.post(f"/json/2/{model}/{method}", json=body)
            if response.status_code in (502, 503, 504):  # a proxy in front of an Odoo that is (re)starting
                response.raise_for_status()
            return response

        response = with_retries(post, url=self.url, idempotent=method in READ_METHODS)
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
                payload.get("name", ""),
                payload.get("message", ""),
                url=self.url,
                db=self.db,
                model=model,
                method=method,
                login=self.login,
            )
        return response.json()
