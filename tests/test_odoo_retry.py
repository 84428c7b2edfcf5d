"""Which answers of Odoo are sent again (busy: a cron's lock, a serialization failure), and which never are.

The texts are the ones Odoo 18 and 19 send: the UserError of
``ir.module.module._button_immediate_function`` when a scheduled action holds
``ir_cron``, and PostgreSQL's errors as Odoo serializes them.
"""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from odookit.errors import OdooAccessDenied, OdooBusy, OdooError, OdooRejected
from odookit.odoo import retry
from odookit.odoo.errors_map import from_server, is_busy
from odookit.odoo.memory import MemoryGateway

CRON_BUSY = (
    "Odoo is currently processing a scheduled action.\nModule operations are not possible at this time, "
    "please try again later or contact your system administrator."
)
BUSY = [
    ("odoo.exceptions.UserError", CRON_BUSY),
    ("psycopg2.errors.SerializationFailure", "could not serialize access due to concurrent update\n"),
    ("psycopg2.errors.InFailedSqlTransaction", "current transaction is aborted, commands ignored until end of transaction block\n"),
    ("psycopg2.errors.LockNotAvailable", 'could not obtain lock on row in relation "ir_cron"\n'),
    ("psycopg2.OperationalError", 'could not obtain lock on row in relation "res_users"\n'),
    ("psycopg2.errors.DeadlockDetected", "deadlock detected\nDETAIL: Process 1 waits for ShareLock"),
]
PERMANENT = [
    ("odoo.exceptions.AccessError", "You are not allowed to modify 'Group' (res.groups) records."),
    ("odoo.exceptions.ValidationError", "The operation cannot be completed: could not serialize access"),
    ("builtins.ValueError", "Invalid field 'users' in 'res.groups'"),
    ("odoo.exceptions.UserError", "You cannot delete a warehouse that has stock."),
    ("odoo.exceptions.MissingError", "Record does not exist or has been deleted."),
    ("psycopg2.errors.UniqueViolation", 'duplicate key value violates unique constraint "ir_model_data_module_name_uniq_index"'),
]


@pytest.fixture
def sleeps(monkeypatch):
    waited: list[float] = []
    monkeypatch.setattr(retry, "sleep", waited.append)
    return waited


@pytest.mark.parametrize(("name", "message"), BUSY)
def test_busy_answers(name, message):
    assert is_busy(name, message)
    assert isinstance(from_server(name, message, url="http://o", db="d", model="m", method="write"), OdooBusy)


@pytest.mark.parametrize(("name", "message"), PERMANENT)
def test_permanent_answers(name, message):
    assert not is_busy(name, message)
    assert not isinstance(from_server(name, message, url="http://o", db="d", model="m", method="write"), OdooBusy)


# -- on the in-memory stand-in: the same Gateway.execute every transport goes through ---------


def test_install_during_a_cron_is_retried_and_said(sleeps, caplog):
    gw = MemoryGateway()
    gw.seed("ir.module.module", {"name": "stock", "state": "uninstalled"})
    gw.fail_next("button_immediate_install", "odoo.exceptions.UserError", CRON_BUSY, times=2)
    with caplog.at_level(logging.INFO, logger="odookit"):
        assert gw.install_modules(["stock"]) == ["stock"]
    assert "stock" in gw.installed_modules()
    assert sleeps == [2.0, 4.0]
    assert gw.round_trips("button_immediate_install") == 3
    assert [r.getMessage() for r in caplog.records] == [
        "memory://odoo ir.module.module.button_immediate_install: the server is busy (Odoo is currently processing "
        "a scheduled action.); retrying in 2 s (attempt 2 of 5)",
        "memory://odoo ir.module.module.button_immediate_install: the server is busy (Odoo is currently processing "
        "a scheduled action.); retrying in 4 s (attempt 3 of 5)",
    ]


def test_write_after_a_serialization_failure_is_retried(sleeps):
    gw = MemoryGateway()
    [rid] = gw.create("res.partner", [{"name": "A"}])
    gw.fail_next("write", "psycopg2.errors.SerializationFailure", "could not serialize access due to concurrent update")
    assert gw.write("res.partner", [rid], {"name": "B"}) is True
    assert gw.read("res.partner", [rid], ["name"]) == [{"id": rid, "name": "B"}]
    assert sleeps == [2.0] and gw.round_trips("write") == 2


def test_a_server_that_stays_busy_is_reported_in_one_line(sleeps):
    gw = MemoryGateway()
    gw.fail_next("load", "psycopg2.errors.InFailedSqlTransaction", "current transaction is aborted, commands ignored until end of transaction block", times=9)
    with pytest.raises(OdooBusy) as info:
        gw.load("res.partner", ["name"], [["A"]])
    assert sleeps == [2.0, 4.0, 8.0, 16.0] and gw.round_trips("load") == 5
    assert info.value.line() == (
        "memory://odoo db=memory res.partner.load: the server is busy: current transaction is aborted, commands ignored "
        "until end of transaction block (still busy after 5 attempts). Run the command again in a minute "
        "(a scheduled action or another transaction held the records)."
    )
    assert gw.all("res.partner") == []


