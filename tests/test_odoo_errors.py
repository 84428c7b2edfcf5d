"""What the user sees when talking to Odoo fails: one line, the right error class, retries where safe.

The unit tests feed the mapping the exact texts a live Odoo 18 sends; the
``odoo`` tests provoke each failure on the real server.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import uuid

import pytest

from odookit.errors import (
    OdooAccessDenied,
    OdooAppMissing,
    OdooAuthError,
    OdooDatabaseMissing,
    OdooError,
    OdooRejected,
    OdooUnreachable,
)
from odookit.odoo import retry
from odookit.odoo.errors_map import from_server

URL, DB = "http://odoo.test", "acme"

ACCESS_ERROR = (
    "You are not allowed to create 'Contact' (res.partner) records.\n\n"
    "This operation is allowed for the following groups:\n\t- Extra Rights/Contact Creation\n"
    "\t- Sales/Administrator\n\nContact your administrator to request access if necessary."
)


@pytest.fixture
def sleeps(monkeypatch):
    waited: list[float] = []
    monkeypatch.setattr(retry, "sleep", waited.append)
    return waited


# -- mapping of server answers (texts as Odoo 18 sends them) -----------------------------


def test_wrong_password():
    err = from_server("odoo.exceptions.AccessDenied", "Wrong login ID or password", url=URL, db=DB, login="bob")
    assert isinstance(err, OdooAuthError)
    assert err.line() == (
        "http://odoo.test db=acme: login 'bob' or its password was rejected by the server. "
        "Check the target's login and the password in the environment or keyring."
    )


def test_missing_database():
    message = 'connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "acme" does not exist\n'
    err = from_server("psycopg2.OperationalError", message, url=URL, db=DB, login="admin")
    assert isinstance(err, OdooDatabaseMissing)
    assert err.line() == (
        "http://odoo.test: database 'acme' does not exist on the server. "
        "Check `database` in the target, or create it (the database manager or `odoo -d`)."
    )


def test_missing_app():
    err = from_server(
        "odoo.exceptions.UserError", "Object mrp.production doesn't exist", url=URL, db=DB, model="mrp.production", method="read"
    )
    assert isinstance(err, OdooAppMissing)
    assert err.line().startswith(
        "http://odoo.test db=acme mrp.production.read: model mrp.production does not exist on database 'acme': "
        "its app (probably 'mrp') is not installed. Install the app"
    )


def test_access_denied_names_user_model_operation_and_groups():
    err = from_server(
        "odoo.exceptions.AccessError", ACCESS_ERROR, url=URL, db=DB, model="res.partner", method="create", login="bob"
    )
    assert isinstance(err, OdooAccessDenied)
    assert err.line() == (
        "http://odoo.test db=acme res.partner.create: access denied: user 'bob' may not create res.partner records "
        "(You are not allowed to create 'Contact' (res.partner) records). Give user 'bob' one of the groups "
        "Extra Rights/Contact Creation, Sales/Administrator, or use another login."
    )


@pytest.mark.parametrize(("method", "operation"), [("unlink", "delete"), ("write", "write"), ("search_read", "read")])
def test_access_denied_operation_words(method, operation):
    err = from_server("odoo.exceptions.AccessError", "Nope.", url=URL, db=DB, model="account.move", method=method)
    assert f"the user may not {operation} account.move records (Nope)" in err.line()


def test_user_error_is_a_rejection_with_its_first_line_only():
    err = from_server("odoo.exceptions.ValidationError", "Bad VAT\nmore detail\n", url=URL, db=DB, model="res.partner", method="write")
    assert isinstance(err, OdooRejected)
    assert err.line() == "http://odoo.test db=acme res.partner.write: Bad VAT"


def test_unknown_server_error_keeps_one_line():
    err = from_server("builtins.ValueError", "Invalid field 'x' on model 'res.partner'\nTraceback...", url=URL, db=DB)
    assert type(err) is OdooError
    assert err.line() == "http://odoo.test db=acme: server error ValueError: Invalid field 'x' on model 'res.partner'"


# -- retries -------------------------------------------------------------------------------


def refused():
    raise urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))


def timed_out():
    raise urllib.error.URLError(TimeoutError("timed out"))


def test_refused_connection_is_retried_then_reported(sleeps):
    calls = []
    with pytest.raises(OdooUnreachable) as info:
        retry.with_retries(lambda: calls.append(1) or refused(), url=URL, idempotent=False)
    assert len(calls) == 3
    assert sleeps == [0.5, 1.0]
    assert info.value.line() == (
        "http://odoo.test: cannot reach the server after 3 attempts (connection refused). "
        "Check that Odoo is running and the target's url is right."
    )


def test_transient_failure_recovers(sleeps):
    answers = iter([refused, lambda: "ok"])
    assert retry.with_retries(lambda: next(answers)(), url=URL, idempotent=False) == "ok"
    assert sleeps == [0.5]


def test_timeout_of_a_write_is_not_retried(sleeps):
    calls = []
    with pytest.raises(OdooUnreachable) as info:
        retry.with_retries(lambda: calls.append(1) or timed_out(), url=URL, idempotent=False)
    assert calls == [1] and sleeps == []
    assert "(timed out; the change may have been applied, plan again to see)" in info.value.line()


def test_timeout_of_a_read_is_retried(sleeps):
    calls = []
    with pytest.raises(OdooUnreachable):
        retry.with_retries(lambda: calls.append(1) or timed_out(), url=URL, idempotent=True)
    assert len(calls) == 3


def test_server_errors_are_not_retried(sleeps):
    def boom():
        raise ValueError("not a connection problem")

    with pytest.raises(ValueError):
        retry.with_retries(boom, url=URL, idempotent=True)
    assert sleeps == []


def test_unreachable_server_through_connect(sleeps):
    from odookit.odoo.connect import open_gateway

    with pytest.raises(OdooUnreachable) as info:
        open_gateway(f"http://127.0.0.1:{free_port()}", "x", "admin", "secret")
    assert "cannot reach the server after 3 attempts (connection refused)" in info.value.line()
    assert len(sleeps) == 2


def free_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- against the real Odoo -------------------------------------------------------------


@pytest.fixture
def live(odoo_target):
    from odookit.workspace import Workspace

    root, name = odoo_target
    return Workspace.load(root).target(name)


def major(target) -> int:
    from odookit.odoo.connect import major_of

    return major_of(target.version)


@pytest.fixture
def user_without_rights(live):
    """A user who can sign in but may not create contacts: a portal user up to 18 (it may not
    read modules either); on 19, whose API keys are for internal users only, an internal user."""
    from odookit.odoo.adapters import field_name
    from odookit.odoo.connect import connect

    admin = connect(live)
    login, password = f"odookit_norights_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    group = "base.group_portal" if major(live) < 19 else "base.group_user"
    gid = admin.resolve_xmlids([group])[group][1]
    groups = field_name(major(live), "res.users", "groups_id")
    [uid] = admin.create("res.users", [{"name": "No Rights", "login": login, "password": password, groups: [(6, 0, [gid])]}])
    yield login, password
    admin.write("res.users", [uid], {"active": False})


@pytest.mark.odoo
def test_live_wrong_password(live):
    from odookit.odoo.connect import connect

    with pytest.raises(OdooAuthError) as info:
        connect(live, secret="certainly-not-the-password")
    if major(live) < 19:
        assert info.value.line() == (
            f"{live.url} db={live.database}: login '{live.login}' or its password was rejected by the server. "
            "Check the target's login and the password in the environment or keyring."
        )
    else:
        assert info.value.line().startswith(
            f"{live.url} db={live.database}: the API key of login '{live.login}' was rejected by the server. Create an API key"
        )


@pytest.mark.odoo
def test_live_wrong_api_key_names_the_target(live, monkeypatch):
    from odookit.odoo.connect import connect

    if major(live) < 19:
        pytest.skip(f"Odoo {live.version} signs in with a password (test_live_wrong_password)")
    monkeypatch.setenv(live.api_key_env, "0123456789abcdef0123456789abcdef01234567")
    with pytest.raises(OdooAuthError) as info:
        connect(live)
    assert info.value.line() == (
        f"{live.url} db={live.database}: target '{live.name}': the API key of login '{live.login}' was rejected by the "
        f"server. Set {live.api_key_env} to an API key of '{live.login}' made in database {live.database} "
        "(Preferences > Account Security > New API Key: a key works only in the database it was made in)."
    )


@pytest.mark.odoo
def test_live_portal_user_gets_no_api_key(live):
    from odookit.odoo.adapters import field_name
    from odookit.odoo.connect import connect

    if major(live) < 19:
        pytest.skip(f"Odoo {live.version} takes passwords: no API key is needed")
    admin = connect(live)
    login, password = f"odookit_portal_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    portal = admin.resolve_xmlids(["base.group_portal"])["base.group_portal"][1]
    groups = field_name(major(live), "res.users", "groups_id")
    [uid] = admin.create("res.users", [{"name": "Portal", "login": login, "password": password, groups: [(6, 0, [portal])]}])
    try:
        with pytest.raises(OdooAuthError) as info:
            connect(live, login=login, secret=password, password=True)
        assert info.value.line() == (
            f"{live.url} db={live.database}: login '{login}' may not have an API key (Only internal users can create "
            "API keys). Odoo makes API keys for internal users only: sign in as an internal user."
        )
    finally:
        admin.write("res.users", [uid], {"active": False})


@pytest.mark.odoo
def test_live_missing_database(live):
    from odookit.odoo.connect import connect

    missing = live.model_copy(update={"database": f"odookit_missing_{uuid.uuid4().hex[:6]}"})
    with pytest.raises(OdooDatabaseMissing) as info:
        connect(missing)
    if major(live) < 19:
        assert info.value.line().startswith(f"{live.url}: database '{missing.database}' does not exist on the server.")
    else:
        assert info.value.line().startswith(
            f"{live.url}: target '{live.name}': the server does not serve a database '{missing.database}' "
            "(it does not exist, or the server's db filter hides it). Check `database` in the target"
        )


@pytest.mark.odoo
def test_live_unreachable_server(live, sleeps):
    from odookit.odoo.connect import connect

    down = live.model_copy(update={"url": f"http://127.0.0.1:{free_port()}"})
    with pytest.raises(OdooUnreachable) as info:
        connect(down)
    assert info.value.line() == (
        f"{down.url}: cannot reach the server after 3 attempts (connection refused). "
        "Check that Odoo is running and the target's url is right."
    )
    assert sleeps == [0.5, 1.0]


@pytest.mark.odoo
@pytest.mark.parametrize(("model", "app"), [("mrp.production", "mrp"), ("helpdesk.ticket", "helpdesk")])
def test_live_missing_app(live, model, app):
    from odookit.odoo.connect import connect

    gateway = connect(live)
    if gateway.search("ir.module.module", [("name", "=", app), ("state", "=", "installed")]):
        pytest.skip(f"{app} is installed on {live.database}")
    with pytest.raises(OdooAppMissing) as info:
        gateway.search_read(model, [], ["id"])
    assert info.value.line().startswith(
        f"{live.url} db={live.database} {model}.search_read: model {model} does not exist on database "
        f"'{live.database}': its app (probably '{app}') is not installed."
    )


@pytest.mark.odoo
def test_live_access_denied_names_model_and_operation(live, user_without_rights):
    from odookit.odoo.connect import connect

    login, password = user_without_rights
    gateway = connect(live, login=login, secret=password, password=True)
    with pytest.raises(OdooAccessDenied) as info:
        gateway.create("res.partner", [{"name": "Should not exist"}])
    line = info.value.line()
    assert line.startswith(
        f"{live.url} db={live.database} res.partner.create: access denied: user '{login}' may not create "
        "res.partner records (You are not allowed to create 'Contact' (res.partner) records). Give user"
    )
    assert "\n" not in line
    if major(live) >= 19:
        return  # an internal user may read the modules
    assert "Sales/Administrator" in line
    with pytest.raises(OdooAccessDenied) as info:
        gateway.search_read("ir.module.module", [], ["name"])
    assert f"user '{login}' may not read ir.module.module records" in info.value.line()


@pytest.mark.odoo
def test_live_targets_check_reports_errors_in_one_line(odoo_target, monkeypatch):
    from click.testing import CliRunner

    from odookit.cli import cli

    from odookit.workspace import Workspace

    root, name = odoo_target
    target = Workspace.load(root).target(name)
    ok = CliRunner().invoke(cli, ["-w", str(root), "targets", "check", name])
    assert ok.exit_code == 0, ok.output
    assert f"Odoo {target.version} community" in ok.output
    monkeypatch.setenv(target.secret_env if major(target) < 19 else target.api_key_env, "certainly-not-the-password")
    bad = CliRunner().invoke(cli, ["-w", str(root), "targets", "check", name])
    assert bad.exit_code == 2
    assert bad.output.count("\n") == 1 and "Traceback" not in bad.output
    assert ("or its password was rejected by the server" if major(target) < 19 else "the API key of login") in bad.output


class _Answer:
    """A tiny local HTTP server answering every POST with one status, to stand for a non-Odoo or restarting server."""

    def __init__(self, status: int, body: bytes = b"<html>not odoo</html>", content_type: str = "text/html"):
        import http.server
        import threading

        class Handler(http.server.BaseHTTPRequestHandler):
            hits = 0

            def do_POST(self):  # noqa: N802 (http.server's naming)
                Handler.hits += 1
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.handler = Handler
        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def answering():
    servers = []

    def start(status, **kwargs):
        servers.append(_Answer(status, **kwargs))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def test_a_server_that_is_not_odoo(answering, sleeps):
    from odookit.odoo.connect import probe_version

    server = answering(404)
    with pytest.raises(OdooError) as info:
        probe_version(server.url)
    assert info.value.line() == (
        f"{server.url}: {server.url} does not look like an Odoo server (HTTP 404). "
        "Check the target's url: it should be the address of the Odoo web client."
    )
    assert server.handler.hits == 1 and sleeps == []


def test_a_restarting_server_behind_a_proxy_is_retried(answering, sleeps):
    from odookit.odoo.connect import probe_version

    server = answering(503)
    with pytest.raises(OdooUnreachable) as info:
        probe_version(server.url)
    assert "cannot reach the server after 3 attempts (HTTP 503 Service Unavailable)" in info.value.line()
    assert server.handler.hits == 3 and sleeps == [0.5, 1.0]


def test_json2_transport_retries_then_reports(answering, sleeps):
    from odookit.odoo.json2 import Json2Gateway

    server = answering(503)
    with pytest.raises(OdooUnreachable) as info:
        Json2Gateway(server.url, "acme", "bob", "key", version="19.0")
    assert "after 3 attempts (HTTP 503 Service Unavailable)" in info.value.line()
    assert server.handler.hits == 3


def test_json2_transport_maps_server_errors(answering):
    from odookit.odoo.json2 import Json2Gateway

    body = json.dumps({"name": "odoo.exceptions.AccessError", "message": ACCESS_ERROR}).encode()
    server = answering(403, body=body, content_type="application/json")
    with pytest.raises(OdooAccessDenied) as info:
        Json2Gateway(server.url, "acme", "bob", "key", version="19.0")
    assert "access denied: user 'bob' may not read res.users records" in info.value.line()
    assert server.handler.hits == 1


def test_constraint_error_keeps_the_model_and_field_it_names():
    message = (
        "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n"
        "- Delete: another model requires the record being deleted.\n\nModel: Server Action (ir.actions.server)\n"
        "Field: Action Name (name)\n"
    )
    err = from_server("odoo.exceptions.ValidationError", message, url=URL, db=DB, model="ir.actions.server", method="create")
    assert err.line().endswith(
        "ir.actions.server.create: The operation cannot be completed: Model: Server Action (ir.actions.server) Field: Action Name (name)"
    )
