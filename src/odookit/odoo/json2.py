"""The JSON-2 API of Odoo 19 and later: ``POST /json/2/<model>/<method>`` with a bearer API key."""

from __future__ import annotations

from typing import Any

from odookit.errors import OdooAccessDenied, OdooAuthError, OdooDatabaseMissing
from odookit.odoo.errors_map import from_server
from odookit.odoo.gateway import READ_METHODS, Gateway
from odookit.odoo.retry import with_retries
from odookit.odoo.rpc import detect_info


# what Odoo 19 answers (an HTML 404) when X-Odoo-Database names a database it does not serve
NO_DATABASE = "No database is selected"


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
                f"the API key of login '{self.login}' was rejected by the server",
                where=f"{self.url} db={self.db}",
                fix=f"Create an API key for '{self.login}' in database {self.db} (Preferences > Account Security > "
                "New API Key: a key works only in the database it was made in) and set it in the environment.",
            )
        if response.status_code == 404 and NO_DATABASE in response.text:
            raise OdooDatabaseMissing(
                f"the server does not serve a database '{self.db}' (it does not exist, or the server's db filter hides it)",
                where=self.url,
                fix="Check `database` in the target against the databases of that server (its database manager, /web/database/manager).",
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


def api_key_from_password(url: str, db: str, login: str, password: str, *, transport=None) -> str:
    """A JSON-2 key for a user odookit knows by password (the UAT's role users), made as that user.

    Odoo makes keys only through its web client: sign in a web session, ask
    for a key (``res.users.apikeys.description.make_key``), confirm the
    password when Odoo asks for it (``res.users.identitycheck.run_check``),
    and read the key from the action Odoo answers with. A key made so lasts
    as long as the user's groups allow (a day by default).
    """
    import httpx

    client = httpx.Client(base_url=url, timeout=120, transport=transport, headers={"User-Agent": "odookit"})
    where = f"{url} db={db}"

    def call(route: str, params: dict, what: str):
        response = with_retries(lambda: client.post(route, json={"jsonrpc": "2.0", "method": "call", "params": params}),
                                url=url, idempotent=False)
        try:
            answer = response.json()
        except ValueError:
            answer = {"error": {"data": {"name": f"HTTP {response.status_code}", "message": response.text[:200]}}}
        if "error" in answer:
            data = answer["error"].get("data") or {}
            model, _, method = what.rpartition(".")
            raise from_server(data.get("name", ""), data.get("message", answer["error"].get("message", "")),
                              url=url, db=db, model=model, method=method, login=login)
        return answer.get("result")

    def call_kw(model: str, method: str, args: list, context: dict | None = None):
        return call("/web/dataset/call_kw", {"model": model, "method": method, "args": args,
                                              "kwargs": {"context": context or {}}}, f"{model}.{method}")

    with client:
        session = call("/web/session/authenticate", {"db": db, "login": login, "password": password}, "")
        if not session or not session.get("uid"):
            raise OdooAuthError(f"login '{login}' or its password was rejected by the server", where=where,
                                fix="Check the login and password of that user.")
        try:
            [wizard] = call_kw("res.users.apikeys.description", "create", [[{"name": "odookit"}]])
            action = call_kw("res.users.apikeys.description", "make_key", [[wizard]])
            if action.get("res_model") == "res.users.identitycheck":  # Odoo asks for the password again
                action = call_kw("res.users.identitycheck", "run_check", [[action["res_id"]]], {"password": password})
        except OdooAccessDenied as exc:  # "Only internal users can create API keys"
            reason = exc.message.rpartition(" records (")[2].rstrip(")") or exc.message
            raise OdooAuthError(f"login '{login}' may not have an API key ({reason})", where=where,
                                fix="Odoo makes API keys for internal users only: sign in as an internal user.") from None
        key = (action.get("context") or {}).get("default_key")
    if not key:
        raise OdooAuthError(f"Odoo made no API key for login '{login}'", where=where,
                            fix="Create one in Odoo (Preferences > Account Security > New API Key) and use it.")
    return key