@pytest.mark.parametrize(("name", "message"), PERMANENT)
def test_permanent_errors_are_never_retried(sleeps, name, message):
    gw = MemoryGateway()
    [rid] = gw.create("res.partner", [{"name": "A"}])
    gw.fail_next("write", name, message)
    with pytest.raises(OdooError) as info:
        gw.write("res.partner", [rid], {"name": "B"})
    assert not isinstance(info.value, OdooBusy)
    assert sleeps == [] and gw.round_trips("write") == 1
    assert gw.read("res.partner", [rid], ["name"])[0]["name"] == "A"


# -- on the JSON-2 transport: HTTP answers as Odoo 19 sends them ------------------------------


def odoo19(answers: list[tuple[int, dict]]):
    """An httpx transport standing for Odoo 19's /json/2: login calls answer as an admin, then ``answers`` in turn."""
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        seen.append(path)
        if path == "/json/2/res.users/context_get":
            return httpx.Response(200, json={"uid": 2, "lang": "en_US"})
        if path == "/json/2/ir.module.module/search":
            return httpx.Response(200, json=[])
        status, body = answers.pop(0)
        return httpx.Response(status, json=body)

    return httpx.MockTransport(handle), seen


def json2(transport):
    from odookit.odoo.json2 import Json2Gateway

    return Json2Gateway("http://odoo19.test", "acme", "admin", "key", version="19.0", transport=transport)


def test_json2_write_after_a_lock_is_retried(sleeps):
    busy = {"name": "psycopg2.errors.LockNotAvailable", "message": 'could not obtain lock on row in relation "res_partner"', "arguments": []}
    transport, seen = odoo19([(500, busy), (200, True)])
    assert json2(transport).write("res.partner", [7], {"name": "B"}) is True
    assert seen.count("/json/2/res.partner/write") == 2 and sleeps == [2.0]


def test_json2_install_during_a_cron_is_retried(sleeps):
    busy = {"name": "odoo.exceptions.UserError", "message": CRON_BUSY, "arguments": [CRON_BUSY]}
    installed, available = (200, []), (200, [{"id": 5, "name": "stock", "state": "uninstalled"}])
    transport, seen = odoo19([installed, available, (422, busy), (200, {"type": "ir.actions.client"})])
    assert json2(transport).install_modules(["stock"]) == ["stock"]
    assert seen.count("/json/2/ir.module.module/button_immediate_install") == 2 and sleeps == [2.0]


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (403, {"name": "odoo.exceptions.AccessError", "message": "You are not allowed to modify 'Contact' (res.partner) records."}, OdooAccessDenied),
        (422, {"name": "odoo.exceptions.ValidationError", "message": "The VAT number is not valid"}, OdooRejected),
        (500, {"name": "builtins.ValueError", "message": "Invalid field 'users' in 'res.groups'"}, OdooError),
    ],
)
def test_json2_permanent_errors_are_sent_once(sleeps, status, body, error):
    transport, seen = odoo19([(status, body), (200, True)])
    with pytest.raises(error) as info:
        json2(transport).write("res.partner", [7], {"name": "B"})
    assert not isinstance(info.value, OdooBusy)
    assert seen.count("/json/2/res.partner/write") == 1 and sleeps == []
    assert body["message"].rstrip(".") in info.value.line() and "\n" not in info.value.line()


def test_the_command_line_shows_each_retry_on_stderr(sleeps, capsys):
    from click.testing import CliRunner

    from odookit.cli import cli

    result = CliRunner().invoke(cli, ["targets", "--help"])  # the root sets up the notices for every command
    assert result.exit_code == 0
    gw = MemoryGateway()
    gw.fail_next("search_read", "psycopg2.errors.SerializationFailure", "could not serialize access due to concurrent update")
    gw.search_read("res.partner", [], ["name"])
    assert capsys.readouterr().err == (
        "memory://odoo res.partner.search_read: the server is busy (could not serialize access due to concurrent update); "
        "retrying in 2 s (attempt 2 of 5)\n"
    )


# -- bad input on Odoo 19, as its JSON-2 answers it ---------------------------------------------

NO_DB_PAGE = (
    "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>No database is selected and the requested "
    "URL was not found in the server-wide controllers.</p>\n"
)


