"""Open a gateway to a target, choosing the transport from the server's version."""

from __future__ import annotations

import re

from odookit.errors import OdooAuthError, OdooDatabaseMissing, OdooError, TargetError
from odookit.odoo.gateway import Gateway
from odookit.workspace import Target


def probe_version(url: str, timeout: float = 10) -> str:
    """The server version string, asked before logging in (the route is public on 16-19).

    It is the first request of every connection, so it carries the retries
    that tell "server down" from everything else.
    """
    import httpx

    from odookit.odoo.retry import with_retries

    payload = {"jsonrpc": "2.0", "method": "call", "params": {}, "id": 1}
    limits = httpx.Timeout(timeout, connect=min(timeout, 3.0))

    def ask():
        response = httpx.post(f"{url}/web/webclient/version_info", json=payload, timeout=limits)
        if response.status_code in (502, 503, 504):  # a proxy in front of an Odoo that is (re)starting
            response.raise_for_status()
        return response

    response = with_retries(ask, url=url, idempotent=True)
    try:
        result = response.json()["result"]
        return str(result["server_version"])
    except (ValueError, KeyError, TypeError):
        raise OdooError(
            f"{url} does not look like an Odoo server (HTTP {response.status_code})",
            where=url,
            fix="Check the target's url: it should be the address of the Odoo web client.",
        ) from None


def major_of(version: str) -> int:
    match = re.match(r"(?:saas~)?(\d+)", version)
    return int(match.group(1)) if match else 0


def open_gateway(url: str, db: str, login: str, secret, *, expect: str | None = None, password: bool = False) -> Gateway:
    """``secret`` is the password or API key, or a function of the server's major version returning it.

    ``password`` says the secret is a user's password even on Odoo 19 and later (UAT role users):
    odookit then makes that user a JSON-2 key with it, as the user would in the web client.
    """
    version = probe_version(url)
    major = major_of(version)
    if expect and major_of(expect) and major_of(expect) != major:
        raise TargetError(
            f"target expects Odoo {expect} but the server runs {version}",
            where=url,
            fix="Fix `version` in odookit.toml, or point the target at the right server.",
        )
    if callable(secret):
        secret = secret(major)
    if major >= 19:
        from odookit.odoo.json2 import Json2Gateway, api_key_from_password

        if password:
            secret = api_key_from_password(url, db, login, secret)
        return Json2Gateway(url, db, login, secret, version=version)
    if major < 16:
        raise TargetError(f"Odoo {version} is not supported", where=url, fix="odookit supports Odoo 16 to 19.")
    from odookit.odoo.rpc import RpcGateway

    return RpcGateway(url, db, login, secret)


def connect(target: Target, *, login: str | None = None, secret: str | None = None, password: bool = False) -> Gateway:
    """A gateway for a workspace target; credentials come from the environment or keyring.

    ``login``/``secret`` sign in as another user; ``password`` says that secret is a password (see open_gateway).
    """
    if secret is None:
        # no credential at all is said before the network is tried
        target.secret(major_of(target.version) or None if target.version else None)
    try:
        return open_gateway(
            target.url,
            target.database,
            login or target.login,
            secret if secret is not None else target.secret,
            expect=target.version,
            password=password,
        )
    except OdooDatabaseMissing as exc:
        if not exc.message.startswith("the server does not serve"):  # JSON-2's answer names no target
            raise
        raise OdooDatabaseMissing(f"target '{target.name}': {exc.message}", where=exc.where, fix=exc.fix) from None
    except OdooAuthError as exc:
        if secret is not None or not exc.message.startswith("the API key"):
            raise
        raise OdooAuthError(
            f"target '{target.name}': {exc.message}",
            where=exc.where,
            fix=f"Set {target.api_key_env} to an API key of '{target.login}' made in database {target.database} "
            "(Preferences > Account Security > New API Key: a key works only in the database it was made in).",
        ) from None