def _target(tmp_path, monkeypatch, answer):
    """A workspace target on an Odoo 19 stand-in that answers every JSON-2 call with ``answer``."""
    from odookit.odoo import connect as connect_module
    from odookit.odoo import json2
    from odookit.workspace import Target

    real = json2.Json2Gateway.__init__

    def init(self, *args, **kwargs):
        real(self, *args, **kwargs, transport=httpx.MockTransport(lambda request: answer))

    monkeypatch.setattr(json2.Json2Gateway, "__init__", init)
    monkeypatch.setattr(connect_module, "probe_version", lambda url: "19.0+e-20251227")
    return Target(name="dev", url="http://odoo19.test", database="acme", login="admin", version="19.0")


def test_a_wrong_api_key_names_the_target_and_the_variable(tmp_path, monkeypatch):
    from odookit.errors import OdooAuthError
    from odookit.odoo.connect import connect

    monkeypatch.setenv("ODOOKIT_API_KEY_DEV", "not-a-key")
    answer = httpx.Response(401, json={"name": "werkzeug.exceptions.Unauthorized", "message": "Invalid apikey"})
    with pytest.raises(OdooAuthError) as info:
        connect(_target(tmp_path, monkeypatch, answer))
    assert info.value.line() == (
        "http://odoo19.test db=acme: target 'dev': the API key of login 'admin' was rejected by the server. "
        "Set ODOOKIT_API_KEY_DEV to an API key of 'admin' made in database acme (Preferences > Account Security > "
        "New API Key: a key works only in the database it was made in)."
    )


def test_a_database_the_server_does_not_serve(tmp_path, monkeypatch):
    from odookit.errors import OdooDatabaseMissing
    from odookit.odoo.connect import connect

    monkeypatch.setenv("ODOOKIT_API_KEY_DEV", "k")
    answer = httpx.Response(404, text=NO_DB_PAGE, headers={"Content-Type": "text/html"})
    with pytest.raises(OdooDatabaseMissing) as info:
        connect(_target(tmp_path, monkeypatch, answer))
    assert info.value.line() == (
        "http://odoo19.test: target 'dev': the server does not serve a database 'acme' (it does not exist, or the "
        "server's db filter hides it). Check `database` in the target against the databases of that server "
        "(its database manager, /web/database/manager)."
    )


def test_a_missing_api_key_is_said_before_the_network(tmp_path, monkeypatch):
    from odookit.errors import TargetError
    from odookit.odoo.connect import connect

    monkeypatch.delenv("ODOOKIT_API_KEY_DEV", raising=False)
    monkeypatch.setenv("ODOOKIT_PASSWORD_DEV", "admin")
    monkeypatch.setattr("keyring.get_password", lambda *a: None)
    target = _target(tmp_path, monkeypatch, httpx.Response(500))
    with pytest.raises(TargetError) as info:
        connect(target)
    assert info.value.line() == (
        "no API key for target 'dev' (login admin): Odoo 19 signs in with one, not with the password in "
        "ODOOKIT_PASSWORD_DEV. Create it in Odoo (Preferences > Account Security > New API Key) and set "
        "ODOOKIT_API_KEY_DEV in the environment, or run `keyring set odookit dev:admin`."
    )


def test_a_role_user_gets_a_key_made_with_its_password():
    """The web client's way: a session, make_key, the identity check with the password, the key in the answer."""
    from odookit.odoo.json2 import api_key_from_password

    calls = []

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)["params"]
        calls.append((request.url.path, body.get("model"), body.get("method"), body.get("kwargs", {}).get("context")))
        if request.url.path == "/web/session/authenticate":
            return httpx.Response(200, json={"result": {"uid": 9}}, headers={"Set-Cookie": "session_id=abc; Path=/"})
        assert request.headers.get("cookie") == "session_id=abc"
        result = {
            "create": [4],
            "make_key": {"res_model": "res.users.identitycheck", "res_id": 5},
            "run_check": {"res_model": "res.users.apikeys.show", "context": {"default_key": "f" * 40}},
        }[body["method"]]
        return httpx.Response(200, json={"result": result})

    key = api_key_from_password("http://odoo19.test", "acme", "uat_buyer", "pw", transport=httpx.MockTransport(handle))
    assert key == "f" * 40
    assert calls == [
        ("/web/session/authenticate", None, None, None),
        ("/web/dataset/call_kw", "res.users.apikeys.description", "create", {}),
        ("/web/dataset/call_kw", "res.users.apikeys.description", "make_key", {}),
        ("/web/dataset/call_kw", "res.users.identitycheck", "run_check", {"password": "pw"}),
    ]


def test_a_role_user_with_a_wrong_password_is_one_line():
    from odookit.errors import OdooAuthError
    from odookit.odoo.json2 import api_key_from_password

    refuse = httpx.MockTransport(lambda request: httpx.Response(200, json={"result": {"uid": None}}))
    with pytest.raises(OdooAuthError) as info:
        api_key_from_password("http://odoo19.test", "acme", "uat_buyer", "pw", transport=refuse)
    assert info.value.line() == (
        "http://odoo19.test db=acme: login 'uat_buyer' or its password was rejected by the server. "
        "Check the login and password of that user."
    )
